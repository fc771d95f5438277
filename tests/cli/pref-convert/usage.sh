# Usage errors: exit 2 before reading anything.
pref-convert --from yaml; echo "exit $?"
pref-convert --to csv; echo "exit $?"
pref-convert --from hh --score overall; echo "exit $?"
pref-convert --from sharegpt --no-synthetic; echo "exit $?"
pref-convert --from nectar --strict; echo "exit $?"
pref-convert --flatten-template '{content}'; echo "exit $?"
pref-convert --from hh --pairs all; echo "exit $?"
pref-convert --pairs skip=0; echo "exit $?"
