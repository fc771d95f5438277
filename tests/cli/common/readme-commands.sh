# The README's Commands table lists exactly the commands that are built
# (each with a man page: common/man-pages), no more, no fewer.
for p in "$builddir"/pref-* "$builddir"/pref; do
	[ -f "$p" ] && [ -x "$p" ] && basename "$p"
done | sort >built
awk '/^Commands$/ { t = 1; next }
     t && /^\| `/ { split($0, f, "`"); print f[2] }
     t && /^$/ && n++ { exit }' "$srcdir/README" | sort >listed
if cmp -s built listed; then
	echo "README lists the $(wc -l <built | tr -d ' ') commands built"
else
	comm -23 built listed | sed 's/^/built, not in the README: /'
	comm -13 built listed | sed 's/^/in the README, not built: /'
fi
