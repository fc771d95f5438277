# --label-fields with names that are not paired (SPEC 1.2): the labels
# still trade values with the responses; nested label paths work too.
printf '%s\n' '{"prompt":"q","chosen":"A","rejected":"B","hal_a":1,"hal_b":0,"x":{"p":1,"q":0}}' |
	pref-flip --label-fields hal_a,hal_b
printf '%s\n' '{"prompt":"q","chosen":"A","rejected":"B","x":{"p":1,"q":0}}' |
	pref-flip --label-fields x.p,x.q
