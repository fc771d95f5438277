# A failed run leaves no output file and no temporary file behind.
printf '{"a":1}\n{"a":\n' > in.jsonl
pref-cat -o out.jsonl in.jsonl
echo "exit $?"
ls -A
