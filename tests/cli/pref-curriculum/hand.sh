# Worked by hand (see hand.stdout): lists of N = 2, 4 and 7 responses,
# with ties and by rank only, --within gap.  Pair (R1, Rk) of N untied
# responses is stage N - k + 1; with ties, standings count: scores
# 9 8 8 6 5 5 1 are 5 standings, so 9-vs-8 is stage 4, 9-vs-6 stage 3,
# 9-vs-5 stage 2, 9-vs-1 stage 1.  Within a stage: gap descending, then
# input order.  group_id: `printf '"four"' | xxhsum -H3` (SPEC 1.4).
printf '%s\n' \
	'{"prompt":"four","responses":[{"text":"b","score":7},{"text":"d","score":3},{"text":"a","score":9},{"text":"c","score":5}]}' \
	'{"prompt":"two","responses":[{"text":"x","rank":2},{"text":"y","rank":1}]}' \
	'{"prompt":"seven","id":7,"responses":[{"text":"r0","score":5},{"text":"r1","score":9,"model":"m"},{"text":"r2","score":1},{"text":"r3","score":8},{"text":"r4","score":6},{"text":"r5","score":5},{"text":"r6","score":8}]}' \
	'{"prompt":"one","responses":[{"text":"only","score":1}]}' |
	pref-curriculum --within gap --stats 2>&1
