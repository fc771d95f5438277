# Hand-made duplicates, each key and normalization; the expected lines
# below are written by hand (kept: first of each key, in input order), and
# checked by golden-oracle (a Python pref-dedup written from the man page).
# Record 9 has the implicit prompt of its conversation: the prompt of 7.
cat >in.jsonl <<'END'
{"prompt": "Hello  world", "chosen": "A", "rejected": "B", "id": 1}
{"prompt":"Hello  world","chosen":"A","rejected":"B","id":2}
{"rejected": "B", "chosen": "A", "prompt": "Hello  world", "id": 3}
{"prompt": "hello world", "chosen": "A", "rejected": "B", "id": 4}
{"prompt": "Hello world ", "chosen": "a", "rejected": "C", "id": 5}
{"prompt": "Hell\u006f  world", "chosen": "A", "rejected": "C", "id": 6}
{"prompt": [{"role": "user", "content": "Hi"}], "chosen": "A", "rejected": "B", "id": 7}
{"prompt": [{"content": "Hi", "role": "user"}], "chosen": "A", "rejected": "B", "id": 8}
{"chosen": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "A"}], "rejected": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "X"}], "id": 9}
{"prompt": "STRASSE", "chosen": "A", "rejected": "B", "meta": {"src": "x", "n": 1}, "id": 10}
{"prompt": "Straße", "chosen": "A", "rejected": "B", "meta": {"n": 1.0, "src": "x"}, "id": 11}
END
ids() { python3 -c 'import json, sys; print(" ".join(str(json.loads(l)["id"]) for l in sys.stdin))'; }
echo "pair: $(pref-dedup in.jsonl | ids)"
echo "prompt: $(pref-dedup --key prompt in.jsonl | ids)"
echo "prompt space: $(pref-dedup --key prompt --normalize space in.jsonl | ids)"
echo "prompt case: $(pref-dedup --key prompt --normalize case in.jsonl | ids)"
echo "prompt space,case: $(pref-dedup --key prompt --normalize space,case in.jsonl | ids)"
echo "chosen: $(pref-dedup --key chosen in.jsonl | ids)"
echo "chosen case: $(pref-dedup --key chosen --normalize case in.jsonl | ids)"
echo "rejected: $(pref-dedup --key rejected in.jsonl | ids)"
echo "prompt,chosen: $(pref-dedup --key prompt,chosen in.jsonl | ids)"
echo "meta (skip): $(pref-dedup --key meta --on-error=skip in.jsonl | ids)"
echo "meta.src (skip): $(pref-dedup --key meta.src --on-error=skip in.jsonl | ids)"
# records come out as pref-cat writes them
pref-dedup --key prompt,chosen in.jsonl
