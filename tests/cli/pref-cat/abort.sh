# The default, --on-error=abort, stops at the first bad record: exit 1.
cp "$DATA/sample-bad.jsonl" bad.jsonl
pref-cat bad.jsonl
