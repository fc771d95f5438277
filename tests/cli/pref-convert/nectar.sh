# Nectar: rank 1 is the best answer.  Ranks are copied as they are (a
# ranked list's rank is lower-is-better too), so with --to pairs the rank-1
# answer is always chosen - never the other way round, the mistake a
# popular trainer's converter makes.  group_id values computed with
# `printf '"\n\nHuman: Best fruit?\n\nAssistant:"' | xxhsum -H3` and
# `printf '[{"content":"Best fruit?","role":"user"}]' | xxhsum -H3`.
printf '%s\n' '{"prompt":"\n\nHuman: Best fruit?\n\nAssistant:","answers":[{"answer":"Rocks.","model":"m3","rank":3.0},{"answer":"Apples.","model":"m1","rank":1.0},{"answer":"Pears.","model":"m2","rank":2.0}],"turns":1}' >in.jsonl
pref-convert in.jsonl
pref-convert --from nectar --to pairs in.jsonl
pref-convert --from nectar --to pairs --pairs best-vs-worst --to conversational in.jsonl
