# Ranked lists: the OpenAssistant trees as lists (pref-convert --to lists:
# message-list prompts and texts, ranks), and the factool sample read in
# place with the list field options (boolean scores count as 1/0, null
# ones drop the response; one record's list has a null text: an invalid
# list, counted); every figure against the Python oracle.
pref-convert --from oasst --to lists "$TESTDATA/expand/oasst_en_100_tree.jsonl" >oasst.jsonl
pref-stats --json oasst.jsonl >oasst.json
pref-stats --json --responses-field responses_and_factuality --text-field response \
	--score-field factuality "$TESTDATA/expand/factool_chinese.jsonl" >factool.json
python3 - "$TESTDATA/expand/factool_chinese.jsonl" <<END
import json, sys
sys.path.insert(0, "$CASEDIR")
import stats_oracle as oracle
for got, args, kw in (("oasst.json", ["oasst.jsonl"], {}),
                      ("factool.json", [sys.argv[1]],
                       dict(resp="responses_and_factuality", tf="response", sf="factuality"))):
    g = json.load(open(got))
    bad = oracle.check(g, oracle.expected(*args, **kw))
    print(got, "lists", g["lists"], "invalid", g["lists_invalid"], "ties", g["list_ties"],
          "sizes", g["distributions"]["list_size"]["n"], "differences", len(bad))
    for b in bad[:10]:
        print(b)
END
