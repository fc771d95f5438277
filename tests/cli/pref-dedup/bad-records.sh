# Records without a key field are bad: exit 1 at the first one (with -o,
# no output file), or with --on-error=skip|quarantine, read = written +
# skipped + quarantined + duplicates.  A bad record is not a key: a later
# good record with the same fields is still the first of its key.
cat >in.jsonl <<'END'
{"prompt":"a","chosen":"x","rejected":"y"}
{"chosen":"x","rejected":"y"}
{"prompt":"a","chosen":"x","rejected":"y"}
[1,2]
{"prompt":"a","chosen":"x"}
{"prompt":"a","chosen":"x","rejected":"z"}
{"prompt":"a","chosen":"x","rejected":"z"
END
pref-dedup -o out.jsonl in.jsonl
echo "exit $?"
ls -A
pref-dedup --stats --on-error=skip in.jsonl
echo "exit $?"
pref-dedup --on-error=quarantine=q.jsonl --stats=st.json in.jsonl
echo "exit $?"
cat st.json q.jsonl
# --memory too small for anything: the same
pref-dedup --on-error=skip --memory 1 --tmpdir . in.jsonl 2>/dev/null
echo "exit $?"
ls -A
