# SPDX-License-Identifier: MIT
# golden_oracle.py - pref-flip written again in Python from SPEC 3.5 and
# pref-flip(1), not from cmd/pref-flip.c or lib/flip.c: the golden oracle
# of golden-oracle.sh (see ../goldenlib.py).  The flip of one record is
# oracle.py's (the oracle of oracle.sh); this adds the input, the options,
# --on-error and the counts of --stats.
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldenlib import (COMMON, COMMON_SHORT, BadRecord, Input, Run, Usage,  # noqa: E402
                       last, parse_args, usage_error)
from oracle import flip  # noqa: E402

PROG = "pref-flip"
SPEC = dict(COMMON, **{"labels": "req", "label-fields": "req", "lambda": "req",
                       "drop-flipped": "none", "drop-both-hallucinated": "none",
                       "by": "req", "score-chosen-field": "req",
                       "score-rejected-field": "req", "prompt-field": "req",
                       "chosen-field": "req", "rejected-field": "req",
                       "responses-field": "req"})


def main(argv):
    try:
        opts, files = parse_args(argv, SPEC, COMMON_SHORT)
        o = {"labels": last(opts, "labels", "hallucinated"),
             "label-fields": last(opts, "label-fields", "h_w,h_l"),
             "lambda": last(opts, "lambda"),
             "drop-flipped": "drop-flipped" in opts,
             "drop-both-hallucinated": "drop-both-hallucinated" in opts,
             "by": last(opts, "by", "labels")}
        for k in ("score-chosen-field", "score-rejected-field", "chosen-field",
                  "rejected-field"):
            if k in opts:
                o[k] = last(opts, k)
        if o["labels"] not in ("hallucinated", "factual") or \
                o["by"] not in ("labels", "score") or \
                len(o["label-fields"].split(",")) != 2:
            raise Usage("bad option value")
        if o["lambda"] is not None:
            float(o["lambda"])
        if o["by"] == "score" and any(k in opts for k in (
                "labels", "label-fields", "lambda", "drop-both-hallucinated")):
            raise Usage("those options need labels")
        run = Run(PROG, opts)
    except (Usage, ValueError) as e:
        usage_error(PROG, str(e))
    if o["by"] == "score":
        extra = dict.fromkeys(("flipped", "unchanged", "dropped_flipped"), 0)
    else:
        extra = dict.fromkeys(("h_00", "h_01", "h_10", "h_11", "flipped", "unchanged",
                               "dropped_flipped", "dropped_both_hallucinated"), 0)
    run.counts.update(extra)
    inp = Input(files, run)
    for name, lineno, line, rec in inp:
        run.counts["read"] += 1
        o.pop("bucket", None)
        try:
            if isinstance(rec, BadRecord):
                raise rec
            out, what = flip(rec, o)
        except BadRecord as e:
            run.bad((name, lineno), line, str(e))
            continue
        if "bucket" in o:
            run.counts[o["bucket"]] += 1
        run.counts[what] += 1
        if out is not None:
            run.write(out)
    run.counts["blank"] = inp.blank
    run.finish(0)


main(sys.argv[1:])
