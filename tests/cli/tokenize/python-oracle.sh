# The tokenizer (lib/tokenize.c, default GPT-2 pattern) against the same
# pattern run by Python's re with the Unicode classes spelled out from
# unicodedata (oracle.py): every prompt and response of the UltraFeedback
# sample, the Chinese LLaMA-Factory and factool samples, and hand-picked
# edge cases (Unicode spaces that PCRE2 and Python's str.isspace() see
# differently, combining marks, letter-like numbers, NUL, CRLF, emoji).
python3 - "$TESTDATA" >texts.jsonl <<'END'
import json, sys
d = sys.argv[1]
texts = []
for line in open(d + "/relabel/train_clean.jsonl", encoding="utf-8"):
    r = json.loads(line)
    texts += [r["prompt"], r["chosen"], r["rejected"]]
for r in json.load(open(d + "/convert/dpo_zh_demo.json", encoding="utf-8")):
    texts += [m["value"] for m in r["conversations"]]
    texts += [r["chosen"]["value"], r["rejected"]["value"]]
for line in open(d + "/expand/factool_chinese.jsonl", encoding="utf-8"):
    r = json.loads(line)
    texts.append(r["prompt"])
    texts += [x["response"] for x in r["responses_and_factuality"]]
texts += [
    "a\x1cb \x1c c", "a\u180eb", "a\u00a0 b\u00a0", "x\u2028y\u0085z",
    "\u00bd \u216b \u2460 x\u00b2 \u0663\u0664", "\u0939\u093f\u0928\u094d\u0926\u0940 text",
    "I'LL DON'T it's we'd", "\u0000a\u0000 b", "crlf\r\n\r\nnext\r\n",
    "\U0001F44B\U0001F3FD hi \U0001F468\u200d\U0001F469", "tab\t\tx\t",
    "caf\u00e9 cafe\u0301", "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440",
    "\u0645\u0631\u062d\u0628\u0627 123", "   ", "", "''s 's", "a  \n  b",
]
for t in texts:
    if not isinstance(t, str):
        continue
    print(json.dumps(t))
END
"$builddir/tests/unit/tokdump" <texts.jsonl >c.jsonl || echo "tokdump failed"
python3 - <<END
import json, sys
sys.path.insert(0, "$CASEDIR")
import oracle
texts = [json.loads(l) for l in open("texts.jsonl")]
got = [json.loads(l) for l in open("c.jsonl")]
want = [oracle.tokens(t) for t in texts]
bad = [i for i in range(len(texts)) if i >= len(got) or got[i] != want[i]]
for i in bad[:3]:
    print("differ:", json.dumps(texts[i])[:200])
print("texts", len(texts), "tokens", sum(map(len, want)), "differ", len(bad))
END
