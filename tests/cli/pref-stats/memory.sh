# Beyond --memory: a distribution whose values no longer fit moves into
# the sketch, and its quartiles are estimated within the documented bound
# (0.5% of the larger of the two order statistics a quartile interpolates,
# here checked against the exact values computed in Python), marked "~"
# in the text report and "exact": false in --json; count, min, max, mean
# and histograms' totals stay exact, and so do the duplicates (the keys
# are spilled to --tmpdir and merged).
f=$TESTDATA/relabel/train_clean.jsonl
cat "$f" "$f" >in.jsonl # 1000 duplicates
mkdir tmp
o="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
pref-stats $o --json --memory=16K --tmpdir=tmp in.jsonl >small.json
pref-stats $o --json in.jsonl >big.json
pref-stats $o --memory=16K --tmpdir=tmp --ascii in.jsonl | grep -c '~'
ls tmp
python3 - <<END
import json
small, big = json.load(open("small.json")), json.load(open("big.json"))
bad, est = [], []
for k, d in big["distributions"].items():
    s = small["distributions"][k]
    if d["n"] == 0:
        continue
    if not s["exact"]:
        est.append(k)
    for f in ("n", "min", "max"):
        if s[f] != d[f]:
            bad.append((k, f))
    if abs(s["mean"] - d["mean"]) > 1e-9 * abs(d["mean"]):
        bad.append((k, "mean"))
    if sum(s["histogram"]["counts"]) != d["n"]:
        bad.append((k, "bins"))
print("estimated:", est)
# the exact order statistics, from the data
import sys
sys.path.insert(0, "$CASEDIR")
import stats_oracle
vals = {}
for line in open("in.jsonl"):
    r = json.loads(line)
    for side in ("chosen", "rejected"):
        t = stats_oracle.text(r[side], False)
        vals.setdefault(side + "_chars", []).append(len(t))
for k, x in vals.items():
    x.sort()
    n = len(x)
    for i, q in ((1, "q1"), (2, "median"), (3, "q3")):
        j = i * (n - 1) // 4
        exact = big["distributions"][k][q]
        bound = 0.005 * max(abs(x[j]), abs(x[min(j + 1, n - 1)]))
        got = small["distributions"][k][q]
        if abs(got - exact) > bound + 1e-9:
            bad.append((k, q, got, exact, bound))
print("duplicates", small["duplicates"], big["duplicates"], "problems", bad)
END
