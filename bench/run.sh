#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/run.sh: time prefkit commands against jq, gojq, Miller and Python stdlib
# baselines on the same generated input, in the same run.  See bench/README.md.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prog=bench/run.sh

usage() {
	cat <<EOF
Usage: $prog [OPTION]...
Time prefkit commands against equivalent jq, gojq, Miller and Python baselines on
the same generated input, and print one Markdown table per command.

  --size SIZE         input size per command (K/M/G = 1024^n; default 200M)
  --bin DIR           directory holding the pref-* binaries (default: the
                      first of .., ../build, ../_build relative to bench/
                      that holds pref-cat, else pref-cat on PATH)
  --tools LIST        comma-separated, from cat,relabel,flip,expand,convert,
                      curriculum (default: all)
  --baselines LIST    comma-separated, from jq,gojq,mlr,py (default: all)
  --runs N            best of N runs per command (default 3)
  --seed N            generator seed (default 1)
  --nice N            run the timed commands under nice -n N (e.g. -10 as
                      root, to keep other work on a busy machine from
                      skewing wall times)
  --cache DIR         where generated inputs are kept (default
                      \$PREFKIT_BENCH_CACHE, else \$TMPDIR/prefkit-bench,
                      else /tmp/prefkit-bench)
  --no-prefkit        time the baselines only
  --verify            before timing, check on a small input (--verify-size,
                      default 10M) that every command's output equals the
                      Python baseline's (as parsed JSON; group_id ignored)
  --verify-only       only that check
  --rss-check         run pref-cat on a 1G pairs file (--rss-size) and check
                      its peak RSS is below 32 MiB
  -h, --help          this help

Environment: PYTHON (default python3); PREFKIT_BENCH_ARGS_<tool> replaces
the options given to a prefkit command (e.g. PREFKIT_BENCH_ARGS_convert='--from hh').
Exit status: 0 done; 1 a command failed, an output differed or a goal of
--rss-check was missed; 2 usage error or a required tool is missing.
EOF
}

die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 2; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

size=200M
runs=3
seed=1
tools=cat,relabel,flip,expand,convert,curriculum
baselines=jq,gojq,mlr,py
bin=
cache=${PREFKIT_BENCH_CACHE:-${TMPDIR:-/tmp}/prefkit-bench}
no_prefkit=0
verify=0
verify_only=0
verify_size=10M
rss_check=0
rss_size=1G
rss_goal_mib=32
nice=

while [ $# -gt 0 ]; do
	opt=$1
	case $opt in
	--*=*) val=${opt#*=}; opt=${opt%%=*}; shift; set -- "$opt" "$val" "$@" ;;
	esac
	case $1 in
	--size|--bin|--tools|--baselines|--runs|--seed|--cache|--verify-size|--rss-size|--nice)
		[ $# -ge 2 ] || die "option $1 needs an argument (try --help)"
		case $1 in
		--size) size=$2 ;;
		--bin) bin=$2 ;;
		--tools) tools=$2 ;;
		--baselines) baselines=$2 ;;
		--runs) runs=$2 ;;
		--seed) seed=$2 ;;
		--cache) cache=$2 ;;
		--verify-size) verify_size=$2 ;;
		--rss-size) rss_size=$2 ;;
		--nice) nice=$2 ;;
		esac
		shift 2 ;;
	--no-prefkit) no_prefkit=1; shift ;;
	--verify) verify=1; shift ;;
	--verify-only) verify=1; verify_only=1; shift ;;
	--rss-check) rss_check=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) printf '%s: unknown option %s\n' "$prog" "$1" >&2; usage >&2; exit 2 ;;
	esac
done

case $runs in ''|*[!0-9]*|0) die "--runs must be a positive integer: $runs" ;; esac
case $seed in ''|*[!0-9]*) die "--seed must be a non-negative integer: $seed" ;; esac
if [ -n "$nice" ]; then
	case ${nice#-} in ''|*[!0-9]*) die "--nice must be an integer: $nice" ;; esac
	nice -n "$nice" true 2>/dev/null || die "cannot run nice -n $nice (negative values need root)"
fi
niceprefix=${nice:+nice -n $nice}
for s in "$size" "$verify_size" "$rss_size"; do
	case $s in ''|*[!0-9KMGkmg]*|[!0-9]*) die "bad size '$s' (e.g. 10M, 200M, 1G)" ;; esac
done
all_tools=" cat relabel flip expand convert curriculum "
tools=$(printf '%s' "$tools" | tr ',' ' ')
for t in $tools; do
	case $all_tools in *" $t "*) ;; *) die "unknown tool '$t' (cat, relabel, flip, expand, convert, curriculum)" ;; esac
done
baselines=$(printf '%s' "$baselines" | tr ',' ' ')
for b in $baselines; do
	case $b in jq|gojq|mlr|py) ;; *) die "unknown baseline '$b' (jq, gojq, mlr, py)" ;; esac
done

# --- tools ----------------------------------------------------------------

PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found: Python 3.8 or newer is needed (Debian: apt-get install python3)"
# The real interpreter, not a wrapper (pyenv shims add ~50 ms per start).
py=$("$PYTHON" -c 'import sys
if sys.version_info < (3, 8): sys.exit("Python 3.8 or newer is needed")
print(sys.executable)') || die "cannot use $PYTHON"
[ -x "$py" ] || die "cannot find the Python interpreter behind $PYTHON"
pyver=$("$py" -c 'import platform; print(platform.python_version())')

timeit() { "$py" "$here/timeit.py" "$@"; }

if [ ! -x /usr/bin/time ] || ! /usr/bin/time --version 2>&1 | grep -q GNU; then
	if [ "$rss_check" = 1 ]; then
		die "--rss-check needs GNU time at /usr/bin/time (Debian: apt-get install time)"
	fi
	note "GNU time (/usr/bin/time) not found: peak RSS will show as n/a (Debian: apt-get install time)"
fi

have_jq=0 have_gojq=0 have_mlr=0 have_py=0 jqs=
for b in $baselines; do
	case $b in
	jq) if command -v jq >/dev/null 2>&1; then have_jq=1; jqs="$jqs jq"; else note "jq not found: jq baseline skipped (Debian: apt-get install jq)"; fi ;;
	gojq) if command -v gojq >/dev/null 2>&1; then have_gojq=1; jqs="$jqs gojq"; else note "gojq not found: gojq baseline skipped (Debian: apt-get install gojq)"; fi ;;
	mlr) if command -v mlr >/dev/null 2>&1; then have_mlr=1; else note "mlr not found: Miller baseline skipped (Debian: apt-get install miller)"; fi ;;
	py) have_py=1 ;;
	esac
done

if [ -n "$bin" ]; then
	[ -d "$bin" ] || die "--bin $bin: no such directory"
	bin=$(cd "$bin" && pwd)
else
	for d in "$here/.." "$here/../build" "$here/../_build"; do
		if [ -x "$d/pref-cat" ]; then bin=$(cd "$d" && pwd); break; fi
	done
	if [ -z "$bin" ] && p=$(command -v pref-cat 2>/dev/null); then
		bin=$(cd "$(dirname "$p")" && pwd)
	fi
	[ -n "$bin" ] || bin=$(cd "$here/.." && pwd)
fi

# --- per-command definitions -----------------------------------------------

tool_shape() {
	case $1 in
	cat|relabel) echo pairs ;;
	flip) echo labeled-pairs ;;
	expand|curriculum) echo lists ;;
	convert) echo hh ;;
	esac
}

tool_args() {		# options given to pref-$1 (SPEC 3.x defaults otherwise)
	v='unset'
	eval "v=\${PREFKIT_BENCH_ARGS_$1-unset}"
	if [ "$v" != unset ]; then printf '%s' "$v"; return; fi
	case $1 in
	expand) echo "--pairs all" ;;
	convert) echo "--from hh" ;;
	# order fixed by the data (no seeded shuffle: the baselines lack XXH3);
	# memory a tenth of the default input, so the sort spills
	curriculum) echo "--within gap --memory 20M" ;;
	*) echo "" ;;
	esac
}

prefkit_cmd() {		# prints the path of pref-$1, or fails
	[ "$no_prefkit" = 0 ] && [ -x "$bin/pref-$1" ] && printf '%s' "$bin/pref-$1"
}

curriculum_memory() {	# the --memory given to pref-curriculum
	printf '%s\n' "$(tool_args curriculum)" |
		sed -n 's/.*--memory[= ]\([0-9]*[KMGkmg]\{0,1\}\).*/\1/p' | grep . || echo 512M
}

# run_cmds TOOL FILE: calls "each KIND LABEL CMD..." for every command to compare
run_cmds() {
	t=$1 f=$2
	if pk=$(prefkit_cmd "$t"); then
		a=$(tool_args "$t")
		case $t in relabel|flip)
			# with the pass-through ceiling, pref-cat on the same input
			if [ "$timing" = 1 ] && ceiling=$(prefkit_cmd cat); then
				# shellcheck disable=SC2086
				bench_with_ceiling "pref-$t${a:+ $a}" "$ceiling" "$f" "$pk" $a "$f"
				pk=
			fi ;;
		esac
		# shellcheck disable=SC2086
		[ -n "$pk" ] && each prefkit "pref-$t${a:+ $a}" "$pk" $a "$f"
	fi
	# jq and gojq (Go's jq, Debian gojq) run the same jq programs
	for j in $jqs; do
		if [ "$t" = curriculum ]; then
			# the whole file in memory (-n + inputs), and jq + sort(1)
			# on extracted keys (bounded memory, like prefkit: spills
			# to $TMPDIR)
			each baseline "$j -f jq/curriculum.jq" "$j" -cn -L "$here/jq" -f "$here/jq/curriculum.jq" "$f"
			each baseline "$j -f jq/curriculum-keys.jq | sort | cut" sh -c \
				'"$4" -c -r -L "$1/jq" -f "$1/jq/curriculum-keys.jq" "$2" |
				 LC_ALL=C sort -s -t "$(printf "\t")" -k1,1n -k2,2gr -S "$3" | cut -f3-' \
				sh "$here" "$f" "$(curriculum_memory)" "$j"
		elif [ "$t" = cat ]; then
			each baseline "$j -c ." "$j" -c . "$f"
		else
			each baseline "$j -f jq/$t.jq" "$j" -c -L "$here/jq" -f "$here/jq/$t.jq" "$f"
		fi
	done
	if [ "$have_mlr" = 1 ] && [ "$t" = cat ]; then
		each baseline "mlr --ijsonl --ojsonl cat" mlr --ijsonl --ojsonl cat "$f"
	elif [ "$have_mlr" = 1 ] && [ -f "$here/mlr/$t.mlr" ]; then
		# put -q: the script emits what it writes (relabel: two records)
		q=
		[ "$t" = relabel ] && q=-q
		# shellcheck disable=SC2086
		each baseline "mlr -f mlr/$t.mlr" mlr --ijsonl --ojsonl put $q \
			-f "$here/mlr/pairs.mlr" -f "$here/mlr/$t.mlr" "$f"
	fi
	if [ "$have_py" = 1 ]; then
		each baseline "python3 py/$t.py" "$py" "$here/py/$t.py" "$f"
	fi
}

# --- inputs -------------------------------------------------------------------

mkdir -p "$cache" || die "cannot create cache directory $cache"
cache=$(cd "$cache" && pwd)
genkey=$(cksum <"$here/gen.py" | cut -d' ' -f1)

# input SHAPE SIZE: prints the path of a generated input (made once, cached)
input() {
	in_f="$cache/$1-$2-s$seed-g$genkey.jsonl"
	if [ ! -s "$in_f" ] || [ ! -s "$in_f.meta" ]; then
		# drop inputs made by older versions of gen.py
		for old in "$cache/$1-$2-s$seed-g"*.jsonl; do
			[ -e "$old" ] && [ "$old" != "$in_f" ] && rm -f "$old" "$old.meta"
		done
		note "generating $1 input of $2 (seed $seed) in $in_f"
		# unique temporary names: several runs may share the cache
		"$py" "$here/gen.py" --shape "$1" --size "$2" --seed "$seed" -o "$in_f.tmp.$$" ||
			{ rm -f "$in_f.tmp.$$"; die "gen.py failed"; }
		printf '%s %s\n' "$(wc -c <"$in_f.tmp.$$" | tr -d ' ')" \
			"$(wc -l <"$in_f.tmp.$$" | tr -d ' ')" >"$in_f.meta.$$"
		mv "$in_f.tmp.$$" "$in_f"
		mv "$in_f.meta.$$" "$in_f.meta"
	fi
	printf '%s' "$in_f"
}

# --- output helpers --------------------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/prefkit-bench-run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
status=0
timing=0	# 1 while timing: run_cmds adds the pref-cat ceiling

header() {
	cpu=$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | sed 's/^[^:]*: *//')
	mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
	echo "## prefkit benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- machine: $(nproc 2>/dev/null || echo '?') cores ($cpu), ${mem:-? GiB} RAM, $(uname -sr)"
	printf -- '- baselines: '
	[ "$have_jq" = 1 ] && printf '%s, ' "$(jq --version 2>&1)"
	[ "$have_gojq" = 1 ] && printf '%s, ' "$(gojq --version 2>&1)"
	[ "$have_mlr" = 1 ] && printf '%s, ' "$(mlr --version 2>&1)"
	echo "Python $pyver"
	found=
	for t in $all_tools; do
		prefkit_cmd "$t" >/dev/null && found="$found${found:+, }pref-$t"
	done
	echo "- prefkit: $bin (${found:-no pref-* command to time there})"
	echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') (other work on the machine skews wall times)"
	if [ "$verify_only" = 0 ]; then
		echo "- inputs: bench/gen.py --seed $seed --size $size (cached in $cache); best of $runs runs${nice:+ under nice -n $nice}, output to /dev/null"
	fi
	echo
}

# table TOOL SHAPE BYTES RECORDS RESULTS: print the Markdown table of one command
table() {
	awk -F '\t' -v tool="$1" -v shape="$2" -v bytes="$3" -v recs="$4" -v runs="$runs" '
	function commas(x,   s, r) {
		s = sprintf("%.0f", x); r = ""
		while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
		return s r
	}
	{ kind[NR] = $1; label[NR] = $2; wall[NR] = $3; cpu[NR] = $4 + $5; rss[NR] = $6; n = NR
	  if ($1 == "baseline" && (best == "" || $3 < best)) { best = $3; bestlabel = $2 }
	  if ($1 == "ceiling") ceil = NR }
	END {
		printf "### %s (%s input: %.1f MB, %s records; best of %d)\n\n", tool, shape, bytes / 1e6, commas(recs), runs
		print "| command | wall s | user+sys s | peak RSS MiB | MB/s | MB per CPU-s | records/s | vs fastest baseline |"
		print "|---|--:|--:|--:|--:|--:|--:|--:|"
		for (i = 1; i <= n; i++) {
			if (kind[i] == "failed") {
				printf "| `%s` | failed (exit %s) | | | | | | |\n", label[i], wall[i]; continue
			}
			r = rss[i] < 0 ? "n/a" : sprintf("%.1f", rss[i] / 1024)
			sp = best == "" ? "" : sprintf("%.2fx", best / wall[i])
			if (kind[i] == "prefkit") sp = "**" sp "**"
			if (kind[i] == "ceiling") sp = "(pass-through ceiling)"
			c = cpu[i] > 0 ? sprintf("%.1f", bytes / cpu[i] / 1e6) : "n/a"
			printf "| `%s` | %.3f | %.3f | %s | %.1f | %s | %s | %s |\n", label[i], wall[i], cpu[i], r,
				bytes / wall[i] / 1e6, c, commas(recs / wall[i]), sp
			if (kind[i] == "prefkit") { pk = i }
		}
		print ""
		if (pk) {
			mbs = bytes / wall[pk] / 1e6
			printf "%s: %.0f MB/s (goal >= 300: %s)", label[pk], mbs, (mbs >= 300 ? "met" : "MISSED")
			if (best != "") {
				x = best / wall[pk]
				printf "; %.1fx the fastest baseline, `%s` (goal >= 5x: %s)", x, bestlabel, (x >= 5 ? "met" : "MISSED")
			}
			if (ceil) {
				x = wall[pk] / wall[ceil]
				printf "; %.2fx the time of `pref-cat` on the same input (goal <= 1.5x: %s)", x, (x <= 1.5 ? "met" : "MISSED")
			}
			print ".\n"
		}
	}' "$5"
}

# --- modes ----------------------------------------------------------------------

do_rss_check() {
	pk=$(prefkit_cmd cat) || die "pref-cat not found in $bin (build it, or give --bin DIR)"
	f=$(input pairs "$rss_size")
	read -r bytes recs <"$f.meta"
	cat "$f" >/dev/null
	note "timing pref-cat on $f"
	# shellcheck disable=SC2086
	if ! res=$(timeit --runs 1 --require-rss -- $niceprefix "$pk" "$f"); then
		echo "pref-cat failed on $f"
		return 1
	fi
	read -r wall _ _ rss <<EOF
$res
EOF
	awk -v w="$wall" -v rss="$rss" -v b="$bytes" -v goal="$rss_goal_mib" 'BEGIN {
		m = rss / 1024
		printf "pref-cat on %.2f GB (pairs): peak RSS %.1f MiB (goal < %d MiB: %s), %.2f s, %.0f MB/s\n",
			b / 1e9, m, goal, (m < goal ? "met" : "MISSED"), w, b / w / 1e6
		exit m < goal ? 0 : 1 }'
}

verify_each() {		# KIND LABEL CMD...: run, then compare with the Python output
	kind=$1 label=$2
	shift 2
	[ "$label" = "python3 py/$vt.py" ] && return 0
	out="$tmp/out"
	if "$@" >"$out" 2>"$tmp/err"; then rc=0; else rc=$?; fi
	if [ "$rc" != 0 ]; then
		echo "verify $vt: \`$label\` FAILED (exit status $rc): $(tail -c 300 "$tmp/err")"
		status=1
		return 0
	fi
	lenient=
	# Miller 6 writes control characters raw inside strings
	case $label in mlr*) lenient=--lenient ;; esac
	if res=$("$py" "$here/py/jsonl_eq.py" --ignore group_id $lenient "$tmp/ref" "$out" 2>&1); then
		echo "verify $vt: \`$label\` matches python3 py/$vt.py: $res"
	else
		echo "verify $vt: \`$label\` DIFFERS from python3 py/$vt.py: $res"
		[ "$kind" = prefkit ] || echo "  (a baseline differs: fix bench/)"
		status=1
	fi
}

do_verify() {
	for vt in $tools; do
		shape=$(tool_shape "$vt")
		f=$(input "$shape" "$verify_size")
		"$py" "$here/py/$vt.py" "$f" >"$tmp/ref" || die "py/$vt.py failed on $f"
		each() { verify_each "$@"; }
		run_cmds "$vt" "$f"
		rm -f "$tmp/ref" "$tmp/out"
	done
	echo
}

bench_each() {		# KIND LABEL CMD...: time it, append a row to $rows
	kind=$1 label=$2
	shift 2
	note "timing \`$label\` ($runs runs)"
	# shellcheck disable=SC2086
	if res=$(timeit --runs "$runs" --errlog "$tmp/err" -- $niceprefix "$@" 2>"$tmp/why"); then
		read -r wall user sys rss <<EOF
$res
EOF
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$label" "$wall" "$user" "$sys" "$rss" >>"$rows"
	else
		cat "$tmp/why" >&2
		code=$(sed -n 's/.* exited with status \([0-9]*\)$/\1/p' "$tmp/why" | head -n 1)
		printf 'failed\t%s\t%s\t\t\t\n' "$label" "${code:-?}" >>"$rows"
		status=1
	fi
}

# bench_with_ceiling LABEL CAT FILE CMD...: time CMD and pref-cat (CAT) on
# FILE in alternate runs, so that the ratio of the two - the goal for
# commands that rewrite records one by one - is not skewed by a slow spell
# of a shared machine falling on one of them; a row for each.  At least 5
# runs each: both take well under a second, and single runs scatter.
bench_with_ceiling() {
	label=$1 cat_pk=$2 file=$3
	shift 3
	n=$runs
	[ "$n" -lt 5 ] && n=5
	note "timing \`$label\` and \`pref-cat\` in alternate runs ($n each)"
	: >"$tmp/alt.cmd"
	: >"$tmp/alt.cat"
	i=0
	while [ "$i" -lt "$n" ]; do
		# shellcheck disable=SC2086
		if ! timeit --runs 1 --errlog "$tmp/err" -- $niceprefix "$@" >>"$tmp/alt.cmd" 2>"$tmp/why" ||
		   ! timeit --runs 1 --errlog "$tmp/err" -- $niceprefix "$cat_pk" "$file" >>"$tmp/alt.cat" 2>>"$tmp/why"; then
			cat "$tmp/why" >&2
			printf 'failed\t%s\t?\t\t\t\n' "$label" >>"$rows"
			status=1
			return
		fi
		i=$((i + 1))
	done
	# the fastest run of each, as timeit.py --runs N would give
	for k in cmd cat; do
		sort -n -k1,1 "$tmp/alt.$k" | head -n 1
	done | {
		read -r wall user sys rss
		printf 'prefkit\t%s\t%s\t%s\t%s\t%s\n' "$label" "$wall" "$user" "$sys" "$rss" >>"$rows"
		read -r wall user sys rss
		printf 'ceiling\tpref-cat\t%s\t%s\t%s\t%s\n' "$wall" "$user" "$sys" "$rss" >>"$rows"
	}
}

# rss_goal_sort ROWS: pref-curriculum's peak RSS against --memory + 32 MiB
rss_goal_sort() {
	m=$(curriculum_memory)
	awk -F '\t' -v m="$m" '$1 == "prefkit" {
		mib = m + 0
		if (m ~ /[Kk]$/) mib /= 1024
		if (m ~ /[Gg]$/) mib *= 1024
		if ($6 < 0) { print "peak RSS not measured (GNU time missing).\n"; exit }
		r = $6 / 1024
		printf "%s: peak RSS %.1f MiB with --memory %s (goal <= --memory + 32 MiB = %.0f MiB: %s).\n\n",
			$2, r, m, mib + 32, (r <= mib + 32 ? "met" : "MISSED")
	}' "$1"
}

do_bench() {
	for t in $tools; do
		shape=$(tool_shape "$t")
		f=$(input "$shape" "$size")
		read -r bytes recs <"$f.meta"
		prefkit_cmd "$t" >/dev/null ||
			{ [ "$no_prefkit" = 1 ] || note "pref-$t not built in $bin: timing the baselines only"; }
		cat "$f" >/dev/null		# warm the page cache
		rows="$tmp/rows.$t"
		: >"$rows"
		each() { bench_each "$@"; }
		timing=1
		run_cmds "$t" "$f"
		if [ -s "$rows" ]; then
			table "$t" "$shape" "$bytes" "$recs" "$rows"
			[ "$t" = curriculum ] && rss_goal_sort "$rows"
			load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
			printf '_1-minute load average after these runs: %s (about 1 is this benchmark itself)_\n\n' "$load"
		else
			printf '### %s\n\nnothing to time (no prefkit command, no baseline).\n\n' "$t"
		fi
	done
}

if [ "$rss_check" = 1 ]; then
	do_rss_check || status=1
	exit $status
fi
header
[ "$verify" = 1 ] && do_verify
[ "$verify_only" = 1 ] || do_bench
exit $status
