#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Baseline for pref-expand --pairs all (SPEC 3.2): every (Ri, Rj), i < j, of
a ranked list sorted best first (stable), tied responses never paired.

group_id: prefkit uses XXH3-64, which the Python stdlib lacks; this baseline
computes an 8-byte BLAKE2b of the same canonical prompt JSON instead (similar
cost; the verifier ignores group_id)."""

import hashlib
import json
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of bench/
from common import run


def group_id(prompt):
    canon = json.dumps(prompt, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.blake2b(canon.encode("utf-8"), digest_size=8).hexdigest()


def expand(rec):
    resps = rec["responses"]
    prompt = rec["prompt"]
    rest = [(k, v) for k, v in rec.items() if k not in ("prompt", "responses")]
    order = sorted(resps, key=lambda r: -r["score"])      # stable
    gid = group_id(prompt)
    n = len(order)
    out = []
    for i in range(n):
        a = order[i]
        for j in range(i + 1, n):
            b = order[j]
            if a["score"] == b["score"]:
                continue                                  # tied: never paired
            p = {"prompt": prompt, "chosen": a["text"], "rejected": b["text"],
                 "score_chosen": a["score"], "score_rejected": b["score"]}
            for k, v in a.items():
                if k != "text" and k != "score":
                    p["chosen_" + k] = v
            for k, v in b.items():
                if k != "text" and k != "score":
                    p["rejected_" + k] = v
            p["group_id"] = gid
            p.update(rest)
            out.append(p)
    return out


if __name__ == "__main__":
    sys.exit(run(expand))
