# --placement system on message-list prompts is what auto does.
pref-relabel --placement system --template 'Goal {score}.' "$TESTDATA/relabel/messages.jsonl" >sys.out
pref-relabel --template 'Goal {score}.' "$TESTDATA/relabel/messages.jsonl" >auto.out
cmp sys.out auto.out && wc -l <sys.out
