# SPDX-License-Identifier: MIT
"""Shared plumbing for the Python stdlib baselines: read JSON Lines from the
files named on the command line (or standard input), write compact JSON Lines
(ensure_ascii=False, no spaces) to standard output."""

import io
import json
import sys

loads = json.loads
_dumps = json.dumps


def dumps(obj):
    return _dumps(obj, ensure_ascii=False, separators=(",", ":"))


def records():
    """Yield every record of the input files, in order; blank lines skipped."""
    for path in sys.argv[1:] or ["-"]:
        f = sys.stdin.buffer if path == "-" else open(path, "rb")
        try:
            for line in f:
                if line.strip():
                    yield loads(line)
        finally:
            if f is not sys.stdin.buffer:
                f.close()


def output():
    return io.TextIOWrapper(io.FileIO(sys.stdout.fileno(), "w", closefd=False),
                            encoding="utf-8", newline="\n", write_through=False)


def run(transform):
    """transform(record) returns an iterable of output records."""
    out = output()
    w = out.write
    try:
        for rec in records():
            for o in transform(rec):
                w(dumps(o))
                w("\n")
        out.flush()
    except BrokenPipeError:
        return 0
    return 0


# --- the paired-field rule of SPEC 1.2, shared by relabel and flip ---------

def partner(k):
    if "chosen" in k:
        return k.replace("chosen", "rejected")
    if "rejected" in k:
        return k.replace("rejected", "chosen")
    if k.endswith("_w"):
        return k[:-2] + "_l"
    if k.endswith("_l"):
        return k[:-2] + "_w"
    return k


def swap(rec):
    """Swap chosen and rejected with every paired field: renaming each paired
    key to its partner moves every value with its response (and moves a field
    whose partner is missing to the partner's name)."""
    return {partner(k): v for k, v in rec.items()}
