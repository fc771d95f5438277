# A missing or non-0/1 label, a missing response, or (with --by score) a
# missing or non-numeric score is a bad record: FILE:LINE: message, exit 1,
# after the good record before it (none when the first line is the bad one).
bad() {
	printf '%s\n' '{"prompt":"ok","chosen":"A","rejected":"B","h_w":0,"h_l":1,"score_chosen":2,"score_rejected":1}' "$1" >in.jsonl
	shift
	pref-flip "$@" in.jsonl >out.jsonl
	echo "exit $?"
	cat out.jsonl
}
bad '{"prompt":"p","chosen":"A","rejected":"B","h_w":1}'
bad '{"prompt":"p","chosen":"A","rejected":"B","h_w":2,"h_l":0}'
bad '{"prompt":"p","chosen":"A","rejected":"B","h_w":0.5,"h_l":0}'
bad '{"prompt":"p","chosen":"A","rejected":"B","h_w":"1","h_l":0}'
bad '{"prompt":"p","chosen":"A","rejected":"B","h_w":null,"h_l":0}'
bad '{"prompt":"p","chosen":"A","rejected":"B","h_w":0,"h_l":-1}'
bad '{"prompt":"p","rejected":"B","h_w":0,"h_l":1}'
bad '{"prompt":"p","chosen":"A","rejected":"B","f_w":1}' --label-fields f_w,f_l
bad '{"prompt":"p","chosen":"A","rejected":"B","score_rejected":1}' --by score
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":"2","score_rejected":1}' --by score
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":true,"score_rejected":1}' --by score
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":-1e999,"score_rejected":1}' --by score
