# ShareGPT (LLaMA-Factory) to conversational pairs: human -> user,
# gpt -> assistant, a "system" column -> a leading system message; other
# keys of a message and other fields kept.  A JSON array file is read too.
cat >in.json <<'JSON'
[
  {"conversations": [{"from": "human", "value": "Q"},
                     {"from": "gpt", "value": "A", "weight": 0},
                     {"from": "human", "value": "R"}],
   "system": "Be brief.",
   "chosen": {"from": "gpt", "value": "good"},
   "rejected": {"from": "gpt", "value": "bad"},
   "id": 1},
  {"conversations": [{"from": "system", "value": "S"}, {"from": "human", "value": "Q"}],
   "chosen": {"from": "gpt", "value": "a"}, "rejected": {"from": "gpt", "value": "b"}}
]
JSON
pref-convert --from sharegpt in.json
pref-convert --from sharegpt --to standard --flatten-template '{role}: {content}\n' in.json
