# The part of a record depends on its group key and the seed alone: with
# more data appended, or the input shuffled, every record of the first
# split stays where it was (test split and shards alike).
python3 - <<'END'
import json, random
r = random.Random(7)
old = [json.dumps({"prompt": "p%d" % r.randrange(3000), "id": i}) for i in range(6000)]
new = [json.dumps({"prompt": "p%d" % r.randrange(6000), "id": 6000 + i}) for i in range(4000)]
open("old.jsonl", "w").write("\n".join(old) + "\n")
open("new.jsonl", "w").write("\n".join(new) + "\n")
both = old + new
r.shuffle(both)
open("shuffled.jsonl", "w").write("\n".join(both) + "\n")
END
pref-split --test 0.2 -o a old.jsonl
pref-split --test 0.2 -o b old.jsonl new.jsonl
pref-split --test 0.2 -o c shuffled.jsonl
pref-split --shards 4 -o a old.jsonl
pref-split --shards 4 -o b old.jsonl new.jsonl
pref-split --shards 4 -o c shuffled.jsonl
python3 - <<'END'
import json
def parts(names):
    return {json.loads(l)["id"]: k for k, f in enumerate(names) for l in open(f)}
for p in ("%s.train.jsonl %s.test.jsonl", " ".join("%%s-%05d-of-00004.jsonl" % k for k in range(4))):
    a, b, c = (parts((p.replace("%s", x)).split()) for x in "abc")
    print(len(a), "records;", sum(a[i] != b[i] for i in a), "moved when data was appended;",
          sum(b[i] != c[i] for i in b), "moved by shuffling")
END
# the old records come out in the same order, as a prefix of each part
head -n "$(wc -l <a.test.jsonl)" b.test.jsonl | cmp - a.test.jsonl && echo same prefix
