# --to conversational: strings become one user / one assistant message;
# message lists are left as they are.
printf '%s\n' \
	'{"prompt":"p","chosen":"a","rejected":"b","s":1}' \
	'{"prompt":[{"role":"user","content":"p"}],"chosen":"a","rejected":[{"role":"assistant","content":"b"}]}' |
	pref-convert --from trl --to conversational
