# Curry-DPO, Figure 1: a prompt with 4 ranked replies gives 3 pairs
# best-vs-rest, (R1, R4) in stage 1, (R1, R3) in stage 2 and (R1, R2) in
# stage 3.  Checked on every OpenAssistant sibling group of 4 ranked
# replies in the 100 trees (tests/data/expand/oasst_en_100_tree.jsonl),
# from the lists pref-convert makes of them, by a Python reading of both.
pref-convert --from oasst --to lists "$TESTDATA/expand/oasst_en_100_tree.jsonl" >lists.jsonl
python3 -c '
import json, sys
for line in open("lists.jsonl", encoding="utf-8"):
    if len(json.loads(line)["responses"]) == 4:
        sys.stdout.write(line)
' >four.jsonl
pref-curriculum four.jsonl >pairs.jsonl || echo "exit $?"
python3 - <<'PY'
import json
lists = [json.loads(l) for l in open("four.jsonl", encoding="utf-8")]
pairs = [json.loads(l) for l in open("pairs.jsonl", encoding="utf-8")]
want = {}
for l in lists:
    # R1..R4 by rank (0 = best); every list here has 4 distinct ranks
    r = sorted(l["responses"], key=lambda x: x["rank"])
    assert len({x["rank"] for x in r}) == 4
    for k, stage in ((1, 3), (2, 2), (3, 1)):   # (R1, R2) ... (R1, R4)
        want[(r[0]["message_id"], r[k]["message_id"])] = (stage, r[k]["rank"] - r[0]["rank"])
got = {(p["chosen_message_id"], p["rejected_message_id"]): (p["stage"], p["gap"]) for p in pairs}
stages = [p["stage"] for p in pairs]
print("lists of 4:", len(lists), "pairs:", len(pairs))
print("3 pairs a list, stages as Figure 1:", got == want and len(pairs) == 3 * len(lists))
print("(R1, R4) pairs in stage 1:", sum(1 for p in pairs if p["stage"] == 1 and p["rank_rejected"] == 3))
print("ordered by stage:", stages == sorted(stages))
PY
