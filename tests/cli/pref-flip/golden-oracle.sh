# The cases of pref-flip run again with pref-flip being golden_oracle.py,
# a Python version of SPEC 3.5 and pref-flip(1) (not of the C code; the
# flip of a record is oracle.py's): what they print must be what their
# committed .stdout files say (JSON compared as values, key order and
# number text exact).  So a wrong output regenerated into one of those
# files (PK_REGEN) makes this case print DIFFERENT for it.
python3 "$CASEDIR/../goldenlib.py" pref-flip "$CASEDIR/golden_oracle.py" \
	bad-records bad-values by-score drop factual label-fields labels lambda \
	man-examples member-clash skip-quarantine
