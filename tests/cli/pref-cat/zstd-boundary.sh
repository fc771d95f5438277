# Compressed input whose decompressed data ends exactly where the reader's
# buffer (1 MiB, then doubled) fills is read whole (issue 8 item 1: it was
# "truncated zstd stream").  Each input is N bytes of 64-byte records, the
# last line shortened to fit (a line too short for a record is blank); the
# expected output is that file without its blank lines.
gen() {
	python3 -c '
import sys
n = int(sys.argv[1])
out = []
while n > 0:
    r = min(64, n)
    if 0 < n - r < 8:      # keep the last line long enough for a record
        r = n - 8
    out.append("{\"p\":\"" + "x" * (r - 9) + "\"}\n" if r >= 8
               else " " * (r - 1) + "\n")
    n -= r
sys.stdout.write("".join(out))' "$1"
}
check() {	# name file.zst|file.gz plain
	pref-cat --stats=st.json "$2" > out.jsonl
	rc=$?
	grep -v '^ *$' "$3" > want.jsonl
	cmp -s out.jsonl want.jsonl && same=same || same=differs
	echo "$1: exit $rc, $same, $(cat st.json)"
}
for n in 1048575 1048576 1048577 2097152 3145728; do
	gen $n > p$n
	zstd -q -c p$n > p$n.zst
	check "zstd $n" p$n.zst p$n
	zstd -q -c --no-check p$n > p$n.nc.zst
	check "zstd --no-check $n" p$n.nc.zst p$n
	gzip -c p$n > p$n.gz
	check "gzip $n" p$n.gz p$n
done
# newlines only: the example
head -c 1048576 /dev/zero | tr '\0' '\n' > nl
zstd -q -c nl > nl.zst
check "zstd 1 MiB of newlines" nl.zst nl
cat nl.zst | pref-cat --stats=st.json > out.jsonl
echo "the same from a pipe: exit $?, $(cat st.json)"
# several frames: a frame ending at the boundary followed by another, two
# frames that end together at the boundary, and a skippable frame after
# the boundary
gen 1000 > small
for k in 1048576 1048575 1048577; do
	cat p$k small > mf
	{ zstd -q -c p$k; zstd -q -c small; } > mf.zst
	check "zstd frames $k + 1000" mf.zst mf
	{ gzip -c p$k; gzip -c small; } > mf.gz
	check "gzip members $k + 1000" mf.gz mf
done
gen 524288 > half
cat half half > two
{ zstd -q -c half; zstd -q -c half; } > two.zst
check "zstd frames 524288 + 524288" two.zst two
{ zstd -q -c p1048576; printf '\120\052\115\030\004\000\000\000abcd'; } > skip.zst
check "zstd 1048576 + skippable frame" skip.zst p1048576
# and a stream really cut at the boundary is still an error
head -c $(($(wc -c < p2097152.zst) - 3)) p2097152.zst > cut.zst
pref-cat cut.zst > /dev/null
echo "cut: exit $?"
