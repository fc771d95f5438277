# Bad inputs: clear messages by line, nothing lost - under quarantine
# every bad line is in the quarantine file and read = written + skipped +
# quarantined holds.
cat >nectar.jsonl <<'JSON'
{"prompt":"p","answers":[{"answer":"a","rank":1},{"answer":"b","rank":2}]}
{"prompt":"p","answers":[{"answer":"a","rank":1},{"answer":"b","rank":"2"}]}
{"prompt":"p","answers":[{"answer":"a","rank":1},{"model":"m","rank":2}]}
{"prompt":"p","answers":[{"answer":"a","rank":1},{"answer":"b","rank":2.5}]}
{"prompt":"p","answers":
{"prompt":"p","answers":{"answer":"a"}}
JSON
pref-convert --from nectar --on-error=quarantine=bad.jsonl --stats=stats.json nectar.jsonl
cat stats.json
tail -n 5 nectar.jsonl | cmp - bad.jsonl && echo "5 bad lines quarantined"
pref-convert --from nectar nectar.jsonl >/dev/null
echo "abort: exit $?"

# malformed trees: replies not an array, a role that is neither
cat >trees.jsonl <<'JSON'
{"message_tree_id":"t","prompt":{"role":"prompter","text":"Q","replies":{"role":"assistant"}}}
{"message_tree_id":"t","prompt":{"role":"prompter","text":"Q","replies":[{"message_id":"m1","role":"assistant","text":"a","rank":0,"replies":[{"role":"user","text":"x"}]},{"role":"assistant","text":"b","rank":1}]}}
{"message_tree_id":"t","prompt":{"role":"prompter","replies":[]}}
{"message_tree_id":"t","prompt":"Q"}
JSON
pref-convert --from oasst --on-error=skip --stats=stats.json trees.jsonl
cat stats.json

# lists whose responses lack text; a record auto cannot place
printf '%s\n' '{"prompt":"p","responses":[{"text":"a","score":1},{"score":2}]}' \
	'{"question":"q","answer":"a"}' >misc.jsonl
pref-convert --on-error=skip misc.jsonl
echo "exit $?"
