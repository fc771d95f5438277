# The 100 OpenAssistant trees: one list per ranked sibling group, and per
# strategy exactly the pairs that counting the groups independently
# (python3: not deleted, not review-rejected, assistant, rank not null)
# gives: all = sum of untied pairs, best-vs-rest and adjacent = sum(n - 1),
# best-vs-worst = one per group.
f=$TESTDATA/expand/oasst_en_100_tree.jsonl
pref-convert --from oasst --stats=stats.json "$f" >lists.jsonl
cat stats.json
for s in all adjacent best-vs-rest best-vs-worst; do
	pref-convert --from oasst --to pairs --pairs "$s" "$f" >"$s.jsonl"
done
python3 - "$f" <<'PY'
import itertools, json, sys
groups = []
def walk(m):
    live = [r for r in m.get("replies") or []
            if not r.get("deleted") and r.get("review_result") is not False]
    ranks = [r["rank"] for r in live if r["role"] == "assistant" and r.get("rank") is not None]
    if len(ranks) >= 2:
        groups.append(ranks)
    for r in live:
        walk(r)
for line in open(sys.argv[1], encoding="utf-8"):
    walk(json.loads(line)["prompt"])
want = {
    "all": sum(1 for g in groups for a, b in itertools.combinations(g, 2) if a != b),
    "adjacent": sum(len(set(g)) - 1 for g in groups),
    "best-vs-rest": sum(len(g) - g.count(min(g)) for g in groups),
    "best-vs-worst": sum(g.count(min(g)) * g.count(max(g)) for g in groups if min(g) != max(g)),
}
rd = lambda f: [json.loads(l) for l in open(f, encoding="utf-8")]
lists = rd("lists.jsonl")
print("groups", len(groups), "lists written", len(lists),
      "their ranks:", sorted(sorted(r["rank"] for r in l["responses"]) for l in lists) == sorted(map(sorted, groups)))
for s, n in want.items():
    ps = rd(s + ".jsonl")
    print(s, n, "written:", len(ps) == n, "chosen ranked above rejected:",
          all(p["rank_chosen"] < p["rank_rejected"] for p in ps))
PY
