# --to conversational: the HH prompt's turns become user/assistant
# messages (the final "Assistant:" cue dropped), each response one
# assistant message; a response holding several turns gives several.
printf '%s\n' \
	'{"chosen":"\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Joke?\n\nAssistant: No.","rejected":"\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Joke?\n\nAssistant: Knock knock."}' \
	'{"chosen":"\n\nHuman: Q\n\nAssistant: A\n\nHuman: R\n\nAssistant: B","rejected":"\n\nHuman: Q\n\nAssistant: C"}' |
	pref-convert -q --from hh --to conversational
