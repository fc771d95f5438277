#!/bin/sh
# SPDX-License-Identifier: MIT
# stats.sh - pref-stats against its Python stdlib baseline (py/stats.py),
# in the same run, on the same generated pairs (gen.py --shape pairs).
#
#   bench/stats.sh [SIZE [BINDIR [RUNS]]]   (default 200M, ../_build, 3)
#
# Prints a Markdown table: wall and CPU seconds, MB/s, and the speed-up
# over Python in wall and in CPU time, for one thread (-j1) and two (-j2).
# The figures go into bench/README.md by hand (section pref-stats).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
size=${1:-200M}
bin=${2:-$here/../_build}
runs=${3:-3}
cache=${PREFKIT_BENCH_CACHE:-${TMPDIR:-/tmp}/prefkit-bench}
mkdir -p "$cache"
in=$cache/stats-pairs-$size.jsonl
[ -s "$in" ] || python3 "$here/gen.py" --shape pairs --size "$size" --seed 1 >"$in"
bytes=$(wc -c <"$in")
cat "$in" >/dev/null
echo "| command | wall s | user+sys s | MB/s | vs Python (wall) | vs Python (CPU) |"
echo "|---|---|---|---|---|---|"
py=$(python3 "$here/timeit.py" --runs 1 -- python3 "$here/py/stats.py" "$in")
set -- $py
pw=$1 pc=$(echo "$2 $3" | awk '{print $1 + $2}')
for cmd in "pref-stats -j1" "pref-stats -j2" "pref-stats --json -j1" \
	"pref-stats --json -j2" "pref-stats --memory=64M -j1"; do
	set -- $(python3 "$here/timeit.py" --runs "$runs" -- $bin/$cmd "$in")
	echo "$1 $2 $3" | awk -v c="$cmd" -v b="$bytes" -v pw="$pw" -v pc="$pc" \
		'{printf "| `%s` | %.2f | %.2f | %.0f | %.1fx | %.1fx |\n", c, $1, $2 + $3, b / $1 / 1e6, pw / $1, pc / ($2 + $3)}'
done
set -- $py
echo "$1 $2 $3" | awk -v b="$bytes" \
	'{printf "| `python3 py/stats.py` | %.2f | %.2f | %.1f | 1x | 1x |\n", $1, $2 + $3, b / $1 / 1e6}'
echo
echo "input: $(basename "$in"), $bytes bytes; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
