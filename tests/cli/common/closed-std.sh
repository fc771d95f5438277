# Closed standard descriptors (issue 8 item 4), on every command: a file
# the command opens never becomes descriptor 0, 1 or 2.  A closed standard
# input or output is an error (exit 2), as in cat, never an empty input or
# output lost in the temporary file; a closed standard error only silences
# the messages.
. "$CASEDIR/commands.inc"
printf '%s\n' "$COMMANDS" | while IFS='|' read -r c opts in; do
	$c $opts $in.jsonl > want.jsonl
	$c $opts $in-bad.jsonl --on-error=skip > want-good.jsonl 2>/dev/null

	$c $opts -o out.jsonl <&- 2>err
	echo "$c, standard input closed: exit $?: $(cat err)"
	ls -A | grep '^\.*out' || echo "  no output file"

	$c $opts --on-error=quarantine=q.jsonl $in-bad.jsonl >&- 2>err
	echo "$c, standard output closed: exit $?: $(grep -v ':2: ' err)"
	ls -A | grep '^\.*q' || echo "  no quarantine file"

	$c $opts -o out.jsonl $in.jsonl 2>&-
	echo "$c, standard error closed: exit $?"
	cmp out.jsonl want.jsonl && echo "  output as usual"

	$c $opts -o out.jsonl --on-error=quarantine=q.jsonl $in-bad.jsonl <&- >&- 2>&-
	echo "$c, all three closed, files named: exit $?"
	cmp out.jsonl want-good.jsonl && echo "  output as usual"
	[ "$(cat q.jsonl)" = '{"x":' ] && echo "  quarantine as usual"
	rm -f out.jsonl q.jsonl
done
pref-split --test=0.5 -o part <&- 2>err
echo "pref-split, standard input closed: exit $?: $(cat err)"
ls part* 2>/dev/null || echo "  no part file"
pref-split --test=0.5 -o part pair.jsonl >&- 2>&-
echo "pref-split, standard output and error closed: exit $?"
cat part.train.jsonl part.test.jsonl | cmp - pair.jsonl && echo "  parts as usual"
pref-curriculum --merge -o out.jsonl <&- 2>err
echo "pref-curriculum --merge, standard input closed: exit $?: $(cat err)"
ls -A | grep '^\.*out' || echo "  no output file"
