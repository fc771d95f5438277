# --prompt-template for every reader that takes --prompt-field (trl,
# lists, pairwise, bon): {PATH} is the field's text, a [...] segment is
# left out when a field in it is missing, null or empty, and a missing
# field outside brackets is a bad record.  The new "prompt" goes first
# (or replaces a "prompt" the record has, in its place); the fields read
# are kept.  Expected output written by hand.
printf '%s\n' \
 '{"instruction":"Add","input":"1 2","chosen":"3","rejected":"4"}' \
 '{"instruction":"Greet","input":"","chosen":"hi","rejected":"go"}' \
 '{"instruction":"Greet","chosen":"hi","rejected":"go"}' \
 '{"input":"x","chosen":"a","rejected":"b"}' \
 '{"instruction":"Count","input":null,"prompt":"old","chosen":"1 2","rejected":"2 1"}' >alpaca.jsonl
pref-convert --from trl --prompt-template '{instruction}[\n\nInput: {input}]' \
	--on-error=skip --stats=s.json alpaca.jsonl
cat s.json
echo '# pairwise, bon and lists'
printf '%s\n' '{"q":"Q","ctx":{"doc":"D"},"response_a":"a","response_b":"b","label":"B"}' |
	pref-convert --from pairwise --prompt-template '[{ctx.doc}\n]{q}' --a-wins A --b-wins B
printf '%s\n' '{"q":"Q","best":"b","losers":["l"]}' |
	pref-convert --from bon --prompt-template 'Q: {q}' --best-field best --losers-field losers --to lists
printf '%s\n' '{"title":"T","n":3,"responses":[{"text":"a","score":1}]}' |
	pref-convert --from lists --prompt-template '{title} \[{n}\]'
echo '# usage errors'
pref-convert --from trl --prompt-template '{a' alpaca.jsonl
pref-convert --from trl --prompt-template '{a}' --prompt-field x alpaca.jsonl
pref-convert --from hh --prompt-template '{a}' alpaca.jsonl
echo "exit $?"
