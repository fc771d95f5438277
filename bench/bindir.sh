# SPDX-License-Identifier: MIT
# bindir.sh - sourced by the bench scripts.  bench_bin SCRIPT CMD sets $bin
# to the absolute directory that holds CMD: --bin DIR when one was given
# (already in $bin), else the first of .., ../build and ../_build next to
# bench/ ($here) that holds it; exits 2 naming SCRIPT when there is none.
bench_bin() {
	if [ -z "$bin" ]; then
		for d in "$here/.." "$here/../build" "$here/../_build"; do
			[ -x "$d/$2" ] && { bin=$d; break; }
		done
	fi
	[ -n "$bin" ] && [ -x "$bin/$2" ] ||
		{ echo "$1: no $2 built (--bin DIR)" >&2; exit 2; }
	bin=$(cd "$bin" && pwd)
}
