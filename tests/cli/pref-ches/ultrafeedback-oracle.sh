# Real data: the 1000 UltraFeedback pairs of the tests annotated lexically
# (default ln-ches, and --metric edit), every score compared with the
# Python standard-library oracle (ches_oracle.py: Python's re tokens,
# counts by token text, exact fractions); every input member must come
# out unchanged and in order.  Pair 479 has an empty rejected response:
# a bad record for ln-ches (skipped), fine for edit (no ln_ches); so has
# the chosen response of pair 834.
cp "$TESTDATA/relabel/train_clean.jsonl" uf.jsonl
pref-ches --on-error=skip --stats=ln.stats uf.jsonl >ln.jsonl 2>ln.err || echo "pref-ches failed"
cat ln.err ln.stats
pref-ches --metric edit uf.jsonl >edit.jsonl || echo "pref-ches --metric edit failed"
python3 - uf.jsonl <<END
import json, sys
sys.path.insert(0, "$CASEDIR")
import ches_oracle
ins = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
for name, want_edit in (("ln.jsonl", False), ("edit.jsonl", True)):
    outs = iter(json.loads(l) for l in open(name, encoding="utf-8"))
    bad = n = 0
    for i, r in enumerate(ins):
        ches, ln, ed = ches_oracle.scores(r["chosen"], r["rejected"])
        if ln is None and not want_edit:
            print(name, "pair", i + 1, "has an empty response: skipped")
            continue
        o = next(outs)
        n += 1
        extra = ["ches"] + (["ln_ches"] if ln is not None else []) + \
            (["edit_sim"] if want_edit else []) + ["ches_source"]
        ok = (list(o)[:len(r)] == list(r) and all(o[k] == r[k] for k in r)
              and list(o)[len(r):] == extra and o["ches"] == ches
              and type(o["ches"]) is int and o.get("ln_ches") == ln
              and o["ches_source"] == "lexical"
              and (not want_edit or o["edit_sim"] == ed))
        if not ok:
            bad += 1
            if bad <= 3:
                print("differ at", i + 1, o.get("ches"), ches, o.get("ln_ches"), ln)
    assert next(outs, None) is None
    print(name, "pairs", n, "differ", bad)
END
