# SPDX-License-Identifier: MIT
# golden_oracle.py - pref-relabel written again in Python from SPEC 3.1 and
# pref-relabel(1), not from lib/relabel.c or cmd/pref-relabel.c: the golden
# oracle of golden-oracle.sh (see ../goldenlib.py).
import sys
from goldenlib import (COMMON, COMMON_SHORT, BadRecord, Input, Num, Run, Usage,
                       dumps, fmt_num, get_path, has_path, last, parse_args,
                       set_path, swap_paired, usable, usage_error)

PROG = "pref-relabel"
DEFAULT_HEAD = ("You are an assistant that generates responses for the instruction "
                "while implicitly achieving the following target scores (on a scale "
                "of {min}-{max}, where {min} is lowest and {max} is highest):")
DEFAULT = DEFAULT_HEAD + "\nOverall score: {score}."
DEFAULT_ATTR = DEFAULT_HEAD + "\n{score}"

SPEC = dict(COMMON, **{
    "placement": "req", "template": "req", "template-file": "req", "scale": "req",
    "round": "req", "ties": "req", "keep-original": "none", "attributes": "req",
    "score-chosen-field": "req", "score-rejected-field": "req", "goal-text": "req",
    "prompt-field": "req", "chosen-field": "req", "rejected-field": "req",
    "responses-field": "req"})


def parse_template(t):
    """str.format-like pieces: ('lit', text) or ('ph', name)."""
    out, i, lit = [], 0, ""
    while i < len(t):
        c = t[i]
        if c == "{" and t[i + 1:i + 2] == "{":
            lit += "{"
            i += 2
        elif c == "}" and t[i + 1:i + 2] == "}":
            lit += "}"
            i += 2
        elif c == "{":
            j = t.find("}", i)
            if j < 0:
                raise Usage("unclosed '{' in the template")
            name = t[i + 1:j]
            if name not in ("score", "min", "max"):
                raise Usage("unknown placeholder {%s}" % name)
            out.append(("lit", lit))
            lit = ""
            out.append(("ph", name))
            i = j + 1
        elif c == "}":
            raise Usage("lone '}' in the template")
        else:
            lit += c
            i += 1
    out.append(("lit", lit))
    if ("ph", "score") not in out:
        raise Usage("the template has no {score}")
    return out


def fill(pieces, score, lo, hi):
    vals = {"score": score, "min": lo, "max": hi}
    return "".join(x if k == "lit" else vals[x] for k, x in pieces)


def rounded(x, n):
    """round(x, n) half to even on the exact value, fixed notation, no
    trailing zeros; -0 is 0."""
    r = round(float(x), n)
    s = format(r, ".%df" % n)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    return s


def goal_text_of(v, rnd):
    """The goal in the condition text."""
    if rnd is not None:
        return rounded(v, rnd)
    return fmt_num(float(v))  # the score read as a double (prefkit(7) NUMBERS)


def goal_value(v, rnd):
    """The goal written to goal_score: the input's text, or rounded."""
    if rnd is not None:
        return Num(rounded(v, rnd))
    return v


def attr_label(name):
    name = name.replace("_", " ")
    return name[:1].upper() + name[1:]


def is_messages(v):
    return isinstance(v, list) and all(isinstance(m, dict) for m in v)


def place_system(msgs, text):
    msgs = [dict(m) for m in msgs]
    if msgs and msgs[0].get("role") == "system":
        if not isinstance(msgs[0].get("content"), str):
            raise BadRecord("system message content is not a string")
        msgs[0]["content"] = text + "\n\n" + msgs[0]["content"]
    else:
        msgs.insert(0, {"role": "system", "content": text})
    return msgs


def place_prefix(msgs, text):
    msgs = [dict(m) for m in msgs]
    for m in msgs:
        if m.get("role") == "user":
            if not isinstance(m.get("content"), str):
                raise BadRecord("user message content is not a string")
            m["content"] = text + "\n\n" + m["content"]
            return msgs
    raise BadRecord("no user message")


class StringSystem(Exception):
    pass


def main(argv):
    try:
        opts, files = parse_args(argv, SPEC, COMMON_SHORT)
        tmpl = last(opts, "template")
        if "template-file" in opts:
            try:
                with open(last(opts, "template-file"), encoding="utf-8") as f:
                    tmpl = f.read()
            except OSError as e:
                usage_error(PROG, "%s: %s" % (last(opts, "template-file"), e.strerror))
            if tmpl.endswith("\n"):
                tmpl = tmpl[:-1]
        attrs = last(opts, "attributes")
        attrs = attrs.split(",") if attrs else None
        if tmpl is None:
            tmpl = DEFAULT_ATTR if attrs else DEFAULT
        pieces = parse_template(tmpl)
        lo_s, _, hi_s = last(opts, "scale", "1:10").partition(":")
        lo, hi = float(lo_s), float(hi_s)
        rnd = last(opts, "round")
        if rnd is not None:
            if not rnd.isdigit() or int(rnd) > 17:
                raise Usage("--round: invalid value")
            rnd = int(rnd)
        ties = last(opts, "ties", "keep")
        if ties not in ("keep", "drop", "first"):
            raise Usage("--ties: invalid value")
        placement = last(opts, "placement", "auto")
        if placement not in ("auto", "system", "prefix") and not placement.startswith("field="):
            raise Usage("--placement: invalid value")
        run = None if "goal-text" in opts else Run(PROG, opts)
    except Usage as e:
        usage_error(PROG, str(e))
    lo_t, hi_t = fmt_num(lo), fmt_num(hi)
    scf = last(opts, "score-chosen-field", "scores_chosen" if attrs else "score_chosen")
    srf = last(opts, "score-rejected-field", "scores_rejected" if attrs else "score_rejected")
    pf = last(opts, "prompt-field", "prompt")
    cf = last(opts, "chosen-field", "chosen")
    rf = last(opts, "rejected-field", "rejected")

    def condition(goal):
        """goal: a Num, or for --attributes a dict attr -> Num."""
        if attrs:
            s = "\n".join("%s: %s." % (attr_label(a), goal_text_of(goal[a], rnd))
                          for a in attrs)
        else:
            s = goal_text_of(goal, rnd)
        return fill(pieces, s, lo_t, hi_t)

    if "goal-text" in opts:
        g = last(opts, "goal-text")
        try:
            if attrs:
                if "=" in g:
                    given = dict(kv.split("=", 1) for kv in g.split(","))
                    if set(given) != set(attrs):
                        raise ValueError
                    goal = {a: Num(given[a]) for a in attrs}
                else:
                    goal = {a: Num(g) for a in attrs}
            else:
                goal = Num(g)
        except ValueError:
            usage_error(PROG, "--goal-text: bad value")
        print(condition(goal))
        sys.exit(0)

    def score(rec, path):
        v = get_path(rec, path)
        if attrs:
            if not isinstance(v, dict):
                raise BadRecord("scores not an object")
            out = {}
            for a in attrs:
                if a not in v:
                    raise BadRecord("attribute missing")
                out[a] = check(v[a])
            return out
        return check(v)

    def check(v):
        if not lo <= usable(v) <= hi:
            raise BadRecord("score out of range")
        return v

    def relabel(rec, goal):
        text = condition(goal)
        rec = dict(rec)
        if placement.startswith("field="):
            set_path(rec, placement[6:], text)
        elif pf in rec:
            p = rec[pf]
            if isinstance(p, str):
                if placement == "system":
                    raise StringSystem()
                rec[pf] = text + "\n\n" + p
            elif is_messages(p):
                rec[pf] = place_prefix(p, text) if placement == "prefix" \
                    else place_system(p, text)
            else:
                raise BadRecord("prompt neither string nor messages")
        else:
            for side in (cf, rf):
                msgs = rec[side]
                rec[side] = place_prefix(msgs, text) if placement == "prefix" \
                    else place_system(msgs, text)
        if attrs:
            rec["goal_scores"] = {a: goal_value(goal[a], rnd) for a in attrs}
        else:
            rec["goal_score"] = goal_value(goal, rnd)
        return rec

    counts = {"relabeled": 0, "ties": 0, "dropped_ties": 0}
    inp = Input(files)
    for name, lineno, line, rec in inp:
        run.counts["read"] += 1
        try:
            if isinstance(rec, BadRecord):
                raise rec
            try:
                rw, rl = score(rec, scf), score(rec, srf)
            except KeyError:
                raise BadRecord("score missing")
            for side in (cf, rf):
                if not has_path(rec, side) or not isinstance(get_path(rec, side), (str, list)):
                    raise BadRecord("response missing")
            if not placement.startswith("field=") and pf not in rec:
                for side in (cf, rf):
                    if not is_messages(rec[side]) or not rec[side]:
                        raise BadRecord("implicit prompt needs message lists")
            tie = all(float(rw[a]) == float(rl[a]) for a in attrs) if attrs \
                else float(rw) == float(rl)
            if tie:
                counts["ties"] += 1
                if ties == "drop":
                    counts["dropped_ties"] += 1
                    continue
            outs = [rec] if "keep-original" in opts else []
            outs.append(relabel(rec, rw))
            if not (tie and ties == "first"):
                outs.append(relabel(swap_paired(rec), rl))
        except BadRecord as e:
            run.bad((name, lineno), line, str(e))
            continue
        except StringSystem:
            sys.stderr.write("%s: %s:%d: --placement=system needs a message-list prompt\n"
                             % (PROG, name, lineno))
            run.out = []
            run.stats_to = None
            run.finish(2)
        counts["relabeled"] += 1
        for r in outs:
            run.write(r)
    run.counts["blank"] = inp.blank
    run.counts.update(counts)
    run.finish(0)


main(sys.argv[1:])
