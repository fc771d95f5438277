# SPDX-License-Identifier: MIT
# golden_oracle.py - pref-split written again in Python from the rule of
# pref-split(1) (group key, canonical text, XXH3-64, u < f x 2^64, shard
# floor(mix(u) x n / 2^64) with the SplitMix64 finalizer) and prefkit(7),
# not from cmd/pref-split.c: the golden oracle of golden-oracle.sh (see
# ../goldenlib.py).  The parts are written only when the whole input has
# been read without error, records compact, each part in input order.
# XXH3-64 is xxhsum's, which has no seed: --seed other than 0 is not
# written (exit 3; those cases check themselves in Python).
import os, subprocess, sys
from fractions import Fraction
from goldenlib import (COMMON, COMMON_SHORT, BadRecord, Input, Run, Usage,
                       canonical_key, compact_bytes, get_path, is_conversation,
                       last, parse_args, usage_error, xxh3_64)

PROG = "pref-split"
SPEC = dict(COMMON, **{"test": "req", "shards": "req", "by": "req", "seed": "req",
                       "prompt-field": "req", "chosen-field": "req",
                       "rejected-field": "req", "score-chosen-field": "req",
                       "score-rejected-field": "req", "responses-field": "req"})
M64 = (1 << 64) - 1


def mix(z):
    z ^= z >> 30
    z = (z * 0xbf58476d1ce4e5b9) & M64
    z ^= z >> 27
    z = (z * 0x94d049bb133111eb) & M64
    return z ^ (z >> 31)


def group_key(rec, by, prompt_field, chosen_field):
    if by != "prompt":
        name = by[len("field="):]
        try:
            return get_path(rec, name)
        except KeyError:
            raise BadRecord("missing field '%s'" % name)
    try:
        return get_path(rec, prompt_field)
    except KeyError:
        pass
    try:
        chosen = get_path(rec, chosen_field)
    except KeyError:
        chosen = None
    if not is_conversation(chosen):
        raise BadRecord("missing field '%s'" % prompt_field)
    return chosen[:-1]


def main(argv):
    try:
        opts, files = parse_args(argv, SPEC, COMMON_SHORT)
        prefix = last(opts, "output")
        if prefix is None or ("test" in opts) == ("shards" in opts):
            raise Usage("-o and one of --test and --shards are needed")
        if last(opts, "seed", "0") != "0":
            sys.stderr.write("golden_oracle.py: not written for --seed\n")
            sys.exit(3)
        by = last(opts, "by", "prompt")
        if by != "prompt" and not by.startswith("field="):
            raise Usage("--by: prompt or field=NAME")
        level = last(opts, "zstd")
        ext = ".jsonl.zst" if level is not None else ".jsonl"
        if "test" in opts:
            f = float(last(opts, "test"))
            if not 0 <= f <= 1:
                raise Usage("--test: 0 to 1")
            limit = Fraction(f) * 2 ** 64
            names = ["train", "test"]
            paths = [prefix + ".train" + ext, prefix + ".test" + ext]
        else:
            n = int(last(opts, "shards"))
            if not 1 <= n <= 99999:
                raise Usage("--shards: 1 to 99999")
            paths = ["%s-%05d-of-%05d%s" % (prefix, i, n, ext) for i in range(n)]
        run_opts = {k: v for k, v in opts.items() if k not in ("output", "zstd")}
        run = Run(PROG, run_opts)
    except (Usage, ValueError) as e:
        usage_error(PROG, str(e))
    if "test" in opts:
        run.counts.update(train=0, test=0)
    parts = [[] for _ in paths]
    pf = last(opts, "prompt-field", "prompt")
    cf = last(opts, "chosen-field", "chosen")
    inp = Input(files, run)
    for name, lineno, line, rec in inp:
        run.counts["read"] += 1
        try:
            if isinstance(rec, BadRecord):
                raise rec
            key = group_key(rec, by, pf, cf)
        except BadRecord as e:
            run.bad((name, lineno), line, str(e))
            continue
        u = int(xxh3_64(canonical_key(key).encode()), 16)
        if "test" in opts:
            i = 1 if u < limit else 0
            run.counts[names[i]] += 1
        else:
            i = mix(u) * n >> 64
        parts[i].append(compact_bytes(line) + b"\n")
        run.counts["written"] += 1
    run.counts["blank"] = inp.blank
    for p in paths:
        if os.path.isdir(p):
            sys.stderr.write("%s: %s: Is a directory\n" % (PROG, p))
            run.finish(2)
    for p, recs in zip(paths, parts):
        data = b"".join(recs)
        if level is not None:
            lv = "-3" if level is True else "-" + level
            data = subprocess.run(["zstd", "-qc", lv], input=data,
                                  capture_output=True, check=True).stdout
        with open(p, "wb") as fh:
            fh.write(data)
    run.finish(0)


main(sys.argv[1:])
