# SPDX-License-Identifier: MIT
# golden_oracle.py - pref-cat written again in Python from SPEC 1, 2 and
# 3.0, pref-cat(1) and prefkit(7), not from cmd/pref-cat.c: the golden
# oracle of golden-oracle.sh (see ../goldenlib.py).  Each record (JSON
# Lines, JSON array files read as prefkit(7) says, zstd, gzip; BOM, CRLF,
# blank lines) written compact: the whitespace outside strings removed,
# every other byte as it came.
import sys
from goldenlib import (COMMON, COMMON_SHORT, BadRecord, Input, Run, Usage,
                       compact_bytes, last, parse_args, usage_error)

PROG = "pref-cat"


def size(s):
    mult = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
    return int(s[:-1]) * mult[s[-1]] if s[-1:] in mult else int(s)


def main(argv):
    try:
        opts, files = parse_args(argv, COMMON, COMMON_SHORT)
        run = Run(PROG, opts)
        max_line = size(last(opts, "max-line", "256M"))
    except (Usage, ValueError) as e:
        usage_error(PROG, str(e))
    inp = Input(files, run, max_line)
    try:
        for name, lineno, line, rec in inp:
            run.counts["read"] += 1
            if len(line) > max_line:
                run.bad((name, lineno), line, "line too long")
                continue
            if isinstance(rec, BadRecord):
                run.bad((name, lineno), line, str(rec))
                continue
            run.write(compact_bytes(line).decode("utf-8"))
    except OSError as e:
        sys.stderr.write("%s: %s\n" % (PROG, e))
        run.finish(2)
    run.counts["blank"] = inp.blank
    run.finish(0)


main(sys.argv[1:])
