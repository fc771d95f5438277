# Values the format readers used to take wrongly (issue 8 item 7) are bad
# records naming the field and what its value is.  UltraFeedback: a score
# is a number, or a string holding the text of a JSON number; null and
# "N/A" mean "no score" (the completion is dropped and counted); anything
# else is bad, "0x10" included (it read as 16).  ShareGPT: a "value" that
# is not a string (or a list of parts) is bad (it was copied into
# "content").  oasst: "deleted", "synthetic" and "review_result" are
# booleans (or null); "deleted": "yes" was taken as not deleted.  Numbers
# follow prefkit(7): an integer beyond 64 bits, or a number beyond a
# double or so small that it reads as 0, is bad.
uf() {	# the first completion's overall_score
	printf '{"instruction":"q","completions":[{"response":"a","model":"m1","overall_score":%s},{"response":"b","model":"m2","overall_score":3}]}\n' "$1"
}
for s in '"7.5"' '"N/A"' null 9223372036854775807 '"abc"' '"NaN"' '"inf"' '"1e400"' '"1e-400"' true '{}' '[]' '"0x10"' '" 7"' '""' 1e400 1E-400 18446744073709551616 '"18446744073709551616"'; do
	uf "$s"
done > uf.jsonl
pref-convert --from ultrafeedback --on-error=skip --stats=st.json uf.jsonl 2>/dev/null
cat st.json
# one by one, for every message
while read -r line; do
	printf '%s\n' "$line" | pref-convert --from ultrafeedback > /dev/null || echo "exit $?"
done < uf.jsonl
# the same in an annotation's "Rating" (--score mean-aspects)
printf '%s\n' '{"instruction":"q","completions":[{"response":"a","annotations":{"helpfulness":{"Rating":"4"},"honesty":{"Rating":"N/A"}}},{"response":"b","annotations":{"honesty":{"Rating":"2"}}}]}' \
	'{"instruction":"q","completions":[{"response":"a","annotations":{"helpfulness":{"Rating":"four"}}},{"response":"b","annotations":{"honesty":{"Rating":"2"}}}]}' \
	'{"instruction":"q","completions":[{"response":"a","annotations":{"helpfulness":{"Rating":false}}},{"response":"b","annotations":{"honesty":{"Rating":"2"}}}]}' > aspects.jsonl
pref-convert --from ultrafeedback --score mean-aspects --on-error=skip aspects.jsonl
# ShareGPT
printf '%s\n' '{"conversations":[{"from":"human","value":"hi"}],"chosen":{"from":"gpt","value":"a"},"rejected":{"from":"gpt","value":"b"}}' \
	'{"conversations":[{"from":"human","value":42}],"chosen":{"from":"gpt","value":"a"},"rejected":{"from":"gpt","value":"b"}}' \
	'{"conversations":[{"from":"human","value":"hi"}],"chosen":{"from":"gpt","value":null},"rejected":{"from":"gpt","value":"b"}}' \
	'{"conversations":[{"from":"human","value":"hi"}],"chosen":{"from":"gpt","value":"a"},"rejected":{"from":"gpt","value":{"text":"b"}}}' > sharegpt.jsonl
pref-convert --from sharegpt --on-error=skip sharegpt.jsonl
# oasst: two ranked replies, the second's flag varies
oa() {
	printf '{"message_tree_id":"t","prompt":{"message_id":"p","role":"prompter","text":"q","replies":[{"message_id":"r1","role":"assistant","text":"a","rank":0},{"message_id":"r2","role":"assistant","text":"b",%s}]}}\n' "$1"
}
for f in '"rank":1,"deleted":false' '"rank":1,"deleted":true' '"rank":1,"deleted":"yes"' '"rank":1,"synthetic":1' '"rank":1,"review_result":"false"' '"rank":1,"deleted":null' '"rank":18446744073709551616'; do
	oa "$f"
done > oasst.jsonl
pref-convert --from oasst --on-error=skip --stats=st.json oasst.jsonl
cat st.json
