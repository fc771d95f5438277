# The paper's condition text (reward_augmentation.py), string prompts:
# prefix placement; integral goals print as integers, 0.1E1 is copied raw
# into goal_score and the swapped score fields; whitespace is compacted.
pref-relabel "$TESTDATA/relabel/string.jsonl"
