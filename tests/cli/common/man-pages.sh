# Every command has a man page, and mandoc finds nothing to complain about
# in any page (commands, library, overview).  Without mandoc the lint is
# skipped, unless PK_REQUIRE_MANDOC=1 (CI): then that is a failure.
for p in "$builddir"/pref-* "$builddir"/pref; do
	[ -x "$p" ] || continue
	c=$(basename "$p")
	[ -f "$srcdir/man/$c.1" ] || echo "no man page for $c"
done
[ -f "$srcdir/man/prefkit.7" ] || echo "no prefkit.7"
[ -f "$srcdir/man/libprefkit.3" ] || echo "no libprefkit.3"
if command -v mandoc >/dev/null; then
	cd "$srcdir/man" && mandoc -Tlint -W warning ./*.[137] 2>&1
elif [ "${PK_REQUIRE_MANDOC:-0}" = 1 ]; then
	echo "mandoc is not installed (PK_REQUIRE_MANDOC=1): the man pages were not linted"
fi
echo done
