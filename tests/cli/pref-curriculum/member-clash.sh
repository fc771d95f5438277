# The member-clash rule (prefkit(7)): "gap" and "stage" replace the
# members of those names, in their places.
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
echo '{"gap":"x","prompt":"p","chosen":"a","rejected":"b","score_chosen":3,"score_rejected":1,"stage":"y"}' |
	pref-curriculum > out.jsonl
echo "exit $?"
cat out.jsonl
nodup out.jsonl
