# --placement field=NAME: the text goes to its own field, the prompt is
# untouched; an existing field keeps its position; no prompt is needed.
pref-relabel --placement field=condition --template 'Goal {score}.' "$TESTDATA/relabel/ties.jsonl"
printf '%s\n' '{"condition":null,"chosen":"C","rejected":"D","score_chosen":2,"score_rejected":1}' |
	pref-relabel --placement field=condition --template 'Goal {score}.'
