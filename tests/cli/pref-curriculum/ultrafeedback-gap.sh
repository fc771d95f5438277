# The UltraFeedback sample (tests/data/relabel/train_clean.jsonl: 1000
# pairs, GPT-4 scores in metadata, 111 ties), --stage-by gap: the stage of
# every pair and the count of each stage are those a Python count gives
# (pairs with gap > 0 sorted by gap descending, cut into K stages of
# n // K, the first n % K one more; a group of equal gaps takes the stage
# of its first pair; gap <= 0 dropped, or with --keep-ties in stage K).
# --within gap: also the order (gap descending, then input order).
in="$TESTDATA/relabel/train_clean.jsonl"
f="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
pref-curriculum $f --stats=s3.json "$in" >k3.jsonl || echo "exit $?"
pref-curriculum $f --stages 5 --within gap "$in" >k5.jsonl || echo "exit $?"
pref-curriculum $f --stages 4 --keep-ties --seed 9 "$in" >k4.jsonl || echo "exit $?"
pref-curriculum $f --stage-by gap --stages 7 --within gap --keep-ties "$in" >k7.jsonl || echo "exit $?"
python3 - "$in" <<'PY'
import json, sys
src = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
def key(r):
    r = {k: v for k, v in r.items() if k not in ("gap", "stage")}
    return json.dumps(r, sort_keys=True)
index = {key(r): i for i, r in enumerate(src)}
gaps = [r["metadata"]["score_chosen"] - r["metadata"]["score_rejected"] for r in src]

def oracle(K, keep):
    pos = sorted((g for g in gaps if g > 0), reverse=True)
    n = len(pos)
    cuts, total = [], 0
    for k in range(K - 1):
        total += n // K + (1 if k < n % K else 0)
        cuts.append(total)
    def stage(g):
        if g <= 0:
            return K
        first = sum(1 for x in pos if x > g)   # where its tie group starts
        return 1 + sum(1 for c in cuts if c <= first)
    return {i: stage(g) for i, g in enumerate(gaps) if g > 0 or keep}

for name, K, keep, by_gap in (("k3", 3, False, False), ("k5", 5, False, True),
                              ("k4", 4, True, False), ("k7", 7, True, True)):
    want = oracle(K, keep)
    out = [json.loads(l) for l in open(name + ".jsonl", encoding="utf-8")]
    got = {index[key(r)]: r["stage"] for r in out}
    gap_ok = all(r["gap"] == gaps[index[key(r)]] for r in out)
    counts = [sum(1 for s in want.values() if s == k) for k in range(1, K + 1)]
    order = [(r["stage"], -r["gap"], index[key(r)]) for r in out] if by_gap \
        else [r["stage"] for r in out]
    print(name, "pairs", len(out), "stage counts", counts,
          "stages as the count:", got == want and len(out) == len(want),
          "gaps:", gap_ok, "order:", order == sorted(order))
PY
cat s3.json
