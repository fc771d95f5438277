# --to lists: a pair becomes a two-response list; scores when both are
# present (else rank 1 and 2), paired fields go into their response
# (chosen_model -> model, h_w -> h), the rest stays on the list.
printf '%s\n' \
	'{"prompt":"p","chosen":"a","rejected":"b","score_chosen":9,"score_rejected":2.5,"chosen_model":"m1","rejected_model":"m2","h_w":0,"h_l":1,"src":"x"}' \
	'{"prompt":"p","chosen":"a","rejected":"b"}' |
	pref-convert --from trl --to lists
