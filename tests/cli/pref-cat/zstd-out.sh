# -o NAME.zst compresses; -z compresses standard output; both decompress
# to the same records.
printf '{"a": 1}\n' > in.jsonl
pref-cat -o out.jsonl.zst in.jsonl
zstd -dc out.jsonl.zst
pref-cat -z in.jsonl | zstd -dc
pref-cat --zstd=19 in.jsonl | zstd -dc
pref-cat -o plain.jsonl in.jsonl
cat plain.jsonl
