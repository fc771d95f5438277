#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Baseline for pref-relabel (SPEC 3.1, defaults): Reward-Augmented DPO.

Each pair becomes two: (1) conditioned on r_w = score_chosen, unchanged;
(2) conditioned on r_l = score_rejected, with chosen/rejected and every paired
field swapped.  The condition text goes before a string prompt (+ "\\n\\n"), or
into a leading system message of a message-list prompt (both chosen and
rejected for an implicit prompt).  Each pair gets "goal_score"."""

import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of bench/
from common import run, swap

TEMPLATE = ("You are an assistant that generates responses for the instruction "
            "while implicitly achieving the following target scores (on a scale "
            "of 1-10, where 1 is lowest and 10 is highest):\nOverall score: {score}.")


def fmt(x):
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError("score is not a number: %r" % (x,))
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return repr(x) if isinstance(x, float) else str(x)


def add_system(msgs, text):
    if msgs and isinstance(msgs[0], dict) and msgs[0].get("role") == "system":
        first = dict(msgs[0])
        first["content"] = text + "\n\n" + first["content"]
        return [first] + msgs[1:]
    return [{"role": "system", "content": text}] + msgs


def condition(rec, goal):
    text = TEMPLATE.replace("{score}", fmt(goal))
    rec = dict(rec)
    if "prompt" in rec:
        p = rec["prompt"]
        rec["prompt"] = text + "\n\n" + p if isinstance(p, str) else add_system(p, text)
    else:
        rec["chosen"] = add_system(rec["chosen"], text)
        rec["rejected"] = add_system(rec["rejected"], text)
    rec["goal_score"] = goal
    return rec


def relabel(rec):
    w, l = rec["score_chosen"], rec["score_rejected"]
    return (condition(rec, w), condition(swap(rec), l))


if __name__ == "__main__":
    sys.exit(run(relabel))
