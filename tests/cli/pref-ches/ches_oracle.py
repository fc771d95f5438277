# SPDX-License-Identifier: MIT
# ches_oracle.py - the lexical CHES scores of SPEC 3.4 written again in
# Python's standard library, independent of lib/ches.c: tokens from
# ../tokenize/oracle.py (Python's re, not PCRE2), token counts by the
# token text (not by a hash), exact rationals (fractions.Fraction) and
# one rounding to a float at the end.
import os
import sys
from collections import Counter
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tokenize"))
import oracle  # noqa: E402


def text(v):
    """SPEC 1.1: a string, or the assistant content of a message list."""
    if isinstance(v, str):
        return v
    return "".join(m["content"] for m in v if m["role"] == "assistant")


def scores(chosen, rejected):
    """(ches, ln_ches or None, edit_sim) of two responses."""
    a = oracle.tokens(text(chosen))
    b = oracle.tokens(text(rejected))
    ca, cb = Counter(a), Counter(b)
    dot = sum(n * cb[t] for t, n in ca.items())
    sq = sum(n * n for n in ca.values())
    ches = dot - sq
    ln = None
    if a and b:
        ln = float(Fraction(dot, len(a) * len(b)) - Fraction(sq, len(a) ** 2))
    return ches, ln, edit_sim(a, b)


def edit_sim(a, b):
    """- Levenshtein(a, b) / max(len): the textbook dynamic programme."""
    if not a and not b:
        return 0.0
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return -prev[-1] / max(len(a), len(b))
