#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# split-dedup.sh - pref-split and pref-dedup next to a Python stdlib
# equivalent (py/split.py, py/dedup.py) and sort/awk shell recipes, on the
# same generated input, in the same run (issue 14).  Figures: best of
# --runs wall time, CPU time (user + sys), MB/s of input, peak RSS (GNU
# time), and the speed-up over Python in CPU time (the fair figure on a
# busy machine).  Not run by make check.
#
#   bench/split-dedup.sh [--size 200M] [--runs 3] [--bin DIR]
#
# Input: bench/gen.py --shape pairs --size SIZE, then its first half again
# (a third of the records are repeats) for the dedup rows.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
size=200M runs=3 bin=
while [ $# -gt 0 ]; do
	case $1 in
	--size) size=$2; shift ;;
	--runs) runs=$2; shift ;;
	--bin) bin=$2; shift ;;
	-h|--help) sed -n '3,13p' "$0"; exit 0 ;;
	*) echo "split-dedup.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "$bin" ]; then
	for d in "$here/.." "$here/../_build" "$here/../build"; do
		[ -x "$d/pref-dedup" ] && { bin=$(cd "$d" && pwd); break; }
	done
fi
[ -x "$bin/pref-split" ] && [ -x "$bin/pref-dedup" ] || { echo "split-dedup.sh: no pref-split/pref-dedup (--bin DIR)" >&2; exit 2; }
py=${PYTHON:-python3}
cache=${PREFKIT_BENCH_CACHE:-${TMPDIR:-/tmp}/prefkit-bench}
mkdir -p "$cache"
genkey=$(cksum <"$here/gen.py" | cut -d' ' -f1)
in=$cache/pairs-$size-s1-g$genkey.jsonl
[ -s "$in" ] || "$py" "$here/gen.py" --shape pairs --size "$size" --seed 1 -o "$in"
dup=$cache/pairs-$size-s1-g$genkey-dup.jsonl
if [ ! -s "$dup" ]; then
	n=$(wc -l <"$in")
	{ cat "$in"; head -n $((n / 2)) "$in"; } >"$dup"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/prefkit-bench-split.XXXXXX")
trap 'rm -rf "$work"' EXIT

# row NAME INPUT CMD...: time CMD (output to /dev/null or into $work)
pyfirst=
row() {
	local name=$1 input=$2 mb line wall user sys rss cpu
	shift 2
	cat "$input" >/dev/null
	line=$(cd "$work" && "$py" "$here/timeit.py" --runs "$runs" -- "$@")
	read -r wall user sys rss <<<"$line"
	mb=$(stat -c %s "$input")
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	case $name in
	*Python*) pycpu=$cpu pywall=$wall ;;
	esac
	printf '| %s | %.2f | %s | %.0f | %.1f |%s%s\n' "$name" "$wall" "$cpu" \
		"$(awk -v b="$mb" -v w="$wall" 'BEGIN { print b / 1048576 / w }')" \
		"$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$(ratio "$cpu" "$pycpu")" \
		"$(ratio "$(printf %.2f "$wall")" "$pywall")"
	rm -rf "${work:?}"/*
}
ratio() {	# ratio TIME PYTHON_TIME
	if [ -n "${2:-}" ] && [ "$1" != 0.00 ]; then
		awk -v p="$2" -v c="$1" 'BEGIN { printf " %.1f× |", p / c }'
	else
		echo " |"
	fi
}

echo "- input: bench/gen.py --shape pairs --size $size ($(wc -l <"$in") records, $(du -h "$in" | cut -f1)); dedup input: it plus its first half again ($(wc -l <"$dup") records)"
echo "- best of $runs runs; load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $("$py" -V)"
echo
echo "| command | wall s | CPU s | MB/s | peak RSS MiB | CPU speed-up over Python | wall speed-up over Python |"
echo "|---|---|---|---|---|---|---|"
pycpu= pywall=
row "Python stdlib: py/split.py --test 0.1" "$in" "$py" "$here/py/split.py" --test 0.1 p "$in"
row "pref-split --test 0.1" "$in" "$bin/pref-split" --test 0.1 -o p "$in"
row "pref-split --test 0.1 -z" "$in" "$bin/pref-split" --test 0.1 -z -o p "$in"
pycpu= pywall=
row "Python stdlib: py/split.py --shards 8" "$in" "$py" "$here/py/split.py" --shards 8 s "$in"
row "pref-split --shards 8" "$in" "$bin/pref-split" --shards 8 -o s "$in"
row "split -n l/8 (by position: not grouped, not stable)" "$in" split -n l/8 "$in" s
pycpu= pywall=
row "Python stdlib: py/dedup.py" "$dup" "$py" "$here/py/dedup.py" "$dup"
row "pref-dedup" "$dup" "$bin/pref-dedup" "$dup"
row "pref-dedup --memory 256K (keys and records spilled)" "$dup" "$bin/pref-dedup" --memory 256K --tmpdir . "$dup"
row "awk '!seen[\$0]++' (whole lines)" "$dup" awk '!seen[$0]++' "$dup"
row "sort -u (whole lines, input order lost)" "$dup" sort -u -S 512M "$dup"
row "sort \\| uniq (whole lines, input order lost)" "$dup" sh -c 'sort -S 512M "$1" | uniq' sh "$dup"
