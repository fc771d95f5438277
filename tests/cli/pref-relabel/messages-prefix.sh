# --placement prefix on message lists: TEXT + "\n\n" before the content
# of the first user message; a leading system message is left alone.
pref-relabel --placement prefix --template 'Goal {score}.' "$TESTDATA/relabel/messages.jsonl"
