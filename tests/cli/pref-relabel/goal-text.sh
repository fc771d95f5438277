# --goal-text SCORE prints the condition text for inference and exits.
pref-relabel --goal-text 10
pref-relabel --goal-text 9.50
pref-relabel --scale 0:4 --template 'Aim for {score} of {max}.' --goal-text 4
pref-relabel --scale 0:4 --attributes helpfulness,correctness --goal-text 4
pref-relabel --scale 0:4 --attributes helpfulness,correctness --goal-text correctness=3,helpfulness=4
pref-relabel --attributes a,b --goal-text a=3 </dev/null
echo "exit $?"
pref-relabel --attributes a,b --goal-text a=3,c=2 </dev/null
echo "exit $?"
