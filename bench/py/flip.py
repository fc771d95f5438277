#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Baseline for pref-flip (SPEC 3.5, defaults): F-DPO factuality-aware flip.

(h_w, h_l) = (1, 0): swap chosen/rejected and every paired field (labels
included), set "flipped": true.  Otherwise unchanged, "flipped": false if
absent.  Every pair gets "delta_h" = h_l - h_w (after flipping)."""

import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of bench/
from common import run, swap


def label(v):
    if v is True or v is False:
        return int(v)
    if type(v) in (int, float) and v in (0, 1):
        return int(v)
    raise ValueError("bad label: %r" % (v,))


def flip(rec):
    hw, hl = label(rec["h_w"]), label(rec["h_l"])
    if hw == 1 and hl == 0:
        rec = swap(rec)
        rec["flipped"] = True
        hw, hl = hl, hw
    elif "flipped" not in rec:
        rec["flipped"] = False
    rec["delta_h"] = hl - hw
    return (rec,)


if __name__ == "__main__":
    sys.exit(run(flip))
