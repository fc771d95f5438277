# --help on stdout with exit 0; a bad option: short hint on stderr, exit 2.
pref-cat --help
pref-cat --bogus
echo "exit $?"
pref-cat --on-error=maybe
echo "exit $?"
pref-cat --max-line=12Q
echo "exit $?"
