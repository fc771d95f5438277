# The cases of pref-curriculum run again with pref-curriculum being
# golden_oracle.py, a Python version of pref-curriculum(1) (not of the C
# code; the pairs of a list are those of pref-expand's golden oracle): what
# they print must be what their committed .stdout files say (JSON compared
# as values, key order and number text exact; the command's messages left
# out).  So a wrong output regenerated into one of those files (PK_REGEN)
# makes this case print DIFFERENT for it.
python3 "$CASEDIR/../goldenlib.py" pref-curriculum "$CASEDIR/golden_oracle.py" \
	bad-values errors hand member-clash paper
