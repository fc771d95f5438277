# --step-regex (PCRE2): "Step N: " markers; a response whose text is an
# array of strings is its steps as they are; unshared steps give a root
# with two children.  group_id = XXH3-64 of "Q" (98050ebc82a5d470).
printf '%s\n' '{"prompt":"Q","responses":[{"text":"Step 1: add\nStep 2: carry","score":0.5},{"text":["add\n","borrow"],"score":0.75},{"text":"Step 1: guess","score":0.25}]}' >in.jsonl
pref-expand --to tree --step-regex '(?m)^Step \d+: ' in.jsonl
pref-expand --to step-pairs --step-regex '(?m)^Step \d+: ' in.jsonl
