# FILEs are read in order; - is standard input.
printf '{"f":1}\n' > a.jsonl
printf '{"f":3}\n' > c.jsonl
printf '{"f":2}\n' | pref-cat a.jsonl - c.jsonl
