#!/bin/sh
# SPDX-License-Identifier: MIT
# sites.sh SITES - the allocation sites an alloc.test run reached.
# SITES is the file PK_FAULT_SITES=SITES make check TESTS=tests/fault/alloc.test
# wrote: for each failed allocation, "run SCENARIO K EXIT" and its call
# stack as OBJECT+OFFSET lines.  Prints one line per distinct site: the
# innermost prefkit function (cmd/, lib/, not the pk_buf_* wrappers) with
# file:line, the library that allocated, how many failures it took, and
# the exit statuses seen.  Needs addr2line (binutils).
sites=${1:?usage: sites.sh SITES}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# symbolize every OBJECT+OFFSET once, per object
sed -n 's/^site //p' "$sites" | sort -u >"$tmp/addrs"
cut -d+ -f1 "$tmp/addrs" | sort -u | while read -r obj; do
	grep -F "$obj+" "$tmp/addrs" | sed 's/.*+//' >"$tmp/offs"
	# -i would add inlined frames: keep the outermost name of each
	addr2line -f -e "$obj" $(cat "$tmp/offs") 2>/dev/null |
		paste - - | paste "$tmp/offs" - |
		sed "s|^|$obj+|"
done >"$tmp/sym"
awk -v symf="$tmp/sym" '
BEGIN {
	FS = "\t"
	while ((getline l < symf) > 0) {
		split(l, sf, "\t"); fn[sf[1]] = sf[2]; loc[sf[1]] = sf[3]
	}
	FS = " "
}
function flush() {
	if (run == "") return
	key = site " [" lib "]"
	n[key]++
	if (index(st[key], " " rc) == 0) st[key] = st[key] " " rc
	if (index(sc[key], " " scen) == 0) sc[key] = sc[key] " " scen
}
/^run / { flush(); run = $0; scen = $2; rc = $4; site = ""; lib = ""; depth = 0; next }
/^site / {
	a = $2; depth++
	obj = a; sub(/\+.*/, "", obj); o = obj; sub(/.*\//, "", o)
	if (o ~ /failmalloc/) { depth--; next }
	if (depth == 1) { lib = o; if (lib ~ /^pref/) lib = "prefkit" }
	if (site != "") next
	f = fn[a]; l = loc[a]; sub(/.*\.\.\//, "", l); sub(/ \(discriminator.*/, "", l)
	if (o ~ /^pref/ && f != "??" && f !~ /^pk_buf_/ && f != "pk_nomem" && l ~ /^(lib|cmd)\//)
		site = f " (" l ")"
}
END {
	flush()
	for (k in n) printf "%s\t%d\t%s\t%s\n", k, n[k], st[k], sc[k]
}' "$sites" | sort
