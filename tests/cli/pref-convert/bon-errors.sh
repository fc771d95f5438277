# --from bon: bad records say why; under quarantine nothing is lost.
cat >in.jsonl <<'JSON'
{"prompt":"p","best":"b","losers":["x"]}
{"prompt":"p","losers":["x"]}
{"prompt":"p","best":"b","losers":"x"}
{"prompt":"p","best":{"model":"m"},"losers":["x"]}
{"prompt":"p","best":"b","losers":["x",{"response":3}]}
{"prompt":"p","best":{"response":"b","text":"t"},"losers":[]}
{"best":"b","losers":["x"]}
{"prompt":"p","best":"b","losers":[]}
{"prompt":"p","best":"b","losers":[5]}
JSON
pref-convert --from bon --best-field best --losers-field losers --text-field response \
	--on-error=quarantine=bad.jsonl --stats=s.json in.jsonl
echo "exit $?"
cat s.json
sed -n '2,7p;9p' in.jsonl | cmp - bad.jsonl && echo "7 bad lines quarantined as they came"
pref-convert --from bon --best-field best in.jsonl
echo "exit $?"
