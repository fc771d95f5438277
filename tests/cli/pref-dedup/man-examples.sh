# Every command of the EXAMPLES section of man/pref-dedup.1, verbatim,
# on the shipped sample pairs with repeats added, and on the input shown
# in the page.
ln -s "$DATA" data
cat data/sample-pairs.jsonl data/sample-pairs.jsonl >pairs.jsonl
head -n 5 data/sample-pairs.jsonl >>pairs.jsonl
pref-dedup pairs.jsonl >unique.jsonl
pref-cat data/sample-pairs.jsonl | cmp - unique.jsonl && echo "unique.jsonl = the sample, $(wc -l <unique.jsonl) records"
pref-split --shards 4 -o shard pairs.jsonl
parallel pref-dedup -o {.}.dedup.jsonl {} ::: shard-0000?-of-00004.jsonl
cat shard-*.dedup.jsonl | sort >union
sort unique.jsonl | cmp - union && echo "the union of the shards' outputs = one run's output"
zstd -q pairs.jsonl -o big.jsonl.zst
mkdir -p /tmp/scratch-$$ && ln -s /tmp/scratch-$$ scratch
sed 's|/scratch|scratch|' <<'END' >cmd.sh
pref-dedup --memory 2G --tmpdir /scratch -z -o unique.jsonl.zst big.jsonl.zst
END
sh cmd.sh && zstd -dc unique.jsonl.zst | cmp - unique.jsonl && echo "unique.jsonl.zst: the same records"
rmdir /tmp/scratch-$$
cat >pairs.jsonl <<'END'
{"prompt":"Hello  World","chosen":"a","rejected":"b"}
{"prompt":"hello world","chosen":"c","rejected":"d"}
{"prompt":"Other","chosen":"a","rejected":"b"}
END
pref-dedup --key prompt --normalize space,case --stats -o one-per-prompt.jsonl pairs.jsonl
cat one-per-prompt.jsonl
