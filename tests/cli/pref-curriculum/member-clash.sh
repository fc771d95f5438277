# The member-clash rule (prefkit(7)): "gap" and "stage" replace the
# members of those names, in their places.
# nodup (common/nodup.inc): no key written twice, and pref-cat accepts it.
. "$CASEDIR/../common/nodup.inc"
echo '{"gap":"x","prompt":"p","chosen":"a","rejected":"b","score_chosen":3,"score_rejected":1,"stage":"y"}' |
	pref-curriculum > out.jsonl
echo "exit $?"
cat out.jsonl
nodup out.jsonl
