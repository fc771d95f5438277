# --from nectar (rank 1 is the best answer), ultrafeedback (overall_score;
# "N/A" dropped and counted) and helpsteer (--score ATTR; a list per run
# of equal prompts): read by the library's format readers, then expanded
# like native lists.  group_id of "Hi": xxhsum -H3 = 36d60e54a0d7c8e7.
echo '{"prompt":"Hi","answers":[{"answer":"worst","model":"m3","rank":3},{"answer":"best","model":"m1","rank":1},{"answer":"mid","model":"m2","rank":2}],"turns":1}' |
	pref-expand --from nectar --pairs all
echo '{"instruction":"Hi","completions":[{"response":"r1","model":"m1","overall_score":7.5},{"response":"r2","model":"m2","overall_score":"N/A"},{"response":"r3","model":"m3","overall_score":9}]}' |
	pref-expand --from ultrafeedback --stats=uf.json
cat uf.json
printf '%s\n' \
	'{"prompt":"Hi","response":"a","helpfulness":3,"correctness":3,"coherence":4,"complexity":1,"verbosity":1}' \
	'{"prompt":"Hi","response":"b","helpfulness":4,"correctness":2,"coherence":4,"complexity":1,"verbosity":2}' \
	'{"prompt":"Yo","response":"c","helpfulness":1,"correctness":3,"coherence":4,"complexity":1,"verbosity":1}' >hs.jsonl
pref-expand --from helpsteer --score correctness --stats=hs.json hs.jsonl
cat hs.json
pref-expand --from helpsteer hs.jsonl
