# --top 3 keeps the three best of each list (b a c / y z x / h i f);
# --min-gap 3 with all keeps b>d (4), h>f (4), h>g (6), h>e (7),
# i>g (4), i>e (5), f>e (3): 18 pairs - 7 = 11 below the gap (rank
# gaps of list 2 are 1, 2, 1).
sel() { sed -E 's/.*"id":([0-9]).*"chosen":"([^"]*)","rejected":"([^"]*)".*/\1: \2>\3/'; }
echo "== --top 3"
pref-expand --top 3 --stats=s1.json "$TESTDATA/expand/lists.jsonl" | sel
cat s1.json
echo "== --min-gap 3"
pref-expand --pairs all --min-gap 3 --stats=s2.json "$TESTDATA/expand/lists.jsonl" | sel
cat s2.json
