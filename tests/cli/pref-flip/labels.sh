# (h_w, h_l) = (1, 0) is flipped with every paired field (labels, scores,
# chosen_model -> rejected_model, nested meta.*_len) and "flipped": true;
# the others are unchanged ("flipped" false only when absent); delta_h =
# h_l - h_w afterwards; --stats counts the four buckets.
pref-flip --stats=s.json "$TESTDATA/flip/labels.jsonl"
cat s.json
