# Elements of a JSON array file are records: a bad one is quarantined as
# one compact line, even when it spans lines or is longer than --max-line.
printf '[\n {"a": 1},\n 5,\n {"b" : [1,\n   2], "c": "x y"},\n {"d":2}\n]\n' > in.json
pref-cat --stats --max-line=12 --on-error=quarantine=q.jsonl in.json
echo "exit $?"
cat q.jsonl
printf '[\n {"a": 1},\n {"a": 1 1}\n]\n' > broken.json
pref-cat broken.json
echo "exit $?"
