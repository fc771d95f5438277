# A closed output pipe ends the command quietly (killed by SIGPIPE): the
# reader takes one line and exits.
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "{\"i\":%d}\n", i }' > big.jsonl
{ pref-cat big.jsonl; echo $? > status; } | { read -r first; echo "$first"; }
cat status
