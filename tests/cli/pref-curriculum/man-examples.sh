# The EXAMPLES of man/pref-curriculum.1, run on shipped data.
echo '{"prompt":"P","responses":[{"text":"a","score":9},{"text":"b","score":7},{"text":"c","score":5},{"text":"d","score":3}]}' |
    pref-curriculum --within gap
pref-curriculum --from oasst --split-stages oasst "$DATA/sample-oasst.jsonl"
wc -l oasst.stage*.jsonl
pref-curriculum --score-chosen-field metadata.score_chosen \
    --score-rejected-field metadata.score_rejected \
    --memory 64M --stats -o curriculum.jsonl.zst "$TESTDATA/relabel/train_clean.jsonl" 2>&1
zstd -dc curriculum.jsonl.zst | python3 -c '
import json, sys, collections
print(sorted(collections.Counter(json.loads(l)["stage"] for l in sys.stdin).items()))'
pref-convert --from oasst --to lists "$TESTDATA/expand/oasst_en_100_tree.jsonl" >lists.jsonl
split -n l/4 lists.jsonl part.
for p in part.a?; do pref-curriculum --seed 1 -o $p.cur $p & done; wait
pref-curriculum --merge --seed 1 part.a?.cur > curriculum.jsonl
pref-curriculum --seed 1 lists.jsonl | cmp - curriculum.jsonl && echo "merged = one run"
