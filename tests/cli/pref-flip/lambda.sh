# --lambda L adds "margin" = L * delta_h (computed numbers: shortest form).
pref-flip --lambda 0.1 "$TESTDATA/flip/labels.jsonl"
head -n 1 "$TESTDATA/flip/labels.jsonl" | pref-flip --lambda 2e0
