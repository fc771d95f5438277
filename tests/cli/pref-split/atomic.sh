# The parts appear together or not at all: a bad record (exit 1) or a
# part that cannot be written (exit 2) leaves no part and no temporary
# file, and parts of an earlier run stay as they were.
printf '{"prompt":"a"}\n{"prompt":"b"}\n{"prompt":\n{"prompt":"c"}\n' >bad.jsonl
echo old >d.train.jsonl
pref-split --test 0.5 -o d bad.jsonl
echo "exit $?"
ls -A
cat d.train.jsonl
pref-split --shards 3 -o s bad.jsonl
echo "exit $?"
ls -A
# a directory where a part should go
mkdir s-00001-of-00003.jsonl
printf '{"prompt":"a"}\n' | pref-split --shards 3 -o s
echo "exit $?"
ls -A
rmdir s-00001-of-00003.jsonl
printf '{"prompt":"a"}\n{"prompt":"b"}\n' | pref-split --shards 3 -o s
echo "exit $?"
ls -A
cat s-0000?-of-00003.jsonl
