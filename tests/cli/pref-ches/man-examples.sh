# Every command of the EXAMPLES section of man/pref-ches.1, verbatim;
# pairs.jsonl is the UltraFeedback sample of the tests, and the .npy
# files are written as the man page's Python snippet writes them
# (np.save: version 1.0, <f4 and <i8), from made-up hidden states.
# The snippet itself must at least be valid Python.
cp "$TESTDATA/relabel/train_clean.jsonl" pairs.jsonl
if command -v zstd >/dev/null; then
	zstd -q pairs.jsonl -o pairs.jsonl.zst
else
	cp pairs.jsonl pairs.jsonl.zst # pref-cat reads either
fi
echo '{"chosen":"The capital is Canberra.","rejected":"The capital is Sydney."}' |
    pref-ches
pref-cat pairs.jsonl.zst | pref-ches --drop-top 0.05 --on-error=skip --stats -o train.jsonl
pref-ches --metric edit --max -0.3333 pairs.jsonl > distinct.jsonl
python3 - "$CASEDIR/../../../man/pref-ches.1" <<END
import re, sys
sys.path.insert(0, "$CASEDIR")
import tensorio as T
man = open(sys.argv[1]).read()
snippet = [b for b in re.findall(r"\.Bd -literal[^\n]*\n(.*?)\.Ed", man, re.S)
           if b.startswith("import json")][0].replace("\\\\e", "\\\\")
compile(snippet, "snippet", "exec")
n = sum(1 for _ in open("pairs.jsonl"))
T.write_npy("chosen.npy", [[float(i % 7), 1.0, -0.5] for i in range(n)], descr="<f4")
T.write_npy("rejected.npy", [[float(i % 5), 0.5, 2.0] for i in range(n)], descr="<f4")
T.write_npy("len_chosen.npy", [1 + i % 3 for i in range(n)], descr="<i8")
T.write_npy("len_rejected.npy", [2 + i % 4 for i in range(n)], descr="<i8")
print("snippet compiles;", n, "rows written")
END
pref-ches --embeddings npy=chosen.npy,rejected.npy,len_chosen.npy,len_rejected.npy \
    --keep-bottom 0.05 pairs.jsonl > train.jsonl
python3 - <<'END'
import json
print("distinct:", sum(1 for _ in open("distinct.jsonl")),
      "kept by npy:", sum(1 for _ in open("train.jsonl")))
END
