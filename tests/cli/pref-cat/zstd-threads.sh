# A compressed file is decoded on a thread of its own (PREFKIT_THREADS,
# prefkit(7)); with PREFKIT_THREADS=1 in the reading thread.  Both ways
# give the same output, messages and exit status - for whole, truncated
# and corrupt zstd and gzip files, a bad record far into a file (the
# decoder is ahead when the command stops), --on-error=skip, and output
# cut short by a closed pipe - and never hang.
awk 'BEGIN { for (i = 0; i < 300000; i++)
	printf "{\"i\":%d,\"t\":\"%d-%d-%d\"}\n", i, i*7, i*13, i*i }' > big.jsonl
zstd -q -o big.zst big.jsonl
gzip -c big.jsonl > big.gz
size=$(wc -c < big.zst)
head -c $((size - 40)) big.zst > cut.zst
gsize=$(wc -c < big.gz)
head -c $((gsize / 2)) big.gz > cut.gz
# a byte of the compressed data flipped in the middle: corrupt
python3 -c '
import sys
b = bytearray(open("big.zst", "rb").read())
b[len(b) // 2] ^= 0xFF
open("bad.zst", "wb").write(b)'
# a bad record at line 200000 of 300000
awk 'NR == 200000 { print "{\"i\": oops}"; next } { print }' big.jsonl | zstd -q -o badrec.zst
run() {	# NAME THREADS ARGS...: output, messages and exit status into files
	name=$1 t=$2
	shift 2
	PREFKIT_THREADS=$t pref-cat "$@" > "$name.$t.out" 2> "$name.$t.err"
	echo "$?" > "$name.$t.rc"
}
for t in 1 2 4; do
	run whole "$t" big.zst
	run gzip "$t" big.gz
	run cut "$t" cut.zst
	run cutgz "$t" cut.gz
	run bad "$t" bad.zst
	run badrec "$t" badrec.zst
	run skip "$t" --on-error=skip badrec.zst --stats
	(PREFKIT_THREADS=$t pref-cat big.zst; echo "pipe exit $?" >&2) 2> "pipe.$t.err" | head -n 3 > "pipe.$t.out"
done
cmp -s whole.1.out big.jsonl && echo "whole: the file, decompressed"
# a truncated stream: the whole lines zstd(1) and gzip(1) decode from it
zstd -dc cut.zst 2>/dev/null | awk '/}$/' | cmp -s - cut.1.out && echo "cut: the lines zstd -dc decodes"
gzip -dc cut.gz 2>/dev/null | awk '/}$/' | cmp -s - cutgz.1.out && echo "cutgz: the lines gzip -dc decodes"
for n in whole gzip cut cutgz bad badrec skip pipe; do
	for t in 2 4; do
		for k in out err; do
			cmp -s "$n.1.$k" "$n.$t.$k" || echo "$n: PREFKIT_THREADS=$t $k differs"
		done
		[ "$n" = pipe ] || cmp -s "$n.1.rc" "$n.$t.rc" || echo "$n: PREFKIT_THREADS=$t exit status differs"
	done
	if [ "$n" = pipe ]; then
		echo "$n: $(cat "$n.1.err"), $(wc -l < "$n.1.out") lines"
	else
		echo "$n: exit $(cat "$n.1.rc"), $(wc -l < "$n.1.out") lines, $(sed 's/^/"/; s/$/"/' "$n.1.err")"
	fi
done
