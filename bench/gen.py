#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Deterministic generator of realistic preference JSON Lines for benchmarks.

    gen.py [--seed N] (--size SIZE | --records N) [--shape SHAPE] [-o FILE]

Writes synthetic but realistic preference records to standard output (or FILE):
long prompts and responses with paragraph breaks, Markdown lists and code
blocks; accents, CJK, Cyrillic, Arabic and emoji (astral characters, skin-tone
modifiers, ZWJ sequences); every JSON escape (\\" \\\\ \\n \\t, \\uXXXX
including surrogate pairs, and \\/ as pandas writes it); integer and real
scores; string and TRL message-list ("conversational") texts, explicit and
implicit prompts; extra fields (ids, model names, nested metadata).

Shapes (see bench/README.md for the exact fields):
  pairs          {"prompt","chosen","rejected","score_chosen","score_rejected",
                  "chosen_model","rejected_model","id","source",...,"metadata"}
  scored-pairs   pairs plus HelpSteer-style "scores_chosen"/"scores_rejected"
                  objects (for pref-relabel --attributes)
  labeled-pairs  pairs plus F-DPO hallucination labels "h_w"/"h_l" (0/1; a few
                  true/false)
  lists          {"prompt","responses":[{"text","score","model"} x 8],...}
  hh             Anthropic HH-RLHF {"chosen": "\\n\\nHuman: ...\\n\\nAssistant: ...",
                  "rejected": ...}: a shared multi-turn prefix, different last
                  assistant turn

Determinism: the output is a function of (--seed, --shape) and the record
count only; the same arguments give byte-identical output on any machine and
any Python >= 3.6 (only Random.random() and integer arithmetic are used).
Records do not depend on --size: a smaller size's output is a prefix of a
larger one's with the same seed and shape.

--size stops after the first record that brings the output to SIZE bytes or
more (K, M, G suffixes are powers of 1024, as in prefkit).  --records N writes
exactly N records.

Invariants the benchmark baselines rely on (keep them when editing):
  * every pair has numeric score_chosen and score_rejected;
  * every field whose name contains "chosen"/"rejected" or ends in "_w"/"_l"
    has its partner in the same object, and such names occur only at the top
    level (nested metadata never uses them);
  * hh transcripts always share their prefix up to the last "\\n\\nAssistant:"
    and then differ, neither being a prefix of the other;
  * no generated text contains "\\n\\nHuman:" or "\\n\\nAssistant:" by itself.
"""

import argparse
import json
import sys

# --------------------------------------------------------------------------
# Vocabulary.  Everything random below is drawn with one random.Random(seed).

WORDS = """
the of and to in is that for it as with was on be by this are or from at an
which have not but can will one all more if their has they when there been
its would also about into than other some time these only new may could two
first any most such use used make like then over our after where many how
each way even well because much through work same those both between while
under down should very still however system data model value function result
process example number first important different following possible large
small general common information problem question answer step approach method
important consider include provide ensure support create change return check
memory performance network server client request response error handle input
output file line record string object array field key buffer stream parser
algorithm complexity optimize cache thread lock queue table index query score
training dataset preference reward policy gradient loss batch token sequence
attention layer weight vector matrix embedding sample label feature metric
recipe oven temperature minutes flour butter sugar garden water sunlight soil
history century empire trade river mountain climate energy carbon travel city
museum language grammar vocabulary poem story character novel author chapter
health exercise sleep diet doctor symptom patient treatment research evidence
budget savings interest loan market price customer product service contract
""".split()

ACCENTED = """café naïve résumé façade coöperate jalapeño piñata Zürich Ångström
São Paulo Kraków Dvořák Gödel Brontë Māori smörgåsbord crème brûlée déjà vu
über straße Ærø fiancée touché señor mañana""".split()

CJK = [
    "这是一个关于偏好数据的例子，包含中文字符。",
    "机器学习模型需要大量高质量的训练数据。",
    "请解释一下直接偏好优化（DPO）的基本原理。",
    "在这个问题上，我们需要考虑多个因素，并给出详细的回答。",
    "今天天气很好，我们去公园散步吧。",
    "首先，把面粉和糖混合均匀；然后，慢慢加入牛奶。",
    "日本語のテキストも含まれています。",
    "東京は日本の首都で、人口は約千四百万人です。",
    "この関数は配列をソートして、結果を返します。",
    "한국어 문장도 포함되어 있습니다.",
    "서울은 대한민국의 수도입니다.",
    "𠀋𡈽𡌛 are CJK Extension B characters outside the BMP.",
]

OTHER_SCRIPTS = [
    "Привет, мир! Это пример текста на русском языке.",
    "Машинное обучение требует качественных данных.",
    "مرحبا بالعالم، هذا نص باللغة العربية.",
    "Γειά σου Κόσμε· η εξίσωση είναι απλή.",
    "שלום עולם, זהו טקסט בעברית.",
    "नमस्ते दुनिया, यह हिंदी में एक वाक्य है।",
    "Xin chào thế giới, đây là tiếng Việt.",
    "Ça coûte 12,50 € — très cher, n’est-ce pas ?",
    "Die Größe der Straße überrascht mich nicht.",
    "¿Dónde está la biblioteca? ¡Está allí!",
]

EMOJI = [
    "😀", "🚀", "👍", "👍🏽", "🎉", "🔥", "✅", "❌", "⚠️", "💡", "🤖", "📊",
    "👨‍👩‍👧", "🇯🇵", "❤️", "🙂", "🧪", "📝", "★", "→", "∑", "≈", "±", "°C",
    "𝔸𝕓𝕔", "𝑓(𝑥)", "🏳️‍🌈",
]

MODELS = [
    "gpt-4-0613", "gpt-3.5-turbo-0301", "claude-2.1", "llama-2-70b-chat",
    "llama-2-13b-chat", "mistral-7b-instruct-v0.2", "mixtral-8x7b-instruct",
    "qwen1.5-72b-chat", "gemma-7b-it", "vicuna-33b", "wizardlm-70b",
    "falcon-40b-instruct", "starchat-beta", "ultralm-65b", "pythia-12b",
    "alpaca-7b",
]

SOURCES = [
    "ultrafeedback", "hh-rlhf", "shp", "stack-exchange-paired", "helpsteer2",
    "oasst2", "nectar", "capybara", "orca_dpo_pairs", "truthy-dpo",
]

TAGS = ["coding", "math", "reasoning", "writing", "chat", "safety",
        "translation", "extraction", "roleplay", "stem", "humanities", "cjk"]

CODE_TEMPLATES = [
    'def {f}(items, key=None):\n\t"""Return the {w} of items."""\n\tseen = {{}}\n'
    '\tfor i, x in enumerate(items):\n\t\tif key is not None:\n\t\t\tx = key(x)\n'
    '\t\tseen[x] = seen.get(x, 0) + 1\n\treturn max(seen, key=seen.get)\n',
    'import re\n\nPATTERN = re.compile(r"^(\\d+)\\s*-\\s*(\\w+)$")\n\n'
    'def {f}(line):\n    m = PATTERN.match(line)\n    if not m:\n'
    '        raise ValueError("bad line: %r" % line)\n    return int(m.group(1)), m.group(2)\n',
    '#include <stdio.h>\n\nint main(void)\n{{\n\tprintf("%s\\t%d\\n", "{w}", 42);\n'
    '\treturn 0;\n}}\n',
    'const {f} = async (url) => {{\n  const res = await fetch(`${{url}}/api/v1/items?limit=10`);\n'
    '  if (!res.ok) throw new Error(`HTTP ${{res.status}}`);\n  return res.json();\n}};\n',
    'SELECT u.name, COUNT(*) AS n\nFROM users u\nJOIN orders o ON o.user_id = u.id\n'
    "WHERE o.created_at >= '2024-01-01' AND u.note LIKE '%\\_{w}%'\nGROUP BY u.name\nORDER BY n DESC;\n",
    'path = "C:\\\\Users\\\\{w}\\\\Documents\\\\report.txt"\nwith open(path, encoding="utf-8") as f:\n'
    '    text = f.read().replace("\\r\\n", "\\n")\nprint(len(text.split("\\n\\n")))\n',
    'for f in *.jsonl; do\n  jq -c \'select(.score > 7)\' "$f" >> "{w}.out"\ndone\n'
    'echo "done: $(wc -l < {w}.out) lines"\n',
    'fn {f}(v: &[f64]) -> Option<f64> {{\n    if v.is_empty() {{ return None; }}\n'
    '    Some(v.iter().sum::<f64>() / v.len() as f64)\n}}\n',
]
CODE_LANGS = ["python", "python", "c", "javascript", "sql", "python", "bash", "rust"]

QUESTION_STARTS = [
    "How do I", "Can you explain how to", "What is the best way to",
    "Write a short essay about how to", "Why does my program fail when I try to",
    "Please summarize how to", "Give me three tips to", "Is it safe to",
    "Compare two ways to", "Explain step by step how to",
]


class Rng:
    """Thin wrapper over random.Random using only random(): stable across
    Python versions (randrange/choice internals have changed before)."""

    def __init__(self, seed):
        import random
        self._r = random.Random(seed)
        self.random = self._r.random

    def below(self, n):
        return int(self.random() * n)

    def pick(self, seq):
        return seq[int(self.random() * len(seq))]

    def between(self, lo, hi):          # inclusive
        return lo + int(self.random() * (hi - lo + 1))

    def chance(self, p):
        return self.random() < p

    def hex(self, n):
        return "".join("0123456789abcdef"[int(self.random() * 16)] for _ in range(n))


# --------------------------------------------------------------------------
# Pool of text pieces, each kept JSON-encoded in three variants.

def _u_escape(ch):
    c = ord(ch)
    if c < 0x10000:
        return "\\u%04x" % c
    c -= 0x10000
    return "\\u%04x\\u%04x" % (0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF))


def _enc_plain(s):
    return json.dumps(s, ensure_ascii=False)[1:-1]


def _enc_pandas(s):
    # pandas / HF to_json: non-ASCII as \uXXXX (surrogate pairs), "/" as "\/".
    return json.dumps(s, ensure_ascii=True)[1:-1].replace("/", "\\/")


def _enc_mixed(s, rng):
    # Some non-ASCII characters \u-escaped (upper- or lowercase hex), others raw.
    out = []
    for ch in s:
        if ord(ch) >= 0x80 and rng.chance(0.5):
            e = _u_escape(ch)
            out.append(e.upper().replace("\\U", "\\u") if rng.chance(0.3) else e)
        else:
            out.append(_enc_plain(ch))
    return "".join(out)


class Piece:
    __slots__ = ("plain", "pandas")


def _sentence(rng, flavor):
    n = rng.between(6, 24)
    ws = [rng.pick(WORDS) for _ in range(n)]
    if rng.chance(0.15):
        ws[rng.below(n)] = rng.pick(ACCENTED)
    if rng.chance(0.08):
        ws[rng.below(n)] = '"' + rng.pick(WORDS) + '"'
    if rng.chance(0.06):
        ws[rng.below(n)] = "`" + rng.pick(WORDS) + "_" + rng.pick(WORDS) + "()`"
    if rng.chance(0.05):
        ws[rng.below(n)] = "https://example.org/%s/%s?id=%d" % (
            rng.pick(WORDS), rng.pick(WORDS), rng.below(100000))
    if rng.chance(0.05):
        ws[rng.below(n)] = "%s/%s" % (rng.pick(WORDS), rng.pick(WORDS))
    if rng.chance(0.04):
        ws[rng.below(n)] = "%d.%d%%" % (rng.below(100), rng.below(10))
    s = " ".join(ws)
    s = s[0].upper() + s[1:]
    s += rng.pick([".", ".", ".", ".", "?", "!", ":", ";"]) if flavor else "."
    if rng.chance(0.04):
        s += " " + rng.pick(EMOJI)
    return s


def _prose(rng):
    para = " ".join(_sentence(rng, True) for _ in range(rng.between(2, 7)))
    if rng.chance(0.07):
        para += " " + rng.pick(CJK)
    if rng.chance(0.05):
        para += " " + rng.pick(OTHER_SCRIPTS)
    return para


def _listing(rng):
    n = rng.between(3, 7)
    numbered = rng.chance(0.5)
    lines = []
    if rng.chance(0.5):
        lines.append("### " + _sentence(rng, False)[:-1])
    for i in range(n):
        mark = "%d." % (i + 1) if numbered else rng.pick(["*", "-", "•"])
        item = _sentence(rng, True)
        if rng.chance(0.3):
            item = "**%s**: %s" % (rng.pick(WORDS).capitalize(), item)
        lines.append(mark + " " + item)
    return "\n".join(lines)


def _code(rng):
    i = rng.below(len(CODE_TEMPLATES))
    body = CODE_TEMPLATES[i].format(f=rng.pick(WORDS) + "_" + rng.pick(WORDS),
                                    w=rng.pick(WORDS))
    if rng.chance(0.2):
        body = "# " + rng.pick(CJK + OTHER_SCRIPTS) + "\n" + body
    if rng.chance(0.05):
        body += 'print("\\x1b[1mbold\\x1b[0m")  # \x1b[1m ANSI escape \x1b[0m\n'
    return "Here is an example:\n\n```%s\n%s```" % (CODE_LANGS[i], body)


def _foreign(rng):
    parts = [rng.pick(CJK + OTHER_SCRIPTS) for _ in range(rng.between(2, 6))]
    if rng.chance(0.4):
        parts.append(rng.pick(EMOJI))
    sep = "" if rng.chance(0.5) else " "
    return sep.join(parts)


def _question(rng):
    q = "%s %s the %s %s in %s?" % (rng.pick(QUESTION_STARTS), rng.pick(WORDS),
                                    rng.pick(WORDS), rng.pick(WORDS), rng.pick(WORDS))
    r = rng.random()
    if r < 0.15:
        q = rng.pick(CJK) + " " + q
    elif r < 0.25:
        q += " " + _sentence(rng, True)
    elif r < 0.30:
        q += " " + rng.pick(EMOJI)
    if rng.chance(0.25):
        q += "\n" + _sentence(rng, True)
    return q


def _make_piece(rng, s):
    p = Piece()
    p.pandas = _enc_pandas(s)
    if rng.chance(0.12) and any(ord(c) >= 0x80 for c in s):
        p.plain = _enc_mixed(s, rng)
    else:
        p.plain = _enc_plain(s)
    return p


class Pool:
    def __init__(self, rng):
        mk = lambda f, n: [_make_piece(rng, f(rng)) for _ in range(n)]
        self.prose = mk(_prose, 3000)
        self.listing = mk(_listing, 600)
        self.code = mk(_code, 400)
        self.foreign = mk(_foreign, 400)
        self.question = mk(_question, 1500)
        self.short = mk(lambda r: _sentence(r, True), 1000)

    def paragraph(self, rng):
        r = rng.random()
        if r < 0.66:
            return rng.pick(self.prose)
        if r < 0.82:
            return rng.pick(self.listing)
        if r < 0.92:
            return rng.pick(self.code)
        return rng.pick(self.foreign)


# --------------------------------------------------------------------------
# Record builders.  They build JSON text directly from pre-encoded pieces.

class Style:
    """One record's surface form: separators and escaping."""
    __slots__ = ("item", "kv", "pandas")

    def __init__(self, rng):
        spaced = rng.chance(0.5)              # json.dumps default vs compact
        self.item = ", " if spaced else ","
        self.kv = ": " if spaced else ":"
        self.pandas = rng.chance(0.1)         # pandas to_json escaping

    def enc(self, piece):
        return piece.pandas if self.pandas else piece.plain

    def s(self, text):                        # an arbitrary (ASCII-safe) string
        return '"' + (_enc_pandas(text) if self.pandas else _enc_plain(text)) + '"'

    def obj(self, members):
        kv = self.kv
        return "{" + self.item.join('"%s"%s%s' % (k, kv, v) for k, v in members) + "}"

    def arr(self, values):
        return "[" + self.item.join(values) + "]"

    def msg(self, role, content_json):
        return self.obj([("role", '"%s"' % role), ("content", content_json)])


def text_json(g, st, nmin, nmax):
    """A JSON string literal of nmin..nmax paragraphs."""
    n = g.rng.between(nmin, nmax)
    if n > 3 and g.rng.chance(0.5):
        n = g.rng.between(nmin, 3)            # skew towards shorter texts
    parts = [st.enc(g.pool.paragraph(g.rng)) for _ in range(n)]
    sep = "\\n\\n" if g.rng.chance(0.85) else "\\n"
    return '"' + sep.join(parts) + '"'


def prompt_text_json(g, st):
    rng = g.rng
    q = st.enc(rng.pick(g.pool.question))
    r = rng.random()
    if r < 0.35:                              # question plus context
        ctx = [st.enc(g.pool.paragraph(rng)) for _ in range(rng.between(1, 4))]
        if rng.chance(0.5):
            return '"' + "\\n\\n".join(ctx + [q]) + '"'
        return '"' + q + "\\n\\n" + "\\n\\n".join(ctx) + '"'
    if r < 0.45:
        return '"' + st.enc(rng.pick(g.pool.short)) + '"'
    return '"' + q + '"'


def score_pair(rng):
    """(score_chosen, score_rejected) as JSON number texts."""
    kind = rng.random()

    def one(kind):
        if kind < 0.40:
            return str(rng.between(1, 10))                    # int
        if kind < 0.70:
            return repr(rng.between(4, 40) / 4.0)             # 7.5, 8.25, 8.0
        if kind < 0.90:
            return repr(float(rng.between(1, 10)))            # 8.0
        return repr(rng.between(3, 30) / 3.0)                 # 6.666666666666667
    w, l = one(kind), one(kind)
    fw, fl = float(w), float(l)
    r = rng.random()
    if r < 0.10:
        l = w                                                 # tie
    elif r < 0.13:
        if fw > fl:
            w, l = l, w                                       # misordered
    elif fw < fl:
        w, l = l, w
    return w, l


def extras(g, st):
    """Top-level extra fields (never paired names) and nested metadata."""
    rng = g.rng
    rid = '"%s-%s-%s"' % (rng.hex(8), rng.hex(4), rng.hex(12))
    meta = [
        ("annotator", '"%s"' % rng.pick(["gpt-4", "human", "gpt-4-turbo", "armorm-8b"])),
        ("lang", '"%s"' % rng.pick(["en", "en", "en", "zh", "ja", "de", "fr", "ru"])),
        ("created", '"2024-%02d-%02dT%02d:%02d:%02dZ"' % (
            rng.between(1, 12), rng.between(1, 28), rng.below(24), rng.below(60),
            rng.below(60))),
        ("tags", st.arr(['"%s"' % rng.pick(TAGS) for _ in range(rng.between(0, 3))])),
        ("quality", st.obj([
            ("toxicity", repr(round(rng.random() * 0.05, 6))),
            ("length_ratio", repr(round(0.3 + rng.random() * 2, 4))),
            ("flags", st.obj([("nsfw", "false"), ("pii", "true" if rng.chance(0.02) else "false")])),
        ])),
        ("turns", str(rng.between(1, 4))),
        ("note", "null" if rng.chance(0.8) else st.s("checked by reviewer #%d" % rng.below(50))),
    ]
    return [("id", rid), ("source", '"%s"' % rng.pick(SOURCES)),
            ("source_index", str(rng.below(10 ** rng.between(3, 7))))], st.obj(meta)


def conversation(g, st):
    """Prompt messages (system?, user, [assistant, user]...) as JSON texts."""
    rng = g.rng
    msgs = []
    if rng.chance(0.2):
        msgs.append(st.msg("system", '"' + st.enc(rng.pick(g.pool.short)) + '"'))
    msgs.append(st.msg("user", prompt_text_json(g, st)))
    for _ in range(rng.between(0, 2) if rng.chance(0.4) else 0):
        msgs.append(st.msg("assistant", text_json(g, st, 1, 3)))
        msgs.append(st.msg("user", '"' + st.enc(rng.pick(g.pool.question)) + '"'))
    return msgs


def pair_members(g, st):
    rng = g.rng
    form = rng.random()
    sc, sr = score_pair(rng)
    if form < 0.60:                            # TRL standard (strings)
        core = [("prompt", prompt_text_json(g, st)),
                ("chosen", text_json(g, st, 1, 8)),
                ("rejected", text_json(g, st, 1, 8))]
    else:
        conv = conversation(g, st)
        c = st.msg("assistant", text_json(g, st, 1, 8))
        r = st.msg("assistant", text_json(g, st, 1, 8))
        if form < 0.90:                        # conversational, explicit prompt
            core = [("prompt", st.arr(conv)), ("chosen", st.arr([c])),
                    ("rejected", st.arr([r]))]
        else:                                  # conversational, implicit prompt
            core = [("chosen", st.arr(conv + [c])), ("rejected", st.arr(conv + [r]))]
    core += [("score_chosen", sc), ("score_rejected", sr)]
    ids, meta = extras(g, st)
    models = []
    if rng.chance(0.7):
        models = [("chosen_model", '"%s"' % rng.pick(MODELS)),
                  ("rejected_model", '"%s"' % rng.pick(MODELS))]
    if rng.chance(0.5):
        return ids[:1] + core + models + ids[1:] + [("metadata", meta)]
    return core + models + ids + [("metadata", meta)]


def gen_pairs(g):
    st = Style(g.rng)
    return st.obj(pair_members(g, st))


def gen_scored_pairs(g):
    st = Style(g.rng)
    m = pair_members(g, st)
    rng = g.rng
    attrs = ["helpfulness", "correctness", "coherence", "complexity", "verbosity"]
    sc = st.obj([(a, str(rng.between(0, 4))) for a in attrs])
    sr = st.obj([(a, str(rng.between(0, 4))) for a in attrs])
    i = [k for k, _ in m].index("score_rejected") + 1
    return st.obj(m[:i] + [("scores_chosen", sc), ("scores_rejected", sr)] + m[i:])


def gen_labeled_pairs(g):
    st = Style(g.rng)
    m = pair_members(g, st)
    rng = g.rng
    r = rng.random()
    hw, hl = (0, 0) if r < 0.40 else (0, 1) if r < 0.75 else (1, 0) if r < 0.90 else (1, 1)
    if rng.chance(0.05):
        lw, ll = ("true" if hw else "false"), ("true" if hl else "false")
    else:
        lw, ll = str(hw), str(hl)
    i = [k for k, _ in m].index("score_rejected") + 1
    return st.obj(m[:i] + [("h_w", lw), ("h_l", ll)] + m[i:])


def gen_lists(g):
    st = Style(g.rng)
    rng = g.rng
    msgs = rng.chance(0.3)
    prompt = st.arr(conversation(g, st)) if msgs else prompt_text_json(g, st)
    int_scores = rng.chance(0.5)
    resps = []
    for _ in range(8):
        t = text_json(g, st, 1, 4)
        if msgs:
            t = st.arr([st.msg("assistant", t)])
        if int_scores:
            s = str(rng.between(1, 10))
        else:
            s = repr(rng.between(4, 40) / 4.0)
        resps.append(st.obj([("text", t), ("score", s), ("model", '"%s"' % rng.pick(MODELS))]))
    ids, meta = extras(g, st)
    return st.obj([("prompt", prompt), ("responses", st.arr(resps))] + ids + [("metadata", meta)])


def gen_hh(g):
    st = Style(g.rng)
    rng = g.rng
    pool = g.pool
    turns = []
    for _ in range(rng.between(1, 4) - 1):
        turns.append("\\n\\nHuman: " + st.enc(rng.pick(pool.question)))
        turns.append("\\n\\nAssistant: " + st.enc(rng.pick(pool.prose if rng.chance(0.7) else pool.short)))
    turns.append("\\n\\nHuman: " + st.enc(rng.pick(pool.question)))
    turns.append("\\n\\nAssistant:")
    prefix = "".join(turns)

    def reply():
        n = rng.between(1, 3)
        return " " + "\\n\\n".join(st.enc(pool.paragraph(rng)) for _ in range(n))
    c = reply()
    r = reply()
    while r == c or c.startswith(r) or r.startswith(c):
        r = reply()
    return st.obj([("chosen", '"' + prefix + c + '"'), ("rejected", '"' + prefix + r + '"')])


SHAPES = {
    "pairs": gen_pairs,
    "scored-pairs": gen_scored_pairs,
    "labeled-pairs": gen_labeled_pairs,
    "lists": gen_lists,
    "hh": gen_hh,
}


class Gen:
    def __init__(self, seed, shape):
        # The pool gets its own stream, so pool size changes do not shift records.
        self.pool = Pool(Rng(seed * 2 + 1))
        self.rng = Rng(seed * 2 + 2)
        self.fn = SHAPES[shape]

    def record(self):
        return self.fn(self)


def parse_size(text):
    t = text.strip().upper()
    mult = 1
    if t.endswith("B"):
        t = t[:-1]
    if t and t[-1] in "KMGT":
        mult = 1024 ** ("KMGT".index(t[-1]) + 1)
        t = t[:-1]
    try:
        v = float(t)
    except ValueError:
        raise argparse.ArgumentTypeError("bad size %r (e.g. 10M, 200M, 1G)" % text)
    if v <= 0:
        raise argparse.ArgumentTypeError("size must be positive: %r" % text)
    return int(v * mult)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="gen.py",
        description="Deterministic generator of preference JSON Lines for benchmarks.")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--shape", choices=sorted(SHAPES), default="pairs",
                    help="record shape (default pairs)")
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--size", type=parse_size,
                      help="stop once at least SIZE bytes are written (K/M/G = 1024^n)")
    what.add_argument("--records", type=int, help="write exactly N records")
    ap.add_argument("-o", "--output", help="write to FILE instead of standard output")
    a = ap.parse_args(argv)
    if a.seed < 0:
        ap.error("--seed must be >= 0")
    if a.records is not None and a.records < 0:
        ap.error("--records must be >= 0")

    g = Gen(a.seed, a.shape)
    out = open(a.output, "wb") if a.output else sys.stdout.buffer
    limit = a.size if a.size is not None else None
    left = a.records if a.records is not None else -1
    total = 0
    chunk, chunk_len = [], 0
    rec = g.record
    try:
        while left != 0:
            b = (rec() + "\n").encode("utf-8")
            chunk.append(b)
            chunk_len += len(b)
            left -= 1
            if limit is not None and total + chunk_len >= limit:
                break
            if chunk_len >= 1 << 22:
                out.write(b"".join(chunk))
                total += chunk_len
                chunk, chunk_len = [], 0
        out.write(b"".join(chunk))
        out.flush()
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    finally:
        if a.output:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
