# A score a command uses must be a number that fits (prefkit(7) NUMBERS;
# issue 8 item 7): an integer beyond 64 bits, or a number so small that it
# reads as 0, is a bad record, in pairs, in lists, and in an UltraFeedback
# score read with --from (where "0x10" read as 16).
for s in 8 18446744073709551616 1E-400; do
	printf '{"prompt":"p%s","chosen":"a","rejected":"b","score_chosen":%s,"score_rejected":1}\n' "$s" "$s"
done > pairs.jsonl
pref-curriculum --input=pairs --on-error=skip --stats=st.json pairs.jsonl
cat st.json
for s in 4 9223372036854775808 1e-400; do
	printf '{"prompt":"p%s","responses":[{"text":"a","score":%s},{"text":"b","score":1}]}\n' "$s" "$s"
done > lists.jsonl
pref-curriculum --input=lists --on-error=skip lists.jsonl
i=0
for s in 5 '"0x10"' '"inf"'; do
	i=$((i + 1))
	printf '{"instruction":"q%d","completions":[{"response":"a","overall_score":%s},{"response":"b","overall_score":3}]}\n' $i "$s"
done > uf.jsonl
pref-curriculum --from ultrafeedback --on-error=skip uf.jsonl
