# The text report says what --json says: every counter row, rate and
# distribution row (n, min, quartiles, max, mean written as the report
# writes figures, and the histogram drawn from --json's bin counts:
# height ceil(8 c / top) in Unicode blocks, or ASCII under --ascii), for
# one file and for two side by side with their changes (after = the
# sample without its ties, one pair twice and one line that is not JSON,
# skipped).
f=$TESTDATA/relabel/train_clean.jsonl
o="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
python3 - "$f" <<'END' >after.jsonl
import json, sys
lines = [l for l in open(sys.argv[1]) if json.loads(l)["metadata"]["score_chosen"] != json.loads(l)["metadata"]["score_rejected"]]
sys.stdout.write("".join(lines) + lines[0] + "{not json\n")
END
LC_ALL=C.UTF-8 pref-stats $o "$f" >one.txt
pref-stats $o --json "$f" >one.json
LC_ALL=C.UTF-8 pref-stats $o --ascii --on-error=skip "$f" after.jsonl >two.txt
pref-stats $o --json --on-error=skip "$f" after.jsonl >two.json
python3 - <<END
import json, sys
sys.path.insert(0, "$CASEDIR")
exec(open("$CASEDIR/report-lib.py").read())
bad = []
def row(lines, label):
    for l in lines:
        if l.split()[:1] == [label] or l.startswith(label + " "):
            return l.split()[1:]
    bad.append("no row " + label)
    return []
one = json.load(open("one.json"))
lines = open("one.txt", encoding="utf-8").read().split("\n")
counters = ["read", "records", "bad", "blank", "pairs", "lists", "other", "scored_pairs",
            "ties", "misordered", "scores_invalid", "lists_invalid", "list_ties",
            "texts_invalid", "duplicates"]
for k in counters:
    if row(lines, k) != [str(one[k])]:
        bad.append(k)
if row(lines, "tie_rate") != [pct(one["ties"], one["scored_pairs"])]:
    bad.append("tie_rate")
n = 0
for k, d in one["distributions"].items():
    if d["n"]:
        n += 1
        if row_cells([l for l in lines if l.startswith(k + " ")][0]) != dist_cells(d, BLOCKS):
            bad.append(k)
two = json.load(open("two.json"))
b, a = two["before"], two["after"]
lines = open("two.txt", encoding="utf-8").read().split("\n")
for k in counters:
    if row(lines, k) != [str(b[k]), str(a[k]), ("+" if a[k] > b[k] else "") + display(a[k] - b[k])] \
            or two["diff"][k] != a[k] - b[k]:
        bad.append("two " + k)
for k in a["distributions"]:
    if a["distributions"][k]["n"] == 0:
        continue
    i = lines.index(k)
    if lines[i + 1].split()[0] != "before" or lines[i + 2].split()[0] != "after" or \
       row_cells(lines[i + 1]) != dist_cells(b["distributions"][k], ASCII) or \
       row_cells(lines[i + 2]) != dist_cells(a["distributions"][k], ASCII):
        bad.append("two " + k)
print("one: %d distributions; two: before %d records, after %d (%d bad, %d ties, %d duplicates)" %
      (n, b["records"], a["records"], a["bad"], a["ties"], a["duplicates"]))
print("rows that differ from --json:", bad)
print("two.txt is ASCII:", all(ord(ch) < 128 for ch in open("two.txt", encoding="utf-8").read()))
END
