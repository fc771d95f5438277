# A closed output pipe ends the command quietly (killed by SIGPIPE): the
# reader takes one line and exits.
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "{\"i\":%d}\n", i }' > big.jsonl
{ pref-cat big.jsonl; echo $? > status; } | { read -r first; echo "$first" > first; }
# the record read is the input's first line (compact already): cmp
head -n 1 big.jsonl | cmp -s - first && echo "first record: same as the input's" ||
	echo "first record: DIFFERENT: $(cat first)"
cat status
