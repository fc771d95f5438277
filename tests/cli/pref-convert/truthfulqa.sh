# Real unpaired and best-of-N data from TruthfulQA's multiple-choice task
# (tests/data/SOURCES.md): 86 answers of 8 questions labelled 1 (true) or
# 0 (false), the questions interleaved; and per question the one true
# mc1 answer against the false ones.  Expected pairs from a Python oracle.
u=$TESTDATA/convert/truthfulqa_mc2_unpaired.jsonl
b=$TESTDATA/convert/truthfulqa_mc1_bon.jsonl
pref-convert --from unpaired --desirable 1 --undesirable 0 --stats=s.json "$u" >u.jsonl
echo "exit $?"
cat s.json
pref-convert --from unpaired --desirable 1 --undesirable 0 --memory 2K "$u" | cmp - u.jsonl &&
	echo "--memory 2K: byte-identical"
pref-convert --from bon --prompt-field question --best-field best \
	--losers-field others --stats=s.json "$b" >b.jsonl
echo "exit $?"
cat s.json
python3 - "$u" u.jsonl "$b" b.jsonl <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
got = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
order, by = [], {}
for r in rows:
    if r["prompt"] not in by:
        order.append(r["prompt"]); by[r["prompt"]] = []
    by[r["prompt"]].append(r)
want = []
for p in order:
    d = [r for r in by[p] if r["label"] == 1]
    u = [r for r in by[p] if r["label"] == 0]
    for x in d:
        for y in u:
            want.append((p, x["completion"], y["completion"], x["qid"]))
print("unpaired pairs:", len(got), "as the oracle:",
      [(g["prompt"], g["chosen"], g["rejected"], g["qid"]) for g in got] == want)
recs = [json.loads(l) for l in open(sys.argv[3], encoding="utf-8")]
got = [json.loads(l) for l in open(sys.argv[4], encoding="utf-8")]
want = [(r["question"], r["best"], o, r["qid"]) for r in recs for o in r["others"]]
print("bon pairs:", len(got), "as the oracle:",
      [(g["prompt"], g["chosen"], g["rejected"], g["qid"]) for g in got] == want)
PY
