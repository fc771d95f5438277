# The same input sorted with a tiny --memory (dozens of runs spilled to
# --tmpdir and merged in passes) gives the bytes of an in-memory run: lists
# (the OpenAssistant trees, shuffled and by gap) and pairs (the
# UltraFeedback sample, gap stages shuffled: the runs are read once per
# stage).  The temporary directory is left empty.
oasst="$TESTDATA/expand/oasst_en_100_tree.jsonl"
uf="$TESTDATA/relabel/train_clean.jsonl"
f="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
mkdir tmp
runs() { sed 's/.*"sort_runs":\([0-9]*\),"sort_merge_passes":\([0-9]*\).*/\1 \2/' "$1"; }
check() {
	name=$1
	shift
	pref-curriculum "$@" >big.jsonl || echo "$name: exit $?"
	pref-curriculum --memory 24K --tmpdir tmp --stats=st "$@" >small.jsonl || echo "$name: exit $?"
	set -- $(runs st)
	if cmp -s big.jsonl small.jsonl; then same=same; else same=DIFFERENT; fi
	echo "$name: $(wc -l <big.jsonl) pairs, $same bytes, more than 10 runs: $([ "$1" -gt 10 ] && echo yes), merge passes: $([ "$2" -gt 0 ] && echo yes)"
}
check oasst-shuffle --from oasst "$oasst"
check oasst-gap --from oasst --within gap --pairs all "$oasst"
check uf-gap-shuffle $f "$uf"
check uf-gap-within $f --within gap --keep-ties --stages 6 "$uf"
ls -A tmp
echo "(tmp listed)"
