# Implicit prompts with --placement prefix: the first user message of both
# chosen and rejected (the paper's "nosys" variant).
pref-relabel --placement prefix --template 'Goal {score}.' "$TESTDATA/relabel/implicit.jsonl"
