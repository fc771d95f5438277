# --to standard: message lists become strings - a one-user-message prompt
# its content, an implicit prompt made explicit, responses their
# assistant text.  A prompt of several messages is refused (line 3) unless
# --flatten-template joins them (a lone user message stays its content).
printf '%s\n' \
	'{"prompt":[{"role":"user","content":"p"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}],"s":1}' \
	'{"chosen":[{"role":"user","content":"p"},{"role":"assistant","content":"a"}],"rejected":[{"role":"user","content":"p"},{"role":"assistant","content":"b"}]}' \
	'{"prompt":[{"role":"system","content":"S"},{"role":"user","content":"p"}],"chosen":"a","rejected":"b"}' >in.jsonl
pref-convert --from trl --to standard --on-error=skip --stats=stats.json in.jsonl
cat stats.json
pref-convert --from trl --to standard --flatten-template '[{role}] {content}\n' in.jsonl
