# The EXAMPLES of man/pref-check.1, run on shipped data.
pref-check "$DATA/sample-pairs.jsonl" --score-chosen-field metadata.score_chosen \
    --score-rejected-field metadata.score_rejected --rule tie=off
echo "exit $?"
cd "$DATA" && pref-check --limit 3 sample-bad.jsonl
echo "exit $?"
cd - >/dev/null
# leak and deny: a train file with one test prompt, one benchmark run of 13
# words and one refusal
printf '%s\n' '{"prompt":"Tell me a joke.","chosen":"Why did...","rejected":"No."}' \
  '{"prompt":"Q: one two three four five six seven eight nine ten eleven twelve thirteen?","chosen":"a","rejected":"b"}' \
  '{"prompt":"Hi","chosen":"Hello!","rejected":"As an AI model, I cannot."}' \
  '{"prompt":"Fine","chosen":"a","rejected":"b"}' >train.jsonl
echo '{"prompt":"Tell me a joke."}' >test.jsonl
echo '{"prompt":"ONE two three four five six seven eight nine ten eleven twelve thirteen"}' >benchmark.jsonl
pref-check --against test.jsonl --against benchmark.jsonl --leak-ngram 13 \
    --deny-regex '(?i)\bas an ai (language )?model\b' train.jsonl
echo "exit $?"
# the Makefile rule: the target is made only when the data passes
printf 'train.checked: train.jsonl\n\tpref-check --json=$@.json $<\n\ttouch $@\n' >Makefile
tail -n 1 train.jsonl >>train.jsonl   # a duplicate: the build fails
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s train.checked >/dev/null 2>&1
echo "make: exit $?"
test -e train.checked || echo "train.checked not made"
jq -r '.status, .violations[0].message' train.checked.json
head -n 4 train.jsonl | tail -n 1 >train.jsonl.new && mv train.jsonl.new train.jsonl
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s train.checked
echo "make: exit $?"
test -e train.checked && echo "train.checked made"
jq -r .status train.checked.json
pref-check --json "$TESTDATA/relabel/train_clean.jsonl" | jq -r '.rules | to_entries[] |
    select(.value.violations > 0) | "\(.key) \(.value.violations)"'
pref-check --from oasst "$DATA/sample-oasst.jsonl"
echo "exit $?"
