# Real data: factual pairs built from HaluEval QA (right answer vs
# hallucinated answer, h_w = 0, h_l = 1), every third one deliberately
# misordered (answers and labels swapped).  pref-flip puts the factual
# answer back on the chosen side of every pair; checked in Python.
python3 - "$TESTDATA/flip/halueval_qa_200.jsonl" >pairs.jsonl <<'END'
import json, sys
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    r = json.loads(line)
    p = {"prompt": r["question"], "chosen": r["right_answer"],
         "rejected": r["hallucinated_answer"], "h_w": 0, "h_l": 1, "source": i}
    if i % 3 == 0:
        p["chosen"], p["rejected"], p["h_w"], p["h_l"] = p["rejected"], p["chosen"], 1, 0
    print(json.dumps(p, ensure_ascii=False))
END
pref-flip --lambda 0.5 --stats=s.json pairs.jsonl >out.jsonl
echo "exit $?"
pref-flip --drop-flipped pairs.jsonl >dropped.jsonl
python3 - "$TESTDATA/flip/halueval_qa_200.jsonl" out.jsonl s.json <<'END'
import json, sys
src = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
out = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
s = json.load(open(sys.argv[3]))
print("pairs", len(out), "flipped", s["flipped"], "h_10", s["h_10"], "h_01", s["h_01"])
good = sum(o["chosen"] == src[o["source"]]["right_answer"]
           and o["rejected"] == src[o["source"]]["hallucinated_answer"]
           and (o["h_w"], o["h_l"], o["delta_h"], o["margin"]) == (0, 1, 1, 0.5)
           and o["flipped"] == (o["source"] % 3 == 0)
           for o in out)
print("factual answer chosen", good)
# --drop-flipped: the pairs already factual-first, as they came
src_pairs = [json.loads(l) for l in open("pairs.jsonl", encoding="utf-8")]
kept = [json.loads(l) for l in open("dropped.jsonl", encoding="utf-8")]
want = [dict(p, flipped=False, delta_h=1) for p in src_pairs if p["source"] % 3 != 0]
print("--drop-flipped keeps", len(kept), "pairs, the unflipped ones:", kept == want)
END
