# --by score flips pairs whose chosen score is below the rejected score
# (equal scores are not misordered); no labels needed, no delta_h.
printf '%s\n' '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":3,"score_rejected":8,"h_w":0,"h_l":1}' \
	'{"prompt":"p","chosen":"A","rejected":"B","score_chosen":5,"score_rejected":5.0}' \
	'{"prompt":"p","chosen":"A","rejected":"B","score_chosen":6,"score_rejected":-1}' |
	pref-flip --by score --stats=s.json
cat s.json
printf '%s\n' '{"prompt":"p","chosen":"A","rejected":"B","m":{"score_chosen":1.5,"score_rejected":2}}' |
	pref-flip --by score --score-chosen-field m.score_chosen --score-rejected-field m.score_rejected
printf '%s\n' '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":3,"score_rejected":8}' |
	pref-flip --by score --drop-flipped --stats
