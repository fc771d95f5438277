# Bad records: --on-error=abort (default) stops with exit 1 and writes no
# pair at all (the output comes after the whole input); skip and
# quarantine account for every record.  Misuse is exit 2.
printf '%s\n' '{"chosen":"a","rejected":"b","score_chosen":3,"score_rejected":1}' \
	'{"chosen":"c","rejected":"d","score_chosen":2}' \
	'not json' \
	'{"chosen":"e","rejected":"f","score_chosen":2,"score_rejected":"x"}' \
	'{"chosen":"g","rejected":"h","score_chosen":1e400,"score_rejected":1}' \
	'{"rejected":"i","score_chosen":4,"score_rejected":1}' \
	'{"chosen":"j","rejected":"k","score_chosen":1,"score_rejected":1}' >pairs.jsonl
pref-curriculum pairs.jsonl
echo "abort: exit $?"
pref-curriculum --on-error=skip --stats pairs.jsonl 2>&1
echo "skip: exit $?"
pref-curriculum --on-error=quarantine=q.jsonl --within gap pairs.jsonl >/dev/null 2>&1
echo "quarantine: exit $?"
cat q.jsonl
printf '%s\n' '{"prompt":"p","responses":[{"text":"a","score":2},{"text":"b","score":1}]}' \
	'{"prompt":"p","responses":{"text":"a"}}' \
	'{"prompt":"p","responses":[{"text":"a","score":2},{"score":1}]}' \
	'{"prompt":"p","responses":[{"text":"a","score":2},{"text":"b","score":2}]}' >lists.jsonl
pref-curriculum --on-error=skip --stats lists.jsonl 2>&1
echo "lists: exit $?"
pref-curriculum --stage-by rank pairs.jsonl
echo "rank on pairs: exit $?"
pref-curriculum --input pairs lists.jsonl
echo "lists read as pairs: exit $?"
for opts in "--stages 2 --stage-by rank" "--stage-by size" "--within random" \
	"--stages 0" "--input trees" "--from hh" "--merge --from oasst" "--memory 0"; do
	pref-curriculum $opts lists.jsonl
	echo "$opts: exit $?"
done
