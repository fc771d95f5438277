# --to tree and --to step-pairs on three solutions of one problem: the
# first two share their first step; the last two tie (score 0).
# group_id = XXH3-64 of "2+3*4?" (xxhsum -H3: b728425eaa8e51ec).
printf '%s\n' '{"prompt":"2+3*4?","responses":[{"text":"3*4=12\n\n2+12=14\n\nAnswer: 14","score":1},{"text":"3*4=12\n\n2+12=15\n\nAnswer: 15","score":0},{"text":"2+3=5\n\n5*4=20\n\nAnswer: 20","score":0}]}' >in.jsonl
pref-expand --to tree --stats=s1.json in.jsonl
cat s1.json
pref-expand --to step-pairs --pairs all --stats=s2.json in.jsonl
cat s2.json
