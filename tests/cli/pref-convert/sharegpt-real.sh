# The LLaMA-Factory ShareGPT demo files (English and Chinese, JSON arrays)
# convert without loss: checked independently (python3), every message's
# text and role, and both responses, are where they should be.
for lang in en zh; do
	pref-convert --stats=stats.json -o pairs.jsonl "$TESTDATA/convert/dpo_${lang}_demo.json"
	echo "$lang exit $?"
	cat stats.json
	python3 - "$TESTDATA/convert/dpo_${lang}_demo.json" <<'PY'
import json, sys
src = json.load(open(sys.argv[1], encoding="utf-8"))
out = [json.loads(l) for l in open("pairs.jsonl", encoding="utf-8")]
role = {"human": "user", "gpt": "assistant", "system": "system"}
same = 0
for s, o in zip(src, out):
    want = {
        "prompt": [{"role": role[m["from"]], "content": m["value"]} for m in s["conversations"]],
        "chosen": [{"role": "assistant", "content": s["chosen"]["value"]}],
        "rejected": [{"role": "assistant", "content": s["rejected"]["value"]}],
    }
    same += o == want
print(len(src), "records,", len(out), "pairs,", same, "without loss")
PY
done
