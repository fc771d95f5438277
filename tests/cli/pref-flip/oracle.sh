# pref-flip against an independent Python version of SPEC 3.5 (oracle.py)
# on the inputs of the hand-written cases (labels, drop, lambda, factual,
# label-fields, by-score) and on 200 HaluEval pairs: the records must be the
# same, member order included.  So a wrong output regenerated into one of
# those cases' expected files (PK_REGEN) cannot pass: this case fails too.
o="python3 $CASEDIR/oracle.py"
printf '%s\n' '{"prompt":"q","chosen":"wrong","rejected":"right","f_w":0,"f_l":1}' \
	'{"prompt":"q","chosen":"right","rejected":"wrong","f_w":true,"f_l":false}' \
	'{"prompt":"q","chosen":"wrong","rejected":"wrong too","f_w":0,"f_l":0}' >factual.jsonl
printf '%s\n' '{"prompt":"q","chosen":"A","rejected":"B","hal_a":1,"hal_b":0,"x":{"p":1,"q":0}}' >fields.jsonl
printf '%s\n' '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":3,"score_rejected":8,"h_w":0,"h_l":1}' \
	'{"prompt":"p","chosen":"A","rejected":"B","score_chosen":5,"score_rejected":5.0}' \
	'{"prompt":"p","chosen":"A","rejected":"B","score_chosen":6,"score_rejected":-1}' >scores.jsonl
python3 - "$TESTDATA/flip/halueval_qa_200.jsonl" >halueval.jsonl <<'PY'
import json, sys
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    r = json.loads(line)
    p = {"prompt": r["question"], "chosen": r["right_answer"],
         "rejected": r["hallucinated_answer"], "h_w": 0, "h_l": 1, "source": i}
    if i % 3 == 0:
        p["chosen"], p["rejected"], p["h_w"], p["h_l"] = p["rejected"], p["chosen"], 1, 0
    print(json.dumps(p, ensure_ascii=False))
PY
same() { # FILE OPTION...: pref-flip and the oracle agree on FILE
	f=$1
	shift
	pref-flip "$@" "$f" >got.jsonl || echo "pref-flip $*: exit $?"
	$o "$@" <"$f" >want.jsonl || echo "oracle $*: exit $?"
	python3 - "$f $*" <<'PY'
import json, sys
a = [json.dumps(json.loads(l), ensure_ascii=False) for l in open("got.jsonl", encoding="utf-8")]
b = [json.dumps(json.loads(l), ensure_ascii=False) for l in open("want.jsonl", encoding="utf-8")]
print(sys.argv[1].split("/")[-1] + ":", len(a), "records,", "same" if a == b else "DIFFERENT")
PY
}
l=$TESTDATA/flip/labels.jsonl
same "$l"
same "$l" --drop-flipped
same "$l" --drop-both-hallucinated
same "$l" --drop-flipped --drop-both-hallucinated
same "$l" --lambda=0.1
same "$l" --lambda=2e0
same factual.jsonl --labels=factual --label-fields=f_w,f_l --lambda=0.5
same fields.jsonl --label-fields=hal_a,hal_b
same scores.jsonl --by=score
same scores.jsonl --by=score --drop-flipped
same halueval.jsonl --lambda=0.5
