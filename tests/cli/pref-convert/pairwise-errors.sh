# --from pairwise: bad records say why and show the label; under
# --on-error=quarantine every one is kept byte for byte, and read =
# written + skipped + quarantined + ties.  Missing --a-wins/--b-wins is a
# usage error (exit 2) naming them.
cat >in.jsonl <<'JSON'
{"prompt":"p1","response_a":"a","response_b":"b","label":1}
{"prompt":"p2","response_a":"a","response_b":"b","label":"maybe"}
{"prompt":"p3","response_a":"a","response_b":"b","label":1.5}
{"prompt":"p4","response_a":"a","response_b":"b"}
{"prompt":"p5","response_a":"a","label":2}
{"prompt":"p6","response_a":7,"response_b":"b","label":2}
{"prompt":["x"],"response_a":"a","response_b":"b","label":2}
{"response_a":"a","response_b":"b","label":2}
{"prompt":"p9","response_a":"a","response_b":"b","label":null}
{"prompt":"p10","response_a":"a","response_b":"b","label":3}
{"prompt":"p11","response_a":"a","response_b":"b","label":[1]}
JSON
pref-convert --from pairwise --a-wins '<=1.5' --b-wins 2 --tie '1.5,3' \
	--on-error=quarantine=bad.jsonl --stats=s.json in.jsonl
echo "exit $?"
cat s.json
sed -n '2,9p;11p' in.jsonl | cmp - bad.jsonl && echo "9 bad lines quarantined as they came"
pref-convert --from pairwise --a-wins 1 --b-wins 2 in.jsonl
echo "abort: exit $?"
pref-convert --from pairwise --b-wins 2 in.jsonl
echo "exit $?"
pref-convert --from pairwise --a-wins 1 --b-wins 2 --tie '<x' in.jsonl
echo "exit $?"
pref-convert --from trl --a-wins 1 in.jsonl
echo "exit $?"
