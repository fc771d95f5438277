# The EXAMPLES of pref-cat(1), run as they are written there.
ln -s "$DATA" data
pref-cat -z -o all.jsonl.zst \
    data/sample-pairs.jsonl data/sample-sharegpt.json
zstdcat all.jsonl.zst | pref-cat | head -n 1 | cut -c 1-60
pref-cat --on-error=quarantine=bad.jsonl --stats \
    data/sample-bad.jsonl
wc -l < bad.jsonl
pref-cat data/sample-pairs.jsonl > /dev/null && echo valid
pref-cat data/sample-sharegpt.json | wc -l
