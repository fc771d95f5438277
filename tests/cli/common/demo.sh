# The README's demo pipeline (make demo) runs on the shipped sample data:
# every step succeeds and accounts for every record.
sh "$srcdir/data/demo.sh" "$builddir" "$DATA"
# Relabeling: each scored pair of the sample became two, in order: the
# first keeps chosen over rejected with goal r_w, the second is swapped
# with goal r_l (checked in python against the input).
zstd -dc demo-out/relabeled.jsonl.zst >relabeled.jsonl
python3 - "$DATA/sample-pairs.jsonl" <<'PY'
import json, sys
src = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
out = [json.loads(l) for l in open("relabeled.jsonl", encoding="utf-8")]
ok = len(out) == 2 * len(src) and all(
    (a["chosen"], a["rejected"], a["goal_score"]) == (s["chosen"], s["rejected"], s["metadata"]["score_chosen"])
    and (b["chosen"], b["rejected"], b["goal_score"]) == (s["rejected"], s["chosen"], s["metadata"]["score_rejected"])
    for s, a, b in zip(src, out[0::2], out[1::2]))
print("relabeled:", len(out), "records, two per input pair, as described:", ok)
PY
# The curriculum holds the very pairs pref-expand made, by stage.
[ -f demo-out/oasst-curriculum.jsonl ] && python3 -c '
import json
strip = lambda r: json.dumps({k: v for k, v in r.items() if k not in ("gap", "stage")}, sort_keys=True)
cur = [json.loads(l) for l in open("demo-out/oasst-curriculum.jsonl")]
pairs = sorted(strip(json.loads(l)) for l in open("demo-out/oasst-pairs.jsonl"))
print("curriculum: same pairs", sorted(map(strip, cur)) == pairs, "by stage", [r["stage"] for r in cur] == sorted(r["stage"] for r in cur))'
