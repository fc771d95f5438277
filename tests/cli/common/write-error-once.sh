# A failed write to standard output (a full disk) is said once, exit 2, on
# every command (issue 8 item 8: it was printed twice); --help and
# --version check their writes too.
. "$CASEDIR/commands.inc"
big pair
big list
printf '%s\n' "$COMMANDS" | while IFS='|' read -r c opts in; do
	$c $opts --on-error=skip big-$in.jsonl > /dev/full 2>err
	echo "$c: exit $?"
	cat err
	$c --help > /dev/full 2>err
	echo "$c --help: exit $?: $(cat err)"
	$c --version > /dev/full 2>err
	echo "$c --version: exit $?: $(cat err)"
done
