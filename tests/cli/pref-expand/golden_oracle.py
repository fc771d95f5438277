# SPDX-License-Identifier: MIT
# golden_oracle.py - pref-expand written again in Python from SPEC 1.3/1.4/3.2
# and pref-expand(1), not from lib/ or cmd/pref-expand.c: the golden oracle
# of golden-oracle.sh (see ../goldenlib.py).  Ranked lists (field options,
# --rank-by, every --pairs strategy, --top, --min-gap), --to tree and
# step-pairs (Python's re for the PCRE2 patterns the cases use), --from
# oasst, and --from ultrafeedback (pref-convert's oracle's reader).
import os
import re
import sys
from goldenlib import (COMMON, COMMON_SHORT, BadRecord, Input, Num, Run, Usage,
                       get_path, group_id, last, parse_args, usable, usage_error)

PROG = "pref-expand"
SPEC = dict(COMMON, **{k: "req" for k in (
    "pairs", "top", "min-gap", "rank-by", "to", "step-regex", "text-field",
    "score-field", "rank-field", "prompt-field", "responses-field", "chosen-field",
    "rejected-field", "score-chosen-field", "score-rejected-field", "from", "score")})
SPEC["no-synthetic"] = "none"


def is_msgs(v):
    return isinstance(v, list) and all(isinstance(m, dict) for m in v)


def order_value(v, what):
    """A score (booleans 1/0) or an integral rank, as (number, text Num)."""
    if what == "score" and isinstance(v, bool):
        return float(v), Num("1" if v else "0")
    x = usable(v)
    if what == "rank" and x != int(x):
        raise BadRecord("rank is not an integer")
    return x, v


def strategy_pairs(strategy, m):
    """Index pairs (i, j) of standings 0..m-1, in (i, j) order."""
    if strategy == "all":
        return [(i, j) for i in range(m) for j in range(i + 1, m)]
    if strategy == "adjacent":
        return [(i, i + 1) for i in range(m - 1)]
    if strategy == "best-vs-rest":
        return [(0, j) for j in range(1, m)]
    if strategy == "rest-vs-worst":
        return [(i, m - 1) for i in range(m - 1)]
    if strategy == "best-vs-worst":
        return [(0, m - 1)] if m > 1 else []
    if strategy.startswith("skip="):
        k = int(strategy[5:])
        if k < 1:
            raise Usage("skip=K needs K >= 1")
        return [(i, i + k) for i in range(m - k)]
    raise Usage("unknown strategy")


def standings(items, key):
    """items sorted best first into groups of equal key."""
    groups = []
    for it in items:
        if groups and key(groups[-1][0]) == key(it):
            groups[-1].append(it)
        else:
            groups.append([it])
    return groups


class Expand:
    def __init__(self, opts):
        self.o = opts
        self.strategy = last(opts, "pairs", "best-vs-rest")
        strategy_pairs(self.strategy, 0)
        self.top = last(opts, "top")
        self.top = int(self.top) if self.top is not None else None
        g = last(opts, "min-gap")
        self.min_gap = float(g) if g is not None else None
        self.rank_by = last(opts, "rank-by", "score")
        self.to = last(opts, "to", "pairs")
        self.step_re = re.compile(last(opts, "step-regex", r"\n\n+"))
        self.counts = {"lists": 0, "lists_too_small": 0, "pairs_below_min_gap": 0,
                       "responses_dropped": 0}
        if self.to == "tree":  # no pairs: no counts of pairs
            del self.counts["lists_too_small"], self.counts["pairs_below_min_gap"]

    def responses(self, rec):
        """The responses, sorted best first: dicts with text, sort value,
        score/rank texts and other members; and the ordering field."""
        rf = last(self.o, "responses-field", "responses")
        try:
            rs = get_path(rec, rf)
        except KeyError:
            raise BadRecord("no responses")
        if not isinstance(rs, list):
            raise BadRecord("responses is not an array")
        tf = last(self.o, "text-field", "text")
        sf = last(self.o, "score-field", "score")
        kf = last(self.o, "rank-field", "rank")
        items = []
        for r in rs:
            if not isinstance(r, dict):
                raise BadRecord("a response is not an object")
            try:
                text = get_path(r, tf)
            except KeyError:
                raise BadRecord("a response has no text")
            if not isinstance(text, str) and not is_msgs(text) and \
                    not (self.to != "pairs" and isinstance(text, list)
                         and all(isinstance(s, str) for s in text)):
                raise BadRecord("text is not a string or message list")
            it = {"text": text, "raw": r}
            for f, name in ((sf, "score"), (kf, "rank")):
                try:
                    it[name] = get_path(r, f)
                except KeyError:
                    pass
            it["other"] = [(k, v) for k, v in r.items() if k not in (
                tf.split(".")[0], sf.split(".")[0], kf.split(".")[0])]
            items.append(it)
        first = self.rank_by
        other = "rank" if first == "score" else "score"
        if all(first in it for it in items):
            by = first
        elif all(other in it for it in items):
            by = other
        elif not items:
            by = first
        else:
            raise BadRecord("some responses have only a score and others only a rank")
        kept = []
        for it in items:
            if it[by] is None:
                self.counts["responses_dropped"] += 1
                continue
            for name in ("score", "rank"):
                if name in it and it[name] is not None:
                    it[name + "_val"], it[name] = order_value(it[name], name)
            kept.append(it)
        sign = -1 if by == "score" else 1
        kept.sort(key=lambda it: sign * it[by + "_val"])
        if self.top is not None:
            kept = kept[:self.top]
        return kept, by, rf.split(".")[0]

    def gap(self, a, b, by):
        return a[by + "_val"] - b[by + "_val"] if by == "score" else b[by + "_val"] - a[by + "_val"]

    def pairs(self, rec, items, by, place):
        groups = standings(items, lambda it: it[by + "_val"])
        if len(groups) < 2:
            self.counts["lists_too_small"] += 1
            return []
        gid = group_id(rec[last(self.o, "prompt-field", "prompt")])
        out = []
        for i, j in strategy_pairs(self.strategy, len(groups)):
            for a in groups[i]:
                for b in groups[j]:
                    if self.min_gap is not None and self.gap(a, b, by) < self.min_gap:
                        self.counts["pairs_below_min_gap"] += 1
                        continue
                    mem = [("chosen", a["text"]), ("rejected", b["text"])]
                    for name in ("score", "rank"):
                        if name in a:
                            mem.append((name + "_chosen", a[name]))
                        if name in b:
                            mem.append((name + "_rejected", b[name]))
                    ka = dict(a["other"])
                    kb = dict(b["other"])
                    for k in list(ka) + [k for k in kb if k not in ka]:
                        if k in ka:
                            mem.append(("chosen_" + k, ka[k]))
                        if k in kb:
                            mem.append(("rejected_" + k, kb[k]))
                    mem.append(("group_id", gid))
                    names = {k for k, _ in mem}
                    p = {}
                    for k, v in rec.items():
                        if k == place:
                            for nk, nv in mem:
                                p[nk] = nv
                        elif k not in names:
                            p[k] = v
                    out.append(p)
        return out

    def steps(self, text):
        if isinstance(text, list) and all(isinstance(s, str) for s in text):
            return list(text)
        if not isinstance(text, str):
            text = "".join(m["content"] for m in text if m.get("role") == "assistant")
        return [s for s in self.step_re.split(text) if s]

    def tree(self, rec, items, by):
        root = {"children": []}
        for it in items:
            node = root
            for s in self.steps(it["text"]):
                for c in node["children"]:
                    if c["step"] == s:
                        c["count"] = Num(str(int(c["count"].raw) + 1))
                        break
                else:
                    c = {"step": s, by: it[by], "count": Num("1"), "children": [],
                         "_v": it[by + "_val"]}
                    node["children"].append(c)
                node = c
        return root

    def clean(self, node):
        return {k: ([self.clean(c) for c in v] if k == "children" else v)
                for k, v in node.items() if k != "_v"}

    def step_pairs(self, rec, root, by):
        p0 = rec[last(self.o, "prompt-field", "prompt")]
        gid = group_id(p0)
        out = []

        def visit(node, shared):
            kids = node["children"]
            groups = standings(kids, lambda c: c["_v"])
            if len(groups) >= 2:
                for i, j in strategy_pairs(self.strategy, len(groups)):
                    for a in groups[i]:
                        for b in groups[j]:
                            g = a["_v"] - b["_v"] if by == "score" else b["_v"] - a["_v"]
                            if self.min_gap is not None and g < self.min_gap:
                                self.counts["pairs_below_min_gap"] += 1
                                continue
                            if isinstance(p0, str):
                                prompt = "\n\n".join([p0] + shared)
                                ch, rj = a["step"], b["step"]
                            else:
                                prompt = p0 + ([{"role": "assistant",
                                                 "content": "\n\n".join(shared)}]
                                               if shared else [])
                                ch = [{"role": "assistant", "content": a["step"]}]
                                rj = [{"role": "assistant", "content": b["step"]}]
                            out.append({"prompt": prompt, "chosen": ch, "rejected": rj,
                                        by + "_chosen": a[by], by + "_rejected": b[by],
                                        "depth": Num(str(len(shared))), "group_id": gid})
            for c in kids:
                visit(c, shared + [c["step"]])
        visit(root, [])
        return out

    def expand(self, rec):
        pf = last(self.o, "prompt-field", "prompt")
        items, by, place = self.responses(rec)
        if pf not in rec:
            raise BadRecord("no prompt")
        if not isinstance(rec[pf], str) and not is_msgs(rec[pf]):
            raise BadRecord("prompt is not a string or message list")
        self.counts["lists"] += 1
        if self.to == "pairs":
            return self.pairs(rec, items, by, place)
        root = self.tree(rec, items, by)
        if self.to == "tree":
            return [{"prompt": rec[pf], "group_id": group_id(rec[pf]),
                     "tree": self.clean(root)}]
        if self.to == "step-pairs":
            return self.step_pairs(rec, root, by)
        raise Usage("--to: bad value")


def oasst_lists(tree, counts, no_synth):
    """SPEC 1.5 oasst: one list per sibling group of >= 2 ranked assistant
    replies, depth first, a group before the groups below it."""
    out = []

    def skipped(m):
        for f in ("deleted", "review_result", "synthetic"):
            if m.get(f) not in (True, False, None):
                raise BadRecord("oasst: '%s' is not a boolean" % f)
        return m.get("deleted") is True or m.get("review_result") is False or \
            (no_synth and m.get("synthetic") is True)

    seen = set()

    def visit(m, path, parent=None):
        if not isinstance(m, dict):
            raise BadRecord("oasst: a message is not an object")
        if not isinstance(m.get("replies", []), list):
            raise BadRecord("oasst: replies is not an array")
        if m.get("role") not in ("prompter", "assistant"):
            raise BadRecord("oasst: bad role")
        if not isinstance(m.get("text"), str):
            raise BadRecord("oasst: no text")
        if m.get("message_id") in seen:
            raise BadRecord("oasst: a message stands twice in the tree")
        seen.add(m.get("message_id"))
        if parent is not None and "parent_id" in m and m["parent_id"] != parent:
            raise BadRecord("oasst: parent_id is not the parent's")
        if m.get("rank") is not None:
            order_value(m["rank"], "rank")
        msg = {"role": "user" if m["role"] == "prompter" else "assistant",
               "content": m["text"]}
        conv = path + [msg]
        replies = []
        for r in m.get("replies", []):
            if skipped(r):
                counts["oasst_messages_skipped"] += 1
            else:
                replies.append(r)
        if m["role"] == "prompter":
            group = [r for r in m.get("replies", []) if isinstance(r, dict) and
                     r.get("role") == "assistant"]
            asst = [r for r in replies if r["role"] == "assistant"]
            ranked = [r for r in asst if r.get("rank") is not None]
            counts["oasst_replies_unranked"] += len(asst) - len(ranked)
            if len(ranked) >= 2:
                # (the order of these three is not fixed by SPEC; the one
                # pref-expand has)
                out.append({"message_tree_id": tree["message_tree_id"],
                            "parent_id": m["message_id"], "prompt": conv,
                            "responses": [{"text": [{"role": "assistant", "content": r["text"]}],
                                           "rank": r["rank"], "message_id": r["message_id"]}
                                          for r in ranked]})
            elif len(group) >= 2:
                # a group (two replies or more) left with fewer than two
                # ranked ones, skipped replies counted in the group
                counts["oasst_groups_too_small"] += 1
        for r in replies:
            visit(r, conv, m["message_id"])
    if not isinstance(tree.get("prompt"), dict):
        raise BadRecord("oasst: no 'prompt' (the root message)")
    root = tree["prompt"]
    if skipped(root):
        counts["oasst_messages_skipped"] += 1
        return []
    visit(root, [])
    return out


def main(argv):
    try:
        opts, files = parse_args(argv, SPEC, COMMON_SHORT)
        ex = Expand(opts)
        fmt = last(opts, "from", "lists")
        if fmt not in ("lists", "oasst", "ultrafeedback"):
            sys.stderr.write("golden_oracle.py: not written for --from %s\n" % fmt)
            sys.exit(3)
        run = Run(PROG, opts)
    except Usage as e:
        usage_error(PROG, str(e))
    reader = {}
    if fmt == "oasst":
        reader = {"oasst_messages_skipped": 0, "oasst_replies_unranked": 0,
                  "oasst_groups_too_small": 0}
    if fmt == "ultrafeedback":
        # the reader of pref-convert's oracle (pref-expand(1): "see
        # pref-convert(1)")
        import importlib.util
        spec = importlib.util.spec_from_file_location("convert_oracle", os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "pref-convert",
            "golden_oracle.py"))
        convert = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(convert)
        conv = convert.Conv(opts)
        conv.counts = {"completions_dropped": 0}
    inp = Input(files)
    for name, lineno, line, rec in inp:
        run.counts["read"] += 1
        saved = dict(ex.counts)  # nothing of a bad record counts
        try:
            if isinstance(rec, BadRecord):
                raise rec
            if fmt == "oasst":
                lists = oasst_lists(rec, reader, "no-synthetic" in opts)
            elif fmt == "ultrafeedback":
                saved_uf = dict(conv.counts)
                try:
                    lists = [r for _, r in conv.ultrafeedback(rec)]
                except (KeyError, TypeError):
                    conv.counts = saved_uf
                    raise BadRecord("ultrafeedback: not a record of this format")
                except BadRecord:
                    conv.counts = saved_uf
                    raise
            else:
                lists = [rec]
            outs = []
            for l in lists:
                outs += ex.expand(l)
        except BadRecord as e:
            ex.counts = saved
            run.bad((name, lineno), line, str(e))
            continue
        except Usage as e:
            usage_error(PROG, str(e))
        for r in outs:
            run.write(r)
    run.counts["blank"] = inp.blank
    run.counts.update(reader)
    run.counts.update(ex.counts)
    if fmt == "ultrafeedback":
        run.counts.update(conv.counts)
    run.finish(0)


if __name__ == "__main__":
    main(sys.argv[1:])
