# Each bad record stops the run (--on-error=abort) with FILE:LINE: message
# and exit status 1.
bad() {
	printf '%s\n' '{"prompt":"ok","chosen":"A","rejected":"B","score_chosen":9,"score_rejected":2}' "$1" >in.jsonl
	shift
	pref-relabel --template 'Goal {score}.' "$@" in.jsonl >out.jsonl
	echo "exit $? lines $(wc -l <out.jsonl | tr -d ' ')"
}
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":5}'
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":"5","score_rejected":4}'
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":true,"score_rejected":4}'
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":null,"score_rejected":4}'
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":1e400,"score_rejected":4}'
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":11,"score_rejected":4}'
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":5,"score_rejected":0.5}'
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":9.5,"score_rejected":4}' --scale 1:9
bad '{"prompt":null,"chosen":"A","rejected":"B","score_chosen":5,"score_rejected":4}'
bad '{"prompt":[1,2],"chosen":"A","rejected":"B","score_chosen":5,"score_rejected":4}'
bad '{"prompt":"p","rejected":"B","score_chosen":5,"score_rejected":4}'
bad '{"prompt":"p","chosen":"A","rejected":7,"score_chosen":5,"score_rejected":4}'
bad '{"chosen":"A","rejected":"B","score_chosen":5,"score_rejected":4}'
bad '{"prompt":[{"role":"system","content":"S"}],"chosen":"A","rejected":"B","score_chosen":5,"score_rejected":4}' --placement prefix
bad '{"prompt":[{"role":"system","content":["S"]},{"role":"user","content":"u"}],"chosen":"A","rejected":"B","score_chosen":5,"score_rejected":4}'
bad '{"chosen":[{"role":"assistant","content":"A"}],"rejected":[{"role":"assistant","content":"B"}],"score_chosen":5,"score_rejected":4}' --placement prefix
bad '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":5,"score_rejected":4,"score_chosen":6}'
bad '[1]'
bad '{"chosen":[1],"rejected":[{"role":"user","content":"q"}],"score_chosen":5,"score_rejected":4}'
bad '{"chosen":[],"rejected":[],"score_chosen":5,"score_rejected":4}'
