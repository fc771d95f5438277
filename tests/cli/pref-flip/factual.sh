# --labels factual: 1 = factual, so (f_w, f_l) = (0, 1) is the misordered
# pair; the labels are swapped with the responses and keep their sense.
printf '%s\n' '{"prompt":"q","chosen":"wrong","rejected":"right","f_w":0,"f_l":1}' \
	'{"prompt":"q","chosen":"right","rejected":"wrong","f_w":true,"f_l":false}' \
	'{"prompt":"q","chosen":"wrong","rejected":"wrong too","f_w":0,"f_l":0}' |
	pref-flip --labels factual --label-fields f_w,f_l --lambda 0.5 --stats=s.json
cat s.json
