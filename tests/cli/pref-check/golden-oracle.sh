# The cases of pref-check that carry data run again with pref-check being
# golden_oracle.py, a Python version of pref-check(1) (not of the C code;
# its rules are rules_oracle.py's): what they print must be what their
# committed .stdout files say - the FILE:LINE: RULE of every violation
# listed, the summary table and totals, the JSON report's values, the exit
# statuses - with the messages (the project's words) standing for any
# text.  So a wrong report regenerated into one of those files (PK_REGEN)
# makes this case print DIFFERENT for it.
python3 "$CASEDIR/../goldenlib.py" pref-check "$CASEDIR/golden_oracle.py" \
	clean errors man-examples readme-ci
