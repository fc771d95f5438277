# Bad lines: abort (the default) stops with exit 1 and no report; skip and
# quarantine describe the rest, count the bad lines and blank ones, and
# --stats accounts for every line (read = written + skipped +
# quarantined, "written" being the records described).
printf '%s\n' '{"prompt":"a","chosen":"x","rejected":"y"}' '' '[1,2]' \
	'{"prompt":"b","chosen":"x","rejected":"y","prompt":"c"}' '   ' \
	'{"prompt":"d","chosen":"x","rejected":"y"}' >in.jsonl
pref-stats --json in.jsonl
echo "abort: exit $?"
pref-stats --json --on-error=skip --stats=s1.json in.jsonl >skip.json
echo "skip: exit $?"
pref-stats --json --on-error=quarantine=q.jsonl --stats=s2.json in.jsonl >q.json
echo "quarantine: exit $?"
cat q.jsonl s1.json s2.json
python3 -c '
import json
for f in ("skip.json", "q.json"):
    d = json.load(open(f))
    print(f, {k: d[k] for k in ("read", "records", "bad", "blank", "pairs")})'
