# --test F puts each group in the test part with probability F, and
# --shards N spreads groups evenly: on 100000 generated records, each its
# own prompt, the counts are within 5 standard deviations of the binomial
# expectation (the data and the hash are fixed, so this never flakes).
python3 - <<'END' >in.jsonl
import json
for i in range(100000):
    print(json.dumps({"prompt": "question %d: %s" % (i, "x" * (i % 13)),
                      "chosen": "a", "rejected": "b", "id": i}))
END
for f in 0.1 0.2 0.5; do
	pref-split --test $f -o d$f in.jsonl
done
pref-split --shards 8 -o s in.jsonl
pref-split --shards 3 --seed 5 -o t in.jsonl
python3 - <<'END'
import math
def check(what, files, p):
    counts = [sum(1 for _ in open(f)) for f in files]
    n = 100000
    bad = [i for i, c in enumerate(counts)
           if abs(c - n * p[i]) > 5 * math.sqrt(n * p[i] * (1 - p[i]))]
    print(what, "parts", len(counts), "sum", sum(counts), "outside 5 sigma:", bad)
for f in (0.1, 0.2, 0.5):
    check("test %g" % f, ["d%g.train.jsonl" % f, "d%g.test.jsonl" % f], [1 - f, f])
check("shards 8", ["s-%05d-of-00008.jsonl" % k for k in range(8)], [1 / 8] * 8)
check("shards 3 seed 5", ["t-%05d-of-00003.jsonl" % k for k in range(3)], [1 / 3] * 3)
END
# --stats counts the two parts
pref-split --test 0.2 --stats=st.json -o d in.jsonl
python3 -c 'import json; s = json.load(open("st.json")); print(s["read"] == s["written"] == s["train"] + s["test"] == 100000)'
