# Records without the group key are bad: exit 1 at the first one, or
# with --on-error=skip|quarantine, read = written + skipped + quarantined.
cat >in.jsonl <<'END'
{"prompt":"a","chosen":"x","rejected":"y"}
{"chosen":"x","rejected":"y"}
{"chosen":[{"role":"user","content":"q"},{"role":"assistant","content":"A"}],"rejected":[{"role":"user","content":"q"},{"role":"assistant","content":"B"}]}
[1,2]
{"prompt":"b","meta":{"src":"s1"}}
END
pref-split --test 0.5 -o d in.jsonl
echo "exit $?"
pref-split --test 0.5 --on-error=skip --stats -o d in.jsonl
echo "exit $?"
pref-split --shards 2 --on-error=quarantine=q.jsonl --stats=st.json -o s in.jsonl
echo "exit $?"
cat st.json q.jsonl
# --by field=NAME: a record without the field is bad
pref-split --test 0.5 --by field=meta.src --on-error=skip --stats -o f in.jsonl
echo "exit $?"
cat f.train.jsonl f.test.jsonl
# --prompt-field names the prompt
printf '{"question":"a"}\n' | pref-split --test 1 --prompt-field question -o p
echo "exit $?"
cat p.test.jsonl
