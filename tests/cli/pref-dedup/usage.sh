# Misuse is exit status 2 with a message, before any input is read.
for args in "--key=" "--key prompt,,chosen" "--key ," "--normalize space,nope" \
	"--normalize=" "--memory 0" "--memory 12Q" "--nope"; do
	pref-dedup $args </dev/null
	echo "exit $?"
done
pref-dedup --help | head -n 1
pref-dedup --version >/dev/null && echo "version ok"
# a temporary directory that does not exist: found when the keys spill
python3 -c '
for i in range(3000):
    print("{\"prompt\":\"p%d\",\"chosen\":\"c\",\"rejected\":\"r\"}" % i)' >in.jsonl
pref-dedup --memory 16K --tmpdir ./none -o out.jsonl in.jsonl
echo "exit $?"
ls -A
