# --merge of shard outputs equals the single run: shards made by taking
# every third list (as pref-split --shards takes them by hash, anything
# but contiguous), each ordered alone, some with a small --memory, then
# merged in any order.  With --within gap, ties between shards go in the
# order of the files: contiguous shards (split, GNU parallel --pipe) in
# their order give the single run too.  A file ordered with another seed,
# or not written by pref-curriculum, is an error (exit 1) and -o is not
# written.
pref-convert --from oasst --to lists "$TESTDATA/expand/oasst_en_100_tree.jsonl" >lists.jsonl
pref-curriculum --seed 3 lists.jsonl >single.jsonl
for k in 0 1 2; do
	awk -v k=$k 'NR % 3 == k' lists.jsonl | pref-curriculum --seed 3 --memory 20K >shard$k.jsonl
done
pref-curriculum --merge --seed 3 shard2.jsonl shard0.jsonl shard1.jsonl --stats=st >merged.jsonl
cmp single.jsonl merged.jsonl && echo "shuffled: merged = single ($(wc -l <merged.jsonl) pairs)"
cat st
zstd -q shard1.jsonl
cat shard2.jsonl | pref-curriculum --merge --seed 3 --memory 8K shard0.jsonl - shard1.jsonl.zst >merged2.jsonl
cmp single.jsonl merged2.jsonl && echo "stdin and zstd among the inputs: merged = single"

pref-curriculum --within gap lists.jsonl >single-gap.jsonl
split -l 70 lists.jsonl part.
for p in part.*; do pref-curriculum --within gap "$p" >"$p.out"; done
pref-curriculum --merge --within gap part.*.out >merged-gap.jsonl
cmp single-gap.jsonl merged-gap.jsonl && echo "by gap, contiguous shards: merged = single"

pref-curriculum --merge --seed 4 -o bad.jsonl shard0.jsonl shard1.jsonl.zst
echo "exit $?"
[ -e bad.jsonl ] && echo "bad.jsonl written"
echo '{"prompt":"p","chosen":"a","rejected":"b"}' >plain.jsonl
pref-curriculum --merge shard0.jsonl plain.jsonl >/dev/null
echo "exit $?"
