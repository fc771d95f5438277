# Misuse is exit status 2 with a message, before any input is read.
for args in "--by score --lambda 1" "--by score --labels factual" \
	"--by score --label-fields a,b" "--by score --drop-both-hallucinated" \
	"--by rank" "--labels true" "--label-fields a" "--label-fields a,b,c" \
	"--label-fields a,a" "--lambda x" "--lambda inf"; do
	pref-flip $args </dev/null
	echo "exit $?"
done
