# A truncated zstd stream is an I/O error (exit 2), never a short read.
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "{\"i\":%d,\"t\":\"%d-%d\"}\n", i, i*7, i*13 }' | zstd -q > full.zst
size=$(wc -c < full.zst)
head -c $((size - 40)) full.zst > cut.zst
pref-cat cut.zst > out.jsonl
echo "exit $?"
