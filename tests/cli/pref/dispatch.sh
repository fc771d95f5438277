# pref NAME ARGS... runs pref-NAME ARGS... with its exit status.
printf '{ "a" : 1 }\n' | pref cat >a
# the same record as pref-cat and jq -c write it
printf '{ "a" : 1 }\n' | pref-cat >b
printf '{ "a" : 1 }\n' | jq -c . >c
cat a
cmp -s a b && cmp -s a c && echo "pref cat = pref-cat = jq -c: same"
printf '{"a":\n' | pref cat
echo "exit $?"
