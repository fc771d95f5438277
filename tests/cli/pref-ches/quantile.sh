# --keep-bottom / --drop-top: floor(F*n) pairs kept / dropped, ties at the
# cut to the earlier pair (kept first, dropped last), output in input
# order; files (plain, zstd, given twice) and standard input (spooled)
# give the same output.  ches = v for S+ = [1], S- = [v + 1]; the values
# of ids 1..10: 5 1 3 3 3 0 7 3 2 9 (sorted: 0:6 1:2 2:9 3:3 3:4 3:5 3:8
# 5:1 7:7 9:10).
for v in 5 1 3 3 3 0 7 3 2 9; do
	i=$((i + 1))
	echo "{\"id\":$i,\"chosen\":\"c\",\"rejected\":\"r\",\"emb_chosen\":[1],\"emb_rejected\":[$((v + 1))]}"
done >ten.jsonl
q() { pref-ches --embeddings inline --metric ches "$@"; }
echo "keep-bottom 0.5: ids 6 2 9 3 4, in input order"
q --keep-bottom 0.5 ten.jsonl
echo "keep-bottom 0.65 (6 of 10): the tie at 3 keeps ids 3 4 5, drops 8"
q --keep-bottom 0.65 ten.jsonl
echo "drop-top 0.3: drops ids 10 7 1"
q --stats --drop-top 0.3 ten.jsonl
echo "keep-bottom 0, drop-top 1: nothing"
q --keep-bottom 0 ten.jsonl
q --stats --drop-top 1 ten.jsonl
echo "stdin, zstd file, tiny memory, a file twice: the same as the file"
for a in "--keep-bottom 0.65" "--drop-top 0.3" "--keep-bottom 1"; do
	q $a ten.jsonl >file.out
	q $a <ten.jsonl >stdin.out
	cmp file.out stdin.out || echo "stdin differs: $a"
	q $a --memory 1K <ten.jsonl >tiny.out
	cmp file.out tiny.out || echo "tiny memory differs: $a"
	if command -v zstd >/dev/null; then
		zstd -q -f ten.jsonl -o ten.jsonl.zst
		q $a ten.jsonl.zst >zst.out
		cmp file.out zst.out || echo "zstd differs: $a"
	fi
	cat ten.jsonl ten.jsonl >twice.jsonl
	q $a ten.jsonl ten.jsonl >twice.out
	q $a - <twice.jsonl >twice-stdin.out
	cmp twice.out twice-stdin.out || echo "twice differs: $a"
done
echo "floor(0.29 * 100) = 29 exactly (0.29 * 100.0 is 28.999999999999996)"
i=0
while [ $i -lt 100 ]; do
	i=$((i + 1))
	echo "{\"id\":$i,\"chosen\":\"c\",\"rejected\":\"r\",\"emb_chosen\":[1],\"emb_rejected\":[$(( (i * 37) % 101 ))]}"
done >hundred.jsonl
q --keep-bottom 0.29 --stats=k.stats hundred.jsonl >/dev/null
cat k.stats
q --drop-top 0.29 --stats=d.stats <hundred.jsonl >/dev/null
cat d.stats
