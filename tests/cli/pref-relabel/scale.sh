# --scale MIN:MAX feeds {min} and {max} and bounds the scores.
printf '%s\n' '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":4.5,"score_rejected":0}' |
	pref-relabel --scale 0:5 --template '{score}/{max} (from {min})'
# The default template's "1-10" follows the scale.
printf '%s\n' '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":-1,"score_rejected":0.25}' |
	pref-relabel --scale -2:0.5
