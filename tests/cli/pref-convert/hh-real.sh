# All 2312 pairs of the HH-RLHF harmless-base test split convert.  Checked
# independently (python3): every prompt ends with "\n\nAssistant:", prompt
# + " " + response gives back each original transcript, and the records
# reported are exactly those the rule's three cases select.
pref-convert --stats=stats.json -o pairs.jsonl "$TESTDATA/convert/hh_harmless_test.jsonl.gz" 2>warnings.txt
echo "exit $?"
cat stats.json
python3 - "$TESTDATA/convert/hh_harmless_test.jsonl.gz" <<'PY'
import gzip, json, sys
src = [json.loads(l) for l in gzip.open(sys.argv[1], "rt", encoding="utf-8")]
out = [json.loads(l) for l in open("pairs.jsonl", encoding="utf-8")]
M = "\n\nAssistant:"
ok = ends = 0
expect = {}
for i, (s, o) in enumerate(zip(src, out), 1):
    p = o["prompt"]
    ends += p.endswith(M)
    ok += all(p + " " + o[k] == s[k] for k in ("chosen", "rejected"))
    c, r = s["chosen"], s["rejected"]
    if c == r:
        expect[i] = "identical"
    elif c.startswith(r) or r.startswith(c):
        expect[i] = "prefix"
    elif any(m in o[k] for k in ("chosen", "rejected") for m in (M, "\n\nHuman:")):
        expect[i] = "diverges-early"
print(len(src), "in,", len(out), "out,", ends, "prompts end with Assistant:,", ok, "round trips")
got = {}
for line in open("warnings.txt", encoding="utf-8"):
    where, kind = line.split(": hh: ")
    got[int(where.rsplit(":", 1)[1])] = kind.split(":")[0]
print("reported as expected:", got == expect, sorted(expect.items()))
PY
