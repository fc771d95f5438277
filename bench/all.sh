#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# all.sh - the whole benchmark in one run, written as Markdown to standard
# output (bench/RESULTS.md holds the last one): the machine, the ceilings
# (cat, wc -l, zstd), every command against its peers - jq, gojq, Miller
# and Python for the streaming commands (run.sh), the Python checker,
# statistics, split/dedup, CHES and pairwise baselines - with .zst input
# and output.  Takes about 30-60 minutes at the default size.
#
#   bench/all.sh [--size SIZE] [--runs N] [--bin DIR]
#
# SIZE (default 200M) is the input of every part except pref-ches (a tenth:
# its Python baseline tokenizes every response).  Not run by make check.
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
	-h|--help) sed -n '3,13p' "$0"; exit 0 ;;
	*) echo "all.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
. "$here/bindir.sh"
bench_bin all.sh pref-cat
# a tenth of SIZE for pref-ches
num=${size%[KMGkmg]}
unit=${size#"$num"}
ches_size=$((num / 10))$unit
[ "$((num / 10))" -gt 0 ] || ches_size=$size

v() { "$@" 2>&1 | head -n 1; }
echo "# prefkit benchmark results"
echo
echo "Written by \`bench/all.sh --size $size --runs $runs\` on $(date -u '+%Y-%m-%d %H:%M UTC')."
echo "Every table compares programs run one after another on the same input"
echo "in the same run; on a shared machine read the CPU seconds (user+sys)."
echo
echo "## Machine"
echo
echo "- CPU: $(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: *//'), $(nproc) cores;" \
	"SIMD: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -x 'sse4_2\|avx2\|avx512f\|avx512bw' | tr '\n' ' ')"
echo "- memory: $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); kernel $(uname -sr)"
echo "- compiler of the build: $(sed -n 's/^CC = //p' "$bin/Makefile" 2>/dev/null | head -n 1) ($(v gcc --version))"
echo "- peers: $(v jq --version), $(v gojq --version), $(v mlr --version), Python $(python3 -c 'import platform; print(platform.python_version())'), $(v zstd --version)"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- prefkit: $bin ($(git -C "$here/.." log -1 --format='%h %s' 2>/dev/null | cut -c1-72))"
echo
echo "## Ceilings, .zst and output rate"
echo
"$here/ceilings.sh" --size "$size" --runs "$runs" --bin "$bin"
echo "## Streaming commands against jq, gojq, Miller and Python"
echo
"$here/run.sh" --size "$size" --runs "$runs" --bin "$bin" | sed '1,/^$/d'
echo "## pref-check (all rules) against the Python checker"
echo
"$here/check.sh" --size "$size" --runs "$runs" --bin "$bin"
echo
echo "## pref-stats against Python"
echo
"$here/stats.sh" "$size" "$bin" "$runs"
echo
echo "## pref-split and pref-dedup against Python and shell recipes"
echo
"$here/split-dedup.sh" --size "$size" --runs "$runs" --bin "$bin"
echo
echo "## pref-ches (lexical, inline, npy)"
echo
"$here/ches.sh" --size "$ches_size" --runs "$runs" --bin "$bin"
echo
echo "## pref-convert --from pairwise against pref-cat"
echo
"$here/pairwise.sh" "$size" "$bin" "$runs"
echo
echo "## The parallel engine: -j 1 against -j 2"
echo
"$here/threads.sh" --size "$size" --runs "$runs" --bin "$bin"
echo
echo "_load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)_"
