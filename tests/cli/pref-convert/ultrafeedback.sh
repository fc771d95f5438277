# UltraFeedback to ranked lists: instruction -> prompt, completions ->
# responses {text, score, model} in place; the score by --score; a
# completion without one ("N/A") is dropped and counted.  Expected scores
# by hand: overall 8.5 / 2; fine-grained 4.75 / 1.5; mean-aspects
# (5+4)/2 = 4.5 / 1 (N/A aspect left out).  group_id: xxhsum -H3 of
# "Name a fruit." (quotes included).
cat >in.jsonl <<'JSON'
{"source": "evol", "instruction": "Name a fruit.", "models": ["m1", "m2", "m3"], "completions": [{"model": "m1", "response": "Apple.", "overall_score": 8.5, "fine-grained_score": 4.75, "annotations": {"helpfulness": {"Rating": "5", "Rationale": "ok"}, "honesty": {"Rating": "4"}}, "critique": "fine"}, {"model": "m2", "response": "Rock.", "overall_score": 2, "fine-grained_score": 1.5, "annotations": {"helpfulness": {"Rating": "1"}, "honesty": {"Rating": "N/A"}}}, {"model": "m3", "response": "Pear.", "overall_score": "N/A", "fine-grained_score": "N/A", "annotations": {"helpfulness": {"Rating": "N/A"}, "honesty": {"Rating": "N/A"}}}]}
JSON
pref-convert --stats=stats.json in.jsonl
cat stats.json
pref-convert --from ultrafeedback --score fine-grained in.jsonl
pref-convert --from ultrafeedback --score mean-aspects in.jsonl
pref-convert --from ultrafeedback --to pairs --stats=stats.json in.jsonl
cat stats.json
pref-convert --from ultrafeedback --score best in.jsonl
echo "exit $?"
