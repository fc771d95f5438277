# Ranked lists in another shape (--from lists): the fields named by the
# options get their canonical names in place, a dotted path included;
# responses keep their input order and other members; a rank must be an
# integer.  Then --to pairs --rank-by rank (group_id: xxhsum -H3 of "q").
printf '%s\n' '{"id":3,"q":"q","data":{"answers":[{"a":"x","r":2,"m":"m2"},{"a":"y","r":1,"m":"m1"}],"n":2}}' >in.jsonl
o="--from lists --prompt-field q --responses-field data.answers --text-field a --rank-field r"
pref-convert $o in.jsonl
pref-convert $o --to pairs --rank-by rank in.jsonl
printf '%s\n' '{"prompt":"q","responses":[{"text":"x","rank":1.5},{"text":"y","rank":1}]}' |
	pref-convert --from lists
echo "exit $?"
