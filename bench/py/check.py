#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Python stdlib baseline of pref-check (bench/check.sh): the same rules
on pairs and ranked lists, the same listing (at most 10 per rule, then a
summary), and the per-rule counts as JSON in --counts FILE.

    check.py [--scale MIN:MAX] [--against FILE] [--leak-ngram N]
             [--deny-regex P] [--max-chars N] --counts FILE [FILE]...

Duplicate keys hash the same canonical text as pref-check
(json.dumps([prompt, chosen, rejected], sort_keys=True, separators=(",",":"),
ensure_ascii=False)), with BLAKE2b-128 (the stdlib has no XXH3)."""

import argparse
import hashlib
import json
import re
import sys

RULES = ["json", "schema", "empty", "identical", "misordered", "tie", "range",
         "duplicate", "leak", "deny", "length"]
ROLES = {"system", "user", "assistant"}
WORD = re.compile(r"\w+")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale")
    ap.add_argument("--against")
    ap.add_argument("--leak-ngram", type=int, default=0)
    ap.add_argument("--deny-regex")
    ap.add_argument("--max-chars", type=int, default=0)
    ap.add_argument("--counts", required=True)
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    on = {r: True for r in RULES}
    on["range"], on["leak"] = a.scale is not None, a.against is not None
    on["deny"], on["length"] = a.deny_regex is not None, a.max_chars > 0
    lo, hi = map(float, a.scale.split(":")) if a.scale else (0, 0)
    deny = re.compile(a.deny_regex) if a.deny_regex else None
    count = dict.fromkeys(RULES, 0)
    listed = dict.fromkeys(RULES, 0)
    out = sys.stdout
    where = ["", 0]
    N = a.leak_ngram

    def report(rule, msg):
        if not on[rule]:
            return
        count[rule] += 1
        if listed[rule] < 10:
            listed[rule] += 1
            out.write("%s:%d: %s: %s\n" % (where[0], where[1], rule, msg))

    def grams(text):
        w = WORD.findall(text.casefold())
        return [tuple(w[i:i + N]) for i in range(len(w) - N + 1)] if N else []

    def is_msgs(v):
        return (isinstance(v, list) and v and
                all(isinstance(m, dict) and isinstance(m.get("role"), str)
                    and "content" in m for m in v))

    def content(c):
        if isinstance(c, str):
            return c
        if isinstance(c, list):
            return "".join(p["text"] for p in c if isinstance(p, dict)
                           and isinstance(p.get("text"), str))
        return ""

    def text(name, v, response):
        """The text of v, or None after reporting what is wrong."""
        if v is None:
            return report("empty", "%s is null" % name)
        if isinstance(v, str):
            return v
        if not isinstance(v, list):
            return report("schema", "%s is not text" % name)
        if not v:
            return report("empty", "%s is an empty message list" % name)
        for i, m in enumerate(v):
            if not isinstance(m, dict) or m.get("role") not in ROLES or "content" not in m:
                return report("schema", "%s[%d] is not a message" % (name, i))
        if response and v[-1]["role"] != "assistant":
            return report("schema", "%s does not end with an assistant message" % name)
        if response:
            return "".join(content(m["content"]) for m in v if m["role"] == "assistant")
        return "\n".join(content(m["content"]) for m in v)

    def text_rules(name, t, response):
        if not t.strip():
            report("empty", "%s is empty" % name)
        if response and deny:
            m = deny.search(t)
            if m:
                report("deny", "%s matches at character %d" % (name, m.start() + 1))
        if on["length"] and len(t) > a.max_chars:
            report("length", "%s has %d characters" % (name, len(t)))

    exact, ngrams = {}, {}
    if a.against:
        with open(a.against, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                r = json.loads(line)
                p = r["prompt"] if "prompt" in r else r["chosen"][:-1]
                t = p if isinstance(p, str) else "\n".join(content(m["content"]) for m in p)
                exact.setdefault(t.strip(), n)
                for g in grams(t):
                    ngrams.setdefault(g, n)

    seen = {}
    for path in a.files:
        where[0] = path
        with open(path, "rb") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                where[1] = n
                try:
                    r = json.loads(line)
                except ValueError as e:
                    report("json", "invalid JSON: %s" % e)
                    continue
                if not isinstance(r, dict):
                    report("json", "not a JSON object")
                    continue
                if "responses" in r:
                    p = r.get("prompt")
                    pt = text("prompt", p, False) if "prompt" in r else report("schema", "no prompt")
                    if pt is not None:
                        text_rules("prompt", pt, False)
                    texts = []
                    for i, x in enumerate(r["responses"]):
                        t = text("responses[%d]" % i, x.get("text"), True)
                        if t is not None:
                            text_rules("responses[%d]" % i, t, True)
                            s = x.get("score")
                            if on["range"] and isinstance(s, (int, float)) and not lo <= s <= hi:
                                report("range", "score outside the scale")
                            if t.strip() and t.strip() in texts:
                                report("identical", "responses[%d] repeats" % i)
                            texts.append(t.strip())
                    key = [p, r["responses"]]
                else:
                    if "chosen" not in r or "rejected" not in r:
                        report("schema", "no chosen or rejected")
                    c, j = r.get("chosen"), r.get("rejected")
                    if "prompt" in r:
                        p = r["prompt"]
                    elif is_msgs(c) and is_msgs(j):
                        p = c[:-1]
                    else:
                        p = None
                        report("schema", "no prompt")
                    pt = text("prompt", p, False) if p is not None else None
                    if pt is not None:
                        text_rules("prompt", pt, False)
                    ct = text("chosen", c, True) if "chosen" in r else None
                    if ct is not None:
                        text_rules("chosen", ct, True)
                    jt = text("rejected", j, True) if "rejected" in r else None
                    if jt is not None:
                        text_rules("rejected", jt, True)
                    if ct is not None and jt is not None and ct.strip() and ct.strip() == jt.strip():
                        report("identical", "chosen and rejected are identical")
                    sc, sr = r.get("score_chosen"), r.get("score_rejected")
                    num = lambda s: isinstance(s, (int, float)) and not isinstance(s, bool)
                    if num(sc) and num(sr):
                        if sc < sr:
                            report("misordered", "score_chosen %r < score_rejected %r" % (sc, sr))
                        elif sc == sr:
                            report("tie", "score_chosen = score_rejected = %r" % sc)
                    for s in (sc, sr):
                        if on["range"] and num(s) and not lo <= s <= hi:
                            report("range", "score %r is outside the scale" % s)
                    key = [r.get("prompt"), c, j]
                if on["leak"] and pt is not None:
                    if pt.strip() in exact:
                        report("leak", "prompt is also in %s:%d" % (a.against, exact[pt.strip()]))
                    else:
                        for g in grams(pt):
                            if g in ngrams:
                                report("leak", "prompt shares a run of %d words" % N)
                                break
                k = hashlib.blake2b(json.dumps(key, sort_keys=True, separators=(",", ":"),
                                               ensure_ascii=False).encode(), digest_size=16).digest()
                if k in seen:
                    report("duplicate", "same prompt, chosen and rejected as %s:%d" % seen[k])
                else:
                    seen[k] = (path, n)
    for rule in RULES:
        if on[rule]:
            out.write("%-12s %10d\n" % (rule, count[rule]))
    with open(a.counts, "w") as f:
        json.dump({r: count[r] for r in RULES if on[r]}, f, sort_keys=True)
    return 1 if any(count[r] for r in RULES if r != "tie") else 0


if __name__ == "__main__":
    sys.exit(main())
