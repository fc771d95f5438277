# Scaling out with GNU parallel (prefkit(7) SCALING OUT): pref-split
# --shards cuts real data by prompt, each map step (expand, convert,
# relabel, flip, ches --max, check) runs on every shard as its own job, and the union of the shards' outputs is, as a multiset of
# lines (sorted, compared whole), the output of one process over all the
# data.  pref-curriculum orderings of the shards merged by --merge are the
# single run's ordering byte for byte.  The per-shard --stats objects
# added up by pref-stats --sum are the single run's counts (all but
# "blank", which counts lines and so shards as well).  --sshlogin :
# (the local machine, as parallel names it) runs the documented
# several-machine form.
LC_ALL=C
export LC_ALL
oasst="$TESTDATA/expand/oasst_en_100_tree.jsonl"
hh="$TESTDATA/convert/hh_harmless_test.jsonl.gz"
pairs="$DATA/sample-pairs.jsonl"
pref-split --shards 4 -o tree "$oasst"
pref-split --shards 4 --by field=chosen -z -o hh "$hh"
pref-split --shards 3 -o pairs "$pairs"
scores="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
# name, command, shards, input
check() {
	name=$1 cmd=$2 shards=$3 input=$4
	mkdir -p "out-$name" "stats-$name"
	parallel --halt now,fail=1 "$cmd --stats=stats-$name/{/}.stats -o out-$name/{/} {}" ::: $shards || echo "$name: a job failed"
	$cmd --stats=single-$name.stats "$input" | zstd -dcf | sort >single-$name
	zstd -dcf out-$name/* | sort >union-$name
	if cmp -s single-$name union-$name; then same=same; else same=DIFFERENT; fi
	pref-stats --sum stats-$name/*.stats >sum-$name.stats
	sums=$(python3 - single-$name.stats sum-$name.stats <<'END'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
a.pop("blank"); b.pop("blank")
print("stats add up" if a == b else "stats DIFFER: %s %s" % (a, b))
END
)
	echo "$name: $(wc -l <single-$name) records, union $same, $sums"
}
check expand "pref-expand --from oasst" "tree-0000?-of-00004.jsonl" "$oasst"
check convert-oasst "pref-convert --from oasst" "tree-0000?-of-00004.jsonl" "$oasst"
check convert-hh "pref-convert -q --from hh" "hh-0000?-of-00004.jsonl.zst" "$hh"
check relabel "pref-relabel $scores" "pairs-0000?-of-00003.jsonl" "$pairs"
check flip "pref-flip --by score $scores" "pairs-0000?-of-00003.jsonl" "$pairs"
check expand-zstd "pref-expand --from oasst -z" "tree-0000?-of-00004.jsonl" "$oasst"
# pref-ches --max, a filter of each pair on its own (the UltraFeedback
# sample less its two pairs with an empty response, which ln-ches refuses)
train="$TESTDATA/relabel/train_clean.jsonl"
eval="$TESTDATA/check/eval_clean.jsonl"
python3 - "$train" >uf.jsonl <<'END'
import json, sys
for line in open(sys.argv[1]):
    x = json.loads(line)
    if x["chosen"].strip() and x["rejected"].strip():
        sys.stdout.write(line)
END
pref-split --shards 3 -o uf uf.jsonl
check ches-max "pref-ches --max -0.0076" "uf-0000?-of-00003.jsonl" uf.jsonl
# pref-check: every rule but duplicate looks at one record at a time (leak
# compares it with the --against file, which every job reads whole), so
# the per-shard --json reports add up to the single run's counts.  The
# input repeats every 7th train record: duplicates share their prompt, and
# pref-split cuts by prompt, so each lands in the shard of its first and
# duplicate adds up too; shards cut by line (round robin) miss the
# duplicates whose first is in another shard.
python3 - "$train" >ck.jsonl <<'END'
import sys
lines = open(sys.argv[1]).read().splitlines()
print("\n".join(lines + lines[::7]))
END
pref-split --shards 3 -o ck ck.jsonl
split -n r/3 -d ck.jsonl rr-
ckopts="$scores --scale 1:10 --against $eval --leak-ngram 13 --deny-regex Sorry --max-chars 8000"
mkdir ck-json
parallel "pref-check --json=ck-json/{/}.json $ckopts {} >/dev/null; test \$? -le 1" ::: ck-0000?-of-00003.jsonl rr-0? || echo "check: a job failed"
pref-check --json=single-check.json $ckopts ck.jsonl >/dev/null
echo "check exit $?"
python3 - single-check.json ck-json/ck-*.json -- ck-json/rr-*.json <<'END'
import json, sys
args = sys.argv[1:]
single, rest = args[0], args[1:]
cut = rest.index("--")
def counts(files):
    total = {"records": 0}
    for f in files:
        r = json.load(open(f))
        total["records"] += r["records"]
        for rule, v in r["rules"].items():
            total[rule] = total.get(rule, 0) + v["violations"]
    return total
one = counts([single])
for name, files in (("by prompt", rest[:cut]), ("by line", rest[cut + 1:])):
    s = counts(files)
    diff = sorted(k for k in one if one[k] != s[k])
    print("check, %d shards %s: %s" % (len(files), name,
          "every count adds up" if not diff else
          "differ: " + ", ".join("%s %d of %d" % (k, s[k], one[k]) for k in diff)))
print("check single run:", ", ".join("%s %d" % kv for kv in sorted(one.items()) if kv[1]))
END
# a pipeline of map steps per shard, through parallel's shell
mkdir out-pipe
parallel "pref-relabel $scores {} | pref-flip --by score $scores > out-pipe/{/}" ::: pairs-0000?-of-00003.jsonl
pref-relabel $scores "$pairs" | pref-flip --by score $scores | sort >single-pipe
sort out-pipe/* | cmp - single-pipe && echo "relabel | flip: union same ($(wc -l <single-pipe) records)"
# pref-curriculum: order each shard, merge the orderings
for seed in 0 7; do
	rm -rf cur && mkdir cur
	parallel pref-curriculum --from oasst --seed $seed -o cur/{/} {} ::: tree-0000?-of-00004.jsonl
	pref-curriculum --merge --seed $seed cur/tree-0000?-of-00004.jsonl >merged
	pref-curriculum --from oasst --seed $seed "$oasst" >single
	cmp merged single && echo "curriculum seed $seed: merge of 4 shards = single run, byte for byte ($(wc -l <single) pairs)"
done
# the several-machine form, with the local machine as the only login
rm -rf cur && mkdir cur
parallel --sshlogin : --workdir . pref-curriculum --from oasst -o cur/{/} {} ::: tree-0000?-of-00004.jsonl
pref-curriculum --from oasst "$oasst" >single
pref-curriculum --merge cur/tree-0000?-of-00004.jsonl | cmp - single && echo "--sshlogin : gives the same"
