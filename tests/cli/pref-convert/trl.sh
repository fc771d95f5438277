# TRL pairs are already native: written as they are (compacted), or with
# the fields named by the field options given their canonical names (a
# dotted path moves to the top level); an implicit prompt is fine.
printf '%s\n' \
	'{"prompt": "p", "chosen": "a", "rejected": "b", "score_chosen": 9, "x": [1, 2]}' \
	'{"chosen":[{"role":"user","content":"p"},{"role":"assistant","content":"a"}],"rejected":[{"role":"user","content":"p"},{"role":"assistant","content":"b"}]}' |
	pref-convert --from trl
printf '%s\n' '{"question":"p","good":"a","bad":"b","meta":{"sg":9,"sb":2,"src":"x"}}' |
	pref-convert --from trl --prompt-field question --chosen-field good \
		--rejected-field bad --score-chosen-field meta.sg --score-rejected-field meta.sb
printf '%s\n' '{"prompt":"p","chosen":"a"}' '{"chosen":"a","rejected":"b"}' |
	pref-convert --from trl --on-error=skip --stats
