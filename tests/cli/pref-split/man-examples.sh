# Every command of the EXAMPLES section of man/pref-split.1, verbatim;
# pairs.jsonl is the shipped sample with a "meta.source" added (three
# sources).
ln -s "$DATA" data
python3 -c '
import json
for i, line in enumerate(open("data/sample-pairs.jsonl")):
    rec = json.loads(line)
    rec["meta"] = {"source": "s%d" % (i % 3)}
    print(json.dumps(rec))' >pairs.jsonl
pref-split --test 0.1 -o data pairs.jsonl
pref-split --test 0.1 --seed 1 -o data.train data.train.jsonl
ls data.*
pref-cat pairs.jsonl | sort >s
cat data.train.jsonl data.test.jsonl | sort | cmp - s && echo "train + test = the input"
echo '{"prompt":"hello","chosen":"Hi!","rejected":"Go away."}' |
    pref-split --test 0.5 -o one --stats
pref-split --test 0.2 --by field=meta.source -o by-source pairs.jsonl
python3 -c '
import json
sides = {}
for side in ("train", "test"):
    for line in open("by-source.%s.jsonl" % side):
        sides.setdefault(json.loads(line)["meta"]["source"], set()).add(side)
print(sorted((k, sorted(v)) for k, v in sides.items()))'
mkdir -p shards out
pref-split --shards 4 -z -o shards/pairs data/sample-pairs.jsonl
parallel pref-relabel --score-chosen-field metadata.score_chosen \
    --score-rejected-field metadata.score_rejected -o out/{/} {} ::: shards/pairs-*
pref-cat -o relabeled.jsonl out/pairs-*
ls shards out
pref-relabel --score-chosen-field metadata.score_chosen \
    --score-rejected-field metadata.score_rejected data/sample-pairs.jsonl | sort >single
sort relabeled.jsonl | cmp - single && echo "the same records as one pref-relabel run: $(wc -l <single)"
