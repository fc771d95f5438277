#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Baseline for pref-convert --from hh (SPEC 1.5): split an Anthropic HH-RLHF
pair of transcripts into prompt (the common prefix ending with the last
"\\n\\nAssistant:" before they differ) and the two last assistant turns, each
with its single leading space removed (as man/pref-convert.1 says).
Records that are identical, where one is a prefix of the other, or that
diverge before the last turn are dropped (prefkit reports and counts them)."""

import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of bench/
from common import run

M = "\n\nAssistant:"


def unspace(s):
    return s[1:] if s.startswith(" ") else s


def convert(rec):
    ch, rj = rec["chosen"], rec["rejected"]
    if ch == rj:
        return ()                                         # identical
    c, r = ch.split(M), rj.split(M)
    n = min(len(c), len(r))
    k = 0
    while k < n and c[k] == r[k]:
        k += 1
    if k == n:
        return ()                                         # prefix
    if k == 0 or k != len(c) - 1 or k != len(r) - 1:
        return ()                                         # diverges early
    if c[k].startswith(r[k]) or r[k].startswith(c[k]):
        return ()                                         # prefix
    out = {"prompt": M.join(c[:k]) + M, "chosen": unspace(c[k]), "rejected": unspace(r[k])}
    for key, v in rec.items():
        if key != "chosen" and key != "rejected":
            out[key] = v
    return (out,)


if __name__ == "__main__":
    sys.exit(run(convert))
