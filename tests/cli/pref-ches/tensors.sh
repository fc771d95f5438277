# The same vectors given inline, as .npy (<f2, <f4, <f8; versions 1 and 2;
# lengths <i4 and <i8 or in the records) and as safetensors (F16, BF16,
# F32, F64; lengths I32 and I64 or none) give the same scores, bit for
# bit: each file's values are first rounded to its dtype by Python
# (struct), and those rounded values are what is given inline.  Values
# exact in every dtype are also checked against exact fractions.  Rows
# follow emb_index when records have it.  Files written by tensorio.py.
python3 - <<END
import struct, sys
from fractions import Fraction
sys.path.insert(0, "$CASEDIR")
import tensorio as T

def rounded(x, dt):
    if dt in ("<f8", "F64"): return x
    if dt == "BF16":
        return struct.unpack("<f", struct.pack("<I", T.bf16(x) << 16))[0]
    f = "e" if dt in ("<f2", "F16") else "f"
    return struct.unpack("<" + f, struct.pack("<" + f, x))[0]

run = T.run_ches

exact = ([[0.5, -1.25, 3.0], [2.0, 0.0, -0.75], [1024.0, 0.125, 1.0]],
         [[0.5, 1.25, 3.0], [-2.0, 8.0, 0.25], [1.0, 1.0, 1.0]])
rough = ([[0.1, -1/3, 2.718281828459045], [1e-3, 123.456, -7.77], [3.14159, 2.5e-4, 9.99]],
         [[0.2, 1/7, -1.4142135623730951], [5e-3, 120.0, -7.0], [3.0, 3e-4, 10.01]])
lens = ([3, 7, 1], [2, 5, 4])
texts = [{"chosen": "c%d" % i, "rejected": "r%d" % i} for i in range(3)]
checked = 0
for name, (C, R) in (("exact", exact), ("rough", rough)):
    for dt, st, lt, lst in (("<f2", "F16", "<i4", "I32"), ("<f4", "F32", "<i8", "I64"),
                            ("<f8", "F64", "<i4", "I64"), (None, "BF16", None, "I32")):
        rc = [[rounded(x, st) for x in row] for row in C]
        rr = [[rounded(x, st) for x in row] for row in R]
        inline = [dict(t, emb_chosen=a, emb_rejected=b, len_chosen=lc, len_rejected=lr)
                  for t, a, b, lc, lr in zip(texts, rc, rr, *lens)]
        want = run(["--embeddings", "inline"], inline)
        got = {}
        if dt:
            T.write_npy("c.npy", C, descr=dt)
            T.write_npy("r.npy", R, descr=dt, version=2)
            T.write_npy("lc.npy", lens[0], descr=lt)
            T.write_npy("lr.npy", lens[1], descr=lt)
            got["npy+len arrays"] = run(["--embeddings", "npy=c.npy,r.npy,lc.npy,lr.npy"], texts)
            withlen = [dict(t, len_chosen=a, len_rejected=b) for t, a, b in zip(texts, *lens)]
            got["npy+len fields"] = run(["--embeddings", "npy=c.npy,r.npy"], withlen)
        T.write_safetensors("e.st", {"chosen": (st, C), "rejected": (st, R),
                                     "len_chosen": (lst, lens[0]), "len_rejected": (lst, lens[1])})
        got["safetensors"] = run(["--embeddings", "safetensors=e.st"], texts)
        # rows named by emb_index: the records in reverse order
        rev = [dict(t, emb_index=i) for i, t in reversed(list(enumerate(texts)))]
        got["safetensors+emb_index"] = run(["--embeddings", "safetensors=e.st"], rev)[::-1]
        T.write_safetensors("n.st", {"chosen": (st, C), "rejected": (st, R)})
        got["safetensors, ches only"] = run(["--embeddings", "safetensors=n.st", "--metric", "ches"], texts)
        for how, g in got.items():
            w = want if how != "safetensors, ches only" else [(c, None) for c, _ in want]
            checked += 1
            if g != w or len(w) != 3:
                print(name, st, how, "differs:", g, w)
        if name == "exact":
            for (c, l), a, b, la, lb in zip(want, rc, rr, *lens):
                A = [Fraction(x) for x in a]; B = [Fraction(x) for x in b]
                dot = sum(x * y for x, y in zip(A, B)); sq = sum(x * x for x in A)
                if c != float(dot - sq) or l != float(dot / (la * lb) - sq / (la * la)):
                    print(name, st, "inline differs from the exact value", c, l)
print("checked", checked, "against inline")
END
