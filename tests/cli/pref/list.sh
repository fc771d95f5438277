# pref --list names the commands that are installed, one line each.
pref --list | grep -c '^cat  *read anything'
pref --list | awk '{ print $1 }' | while read -r c; do
	command -v "pref-$c" >/dev/null || echo "listed but missing: $c"
done
