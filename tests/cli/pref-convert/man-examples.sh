# The EXAMPLES of man/pref-convert.1, run on shipped data (line counts
# computed independently: 60 HH pairs, 12 ShareGPT pairs, 40 pairs from
# the 13 ranked sibling groups of data/sample-oasst.jsonl, 836 factool
# pairs as in lists-factool.sh; group_id: xxhsum -H3 of "Hi").
pref-convert --stats -o hh-pairs.jsonl "$DATA/sample-hh.jsonl.gz" 2>&1
wc -l <hh-pairs.jsonl
pref-convert --from hh --to conversational "$DATA/sample-hh.jsonl.gz" >conv.jsonl
pref-convert --from sharegpt --to standard \
    --flatten-template '{role}: {content}\n' "$DATA/sample-sharegpt.json" >std.jsonl
pref-convert --from oasst --to pairs --pairs all "$DATA/sample-oasst.jsonl" >oasst.jsonl
echo '{"prompt":"Hi","answers":[{"answer":"b","rank":2},{"answer":"a","rank":1}]}' |
    pref-convert --to pairs
pref-convert --from lists --responses-field responses_and_factuality \
    --text-field response --score-field factuality --to pairs \
    --pairs all --on-error=skip "$TESTDATA/expand/factool_chinese.jsonl" 2>/dev/null >factool.jsonl
# what each example wrote, read back in python: the conversational HH pairs
# are the string pairs as messages, the standard ShareGPT pairs are strings
python3 - <<'PY'
import json
rd = lambda f: [json.loads(l) for l in open(f, encoding="utf-8")]
hh, conv, std = rd("hh-pairs.jsonl"), rd("conv.jsonl"), rd("std.jsonl")
print("hh conversational:", len(conv), "pairs, the string pairs' responses as",
      "one assistant message, prompts as message lists:",
      [([{"role": "assistant", "content": h["chosen"]}], [{"role": "assistant", "content": h["rejected"]}])
       for h in hh] == [(c["chosen"], c["rejected"]) for c in conv],
      all(isinstance(c["prompt"], list) for c in conv))
print("sharegpt standard:", len(std), "pairs, all strings:",
      all(isinstance(r[k], str) for r in std for k in ("prompt", "chosen", "rejected")))
print("oasst pairs:", len(rd("oasst.jsonl")), "factool pairs:", len(rd("factool.jsonl")))
PY
# pairwise: preference 2 = B won (hand-worked: B's text in A's place as
# chosen); bon: the best against each other response, group id of "Hi"
# as above; --to unpaired: chosen true, rejected false
echo '{"instruction":"Hi","output_1":"a","output_2":"b","preference":2}' |
    pref-convert --from pairwise --prompt-field instruction \
    --a-field output_1 --b-field output_2 --label-field preference \
    --a-wins 1 --b-wins 2 --tie 1.5
echo '{"prompt":"Hi","best":"a","others":["b","c"]}' |
    pref-convert --from bon --best-field best --losers-field others
echo '{"prompt":"Hi","chosen":"a","rejected":"b"}' |
    pref-convert --to unpaired
printf '%s\n' '{"prompt":"Hi","completion":"a","label":true}' \
    '{"prompt":"Hi","completion":"b","label":false}' >kto.jsonl
pref-convert --from unpaired --memory 64M kto.jsonl
