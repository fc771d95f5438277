# The EXAMPLES of man/pref-expand.1, run on shipped data.
echo '{"prompt":"P","responses":[{"text":"a","score":9},{"text":"b","score":7},{"text":"c","score":7},{"text":"d","score":3}]}' |
    pref-expand --pairs all
pref-expand --from oasst --stats -o oasst-pairs.jsonl "$DATA/sample-oasst.jsonl" 2>&1
wc -l <oasst-pairs.jsonl
printf '%s\n' '{"prompt":"2+3*4?","responses":[{"text":"3*4=12\n\n2+12=14","score":1},{"text":"3*4=12\n\n2+12=15","score":0}]}' >sol.jsonl
pref-expand --to tree sol.jsonl
pref-expand --to step-pairs sol.jsonl
pref-expand --responses-field responses_and_factuality \
    --text-field response --score-field factuality --pairs all \
    --on-error=skip "$TESTDATA/expand/factool_chinese.jsonl" 2>/dev/null > pairs.jsonl
wc -l <pairs.jsonl
