#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Baseline for pref-dedup: the key (prompt, chosen, rejected) as canonical
JSON (json.dumps(sort_keys=True, separators=(",", ":"),
ensure_ascii=False)), its 16-byte hashlib.blake2b digest kept in a set, and
the first line of each key written as it came."""

import hashlib
import json
import sys


def main():
    out = sys.stdout.buffer
    loads, dumps, blake = json.loads, json.dumps, hashlib.blake2b
    seen = set()
    for path in sys.argv[1:] or ["-"]:
        f = sys.stdin.buffer if path == "-" else open(path, "rb")
        for line in f:
            if not line.strip():
                continue
            r = loads(line)
            # no prompt: the implicit prompt of a conversation (SPEC 1.2)
            p = r["prompt"] if "prompt" in r else r["chosen"][:-1]
            key = dumps([p, r["chosen"], r["rejected"]],
                        sort_keys=True, separators=(",", ":"),
                        ensure_ascii=False)
            h = blake(key.encode(), digest_size=16).digest()
            if h not in seen:
                seen.add(h)
                out.write(line)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
