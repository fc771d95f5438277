#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ceilings.sh - what the machine itself costs, next to pref-cat, on one
# generated pairs input, in the same run: reading it (cat, wc -l), and the
# zstd costs the .zst paths cannot beat (zstd -dc, zstd -3 -c); pref-cat on
# the plain file, on its .zst (goal: >= 95% of zstd -dc's speed), writing
# .zst (-z), and pref-expand --pairs all measured in output bytes per
# second against pref-cat's (issue 16 items 3 and 4).
#
#   bench/ceilings.sh [--size SIZE] [--runs N] [--bin DIR]
#
# Prints Markdown tables; best of --runs (default 3).  Not run by make check.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
size=200M
runs=3
bin=
while [ $# -gt 0 ]; do
	case $1 in
	--size) size=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--bin) bin=$2; shift 2 ;;
	-h|--help) sed -n '3,12p' "$0"; exit 0 ;;
	*) echo "ceilings.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
. "$here/bindir.sh"
bench_bin ceilings.sh pref-cat
command -v zstd >/dev/null 2>&1 || { echo "ceilings.sh: zstd(1) is needed (Debian: apt-get install zstd)" >&2; exit 2; }
py=${PYTHON:-python3}
cache=${PREFKIT_BENCH_CACHE:-${TMPDIR:-/tmp}/prefkit-bench}
mkdir -p "$cache"
pairs=$cache/ceil-pairs-$size.jsonl
lists=$cache/ceil-lists-$size.jsonl
[ -s "$pairs" ] || "$py" "$here/gen.py" --shape pairs --size "$size" -o "$pairs"
[ -s "$lists" ] || "$py" "$here/gen.py" --shape lists --size "$size" -o "$lists"
[ -s "$pairs.zst" ] || zstd -q -3 -f "$pairs" -o "$pairs.zst"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/prefkit-ceil.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cat "$pairs" "$pairs.zst" "$lists" >/dev/null

# t LABEL CMD...: one table row "label<TAB>wall<TAB>cpu"
rows=$tmp/rows
: >"$rows"
t() {
	label=$1
	shift
	read -r wall user sys _ <<EOF
$("$py" "$here/timeit.py" --runs "$runs" -- "$@")
EOF
	printf '%s\t%s\t%s\n' "$label" "$wall" "$(echo "$user $sys" | awk '{ printf "%.3f", $1 + $2 }')" >>"$rows"
}
bytes=$(wc -c <"$pairs")
zbytes=$(wc -c <"$pairs.zst")
t "cat FILE" cat "$pairs"
t "wc -l FILE" wc -l "$pairs"
t "pref-cat FILE" "$bin/pref-cat" "$pairs"
t "zstd -dc FILE.zst" zstd -dc "$pairs.zst"
t "pref-cat FILE.zst" "$bin/pref-cat" "$pairs.zst"
t "zstd -3 -c FILE" zstd -3 -c -q "$pairs"
t "pref-cat -z FILE" "$bin/pref-cat" -z "$pairs"

echo "### Ceilings (pairs input: $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, .zst $(awk -v b="$zbytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB at level 3; best of $runs)"
echo
echo "| command | wall s | user+sys s | MB/s of JSONL |"
echo "|---|--:|--:|--:|"
awk -F '\t' -v b="$bytes" '{ printf "| `%s` | %.3f | %.3f | %.0f |\n", $1, $2, $3, b / $2 / 1e6 }' "$rows"
echo
awk -F '\t' '{ w[$1] = $2 }
END {
	printf "pref-cat on .zst: %.0f%% of zstd -dc'"'"'s speed (goal >= 95%%: %s); ", 100 * w["zstd -dc FILE.zst"] / w["pref-cat FILE.zst"], (w["zstd -dc FILE.zst"] / w["pref-cat FILE.zst"] >= 0.95 ? "met" : "missed")
	printf "pref-cat on the plain file: %.1fx the time of cat, %.1fx that of wc -l.\n\n", w["pref-cat FILE"] / w["cat FILE"], w["pref-cat FILE"] / w["wc -l FILE"]
}' "$rows"

# pref-expand --pairs all writes about 26 pairs per list: its speed in
# output bytes, against pref-cat's (whose output is its input)
out=$(wc -c < <("$bin/pref-expand" --pairs all "$lists"))
lbytes=$(wc -c <"$lists")
: >"$rows"
t "pref-cat LISTS" "$bin/pref-cat" "$lists"
t "pref-expand --pairs all LISTS" "$bin/pref-expand" --pairs all "$lists"
echo "### Output bytes per second (lists input: $(awk -v b="$lbytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB; pref-expand writes $(awk -v b="$out" 'BEGIN { printf "%.1f", b / 1e6 }') MB)"
echo
echo "| command | wall s | user+sys s | MB/s in | MB/s out |"
echo "|---|--:|--:|--:|--:|"
awk -F '\t' -v i="$lbytes" -v o="$out" '{ ob = NR == 1 ? i : o
	printf "| `%s` | %.3f | %.3f | %.0f | %.0f |\n", $1, $2, $3, i / $2 / 1e6, ob / $2 / 1e6 }' "$rows"
echo
