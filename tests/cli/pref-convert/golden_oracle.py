# SPDX-License-Identifier: MIT
# golden_oracle.py - pref-convert written again in Python from SPEC 1.5/3.6
# and pref-convert(1), not from lib/ or cmd/pref-convert.c: the golden
# oracle of golden-oracle.sh (see ../goldenlib.py).  The part the
# hand-written cases use: --from trl, ultrafeedback(-binarized; --score
# overall and mean-aspects, scores as numbers or the text of one), hh,
# nectar, sharegpt, helpsteer, lists, pairwise, arena, bon (lists), oasst
# (pref-expand's oracle's reader) and auto; --to lists, standard and conversational; --prompt-template;
# --flatten-template.  --list-formats is the project's own words: the real
# command prints it.
import re
import sys
import os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "pref-expand"))
from goldenlib import (COMMON, COMMON_SHORT, BadRecord, Input, Num, Run, Usage,  # noqa: E402
                       get_path, last, num, parse_args, real_command, usable,
                       usage_error)
from golden_oracle import Expand, oasst_lists  # noqa: E402  (pref-expand's)

PROG = "pref-convert"
SPEC = dict(COMMON, **{k: "req" for k in (
    "from", "to", "score", "flatten-template", "pairs", "rank-by", "prompt-field",
    "chosen-field", "rejected-field", "score-chosen-field", "score-rejected-field",
    "responses-field", "text-field", "score-field", "rank-field", "prompt-template",
    "a-field", "b-field", "model-a-field", "model-b-field", "label-field", "a-wins",
    "b-wins", "tie", "best-field", "losers-field", "model-field", "completion-field",
    "messages-field", "desirable", "undesirable", "max-pairs-per-prompt", "memory",
    "tmpdir")})
SPEC.update({"strict": "none", "no-synthetic": "none", "list-formats": "none"})

HUMAN, ASSIST = "\n\nHuman:", "\n\nAssistant:"


class Unsupported(Exception):
    pass


JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def uf_score(v):
    """An UltraFeedback score: None for no score (null, "N/A"), else a Num
    that fits (a number, or a string that is the text of a JSON number)."""
    if v is None or v == "N/A":
        return None
    if isinstance(v, str):
        if not JSON_NUMBER.fullmatch(v):
            raise BadRecord("ultrafeedback: a score is not a number")
        v = Num(v)
    if not isinstance(v, Num):
        raise BadRecord("ultrafeedback: a score is not a number")
    usable(v)
    return v

# ------------------------------------------------------------ helpers

def edit(rec, place=None, drop=(), front=(), back=()):
    """A copy of rec: place maps a key to the (key, value) members written
    in its place; drop removes keys; front members go first (or replace a
    member of the same name in its place), back members last."""
    place = dict(place or {})
    for k, v in front:
        if k in rec and k not in place:
            place[k] = [(k, v)]
    out = {}
    for k, v in front:
        if k not in rec:
            out[k] = v
    for k, v in rec.items():
        if k in place:
            for nk, nv in place[k]:
                out[nk] = nv
        elif k not in drop:
            out[k] = v
    for k, v in back:
        out[k] = v
    return out


def is_msgs(v):
    return isinstance(v, list) and all(isinstance(m, dict) for m in v)


def content_text(m):
    c = m.get("content")
    if isinstance(c, str):
        return c
    if isinstance(c, list):
        parts = []
        for p in c:
            if not isinstance(p, dict) or p.get("type") != "text":
                raise BadRecord("a content part of type %s, not text" % (
                    p.get("type") if isinstance(p, dict) else "(not an object)"))
            parts.append(p.get("text", p.get("value")))
        return "".join(parts)
    raise BadRecord("message content is not text")


def response_text(v):
    """SPEC 1.1: the string, or the assistant messages' content."""
    if isinstance(v, str):
        return v
    return "".join(content_text(m) for m in v if m.get("role") == "assistant")


def unescape(t, extra):
    out, i = "", 0
    while i < len(t):
        c = t[i]
        if c == "\\" and i + 1 < len(t):
            n = t[i + 1]
            if n == "n":
                out += "\n"
            elif n == "t":
                out += "\t"
            elif n == "\\" or n in extra:
                out += n
            else:
                out += c + n
            i += 2
        else:
            out += c
            i += 1
    return out


def compile_prompt_template(t):
    """Pieces: ('lit', s), ('field', path, optional-group-index); brackets
    make groups.  Escapes \\n \\t \\\\ \\[ \\] \\{ \\}."""
    pieces, group, ngroups, i, lit = [], None, 0, 0, ""
    while i < len(t):
        c = t[i]
        if c == "\\" and i + 1 < len(t):
            n = t[i + 1]
            lit += {"n": "\n", "t": "\t"}.get(n, n if n in "\\[]{}" else c + n)
            i += 2
            continue
        if c == "{":
            j = t.find("}", i)
            if j < 0:
                raise Usage("--prompt-template: '{' without '}'")
            pieces.append(("lit", lit, group))
            lit = ""
            pieces.append(("field", t[i + 1:j], group))
            i = j + 1
            continue
        if c == "[":
            pieces.append(("lit", lit, group))
            lit = ""
            group = ngroups
            ngroups += 1
        elif c == "]":
            pieces.append(("lit", lit, group))
            lit = ""
            group = None
        else:
            lit += c
        i += 1
    pieces.append(("lit", lit, group))
    return pieces


def fill_prompt_template(pieces, rec):
    dropped = set()
    vals = []
    for kind, x, g in pieces:
        if kind == "field":
            try:
                v = get_path(rec, x)
            except KeyError:
                v = None
            if v is None or v == "":
                if g is None:
                    if v is None:
                        raise BadRecord("prompt template: no field '%s'" % x)
                else:
                    dropped.add(g)
            vals.append(v)
        else:
            vals.append(x)
    out = ""
    for (kind, x, g), v in zip(pieces, vals):
        if g is not None and g in dropped:
            continue
        out += v.raw if isinstance(v, Num) else v
    return out

# --------------------------------------------------------- label lists

NUMRE = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")


def numeric(v):
    if isinstance(v, Num):
        return float(v)
    if isinstance(v, str) and NUMRE.match(v):
        return float(v)
    return None


def parse_list(s):
    items, cur, i = [], "", 0
    while i < len(s):
        if s[i] == "\\" and s[i + 1:i + 2] == ",":
            cur += ","
            i += 2
            continue
        if s[i] == ",":
            items.append(cur.strip())
            cur = ""
        else:
            cur += s[i]
        i += 1
    items.append(cur.strip())
    return items


def item_matches(item, v):
    for op in ("<=", ">=", "<", ">"):
        if item.startswith(op) and NUMRE.match(item[len(op):]):
            x, y = numeric(v), float(item[len(op):])
            if x is None:
                return False
            return {"<=": x <= y, ">=": x >= y, "<": x < y, ">": x > y}[op]
    if NUMRE.match(item):
        x = numeric(v)
        return x is not None and x == float(item)
    if item in ("true", "false"):
        return v is (item == "true") or v == item
    if item == "null":
        return v is None
    return isinstance(v, str) and v == item

# ------------------------------------------------------------ formats

def detect(rec):
    k = set(rec)
    if "conversations" in k:
        return "sharegpt"
    if "completions" in k and "instruction" in k:
        return "ultrafeedback"
    if "answers" in k:
        return "nectar"
    if "message_tree_id" in k:
        return "oasst"
    if {"conversation_a", "conversation_b", "model_a", "model_b", "winner"} <= k:
        return "arena"
    if "responses" in k:
        return "lists"
    if "response" in k and "helpfulness" in k:
        return "helpsteer"
    if {"chosen", "rejected"} <= k:
        c = rec["chosen"]
        if "prompt" not in k and isinstance(c, str) and c.startswith(HUMAN):
            return "hh"
        if isinstance(rec.get("prompt"), str) and is_msgs(c) and is_msgs(rec["rejected"]):
            return "ultrafeedback-binarized"
        return "trl"
    if {"completion", "label"} <= k:
        return "unpaired"
    raise BadRecord("cannot detect the format of this record")


class Conv:
    def __init__(self, opts):
        self.o = opts
        self.counts = {}
        self.tmpl = None
        if "prompt-template" in opts:
            self.tmpl = compile_prompt_template(last(opts, "prompt-template"))

    def opt(self, name, default=None):
        return last(self.o, name, default)

    def count(self, name, n=1):
        self.counts[name] = self.counts.get(name, 0) + n

    # Each reader returns a list of ("pair"|"list", record).

    def trl(self, rec):
        place, back = {}, []
        for opt, canon in (("prompt-field", "prompt"), ("chosen-field", "chosen"),
                           ("rejected-field", "rejected"),
                           ("score-chosen-field", "score_chosen"),
                           ("score-rejected-field", "score_rejected")):
            path = self.opt(opt)
            if path is None or path == canon:
                continue
            try:
                v = get_path(rec, path)
            except KeyError:
                continue
            parts = path.split(".")
            if len(parts) == 1:
                place[path] = [(canon, v)]
            else:
                rec = remove_path(rec, parts)
                back.append((canon, v))
        rec = edit(rec, place=place, back=back)
        if self.tmpl:
            rec = edit(rec, front=[("prompt", fill_prompt_template(self.tmpl, rec))])
        for side in ("chosen", "rejected"):
            if side not in rec:
                raise BadRecord("trl: no '%s' field" % side)
        if "prompt" not in rec:
            if not all(is_msgs(rec[s]) and rec[s] for s in ("chosen", "rejected")):
                raise BadRecord("trl: no 'prompt', and the responses are not whole conversations")
        return [("pair", rec)]

    def ufbinarized(self, rec):
        c, r = rec.get("chosen"), rec.get("rejected")
        if not (is_msgs(c) and is_msgs(r) and c and r):
            raise BadRecord("ultrafeedback-binarized: chosen and rejected are not message lists")
        if c[:-1] != r[:-1]:
            raise BadRecord("ultrafeedback-binarized: chosen and rejected do not start "
                            "with the same messages")
        prompt = c[:-1] or [{"role": "user", "content": rec["prompt"]}]
        rec = edit(rec, place={"chosen": [("chosen", c[-1:])],
                               "rejected": [("rejected", r[-1:])]},
                   front=[("prompt", prompt)])
        return [("pair", rec)]

    def hh(self, rec):
        c, r = rec.get(self.opt("chosen-field", "chosen")), rec.get(self.opt("rejected-field", "rejected"))
        if not isinstance(c, str) or not isinstance(r, str):
            raise BadRecord("hh: chosen and rejected must be strings")
        d = 0
        while d < min(len(c), len(r)) and c[d] == r[d]:
            d += 1
        i = c[:d].rfind(ASSIST)
        if i < 0:
            raise BadRecord("hh: no Assistant turn before the transcripts differ")
        cut = i + len(ASSIST)
        prompt = c[:cut]

        def rest(t):
            t = t[cut:]
            return t[1:] if t.startswith(" ") else t
        ch, rj = rest(c), rest(r)
        kind = None
        if c == r:
            kind = "identical"
        elif c.startswith(r) or r.startswith(c):
            kind = "prefix"
        elif any(m in t for t in (ch, rj) for m in (HUMAN, ASSIST)):
            kind = "diverges-early"
        if kind:
            if "strict" in self.o:
                raise BadRecord("hh: " + kind)
            self.count("hh_" + kind.replace("-", "_"))
        if self.opt("to") == "conversational":
            prompt = hh_messages(prompt, first="user")
            if prompt and prompt[-1]["role"] == "assistant" and prompt[-1]["content"] == "":
                prompt.pop()
            ch, rj = hh_messages(ch, first="assistant"), hh_messages(rj, first="assistant")
        rec = edit(rec, place={"chosen": [("chosen", ch)], "rejected": [("rejected", rj)]},
                   front=[("prompt", prompt)])
        return [("pair", rec)]

    def sharegpt(self, rec):
        roles = {"human": "user", "gpt": "assistant", "system": "system", "user": "user",
                 "assistant": "assistant"}

        def msg(m):
            if not isinstance(m, dict) or m.get("from") not in roles:
                raise BadRecord("sharegpt: bad message")
            if not isinstance(m.get("value"), (str, list)):
                raise BadRecord("sharegpt: value is not a string")
            return edit(m, place={"from": [("role", roles[m["from"]])],
                                  "value": [("content", m["value"])]})
        conv = [msg(m) for m in rec["conversations"]]
        drop = []
        if isinstance(rec.get("system"), str):
            conv.insert(0, {"role": "system", "content": rec["system"]})
            drop.append("system")
        rec = edit(rec, place={"conversations": [("prompt", conv)],
                               "chosen": [("chosen", [msg(rec["chosen"])])],
                               "rejected": [("rejected", [msg(rec["rejected"])])]},
                   drop=drop)
        return [("pair", rec)]

    def nectar(self, rec):
        resp = []
        for a in rec["answers"]:
            r = {"text": a["answer"], "rank": a["rank"]}
            if "model" in a:
                r["model"] = a["model"]
            resp.append(r)
        return [("list", edit(rec, place={"answers": [("responses", resp)]}))]

    def ultrafeedback(self, rec):
        """SPEC 1.5 / pref-convert(1): a score is a number, or a string
        holding the text of a JSON number; null and "N/A" mean no score (the
        completion is dropped and counted); numbers as prefkit(7) NUMBERS."""
        which = self.opt("score", "overall")
        if which not in ("overall", "mean-aspects"):
            raise Unsupported()
        resp, dropped = [], 0
        for c in rec["completions"]:
            if which == "overall":
                s = uf_score(c.get("overall_score"))
            else:
                ratings = [uf_score(a.get("Rating"))
                           for a in c.get("annotations", {}).values()]
                ratings = [usable(x) for x in ratings if x is not None]
                s = num(sum(ratings) / len(ratings)) if ratings else None
            if s is None:
                dropped += 1
                continue
            r = {"text": c["response"], "score": s}
            if "model" in c:
                r["model"] = c["model"]
            resp.append(r)
        self.count("completions_dropped", dropped)
        return [("list", edit(rec, place={"instruction": [("prompt", rec["instruction"])],
                                          "completions": [("responses", resp)]}))]

    def oasst(self, rec, no_synth):
        """SPEC 1.5 oasst: the lists of pref-expand's oracle (the same
        reader, pref-convert(1) and pref-expand(1) say); nothing of a bad
        tree is counted."""
        counts = dict(self.counts)
        lists = oasst_lists(rec, counts, no_synth)
        self.counts = counts
        return [("list", l) for l in lists]

    def helpsteer_row(self, rec):
        attrs = ("helpfulness", "correctness", "coherence", "complexity", "verbosity")
        scores = {k: v for k, v in rec.items() if k in attrs}
        s = rec.get(self.opt("score", "helpfulness"))
        return {"text": rec["response"], "score": s, "scores": scores}

    def lists(self, rec):
        place = {}
        for opt, canon in (("prompt-field", "prompt"), ("responses-field", "responses")):
            p = self.opt(opt)
            if p and p != canon:
                if "." in p:
                    raise Unsupported()
                place[p] = [(canon, rec[p])]
        rec = edit(rec, place=place)
        tf, sf, rf = self.opt("text-field", "text"), self.opt("score-field", "score"), \
            self.opt("rank-field", "rank")
        if (tf, sf, rf) != ("text", "score", "rank"):
            resp = []
            for r in rec["responses"]:
                resp.append(edit(r, place={tf: [("text", r.get(tf))], sf: [("score", r.get(sf))],
                                           rf: [("rank", r.get(rf))]}))
            rec = edit(rec, place={"responses": [("responses", resp)]})
        if self.tmpl:
            rec = edit(rec, front=[("prompt", fill_prompt_template(self.tmpl, rec))])
        return [("list", rec)]

    def bon(self, rec):
        bf, lf = self.opt("best-field"), self.opt("losers-field")
        if not bf or not lf:
            raise Usage("bon needs --best-field and --losers-field")
        tf, mf = self.opt("text-field", "text"), self.opt("model-field", "model")

        def resp(v, rank):
            if isinstance(v, dict):
                r = {"text": v[tf], "rank": Num(str(rank))}
                if mf in v:
                    r["model"] = v[mf]
                return r
            return {"text": v, "rank": Num(str(rank))}
        rs = [resp(rec[bf], 1)] + [resp(x, 2) for x in rec[lf]]
        out = edit(rec, place={bf: [("responses", rs)]}, drop=[lf])
        if self.tmpl:
            out = edit(out, front=[("prompt", fill_prompt_template(self.tmpl, rec))])
        if self.opt("to") != "lists":
            raise Unsupported()
        return [("list", out)]

    def pairwise(self, rec, arena):
        o = self.opt
        af = o("a-field", "conversation_a" if arena else "response_a")
        bf = o("b-field", "conversation_b" if arena else "response_b")
        maf = o("model-a-field", "model_a" if arena else None)
        mbf = o("model-b-field", "model_b" if arena else None)
        lfs = o("label-field", "winner" if arena else "label").split(",")
        aw = parse_list(o("a-wins", "model_a" if arena else ""))
        bw = parse_list(o("b-wins", "model_b" if arena else ""))
        tw = parse_list(o("tie", "tie, tie (bothbad)" if arena else "")) \
            if (arena or o("tie")) else []
        pf = o("prompt-field", None if arena else "prompt")
        votes = {"a": 0, "b": 0, "tie": 0}
        for lf in lfs:
            try:
                v = get_path(rec, lf)
            except KeyError:
                raise BadRecord("pairwise: no label '%s'" % lf)
            sides = [s for s, lst in (("a", aw), ("b", bw), ("tie", tw))
                     if any(item_matches(i, v) for i in lst if i != "")]
            if len(sides) != 1:
                raise BadRecord("pairwise: label matches %d lists" % len(sides))
            votes[sides[0]] += 1
        n = len(lfs)
        win = "a" if 2 * votes["a"] > n else "b" if 2 * votes["b"] > n else "tie"
        A, B = rec[af], rec[bf]
        place, front = {}, []
        if self.tmpl:
            front = [("prompt", fill_prompt_template(self.tmpl, rec))]
            implicit = False
        elif pf and pf in rec:
            place[pf] = [("prompt", rec[pf])]
            implicit = False
        else:
            implicit = True
            if not (is_msgs(A) and is_msgs(B) and A and B):
                raise BadRecord("pairwise: no prompt, and the responses are not conversations")
        if o("to") == "lists":
            if implicit:
                if A[:-1] != B[:-1]:
                    raise BadRecord("implicit prompt: chosen and rejected do not start "
                                    "with the same messages")
                front = [("prompt", A[:-1])]
                A, B = A[-1:], B[-1:]
            ra, rb = {"text": A}, {"text": B}
            ra["rank"] = Num("2") if win == "b" else Num("1")
            rb["rank"] = Num("2") if win == "a" else Num("1")
            if maf:
                ra["model"] = rec[maf]
            if mbf:
                rb["model"] = rec[mbf]
            if n > 1:
                ra["votes"], rb["votes"] = Num(str(votes["a"])), Num(str(votes["b"]))
            rs = [rb, ra] if win == "b" else [ra, rb]
            drop = [bf] + [f for f in (maf, mbf) if f]
            place[af] = [("responses", rs)]
            return [("list", edit(rec, place=place, drop=drop, front=front))]
        if win == "tie":
            self.count("ties")
            return []
        if win == "b":
            A, B = B, A
        place[af] = [("chosen", A)]
        place[bf] = [("rejected", B)]
        if maf and mbf:
            ma, mb = rec[maf], rec[mbf]
            if win == "b":
                ma, mb = mb, ma
            place[maf] = [("chosen_model", ma)]
            place[mbf] = [("rejected_model", mb)]
        back = []
        if n > 1:
            back = [("votes_chosen", Num(str(votes[win]))),
                    ("votes_rejected", Num(str(votes["b" if win == "a" else "a"])))]
        if implicit and A[:-1] != B[:-1]:
            if "strict" in self.o:
                raise BadRecord("diverges-early")
            sys.stderr.write("%s: arena: diverges-early\n" % PROG)
            self.count("diverges_early")
        return [("pair", edit(rec, place=place, front=front, back=back))]

    # ---------------------------------------------------------- --to

    def to(self, kind, rec):
        to = self.opt("to")
        if kind == "list":
            if to in (None, "lists"):
                return rec
            # pref-convert(1) --to pairs/standard/...: "Ranked lists are
            # turned into pairs by the strategy of --pairs (as pref-expand(1)
            # does)", then each pair written as --to says; a pair that cannot
            # be (a content part that is not text) makes the whole list bad.
            if to not in ("pairs", "standard", "conversational"):
                raise Unsupported()
            ex = Expand(dict(self.o, to=["pairs"]))
            self.count("lists_expanded")
            pairs = ex.expand(rec)
            self.count("lists_too_small", ex.counts["lists_too_small"])
            self.count("list_responses_dropped", ex.counts["responses_dropped"])
            out = []
            for q in pairs:
                x = self.to("pair", q)
                out += x if isinstance(x, list) else [x]
            return out
        if to in (None, "pairs"):
            return rec
        if to == "conversational":
            place = {}
            if isinstance(rec.get("prompt"), str):
                place["prompt"] = [("prompt", [{"role": "user", "content": rec["prompt"]}])]
            for s in ("chosen", "rejected"):
                if isinstance(rec[s], str):
                    place[s] = [(s, [{"role": "assistant", "content": rec[s]}])]
            return edit(rec, place=place)
        if to == "standard":
            front, place = [], {}
            c, r = rec["chosen"], rec["rejected"]
            if "prompt" in rec:
                p = rec["prompt"]
            else:
                if c[:-1] != r[:-1]:
                    raise BadRecord("implicit prompt: chosen and rejected do not start "
                                    "with the same messages")
                p, c, r = c[:-1], c[-1:], r[-1:]
            if not isinstance(p, str):
                p = self.flatten(p)
            if "prompt" in rec:
                place["prompt"] = [("prompt", p)]
            else:
                front = [("prompt", p)]
            place["chosen"] = [("chosen", response_text(c))]
            place["rejected"] = [("rejected", response_text(r))]
            return edit(rec, place=place, front=front)
        if to == "lists":
            scored = "score_chosen" in rec and "score_rejected" in rec
            rc, rr = {"text": rec["chosen"]}, {"text": rec["rejected"]}
            if scored:
                rc["score"], rr["score"] = rec["score_chosen"], rec["score_rejected"]
            else:
                rc["rank"], rr["rank"] = Num("1"), Num("2")
            drop = ["rejected"]
            computed = set(rc)
            for k, v in rec.items():
                if k in ("chosen", "rejected"):
                    continue
                if scored and k in ("score_chosen", "score_rejected"):
                    drop.append(k)
                    continue
                side, name = side_name(k)
                if side:
                    # prefkit(7) member clash: a computed member is kept, of
                    # two renamed ones the later
                    if name not in computed:
                        (rc if side == "chosen" else rr)[name] = v
                    drop.append(k)
            if "prompt" not in rec:
                raise Unsupported()
            if "responses" in rec:  # replaced in its place
                return edit(rec, place={"responses": [("responses", [rc, rr])]},
                            drop=drop + ["chosen"])
            return edit(rec, place={"chosen": [("responses", [rc, rr])]}, drop=drop)
        if to == "unpaired":
            return [self.unpaired_side(rec, s) for s in ("chosen", "rejected")]
        raise Unsupported()

    def unpaired_side(self, rec, s):
        """pref-convert(1) --to unpaired: the record of side s: completion
        and label where the chosen response was (or in the place of the
        members of those names the pair has), a paired field of side s under
        its response name (in the place of a member of that name), the other
        side's dropped, every other field copied."""
        c, r = rec["chosen"], rec["rejected"]
        front = []
        if "prompt" not in rec:
            if not (is_msgs(c) and is_msgs(r)) or c[:-1] != r[:-1]:
                raise BadRecord("implicit prompt: chosen and rejected do not start "
                                "with the same messages")
            front = [("prompt", c[:-1])]
            c, r = c[-1:], r[-1:]
        comp = c if s == "chosen" else r
        label = s == "chosen"
        renamed = {}
        for k, v in rec.items():
            side, name = side_name(k)
            if side == s and name not in ("completion", "label", "prompt"):
                renamed[name] = v  # the later of two kept
        out = dict(front)
        for k, v in rec.items():
            if k == "chosen":
                if "completion" not in rec:
                    out["completion"] = comp
                if "label" not in rec:
                    out["label"] = label
            elif k == "rejected":
                continue
            elif k == "completion":
                out[k] = comp
            elif k == "label":
                out[k] = label
            elif side_name(k)[0] is not None:
                side, name = side_name(k)
                if side == s and name in renamed and name not in rec and name not in out:
                    out[name] = renamed[name]
            elif k in renamed:
                out[k] = renamed[k]
            else:
                out[k] = v
        return out

    def flatten(self, msgs):
        if len(msgs) == 1 and msgs[0].get("role") == "user":
            return content_text(msgs[0])
        ft = self.opt("flatten-template")
        if ft is None:
            raise BadRecord("the prompt has %d messages; give --flatten-template" % len(msgs))
        ft = unescape(ft, "")
        return "".join(ft.replace("{role}", m["role"]).replace("{content}", content_text(m))
                       for m in msgs)


def side_name(k):
    """A paired field's side and its name in the response."""
    for side in ("chosen", "rejected"):
        if side in k:
            name = k.replace(side, "").strip("_").replace("__", "_")
            return side, name
    if k.endswith("_w"):
        return "chosen", k[:-2]
    if k.endswith("_l"):
        return "rejected", k[:-2]
    return None, None


def remove_path(rec, parts):
    if len(parts) == 1:
        return {k: v for k, v in rec.items() if k != parts[0]}
    return {k: (remove_path(v, parts[1:]) if k == parts[0] else v) for k, v in rec.items()}


def hh_messages(text, first):
    """HH text into messages: 'Human:' turns are user messages, 'Assistant:'
    turns assistant ones (one leading space dropped); text before the
    first marker is a `first` message."""
    ms = list(re.finditer(r"\n\n(Human|Assistant):", text))
    start = ms[0].start() if ms else len(text)
    msgs = []
    if start > 0 or not ms:
        msgs.append({"role": first, "content": text[:start]})
    for i, m in enumerate(ms):
        end = ms[i + 1].start() if i + 1 < len(ms) else len(text)
        t = text[m.end():end]
        msgs.append({"role": "user" if m.group(1) == "Human" else "assistant",
                     "content": t[1:] if t.startswith(" ") else t})
    return msgs


def main(argv):
    try:
        opts, files = parse_args(argv, SPEC, COMMON_SHORT)
        if "list-formats" in opts:
            real_command(PROG, argv)
        conv = Conv(opts)
        fmt = last(opts, "from", "auto")
        if conv.tmpl is not None:
            if "prompt-field" in opts:
                raise Usage("--prompt-template and --prompt-field both name the prompt")
            if fmt not in ("trl", "lists", "pairwise", "bon", "unpaired"):
                raise Usage("--prompt-template goes with --from trl, lists, pairwise, bon or unpaired")
        run = Run(PROG, opts)
    except Usage as e:
        usage_error(PROG, str(e))
    if fmt in ("hh",):
        conv.counts = {"hh_diverges_early": 0, "hh_prefix": 0, "hh_identical": 0}
    elif fmt in ("pairwise", "arena"):
        conv.counts = {"ties": 0, "diverges_early": 0}
    elif fmt == "oasst":
        conv.counts = {"oasst_messages_skipped": 0, "oasst_replies_unranked": 0,
                       "oasst_groups_too_small": 0}
    elif fmt == "ultrafeedback":
        conv.counts = {"completions_dropped": 0}
    elif fmt == "lists":
        conv.counts = {"responses_dropped": 0}
        if last(opts, "to") not in (None, "lists"):
            conv.counts.update(lists_expanded=0, lists_too_small=0, list_responses_dropped=0)
    inp = Input(files)
    helpsteer = None  # (prompt, [responses], record)

    def flush_helpsteer():
        if helpsteer:
            run.write({"prompt": helpsteer[0], "responses": helpsteer[1]})
    try:
        for name, lineno, line, rec in inp:
            run.counts["read"] += 1
            try:
                if isinstance(rec, BadRecord):
                    raise rec
                if fmt == "auto":
                    fmt = detect(rec)
                    if fmt == "hh":
                        conv.counts = {"hh_diverges_early": 0, "hh_prefix": 0, "hh_identical": 0}
                    elif fmt in ("pairwise", "arena"):
                        conv.counts = {"ties": 0, "diverges_early": 0}
                if fmt == "helpsteer":
                    row = conv.helpsteer_row(rec)
                    if helpsteer and helpsteer[0] == rec["prompt"]:
                        helpsteer[1].append(row)
                    else:
                        flush_helpsteer()
                        helpsteer = (rec["prompt"], [row])
                    continue
                reader = {"trl": conv.trl, "ultrafeedback-binarized": conv.ufbinarized,
                          "hh": conv.hh, "sharegpt": conv.sharegpt, "nectar": conv.nectar,
                          "ultrafeedback": conv.ultrafeedback, "lists": conv.lists,
                          "bon": conv.bon,
                          "oasst": lambda r: conv.oasst(r, "no-synthetic" in opts),
                          "pairwise": lambda r: conv.pairwise(r, False),
                          "arena": lambda r: conv.pairwise(r, True)}.get(fmt)
                if reader is None:
                    raise Unsupported()
                outs = []
                for k, r in reader(rec):
                    x = conv.to(k, r)
                    outs += x if isinstance(x, list) else [x]
            except (BadRecord, KeyError, TypeError) as e:
                run.bad((name, lineno), line, str(e))
                continue
            for r in outs:
                run.write(r)
    except Unsupported:
        sys.stderr.write("golden_oracle.py: not written for this use\n")
        sys.exit(3)
    except Usage as e:
        usage_error(PROG, str(e))
    flush_helpsteer()
    run.counts["blank"] = inp.blank
    run.counts.update(conv.counts)
    run.finish(0)


if __name__ == "__main__":
    main(sys.argv[1:])
