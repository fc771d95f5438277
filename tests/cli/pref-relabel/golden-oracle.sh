# The hand-written cases of pref-relabel run again with pref-relabel being
# golden_oracle.py, a Python version of SPEC 3.1 and pref-relabel(1) (not
# of the C code): what they print must be what their committed .stdout
# files say (JSON compared as values, key order and number text exact).
# So a wrong output regenerated into one of those files (PK_REGEN) makes
# this case print DIFFERENT for it.
python3 "$CASEDIR/../goldenlib.py" pref-relabel "$CASEDIR/golden_oracle.py" \
	attributes bad-records bad-values default-template field goal-text \
	implicit implicit-prefix \
	keep-original layouts member-clash messages messages-prefix nested round scale \
	string-system template-file ties-drop ties-first ties-keep
