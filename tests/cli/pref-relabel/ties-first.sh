# --ties first: the first pair is a tie (7 = 7.0).
pref-relabel --ties first --stats=s.json --template 'Goal {score}.' "$TESTDATA/relabel/ties.jsonl"
cat s.json
