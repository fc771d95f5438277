# Scores and ranks both present: --rank-by chooses (default score), and
# both are written.  Rank 1 (best rank) has the lower score here.
printf '%s\n' '{"prompt":"P","responses":[{"text":"a","score":9,"rank":2},{"text":"b","score":4,"rank":1}]}' >in.jsonl
pref-expand in.jsonl
pref-expand --rank-by rank in.jsonl
# A rank-only list with --rank-by score falls back to the ranks.
printf '%s\n' '{"prompt":"P","responses":[{"text":"a","rank":2},{"text":"b","rank":1}]}' | pref-expand --rank-by score
