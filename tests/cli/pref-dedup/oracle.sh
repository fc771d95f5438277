# Generated records with many duplicates (strings that differ in spacing,
# case, escapes, key order; message lists; nested fields) against a Python
# oracle that keeps the first record of each canonical key text:
# json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) of
# the key value(s), strings normalized by " ".join(s.split()) and
# s.casefold().  Each run is also made with a 32K budget (key tables and
# records put aside spill to --tmpdir) and and from standard
# input: the same bytes.  And on real data: the first turns of Anthropic
# HH-RLHF (harmless-base test) have 134 repeated prompts.
python3 - <<'END' >in.jsonl
import json, random
r = random.Random(14)
words = ["alpha", "Beta", "GAMMA", "straße", "Ünïcode", "x"]
def text():
    w = [r.choice(words) for _ in range(r.randint(1, 3))]
    sep = r.choice([" ", "  ", "\t", " \n "])
    s = sep.join(w)
    if r.random() < 0.3:
        s = r.choice([" ", "\u00a0", "\u3000"]) + s
    if r.random() < 0.3:
        s = s.upper() if r.random() < 0.5 else s.lower()
    return s
for i in range(6000):
    p = text()
    rec = {"prompt": p if r.random() < 0.8 else [{"role": "user", "content": p}],
           "chosen": text(), "rejected": r.choice(["no", "No", "NO "]),
           "meta": {"src": r.choice(["a", "b", "A "]), "k": r.randint(0, 3)}, "id": i}
    keys = list(rec)
    r.shuffle(keys)
    line = json.dumps({k: rec[k] for k in keys}, ensure_ascii=r.random() < 0.5)
    print(line)
END
cat >oracle.py <<'END'
import json, sys
spec, norm, path = sys.argv[1], sys.argv[2], sys.argv[3]
def normalize(v):
    if isinstance(v, str):
        if "space" in norm:
            v = " ".join(v.split())
        if "case" in norm:
            v = v.casefold()
        return v
    if isinstance(v, list):
        return [normalize(x) for x in v]
    if isinstance(v, dict):
        return {k: normalize(x) for k, x in v.items()}
    return v
def get(rec, name):
    for part in name.split("."):
        rec = rec[part]
    return rec
items = []
for it in spec.split(","):
    items += ["prompt", "chosen", "rejected"] if it == "pair" else [it]
seen = set()
out = sys.stdout
for line in open(path, encoding="utf-8"):
    rec = json.loads(line)
    vals = [normalize(get(rec, k)) for k in items]
    key = json.dumps(vals[0] if len(vals) == 1 else vals, sort_keys=True,
                     separators=(",", ":"), ensure_ascii=False)
    if key not in seen:
        seen.add(key)
        out.write(json.dumps(rec, separators=(",", ":"), ensure_ascii=False) + "\n")
END
# the records as pref-cat writes them, for the oracle to print back
python3 -c '
import json, sys
for l in open("in.jsonl"):
    print(json.dumps(json.loads(l), separators=(",", ":"), ensure_ascii=False))' >canon.jsonl
mkdir tmp
for key in pair prompt chosen prompt,chosen meta meta.src,rejected; do
	norms="none space,case"
	[ $key = pair ] && norms="none space case space,case"
	for norm in $norms; do
		opt=; [ $norm = none ] || opt="--normalize $norm"
		python3 oracle.py $key $norm canon.jsonl >want
		pref-dedup --key $key $opt in.jsonl | python3 -c '
import json, sys
for l in sys.stdin:
    print(json.dumps(json.loads(l), separators=(",", ":"), ensure_ascii=False))' >got
		pref-dedup --key $key $opt in.jsonl >big
		pref-dedup --key $key $opt --memory 32K --tmpdir tmp --stats=st <in.jsonl >small
		echo "$key $norm: $(wc -l <want) kept;" \
			"oracle $(cmp -s got want && echo same || echo DIFFERENT);" \
			"32K $(cmp -s big small && echo same || echo DIFFERENT)," \
			"$(python3 -c 'import json; s = json.load(open("st")); print("spilled" if s["key_tables_spilled"] > 0 and s["held"] > 0 else "no spill")')"
	done
done
ls -A tmp
# Real data: HH-RLHF harmless-base test, one record per first turn.
pref-convert -q --from hh "$TESTDATA/convert/hh_harmless_test.jsonl.gz" >hh.jsonl
python3 -c '
import json
for l in open("hh.jsonl"):
    r = json.loads(l)
    r["first_turn"] = r["prompt"][:r["prompt"].find("\n\nAssistant:")] if isinstance(r["prompt"], str) else r["prompt"][0]
    print(json.dumps(r, separators=(",", ":"), ensure_ascii=False))' >hh1.jsonl
python3 oracle.py first_turn none hh1.jsonl >want
pref-dedup --key first_turn --stats=st hh1.jsonl >got
pref-dedup --key first_turn --memory 32K --tmpdir tmp hh1.jsonl >small
echo "HH: $(wc -l <hh1.jsonl) records, $(wc -l <want) first turns;" \
	"oracle $(cmp -s got want && echo same || echo DIFFERENT); 32K $(cmp -s got small && echo same || echo DIFFERENT)"
cat st
