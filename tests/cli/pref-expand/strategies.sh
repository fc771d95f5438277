# Every strategy on lists with ties (1), ranks only (2), one response (3),
# all tied (4) and five untied scores (5): chosen>rejected per pair.
for s in all adjacent best-vs-rest rest-vs-worst best-vs-worst skip=1 skip=2 skip=3; do
	echo "== $s"
	pref-expand --pairs "$s" "$TESTDATA/expand/lists.jsonl" |
		sed -E 's/.*"id":([0-9]).*"chosen":"([^"]*)","rejected":"([^"]*)".*/\1: \2>\3/'
done
