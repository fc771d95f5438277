# --json: the report parsed back and checked field by field; --json=FILE
# writes it beside the text report.
printf '%s\n' '{"prompt":"p","chosen":"a","rejected":"a"}' 'nope' \
  '{"prompt":"p","chosen":"a","rejected":"b","score_chosen":1,"score_rejected":1}' >in.jsonl
pref-check --json in.jsonl >report.json
echo "exit $?"
python3 - report.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == "fail" and r["records"] == 3, r
assert (r["errors"], r["warnings"], r["max_violations"]) == (2, 1, 0)
assert r["files"] == ["in.jsonl"]
assert list(r["rules"]) == ["json", "schema", "empty", "identical", "misordered",
    "tie", "range", "duplicate", "leak", "deny", "length"]
assert r["rules"]["tie"] == {"level": "warn", "violations": 1, "listed": 1}
assert r["rules"]["range"]["level"] == "off"
got = [(v["file"], v["line"], v["rule"], v["level"], v["message"]) for v in r["violations"]]
assert got == [("in.jsonl", 1, "identical", "error", "chosen and rejected are identical"),
    ("in.jsonl", 2, "json", "error", "invalid JSON: unexpected character 'o' (column 2)"),
    ("in.jsonl", 3, "tie", "warn", "score_chosen = score_rejected = 1")], got
print("ok")
PY
pref-check --json=r.json --max-violations 5 in.jsonl | tail -n 1
echo "exit $?"
python3 -c 'import json; r = json.load(open("r.json")); print(r["status"], r["errors"], len(r["violations"]))'
