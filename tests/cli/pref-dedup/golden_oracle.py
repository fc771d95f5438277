# SPDX-License-Identifier: MIT
# golden_oracle.py - pref-dedup written again in Python from pref-dedup(1)
# and prefkit(7), not from cmd/pref-dedup.c: the golden oracle of
# golden-oracle.sh (see ../goldenlib.py).  The first record of each key is
# written, compact, in input order; keys are compared by their canonical
# text itself (not by its XXH3-128 hash), strings normalized with
# " ".join(s.split()) and s.casefold().  Everything is held in memory, so
# "held" and "key_tables_spilled" are 0: what pref-dedup reports within
# its --memory.
import sys
from goldenlib import (COMMON, COMMON_SHORT, BadRecord, Input, Run, Usage,
                       canonical_key, compact_bytes, get_path, is_conversation,
                       last, parse_args, usage_error)

PROG = "pref-dedup"
SPEC = dict(COMMON, **{"key": "req", "normalize": "req", "memory": "req",
                       "tmpdir": "req", "prompt-field": "req", "chosen-field": "req",
                       "rejected-field": "req", "score-chosen-field": "req",
                       "score-rejected-field": "req", "responses-field": "req"})


def normalize(v, how):
    if isinstance(v, str):
        if "space" in how:
            v = " ".join(v.split())
        if "case" in how:
            v = v.casefold()
        return v
    if isinstance(v, list):
        return [normalize(x, how) for x in v]
    if isinstance(v, dict):
        return {k: normalize(x, how) for k, x in v.items()}
    return v


def main(argv):
    try:
        opts, files = parse_args(argv, SPEC, COMMON_SHORT)
        how = last(opts, "normalize", "")
        if how and how not in ("space", "case", "space,case", "case,space"):
            raise Usage("--normalize: space, case or space,case")
        fields = {"prompt": last(opts, "prompt-field", "prompt"),
                  "chosen": last(opts, "chosen-field", "chosen"),
                  "rejected": last(opts, "rejected-field", "rejected")}
        items = []
        for it in last(opts, "key", "pair").split(","):
            if it == "":
                raise Usage("--key: an empty item")
            items += ["prompt", "chosen", "rejected"] if it == "pair" else [it]
        run = Run(PROG, opts)
    except Usage as e:
        usage_error(PROG, str(e))
    run.counts.update(duplicates=0, held=0, key_tables_spilled=0)
    seen = set()
    inp = Input(files, run)
    for name, lineno, line, rec in inp:
        run.counts["read"] += 1
        try:
            if isinstance(rec, BadRecord):
                raise rec
            vals = []
            for it in items:
                path = fields.get(it, it)
                try:
                    vals.append(get_path(rec, path))
                except KeyError:
                    chosen = rec.get(fields["chosen"]) if it == "prompt" else None
                    if not is_conversation(chosen):
                        raise BadRecord("missing field '%s'" % path)
                    vals.append(chosen[:-1])
        except BadRecord as e:
            run.bad((name, lineno), line, str(e))
            continue
        vals = [normalize(v, how) for v in vals]
        key = canonical_key(vals[0] if len(vals) == 1 else vals)
        if key in seen:
            run.counts["duplicates"] += 1
            continue
        seen.add(key)
        run.write(compact_bytes(line).decode("utf-8"))
    run.counts["blank"] = inp.blank
    run.finish(0)


main(sys.argv[1:])
