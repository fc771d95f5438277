# Records of different layouts in one file (key orders, whitespace or
# none, goal_score already there, implicit prompts, keys of the same
# lengths but other names, nested paired keys): each pair is built from
# its own record, whatever the records before it looked like.  Pair 2 of
# line 4 swaps h_w/h_l inside meta.flags; line 5's chosen_notes has no
# partner (unrelated_name only has the same length as rejected_model), so
# it is renamed; line 3's goal_score keeps its place.
pref-relabel --template 'Goal {score}.' "$TESTDATA/relabel/layouts.jsonl"
# The same file twice over, compacted first: the same pairs twice.
pref-cat "$TESTDATA/relabel/layouts.jsonl" "$TESTDATA/relabel/layouts.jsonl" |
	pref-relabel --template 'Goal {score}.'
