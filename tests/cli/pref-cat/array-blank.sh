# A JSON array file is streamed: the blank space between elements (the ','
# and the line end count) is bounded by --max-line, here 12 bytes: 12
# pass, 13 do not; the records before an error are written first, and the
# run stops with exit status 1.
printf '[{"a":1},\n          {"b":2}]' > ok.json
pref-cat --max-line=12 ok.json
echo "exit $?"
printf '[{"a":1},\n           {"b":2}]' > long.json
pref-cat --max-line=12 long.json
echo "exit $?"
# after the closing ']' too, in a compressed file
printf '[{"a":1}, {"b":2}]\n\n\n          ' | zstd -q > tail.json.zst
pref-cat --max-line=12 tail.json.zst
echo "exit $?"
