# An input record that gives several records and turns out bad part way
# leaves none of them behind: the list of p2 expands into (a,b), (a,x)...
# and (a,x) cannot be written --to standard (an image part), the list of
# p3 into (a,b), (a,c), (a,x): its first one or two pairs are already
# made when the bad one comes.  Under skip and quarantine only p1's and
# p4's pairs are written, to standard output and to -o alike, and
# read = written lists + skipped/quarantined (the counts by hand: 4 lists
# read, 2 written, 2 set aside).  group_id (a hash of the prompt) is not
# what this case is about: shown as G.
img='[{"role":"assistant","content":[{"type":"image","url":"u"}]}]'
cat >in.jsonl <<JSON
{"prompt":"p1","responses":[{"text":"a","score":3},{"text":"b","score":2}]}
{"prompt":"p2","responses":[{"text":"a","score":3},{"text":"b","score":2},{"text":$img,"score":1}]}
{"prompt":"p3","responses":[{"text":"a","score":4},{"text":"b","score":3},{"text":"c","score":2},{"text":$img,"score":1}]}
{"prompt":"p4","responses":[{"text":"c","score":3},{"text":"d","score":2}]}
JSON
pref-convert --from lists --to standard --on-error=skip --stats=s.json \
	in.jsonl 2>/dev/null | sed 's/"group_id":"[0-9a-f]*"/"group_id":G/'
echo "skip: exit $?"
cat s.json
pref-convert --from lists --to standard --on-error=quarantine=bad.jsonl \
	-o out.jsonl in.jsonl 2>/dev/null
echo "quarantine: exit $?"
sed 's/"group_id":"[0-9a-f]*"/"group_id":G/' out.jsonl
sed -n '2,3p' in.jsonl | cmp - bad.jsonl && echo "p2 and p3 quarantined as they came"
pref-convert --from lists --to standard in.jsonl 2>/dev/null >abort.jsonl
echo "abort: exit $?"
sed 's/"group_id":"[0-9a-f]*"/"group_id":G/' abort.jsonl
