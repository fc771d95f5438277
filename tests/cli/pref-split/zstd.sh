# -z compresses every part and names it .jsonl.zst; the input may be
# compressed too; records are written compact, as pref-cat writes them,
# each in the shard the rule of pref-split(1) gives (golden-oracle).
printf '{"prompt" : "a", "x": [1, 2]}\n{"prompt":"b"}\n{"prompt":"c"}\n' | zstd -q >in.jsonl.zst
pref-split --shards 2 -z -o s in.jsonl.zst
ls
for k in 0 1; do
	echo "shard $k:"
	zstd -dc s-0000$k-of-00002.jsonl.zst
done
zstd -t -q s-00000-of-00002.jsonl.zst && echo checksummed
pref-split --test 1 --zstd=19 -o t in.jsonl.zst
zstd -dc t.test.jsonl.zst
echo "train:"
zstd -dc t.train.jsonl.zst
