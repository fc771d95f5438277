# --keep-original writes the input pair first, unchanged (compacted).
printf '%s\n' '{"prompt": "b", "chosen": "C", "rejected": "D", "score_chosen": 9, "score_rejected": 1}' |
	pref-relabel --keep-original --template 'Goal {score}.'
# With --ties drop a tie writes nothing, not even the original.
pref-relabel --keep-original --ties drop --template 'Goal {score}.' "$TESTDATA/relabel/ties.jsonl"
