#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Baseline for pref-cat: json.loads + json.dumps(ensure_ascii=False,
separators=(",", ":")) per line."""

import io
import json
import sys


def main():
    out = io.TextIOWrapper(io.FileIO(sys.stdout.fileno(), "w", closefd=False),
                           encoding="utf-8", newline="\n")
    loads, dumps, w = json.loads, json.dumps, out.write
    for path in sys.argv[1:] or ["-"]:
        f = sys.stdin.buffer if path == "-" else open(path, "rb")
        for line in f:
            if line.strip():
                w(dumps(loads(line), ensure_ascii=False, separators=(",", ":")))
                w("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
