# UltraFeedback binarized: the conversations repeat the prompt, so the
# pair is made explicit - prompt = the messages before the last one,
# chosen/rejected = the last (assistant) message; scores and other fields
# stay in place.  Then the same pair as standard strings.
cat >in.jsonl <<'JSON'
{"prompt": "Name a fruit.", "prompt_id": "a1", "chosen": [{"role": "user", "content": "Name a fruit."}, {"role": "assistant", "content": "Apple."}], "rejected": [{"role": "user", "content": "Name a fruit."}, {"role": "assistant", "content": "Rock."}], "score_chosen": 8.0, "score_rejected": 2.5}
{"prompt": "Q", "chosen": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}], "rejected": [{"role": "user", "content": "Not Q"}, {"role": "assistant", "content": "B"}]}
JSON
pref-convert --from ultrafeedback-binarized --on-error=skip in.jsonl
pref-convert --from ultrafeedback-binarized --to standard --on-error=skip in.jsonl 2>/dev/null
