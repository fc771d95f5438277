# Foreign formats (--from): the records a format reader makes of each input
# record are checked and reported at its line; a record the reader refuses
# is a schema violation.  Real data against independent Python counts:
# the ShareGPT demo (a JSON array file) repeats 5 records, and 4 HH-RLHF
# pairs have an empty chosen response once split at the last shared
# "\n\nAssistant:".
pref-check --json --limit 0 --from sharegpt "$TESTDATA/convert/dpo_en_demo.json" >sg.json
echo "exit $?"
pref-check --json --limit 0 --from hh "$TESTDATA/convert/hh_harmless_test.jsonl.gz" >hh.json
echo "exit $?"
pref-convert --from hh "$TESTDATA/convert/hh_harmless_test.jsonl.gz" 2>convert.err >/dev/null
python3 - "$TESTDATA" <<'PY'
import gzip, json, sys
d = sys.argv[1]
t = open(d + "/convert/dpo_en_demo.json").read()
dec, pos, seen, dups = json.JSONDecoder(), t.index("[") + 1, {}, []
while True:
    while t[pos] in " \n\r\t,":
        pos += 1
    if t[pos] == "]":
        break
    line = t.count("\n", 0, pos) + 1
    v, pos = dec.raw_decode(t, pos)
    k = json.dumps([v["conversations"], v["chosen"], v["rejected"]], sort_keys=True)
    if k in seen:
        dups.append([line, seen[k]])
    else:
        seen[k] = line
got = [[v["line"], int(v["message"].rsplit(":", 1)[1])]
       for v in json.load(open("sg.json"))["violations"]]
print("sharegpt duplicates", len(dups), got == dups)
empty, notes = [], []
for i, r in enumerate(map(json.loads, gzip.open(d + "/convert/hh_harmless_test.jsonl.gz", "rt")), 1):
    c, j = r["chosen"], r["rejected"]
    k = 0
    while k < min(len(c), len(j)) and c[k] == j[k]:
        k += 1
    p = c.rfind("\n\nAssistant:", 0, k) + len("\n\nAssistant:")
    empty += [[i, s] for s, x in (("chosen", c), ("rejected", j)) if not x[p:].strip()]
    if c == j or c.startswith(j) or j.startswith(c):
        notes.append([i, "identical" if c == j else "prefix"])
v = json.load(open("hh.json"))["violations"]
got = [[x["line"], x["message"].split()[0]] for x in v if x["rule"] == "empty"]
print("hh empty", len(empty), got == empty)
got = [[x["line"], x["message"].split(":")[1].strip()] for x in v if x["rule"] == "schema"]
print("hh prefix/identical", len(notes), [g for g in got if g[1] != "diverges-early"] == notes)
# the reader's other notes, as pref-convert reports them
conv = [[int(l.split(": ")[1].rsplit(":", 1)[1]), l.split(": ")[3]] for l in open("convert.err")]
print("hh notes as pref-convert's", len(got), got == conv)
PY
# hand-written: a pair whose responses agree, and a record that is not hh
printf '%s\n' '{"chosen":"\n\nHuman: hi\n\nAssistant: hello","rejected":"\n\nHuman: hi\n\nAssistant: go"}' \
  '{"chosen":"\n\nHuman: hi\n\nAssistant: same","rejected":"\n\nHuman: hi\n\nAssistant: same "}' \
  '{"chosen":"no transcript","rejected":"\n\nHuman: x\n\nAssistant: y"}' >hh.jsonl
pref-check --from hh hh.jsonl
echo "exit $?"
# OpenAssistant trees as ranked lists: clean
pref-check --from oasst "$DATA/sample-oasst.jsonl"
echo "exit $?"
