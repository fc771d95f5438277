# --from pairwise on real data, checked by an independent Python oracle
# (tests/data/SOURCES.md says where the samples come from).
#
# AlpacaEval annotations (a JSON array): preference 1.0 = output_1 won,
# 2.0 = output_2 won, 1.5 = a tie; the generators are the models.
ae=$TESTDATA/convert/alpaca_eval_gpt35_0301.json
pref-convert --from pairwise --prompt-field instruction --a-field output_1 \
	--b-field output_2 --model-a-field generator_1 --model-b-field generator_2 \
	--label-field preference --a-wins 1 --b-wins 2 --tie 1.5 \
	--stats=s.json "$ae" >ae.jsonl
echo "exit $?"
cat s.json
python3 - "$ae" ae.jsonl <<'PY'
import json, sys
recs = json.load(open(sys.argv[1], encoding="utf-8"))
got = [json.loads(l, object_pairs_hook=list) for l in open(sys.argv[2], encoding="utf-8")]
want, ties = [], 0
for r in recs:
    if r["preference"] == 1.5:
        ties += 1
        continue
    b = r["preference"] == 2.0
    win, lose = ("output_2", "output_1") if b else ("output_1", "output_2")
    gw, gl = ("generator_2", "generator_1") if b else ("generator_1", "generator_2")
    out = []
    for k, v in r.items():
        if k == "instruction": out.append(["prompt", v])
        elif k == "output_1": out.append(["chosen", r[win]])
        elif k == "generator_1": out.append(["chosen_model", r[gw]])
        elif k == "output_2": out.append(["rejected", r[lose]])
        elif k == "generator_2": out.append(["rejected_model", r[gl]])
        else: out.append([k, v])
    want.append(out)
print(len(recs), "records,", len(got), "pairs,", ties, "ties; as the oracle says:",
      [[list(p) for p in g] for g in got] == want)
PY

# FineGrainedRLHF qa-feedback: four predictions ("prediction 1" ...: keys
# with spaces) and six judgements in an array (1v2 1v3 1v4 2v3 2v4 3v4;
# 1 = the first is preferred, 2 = the second, 0 = none): one run per
# judgement, reading preference.K.
fg=$TESTDATA/convert/finegrained_dev_feedback_12.json
k=0
for ab in "1 2" "1 3" "1 4" "2 3" "2 4" "3 4"; do
	set -- $ab
	pref-convert --from pairwise --prompt-field question --a-field "prediction $1" \
		--b-field "prediction $2" --label-field preference.$k --a-wins 1 --b-wins 2 \
		--tie 0 --stats=s$k.json "$fg" >fg$k.jsonl || echo "exit $?"
	k=$((k + 1))
done
cat s0.json s5.json
python3 - "$fg" <<'PY'
import json, sys
recs = json.load(open(sys.argv[1], encoding="utf-8"))
pairs = [(1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4)]
ok = True
for k, (a, b) in enumerate(pairs):
    got = [json.loads(l) for l in open("fg%d.jsonl" % k, encoding="utf-8")]
    want = []
    for r in recs:
        p = r["preference"][k]
        if p == 0:
            continue
        w, l = (a, b) if p == 1 else (b, a)
        want.append((r["question"], r["prediction %d" % w], r["prediction %d" % l]))
    ok &= [(g["prompt"], g["chosen"], g["rejected"]) for g in got] == want
    ok &= all("prediction %d" % a not in g and "prediction %d" % b not in g for g in got)
print("6 judgements x", len(recs), "records as the oracle says:", ok)
PY
