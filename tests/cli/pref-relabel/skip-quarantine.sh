# --on-error=skip and quarantine=FILE: bad records are counted, good ones
# written; every input record is accounted for:
# read = relabeled + dropped_ties + skipped + quarantined.
cat >mixed.jsonl <<'END'
{"prompt":"a","chosen":"A","rejected":"B","score_chosen":9,"score_rejected":2}
{"prompt":"b","chosen":"A","rejected":"B","score_chosen":9}
{"prompt":"c","chosen":"A","rejected":"B","score_chosen":5,"score_rejected":5}
{"prompt":"d",
{"prompt":"e","chosen":"A","rejected":"B","score_chosen":11,"score_rejected":2}
{"prompt":"f","chosen":"A","rejected":"B","score_chosen":3,"score_rejected":4}
END
check='import json,sys; s=json.load(open(sys.argv[1])); print(s["read"] == s["relabeled"] + s["dropped_ties"] + s["skipped"] + s["quarantined"], s["written"])'
pref-relabel --on-error=skip --ties drop --stats=s.json --template 'G{score}' mixed.jsonl
echo "exit $?"
cat s.json
python3 -c "$check" s.json
pref-relabel --on-error=quarantine=q.jsonl --ties drop --stats=q.json --template 'G{score}' mixed.jsonl >/dev/null 2>&1
echo "exit $?"
cat q.json
python3 -c "$check" q.json
cat q.jsonl
