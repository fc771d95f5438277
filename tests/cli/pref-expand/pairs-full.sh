# Default strategy (best-vs-rest) on a list with whitespace: members
# compacted, list fields in place, numbers copied as written (7.0, 2.50,
# 1e0), other response fields carried as chosen_<key> / rejected_<key>.
# group_id = XXH3-64 of "Why?" (xxhsum -H3: 078bc77c30cf4d59).
printf '%s\n' '{"id": "q1", "prompt": "Why?", "responses": [{"text": "Because.", "score": 7.0, "model": "m1"}, {"text": "No.", "score": 2.50, "model": "m2", "lang": "en"}, {"text": "Dunno", "score": 1e0}], "source": "hand"}' >in.jsonl
pref-expand --stats=stats.json in.jsonl
cat stats.json
