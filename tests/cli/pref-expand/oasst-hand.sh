# A 3-level OpenAssistant tree written by hand:
#   r  prompter "Q"
#   +- a1 assistant rank 1
#   +- a0 assistant rank 0
#   |  +- p prompter "follow-up"
#   |     +- b0 assistant rank 0
#   |     +- b1 assistant rank 1, deleted            (skipped)
#   |     +- b2 assistant rank 2
#   |     +- b3 assistant rank null                  (unranked)
#   +- a2 assistant rank 2, review_result false      (skipped)
#   +- a3 assistant rank 3, synthetic                (kept, unless --no-synthetic)
# Groups: under r a0 > a1 > a3; under p b0 > b2.  group_id of the prompts
# (xxhsum -H3 of their sorted compact JSON): [Q] e2233af3400d4d93,
# [Q, a0, follow-up] c2a7a6af5df5298a.
cat >tree.jsonl <<'X'
{"message_tree_id": "t1", "tree_state": "ready_for_export", "prompt": {"message_id": "r", "text": "Q", "role": "prompter", "review_result": true, "deleted": false, "synthetic": false, "replies": [{"message_id": "a1", "parent_id": "r", "text": "a1", "role": "assistant", "review_result": true, "deleted": false, "synthetic": false, "rank": 1, "replies": []}, {"message_id": "a0", "parent_id": "r", "text": "a0", "role": "assistant", "review_result": true, "deleted": false, "synthetic": false, "rank": 0, "replies": [{"message_id": "p", "parent_id": "a0", "text": "follow-up", "role": "prompter", "review_result": true, "deleted": false, "synthetic": false, "replies": [{"message_id": "b0", "parent_id": "p", "text": "b0", "role": "assistant", "review_result": true, "deleted": false, "synthetic": false, "rank": 0, "replies": []}, {"message_id": "b1", "parent_id": "p", "text": "b1", "role": "assistant", "review_result": true, "deleted": true, "synthetic": false, "rank": 1, "replies": []}, {"message_id": "b2", "parent_id": "p", "text": "b2", "role": "assistant", "review_result": true, "deleted": false, "synthetic": false, "rank": 2, "replies": []}, {"message_id": "b3", "parent_id": "p", "text": "b3", "role": "assistant", "review_result": true, "deleted": false, "synthetic": false, "rank": null, "replies": []}]}]}, {"message_id": "a2", "parent_id": "r", "text": "a2", "role": "assistant", "review_result": false, "deleted": false, "synthetic": false, "rank": 2, "replies": []}, {"message_id": "a3", "parent_id": "r", "text": "a3", "role": "assistant", "review_result": true, "deleted": false, "synthetic": true, "rank": 3, "replies": []}]}}
X
echo "== best-vs-rest"
pref-expand --from oasst --stats=s1.json tree.jsonl
cat s1.json
echo "== all, --no-synthetic"
pref-expand --from oasst --no-synthetic --pairs all --stats=s2.json tree.jsonl
cat s2.json
