# The EXAMPLES of pref-cat(1), run as they are written there.
ln -s "$DATA" data
pref-cat -z -o all.jsonl.zst \
    data/sample-pairs.jsonl data/sample-sharegpt.json
pref-cat data/sample-pairs.jsonl data/sample-sharegpt.json >plain.jsonl
zstdcat all.jsonl.zst | cmp - plain.jsonl && echo "all.jsonl.zst: the records of both files"
pref-cat --stats --on-error=quarantine=bad.jsonl \
    data/sample-bad.jsonl
wc -l < bad.jsonl
pref-cat data/sample-pairs.jsonl > /dev/null && echo valid
pref-cat data/sample-sharegpt.json >sharegpt.jsonl
python3 -c '
import json
a = json.load(open("data/sample-sharegpt.json", encoding="utf-8"))
b = [json.loads(l) for l in open("sharegpt.jsonl", encoding="utf-8")]
print(len(b), "records, the elements of the JSON array:", a == b)' 
