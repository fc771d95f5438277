# Misuse and system errors: exit 2 with a clear message.  The pattern's
# own compile error is reported with its offset.
echo '{"prompt":"p","chosen":"a","rejected":"b"}' >in.jsonl
pref-check --deny-regex 'as an (AI' in.jsonl
echo "exit $?"
pref-check --rule tie=loud in.jsonl
echo "exit $?"
pref-check --rule length=error in.jsonl
echo "exit $?"
pref-check --leak-ngram 13 in.jsonl
echo "exit $?"
pref-check --scale 10:1 in.jsonl
echo "exit $?"
pref-check --on-error=skip in.jsonl
echo "exit $?"
pref-check --against missing.jsonl in.jsonl
echo "exit $?"
printf '{"prompt":"a"}\n{"q":"b"}\n' >bench.jsonl
pref-check --against bench.jsonl in.jsonl
echo "exit $?"
pref-check in.jsonl missing.jsonl
echo "exit $?"
# a line too long is a json violation like any other; checking goes on
printf '{"prompt":"%s","chosen":"a","rejected":"b"}\n' xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx >long.jsonl
cat in.jsonl >>long.jsonl
pref-check --max-line 42 long.jsonl
echo "exit $?"
# the JSON report and the output or stats file would overwrite each other
pref-check --json=out.txt -o ./out.txt in.jsonl
echo "exit $?"
pref-check --json=s.json --stats=s.json in.jsonl
echo "exit $?"
[ -e out.txt ] || [ -e s.json ] || echo "nothing written"
