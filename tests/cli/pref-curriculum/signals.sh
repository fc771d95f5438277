# SIGINT or SIGTERM while the input is being sorted: the runs spilled to
# --tmpdir never had a name (nothing there even while it runs), and the
# temporary -o file is removed by the signal: nothing is left behind.
in="$TESTDATA/relabel/train_clean.jsonl"
f="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
mkdir tmp
for sig in INT TERM; do
	rm -f fifo
	mkfifo fifo
	# (a background job of a script starts with SIGINT ignored, and a
	# command keeps it so: give it the default action back)
	env --default-signal=INT pref-curriculum $f --memory 16K --tmpdir tmp --stats=st -o out.jsonl <fifo &
	pid=$!
	exec 3>fifo
	cat "$in" >&3     # all but the pipe's last 64K has been read now
	echo "$sig: while running, in tmp: [$(ls -A tmp)], temporary -o: $(ls -A | grep -c '^\.out\.jsonl\.')"
	kill -$sig $pid
	wait $pid 2>/dev/null
	echo "$sig: exit $?"
	exec 3>&-
	ls -A tmp
	ls -A | grep out
	[ -e st ] && echo "stats written"
done
echo done
