# --round N: goals rounded half to even to N decimals, trailing zeros
# removed, in the condition text and in goal_score / goal_scores.  Every
# expected value is worked out by hand in the comments.
# A judge's score: 3.9552000000053766e-05 to 6 decimals is 0.000039|552 ->
# 0.000040 -> "0.00004"; 0.000125 has 6 decimals already.
printf '%s\n' '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":3.9552000000053766e-05,"score_rejected":0.000125}' |
	pref-relabel --scale 0:1 --round 6 --template '{score}'
# The same score to 7 decimals: 0.0000395|52 -> 0.0000396; to 10:
# 0.0000395520 -> 0.000039552; to 4: 0.0000 -> "0".
for n in 7 10 4; do
	pref-relabel --scale 0:1 --round $n --template '{score}' --goal-text 3.9552000000053766e-05
done
# Ties go to even: 2.5 -> 2, 3.5 -> 4, 0.125 -> 0.12, 0.375 -> 0.38
# (both exact in binary); 2.675 is 2.67499999999999982... in binary -> 2.67.
for x in 2.5 3.5; do
	pref-relabel --scale 0:10 --round 0 --template '{score}' --goal-text $x
done
for x in 0.125 0.375 2.675; do
	pref-relabel --scale 0:10 --round 2 --template '{score}' --goal-text $x
done
# -0.04 to 1 decimal is -0.0: written 0.
pref-relabel --scale -1:1 --round 1 --template '{score}' --goal-text -0.04
# Attribute goals: 3.14159 -> 3.14, 2 -> 2; 1.005 is 1.00499999... -> 1.
printf '%s\n' '{"prompt":"p","chosen":"A","rejected":"B","scores_chosen":{"helpfulness":3.14159,"honesty":2},"scores_rejected":{"helpfulness":1.005,"honesty":1}}' |
	pref-relabel --attributes helpfulness,honesty --scale 0:5 --round 2 --template '{score}'
# Out of range: --round takes 0 to 17.
pref-relabel --round 18 </dev/null
echo "exit $?"
