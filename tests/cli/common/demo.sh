# The README's demo pipeline (make demo) runs on the shipped sample data:
# every step succeeds and accounts for every record.
sh "$srcdir/data/demo.sh" "$builddir" "$DATA" | sed 's/  */ /g'
zstd -dc demo-out/relabeled.jsonl.zst | wc -l
# The curriculum holds the very pairs pref-expand made, by stage.
[ -f demo-out/oasst-curriculum.jsonl ] && python3 -c '
import json
strip = lambda r: json.dumps({k: v for k, v in r.items() if k not in ("gap", "stage")}, sort_keys=True)
cur = [json.loads(l) for l in open("demo-out/oasst-curriculum.jsonl")]
pairs = sorted(strip(json.loads(l)) for l in open("demo-out/oasst-pairs.jsonl"))
print("curriculum: same pairs", sorted(map(strip, cur)) == pairs, "by stage", [r["stage"] for r in cur] == sorted(r["stage"] for r in cur))'
