# The hand-written cases of pref-convert run again with pref-convert being
# golden_oracle.py, a Python version of SPEC 1.5/3.6 and pref-convert(1)
# (not of the C code): what they print must be what their committed
# .stdout files say (JSON compared as values, key order and number text
# exact).  So a wrong output regenerated into one of those files (PK_REGEN)
# makes this case print DIFFERENT for it.
python3 "$CASEDIR/../goldenlib.py" pref-convert "$CASEDIR/golden_oracle.py" \
	arena auto bad-values hh-conversational hh-reported hh-split held-rollback member-clash \
	pairwise-labels pairwise-votes prompt-template sharegpt to-conversational \
	to-lists to-standard trl ufbinarized
