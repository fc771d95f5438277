# gzip input (the real HH-RLHF sample) by magic number, file and pipe: the
# same records as the decompressed file read plain.
gzip -dc "$DATA/sample-hh.jsonl.gz" >plain.jsonl
pref-cat plain.jsonl >want.jsonl
pref-cat "$DATA/sample-hh.jsonl.gz" | cmp - want.jsonl && echo "gzip file: the plain records"
gzip <plain.jsonl | pref-cat | cmp - want.jsonl && echo "gzip pipe: the plain records"
python3 -c '
import json, sys
a = [json.loads(l) for l in open("plain.jsonl", encoding="utf-8")]
b = [json.loads(l) for l in open("want.jsonl", encoding="utf-8")]
print(len(b), "records, as python reads them:", a == b)'
