# The 100 OpenAssistant trees (tests/data/expand/oasst_en_100_tree.jsonl):
# the pairs of every strategy are exactly those that counting the ranked
# sibling groups in Python gives (an independent walk of the trees), each
# pair's replies are siblings under parent_id, the prompt ends with the
# parent's text as a user turn, and chosen has the better rank.
in="$TESTDATA/expand/oasst_en_100_tree.jsonl"
for s in all adjacent best-vs-rest rest-vs-worst best-vs-worst skip=2; do
	pref-expand --from oasst --pairs "$s" "$in" >"$s.jsonl" || echo "$s: exit $?"
done
pref-expand --from oasst --no-synthetic --pairs all "$in" >nosyn.jsonl
python3 - "$in" <<'PY'
import json, sys

msgs = {}      # message_id -> message
parent = {}    # message_id -> parent message_id

def kept(m, no_syn):
    return not (m.get("deleted") or m.get("review_result") is False
                or (no_syn and m.get("synthetic")))

def groups_of(no_syn):
    """[(parent_id, [(rank, message_id)...])] in depth-first order."""
    out = []
    def walk(m):
        msgs[m["message_id"]] = m
        live = [r for r in m.get("replies", []) if kept(r, no_syn)]
        for r in live:
            parent[r["message_id"]] = m["message_id"]
        ranked = [(r["rank"], r["message_id"]) for r in live
                  if r["role"] == "assistant" and r.get("rank") is not None]
        if len(ranked) >= 2:
            out.append((m["message_id"], ranked))
        for r in live:
            walk(r)
    for line in open(sys.argv[1], encoding="utf-8"):
        t = json.loads(line)
        if kept(t["prompt"], no_syn):
            walk(t["prompt"])
    return out

def expected(groups, strategy):
    pairs = []
    for pid, ranked in groups:
        ranks = sorted({r for r, _ in ranked})
        level = {r: k for k, r in enumerate(ranks)}
        order = sorted(ranked, key=lambda x: x[0])   # stable: input order on ties
        last = len(ranks) - 1
        for i, (ri, mi) in enumerate(order):
            for rj, mj in order[i + 1:]:
                a, b = level[ri], level[rj]
                if a == b:
                    continue
                ok = {"all": True, "adjacent": b == a + 1,
                      "best-vs-rest": a == 0, "rest-vs-worst": b == last,
                      "best-vs-worst": a == 0 and b == last,
                      "skip=2": b == a + 2}[strategy]
                if ok:
                    pairs.append((pid, mi, mj))
    return pairs

def got(path):
    pairs = []
    for line in open(path, encoding="utf-8"):
        p = json.loads(line)
        pid, c, r = p["parent_id"], p["chosen_message_id"], p["rejected_message_id"]
        assert parent[c] == pid and parent[r] == pid, line
        assert p["rank_chosen"] < p["rank_rejected"], line
        last = p["prompt"][-1]
        assert last == {"role": "user", "content": msgs[pid]["text"]}, line
        assert p["chosen"] == [{"role": "assistant", "content": msgs[c]["text"]}]
        assert p["rejected"] == [{"role": "assistant", "content": msgs[r]["text"]}]
        pairs.append((pid, c, r))
    return pairs

groups = groups_of(False)
print("groups", len(groups), "replies", sum(len(g) for _, g in groups))
for s in ["all", "adjacent", "best-vs-rest", "rest-vs-worst", "best-vs-worst", "skip=2"]:
    want, have = expected(groups, s), got(s + ".jsonl")
    print(s, len(want), "ok" if want == have else "DIFFERENT (%d pairs)" % len(have))
groups = groups_of(True)
want, have = expected(groups, "all"), got("nosyn.jsonl")
print("no-synthetic all", len(want), "ok" if want == have else "DIFFERENT (%d pairs)" % len(have))
PY
