# The cases of pref-ches that carry data run again with pref-ches being
# golden_oracle.py, a Python version of SPEC 3.4, pref-ches(1) and
# prefkit(7) (not of the C code): what they print, and the --stats lines
# of their standard error, must be what their committed .stdout and
# .stderr files say (JSON compared as values, key order and number text
# exact; messages left out).  So a wrong output or count regenerated into
# one of those files (PK_REGEN) makes this case print DIFFERENT for it.
# bad-side-files is not here: its standard output is exit statuses only.
python3 "$CASEDIR/../goldenlib.py" pref-ches "$CASEDIR/golden_oracle.py" \
	bad-records hand-values member-clash quantile
