# A JSON array file is read element by element; check against Python.
pref-cat "$DATA/sample-sharegpt.json" > out.jsonl
wc -l < out.jsonl
python3 - "$DATA/sample-sharegpt.json" out.jsonl <<'PY'
import json, sys
want = json.load(open(sys.argv[1]))
got = [json.loads(l) for l in open(sys.argv[2])]
print("same" if got == want else "DIFFERENT")
PY
