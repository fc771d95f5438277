# A string prompt cannot take a system message: a usage error (exit 2) at
# the first such record, and -o leaves no partial output file.
cp "$TESTDATA/relabel/messages.jsonl" "$TESTDATA/relabel/string.jsonl" .
pref-relabel --placement system -o out.jsonl messages.jsonl string.jsonl
echo "exit $?"
ls
