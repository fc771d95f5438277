#!/bin/sh
# SPDX-License-Identifier: MIT
# pairwise.sh - pref-convert --from pairwise against pref-cat on the same
# input (issue 12: within 1.5x of pref-cat), in the same run.
#
#   bench/pairwise.sh [SIZE|FILE [BINDIR [RUNS]]]   (default 200M, ../_build, 5)
#
# The input: gen.py's pairs of SIZE (or the pairs of FILE, e.g. real data)
# turned into one judgement per record
# (response_a, response_b, label 1 or 2, A and B drawn by a seeded coin),
# its other members kept (implicit-prompt pairs left out).  Before timing, the conversion is checked
# against the pairs it came from (prompt, chosen, rejected of every
# record, in order).  Prints a Markdown table: best-of-RUNS wall and CPU
# seconds, MB/s, and the ratio to pref-cat; figures go into bench/README.md
# by hand.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
size=${1:-200M}
bin=${2:-$here/../_build}
runs=${3:-5}
cache=${PREFKIT_BENCH_CACHE:-${TMPDIR:-/tmp}/prefkit-bench}
mkdir -p "$cache"
if [ -f "$size" ]; then
	pairs=$size
	in=$cache/pairwise-$(basename "$size")
else
	pairs=$cache/pairwise-src-$size.jsonl
	in=$cache/pairwise-$size.jsonl
	[ -s "$pairs" ] || python3 "$here/gen.py" --shape pairs --size "$size" --seed 1 >"$pairs"
fi
[ -s "$in" ] || python3 - "$pairs" "$in" <<'PY'
import json, random, sys
rng = random.Random(1)
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in src:
        r = json.loads(line)
        if "prompt" not in r:
            continue  # implicit-prompt pairs: their prompt is in the responses
        c, j = r.pop("chosen"), r.pop("rejected")
        a_wins = rng.random() < 0.5
        rec = {"prompt": r.pop("prompt"), "response_a": c if a_wins else j,
               "response_b": j if a_wins else c, "label": 1 if a_wins else 2}
        rec.update(r)
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
PY
convert="$bin/pref-convert --from pairwise --a-wins 1 --b-wins 2"
$convert "$in" | python3 -c '
import json, sys
want = ((r["prompt"], r["chosen"], r["rejected"]) for r in map(json.loads, open(sys.argv[1], encoding="utf-8")) if "prompt" in r)
got = ((r["prompt"], r["chosen"], r["rejected"]) for r in map(json.loads, sys.stdin))
n = 0
for w, g in zip(want, got):
    if w != g:
        sys.exit("pairwise.sh: record %d differs from its source pair" % (n + 1))
    n += 1
if next(want, None) is not None or next(got, None) is not None:
    sys.exit("pairwise.sh: %d records agree, then one side has more" % n)
print("checked: %d records, each the pair it came from" % n, file=sys.stderr)' "$pairs"
bytes=$(wc -c <"$in")
cat "$in" >/dev/null
echo "| command | wall s | user+sys s | MB/s | CPU vs pref-cat |"
echo "|---|---|---|---|---|"
set -- $(python3 "$here/timeit.py" --runs "$runs" -- "$bin/pref-cat" "$in")
cat_cpu=$(echo "$2 $3" | awk '{print $1 + $2}')
echo "$1 $2 $3" | awk -v b="$bytes" \
	'{printf "| `pref-cat` | %.2f | %.2f | %.0f | 1x |\n", $1, $2 + $3, b / $1 / 1e6}'
set -- $(python3 "$here/timeit.py" --runs "$runs" -- $convert "$in")
echo "$1 $2 $3" | awk -v b="$bytes" -v c="$cat_cpu" \
	'{printf "| `pref-convert --from pairwise --a-wins 1 --b-wins 2` | %.2f | %.2f | %.0f | %.2fx |\n", $1, $2 + $3, b / $1 / 1e6, ($2 + $3) / c}'
echo
echo "input: $(basename "$in"), $bytes bytes; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
