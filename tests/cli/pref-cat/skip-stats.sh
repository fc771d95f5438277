# --on-error=skip: bad records are reported by line and counted;
# read = written + skipped + quarantined.
cp "$DATA/sample-bad.jsonl" bad.jsonl
pref-cat --on-error=skip --stats=stats.json bad.jsonl
echo "exit $?"
cat stats.json
