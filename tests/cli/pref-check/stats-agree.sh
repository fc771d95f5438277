# Real data (issue 13): pref-stats' counts match pref-check's.  The
# UltraFeedback sample (train and eval splits, tests/data/SOURCES.md), with
# every 7th train record repeated and every 50th eval record written again
# with its scores swapped (misordered, and not a duplicate: the key is the
# texts, so it duplicates the original eval record), read by both with
# --json; records, ties, misordered pairs and duplicates compared, and
# both against a Python count.  Then the same with a 4K --memory (keys
# spilled by both).
train="$TESTDATA/relabel/train_clean.jsonl"
eval="$TESTDATA/check/eval_clean.jsonl"
python3 - "$train" "$eval" >in.jsonl <<'PY'
import json, sys
train = open(sys.argv[1]).read().splitlines()
ev = open(sys.argv[2]).read().splitlines()
out = list(train) + list(ev)
out += [l for i, l in enumerate(train) if i % 7 == 0]
for i, l in enumerate(ev):
    if i % 50 == 0:
        x = json.loads(l)
        m = x["metadata"]
        m["score_chosen"], m["score_rejected"] = m["score_rejected"], m["score_chosen"]
        out.append(json.dumps(x))
print("\n".join(out))
PY
f="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
for mem in 512M 4K; do
	pref-check --json --limit 0 --memory $mem $f in.jsonl >check.json
	echo "check exit $?"
	pref-stats --json --memory $mem $f in.jsonl >stats.json
	echo "stats exit $?"
	python3 - in.jsonl <<'PY'
import json, sys
c = json.load(open("check.json"))
s = json.load(open("stats.json"))
recs = [json.loads(l) for l in open(sys.argv[1])]
seen, dups = set(), 0
for x in recs:
    k = json.dumps([x.get("prompt"), x["chosen"], x["rejected"]], sort_keys=True)
    dups += k in seen
    seen.add(k)
sc = [(x["metadata"]["score_chosen"], x["metadata"]["score_rejected"]) for x in recs]
py = {"records": len(recs), "ties": sum(a == b for a, b in sc),
      "misordered": sum(a < b for a, b in sc), "duplicates": dups}
ck = {"records": c["records"], "ties": c["rules"]["tie"]["violations"],
      "misordered": c["rules"]["misordered"]["violations"],
      "duplicates": c["rules"]["duplicate"]["violations"]}
st = {k: s[k] for k in py}
print(py)
print("pref-check", "agrees" if ck == py else ck)
print("pref-stats", "agrees" if st == py else st)
PY
done
