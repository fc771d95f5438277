#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/check.sh: pref-check with every rule against the Python stdlib
# checker bench/py/check.py (the same rules), on one generated input, in the
# same run; the per-rule counts of the two must agree.  See bench/README.md.
#
#   bench/check.sh [--size SIZE] [--shape pairs|lists] [--runs N] [--bin DIR]
#
# Prints one Markdown table: wall, user and system seconds, MB/s and the
# speedup over Python (wall and CPU).  Exit 1 when the counts differ or a
# command fails (pref-check's own exit 1 for violations is expected).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
size=1G shape=pairs runs=1 bin= seed=1
cache=${PREFKIT_BENCH_CACHE:-${TMPDIR:-/tmp}/prefkit-bench}
while [ $# -gt 0 ]; do
	case $1 in
	--size) size=$2; shift 2 ;;
	--shape) shape=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--bin) bin=$2; shift 2 ;;
	-h|--help) sed -n 3,12p "$0"; exit 0 ;;
	*) echo "bench/check.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
if [ -z "$bin" ]; then
	for d in "$here/.." "$here/../_build" "$here/../build"; do
		[ -x "$d/pref-check" ] && { bin=$(cd "$d" && pwd); break; }
	done
fi
[ -x "$bin/pref-check" ] || { echo "bench/check.sh: no pref-check (use --bin)" >&2; exit 2; }
PY=${PYTHON:-python3}
mkdir -p "$cache"
in="$cache/$shape-$size-s$seed.jsonl"
[ -s "$in" ] || "$PY" "$here/gen.py" --seed "$seed" --size "$size" --shape "$shape" -o "$in"
against="$cache/check-against-$shape-s$seed.jsonl"
# a "test split": the first 2000 records, and 2000 of another seed
{ head -n 2000 "$in"; "$PY" "$here/gen.py" --seed $((seed + 1)) --records 2000 --shape "$shape"; } >"$against"
work=$(mktemp -d "${TMPDIR:-/tmp}/check-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
rules=(--scale 1:10 --against "$against" --leak-ngram 13
       --deny-regex '(?i)\bas an ai\b' --max-chars 20000)
bytes=$(stat -c %s "$in")
recs=$(wc -l <"$in")
t_pk=$("$PY" "$here/timeit.py" --runs "$runs" -- sh -c \
	'"$0" "$@"; [ $? -le 1 ]' "$bin/pref-check" "${rules[@]}" --json="$work/pk.json" "$in")
t_py=$("$PY" "$here/timeit.py" --runs "$runs" -- sh -c \
	'"$0" "$@"; [ $? -le 1 ]' "$PY" "$here/py/check.py" "${rules[@]}" --counts "$work/py.json" "$in")
"$PY" - "$work/pk.json" "$work/py.json" <<'PY' || { echo "bench/check.sh: counts differ" >&2; exit 1; }
import json, sys
pk = json.load(open(sys.argv[1]))
pk = {r: v["violations"] for r, v in pk["rules"].items() if v["level"] != "off"}
py = json.load(open(sys.argv[2]))
print("counts (pref-check = Python):", ", ".join("%s %d" % kv for kv in sorted(pk.items())))
sys.exit(pk != py)
PY
printf '\n##### check (%s input: %.1f MB, %d records; best of %d)\n\n' "$shape" \
	"$(echo "$bytes / 1000000" | bc -l)" "$recs" "$runs"
echo "| command | wall s | user s | sys s | MB/s | × Python (wall) | × Python (CPU) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
set -- $t_py; pw=$1 pu=$2 ps=$3
for row in "pref-check:$t_pk" "python check.py:$t_py"; do
	name=${row%%:*}; set -- ${row#*:}
	awk -v n="$name" -v w="$1" -v u="$2" -v s="$3" -v b="$bytes" -v pw="$pw" -v pc="$(echo "$pu + $ps" | bc -l)" \
		'BEGIN { printf "| %s | %.2f | %.2f | %.2f | %.0f | %.1f | %.1f |\n", n, w, u, s, b / w / 1e6, pw / w, pc / (u + s) }'
done
