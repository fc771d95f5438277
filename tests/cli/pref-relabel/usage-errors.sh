# Misuse is exit status 2 with a message, before any input is read.
for args in "--template Goal:{scor}" "--template {score}}" "--template {score" \
	"--template no-placeholder" "--scale 10:1" "--scale 1" "--scale a:b" \
	"--ties sometimes" "--placement middle" "--placement field=" \
	"--attributes a,,a" "--goal-text 11" "--goal-text x"; do
	pref-relabel $args </dev/null
	echo "exit $?"
done
pref-relabel --template x{score} --template-file t.txt </dev/null
echo "exit $?"
printf 'A \377 {score}' >bad.txt
pref-relabel --template-file bad.txt </dev/null
echo "exit $?"
