# Same input and seed: byte-identical parts.  Another seed: another
# assignment, still of about the same size.  With the same seed, a part
# split again into shards fills every shard (the shard hash is mixed), and
# a test part taken again from the train part needs another seed.
python3 -c '
import json
for i in range(20000):
    print(json.dumps({"prompt": "q%d" % i, "chosen": "a", "rejected": "b"}))' >in.jsonl
pref-split --test 0.25 --seed 7 -o x in.jsonl
pref-split --test 0.25 --seed 7 -o y in.jsonl
cmp x.train.jsonl y.train.jsonl && cmp x.test.jsonl y.test.jsonl && echo identical
pref-split --test 0.25 -o z in.jsonl
pref-split --shards 4 -o sh z.train.jsonl
pref-split --test 0.1 -o again z.train.jsonl
pref-split --test 0.1 --seed 1 -o other z.train.jsonl
wc -l <z.train.jsonl >n
python3 - <<'END'
import json, math
ids = lambda f: {l for l in open(f)}
x, z = ids("x.test.jsonl"), ids("z.test.jsonl")
print("seed 7 and seed 0 share", "about a quarter" if abs(len(x & z) - len(x) / 4) < 5 * math.sqrt(len(x) * 3 / 16) else "not a quarter", "of the test records")
n = int(open("n").read())
shards = [len(ids("sh-%05d-of-00004.jsonl" % k)) for k in range(4)]
print("shards of the train part even:", all(abs(c - n / 4) < 5 * math.sqrt(n * 3 / 16) for c in shards), sum(shards) == n)
print("--test 0.1 again with the same seed:", len(ids("again.test.jsonl")), "records")
o = len(ids("other.test.jsonl"))
print("with --seed 1:", "about 10%" if abs(o - n / 10) < 5 * math.sqrt(n * 0.09) else o)
END
