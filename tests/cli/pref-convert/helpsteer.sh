# HelpSteer rows: one list per run of adjacent rows with the same prompt
# (P1 comes back after P2: a new list); score from --score (default
# helpfulness), every attribute kept in "scores"; a row whose score is
# null is dropped (counted).  group_id: xxhsum -H3 of "P1".
cat >in.jsonl <<'JSON'
{"prompt":"P1","response":"a","helpfulness":3,"correctness":3,"coherence":4,"complexity":1,"verbosity":2}
{"prompt":"P1","response":"b","helpfulness":4,"correctness":4,"coherence":4,"complexity":1,"verbosity":1}
{"prompt":"P2","response":"c","helpfulness":null,"correctness":1,"coherence":1,"complexity":1,"verbosity":1}
{"prompt":"P2","response":"d","helpfulness":2,"correctness":1,"coherence":1,"complexity":1,"verbosity":1}
{"prompt":"P1","response":"e","helpfulness":0,"correctness":0,"coherence":0,"complexity":0,"verbosity":0}
JSON
pref-convert --stats=stats.json in.jsonl
cat stats.json
pref-convert --from helpsteer --score correctness in.jsonl
pref-convert --from helpsteer --to pairs --stats=stats.json in.jsonl
cat stats.json
