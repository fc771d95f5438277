#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Baseline for pref-curriculum --within gap (SPEC 3.3) on ranked lists:
best-vs-rest pairs (the best standing against every worse one, tied
responses never paired), "gap" = score(chosen) - score(rejected), "stage" =
G - b + 1 for the pair of standings (1, b) of G standings, then every pair
of the file sorted by stage, gap descending, input order.  Like every
in-memory script it holds all pairs of the file before writing the first.

group_id: an 8-byte BLAKE2b of the canonical prompt (prefkit uses XXH3-64,
which the stdlib lacks; the verifier ignores group_id)."""

import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of bench/
from common import dumps, output, records
from expand import group_id


def pairs(rec):
    order = sorted(rec["responses"], key=lambda r: -r["score"])    # stable
    prompt = rec["prompt"]
    rest = [(k, v) for k, v in rec.items() if k not in ("prompt", "responses")]
    standing, g = [], 0
    for i, r in enumerate(order):
        if i and r["score"] != order[i - 1]["score"]:
            g += 1
        standing.append(g)
    ngroups = g + 1
    gid = group_id(prompt)
    for i, a in enumerate(order):
        if standing[i] != 0:
            break
        for j in range(i + 1, len(order)):
            b = order[j]
            if standing[j] == 0:
                continue
            p = {"prompt": prompt, "chosen": a["text"], "rejected": b["text"],
                 "score_chosen": a["score"], "score_rejected": b["score"]}
            for k, v in a.items():
                if k not in ("text", "score"):
                    p["chosen_" + k] = v
            for k, v in b.items():
                if k not in ("text", "score"):
                    p["rejected_" + k] = v
            p["gap"] = a["score"] - b["score"]
            p["stage"] = ngroups - standing[j]
            p["group_id"] = gid
            p.update(rest)
            yield p


def main():
    out = output()
    allpairs = [p for rec in records() for p in pairs(rec)]
    allpairs.sort(key=lambda p: (p["stage"], -p["gap"]))            # stable
    w = out.write
    try:
        for p in allpairs:
            w(dumps(p))
            w("\n")
        out.flush()
    except BrokenPipeError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
