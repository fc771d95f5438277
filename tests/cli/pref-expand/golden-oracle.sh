# The hand-written cases of pref-expand run again with pref-expand being
# golden_oracle.py, a Python version of SPEC 1.3/1.4/3.2 and pref-expand(1)
# (not of the C code): what they print must be what their committed
# .stdout files say (JSON compared as values, key order and number text
# exact; group ids by xxhsum).  So a wrong output regenerated into one of
# those files (PK_REGEN) makes this case print DIFFERENT for it.
python3 "$CASEDIR/../goldenlib.py" pref-expand "$CASEDIR/golden_oracle.py" \
	bad-values errors man-examples member-clash oasst-bad oasst-hand rank-by \
	step-regex strategies top-min-gap tree
