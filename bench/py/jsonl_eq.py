#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""jsonl_eq.py [--ignore KEY,...] [--lenient] A B: are two JSON Lines files
the same records in the same order?  Compared as parsed values (key order,
whitespace, escapes and 8 vs 8.0 do not matter).  Top-level KEYs are ignored.
--lenient accepts raw control characters inside strings (Miller 6 writes
them unescaped, which is not valid JSON).  Exit 0 if equal, 1 with the first
difference on standard error if not."""

import argparse
import json
import sys
from itertools import zip_longest


def lines(path):
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                yield line


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ignore", default="")
    ap.add_argument("--lenient", action="store_true")
    ap.add_argument("a")
    ap.add_argument("b")
    a = ap.parse_args()
    ignore = [k for k in a.ignore.split(",") if k]
    n = 0
    for n, (x, y) in enumerate(zip_longest(lines(a.a), lines(a.b)), 1):
        if x is None or y is None:
            short = a.a if x is None else a.b
            sys.stderr.write("%s ends at record %d, the other goes on\n" % (short, n - 1))
            return 1
        if x == y:
            continue
        try:
            ox, oy = json.loads(x, strict=not a.lenient), json.loads(y, strict=not a.lenient)
        except ValueError as e:
            sys.stderr.write("record %d: not valid JSON: %s\n" % (n, e))
            return 1
        for k in ignore:
            if isinstance(ox, dict):
                ox.pop(k, None)
            if isinstance(oy, dict):
                oy.pop(k, None)
        if ox != oy:
            msg = "record %d differs" % n
            if isinstance(ox, dict) and isinstance(oy, dict):
                keys = sorted(set(ox) ^ set(oy)) + sorted(
                    k for k in set(ox) & set(oy) if ox[k] != oy[k])
                msg += " in keys %s" % ", ".join(keys)
            sys.stderr.write(msg + "\n")
            return 1
    print("%d records equal" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
