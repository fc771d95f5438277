#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Baseline for pref-split: the group key (the prompt, or the implicit
prompt of a conversation) as canonical JSON
(json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)),
hashed (hashlib.blake2b, 8 bytes: stdlib has no XXH3), and the record
written to PREFIX.test.jsonl when the hash is below F * 2^64, else to
PREFIX.train.jsonl; or with --shards N to PREFIX-0000k-of-0000N.jsonl by
hash * N >> 64.  The line is written as it came.

    split.py (--test F | --shards N) PREFIX [FILE]...
"""

import hashlib
import json
import sys


def main():
    mode, arg, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
    paths = sys.argv[4:] or ["-"]
    if mode == "--test":
        names = [prefix + ".train.jsonl", prefix + ".test.jsonl"]
        limit = int(float(arg) * 2 ** 64)
        part = lambda u: 1 if u < limit else 0
    else:
        n = int(arg)
        names = ["%s-%05d-of-%05d.jsonl" % (prefix, k, n) for k in range(n)]
        part = lambda u: (u * n) >> 64
    outs = [open(f, "wb") for f in names]
    loads, dumps, blake = json.loads, json.dumps, hashlib.blake2b
    frombytes = int.from_bytes
    for path in paths:
        f = sys.stdin.buffer if path == "-" else open(path, "rb")
        for line in f:
            if not line.strip():
                continue
            r = loads(line)
            # no prompt: the implicit prompt of a conversation (SPEC 1.2)
            p = r["prompt"] if "prompt" in r else r["chosen"][:-1]
            key = dumps(p, sort_keys=True,
                        separators=(",", ":"), ensure_ascii=False)
            u = frombytes(blake(key.encode(), digest_size=8).digest(), "big")
            outs[part(u)].write(line if line.endswith(b"\n") else line + b"\n")
    for o in outs:
        o.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
