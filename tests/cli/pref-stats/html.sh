# --html writes one self-contained page (no script, no external file: no
# src or href attribute, no url()) whose figures are --json's: the page is
# parsed back with html.parser, every element carrying a figure
# (data-key, data-value) is checked against --json (the cell's text as the
# report writes figures), and every counter, rate, format, field count,
# distribution figure and histogram bin of --json is on the page.  For one
# file and for two side by side (before, after and the change).
f=$TESTDATA/relabel/train_clean.jsonl
o="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["metadata"]["score_chosen"] - r["metadata"]["score_rejected"] >= 1:
        print(l, end="")' "$f" >after.jsonl
pref-stats $o --json --html=one.html "$f" >one.json
pref-stats $o --json --html=two.html "$f" after.jsonl >two.json
python3 - <<END
import json, sys
from html.parser import HTMLParser
exec(open("$CASEDIR/report-lib.py").read())

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figs, self.cur, self.bad, self.tags = {}, None, [], set()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        for k, v in attrs:
            if k in ("src", "href") or (v and "url(" in v):
                self.bad.append("external: %s %s" % (tag, k))
        if "data-key" in a:
            self.cur = [a["data-key"], a["data-value"], "", tag]
            self.figs[a["data-key"]] = self.cur
    def handle_endtag(self, tag):
        if self.cur and tag == self.cur[3]:
            self.cur = None
    def handle_data(self, data):
        if self.cur:
            self.cur[2] += data

def flat(d, prefix=""):
    """The figures of --json as data-key names."""
    out = {}
    for k in ["read", "records", "bad", "blank", "pairs", "lists", "other", "scored_pairs", "ties",
              "misordered", "scores_invalid", "lists_invalid", "list_ties", "texts_invalid",
              "duplicates", "tie_rate", "duplicate_rate"]:
        if d[k] is not None:
            out[prefix + k] = d[k]
    for k, v in d["formats"].items():
        out[prefix + "formats." + k] = v
    for i, (k, v) in enumerate(d["fields"].items()):
        out[prefix + "fields#%d.count" % i] = v["count"]
    for k, v in d["distributions"].items():
        if v["n"]:
            for f in ("n", "min", "q1", "median", "q3", "max", "mean"):
                out[prefix + "distributions.%s.%s" % (k, f)] = v[f]
            for i, c in enumerate(v["histogram"]["counts"]):
                out[prefix + "distributions.%s.bins.%d" % (k, i)] = c
    return out

for page, js in (("one.html", "one.json"), ("two.html", "two.json")):
    p = Page()
    p.feed(open(page, encoding="utf-8").read())
    j = json.load(open(js))
    want = flat(j) if "before" not in j else dict(
        flat(j["before"], "before."), **flat(j["after"], "after."),
        **{"diff." + k: v for k, v in j["diff"].items()})
    bad = list(p.bad)
    if "script" in p.tags or "svg" not in p.tags:
        bad.append("tags")
    for k, v in want.items():
        if k not in p.figs:
            bad.append("missing " + k)
        elif float(p.figs[k][1]) != v:
            bad.append("value %s %s != %r" % (k, p.figs[k][1], v))
        elif p.figs[k][3] == "td" and p.figs[k][2] != display(v):
            bad.append("text %s %r != %r" % (k, p.figs[k][2], display(v)))
    extra = set(p.figs) - set(want)
    print(page, "figures", len(want), "problems", len(bad), "extra", sorted(extra)[:5])
    for b in bad[:10]:
        print(b)
END
