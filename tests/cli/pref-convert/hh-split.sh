# HH transcripts: the prompt ends with the last "\n\nAssistant:" before the
# transcripts differ (not where the characters part: "I think" / "I do"),
# the single leading space of each response is dropped, other fields stay.
printf '%s\n' \
	'{"chosen": "\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Joke?\n\nAssistant: No.", "rejected": "\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Joke?\n\nAssistant: Knock knock.", "id": 1}' \
	'{"chosen":"\n\nHuman: Q\n\nAssistant: I think so","rejected":"\n\nHuman: Q\n\nAssistant: I do not"}' \
	'{"chosen":"\n\nHuman: Q\n\nAssistant:  two spaces","rejected":"\n\nHuman: Q\n\nAssistant:none"}' |
	pref-convert --from hh
