# The member-clash rule (prefkit(7)): "ches", "ln_ches" and "ches_source"
# replace the members of those names, in their places.  By hand: S+ =
# a + b, S- = a + c, so ches = 1 - 2 and ln_ches = 1/4 - 2/4.
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
echo '{"ches":"x","prompt":"p","chosen":"a b","rejected":"a c","ln_ches":0,"ches_source":0}' |
	pref-ches > out.jsonl
echo "exit $?"
cat out.jsonl
nodup out.jsonl
