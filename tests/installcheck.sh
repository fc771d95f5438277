#!/bin/sh
# SPDX-License-Identifier: MIT
# installcheck.sh - run by `make installcheck` (and so by `make distcheck`):
# build the example program of libprefkit(3) against the installed library
# with `pkg-config --cflags --libs prefkit`, once linked with the shared
# library and once with the static one, and run each on the hand-checked
# input of tests/libprefkit/.  Environment (from the Makefile): CC, CFLAGS,
# PKG_CONFIG, DESTDIR, prefix, libdir, pkgconfigdir, srcdir.
set -u
: "${CC:?}" "${prefix:?}" "${libdir:?}" "${pkgconfigdir:?}" "${srcdir:?}"
DESTDIR=${DESTDIR:-}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
d="$srcdir/tests/libprefkit"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pk-instcheck.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
say() { echo "installcheck: $*"; }
bad() { say "FAIL: $*"; fails=$((fails + 1)); }

# The installed prefkit.pc; under DESTDIR its paths move with the prefix.
PKG_CONFIG_PATH="$DESTDIR$pkgconfigdir"
export PKG_CONFIG_PATH
pc() { "$PKG_CONFIG" --define-variable=prefix="$DESTDIR$prefix" "$@" prefkit; }
for f in "$DESTDIR$pkgconfigdir/prefkit.pc" "$DESTDIR$libdir/libprefkit.a"; do
	[ -f "$f" ] || bad "not installed: $f"
done
if ! cflags=$(pc --cflags) || ! libs=$(pc --libs) ||
	! slibs=$(pc --static --libs); then
	bad "pkg-config cannot read prefkit.pc"
	exit 1
fi
inc=$(pc --variable=includedir)
[ -f "$inc/prefkit.h" ] || bad "prefkit.h is not in $inc"
sh "$srcdir/tests/man-example.sh" "$srcdir/man/libprefkit.3" "$tmp/pkswap.c" ||
	bad "no example program in libprefkit(3)"

run() { # NAME PROGRAM: run it on the example input, compare
	"$2" <"$d/input.jsonl" >"$tmp/$1.out" 2>"$tmp/$1.err"
	rc=$?
	if [ $rc = 1 ] && cmp -s "$d/expected.stdout" "$tmp/$1.out" &&
		cmp -s "$d/expected.stderr" "$tmp/$1.err"; then
		say "ok: $1 example ran as expected"
	else
		bad "$1 example: status $rc (want 1)"
		diff -u "$d/expected.stdout" "$tmp/$1.out"
		diff -u "$d/expected.stderr" "$tmp/$1.err"
	fi
}
needed() { # PROGRAM: the shared libraries it names (NEEDED)
	LC_ALL=C readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

# Shared: the flags as pkg-config gives them (rpath so it runs in place).
# shellcheck disable=SC2086
if $CC ${CFLAGS:-} $cflags -o "$tmp/pkswap-shared" "$tmp/pkswap.c" $libs \
	-Wl,-rpath,"$DESTDIR$libdir"; then
	if command -v readelf >/dev/null &&
		! needed "$tmp/pkswap-shared" | grep -q '^libprefkit\.so'; then
		bad "the shared build does not use libprefkit.so"
	fi
	run shared "$tmp/pkswap-shared"
else
	bad "cannot build the example against the shared library"
fi

# Static: the --static flags, with the archive in place of -lprefkit.
slibs=$(printf '%s\n' "$slibs" | sed 's/-lprefkit\b/-l:libprefkit.a/')
# shellcheck disable=SC2086
if $CC ${CFLAGS:-} $cflags -o "$tmp/pkswap-static" "$tmp/pkswap.c" $slibs; then
	if command -v readelf >/dev/null &&
		needed "$tmp/pkswap-static" | grep -q '^libprefkit'; then
		bad "the static build still uses libprefkit.so"
	fi
	run static "$tmp/pkswap-static"
else
	bad "cannot build the example against the static library"
fi
[ $fails = 0 ]
