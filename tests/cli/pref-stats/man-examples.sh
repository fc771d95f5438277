# Every command of the EXAMPLES section of man/pref-stats.1, verbatim,
# and what they show checked: the figures the page says small.jsonl has,
# the audit page holding both files, and the shard sums equal to one
# pref-cat run's --stats.
ln -s "$DATA" data
{
pref-stats --score-chosen-field metadata.score_chosen \
    --score-rejected-field metadata.score_rejected data/sample-pairs.jsonl
} >report.txt
grep -E '^(records|ties|duplicates) ' report.txt
printf '%s\n' '{"prompt":"2+2?","chosen":"4","rejected":"5","score_chosen":9,"score_rejected":2}' \
    '{"prompt":"Hi","chosen":"Hello!","rejected":"Go.","score_chosen":7,"score_rejected":7}' \
    '{"prompt":"Hi","chosen":"Hello!","rejected":"Go.","score_chosen":7,"score_rejected":7}' >small.jsonl
pref-stats --json small.jsonl | jq -c '[.records, .ties, .duplicates, .distributions.gap.median]'
jq -c 'select(.score_chosen != .score_rejected)' small.jsonl >no-ties.jsonl
pref-stats --html=audit.html small.jsonl no-ties.jsonl >audit.txt
grep -E '^ +before +after|^(records|ties|duplicates) ' audit.txt
grep -o 'data-key="[a-z]*\.ties" data-value="[0-9]*"' audit.html
pref-split --shards 4 -o shard data/sample-pairs.jsonl
parallel pref-cat --stats={}.stats -o /dev/null {} ::: shard-*.jsonl
pref-stats --sum shard-*.stats
pref-cat --stats=one.stats -o /dev/null data/sample-pairs.jsonl
cat one.stats
# The figures above recomputed by stats_oracle.py (from pref-stats(1) and
# SPEC, not the C code) and the --sum counts by a Python count of lines:
python3 - <<END
import json, re, sys
sys.path.insert(0, "$CASEDIR")
import stats_oracle as oracle
def figs(w):
    return [w["records"], w["ties"], w["duplicates"]]
s = oracle.expected("data/sample-pairs.jsonl", "metadata.score_chosen",
                    "metadata.score_rejected")
rep = [int(l.split()[1]) for l in open("report.txt")
       if re.match(r"(records|ties|duplicates) ", l)]
a, b = oracle.expected("small.jsonl"), oracle.expected("no-ties.jsonl")
aud = {l.split()[0]: [int(x) for x in l.split()[1:3]] for l in open("audit.txt")
       if re.match(r"(records|ties|duplicates) ", l)}
n = sum(1 for l in open("data/sample-pairs.jsonl") if l.strip())
print("oracle: sample", rep == figs(s),
      "small", figs(a) + [a["distributions"]["gap"]["median"]] == [3, 2, 1, 0],
      "audit", [aud[k] for k in ("records", "ties", "duplicates")]
      == [list(x) for x in zip(figs(a), figs(b))],
      "one.stats", [json.load(open("one.stats"))[k] for k in ("read", "written")] == [n, n])
END
