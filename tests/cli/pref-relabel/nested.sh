# Scores in a nested object (as in ultrafeedback-dpo-noise-study): read
# by dotted path; pair 2 swaps the paired fields inside "metadata" too
# (chosen_model has no partner, so it becomes rejected_model).
pref-relabel --template 'Goal {score}.' \
	--score-chosen-field metadata.score_chosen \
	--score-rejected-field metadata.score_rejected \
	"$TESTDATA/relabel/nested.jsonl"
