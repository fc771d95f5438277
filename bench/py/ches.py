#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Baseline for pref-ches (SPEC 3.4, defaults: lexical embeddings,
ln-ches): tokens of the GPT-2 pre-tokenizer pattern (Python's re, with the
Unicode classes spelled out as in tests/cli/tokenize/oracle.py), counted by
token text; ches = <S+,S-> - |S+|^2 and ln_ches = (L+ <S+,S-> - L- |S+|^2)
/ (L+^2 L-) in exact integers, one correctly rounded division (Python's
int / int), as pref-ches computes them."""

import os
import sys
from collections import Counter

sys.dont_write_bytecode = True  # keep __pycache__ out of bench/
from common import run

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tests", "cli", "tokenize"))
import oracle  # noqa: E402

findall = oracle.PATTERN.findall


def text(v):
    if isinstance(v, str):
        return v
    return "".join(m["content"] for m in v if m["role"] == "assistant")


def ches(rec):
    a = findall(text(rec["chosen"]))
    b = findall(text(rec["rejected"]))
    if not a or not b:
        raise ValueError("a response has no tokens")
    ca, cb = Counter(a), Counter(b)
    dot = sum(n * cb[t] for t, n in ca.items() if t in cb)
    sq = sum(n * n for n in ca.values())
    la, lb = len(a), len(b)
    rec["ches"] = dot - sq
    rec["ln_ches"] = (la * dot - lb * sq) / (la * la * lb)
    rec["ches_source"] = "lexical"
    return (rec,)


if __name__ == "__main__":
    sys.exit(run(ches))
