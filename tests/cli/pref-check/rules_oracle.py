# SPDX-License-Identifier: MIT
# rules_oracle.py - the rules of pref-check(1), written again in Python
# from the man page (not from lib/check.c or cmd/pref-check.c).
#
# Rules (below) decides which rules a record breaks: pairs and ranked
# lists, dotted field paths, implicit prompts, --scale, --against with
# --leak-ngram, --deny-regex and --max-chars; golden_oracle.py (pref-check
# as a whole: --json, --rule, -q, --limit, --max-violations) uses it.
#
# Run as a script, for rules.sh:
#   python3 rules_oracle.py REPORT [--scale=MIN:MAX] [--deny-regex=RE]
#       [--max-chars=N] [--against=FILE] FILE...
# it works out which rule each record breaks, and compares that with the
# text report pref-check wrote to REPORT: every "FILE:LINE: RULE:" line in
# order (rules of one line in the order of the man page), the count of
# each rule in the summary, its level, and the totals.  Prints one verdict
# line.  Messages are the project's words and are not compared.
import json, re, sys

RULES = ["json", "schema", "empty", "identical", "misordered", "tie", "range",
         "duplicate", "leak", "deny", "length"]
ROLES = ("system", "user", "assistant")


def dup_pairs(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError("duplicate key")
        d[k] = v
    return d


def get(rec, path):
    """The value at a dotted path, or KeyError."""
    for part in path.split("."):
        if not isinstance(rec, dict) or part not in rec:
            raise KeyError(path)
        rec = rec[part]
    return rec


def content(m):
    """The text of a message's content (a string or text parts), or None."""
    c = m.get("content")
    if isinstance(c, str):
        return c
    if isinstance(c, list):
        out = []
        for p in c:
            if not isinstance(p, dict) or p.get("type") != "text":
                return None
            t = p.get("text", p.get("value"))
            if not isinstance(t, str):
                return None
            out.append(t)
        return "".join(out)
    return None


def messages_ok(v):
    """A message list whose messages are all valid (SPEC 1.1)."""
    return isinstance(v, list) and all(
        isinstance(m, dict) and m.get("role") in ROLES and content(m) is not None
        for m in v)


def schema_ok(v, response):
    """A string, null (reported under empty), or a valid message list; a
    response's non-empty list ends with an assistant message."""
    if isinstance(v, str) or v is None:
        return True
    if not messages_ok(v):
        return False
    return not response or not v or v[-1]["role"] == "assistant"


def text(v):
    """The text of a response, or None when it is not text."""
    if isinstance(v, str):
        return v
    if messages_ok(v):
        return "".join(content(m) for m in v if m["role"] == "assistant")
    return None


def prompt_text(v):
    """The text of a prompt: a message list's contents joined by newlines."""
    if isinstance(v, str):
        return v
    if messages_ok(v):
        return "\n".join(content(m) for m in v)
    return None


def blank(t):
    return t.strip() == ""  # str.strip: str.isspace()'s white space


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and \
        v not in (float("inf"), float("-inf"))


def canonical(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


WORD = re.compile(r"\w+")


def words(t):
    return WORD.findall(t.casefold())


class Rules:
    """o: the options (see DEFAULTS).  check(rec) gives the rules the
    record breaks, in the man page's order, one each."""

    DEFAULTS = {"prompt": "prompt", "chosen": "chosen", "rejected": "rejected",
                "score_chosen": "score_chosen", "score_rejected": "score_rejected",
                "responses": "responses", "text": "text", "score": "score",
                "rank": "rank", "scale": None, "deny": [], "max-chars": None,
                "against": None, "leak-ngram": None}

    def __init__(self, o):
        self.o = dict(self.DEFAULTS, **o)
        self.seen = set()
        self.against = None
        self.grams = set()
        self.deny = [re.compile(p) for p in self.o["deny"]]

    def add_against(self, prompt):
        """An --against prompt (its text)."""
        if self.against is None:
            self.against = set()
        self.against.add(prompt.strip())
        n = self.o["leak-ngram"]
        if n:
            w = words(prompt)
            self.grams.update(tuple(w[i:i + n]) for i in range(len(w) - n + 1))

    def leaks(self, pt):
        if self.against is None or pt is None:
            return False
        if pt.strip() in self.against:
            return True
        n = self.o["leak-ngram"]
        if n:
            w = words(pt)
            return any(tuple(w[i:i + n]) in self.grams for i in range(len(w) - n + 1))
        return False

    def rest(self, found, key, pt, texts, scores):
        """The rules every record shares: range, duplicate, leak, deny,
        length."""
        o = self.o
        if o["scale"] and any(not o["scale"][0] <= s <= o["scale"][1] for s in scores):
            found.append("range")
        if key in self.seen:
            found.append("duplicate")
        self.seen.add(key)
        if self.leaks(pt):
            found.append("leak")
        if self.deny and any(p.search(t) for p in self.deny for t in texts):
            found.append("deny")
        if o["max-chars"] is not None and any(
                len(t) > o["max-chars"] for t in texts + ([pt] if pt is not None else [])):
            found.append("length")
        return found

    def check(self, rec):
        if has(rec, self.o["responses"]):
            return self.check_list(rec)
        return self.check_pair(rec)

    def check_pair(self, rec):
        o = self.o
        found = []
        try:
            c, r = get(rec, o["chosen"]), get(rec, o["rejected"])
        except KeyError:
            return ["schema"]
        implicit = not has(rec, o["prompt"])
        if implicit:
            # SPEC 1.2: absent when chosen and rejected are message lists
            # that agree on every message before the last
            if not (messages_ok(c) and messages_ok(r) and c and r and c[:-1] == r[:-1]):
                return ["schema"]
            p = c[:-1]
        else:
            p = get(rec, o["prompt"])
        sc = get(rec, o["score_chosen"]) if has(rec, o["score_chosen"]) else None
        sr = get(rec, o["score_rejected"]) if has(rec, o["score_rejected"]) else None
        scores_ok = all(s is None or is_number(s) for s in (sc, sr)) and \
            not (has(rec, o["score_chosen"]) and sc is None) and \
            not (has(rec, o["score_rejected"]) and sr is None)
        if not (schema_ok(p, False) and schema_ok(c, True) and schema_ok(r, True)) \
                or not scores_ok:
            found.append("schema")
        pt = prompt_text(p) if not implicit else "\n".join(content(m) for m in p)
        tc, tr = text(c), text(r)
        empty_p = p is None or (not implicit and (p == [] or (pt is not None and blank(pt))))
        empty_c = c is None or c == [] or (tc is not None and blank(tc))
        empty_r = r is None or r == [] or (tr is not None and blank(tr))
        if empty_p or empty_c or empty_r:
            found.append("empty")
        if not (empty_c and empty_r):
            if tc is not None and tr is not None:
                same = tc == tr or tc.strip() == tr.strip()
            else:
                same = tc is None and tr is None and c == r and c is not None
            if same:
                found.append("identical")
        if is_number(sc) and is_number(sr):
            if sc < sr:
                found.append("misordered")
            elif sc == sr:
                found.append("tie")
        texts = [t for t in (tc, tr) if t is not None]
        nums = [s for s in (sc, sr) if is_number(s)]
        key = canonical([None if implicit else p, c, r])
        return self.rest(found, key, pt, texts, nums)

    def check_list(self, rec):
        """A ranked list: schema is what pref-expand(1) needs (a responses
        array of objects with a text; scores numbers or booleans (null
        allowed), ranks integers; every response with a score, or every
        one with a rank; a prompt that is a string or a message list, absent
        only when the texts are message lists)."""
        o = self.o
        found = []
        resp = get(rec, o["responses"])
        items = resp if isinstance(resp, list) else []
        ok = isinstance(resp, list)
        texts = []
        for x in items:
            if not isinstance(x, dict) or not has(x, o["text"]) or \
                    not schema_ok(get(x, o["text"]), True):
                ok = False
        dicts = [x for x in items if isinstance(x, dict)]
        for x in dicts:
            s = get(x, o["score"]) if has(x, o["score"]) else None
            k = get(x, o["rank"]) if has(x, o["rank"]) else None
            if s is not None and not (is_number(s) or isinstance(s, bool)):
                ok = False
            if k is not None and not (is_number(k) and k == int(k)):
                ok = False
        if not (all(has(x, o["score"]) for x in dicts) or all(has(x, o["rank"]) for x in dicts)):
            ok = False
        all_msgs = bool(dicts) and all(has(x, o["text"]) and isinstance(get(x, o["text"]), list)
                                       for x in dicts)
        p = get(rec, o["prompt"]) if has(rec, o["prompt"]) else None
        if has(rec, o["prompt"]):
            ok = ok and schema_ok(p, False)
        elif not all_msgs:
            ok = False
        if not ok:
            found.append("schema")
        for x in dicts:
            t = text(get(x, o["text"])) if has(x, o["text"]) else None
            if t is not None:
                texts.append(t)
        nums = [get(x, o["score"]) for x in dicts
                if has(x, o["score"]) and is_number(get(x, o["score"]))]
        pt = prompt_text(p)
        empties = [x for x in dicts if has(x, o["text"]) and
                   (get(x, o["text"]) in (None, []) or
                    (text(get(x, o["text"])) is not None and blank(text(get(x, o["text"])))))]
        if (has(rec, o["prompt"]) and (p is None or p == [] or (pt is not None and blank(pt)))) \
                or empties:
            found.append("empty")
        trimmed = [t.strip() for t in texts if not blank(t)]
        if len(set(trimmed)) < len(trimmed):
            found.append("identical")
        key = canonical([p, resp])
        return self.rest(found, key, pt, texts, nums)


def has(rec, path):
    try:
        get(rec, path)
        return True
    except KeyError:
        return False


def main(argv):
    report = argv[0]
    o = {}
    against = None
    files = []
    for a in argv[1:]:
        k, _, v = a.partition("=")
        if k == "--scale":
            o["scale"] = tuple(float(x) for x in v.split(":"))
        elif k == "--deny-regex":
            o["deny"] = [v]
        elif k == "--max-chars":
            o["max-chars"] = int(v)
        elif k == "--against":
            against = v
        else:
            files.append(a)
    rules = Rules(o)
    if against:
        for l in open(against, encoding="utf-8"):
            if l.strip():
                rules.add_against(prompt_text(json.loads(l)["prompt"]))
    levels = {r: "error" for r in RULES}
    levels["tie"] = "warn"
    ran = [r for r in RULES if (r != "range" or o.get("scale")) and
           (r != "leak" or against) and (r != "deny" or o.get("deny")) and
           (r != "length" or o.get("max-chars") is not None)]
    want, records = [], 0
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
            want += ["%s:%d: %s" % (f, i, r) for r in rules.check(rec)]
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


if __name__ == "__main__":
    main(sys.argv[1:])
