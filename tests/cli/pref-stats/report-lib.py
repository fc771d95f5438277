# SPDX-License-Identifier: MIT
# report-lib.py - read pref-stats's text report back (for the text and
# compare cases): display(x) is how the reports write a figure, and
# check_text(lines, js) lists the rows that disagree with --json.
import math

BLOCKS = " \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"
ASCII = " .:-=+*#@"


def display(x):
    if isinstance(x, (int, float)) and float(x).is_integer() and abs(x) < 1e15:
        return "%d" % x
    return "%.6g" % x


def spark(counts, ramp):
    top = max(counts)
    return "".join(ramp[0 if c == 0 else (c * 8 + top - 1) // top] for c in counts)


def dist_cells(d, ramp):
    """The cells of a distribution row: n, the six figures, the mark of
    estimated quartiles and the histogram."""
    if d["n"] == 0:
        return [str(d["n"])]
    return [str(d["n"])] + [display(d[k]) for k in ("min", "q1", "median", "q3", "max", "mean")] \
        + [" " if d["exact"] else "~", spark(d["histogram"]["counts"], ramp)]


def row_cells(line):
    """A distribution row of the report cut into the same cells: a label of
    16 columns, 7 figures of 12, the mark, a space, the histogram."""
    return line[16:100].split() + [line[100:101], line[102:]]


def pct(a, b):
    return "-" if not b else "%.1f%%" % (100.0 * a / b)
