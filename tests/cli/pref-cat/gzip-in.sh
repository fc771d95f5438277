# gzip input (the real HH-RLHF sample) by magic number, file and pipe.
pref-cat "$DATA/sample-hh.jsonl.gz" | wc -l
gzip -dc "$DATA/sample-hh.jsonl.gz" | gzip | pref-cat | wc -l
