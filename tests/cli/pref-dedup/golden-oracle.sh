# The cases of pref-dedup run again with pref-dedup being golden_oracle.py,
# a Python version of pref-dedup(1) (not of the C code): what they print
# must be what their committed .stdout files say (JSON compared as values,
# key order and number text exact).  So a wrong output regenerated into
# one of those files (PK_REGEN) makes this case print DIFFERENT for it.
python3 "$CASEDIR/../goldenlib.py" pref-dedup "$CASEDIR/golden_oracle.py" \
	bad-records keys man-examples
