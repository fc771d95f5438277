# --ties keep: the first pair is a tie (7 = 7.0).
pref-relabel --ties keep --stats=s.json --template 'Goal {score}.' "$TESTDATA/relabel/ties.jsonl"
cat s.json
