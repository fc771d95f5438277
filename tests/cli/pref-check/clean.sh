# A clean file: nothing on standard output or error, exit 0; warnings
# alone (a tie) are listed but do not fail; -q silences them.
printf '%s\n' '{"prompt":"p","chosen":"a","rejected":"b","score_chosen":8,"score_rejected":3}' \
  '{"prompt":[{"role":"user","content":"q"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}]}' \
  '{"prompt":"l","responses":[{"text":"a","score":1},{"text":"b","score":1}]}' >clean.jsonl
pref-check clean.jsonl
echo "exit $?"
printf "%s\n" '{"prompt":"p","chosen":"c","rejected":"b","score_chosen":3,"score_rejected":3}' >tie.jsonl
pref-check clean.jsonl tie.jsonl
echo "exit $?"
pref-check -q clean.jsonl tie.jsonl
echo "exit $?"
# --rule tie=error makes it fail; --max-violations 1 tolerates it
pref-check --rule tie=error tie.jsonl >/dev/null
echo "exit $?"
pref-check --rule tie=error --max-violations 1 -o report.txt tie.jsonl
echo "exit $?"
cat report.txt
