#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""stats.py [FILE] - the Python stdlib baseline for pref-stats (SPEC 3.8).

What a careful user writes with the standard library to get pref-stats's
figures for a file of pairs: counts, field presence, ties and misordered
pairs, duplicates (an 8-byte BLAKE2b of the canonical [prompt, chosen,
rejected] JSON, standing in for XXH3-128), and for the scores, gaps and
the lengths of prompt, chosen and rejected in characters and tokens:
n, min, quartiles (statistics.quantiles, method "inclusive"), max, mean
and a 20-bin histogram.  Tokens: the GPT-2 pattern with `re` (\\p{L} and
\\p{N} spelled [^\\W\\d_] and \\d, the stdlib's nearest).  Prints one JSON
object.  Reads every value into memory (pref-stats holds them up to
--memory too).
"""
import hashlib
import json
import math
import re
import statistics
import sys

TOKEN = re.compile(r"'(?:[sdmt]|ll|ve|re)| ?[^\W\d_]+| ?\d+| ?[^\s\w]+|\s+(?!\S)|\s+")


def text(v, prompt):
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "".join(m.get("content") if isinstance(m.get("content"), str) else ""
                       for m in v if isinstance(m, dict) and (prompt or m.get("role") == "assistant"))
    return None


def dist(x):
    if not x:
        return {"n": 0}
    x.sort()
    q = statistics.quantiles(x, n=4, method="inclusive") if len(x) > 1 else [x[0]] * 3
    lo, hi = x[0], x[-1]
    w = (hi - lo) / 20
    counts = [0] * 20
    for v in x:
        counts[0 if w == 0 else min(int((v - lo) / w), 19)] += 1
    return {"n": len(x), "min": lo, "q1": q[0], "median": q[1], "q3": q[2], "max": hi,
            "mean": math.fsum(x) / len(x), "counts": counts}


def main():
    f = open(sys.argv[1], encoding="utf-8") if len(sys.argv) > 1 else sys.stdin
    c = {"records": 0, "pairs": 0, "scored_pairs": 0, "ties": 0, "misordered": 0,
         "duplicates": 0}
    fields = {}
    vals = {k: [] for k in ("score_chosen", "score_rejected", "gap", "prompt_chars",
                            "chosen_chars", "rejected_chars", "prompt_tokens",
                            "chosen_tokens", "rejected_tokens")}
    seen = set()
    for line in f:
        if not line.strip():
            continue
        r = json.loads(line)
        c["records"] += 1
        for k in r:
            fields[k] = fields.get(k, 0) + 1
        if "chosen" not in r or "rejected" not in r:
            continue
        c["pairs"] += 1
        sc, sr = r.get("score_chosen"), r.get("score_rejected")
        if isinstance(sc, (int, float)):
            vals["score_chosen"].append(sc)
        if isinstance(sr, (int, float)):
            vals["score_rejected"].append(sr)
        if isinstance(sc, (int, float)) and isinstance(sr, (int, float)):
            c["scored_pairs"] += 1
            vals["gap"].append(sc - sr)
            c["ties"] += sc == sr
            c["misordered"] += sc < sr
        for side, prompt in (("prompt", True), ("chosen", False), ("rejected", False)):
            t = text(r.get(side), prompt)
            if t is not None:
                vals[side + "_chars"].append(len(t))
                vals[side + "_tokens"].append(sum(1 for _ in TOKEN.finditer(t)))
        key = json.dumps([r.get("prompt"), r["chosen"], r["rejected"]], sort_keys=True,
                         separators=(",", ":"), ensure_ascii=False)
        h = hashlib.blake2b(key.encode(), digest_size=8).digest()
        c["duplicates"] += h in seen
        seen.add(h)
    out = dict(c, fields=fields, distributions={k: dist(v) for k, v in vals.items()})
    json.dump(out, sys.stdout)
    print()


main()
