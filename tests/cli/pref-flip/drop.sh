# --drop-flipped drops (1,0) pairs (the released F-DPO pipeline);
# --drop-both-hallucinated drops (1,1); read = written + dropped.
pref-flip --drop-flipped --stats=a.json "$TESTDATA/flip/labels.jsonl"
cat a.json
pref-flip --drop-both-hallucinated --stats=b.json "$TESTDATA/flip/labels.jsonl"
cat b.json
pref-flip --drop-flipped --drop-both-hallucinated --stats=c.json "$TESTDATA/flip/labels.jsonl"
cat c.json
