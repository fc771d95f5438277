# Quartiles worked by hand (type 7: j = floor(i (n-1) / 4), d = i (n-1) - 4j,
# q = (x[j] (4-d) + x[j+1] d) / 4).  Chosen scores 1..10 (shuffled):
# q1 (3*3+4)/4 = 3.25, median 5.5, q3 (7+8*3)/4 = 7.75, mean 5.5.
# Rejected 2, 2, 3, 7 on four of them: q1 2, median 2.5, q3 4, mean 3.5.
# Gaps 0, 1, 7, -1: q1 -0.25, median 0.5, q3 2.5; one tie, one misordered.
for s in 7:7 3:2 10:3 1:2 5 9 2 8 6 4; do
	c=${s%%:*}
	case $s in *:*) r=",\"score_rejected\":${s#*:}" ;; *) r= ;; esac
	echo "{\"prompt\":\"p$c\",\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":$c$r}"
done >q.jsonl
pref-stats --json q.jsonl >q.json
python3 -c '
import json
d = json.load(open("q.json"))
for k in ("score_chosen", "score_rejected", "gap"):
    x = d["distributions"][k]
    print(k, x["n"], x["min"], x["q1"], x["median"], x["q3"], x["max"], x["mean"], x["histogram"]["counts"])
print("ties", d["ties"], "misordered", d["misordered"], "tie_rate", d["tie_rate"])'
