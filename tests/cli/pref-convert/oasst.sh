# A 3-level OpenAssistant tree written by hand: root P; its assistant
# replies A0 (rank 0), A1 (rank 1, synthetic), A2 (deleted) and A3 (rank
# null); A0 -> prompter P2 -> assistant replies B1 (rank 1), B0 (rank 0)
# and Bx (review_result false).  Two ranked sibling groups: {A0, A1} under
# P and {B1, B0} under P2.  group_id values computed with xxhsum -H3 of
# [{"content":"What is 2+2?","role":"user"}] and of the 3-message prompt.
cat >tree.jsonl <<'JSON'
{"message_tree_id": "t1", "tree_state": "ready_for_export", "prompt": {"message_id": "p", "role": "prompter", "text": "What is 2+2?", "replies": [{"message_id": "a0", "role": "assistant", "text": "4", "rank": 0, "replies": [{"message_id": "p2", "role": "prompter", "text": "Why?", "replies": [{"message_id": "b1", "role": "assistant", "text": "Because.", "rank": 1}, {"message_id": "b0", "role": "assistant", "text": "Count: 1,2,3,4.", "rank": 0}, {"message_id": "bx", "role": "assistant", "text": "Spam", "rank": 2, "review_result": false}]}]}, {"message_id": "a1", "role": "assistant", "text": "5", "rank": 1, "synthetic": true, "replies": []}, {"message_id": "a2", "role": "assistant", "text": "22", "rank": 2, "deleted": true}, {"message_id": "a3", "role": "assistant", "text": "four", "rank": null}]}}
JSON
pref-convert --from oasst --stats=stats.json tree.jsonl
cat stats.json
pref-convert --from oasst --no-synthetic --stats=stats.json tree.jsonl
cat stats.json
pref-convert --from oasst --to pairs tree.jsonl
