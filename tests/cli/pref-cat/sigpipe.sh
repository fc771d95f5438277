# A closed output pipe ends the command quietly (killed by SIGPIPE).
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "{\"i\":%d}\n", i }' > big.jsonl
{ pref-cat big.jsonl; echo $? > status; } | head -n 1
cat status
