# Files named by -o, --on-error=quarantine= and --stats= (issue 8 item 8),
# on every command: a symbolic link is written through (the link stays, its
# target gets the data, a dangling link makes its target); a file that is
# replaced keeps its permissions; a new file has 0666 minus the umask.
. "$CASEDIR/commands.inc"
umask 022
printf '%s\n' "$COMMANDS" | while IFS='|' read -r c opts in; do
	$c $opts --on-error=skip $in-bad.jsonl > want.jsonl 2>/dev/null
	mkdir d
	for f in out q st; do
		echo old > d/$f.target
		ln -s d/$f.target $f.link
	done
	ln -s d/none.target dangling
	$c $opts -o out.link --on-error=quarantine=q.link --stats=st.link $in-bad.jsonl 2>/dev/null
	echo "$c through links: exit $?"
	for f in out q st dangling; do
		[ -L $f.link ] || [ -L $f ] || echo "  $f: the link was replaced"
	done
	cmp d/out.target want.jsonl && echo "  output in the target"
	[ "$(cat d/q.target)" = '{"x":' ] && echo "  quarantine in the target"
	grep -q '"read":2,' d/st.target && echo "  stats in the target"
	$c $opts -o dangling $in.jsonl
	[ -L dangling ] && cmp -s d/none.target want.jsonl && echo "  a dangling link made its target"
	find . -name '.?*'
	rm -rf d out.link q.link st.link dangling

	for f in out q st; do
		echo old > $f.jsonl
		chmod 600 $f.jsonl
	done
	chmod 640 st.jsonl
	$c $opts -o out.jsonl --on-error=quarantine=q.jsonl --stats=st.json $in-bad.jsonl 2>/dev/null
	$c $opts -o out.jsonl --on-error=quarantine=q.jsonl --stats=st.jsonl $in-bad.jsonl 2>/dev/null
	echo "$c over existing files: exit $?"
	ls -l out.jsonl q.jsonl st.jsonl st.json | awk '{ print "  " $1, $NF }'
	rm -f out.jsonl q.jsonl st.jsonl st.json
done
