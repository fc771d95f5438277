# Real data: 20 near-duplicate pairs built from the UltraFeedback sample
# (rejected = chosen with its middle word replaced by "zebra") added to
# its 1000 pairs.  By edit similarity they are the most similar pairs
# after the 4 pairs of the sample whose responses are identical: dropping
# the top 24 of 1020 drops exactly those.  By ln-ches they are in the top
# 8% but not at the top: CHES is not a symmetric similarity, and pairs
# whose rejected response concentrates on the chosen one's frequent
# tokens score higher (positive ln_ches).  The dropped sets are checked
# against the Python oracle's ranking (ches_oracle.py).
python3 - "$TESTDATA/relabel/train_clean.jsonl" <<'END'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
near = []
for r in rows:
    w = r["chosen"].split(" ")
    if len(w) >= 30 and len(near) < 20:
        w[len(w) // 2] = "zebra"
        near.append({"prompt": r["prompt"], "chosen": r["chosen"],
                     "rejected": " ".join(w), "near": 1})
with open("nd.jsonl", "w", encoding="utf-8") as f:
    for x in rows + near:
        f.write(json.dumps(x) + "\n")
END
pref-ches --stats --metric edit --drop-top 0.0236 nd.jsonl >edit.jsonl
pref-ches --stats --drop-top 0.08 --on-error=skip nd.jsonl >ln.jsonl 2>ln.err
grep -v 'no tokens' ln.err
python3 - <<END
import json, sys
sys.path.insert(0, "$CASEDIR")
import ches_oracle
rows = [json.loads(l) for l in open("nd.jsonl", encoding="utf-8")]
sc = [ches_oracle.scores(r["chosen"], r["rejected"]) for r in rows]
ANN = ("ches", "ln_ches", "edit_sim", "ches_source")
def dropped(name, key, n):
    kept = {}
    for l in open(name, encoding="utf-8"):
        o = json.loads(l)
        kept[json.dumps({k: v for k, v in o.items() if k not in ANN}, sort_keys=True)] = o
    out = []
    for i, r in enumerate(rows):
        if key(sc[i]) is None:
            continue
        o = kept.get(json.dumps(r, sort_keys=True))
        if o is None:
            out.append(i)
        elif (o["ches"], o.get("ln_ches"), o.get("edit_sim", sc[i][2])) != sc[i]:
            print(name, "scores differ from the oracle at", i + 1)
    # the oracle's own choice: the n highest, ties dropping the later pair
    good = [i for i in range(len(rows)) if key(sc[i]) is not None]
    want = sorted(sorted(good, key=lambda i: (-key(sc[i]), -i))[:n])
    print(name, "dropped", len(out), "as the oracle" if out == want else "NOT as the oracle")
    return out
d = dropped("edit.jsonl", lambda s: s[2], 24)
ident = [i for i, r in enumerate(rows) if r["chosen"] == r["rejected"]]
print("edit: dropped = identical", len(ident), "+ near-duplicates",
      sum(1 for i in d if rows[i].get("near")), ":", sorted(ident + [i for i in d if rows[i].get("near")]) == d)
d = dropped("ln.jsonl", lambda s: s[1], 81)
print("ln-ches: near-duplicates dropped", sum(1 for i in d if rows[i].get("near")), "of 20")
END
