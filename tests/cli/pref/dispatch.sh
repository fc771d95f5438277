# pref NAME ARGS... runs pref-NAME ARGS... with its exit status.
printf '{ "a" : 1 }\n' | pref cat
printf '{"a":\n' | pref cat
echo "exit $?"
