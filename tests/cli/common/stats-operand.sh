# A bare --stats followed by an operand: the operand is read as input
# (--stats takes its file only as --stats=FILE), and a warning says so;
# -q silences it.
printf '%s\n' '{"a":1}' >in.jsonl
printf '%s\n' '{"read":9}' >s.json
pref-cat --stats s.json in.jsonl 2>err
echo "exit $?"
cat err
pref-cat -q --stats s.json in.jsonl 2>/dev/null
pref-cat --stats=s.json in.jsonl
echo "exit $?"
cat s.json
