# The factool Chinese file (125 prompts x 7 responses, factuality
# true/false/null) read as ranked lists with the field options: booleans
# count as 1/0, null drops the response, equal standing is never paired.
# Seven responses of the real file are JSON numbers, not text (e.g. 0,
# 1000): their records are bad and, with --on-error=skip, reported and
# counted.  Python checks that every factual response is paired with
# every non-factual one of its prompt, that fields are carried, and the
# accounting.
in="$TESTDATA/expand/factool_chinese.jsonl"
pref-expand --responses-field responses_and_factuality --text-field response \
	--score-field factuality --pairs all --on-error=skip --stats=stats.json \
	"$in" >pairs.jsonl 2>errors.txt
echo "exit $?"
sed 's/^pref-expand: [^:]*:/pref-expand: FILE:/' errors.txt
python3 - "$in" <<'PY'
import json, sys
want, small, dropped, lists, bad = [], 0, 0, 0, 0
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    rs = d["responses_and_factuality"]
    if any(not isinstance(r["response"], str) for r in rs):
        bad += 1
        continue
    lists += 1
    dropped += sum(r["factuality"] is None for r in rs)
    good = [r for r in rs if r["factuality"] is True]
    nonfactual = [r for r in rs if r["factuality"] is False]
    if not good or not nonfactual:
        small += 1
    for g in good:
        for b in nonfactual:
            want.append((d["prompt"], g["response"], b["response"], g["model_name"], b["model_name"], d["category"], d["weight"]))
have = []
for line in open("pairs.jsonl", encoding="utf-8"):
    p = json.loads(line)
    assert p["score_chosen"] == 1 and p["score_rejected"] == 0
    assert "responses_and_factuality" not in p
    have.append((p["prompt"], p["chosen"], p["rejected"], p["chosen_model_name"], p["rejected_model_name"], p["category"], p["weight"]))
print("pairs", len(want), "ok" if sorted(want) == sorted(have) else "DIFFERENT")
st = json.load(open("stats.json"))
print("stats", "ok" if st == {"read": lists + bad, "written": len(want), "skipped": bad, "quarantined": 0, "blank": 0,
      "lists": lists, "lists_too_small": small, "pairs_below_min_gap": 0, "responses_dropped": dropped} else st)
print("lists", lists, "bad", bad, "too small", small, "dropped", dropped)
PY
