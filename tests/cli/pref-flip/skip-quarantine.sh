# --on-error=skip and quarantine=FILE: read = written + skipped +
# quarantined + dropped, checked from --stats=FILE.
cat >mixed.jsonl <<'END'
{"prompt":"a","chosen":"A","rejected":"B","h_w":1,"h_l":0}
{"prompt":"b","chosen":"A","rejected":"B","h_w":1,"h_l":2}
{"prompt":"c","chosen":"A","rejected":"B","h_w":1,"h_l":1}
not json
{"prompt":"e","chosen":"A","rejected":"B","h_l":0}
{"prompt":"f","chosen":"A","rejected":"B","h_w":false,"h_l":true}
END
check='import json,sys; s=json.load(open(sys.argv[1])); print(s["read"] == s["written"] + s["skipped"] + s["quarantined"] + s["dropped_flipped"] + s["dropped_both_hallucinated"])'
pref-flip --on-error=skip --drop-both-hallucinated --stats=s.json mixed.jsonl
echo "exit $?"
cat s.json
python3 -c "$check" s.json
pref-flip --on-error=quarantine=q.jsonl --drop-both-hallucinated --stats=q.json mixed.jsonl >/dev/null 2>&1
echo "exit $?"
cat q.json
python3 -c "$check" q.json
cat q.jsonl
