# Warnings (a record written but worth a look) go to standard error as
# prog: FILE:LINE: message; -q silences them and nothing else.
printf '%s\n' '{"chosen":"\n\nHuman: hi\n\nAssistant: a","rejected":"\n\nHuman: hi\n\nAssistant: a"}' > same.jsonl
pref-convert --from hh same.jsonl > out1.jsonl
echo "exit $?"
pref-convert -q --from hh same.jsonl > out2.jsonl
echo "exit $?"
cmp out1.jsonl out2.jsonl && wc -l < out1.jsonl
