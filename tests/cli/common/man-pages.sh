# Every command has a man page, and mandoc finds nothing to complain about.
for p in "$builddir"/pref-* "$builddir"/pref; do
	[ -x "$p" ] || continue
	c=$(basename "$p")
	[ -f "$srcdir/man/$c.1" ] || echo "no man page for $c"
done
[ -f "$srcdir/man/prefkit.7" ] || echo "no prefkit.7"
if command -v mandoc >/dev/null; then
	mandoc -Tlint -W warning "$srcdir"/man/*.[17] 2>&1 | sed 's|.*/man/||'
fi
echo done
