# Every command: --help on stdout with exit 0 and a Usage line; --version
# names prefkit; a bad option gives exit 2 and a hint on stderr only.
for p in "$builddir"/pref-*; do
	[ -x "$p" ] || continue
	c=$(basename "$p")
	out=$("$c" --help) || echo "$c --help: exit $?"
	case $out in
	"Usage: $c "*) ;;
	*) echo "$c --help: no usage line" ;;
	esac
	"$c" --version | grep -q "^$c (prefkit) " || echo "$c --version: wrong"
	"$c" --no-such-option >out 2>err
	st=$?
	[ $st = 2 ] || echo "$c bad option: exit $st"
	[ -s out ] && echo "$c bad option: wrote to stdout"
	grep -q "Try '$c --help'" err || echo "$c bad option: no hint"
done
echo done
