# --progress forces the progress line (on standard error, cleared at the
# end); without a terminal and without --progress nothing is printed.
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "{\"i\":%d}\n", i }' > big.jsonl
pref-cat --progress big.jsonl 2>err >/dev/null
tr '\r' '\n' < err | grep -c '^pref-cat: big.jsonl: 16384 records, 0.2 MiB read'
pref-cat big.jsonl 2>err2 >/dev/null
wc -c < err2
