# The UltraFeedback sample (1000 pairs, GPT-4 scores in metadata): every
# figure of --json against the Python oracle (oracle.py: counts, fields,
# formats, duplicates, quartiles by statistics.quantiles, means, histogram
# bins, token counts by the tokenize oracle), and the ties that pref-check
# reports on it: 111.
f=$TESTDATA/relabel/train_clean.jsonl
pref-stats --json --score-chosen-field metadata.score_chosen \
	--score-rejected-field metadata.score_rejected "$f" >got.json
python3 - "$f" <<END
import json, sys
sys.path.insert(0, "$CASEDIR")
import stats_oracle as oracle
got = json.load(open("got.json"))
want = oracle.expected(sys.argv[1], "metadata.score_chosen", "metadata.score_rejected")
bad = oracle.check(got, want)
print("records", got["records"], "ties", got["ties"], "scored", got["scored_pairs"],
      "misordered", got["misordered"], "duplicates", got["duplicates"])
print("differences:", len(bad))
for b in bad[:10]:
    print(b)
END
