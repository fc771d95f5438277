# Issue 14: per-shard --stats files add up.  The samples are split into 4
# shards by group hash (pref-split --shards), each shard is processed on
# its own with --stats=FILE, and `pref-stats --sum` of the shard files
# equals the single run's --stats, member for member (checked in Python),
# for pref-convert (HH, split by its chosen transcript, with the reader's own counters), pref-expand (OpenAssistant
# trees) and pref-stats itself; the counts of pref-stats --json add up
# too (duplicates included: a prompt's records share a shard).
ln -s "$DATA" data
pref-convert --from oasst --to lists data/sample-oasst.jsonl >oasst-lists.jsonl
pref-cat data/sample-hh.jsonl.gz >hh.jsonl
cat "$TESTDATA/relabel/train_clean.jsonl" >uf.jsonl
head -n 50 uf.jsonl >>uf.jsonl # 50 duplicates
run() { # NAME INPUT SPLIT-KEY COMMAND...: single run and shard runs
	name=$1 in=$2 by=$3
	shift 3
	"$@" --stats="$name.single" "$in" >/dev/null
	pref-split --shards 4 --by "$by" -o "sh-$name" "$in"
	for s in sh-$name-*; do
		"$@" --stats="$s.stats" "$s" >/dev/null
	done
	pref-stats --sum sh-$name-*.stats >"$name.sum"
}
o="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
run convert hh.jsonl field=chosen pref-convert --from hh
run expand oasst-lists.jsonl prompt pref-expand
run stats uf.jsonl prompt pref-stats --json $o
pref-stats --json $o uf.jsonl >uf.json
for s in sh-stats-*.jsonl; do pref-stats --json $o "$s" >"$s.json"; done
cat sh-stats-*.stats | pref-stats --sum -o stdin.sum
python3 - <<'END'
import json, glob
for name in ("convert", "expand", "stats"):
    single = json.load(open(name + ".single"))
    total = json.load(open(name + ".sum"))
    shards = sorted(glob.glob("sh-%s-*.stats" % name))
    print(name, len(shards), "shards:", total == single, json.dumps(total))
print("from standard input:", json.load(open("stdin.sum")) == json.load(open("stats.sum")))
one = json.load(open("uf.json"))
parts = [json.load(open(f)) for f in sorted(glob.glob("sh-stats-*.jsonl.json"))]
keys = ["read", "records", "pairs", "scored_pairs", "ties", "misordered", "duplicates"]
print({k: one[k] for k in keys})
print("--json counts add up:", all(sum(p[k] for p in parts) == one[k] for k in keys))
END
# what is not a --stats object is refused
echo '{"read":1,"note":"x"}' | pref-stats --sum
echo "exit $?"
