# The hand-written cases of pref-cat run again with pref-cat being
# golden_oracle.py, a Python version of SPEC 1, 2 and 3.0 (not of the C
# code): what they print must be what their committed .stdout files say
# (JSON compared as values, key order and number text exact).  So a wrong
# output regenerated into one of those files (PK_REGEN) makes this case
# print DIFFERENT for it.
python3 "$CASEDIR/../goldenlib.py" pref-cat "$CASEDIR/golden_oracle.py" \
	abort array-blank array-quarantine atomic bom-crlf-blank compact inputs invalid-utf8 max-line \
	quarantine skip-stats untouched zstd-in zstd-out zstd-truncated
