# --split-stages PREFIX: one file per stage (PREFIX.stage1.jsonl ...; .zst
# with -z) for training stage by stage; together, in stage order, they are
# the single stream.  Gap stages write all K files, empty ones too.  The
# files appear only when the whole run succeeded.
pref-convert --from oasst --to lists "$TESTDATA/expand/oasst_en_100_tree.jsonl" >lists.jsonl
pref-curriculum lists.jsonl >single.jsonl
pref-curriculum --split-stages out --stats=st lists.jsonl || echo "exit $?"
cat st
ls out.*
for s in 1 2 3 4 5 6 7 8; do cat out.stage$s.jsonl; done | cmp - single.jsonl && echo "stage files = single stream"
for s in 1 2 3 4 5 6 7 8; do grep -v "\"stage\":$s," out.stage$s.jsonl; done
pref-curriculum -z --split-stages z lists.jsonl
ls z.*
for s in 1 2 3 4 5 6 7 8; do zstd -dcq z.stage$s.jsonl.zst; done | cmp - single.jsonl && echo "-z: the same, compressed"

printf '%s\n' '{"chosen":"a","rejected":"b","score_chosen":3,"score_rejected":1}' \
	'{"chosen":"c","rejected":"d","score_chosen":5,"score_rejected":3}' >eq.jsonl
pref-curriculum --split-stages eq eq.jsonl
wc -c eq.stage1.jsonl eq.stage2.jsonl eq.stage3.jsonl

printf '%s\n' '{"chosen":"e","rejected":"f","score_chosen":1}' >>eq.jsonl
pref-curriculum --split-stages bad eq.jsonl
echo "exit $?"
for f in bad*; do [ -e "$f" ] && echo "left behind: $f"; done
pref-curriculum --split-stages x -o y eq.jsonl
echo "exit $?"
