# --attributes: goals from the score objects scores_chosen/scores_rejected,
# one line per attribute in place of "Overall score", goal_scores holds
# them; a tie is a tie on every named attribute (verbosity is not named).
pref-relabel --scale 0:4 --attributes helpfulness,correctness --ties drop \
	--stats=s.json "$TESTDATA/relabel/attributes.jsonl"
cat s.json
# A custom template: {score} stands for the attribute lines.
head -n 1 "$TESTDATA/relabel/attributes.jsonl" |
	pref-relabel --scale 0:4 --attributes correctness --placement field=goal --template '[{score}]'
# An attribute missing from a score object is a bad record.
head -n 1 "$TESTDATA/relabel/attributes.jsonl" |
	pref-relabel --scale 0:4 --attributes helpfulness,coherence
echo "exit $?"
