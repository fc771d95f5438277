# --help on stdout with exit 0; a bad option: short hint on stderr, exit 2.
pref-cat --help | head -n 1
pref-cat --version | head -n 1 | cut -d' ' -f1-2
pref-cat --bogus
echo "exit $?"
pref-cat --on-error=maybe
echo "exit $?"
pref-cat --max-line=12Q
echo "exit $?"
