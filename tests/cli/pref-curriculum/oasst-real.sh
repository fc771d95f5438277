# The 100 OpenAssistant trees (tests/data/expand/oasst_en_100_tree.jsonl),
# --from oasst, best-vs-rest and --pairs all: every pair's stage and the
# count of each stage are those of an independent walk of the trees in
# Python (ranked sibling groups of >= 2 live assistant replies; standings
# = distinct ranks; a pair of standings a < b of G is stage G - (b - a)).
in="$TESTDATA/expand/oasst_en_100_tree.jsonl"
pref-curriculum --from oasst "$in" >bvr.jsonl || echo "exit $?"
pref-curriculum --from oasst --pairs all --seed 5 "$in" >all.jsonl || echo "exit $?"
python3 - "$in" <<'PY'
import json, sys
from collections import Counter

def kept(m):
    return not (m.get("deleted") or m.get("review_result") is False)

groups = []
def walk(m):
    live = [r for r in m.get("replies", []) if kept(r)]
    ranked = [(r["rank"], r["message_id"]) for r in live
              if r["role"] == "assistant" and r.get("rank") is not None]
    if len(ranked) >= 2:
        groups.append(ranked)
    for r in live:
        walk(r)
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line)
    if kept(t["prompt"]):
        walk(t["prompt"])

def expected(strategy):
    want = {}
    for ranked in groups:
        ranks = sorted({r for r, _ in ranked})
        G = len(ranks)
        level = {r: k for k, r in enumerate(ranks)}
        for rc, mc in ranked:
            for rr, mr in ranked:
                a, b = level[rc], level[rr]
                if a < b and (strategy == "all" or a == 0):
                    want[(mc, mr)] = (G - (b - a), rr - rc)
    return want

for name, strategy in (("bvr.jsonl", "best-vs-rest"), ("all.jsonl", "all")):
    want = expected(strategy)
    pairs = [json.loads(l) for l in open(name, encoding="utf-8")]
    got = {(p["chosen_message_id"], p["rejected_message_id"]): (p["stage"], p["gap"]) for p in pairs}
    stages = [p["stage"] for p in pairs]
    print(strategy, "pairs", len(pairs), "stage counts",
          sorted(Counter(s for s, _ in want.values()).items()))
    print("  same pairs, stages and gaps as the walk:", got == want and len(got) == len(pairs))
    print("  ordered by stage:", stages == sorted(stages))
PY
