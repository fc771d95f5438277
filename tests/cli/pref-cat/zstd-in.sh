# zstd input by magic number: file, pipe, concatenated frames.
printf '{"a":1}\n{"a":2}\n' | zstd -q > one.zst
printf '{"a":3}\n' | zstd -q > two.zst
cat one.zst two.zst > both.zst
pref-cat one.zst
cat both.zst | pref-cat
pref-cat - < two.zst
