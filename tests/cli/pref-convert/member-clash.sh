# The member-clash rule (prefkit(7)): a member written replaces the one
# of that name the pair already has, in its place; a paired field named
# like a member of the response ("text_chosen") is dropped, and of two
# renamed onto one name ("chosen_x", "x_w") the later is kept.
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
cat > in.jsonl <<'EOF'
{"prompt":"p","chosen":"a","rejected":"b","responses":[1]}
{"responses":0,"prompt":"p","chosen":"a","rejected":"b","score_chosen":3,"score_rejected":1,"text_chosen":"T","chosen_x":1,"x_w":2}
EOF
pref-convert --from trl --to lists in.jsonl > lists.jsonl
echo "exit $?"
cat lists.jsonl
nodup lists.jsonl
# --to unpaired: "label" and "completion" replaced, "source_chosen"
# replaces "source" on the chosen side only
echo '{"label":"old","prompt":"p","chosen":"a","rejected":"b","completion":"c","source":"s","source_chosen":"sc"}' |
	pref-convert --from trl --to unpaired > unpaired.jsonl
echo "exit $?"
cat unpaired.jsonl
nodup unpaired.jsonl
