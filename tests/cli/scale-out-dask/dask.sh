# contrib/prefkit-dask.py on a Dask LocalCluster of 2 worker processes:
# each shard of pref-split is a task that pipes it through a prefkit
# pipeline into its part, then the merge step runs on the parts.  The
# result is the single process's: byte for byte for pref-curriculum's
# ordering (merged by pref-curriculum --merge), as a multiset of lines
# for map steps put together by pref-cat.  A failing task fails the run.
# Needs python3-distributed, importable by /usr/bin/python3 (the Debian
# package; .ci/run installs it, scale-out-dask.test skips without it).
LC_ALL=C
export LC_ALL
dask="/usr/bin/python3 $CASEDIR/../../../contrib/prefkit-dask.py"
oasst="$TESTDATA/expand/oasst_en_100_tree.jsonl"
pref-split --shards 3 -o tree "$oasst"
$dask --local 2 -o parts --pipeline 'pref-curriculum --from oasst --seed 3' \
	--merge 'pref-curriculum --merge --seed 3 -o merged.jsonl' tree-0000?-of-00003.jsonl
echo "exit $?"
ls parts
pref-curriculum --from oasst --seed 3 "$oasst" | cmp - merged.jsonl &&
	echo "curriculum: the merge of the parts = the single run ($(wc -l <merged.jsonl) pairs)"
pref-split --shards 3 -o pairs "$DATA/sample-pairs.jsonl"
scores="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
$dask --local 2 -o parts2 --pipeline "pref-relabel $scores | pref-flip --by score $scores" \
	--merge 'pref-cat -o all.jsonl' pairs-0000?-of-00003.jsonl
pref-relabel $scores "$DATA/sample-pairs.jsonl" | pref-flip --by score $scores | sort >single
sort all.jsonl | cmp - single && echo "relabel | flip: the union of the parts = the single run ($(wc -l <single) pairs)"
# a task that fails: a bad option
$dask --local 2 -o parts3 --pipeline 'pref-expand --nope' tree-0000?-of-00003.jsonl 2>err
echo "exit $?"
grep -c "unrecognized option '--nope'" err
