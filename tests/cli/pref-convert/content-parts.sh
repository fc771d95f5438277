# SPEC 1.5 content parts: [{"type":"text","text"|"value":S}] is read the same
# way in prompts and responses (the parts joined with nothing between them);
# a non-text part is a bad record naming its type (issue 12 s5).
cat >in.jsonl <<'JSON'
{"prompt":[{"role":"user","content":[{"type":"text","text":"Name a "},{"type":"text","value":"colour."}]}],"chosen":[{"role":"assistant","content":[{"type":"text","value":"Blue"}]}],"rejected":[{"role":"assistant","content":[{"type":"text","text":"Ten"}]}]}
{"chosen":[{"role":"user","content":[{"type":"text","value":"2+2?"}]},{"role":"assistant","content":[{"type":"text","value":"4"}]}],"rejected":[{"role":"user","content":[{"type":"text","value":"2+2?"}]},{"role":"assistant","content":[{"type":"text","text":"5"}]}]}
JSON
pref-convert --to standard in.jsonl
echo "exit $?"
cat >bad.jsonl <<'JSON'
{"prompt":[{"role":"user","content":[{"type":"text","text":"Look:"},{"type":"image","url":"x.png"}]}],"chosen":"a","rejected":"b"}
{"prompt":"p","chosen":[{"role":"assistant","content":[{"type":"input_audio","input_audio":{}}]}],"rejected":"b"}
{"prompt":"p","chosen":"a","rejected":[{"role":"assistant","content":["x"]}]}
{"prompt":"p","chosen":"a","rejected":[{"role":"assistant","content":[{"type":"text"}]}]}
{"prompt":"p","chosen":"a","rejected":[{"role":"assistant","content":[{"text":"t"}]}]}
{"prompt":"p","chosen":"a","rejected":[{"role":"assistant","content":[{"type":"text","text":7}]}]}
{"prompt":"p","chosen":"a","rejected":[{"role":"user","content":"q"},{"role":"assistant","content":null}]}
{"prompt":"p","chosen":"a","rejected":[{"role":"assistant","content":[{"type":"text","value":"ok"}]}]}
JSON
pref-convert --on-error=quarantine=q.jsonl --stats=s.json bad.jsonl
echo "exit $?"
cat s.json
sed -n 1,7p bad.jsonl | cmp - q.jsonl && echo "7 bad lines quarantined as they came"
pref-convert --to standard bad.jsonl
echo "exit $?"
# relabel puts the condition into the first text part
printf '%s\n' '{"prompt":[{"role":"system","content":[{"type":"text","value":"Be brief."}]},{"role":"user","content":[{"type":"text","text":"Hi"}]}],"chosen":"a","rejected":"b","score_chosen":2,"score_rejected":1}' >r.jsonl
pref-relabel --template 'Goal {score}.' r.jsonl
pref-relabel --placement prefix --template 'Goal {score}.' r.jsonl
# ranked-list responses made of parts: the steps of their text
printf '%s\n' '{"prompt":"p","responses":[{"text":[{"role":"assistant","content":[{"type":"text","text":"A\n\n"},{"type":"text","value":"B"}]}],"score":2},{"text":[{"role":"assistant","content":[{"type":"text","value":"A\n\nC"}]}],"score":1}]}' >l.jsonl
pref-expand --to tree l.jsonl
