# Misuse of pref itself: exit 2 with a hint; --help on stdout.
pref --help
pref
echo "exit $?"
pref no-such-command
echo "exit $?"
pref --bogus
echo "exit $?"
