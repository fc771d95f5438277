# A command killed by a signal other than SIGKILL leaves no temporary file:
# here SIGXFSZ, sent when the output passes the file size limit (issue 8
# item 8), on every command.
. "$CASEDIR/commands.inc"
big pair
big list
printf '%s\n' "$COMMANDS" | while IFS='|' read -r c opts in; do
	{ ( ulimit -f 1; exec $c $opts --on-error=skip -o out.jsonl big-$in.jsonl ); echo "$c: exit $?"; } 2>/dev/null
	ls -A | grep out || echo "  no output, no temporary file"
done
