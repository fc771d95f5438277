# A score pref-relabel uses must be a number that fits (prefkit(7)
# NUMBERS; issue 8 item 7): an integer beyond 64 bits, or a number so
# small that it reads as 0 (1e-400, which read as 0 and then fell outside
# the scale with a misleading message) is a bad record naming the field.
for s in 7 1e-400 18446744073709551616 9223372036854775807; do
	printf '{"prompt":"p","chosen":"a","rejected":"b","score_chosen":%s,"score_rejected":2}\n' "$s"
done > in.jsonl
pref-relabel --scale=0:1e19 --template='{score}' --on-error=skip --stats=st.json in.jsonl
cat st.json
