# The member-clash rule (prefkit(7)): the members a pair is written with
# replace the list's fields of those names ("chosen", "group_id"), once;
# they are written together where the responses were.  group_id of "P"
# as in the man page example.
# nodup (common/nodup.inc): no key written twice, and pref-cat accepts it.
. "$CASEDIR/../common/nodup.inc"
echo '{"group_id":"old","prompt":"P","chosen":"X","responses":[{"text":"a","score":9},{"text":"b","score":7}]}' |
	pref-expand > out.jsonl
echo "exit $?"
cat out.jsonl
nodup out.jsonl
