# A label or score pref-flip uses must be a number that fits (prefkit(7)
# NUMBERS; issue 8 item 7): h_w 1E-400 was taken as 0 (a nonzero number
# that reads as 0 is bad), and an integer beyond 64 bits is bad too.
for h in 1 0.0 1E-400 0e-5 18446744073709551617; do
	printf '{"prompt":"p","chosen":"a","rejected":"b","h_w":%s,"h_l":0}\n' "$h"
done > labels.jsonl
pref-flip --on-error=skip --stats=st.json labels.jsonl
cat st.json
for s in 2 1e-400 18446744073709551616; do
	printf '{"prompt":"p","chosen":"a","rejected":"b","score_chosen":%s,"score_rejected":5}\n' "$s"
done > scores.jsonl
pref-flip --by=score --on-error=skip scores.jsonl
