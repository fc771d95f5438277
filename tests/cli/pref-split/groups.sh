# A prompt never lands on both sides, however it is spelled (escapes;
# key order and spacing of message lists, or an implicit prompt in a
# conversation): every group is in exactly one part.  And the part is the
# documented one: u = XXH3-64 (xxhsum -H3, seed 0) of the canonical JSON
# of the prompt (Python's json.dumps(sort_keys=True, separators=(",",
# ":"), ensure_ascii=False)); test iff u < F * 2^64; shard =
# (mix(u) * N) >> 64 with the SplitMix64 finalizer.
python3 - <<'END' >in.jsonl
import json, random
r = random.Random(14)
lines = []
for g in range(3000):
    text = "prompt %d caf\u00e9 \"q\"" % g
    msgs = [{"role": "user", "content": text}]
    strings = g % 2 == 0  # a prompt is a string or a message list
    for k in range(r.randint(1, 4)):
        form = r.randrange(2) if strings else r.randrange(2, 5)
        rec = {"id": "%d.%d" % (g, k), "g": g}
        if form == 0:
            rec["prompt"] = text
            line = json.dumps(rec, ensure_ascii=False)
        elif form == 1:
            rec["prompt"] = text
            line = json.dumps(rec, ensure_ascii=True)  # \u00e9 escapes
        elif form == 2:
            rec["prompt"] = msgs
            line = json.dumps(rec, ensure_ascii=False)
        elif form == 3:  # keys in the other order, spaced
            line = ('{"id": "%s", "g": %d, "prompt": [ {"content": %s, '
                    '"role": "user"} ]}' % (rec["id"], g, json.dumps(text)))
        else:  # implicit prompt: whole conversations
            rec["chosen"] = msgs + [{"role": "assistant", "content": "A"}]
            rec["rejected"] = msgs + [{"role": "assistant", "content": "B"}]
            line = json.dumps(rec)
        lines.append(line)
r.shuffle(lines)
print("\n".join(lines))
END
pref-split --test 0.3 -o d in.jsonl
pref-split --shards 5 -o s in.jsonl
python3 - <<'END'
import json, os, subprocess
def read(files):
    """group -> set of part names, and the ids in all the files"""
    where, ids = {}, []
    for name, f in files.items():
        for line in open(f):
            rec = json.loads(line)
            where.setdefault(rec["g"], set()).add(name)
            ids.append(rec["id"])
            canon[rec["g"]].add(json.dumps(
                rec["prompt"] if "prompt" in rec else rec["chosen"][:-1],
                sort_keys=True, separators=(",", ":"), ensure_ascii=False))
    return where, sorted(ids)
canon = {json.loads(l)["g"]: set() for l in open("in.jsonl")}
src = sorted(json.loads(l)["id"] for l in open("in.jsonl"))
side, ids1 = read({"train": "d.train.jsonl", "test": "d.test.jsonl"})
shard, ids2 = read({k: "s-%05d-of-00005.jsonl" % k for k in range(5)})
print("train + test = input:", ids1 == src)
print("shards = input:", ids2 == src)
print("groups:", len(canon), "on both sides:",
      sum(1 for g in side if len(side[g]) > 1),
      "in two shards:", sum(1 for g in shard if len(shard[g]) > 1))
print("one canonical text per group:", all(len(c) == 1 for c in canon.values()))
# the exact rule, for the first 300 groups, hashed by xxhsum
os.mkdir("keys")
order = sorted(canon)[:300]
for g in order:
    with open("keys/%d" % g, "w", encoding="utf-8") as f:
        f.write(next(iter(canon[g])))
out = subprocess.run(["xxhsum", "-H3"] + ["keys/%d" % g for g in order],
                     capture_output=True, text=True, check=True).stdout
u = {}
for line in out.splitlines():
    if line.startswith("XXH3 ("):  # "XXH3 (keys/12) = 0123..."
        name, h = line[6:].split(") = ")
    else:                          # "0123...  keys/12"
        h, name = line.split()
    u[int(name.split("/")[1])] = int(h, 16)
M = (1 << 64) - 1
def mix(z):
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return z ^ (z >> 31)
wrong = sum(side[g] != {"test" if u[g] < 0.3 * 2**64 else "train"} or
            shard[g] != {(mix(u[g]) * 5) >> 64} for g in order)
print("groups checked against xxhsum:", len(u), "wrong:", wrong,
      "in test:", sum(side[g] == {"test"} for g in order))
END
