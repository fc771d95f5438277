# A file that cannot be opened: I/O error, exit 2.
pref-cat nope.jsonl
