# The member-clash rule (prefkit(7)): "goal_score" replaces the member of
# that name, in its place, in both pairs.
# nodup (common/nodup.inc): no key written twice, and pref-cat accepts it.
. "$CASEDIR/../common/nodup.inc"
echo '{"goal_score":"x","prompt":"p","chosen":"a","rejected":"b","score_chosen":2,"score_rejected":1}' |
	pref-relabel --placement=prefix --template='S{score}.' > out.jsonl
echo "exit $?"
cat out.jsonl
nodup out.jsonl
