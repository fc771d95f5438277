# SPDX-License-Identifier: MIT
# rules_oracle.py - the rules of pref-check(1) for pairs, written again in
# Python from the man page (not from cmd/pref-check.c), for rules.sh:
#   python3 rules_oracle.py REPORT [--scale=MIN:MAX] [--deny-regex=RE]
#       [--max-chars=N] [--against=FILE] FILE...
# works out which rule each record breaks, and compares that with the text
# report pref-check wrote to REPORT: every "FILE:LINE: RULE:" line in
# order (rules of one line in the order of the man page), the count of
# each rule in the summary, its level, and the totals.  Prints one verdict
# line.  Messages are the project's words and are not compared.
import json, re, sys

RULES = ["json", "schema", "empty", "identical", "misordered", "tie", "range",
         "duplicate", "leak", "deny", "length"]


def dup_pairs(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError("duplicate key")
        d[k] = v
    return d


def text(v):
    """The text of a prompt or response, or None when it is not text."""
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "".join(m["content"] for m in v if m.get("role") == "assistant")
    return None


def schema_ok(v):
    """A string or a message list of valid messages."""
    if isinstance(v, str) or v is None:
        return True
    if not isinstance(v, list):
        return False
    return all(isinstance(m, dict) and m.get("role") in ("system", "user", "assistant")
               and isinstance(m.get("content"), str) for m in v)


def is_empty(v):
    if v is None or v == []:
        return True
    if isinstance(v, str):
        return v.strip() == ""
    if isinstance(v, list) and schema_ok(v):
        return text(v).strip() == ""
    return False


def prompt_text(v):
    if isinstance(v, list):
        return "\n".join(m["content"] for m in v)
    return v


def check(rec, o, seen, against):
    """The rules the record breaks, in the man page's order."""
    found = []
    if "rejected" not in rec or "chosen" not in rec or "prompt" not in rec:
        return ["schema"]
    p, c, r = rec["prompt"], rec["chosen"], rec["rejected"]
    if not all(schema_ok(x) for x in (p, c, r)) or any(
            not isinstance(rec[s], (int, float)) or isinstance(rec[s], bool)
            for s in ("score_chosen", "score_rejected") if s in rec):
        found.append("schema")
    if any(is_empty(x) for x in (p, c, r) if schema_ok(x)):
        found.append("empty")
    tc, tr = text(c), text(r)
    if schema_ok(c) and schema_ok(r) and tc is not None and tr is not None \
            and not (is_empty(c) and is_empty(r)) and tc.strip() == tr.strip():
        found.append("identical")
    sc, sr = rec.get("score_chosen"), rec.get("score_rejected")
    if isinstance(sc, (int, float)) and isinstance(sr, (int, float)):
        if sc < sr:
            found.append("misordered")
        elif sc == sr:
            found.append("tie")
        if o["scale"] and any(not o["scale"][0] <= s <= o["scale"][1] for s in (sc, sr)):
            found.append("range")
    key = json.dumps([p, c, r], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if key in seen:
        found.append("duplicate")
    seen.add(key)
    pt = prompt_text(p)
    if against is not None and isinstance(pt, str) and pt.strip() in against:
        found.append("leak")
    texts = [t for t in (tc, tr) if isinstance(t, str)]
    if o["deny"] and any(re.search(o["deny"], t) for t in texts):
        found.append("deny")
    if o["max-chars"] is not None and any(
            len(t) > o["max-chars"] for t in texts + ([pt] if isinstance(pt, str) else [])):
        found.append("length")
    return found


def main(argv):
    report = argv[0]
    o = {"scale": None, "deny": None, "max-chars": None, "against": None}
    files = []
    for a in argv[1:]:
        k, _, v = a.partition("=")
        if k == "--scale":
            o["scale"] = tuple(float(x) for x in v.split(":"))
        elif k == "--deny-regex":
            o["deny"] = v
        elif k == "--max-chars":
            o["max-chars"] = int(v)
        elif k == "--against":
            o["against"] = v
        else:
            files.append(a)
    against = None
    if o["against"]:
        against = {prompt_text(json.loads(l)["prompt"]).strip()
                   for l in open(o["against"], encoding="utf-8") if l.strip()}
    levels = {r: "error" for r in RULES}
    levels["tie"] = "warn"
    ran = [r for r in RULES if (r != "range" or o["scale"]) and
           (r != "leak" or against is not None) and (r != "deny" or o["deny"]) and
           (r != "length" or o["max-chars"] is not None)]
    want, seen, records = [], set(), 0
    for f in files:
        for i, line in enumerate(open(f, encoding="utf-8"), 1):
            if not line.strip():
                continue
            records += 1
            try:
                rec = json.loads(line, object_pairs_hook=dup_pairs)
                if not isinstance(rec, dict):
                    raise ValueError("not an object")
            except ValueError:
                want.append("%s:%d: json" % (f, i))
                continue
            want += ["%s:%d: %s" % (f, i, r) for r in check(rec, o, seen, against)]
    counts = {r: sum(1 for w in want if w.endswith(": " + r)) for r in ran}
    errors = sum(n for r, n in counts.items() if levels[r] == "error")
    warns = sum(n for r, n in counts.items() if levels[r] == "warn")
    want_table = ["%s %s %d" % (r, levels[r], counts[r]) for r in ran]
    want_total = "%d records: %d errors, %d warnings; %s" % (
        records, errors, warns, "FAILED" if errors else "passed")
    lines = open(report, encoding="utf-8").read().split("\n")
    got = [m.group(1) for m in (re.match(r"(\S+:\d+: \w+): ", l) for l in lines) if m]
    got_table = [" ".join(l.split()) for l in lines
                 if l.split()[:1] and l.split()[0] in RULES and len(l.split()) == 3]
    got_total = [l for l in lines if " records: " in l]
    if got != want:
        print("violations: DIFFERENT, the rules say", want)
    elif got_table != want_table:
        print("summary: DIFFERENT, the rules say", want_table)
    elif got_total != [want_total]:
        print("totals: DIFFERENT, the rules say", want_total)
    else:
        print("%d violations at their lines, summary and totals: same" % len(want))


main(sys.argv[1:])
