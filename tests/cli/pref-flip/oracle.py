# SPDX-License-Identifier: MIT
# oracle.py - factuality-aware flipping (SPEC 3.5, F-DPO) written again in
# Python, from the SPEC and pref-flip(1) and not from lib/flip.c.  flip()
# is one record's flip; golden_oracle.py (through ../goldenlib.py) makes a
# whole pref-flip of it.  Run as a program, for oracle.sh: reads JSON
# Lines on stdin, writes what pref-flip should write for the options given
# (a subset: --labels, --label-fields, --lambda, --drop-flipped,
# --drop-both-hallucinated, --by score), one compact record per line.
import json, os, sys

# SPEC 1.2's paired-field swap and dotted paths: the golden oracles' own
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from goldenlib import (BadRecord, Num, get_path, num, partner,  # noqa: E402
                       set_path, swap_paired, usable)


def get(r, path, what):
    try:
        return get_path(r, path)
    except KeyError:
        raise BadRecord("missing %s'%s'" % (what, path))


def label(r, path):
    """A label, 0 or 1: 0, 1, true or false (a number as prefkit(7)
    NUMBERS reads it)."""
    v = get(r, path, "label field ")
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, Num):
        x = usable(v)
    elif isinstance(v, (int, float)):
        x = v
    else:
        raise BadRecord("label field '%s' is not 0 or 1" % path)
    if x not in (0, 1):
        raise BadRecord("label field '%s' is not 0 or 1" % path)
    return int(x)


def score(r, path):
    v = get(r, path, "score field ")
    if isinstance(v, Num):
        return usable(v)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise BadRecord("score field '%s' is not a number" % path)
    return v


def swap_named(r, a, b):
    """Swap the values at paths a and b when the paired-field swap has not
    (names that are not partners)."""
    if partner(a.split(".")[-1]) != b.split(".")[-1]:
        va, vb = get_path(r, a), get_path(r, b)
        set_path(r, a, vb)
        set_path(r, b, va)


def flip(r, o):
    """One record: (the record to write or None, what happened), what being
    'flipped', 'unchanged', 'dropped_flipped' or 'dropped_both_hallucinated';
    o['bucket'] is set to the (h_w, h_l) bucket under labels.  BadRecord for
    a bad record."""
    cf, rf = o.get("chosen-field", "chosen"), o.get("rejected-field", "rejected")
    get(r, cf, "field ")
    get(r, rf, "field ")
    hw = hl = None
    if o["by"] == "score":
        do_flip = score(r, o.get("score-chosen-field", "score_chosen")) < \
            score(r, o.get("score-rejected-field", "score_rejected"))
    else:
        lw, ll = o["label-fields"].split(",")
        hw, hl = label(r, lw), label(r, ll)
        if o["labels"] == "factual":
            hw, hl = 1 - hw, 1 - hl
        o["bucket"] = "h_%d%d" % (hw, hl)
        do_flip = (hw, hl) == (1, 0)
        if hw and hl and o["drop-both-hallucinated"]:
            return None, "dropped_both_hallucinated"
    if do_flip and o["drop-flipped"]:
        return None, "dropped_flipped"
    if do_flip:
        r = swap_paired(r)
        swap_named(r, cf, rf)
        if o["by"] != "score":
            swap_named(r, lw, ll)
        r["flipped"] = True
    elif "flipped" not in r:
        r["flipped"] = False
    if o["by"] != "score":
        delta = 1 if do_flip else hl - hw
        r["delta_h"] = delta
        if o["lambda"] is not None:
            r["margin"] = num(float(o["lambda"]) * delta)
    return r, "flipped" if do_flip else "unchanged"


def main(argv):
    o = {"labels": "hallucinated", "label-fields": "h_w,h_l", "lambda": None,
         "drop-flipped": False, "drop-both-hallucinated": False, "by": "labels"}
    for a in argv:
        k, _, v = a[2:].partition("=")
        o[k] = v if v else True
    for line in sys.stdin:
        r, _ = flip(json.loads(line), o)
        if r is not None:
            if isinstance(r.get("margin"), Num):
                m = r["margin"].value
                r["margin"] = m
            print(json.dumps(r, ensure_ascii=False, separators=(",", ":")))


if __name__ == "__main__":
    main(sys.argv[1:])
