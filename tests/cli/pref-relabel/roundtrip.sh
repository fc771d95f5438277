# relabel -> flip --by score round-trips to the input orientation: pair 2
# of every untied input is misordered by score, so flip swaps it back
# (with the nested scores); a tie's pair 2 is not misordered and stays.
in="$TESTDATA/relabel/train_clean.jsonl"
f="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
pref-relabel $f "$in" | pref-flip --by score --stats=keep.json $f >keep.jsonl
pref-relabel --ties first $f "$in" | pref-flip --by score --stats=first.json $f >first.jsonl
python3 - "$in" keep.jsonl first.jsonl keep.json first.json <<'END'
import json, sys
ins = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
keep = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
first = [json.loads(l) for l in open(sys.argv[3], encoding="utf-8")]
for name in sys.argv[4:]:
    s = json.load(open(name))
    print(name, "read", s["read"], "flipped", s["flipped"], "unchanged", s["unchanged"])
def same(o, src):
    return (o["chosen"] == src["chosen"] and o["rejected"] == src["rejected"]
            and o["metadata"] == src["metadata"] and o["prompt"].endswith(src["prompt"]))
tie = [s["metadata"]["score_chosen"] == s["metadata"]["score_rejected"] for s in ins]
def swapped(o, src):
    return o["chosen"] == src["rejected"] and o["rejected"] == src["chosen"]
# Untied: both pairs back in input orientation; tied: pair 1 as input,
# pair 2 still swapped (chosen = the input's rejected).
ok = sum((same(o, ins[j // 2]) if j % 2 == 0 or not tie[j // 2]
          else swapped(o, ins[j // 2])) for j, o in enumerate(keep))
print("keep: pairs", len(keep), "as expected", ok,
      "untied in input orientation", sum(same(keep[2 * i + k], s) for i, s in enumerate(ins) if not tie[i] for k in (0, 1)))
src = [s for s, t in zip(ins, tie) for _ in range(1 if t else 2)]
print("first: pairs", len(first), "in input orientation", sum(same(o, s) for o, s in zip(first, src)))
print("flipped marks", sum(o["flipped"] for o in first), "goal kept", all("goal_score" in o for o in first))
END
