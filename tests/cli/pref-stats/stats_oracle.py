# SPDX-License-Identifier: MIT
# oracle.py - pref-stats's figures computed independently in Python
# (stdlib only; the tokens from ../tokenize/oracle.py), for the CLI cases:
# expected(path, options) gives the dict that `pref-stats --json` must
# print for a JSON Lines file of pairs and ranked lists, and
# check(got, want) lists the differences.
import json
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tokenize"))
import oracle as tok  # noqa: E402

BINS = 20
DISTS = ["score_chosen", "score_rejected", "gap", "response_score", "list_size",
         "prompt_chars", "chosen_chars", "rejected_chars", "response_chars",
         "prompt_tokens", "chosen_tokens", "rejected_tokens", "response_tokens"]


def get(rec, path):
    for part in path.split("."):
        if not isinstance(rec, dict) or part not in rec:
            return None, False
        rec = rec[part]
    return rec, True


def is_msgs(v):
    return isinstance(v, list) and len(v) > 0 and all(
        isinstance(m, dict) and isinstance(m.get("role"), str) and "content" in m for m in v)


def content(c):
    if isinstance(c, str):
        return c
    if isinstance(c, list):
        return "".join(p["text"] for p in c if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def text(v, prompt):
    if isinstance(v, str):
        return v
    if not is_msgs(v):
        return None
    return "".join(content(m["content"]) for m in v if prompt or m["role"] == "assistant")


def dist(values):
    n = len(values)
    if n == 0:
        return {"n": 0}
    x = sorted(values)
    if n == 1:
        q = [x[0]] * 3
    else:
        q = statistics.quantiles(x, n=4, method="inclusive")
    lo, hi = x[0], x[-1]
    integral = all(float(v).is_integer() for v in x)
    if lo == hi:
        nb, width = 1, 0
    elif integral and hi - lo < BINS:
        nb, width = int(hi - lo) + 1, 1
    else:
        nb, width = BINS, (hi - lo) / BINS
    counts = [0] * nb
    for v in x:
        k = 0 if width == 0 else min(max(int(math.floor((v - lo) / width)), 0), nb - 1)
        counts[k] += 1
    return {"n": n, "min": lo, "q1": q[0], "median": q[1], "q3": q[2], "max": hi,
            "mean": math.fsum(x) / n, "exact": True,
            "histogram": {"lo": lo, "width": width, "counts": counts}}


def fmt(rec):
    """pk_format_detect's rules, in its order."""
    if "conversation_a" in rec and "conversation_b" in rec:
        return "arena"
    if "response_a" in rec and "response_b" in rec:
        return "pairwise"
    if "message_tree_id" in rec:
        return "oasst"
    if "conversations" in rec:
        return "sharegpt"
    if "instruction" in rec and "completions" in rec:
        return "ultrafeedback"
    if "answers" in rec:
        return "nectar"
    if "response" in rec and "helpfulness" in rec:
        return "helpsteer"
    if "responses" in rec:
        return "lists"
    if "chosen" in rec and "rejected" in rec:
        c, r = rec["chosen"], rec["rejected"]
        if "prompt" not in rec and isinstance(c, str) and c.startswith("\n\nHuman:") \
                and isinstance(r, str) and r.startswith("\n\nHuman:"):
            return "hh"
        if isinstance(rec.get("prompt"), str) and isinstance(c, list) and isinstance(r, list):
            return "ultrafeedback-binarized"
        return "trl"
    if isinstance(rec.get("prompt"), dict):
        return "oasst"
    return "unknown"


TYPES = {dict: "object", list: "array", str: "string", int: "number", float: "number",
         type(None): "null"}


def expected(path, sc="score_chosen", sr="score_rejected", name=None,
             resp="responses", tf="text", sf="score", rf="rank"):
    c = dict.fromkeys(["read", "records", "bad", "blank", "pairs", "lists", "other",
                       "scored_pairs", "ties", "misordered", "scores_invalid",
                       "lists_invalid", "list_ties", "texts_invalid", "duplicates"], 0)
    vals = {d: [] for d in DISTS}
    fields, formats, seen = {}, {}, set()

    def measure(v, prompt, what):
        t = text(v, prompt)
        if t is None:
            c["texts_invalid"] += 1
            return
        vals[what + "_chars"].append(len(t))
        vals[what + "_tokens"].append(len(tok.tokens(t)))

    for line in open(path, encoding="utf-8"):
        if not line.strip():
            c["blank"] += 1
            continue
        rec = json.loads(line)
        c["records"] += 1
        for k, v in rec.items():
            f = fields.setdefault(k, {"count": 0, "types": {}})
            f["count"] += 1
            t = "true" if v is True else "false" if v is False else TYPES[type(v)]
            f["types"][t] = f["types"].get(t, 0) + 1
        f = fmt(rec)
        formats[f] = formats.get(f, 0) + 1
        if "chosen" in rec and "rejected" in rec:
            c["pairs"] += 1
            s = []
            for p, d in ((sc, "score_chosen"), (sr, "score_rejected")):
                v, ok = get(rec, p)
                if ok and isinstance(v, (int, float)) and not isinstance(v, bool):
                    vals[d].append(v)
                    s.append(v)
                elif ok:
                    c["scores_invalid"] += 1
            if len(s) == 2:
                c["scored_pairs"] += 1
                vals["gap"].append(s[0] - s[1])
                c["ties"] += s[0] == s[1]
                c["misordered"] += s[0] < s[1]
            ch, rj = rec["chosen"], rec["rejected"]
            if "prompt" not in rec and is_msgs(ch):
                measure(ch[:-1], True, "prompt")
                measure(ch[-1:], True, "chosen")
                measure(rj[-1:] if is_msgs(rj) else rj, True, "rejected")
            else:
                if "prompt" in rec:
                    measure(rec["prompt"], True, "prompt")
                measure(ch, False, "chosen")
                measure(rj, False, "rejected")
            key = [rec.get("prompt"), ch, rj]
        elif resp in rec:
            c["lists"] += 1
            rs = rec[resp]
            if "prompt" in rec:
                measure(rec["prompt"], True, "prompt")
            key = [rec.get("prompt"), rs]
            ok = isinstance(rs, list) and all(
                isinstance(r, dict) and tf in r and (isinstance(r[tf], str) or is_msgs(r[tf]) or (
                    isinstance(r[tf], list) and all(isinstance(x, str) for x in r[tf])))
                for r in rs)
            by = sf if ok and all(sf in r for r in rs) else rf
            if not ok or not all(by in r for r in rs):
                c["lists_invalid"] += 1
            else:
                rs = [r for r in rs if r[by] is not None]
                vals["list_size"].append(len(rs))
                st = [float(r[by]) for r in rs]
                c["list_ties"] += len(rs) >= 2 and len(set(st)) < len(st)
                for r in rs:
                    if isinstance(r.get(sf), (int, float)):
                        vals["response_score"].append(float(r[sf]) if isinstance(r[sf], bool) else r[sf])
                    measure(r[tf], False, "response")
        else:
            c["other"] += 1
            key = rec
        k = json.dumps(key, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        c["duplicates"] += k in seen
        seen.add(k)
    c["read"] = c["records"] + c["bad"]
    out = {"file": name or path}
    out.update(c)
    out["tie_rate"] = c["ties"] / c["scored_pairs"] if c["scored_pairs"] else None
    out["duplicate_rate"] = c["duplicates"] / c["records"] if c["records"] else None
    fl = sorted(formats.items(), key=lambda kv: (-kv[1], kv[0]))
    out["format"] = fl[0][0] if fl else None
    out["formats"] = dict(fl)
    out["fields"] = fields
    out["distributions"] = {d: dist(vals[d]) for d in DISTS}
    return out


def check(got, want, where=""):
    """The differences between got and want (means: within 1e-12)."""
    bad = []
    if isinstance(want, dict) and isinstance(got, dict):
        if list(got) != list(want):
            bad.append("%s keys %s != %s" % (where, list(got), list(want)))
        for k in want:
            if k in got:
                bad += check(got[k], want[k], where + "." + k)
    elif where.endswith(".mean") and isinstance(want, float):
        if not math.isclose(got, want, rel_tol=1e-12):
            bad.append("%s %r != %r" % (where, got, want))
    elif got != want or type(got) is bool != type(want) is bool:
        bad.append("%s %r != %r" % (where, got, want))
    return bad
