# The README's demo pipeline (make demo) runs on the shipped sample data:
# every step succeeds and accounts for every record.
sh "$srcdir/data/demo.sh" "$builddir" "$DATA" | sed 's/  */ /g'
zstd -dc demo-out/relabeled.jsonl.zst | wc -l
