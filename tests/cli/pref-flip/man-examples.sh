# Every command of the EXAMPLES section of man/pref-flip.1, verbatim;
# labelled.jsonl is the labelled sample of the tests.
ln -s "$DATA" data
cp "$TESTDATA/flip/labels.jsonl" labelled.jsonl
echo '{"prompt":"Capital of Australia?","chosen":"Sydney.","rejected":"Canberra.","h_w":1,"h_l":0}' |
    pref-flip --lambda 0.1
pref-flip --drop-flipped --stats=counts.json -o train.jsonl labelled.jsonl
cat counts.json
cat train.jsonl
echo '{"prompt":"2+2?","chosen":"5","rejected":"4","factual_chosen":false,"factual_rejected":true}' |
    pref-flip --labels factual --label-fields factual_chosen,factual_rejected
pref-relabel --score-chosen-field metadata.score_chosen \
    --score-rejected-field metadata.score_rejected data/sample-pairs.jsonl |
  pref-flip --by score --score-chosen-field metadata.score_chosen \
    --score-rejected-field metadata.score_rejected --stats > /dev/null
