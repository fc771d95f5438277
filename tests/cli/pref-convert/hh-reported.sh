# Pairs the prompt rule cannot split cleanly are written, reported by line
# and counted: prefix (line 2), identical (3), diverges-early (4).
printf '%s\n' \
	'{"chosen":"\n\nHuman: Q\n\nAssistant: A","rejected":"\n\nHuman: Q\n\nAssistant: B"}' \
	'{"chosen":"\n\nHuman: Q\n\nAssistant: ","rejected":"\n\nHuman: Q\n\nAssistant: Sure"}' \
	'{"chosen":"\n\nHuman: Q\n\nAssistant: A","rejected":"\n\nHuman: Q\n\nAssistant: A"}' \
	'{"chosen":"\n\nHuman: Q\n\nAssistant: A\n\nHuman: R\n\nAssistant: B","rejected":"\n\nHuman: Q\n\nAssistant: C\n\nHuman: R\n\nAssistant: D"}' \
	>in.jsonl
pref-convert --stats=stats.json in.jsonl
echo "exit $?"
cat stats.json
