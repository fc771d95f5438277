# SPDX-License-Identifier: MIT
# golden_oracle.py - pref-ches written again in Python from SPEC 3.4,
# pref-ches(1) and prefkit(7), not from lib/ches.c or cmd/pref-ches.c: the
# golden oracle of golden-oracle.sh (see ../goldenlib.py).
#
# The scores are ches_oracle.py's (lexical: Python's re tokens counted by
# their text, exact fractions) or exact fractions of the inline arrays
# (every value a double, the sums exact, one rounding at the end; the
# page's long double sums give the same while they are exact in a 64-bit
# significand, as in the cases, not always when terms cancel).  With
# --mean, S = L * mean, so ches needs both lengths (above 0).  The
# record accounting is the man page's: a record is bad when it lacks its
# chosen or rejected field, when a response is neither a string nor a
# message list, when ln-ches is the metric and a response has no tokens (or
# a length is 0 or missing), when inline embeddings are missing, not arrays
# of numbers, or of different lengths, when a length is not a whole number,
# or when a score is not finite; a score that cannot be computed otherwise
# (ln_ches without lengths or tokens) is not written.  --max keeps the
# pairs whose metric is at most the value; --keep-bottom / --drop-top keep
# / drop floor(F*n) of the n good pairs (F read as an exact decimal), ties
# at the cut to the earlier pair (kept first, dropped last), output in
# input order; --stats adds "dropped" with a filter.  Everything is held in
# memory: what pref-ches does within --memory.  Not written for: the npy=
# and safetensors= sources, --token-regex (the oracle's tokens are those of
# the default pattern), --max-line, and a response that is [] (whether it
# is an empty message list the pages do not say); they exit 3.
import sys
from fractions import Fraction

from goldenlib import (COMMON, COMMON_SHORT, BadRecord, Input, Num, Run, Usage,
                       get_path, last, num, parse_args, usable,
                       usage_error)

ches_oracle = None  # imported when tokens are needed (its classes take a second)


def tokens_oracle():
    global ches_oracle
    if ches_oracle is None:
        import ches_oracle as m
        ches_oracle = m
    return ches_oracle

PROG = "pref-ches"
SPEC = dict(COMMON, **{k: "req" for k in (
    "embeddings", "metric", "token-regex", "max", "keep-bottom", "drop-top",
    "memory", "tmpdir", "chosen-field", "rejected-field", "prompt-field",
    "score-chosen-field", "score-rejected-field", "responses-field")})
SPEC["mean"] = "none"


class Unsupported(Exception):
    pass


def fraction_option(name, v):
    """A decimal fraction from 0 to 1, exact."""
    if not v or any(c not in "0123456789." for c in v) or v.count(".") > 1 or v == ".":
        raise Usage("--%s: invalid value '%s'" % (name, v))
    f = Fraction(v)
    if f > 1:
        raise Usage("--%s: invalid value '%s'" % (name, v))
    return f


def message_text(v, side):
    """prefkit(7): a string, or the assistant text of a message list (an
    array of objects with a role and a content that is a string or a list
    of text parts)."""
    if isinstance(v, str):
        return v
    bad = BadRecord("field '%s': not a string or a message list" % side)
    if not isinstance(v, list):
        raise bad
    if not v:
        # whether [] is an (empty) message list, the pages do not say:
        # pref-check(1) names "an empty message list", pref-ches refuses it
        raise Unsupported()
    out = []
    for m in v:
        if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant"):
            raise bad
        c = m.get("content")
        if isinstance(c, list):
            parts = []
            for p in c:
                if not isinstance(p, dict) or p.get("type") != "text":
                    raise BadRecord("a content part is not text")
                t = p.get("text", p.get("value"))
                if not isinstance(t, str):
                    raise bad
                parts.append(t)
            c = "".join(parts)
        if not isinstance(c, str):
            raise bad
        if m["role"] == "assistant":
            out.append(c)
    return "".join(out)


def vector(rec, name):
    v = rec.get(name)
    if v is None and name not in rec:
        raise BadRecord("missing field '%s'" % name)
    if not isinstance(v, list) or not all(isinstance(x, Num) for x in v):
        raise BadRecord("field '%s' is not an array of numbers" % name)
    return [Fraction(usable(x)) for x in v]


def length(rec, name):
    """A whole number >= 0, or None when the field is absent."""
    if name not in rec:
        return None
    v = rec[name]
    try:
        x = usable(v)
    except BadRecord:
        x = None
    if x is None or x != int(x) or x < 0:  # 3.0 is a whole number
        raise BadRecord("field '%s' is not a whole number >= 0" % name)
    return int(x)


def finite(q):
    """The double nearest the fraction q, or BadRecord when it is not finite."""
    try:
        return float(q)
    except OverflowError:
        raise BadRecord("the embeddings give a score that is not finite")


def scores(rec, o):
    """(members to write in order, the metric's value)."""
    chosen = get_path(rec, o["chosen"])
    rejected = get_path(rec, o["rejected"])
    tc = message_text(chosen, o["chosen"])
    tr = message_text(rejected, o["rejected"])
    metric = o["metric"]
    out = {}
    if o["source"] == "lexical":
        ches, ln, _ = tokens_oracle().scores(tc, tr)
        if ln is None and metric == "ln-ches":
            raise BadRecord("a response has no tokens (ln-ches divides by its length)")
        out["ches"] = ches
        if ln is not None:
            out["ln_ches"] = ln
    else:
        a = vector(rec, "emb_chosen")
        b = vector(rec, "emb_rejected")
        if len(a) != len(b):
            raise BadRecord("emb_chosen and emb_rejected differ in length")
        lc, lr = length(rec, "len_chosen"), length(rec, "len_rejected")
        have_len = lc is not None and lr is not None and lc > 0 and lr > 0
        dot = sum(x * y for x, y in zip(a, b))
        sq = sum(x * x for x in a)
        ches = ln = None
        if o["mean"]:
            # the arrays are S/L: ln_ches from them as they are, ches from S
            # (a mean over no tokens gives no sum: a length of 0 is
            # taken as missing)
            ln = dot - sq
            if have_len:
                ches = lc * lr * dot - lc * lc * sq
        else:
            ches = dot - sq
            if have_len:
                ln = dot / (lc * lr) - sq / (lc * lc)
        if metric == "ln-ches" and ln is None or metric == "ches" and ches is None:
            raise BadRecord("a length is 0 or missing")
        if ches is not None:
            out["ches"] = finite(ches)
        if ln is not None:
            out["ln_ches"] = finite(ln)
    if metric == "edit":
        out["edit_sim"] = tokens_oracle().scores(tc, tr)[2]
    value = {"ln-ches": out.get("ln_ches"), "ches": out.get("ches"),
             "edit": out.get("edit_sim")}[metric]
    out["ches_source"] = o["source"]
    return out, value


def annotate(rec, out):
    for k, v in out.items():
        rec[k] = v if isinstance(v, str) else num(v)  # in place, or appended
    return rec


def main(argv):
    try:
        opts, files = parse_args(argv, SPEC, COMMON_SHORT)
        src = last(opts, "embeddings", "lexical")
        if src.startswith("npy=") or src.startswith("safetensors=") \
                or "token-regex" in opts or "max-line" in opts:
            raise Unsupported()
        if src not in ("lexical", "inline"):
            raise Usage("--embeddings: invalid value '%s'" % src)
        metric = last(opts, "metric", "ln-ches")
        if metric not in ("ln-ches", "ches", "edit"):
            raise Usage("--metric: invalid value '%s'" % metric)
        if "mean" in opts and src != "inline":
            raise Usage("--mean goes with inline embeddings only")
        filters = [f for f in ("max", "keep-bottom", "drop-top") if f in opts]
        if len(filters) > 1:
            raise Usage("one filter at a time")
        filt = filters[0] if filters else None
        if filt == "max":
            try:
                limit = float(last(opts, "max"))
            except ValueError:
                raise Usage("--max: invalid number")
        elif filt:
            frac = fraction_option(filt, last(opts, filt))
        o = {"source": src, "metric": metric, "mean": "mean" in opts,
             "chosen": last(opts, "chosen-field", "chosen"),
             "rejected": last(opts, "rejected-field", "rejected")}
        run = Run(PROG, opts)
    except Unsupported:
        sys.stderr.write("golden_oracle.py: not written for this use\n")
        sys.exit(3)
    except Usage as e:
        usage_error(PROG, str(e))
    if filt:
        run.counts["dropped"] = 0
    inp = Input(files, run)
    good = []  # (metric value, position, record) of the good pairs
    for name, lineno, line, rec in inp:
        run.counts["read"] += 1
        try:
            if isinstance(rec, BadRecord):
                raise rec
            try:
                out, value = scores(rec, o)
            except KeyError as e:
                raise BadRecord("missing field %s" % e)
            except Unsupported:
                sys.stderr.write("golden_oracle.py: not written for this use\n")
                sys.exit(3)
        except BadRecord as e:
            # in the two-pass modes nothing is written before the first
            # pass has read every record: an abort writes nothing
            run.bad((name, lineno), line, str(e))
            continue
        rec = annotate(rec, out)
        if filt is None:
            run.write(rec)
        elif filt == "max":
            if value <= limit:
                run.write(rec)
            else:
                run.counts["dropped"] += 1
        else:
            good.append((value, len(good), rec))
    if filt in ("keep-bottom", "drop-top"):
        n = len(good)
        k = int(frac * n)  # floor: frac >= 0
        ranked = sorted(good, key=lambda g: (g[0], g[1]))  # least similar first
        keep = ranked[:k] if filt == "keep-bottom" else ranked[:n - k]
        kept = set(g[1] for g in keep)
        for value, pos, rec in good:
            if pos in kept:
                run.write(rec)
            else:
                run.counts["dropped"] += 1
    run.counts["blank"] = inp.blank
    run.finish(0)


if __name__ == "__main__":
    main(sys.argv[1:])
