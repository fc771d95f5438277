# duplicate in any memory: the reports of a run within 1K of --memory (the
# key set written out every dozen keys, the rest decided by the merge) and
# of a run in memory list the same violations (compared whole, sorted:
# the duplicates told by the merge come after the others).  Inputs: the
# UltraFeedback sample with every 7th record repeated (143 duplicates by
# construction), and the TruthfulQA unpaired sample twice over, read with
# --from unpaired (every pair is made at the end of the input, all at its
# last line, so many records share one place): its 8 questions make 236
# desirable x undesirable pairs (Python count), twice over 4 x 236, so
# 3 x 236 = 708 duplicates.
train="$TESTDATA/relabel/train_clean.jsonl"
un="$TESTDATA/convert/truthfulqa_mc2_unpaired.jsonl"
python3 - "$train" >uf.jsonl <<'END'
import sys
lines = open(sys.argv[1]).read().splitlines()
print("\n".join(lines + lines[::7]))
END
cat "$un" "$un" >un.jsonl
for c in "uf.jsonl" "--from unpaired --desirable 1 --undesirable 0 un.jsonl"; do
	pref-check --limit 0 $c >big.txt
	echo "exit $?"
	pref-check --limit 0 --memory 1K --tmpdir . $c >small.txt
	echo "exit $?"
	sort big.txt >a
	sort small.txt >b
	if cmp -s a b; then same=same; else same=DIFFERENT; fi
	echo "$c: $(grep -c ': duplicate: ' big.txt) duplicates; 1K and in memory: $same"
done
