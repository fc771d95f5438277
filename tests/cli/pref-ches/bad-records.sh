# Bad records: reported by file and line; abort (exit 1) by default;
# skip and quarantine account for every record (read = written +
# skipped + quarantined + dropped), also in the two-pass modes.  With
# inline embeddings no tokens are needed, but a response that is neither
# a string nor a message list still makes a bad record (the last one).
cat >in.jsonl <<'END'
{"chosen":"a b","rejected":"a c"}
{"chosen":"a b"}
not json
{"chosen":"","rejected":"x"}
{"chosen":7,"rejected":"x"}
{"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"user"}]}

{"chosen":"same","rejected":"same"}
END
pref-ches in.jsonl
echo "exit $?"
pref-ches --stats --on-error=skip in.jsonl
echo "exit $?"
pref-ches --stats --on-error=quarantine=bad.jsonl --keep-bottom 0.5 in.jsonl
echo "exit $?"
cat bad.jsonl
echo "inline"
cat >emb.jsonl <<'END'
{"chosen":"a","rejected":"b","emb_chosen":[1,2],"emb_rejected":[1,2],"len_chosen":1,"len_rejected":1}
{"chosen":"a","rejected":"b","emb_chosen":[1,2],"emb_rejected":[1],"len_chosen":1,"len_rejected":1}
{"chosen":"a","rejected":"b","emb_chosen":"x","emb_rejected":[1],"len_chosen":1,"len_rejected":1}
{"chosen":"a","rejected":"b","emb_chosen":[1,2],"emb_rejected":[1,2],"len_chosen":0,"len_rejected":1}
{"chosen":"a","rejected":"b","emb_chosen":[1,2],"emb_rejected":[1,2],"len_chosen":-1,"len_rejected":1}
{"chosen":"a","rejected":"b","emb_chosen":[1e300,1e300],"emb_rejected":[1,2],"len_chosen":1,"len_rejected":1}
{"chosen":"a","rejected":"b","emb_chosen":[1,2],"emb_rejected":[1,2],"len_chosen":1}
{"chosen":"a","rejected":{"text":"b"},"emb_chosen":[1,2],"emb_rejected":[1,2],"len_chosen":1,"len_rejected":1}
END
pref-ches --stats --embeddings inline --on-error=skip emb.jsonl
echo "exit $?"
