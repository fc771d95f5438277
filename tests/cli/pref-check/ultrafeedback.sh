# Real data (UltraFeedback sample, tests/data/SOURCES.md): pref-check
# reports exactly the ties of the train split, at the lines an
# independent Python count finds (111), no misordered pair, and the
# prompts of train that leak into eval - exactly and by 13-word runs -
# as Python computes them (re \w+ words of the case-folded prompt).
train="$TESTDATA/relabel/train_clean.jsonl"
eval="$TESTDATA/check/eval_clean.jsonl"
pref-check --json --limit 0 --score-chosen-field metadata.score_chosen \
    --score-rejected-field metadata.score_rejected \
    --against "$eval" --leak-ngram 13 "$train" >r13.json
echo "exit $?"
pref-check --json --limit 0 --rule empty=off --rule identical=off --rule tie=off \
    --against "$eval" "$train" >exact.json
echo "exit $?"
python3 - "$train" "$eval" <<'PY'
import json, re, sys
train = [json.loads(l) for l in open(sys.argv[1])]
ev = [json.loads(l) for l in open(sys.argv[2])]
def lines(report, rule):
    return [v["line"] for v in json.load(open(report))["violations"] if v["rule"] == rule]
r = json.load(open("r13.json"))
ties = [i for i, x in enumerate(train, 1)
        if x["metadata"]["score_chosen"] == x["metadata"]["score_rejected"]]
mis = [i for i, x in enumerate(train, 1)
       if x["metadata"]["score_chosen"] < x["metadata"]["score_rejected"]]
print("ties", len(ties), lines("r13.json", "tie") == ties, r["rules"]["tie"]["violations"])
print("misordered", len(mis), r["rules"]["misordered"]["violations"])
words = lambda s: re.findall(r"\w+", s.casefold())
grams = {tuple(w[i:i + 13]) for x in ev for w in [words(x["prompt"])] for i in range(len(w) - 12)}
exact = {x["prompt"].strip() for x in ev}
leak13 = [i for i, x in enumerate(train, 1)
          if x["prompt"].strip() in exact
          or any(tuple(w[i:i + 13]) in grams for w in [words(x["prompt"])] for i in range(len(w) - 12))]
leak = [i for i, x in enumerate(train, 1) if x["prompt"].strip() in exact]
print("leak-13", len(leak13), lines("r13.json", "leak") == leak13)
print("leak-exact", len(leak), lines("exact.json", "leak") == leak, json.load(open("exact.json"))["status"])
# the other rules found what Python finds: empty and identical texts
empty = [i for i, x in enumerate(train, 1) if not all(x[k].strip() for k in ("prompt", "chosen", "rejected"))]
same = [i for i, x in enumerate(train, 1) if x["chosen"].strip() and x["chosen"].strip() == x["rejected"].strip()]
print("empty", empty == lines("r13.json", "empty"), "identical", same == lines("r13.json", "identical"), len(empty), len(same))
PY
