# SPDX-License-Identifier: MIT
# golden_oracle.py - pref-curriculum written again in Python from
# pref-curriculum(1) and prefkit(7), not from cmd/pref-curriculum.c: the
# golden oracle of golden-oracle.sh (see ../goldenlib.py).  Pairs with
# scores (or ranks) and ranked lists made into pairs as pref-expand's own
# oracle makes them (../pref-expand/golden_oracle.py); stages by rank or by
# gap (equal gaps never split, the cuts stay where they are), ties and
# misordered pairs dropped or kept in the last stage, order within a stage
# by gap or by the seeded XXH3-64 shuffle (xxhsum: seed 0 only).  Not
# written (exit 3): --merge, --split-stages, --from, --seed other than 0
# with the shuffle; what is sorted is held in memory, so the sort_* counts
# are 0.
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "pref-expand"))
from goldenlib import (COMMON, COMMON_SHORT, BadRecord, Input, Num, Run, Usage,  # noqa: E402
                       dumps, get_path, last, num, parse_args, usable, usage_error,
                       xxh3_64)
from golden_oracle import Expand, oasst_lists  # noqa: E402  (pref-expand's)

PROG = "pref-curriculum"
SPEC = dict(COMMON, **{k: "req" for k in (
    "input", "pairs", "stage-by", "stages", "within", "seed", "split-stages",
    "memory", "tmpdir", "from", "rank-by", "text-field", "score-field", "rank-field",
    "prompt-field", "responses-field", "score", "chosen-field", "rejected-field",
    "score-chosen-field", "score-rejected-field")})
SPEC.update({"keep-ties": "none", "merge": "none", "no-synthetic": "none"})
FROM = ("oasst", "nectar", "ultrafeedback", "helpsteer")


def not_written(what):
    sys.stderr.write("golden_oracle.py: not written for %s\n" % what)
    sys.exit(3)


def size(s):
    mult = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
    n = int(s[:-1]) * mult[s[-1]] if s[-1:] in mult else int(s)
    if n <= 0:
        raise Usage("--memory: invalid size")
    return n


def options(opts):
    o = {}
    for name, values in (("input", ("lists", "pairs")), ("stage-by", ("rank", "gap")),
                         ("within", ("shuffle", "gap"))):
        o[name] = last(opts, name)
        if o[name] is not None and o[name] not in values:
            raise Usage("--%s: invalid value" % name)
    if "stages" in opts:
        k = last(opts, "stages")
        if not k.isdigit() or not 1 <= int(k) <= 1000000:
            raise Usage("--stages: invalid value")
        if o["stage-by"] == "rank":
            raise Usage("--stages goes with --stage-by gap")
        o["stage-by"] = "gap"
    o["stages"] = int(last(opts, "stages", "3"))
    if "memory" in opts:
        size(last(opts, "memory"))
    fmt = last(opts, "from")
    if fmt is not None and fmt not in FROM:
        raise Usage("--from: gives pairs, not ranked lists")
    if "merge" in opts and fmt is not None:
        raise Usage("--merge reads pref-curriculum output, not --from")
    o["within"] = o["within"] or "shuffle"
    o["seed"] = last(opts, "seed", "0")
    return o, fmt


def pair_gap(rec, opts):
    """The gap of an input pair: score_chosen - score_rejected, or with
    neither, rank_rejected - rank_chosen."""
    for f in ("chosen", "rejected"):
        path = last(opts, f + "-field", f)
        try:
            get_path(rec, path)
        except KeyError:
            raise BadRecord("missing field '%s'" % path)
    scf = last(opts, "score-chosen-field", "score_chosen")
    srf = last(opts, "score-rejected-field", "score_rejected")
    got = {}
    for path in (scf, srf):
        try:
            got[path] = get_path(rec, path)
        except KeyError:
            pass
    if not got and "rank_chosen" in rec and "rank_rejected" in rec:
        return usable(rec["rank_rejected"]) - usable(rec["rank_chosen"])
    for path in (scf, srf):
        if path not in got:
            raise BadRecord("missing score field '%s'" % path)
        if not isinstance(got[path], Num):
            raise BadRecord("score field '%s' is not a number" % path)
    return usable(got[scf]) - usable(got[srf])


def gap_stages(items, k):
    """items: [gap, ...] entries (dicts with 'gap') sorted by gap, largest
    first, cut into k stages of n/k (the first n mod k one more); a group of
    equal gaps goes wholly to the stage its first pair falls in."""
    n = len(items)
    nominal, bound = [], 0
    for s in range(k):
        size_s = n // k + (1 if s < n % k else 0)
        nominal += [s + 1] * size_s
    prev = None
    for i, it in enumerate(items):
        if prev is not None and it["gap"] == prev["gap"]:
            it["stage"] = prev["stage"]
        else:
            it["stage"] = nominal[i]
        prev = it
    return bound


def main(argv):
    try:
        opts, files = parse_args(argv, SPEC, COMMON_SHORT)
        o, fmt = options(opts)
        if "merge" in opts or "split-stages" in opts or fmt not in (
                None, "ultrafeedback", "oasst"):
            not_written("--merge, --split-stages or --from nectar/helpsteer")
        if o["within"] == "shuffle" and o["seed"] != "0":
            not_written("--seed")
        ex = Expand(opts)
        run = Run(PROG, opts)
    except (Usage, ValueError) as e:
        usage_error(PROG, str(e))
    run.counts.update(stages=0, sort_runs=0, sort_merge_passes=0, sort_bytes_spilled=0,
                      ties_dropped=0, misordered_dropped=0)
    kind = o["input"]
    reader = {}
    if fmt is not None:
        # the readers of pref-expand's and pref-convert's oracles
        # (pref-curriculum(1): "as pref-expand(1) does")
        kind = "lists"
        if fmt == "oasst":
            reader = {"oasst_messages_skipped": 0, "oasst_replies_unranked": 0,
                      "oasst_groups_too_small": 0}
        else:
            import importlib.util
            spec = importlib.util.spec_from_file_location("convert_oracle", os.path.join(
                os.path.dirname(os.path.abspath(__file__)), "..", "pref-convert",
                "golden_oracle.py"))
            convert = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(convert)
            conv = convert.Conv(opts)
            conv.counts = reader = {"completions_dropped": 0}
    entries = []  # {"rec", "gap", "stage", "seq", "tie"}
    max_standings = 0
    inp = Input(files, run)
    for name, lineno, line, rec in inp:
        run.counts["read"] += 1
        try:
            if isinstance(rec, BadRecord):
                raise rec
            if kind is None:
                kind = "lists" if isinstance(rec.get("responses"), list) else "pairs"
            if kind == "pairs":
                if o["stage-by"] == "rank":
                    usage_error(PROG, "--stage-by rank needs ranked lists (the input holds pairs)")
                g = pair_gap(rec, opts)
                if g <= 0 and "keep-ties" not in opts:
                    run.counts["ties_dropped" if g == 0 else "misordered_dropped"] += 1
                    continue
                entries.append({"rec": rec, "gap": g, "tie": g <= 0})
                continue
            saved, saved_reader = dict(ex.counts), dict(reader)
            try:
                if fmt == "oasst":
                    lists = oasst_lists(rec, reader, "no-synthetic" in opts)
                elif fmt == "ultrafeedback":
                    lists = [r for _, r in conv.ultrafeedback(rec)]
                else:
                    lists = [rec]
                made = []
                for l in lists:
                    before = dict(ex.counts)
                    items, by, place = ex.responses(l)  # (counted by expand)
                    ex.counts = before
                    made.append((items, by, ex.expand(l)))
            except (BadRecord, KeyError, TypeError) as e:
                ex.counts = saved
                reader.clear()
                reader.update(saved_reader)
                raise BadRecord(str(e))
            for items, by, pairs in made:
                entries_of_list(entries, items, by, pairs)
                n = len({it[by + "_val"] for it in items})
                if n >= 2:
                    max_standings = max(max_standings, n)
        except BadRecord as e:
            run.bad((name, lineno), line, str(e))
            continue
    finish(run, o, opts, kind, entries, max_standings, ex, reader, inp)


def entries_of_list(entries, items, by, pairs):
    """The pairs of one list, with their gap and the stage by rank."""
    vals = sorted({it[by + "_val"] for it in items}, reverse=(by == "score"))
    for p in pairs:
        a = vals.index(usable(p[by + "_chosen"]))
        b = vals.index(usable(p[by + "_rejected"]))
        g = (usable(p[by + "_chosen"]) - usable(p[by + "_rejected"])) \
            if by == "score" else usable(p[by + "_rejected"]) - usable(p[by + "_chosen"])
        entries.append({"rec": p, "gap": g, "tie": False,
                        "rank_stage": len(vals) - (b - a)})


def finish(run, o, opts, kind, entries, max_standings, ex, reader, inp):
    for i, e in enumerate(entries):
        e["seq"] = i
    if kind == "lists" and o["stage-by"] != "gap":
        for e in entries:
            e["stage"] = e["rank_stage"]
        run.counts["stages"] = max(max_standings - 1, 0)
    else:
        cut = sorted((e for e in entries if not e["tie"]), key=lambda e: (-e["gap"], e["seq"]))
        gap_stages(cut, o["stages"])
        for e in entries:
            if e["tie"]:
                e["stage"] = o["stages"]
        run.counts["stages"] = o["stages"]
    for e in entries:
        r = e["rec"]
        if "rank_stage" in e:
            # a pair of a list: gap and stage go before its group_id, as
            # the example of pref-curriculum(1) shows them
            gid = r.pop("group_id")
            r.pop("gap", None)
            r.pop("stage", None)
        r["gap"] = num(e["gap"])
        r["stage"] = Num("0")
        if "rank_stage" in e:
            r["group_id"] = gid
        e["zero"] = dumps(r)
        r["stage"] = Num(str(e["stage"]))
        e["text"] = dumps(r)
    if o["within"] == "gap":
        entries.sort(key=lambda e: (e["stage"], -e["gap"], e["seq"]))
    else:
        entries.sort(key=lambda e: (e["stage"], int(xxh3_64(e["zero"].encode()), 16),
                                    e["text"].encode()))
    for e in entries:
        run.write(e["text"])
    run.counts["blank"] = inp.blank
    if kind == "lists":
        run.counts.update(lists=ex.counts["lists"], lists_too_small=ex.counts["lists_too_small"],
                          responses_dropped=ex.counts["responses_dropped"])
        run.counts.update(reader)
    run.finish(0)


main(sys.argv[1:])
