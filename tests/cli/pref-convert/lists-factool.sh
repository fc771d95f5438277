# The factool Chinese file (7 responses per prompt, factuality true/false/
# null) read as ranked lists with the field options: booleans count as
# 1/0, a null factuality drops that response (counted), and a record with
# a response that is not text (the file has 7 integer responses) is bad.
# Counts checked independently (python3); pairs with --pairs all = true x
# false responses of each good record.
f=$TESTDATA/expand/factool_chinese.jsonl
opts="--from lists --responses-field responses_and_factuality --text-field response --score-field factuality"
pref-convert $opts --on-error=skip --stats=stats.json "$f" 2>errors.txt >lists.jsonl
echo "exit $?"
cat stats.json
sed 's/^[^:]*:[^:]*:[0-9]*: //' errors.txt | sort | uniq -c
pref-convert $opts --to pairs --pairs all --on-error=skip -q "$f" 2>/dev/null >pairs.jsonl
python3 - "$f" <<'PY'
import json, sys
good = bad = dropped = pairs = 0
want = []
for line in open(sys.argv[1], encoding="utf-8"):
    rs = json.loads(line)["responses_and_factuality"]
    if any(not isinstance(r["response"], str) for r in rs):
        bad += 1
        continue
    good += 1
    dropped += sum(r["factuality"] is None for r in rs)
    t = sum(r["factuality"] is True for r in rs)
    f = sum(r["factuality"] is False for r in rs)
    pairs += t * f
    p = json.loads(line)["prompt"]
    want += [(p, a["response"], b["response"]) for a in rs if a["factuality"] is True
             for b in rs if b["factuality"] is False]
print("good", good, "bad", bad, "dropped", dropped, "pairs", pairs)
out = [json.loads(l) for l in open("lists.jsonl", encoding="utf-8")]
got = [json.loads(l) for l in open("pairs.jsonl", encoding="utf-8")]
print("pairs: every true response over every false one:",
      sorted((g["prompt"], g["chosen"], g["rejected"]) for g in got) == sorted(want),
      "scores 1 and 0:", all((g["score_chosen"], g["score_rejected"]) == (1, 0) for g in got))
print("texts and scores kept:", all(
    set(r) >= {"text", "score", "model_name"} and r["score"] in (0, 1) for o in out for r in o["responses"]))
PY
