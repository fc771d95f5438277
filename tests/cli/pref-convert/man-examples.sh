# The EXAMPLES of man/pref-convert.1, run on shipped data (line counts
# computed independently: 60 HH pairs, 12 ShareGPT pairs, 40 pairs from
# the 13 ranked sibling groups of data/sample-oasst.jsonl, 836 factool
# pairs as in lists-factool.sh; group_id: xxhsum -H3 of "Hi").
pref-convert --stats -o hh-pairs.jsonl "$DATA/sample-hh.jsonl.gz" 2>&1
wc -l <hh-pairs.jsonl
pref-convert --from hh --to conversational "$DATA/sample-hh.jsonl.gz" | wc -l
pref-convert --from sharegpt --to standard \
    --flatten-template '{role}: {content}\n' "$DATA/sample-sharegpt.json" | wc -l
pref-convert --from oasst --to pairs --pairs all "$DATA/sample-oasst.jsonl" | wc -l
echo '{"prompt":"Hi","answers":[{"answer":"b","rank":2},{"answer":"a","rank":1}]}' |
    pref-convert --to pairs
pref-convert --from lists --responses-field responses_and_factuality \
    --text-field response --score-field factuality --to pairs \
    --pairs all --on-error=skip "$TESTDATA/expand/factool_chinese.jsonl" 2>/dev/null | wc -l
