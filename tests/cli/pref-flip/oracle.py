# SPDX-License-Identifier: MIT
# oracle.py - factuality-aware flipping (SPEC 3.5, F-DPO) written again in
# Python, from the SPEC and not from lib/flip.c, for oracle.sh: reads JSON
# Lines on stdin, writes what pref-flip should write for the options given
# (a subset: --labels, --label-fields, --lambda, --drop-flipped,
# --drop-both-hallucinated, --by score), one compact record per line.
import json, os, sys

# SPEC 1.2's paired-field swap and dotted paths: the golden oracles' own
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from goldenlib import get_path as get, partner, set_path, swap_paired  # noqa: E402

def main(argv):
    o = {"labels": "hallucinated", "label-fields": "h_w,h_l", "lambda": None,
         "drop-flipped": False, "drop-both-hallucinated": False, "by": "labels"}
    for a in argv:
        k, _, v = a[2:].partition("=")
        o[k] = v if v else True
    lw, ll = o["label-fields"].split(",")
    for line in sys.stdin:
        r = json.loads(line)
        if o["by"] == "score":
            flip = r["score_chosen"] < r["score_rejected"]
        else:
            hw, hl = int(get(r, lw) == 1), int(get(r, ll) == 1)
            if o["labels"] == "factual":
                hw, hl = 1 - hw, 1 - hl
            flip = (hw, hl) == (1, 0)
            if hw and hl and o["drop-both-hallucinated"]:
                continue
        if flip and o["drop-flipped"]:
            continue
        if flip:
            a, b = get(r, lw), get(r, ll)
            r = swap_paired(r)
            if partner(lw.split(".")[-1]) != ll.split(".")[-1]:
                set_path(r, lw, b)
                set_path(r, ll, a)
            r["flipped"] = True
        elif "flipped" not in r:
            r["flipped"] = False
        if o["by"] != "score":
            delta = 1 if flip else hl - hw
            r["delta_h"] = delta
            if o["lambda"] is not None:
                m = float(o["lambda"]) * delta
                r["margin"] = int(m) if m == int(m) else m
        print(json.dumps(r, ensure_ascii=False, separators=(",", ":")))

main(sys.argv[1:])
