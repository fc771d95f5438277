# A mapped input cut short while it is read (truncated by another program)
# is a read error, "prog: FILE: read error: ...", exit 2, and the output
# of -o is not left behind, at -j 1 and -j 2 (prefkit(7) PREFKIT_MMAP).  Made
# deterministic with the quarantine file as a FIFO: the first line is a
# bad one of 1 MiB, so that pref-cat has mapped the input and waits,
# writing it, while this script truncates the input from 33 MiB to 8 MiB;
# its position is then 2 MiB at most (the line, and one step of the
# reader), far before the cut.  The bad line has 11 + 1048576 + 14 =
# 1048601 bytes: its end is at column 1048602.
{
	printf '{"prompt":"%s","chosen":"a"\n' "$(head -c 1048576 /dev/zero | tr '\0' x)"
	yes '{"prompt":"p","chosen":"a","rejected":"b"}' | head -c 33554432
} >big.jsonl
mkfifo q.fifo
for j in 1 2; do
	cp big.jsonl in.jsonl
	{ PREFKIT_MMAP=1 pref-cat -j $j --on-error=quarantine=q.fifo -o out.jsonl in.jsonl 2>err; echo "$?" >status; } &
	exec 3<q.fifo
	head -c 1 <&3 >/dev/null
	truncate -s 8M in.jsonl
	cat <&3 >/dev/null
	exec 3<&-
	wait
	echo "-j $j: exit $(cat status)"
	cat err
	ls -A
done
