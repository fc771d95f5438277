# --on-error=skip and quarantine=FILE: every input is accounted for
# (read = lists + skipped + quarantined), bad lines go to the quarantine
# file byte for byte, at most 10 messages then a count.
{
	echo '{"prompt":"P","responses":[{"text":"a","score":2},{"text":"b","score":1}]}'
	echo '{"prompt":"P","responses":[{"text":"a"}]}'
	echo 'not json'
	echo '{"prompt":"P","responses":[{"text":"c","score":null},{"text":"d","score":3},{"text":"e","score":0}]}'
	echo '{"prompt":"P","responses":[{"text":"a","rank":0.5}]}'
	echo '{"prompt":"P","responses":[{"text":"f","score":1}]}'
} >in.jsonl
pref-expand --on-error=skip --stats=skip.json in.jsonl
echo "exit $?"
cat skip.json
pref-expand --on-error=quarantine=bad.jsonl --stats=q.json in.jsonl >q.out
echo "exit $?"
cat q.json
cat bad.jsonl
cmp -s q.out - <<X && echo "same pairs"
{"prompt":"P","chosen":"a","rejected":"b","score_chosen":2,"score_rejected":1,"group_id":"9d2ac64db9e07d34"}
{"prompt":"P","chosen":"d","rejected":"e","score_chosen":3,"score_rejected":0,"group_id":"9d2ac64db9e07d34"}
X
# Twelve bad records: ten messages, then the count.
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo '{"prompt":"P"}'; done >many.jsonl
pref-expand --on-error=skip --stats=many.json many.jsonl
echo "exit $?"
cat many.json
