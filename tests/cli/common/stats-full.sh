# A stats file that cannot be written (a full disk, a file size limit) is
# an error, exit 2, and leaves no empty or partial file: an existing one
# stays as it was (issue 8 item 8).  On every command.
. "$CASEDIR/commands.inc"
printf '%s\n' "$COMMANDS" | while IFS='|' read -r c opts in; do
	$c $opts --stats=/dev/full $in.jsonl > out.jsonl 2>err
	echo "$c, --stats=/dev/full: exit $?: $(cat err)"
	echo old > st.json
	# (standard error through a pipe, which the limit does not bind)
	( ulimit -f 0; trap '' XFSZ; $c $opts --stats=st.json $in.jsonl > /dev/null; echo "exit $?" ) 2>&1 | cat > err
	echo "$c, file size limit: $(cat err)"
	[ "$(cat st.json)" = old ] && echo "  stats file unchanged"
	ls -A | grep '^\.'
done
echo done
