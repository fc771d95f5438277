# --ties drop: the first pair is a tie (7 = 7.0).
pref-relabel --ties drop --stats=s.json --template 'Goal {score}.' "$TESTDATA/relabel/ties.jsonl"
cat s.json
