# Message-list prompts, auto placement = system: a new system message at
# index 0, or TEXT + "\n\n" + the content of an existing leading one
# (its other keys kept).
pref-relabel --template 'Goal {score}.' "$TESTDATA/relabel/messages.jsonl"
