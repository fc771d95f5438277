# --strict: the pairs hh-reported.sh reports are bad records; under
# --on-error=quarantine they go to the quarantine file, byte for byte.
printf '%s\n' \
	'{"chosen":"\n\nHuman: Q\n\nAssistant: A","rejected":"\n\nHuman: Q\n\nAssistant: B"}' \
	'{"chosen":"\n\nHuman: Q\n\nAssistant: ","rejected":"\n\nHuman: Q\n\nAssistant: Sure"}' \
	'{"chosen":"\n\nHuman: Q\n\nAssistant: A","rejected":"\n\nHuman: Q\n\nAssistant: A"}' \
	'{"chosen":"\n\nHuman: Q\n\nAssistant: A\n\nHuman: R\n\nAssistant: B","rejected":"\n\nHuman: Q\n\nAssistant: C\n\nHuman: R\n\nAssistant: D"}' \
	>in.jsonl
pref-convert --from hh --strict --on-error=quarantine=bad.jsonl --stats=stats.json in.jsonl
echo "exit $?"
cat stats.json
tail -n 3 in.jsonl | cmp - bad.jsonl && echo "quarantined byte for byte"
pref-convert --from hh --strict in.jsonl
echo "exit $?"
