# Misuse is exit status 2 with a message, before any input is read.
for args in "--test 0.1" "--test 0.1 -o -" "--shards 2 -o dir/" \
	"--test 0.1 --shards 2 -o x" "-o x" "--test 1.5 -o x" \
	"--test -0.1 -o x" "--test nan -o x" "--shards 0 -o x" \
	"--shards 100000 -o x" "--by rank --test 0.5 -o x" \
	"--by field= --test 0.5 -o x" "--seed -1 --test 0.5 -o x"; do
	pref-split $args </dev/null
	echo "exit $?"
done
ls -A
