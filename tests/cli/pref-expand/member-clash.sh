# The member-clash rule (prefkit(7)): the members a pair is written with
# replace the list's fields of those names ("chosen", "group_id"), once;
# they are written together where the responses were.  group_id of "P"
# as in the man page example.
# nodup: "no key twice", or the keys a line holds twice (Python, which
# keeps every pair of an object here); then pref-cat must accept it.
nodup() {
	python3 -c '
import json, sys
def h(p):
    ks = [k for k, _ in p]
    d = sorted({k for k in ks if ks.count(k) > 1})
    if d: print("DUPLICATE KEYS", d)
    return dict(p)
for l in open(sys.argv[1]): json.loads(l, object_pairs_hook=h)
print("no key twice")' "$1"
	pref-cat "$1" >/dev/null && echo "pref-cat accepts it"
}
echo '{"group_id":"old","prompt":"P","chosen":"X","responses":[{"text":"a","score":9},{"text":"b","score":7}]}' |
	pref-expand > out.jsonl
echo "exit $?"
cat out.jsonl
nodup out.jsonl
