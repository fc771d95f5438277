# --max-line: a longer line is a bad record ("line too long").
printf '{"a":1}\n{"long":"0123456789012345678901234567890"}\n{"b":2}\n' > in.jsonl
pref-cat --max-line=20 --on-error=quarantine=q.jsonl in.jsonl
echo "exit $?"
cat q.jsonl
pref-cat --max-line=20 in.jsonl
echo "exit $?"
