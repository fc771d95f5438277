# Implicit prompts (no prompt field; chosen and rejected are whole
# conversations): both sides get the condition, as the paper's
# add_pos_goal / add_neg_goal do; an existing system message is merged.
pref-relabel --template 'Goal {score}.' "$TESTDATA/relabel/implicit.jsonl"
