# The 100 OpenAssistant trees: one list per ranked sibling group, and per
# strategy exactly the pairs that counting the groups independently
# (python3: not deleted, not review-rejected, assistant, rank not null)
# gives: all = sum of untied pairs, best-vs-rest and adjacent = sum(n - 1),
# best-vs-worst = one per group.
f=$TESTDATA/expand/oasst_en_100_tree.jsonl
pref-convert --from oasst --stats=stats.json "$f" | wc -l
cat stats.json
for s in all adjacent best-vs-rest best-vs-worst; do
	printf '%s ' "$s"
	pref-convert --from oasst --to pairs --pairs "$s" "$f" | wc -l
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
print("groups", len(groups))
print("all", sum(1 for g in groups for a, b in itertools.combinations(g, 2) if a != b))
print("adjacent", sum(len(set(g)) - 1 for g in groups))
print("best-vs-rest", sum(len(g) - g.count(min(g)) for g in groups))
print("best-vs-worst", sum(g.count(min(g)) * g.count(max(g)) for g in groups if min(g) != max(g)))
PY
