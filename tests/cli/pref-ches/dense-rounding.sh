# Dense scores are the exact values rounded once: random vectors (float32
# rows in .npy, the same values inline; float64 rows in .npy and inline;
# inline with --mean), lengths of one to three thousand tokens, pairs whose
# responses are near copies (the sums cancel: the scores are a few bits of
# large sums) and pairs drawn apart; 5 to 300 numbers a vector (the SIMD
# path's sixteen at a time and the rest one by one).  Every ches and
# ln_ches printed must be the exact rational score (fractions.Fraction of
# the values as given) rounded to the nearest double.
python3 - <<END
import random, struct, sys
from fractions import Fraction
sys.path.insert(0, "$CASEDIR")
import tensorio as T

rng = random.Random(20261203)

def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]

def row(d, wide):
    return [rng.uniform(-1, 1) * (2.0 ** rng.randint(-20, 20) if wide else 1)
            for _ in range(d)]

def pairs(n, d, single):
    out = []
    for i in range(n):
        a = row(d, i % 3 == 0)
        b = [x * (1 + rng.uniform(-1e-6, 1e-6)) for x in a] if i % 2 else row(d, i % 3 == 0)
        if single:
            a = [f32(x) for x in a]
            b = [f32(x) for x in b]
        out.append((a, b, rng.randint(1, 3000), rng.randint(1, 3000)))
    return out

def exact(a, b, la, lb, mean):
    A = [Fraction(x) for x in a]
    dot = sum(x * Fraction(y) for x, y in zip(A, b))
    sq = sum(x * x for x in A)
    if mean:
        return la * lb * dot - la * la * sq, dot - sq
    return dot - sq, dot / (la * lb) - sq / (la * la)

run = T.run_ches

checked = differ = 0
for d in (5, 16, 37, 300):
    for single in (True, False):
        P = pairs(24, d, single)
        texts = [{"chosen": "c", "rejected": "r"} for _ in P]
        inline = [dict(t, emb_chosen=a, emb_rejected=b, len_chosen=la, len_rejected=lb)
                  for t, (a, b, la, lb) in zip(texts, P)]
        descr = "<f4" if single else "<f8"
        T.write_npy("c.npy", [p[0] for p in P], descr=descr)
        T.write_npy("r.npy", [p[1] for p in P], descr=descr)
        T.write_npy("lc.npy", [p[2] for p in P], descr="<i8")
        T.write_npy("lr.npy", [p[3] for p in P], descr="<i8")
        runs = {"inline": (run(["--embeddings", "inline"], inline), False),
                "npy " + descr: (run(["--embeddings", "npy=c.npy,r.npy,lc.npy,lr.npy"], texts), False)}
        if not single:
            # --mean: the vectors are S / L already
            runs["inline --mean"] = (run(["--embeddings", "inline", "--mean"], inline), True)
        for how, (got, mean) in runs.items():
            if len(got) != len(P):
                print(how, "D=%d:" % d, len(got), "records out of", len(P))
                differ += 1
                continue
            for (c, l), (a, b, la, lb) in zip(got, P):
                want = exact(a, b, la, lb, mean)
                checked += 2
                for name, g, w in (("ches", c, want[0]), ("ln_ches", l, want[1])):
                    if g != float(w):
                        differ += 1
                        print(how, "D=%d" % d, name, repr(g), "is not", repr(float(w)))
print("checked", checked, "scores,", differ, "not the exact value rounded")
END
