# --on-error=quarantine=FILE: bad lines byte for byte into FILE.
cp "$DATA/sample-bad.jsonl" bad.jsonl
pref-cat --stats --on-error=quarantine=q.jsonl bad.jsonl > good.jsonl
echo "exit $?"
cat q.jsonl
wc -l < good.jsonl
