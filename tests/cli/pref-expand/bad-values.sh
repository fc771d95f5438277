# A score or rank a command uses must be a number that fits (prefkit(7)
# NUMBERS; issue 8 item 7): an integer beyond 64 bits, a number beyond a
# double or so small that it reads as 0 is a bad record, and so is an
# UltraFeedback score that is not a number or the text of one, or an
# oasst flag that is not a boolean, read with --from.
for s in 2 9223372036854775807 -9223372036854775808 9223372036854775808 18446744073709551616 1e400 1e-400 0e-400 '"0x10"'; do
	printf '{"prompt":"p","responses":[{"text":"a","score":%s},{"text":"b","score":1.5}]}\n' "$s"
done > lists.jsonl
pref-expand --on-error=skip --stats=st.json lists.jsonl
cat st.json
printf '{"prompt":"p","responses":[{"text":"a","rank":%s},{"text":"b","rank":3}]}\n' 1 18446744073709551616 1e-400 > ranks.jsonl
pref-expand --on-error=skip ranks.jsonl
for s in '"7.5"' '"abc"' '"NaN"' '"0x10"' true '{}' '"1e400"' 1E-400; do
	printf '{"instruction":"q","completions":[{"response":"a","overall_score":%s},{"response":"b","overall_score":3}]}\n' "$s"
done > uf.jsonl
pref-expand --from ultrafeedback --on-error=skip uf.jsonl
for f in '"deleted":false' '"deleted":"yes"'; do
	printf '{"message_tree_id":"t","prompt":{"message_id":"p","role":"prompter","text":"q","replies":[{"message_id":"r1","role":"assistant","text":"a","rank":0},{"message_id":"r2","role":"assistant","text":"b","rank":1,%s}]}}\n' "$f"
done > oasst.jsonl
pref-expand --from oasst --on-error=skip oasst.jsonl
