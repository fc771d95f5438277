# A closed output pipe ends every command quietly, and leaves no temporary
# file behind: the quarantine file's was left when SIGPIPE killed the
# command (issue 8 item 8).
. "$CASEDIR/commands.inc"
big pair
big list
printf '%s\n' "$COMMANDS" | while IFS='|' read -r c opts in; do
	{ $c $opts --on-error=quarantine=q.jsonl big-$in.jsonl 2>err; echo $? > status; } | head -n 1 > /dev/null
	echo "$c: exit $(cat status)"
	cat err
	ls -A | grep '^\.' || echo "  no temporary file"
	ls q.jsonl 2>/dev/null
done
echo done
