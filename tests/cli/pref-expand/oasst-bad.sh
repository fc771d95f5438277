# Malformed OpenAssistant trees (bad fields, a message id seen twice as in
# a cycle, a parent_id that is not the parent's) are bad records with a
# clear message;
# nothing of a bad tree is written, every tree is accounted for.
cat >bad.jsonl <<'X'
{"message_tree_id":"t1","prompt":{"message_id":"r","text":"Q","role":"prompter","replies":[{"message_id":"a","parent_id":"r","text":"A","role":"assistant","rank":1,"replies":[]},{"message_id":"b","parent_id":"r","text":"B","role":"assistant","rank":0,"replies":[]}]}}
{"message_tree_id":"t2","prompt":{"message_id":"r","text":"Q","role":"prompter","replies":{"x":1}}}
{"message_tree_id":"t3","prompt":{"message_id":"r","text":"Q","role":"prompter","replies":[{"message_id":"a","text":"A","role":"robot","rank":0,"replies":[]}]}}
{"message_tree_id":"t6","prompt":{"message_id":"r","text":"Q","role":"prompter","replies":[{"message_id":"a","parent_id":"r","text":"A","role":"assistant","rank":0.5,"replies":[]},{"message_id":"b","parent_id":"r","text":"B","role":"assistant","rank":1,"replies":[]}]}}
{"message_tree_id":"t7","prompt":{"message_id":"r","role":"prompter","replies":[]}}
{"message_tree_id":"t8"}
{"message_tree_id":"t9","prompt":{"message_id":"r","text":"Q","role":"prompter","replies":[{"message_id":"a","parent_id":"r","text":"A","role":"assistant","rank":0,"replies":[{"message_id":"r","parent_id":"a","text":"Q","role":"prompter","replies":[]}]},{"message_id":"b","parent_id":"r","text":"B","role":"assistant","rank":1,"replies":[]}]}}
{"message_tree_id":"t10","prompt":{"message_id":"r","text":"Q","role":"prompter","replies":[{"message_id":"a","parent_id":"zz","text":"A","role":"assistant","rank":0,"replies":[]},{"message_id":"b","parent_id":"r","text":"B","role":"assistant","rank":1,"replies":[]}]}}
X
pref-expand --from oasst bad.jsonl
echo "exit $?"
pref-expand --from oasst --on-error=skip --stats=s.json bad.jsonl
echo "exit $?"
cat s.json
