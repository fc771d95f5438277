# Invalid UTF-8 and other invalid JSON are bad records.
printf '{"a":"\300\200"}\n{"b":"\355\240\200"}\n{"c":"ok"}\n{"d":tru}\n' > in.jsonl
pref-cat --stats --on-error=skip in.jsonl
