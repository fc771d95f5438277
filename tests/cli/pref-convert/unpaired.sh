# --from unpaired / --to unpaired (SPEC 1.5, issue 12 s4): hand-worked
# pairs, bad records, and on real pairs (UltraFeedback, 1000 prompts with
# one pair each) the round trip pairs -> unpaired -> pairs, checked as a
# multiset by Python, and a tiny --memory giving byte-identical output.
cat >in.jsonl <<'JSON'
{"prompt":"p","completion":"a","label":true,"id":1}
{"prompt":"q","completion":"x","label":false}
{"prompt":"p","completion":"b","label":false,"id":2}
{"prompt":"p","completion":"c","label":true,"id":1}
{"prompt":"r","completion":"y","label":true}
{"prompt":"p","completion":"d","label":false,"id":1}
{"prompt":"q","completion":"z","label":false}
JSON
# "p": desirable a, c x undesirable b, d (input order); "q" has no
# desirable completion, "r" no undesirable one: counted, 3 records
pref-convert --stats=s.json in.jsonl
echo "exit $?"
cat s.json
pref-convert --from unpaired --max-pairs-per-prompt 1 --stats=s.json in.jsonl
cat s.json
# KTO conversations with 1/0 labels
cat >conv.jsonl <<'JSON'
{"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"4"}],"thumbs":1}
{"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"5"}],"thumbs":0}
JSON
pref-convert --from unpaired --messages-field messages --label-field thumbs \
	--desirable 1 --undesirable 0 conv.jsonl
# pairs -> unpaired: paired fields go to their side's record
printf '%s\n' '{"prompt":"p","chosen":"a","rejected":"b","score_chosen":8,"score_rejected":3,"src":"x"}' \
	'{"chosen":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}],"rejected":[{"role":"user","content":"hi"},{"role":"assistant","content":"go"}]}' |
	pref-convert --to unpaired
# bad records: said why, counted; nothing lost under quarantine
cat >bad.jsonl <<'JSON'
{"prompt":"p","completion":"a","label":"yes"}
{"prompt":"p","label":true}
{"prompt":"p","completion":"a","label":true,"chosen":"c"}
{"prompt":"p","completion":[{"role":"assistant","content":[{"type":"image"}]}],"label":true}
{"prompt":"p","completion":"a","label":true}
{"prompt":"p","completion":"b","label":false}
JSON
pref-convert --from unpaired --on-error=quarantine=q.jsonl --stats=s.json bad.jsonl
echo "exit $?"
cat s.json
sed -n 1,4p bad.jsonl | cmp - q.jsonl && echo "4 bad lines quarantined as they came"
pref-convert --from unpaired bad.jsonl
echo "exit $?"
pref-convert --from unpaired --completion-field c --messages-field m bad.jsonl
echo "exit $?"
pref-convert --from trl --desirable 1 bad.jsonl
echo "exit $?"

# real pairs: the round trip, and a sort that spills every few records
# (4K: runs of a record or two, the records average 2 KB; 0.4 s of CPU
# since extsort keeps a fan-in of at least 16, 53 s before)
uf=$TESTDATA/relabel/train_clean.jsonl
pref-convert --to unpaired "$uf" >un.jsonl
pref-convert --from unpaired --stats=s.json un.jsonl >back.jsonl
cat s.json
pref-convert --from unpaired --memory 4K un.jsonl | cmp - back.jsonl &&
	echo "--memory 4K: byte-identical"
python3 - "$uf" un.jsonl back.jsonl <<'PY'
import json, sys
from collections import Counter
pairs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
un = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
back = [json.loads(l) for l in open(sys.argv[3], encoding="utf-8")]
# two unpaired records a pair, in order: chosen true, rejected false
want_un = []
for p in pairs:
    for resp, lab in ((p["chosen"], True), (p["rejected"], False)):
        want_un.append({"prompt": p["prompt"], "completion": resp, "label": lab,
                        "source_index": p["source_index"], "metadata": p["metadata"]})
print("unpaired records as expected:", un == want_un)
key = lambda r: json.dumps([r["prompt"], r["chosen"], r["rejected"],
                            r["source_index"], r["metadata"]], sort_keys=True)
print("same pairs as a multiset:", Counter(map(key, pairs)) == Counter(map(key, back)))
print("pairs out in input order:", [r["prompt"] for r in back] == [r["prompt"] for r in pairs])
PY
