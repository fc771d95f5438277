# SPDX-License-Identifier: MIT
# golden_oracle.py - pref-check written again in Python from pref-check(1)
# and prefkit(7), not from lib/check.c or cmd/pref-check.c: the golden
# oracle of golden-oracle.sh (see ../goldenlib.py).  The rules are
# rules_oracle.py's; this is the rest of the page:
#   - the text report: "FILE:LINE: RULE: message" for each violation
#     listed (at most --limit of each rule, default 10, 0 all), in input
#     order and the man page's order of rules on one line, then the table
#     of the rules that ran (level not off; range, leak, deny and length
#     only with their options) and "N records: E errors, W warnings;
#     passed|FAILED"; nothing at all when there is no violation; -q lists
#     no warnings and prints the summary only when there are errors;
#   - --rule NAME=LEVEL, --max-violations N (fail when errors > N: exit 1,
#     "FAILED", status "fail"), -o FILE, --json (to standard output in place
#     of the text report) and --json=FILE (beside it), the JSON report's
#     members in the page's order, every rule in it (off included);
#   - usage errors (exit 2): a level that is not error, warn or off, a
#     pattern that does not compile, a rule set on without its option
#     (range, leak, deny, length), --leak-ngram without --against, a
#     --scale whose MIN is above MAX, --on-error, a --json file that is
#     also -o or --stats; an input or --against file that cannot be read,
#     or an --against record without a prompt (exit 2).
# A message is the project's own words: the oracle writes MESSAGE in its
# place, which goldenlib's compare lets stand for any text.  The table's
# layout (columns of 12, 6 and 10) is presentation, not data: written as
# the committed files show it.  --from reads oasst only (pref-expand's
# oracle's reader); other formats, JSON array inputs, --stats, and -q with
# --json are not written: exit 3.
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "pref-expand"))
from goldenlib import (BadRecord, MESSAGE, Num, Usage, _raw_input,  # noqa: E402
                       loads, parse_args, usage_error)
import rules_oracle as R  # noqa: E402

PROG = "pref-check"
SPEC = {k: "req" for k in (
    "rule", "max-violations", "limit", "scale", "against", "against-field",
    "leak-ngram", "deny-regex", "max-chars", "from", "output", "stats", "max-line",
    "memory", "tmpdir", "prompt-field", "chosen-field", "rejected-field",
    "score-chosen-field", "score-rejected-field", "responses-field", "text-field",
    "score-field", "rank-field", "rank-by", "on-error", "zstd")}
SPEC.update({"quiet": "none", "json": "opt", "stats": "opt", "no-synthetic": "none",
             "progress": "none", "no-progress": "none", "help": "none", "version": "none"})
SHORT = {"q": "quiet", "o": "output", "z": "zstd", "h": "help", "V": "version"}
OPTIONED = {"range": "scale", "leak": "against", "deny": "deny-regex",
            "length": "max-chars"}


class Unsupported(Exception):
    pass


class Fail(Exception):
    """An I/O or data error that ends the run: exit 2."""


def last(opts, name, default=None):
    v = opts.get(name)
    return v[-1] if v else default


def whole(name, v, least=0):
    if not v.isdigit() or int(v) < least:
        raise Usage("--%s: invalid value '%s'" % (name, v))
    return int(v)


def size(v):
    mult = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
    t = v.upper().rstrip("B")
    n = t[:-1] if t[-1:] in mult else t
    if not n.isdigit() or int(n) == 0:
        raise Usage("--max-line: invalid value '%s'" % v)
    return int(n) * mult.get(t[-1:], 1)


def plain(v):
    """A value of goldenlib.loads as Python's json.loads gives it."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, Num):
        return v.value
    return v


def lines(name, max_line):
    """(label, line number, bytes or None when too long) of the non-blank
    lines of one input."""
    try:
        label, data = _raw_input(name)
    except OSError:
        raise Fail("%s: cannot read" % name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.lstrip(b" \t\r\n").startswith(b"["):
        raise Unsupported()
    rows = data.split(b"\n")
    if rows and rows[-1] == b"":
        rows.pop()
    for i, row in enumerate(rows, 1):
        body = row[:-1] if row.endswith(b"\r") else row
        if body.strip(b" \t") == b"":
            continue
        yield label, i, body if len(body) <= max_line else None


def main(argv):
    try:
        opts, files = parse_args(argv, SPEC, SHORT)
        if "on-error" in opts:
            raise Usage("--on-error does not apply")
        levels = {r: "error" for r in R.RULES}
        levels["tie"] = "warn"
        for r in OPTIONED:
            if OPTIONED[r] not in opts:
                levels[r] = "off"
        for v in opts.get("rule", []):
            name, _, level = v.partition("=")
            if name not in R.RULES or level not in ("error", "warn", "off"):
                raise Usage("--rule: invalid value '%s'" % v)
            if name in OPTIONED and OPTIONED[name] not in opts and level != "off":
                raise Usage("rule %s needs --%s" % (name, OPTIONED[name]))
            levels[name] = level
        if "leak-ngram" in opts and "against" not in opts:
            raise Usage("--leak-ngram needs --against")
        scale = None
        if "scale" in opts:
            lo, _, hi = last(opts, "scale").partition(":")
            try:
                scale = (float(lo), float(hi))
            except ValueError:
                raise Usage("--scale: invalid value")
            if scale[0] > scale[1]:
                raise Usage("--scale: invalid value")
        deny = opts.get("deny-regex", [])
        for p in deny:
            try:
                R.re.compile(p)
            except R.re.error:
                raise Usage("--deny-regex: the pattern does not compile")
        o = {"scale": scale, "deny": deny,
             "max-chars": whole("max-chars", last(opts, "max-chars")) if "max-chars" in opts else None,
             "leak-ngram": whole("leak-ngram", last(opts, "leak-ngram"), 1) if "leak-ngram" in opts else None}
        for name, key in (("prompt-field", "prompt"), ("chosen-field", "chosen"),
                          ("rejected-field", "rejected"), ("score-chosen-field", "score_chosen"),
                          ("score-rejected-field", "score_rejected"),
                          ("responses-field", "responses"), ("text-field", "text"),
                          ("score-field", "score"), ("rank-field", "rank")):
            if name in opts:
                o[key] = last(opts, name)
        max_viol = whole("max-violations", last(opts, "max-violations", "0"))
        limit = whole("limit", last(opts, "limit", "10"))
        max_line = size(last(opts, "max-line", "256M"))
        json_to = last(opts, "json")
        out = last(opts, "output", "-")
        stats = last(opts, "stats")
        for other, what in ((out, "the output"), (stats, "the stats file")):
            if isinstance(json_to, str) and isinstance(other, str) and other != "-" and \
                    os.path.realpath(json_to) == os.path.realpath(other):
                raise Usage("JSON report file '%s' is also %s" % (json_to, what))
        fmt = last(opts, "from")
        if stats is not None or fmt not in (None, "oasst") or \
                ("quiet" in opts and json_to is not None):
            raise Unsupported()
        quiet = "quiet" in opts
    except Usage as e:
        usage_error(PROG, str(e))
    except Unsupported:
        sys.stderr.write("golden_oracle.py: not written for this use\n")
        sys.exit(3)
    try:
        rules = R.Rules(o)
        afield = last(opts, "against-field", o.get("prompt", "prompt"))
        for a in opts.get("against", []):
            for label, i, body in lines(a, max_line):
                try:
                    rec = plain(loads(body))
                except BadRecord:
                    raise Fail("--against %s:%d: not a JSON object" % (a, i))
                if not isinstance(rec, dict):
                    raise Fail("--against %s:%d: not a JSON object" % (a, i))
                if R.has(rec, afield):
                    pt = R.prompt_text(R.get(rec, afield))
                elif R.messages_ok(rec.get(o.get("chosen", "chosen"))) and \
                        rec.get(o.get("chosen", "chosen")):
                    pt = "\n".join(R.content(m) for m in rec[o.get("chosen", "chosen")][:-1])
                else:
                    pt = None
                if pt is None:
                    raise Fail("--against %s:%d: no prompt" % (a, i))
                rules.add_against(pt)
        found = []  # (file, line, rule)
        records = 0
        counts = {"oasst_messages_skipped": 0, "oasst_replies_unranked": 0,
                  "oasst_groups_too_small": 0}
        for f in files or ["-"]:
            for label, i, body in lines(f, max_line):
                records += 1
                val = None
                if body is not None:
                    try:
                        val = loads(body)
                    except BadRecord:
                        val = None
                if not isinstance(val, dict):
                    found.append((label, i, "json"))
                    continue
                if fmt == "oasst":
                    from golden_oracle import oasst_lists  # pref-expand's
                    try:
                        recs = oasst_lists(val, counts, "no-synthetic" in opts)
                    except BadRecord:
                        found.append((label, i, "schema"))
                        continue
                    recs = [plain(x) for x in recs]
                else:
                    recs = [plain(val)]
                for x in recs:
                    found += [(label, i, r) for r in rules.check(x)]
    except Fail as e:
        sys.stderr.write("%s: %s\n" % (PROG, e))
        sys.exit(2)
    found = [v for v in found if levels[v[2]] != "off"]
    count = {r: 0 for r in R.RULES}
    for v in found:
        count[v[2]] += 1
    errors = sum(1 for v in found if levels[v[2]] == "error")
    warnings = len(found) - errors
    failed = errors > max_viol
    listed, per = [], {r: 0 for r in R.RULES}
    for v in found:
        if limit == 0 or per[v[2]] < limit:
            per[v[2]] += 1
            listed.append(v)
    report = {"status": "fail" if failed else "pass", "records": records,
              "errors": errors, "warnings": warnings, "max_violations": max_viol,
              "files": files or ["-"],
              "rules": {r: {"level": levels[r], "violations": count[r], "listed": per[r]}
                        for r in R.RULES},
              "violations": [{"file": f, "line": i, "rule": r, "level": levels[r],
                              "message": MESSAGE} for f, i, r in listed]}
    import json
    json_text = json.dumps(report, ensure_ascii=False) + "\n"
    text = ""
    if found and not (quiet and errors == 0):
        text = "".join("%s:%d: %s: %s\n" % (f, i, r, MESSAGE) for f, i, r in listed
                       if not (quiet and levels[r] == "warn"))
        text += "%-12s %-6s %10s\n" % ("rule", "level", "violations")
        text += "".join("%-12s %-6s %10d\n" % (r, levels[r], count[r]) for r in R.RULES
                        if levels[r] != "off")
        text += "%d records: %d errors, %d warnings; %s\n" % (
            records, errors, warnings, "FAILED" if failed else "passed")
    if json_to is True:
        text = json_text
    elif json_to is not None:
        with open(json_to, "w", encoding="utf-8") as fh:
            fh.write(json_text)
    if out == "-":
        sys.stdout.write(text)
    else:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    sys.stdout.flush()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
