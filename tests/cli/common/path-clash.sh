# A quarantine or stats file that is also the output, an input (standard
# input included) or each other is a usage error (exit 2) on every command,
# before anything is written: one would have overwritten the other (issue
# 8 item 5).  Names are compared as files (./x, links), and devices such
# as /dev/null are never a clash.  The output may still be an input.
. "$CASEDIR/commands.inc"
try() {	# what, command...
	what=$1
	shift
	"$@" > stdout 2> err
	echo "$c, $what: exit $?: $(head -n 1 err)"
	[ -s stdout ] && echo "  wrote to standard output"
}
printf '%s\n' "$COMMANDS" | while IFS='|' read -r c opts in; do
	cp $in.jsonl input.jsonl
	echo old > out.jsonl
	try "quarantine = -o" $c $opts -o out.jsonl --on-error=quarantine=out.jsonl input.jsonl
	try "quarantine = ./-o" $c $opts -o out.jsonl --on-error=quarantine=./out.jsonl input.jsonl
	ln -s out.jsonl link.jsonl
	try "quarantine = a link to -o" $c $opts -o link.jsonl --on-error=quarantine=out.jsonl input.jsonl
	ln out.jsonl hard.jsonl
	try "stats = a hard link to -o" $c $opts -o out.jsonl --stats=hard.jsonl input.jsonl
	try "quarantine = -o, neither exists" $c $opts -o new.jsonl --on-error=quarantine=../$(basename "$PWD")/new.jsonl input.jsonl
	try "stats = -o" $c $opts -o out.jsonl --stats=out.jsonl input.jsonl
	try "quarantine = input" $c $opts --on-error=quarantine=input.jsonl input.jsonl
	try "stats = input" $c $opts --stats=input.jsonl input.jsonl
	try "quarantine = standard input" $c $opts --on-error=quarantine=input.jsonl < input.jsonl
	try "stats = quarantine" $c $opts --stats=q.jsonl --on-error=quarantine=q.jsonl input.jsonl
	cmp -s input.jsonl $in.jsonl && [ "$(cat out.jsonl)" = old ] &&
		[ ! -e new.jsonl ] && [ ! -e q.jsonl ] && echo "  nothing written"
	rm -f link.jsonl hard.jsonl
	try "all on /dev/null" $c $opts -o /dev/null --stats=/dev/null --on-error=quarantine=/dev/null input.jsonl
	try "-o = input" $c $opts -o input.jsonl input.jsonl
	$c $opts $in.jsonl | cmp -s - input.jsonl && echo "  input replaced by the output"
done
c=pref-split
try "quarantine = a part" pref-split --test=0.5 -o part --on-error=quarantine=part.test.jsonl pair.jsonl
try "stats = a part" pref-split --shards=2 -o part --stats=part-00001-of-00002.jsonl pair.jsonl
ls part* 2>/dev/null || echo "  no part written"
c=pref-curriculum
try "quarantine = a stage" pref-curriculum --split-stages=st --on-error=quarantine=st.stage1.jsonl pair.jsonl
ls st.* 2>/dev/null || echo "  no stage written"
