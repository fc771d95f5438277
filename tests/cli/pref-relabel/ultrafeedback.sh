# Real data: 1000 UltraFeedback pairs (111 ties; scores in metadata)
# become exactly 2000 pairs under --ties keep.  An independent check in
# Python: pairing with the input, orientation, swapped nested scores,
# goal_score, untouched members byte for byte, key order, and the
# condition text parsing back to the goal score in the paper's format.
in="$TESTDATA/relabel/train_clean.jsonl"
pref-relabel --ties keep --stats=s.json \
	--score-chosen-field metadata.score_chosen \
	--score-rejected-field metadata.score_rejected "$in" >out.jsonl
echo "exit $?"
python3 -c 'import json; s = json.load(open("s.json")); print("read", s["read"], "written", s["written"], "ties", s["ties"], "dropped", s["dropped_ties"])'
python3 - "$in" out.jsonl <<'END'
import json, re, sys
head = ("You are an assistant that generates responses for the instruction "
        "while implicitly achieving the following target scores (on a scale "
        "of 1-10, where 1 is lowest and 10 is highest):\nOverall score: ")
ins = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
outs = open(sys.argv[2], encoding="utf-8").read().splitlines()
print("input", len(ins), "output", len(outs))
bad = 0
def fmt(g):
    return str(int(g)) if g == int(g) else repr(g)
for i, src in enumerate(ins):
    m = src["metadata"]
    for k, line in enumerate(outs[2 * i:2 * i + 2]):
        o = json.loads(line)
        w, l = ("chosen", "rejected") if k == 0 else ("rejected", "chosen")
        goal = m["score_" + w]
        ok = (list(o) == list(src) + ["goal_score"]
              and o["chosen"] == src[w] and o["rejected"] == src[l]
              and o["metadata"] == {"score_chosen": m["score_" + w],
                                    "score_rejected": m["score_" + l]}
              and o["source_index"] == src["source_index"]
              and o["goal_score"] == goal
              and ('"chosen":' + json.dumps(src[w], ensure_ascii=False)) in line
              and ('"rejected":' + json.dumps(src[l], ensure_ascii=False)) in line)
        mt = re.fullmatch(re.escape(head) + r"([0-9.]+)\.\n\n(.*)", o["prompt"], re.S)
        ok = ok and mt is not None and float(mt.group(1)) == goal \
            and mt.group(1) == fmt(goal) and mt.group(2) == src["prompt"]
        if not ok:
            bad += 1
            if bad < 5:
                print("mismatch at input", i + 1, "output", 2 * i + k + 1)
print("bad", bad)
END
