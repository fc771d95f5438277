# A command started with SIGINT ignored (a background job of a script,
# nohup) keeps ignoring it, on every command (issue 8 item 8); SIGTERM
# still ends it, removing its temporary files.
. "$CASEDIR/commands.inc"
mkfifo fifo
printf '%s\n' "$COMMANDS" | while IFS='|' read -r c opts in; do
	$c $opts $in.jsonl > want.jsonl
	(trap '' INT; exec $c $opts -o out.jsonl fifo) &
	pid=$!
	# the open returns once the command opened its input: by then it
	# has set up its signals
	exec 3> fifo
	kill -INT $pid
	cat $in.jsonl >&3
	exec 3>&-
	wait $pid
	echo "$c, SIGINT ignored: exit $?"
	cmp out.jsonl want.jsonl && echo "  output written"
	rm -f out.jsonl

	# (the shell's own note on the killed job is not what is tested)
	{
		$c $opts -o out.jsonl fifo &
		pid=$!
		exec 3> fifo
		cat $in.jsonl >&3
		kill -TERM $pid
		wait $pid
		echo "$c, SIGTERM: exit $?"
		exec 3>&-
	} 2>/dev/null
	ls -A | grep out || echo "  no output, no temporary file"
done
