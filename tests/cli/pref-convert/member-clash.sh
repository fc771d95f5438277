# The member-clash rule (prefkit(7)): a member written replaces the one
# of that name the pair already has, in its place; a paired field named
# like a member of the response ("text_chosen") is dropped, and of two
# renamed onto one name ("chosen_x", "x_w") the later is kept.
# nodup (common/nodup.inc): no key written twice, and pref-cat accepts it.
. "$CASEDIR/../common/nodup.inc"
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
