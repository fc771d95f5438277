#!/bin/sh
# SPDX-License-Identifier: MIT
# demo.sh - the README's Quick start pipeline on the sample data shipped in
# data/: raw public data in, training-ready preference files out.
#
#   sh data/demo.sh BUILDDIR DATADIR      (run by `make demo`)
set -eu
bin=$1
data=$2
out=demo-out
PATH="$bin:$PATH"
export PATH
mkdir -p "$out"

step() {
	name=$1
	shift
	"$@" --stats="$out/$name.stats"
	printf '%-34s %s\n' "$name" "$(cat "$out/$name.stats")"
}

echo "prefkit demo: writing into $out/"
# 1. Read what people ship: a JSON array (ShareGPT), gzip JSONL (HH-RLHF).
step cat-sharegpt pref-cat -o "$out/sharegpt.jsonl" "$data/sample-sharegpt.json"
if command -v pref-convert >/dev/null; then
	# 2. Convert foreign formats into pairs.
	step convert-hh pref-convert --from hh -o "$out/hh-pairs.jsonl" "$data/sample-hh.jsonl.gz"
	step convert-sharegpt pref-convert --from sharegpt -o "$out/sharegpt-pairs.jsonl" "$data/sample-sharegpt.json"
fi
if command -v pref-expand >/dev/null; then
	# 3. OpenAssistant trees: every ranked sibling group into pairs.
	step expand-oasst pref-expand --from oasst -o "$out/oasst-pairs.jsonl" "$data/sample-oasst.jsonl"
fi
if command -v pref-curriculum >/dev/null; then
	# 4. The same replies as a curriculum, easy pairs first (Curry-DPO).
	step curriculum-oasst pref-curriculum --from oasst -o "$out/oasst-curriculum.jsonl" "$data/sample-oasst.jsonl"
fi
if command -v pref-relabel >/dev/null; then
	# 5. Reward-conditioned relabeling of scored pairs (Reward-Augmented DPO).
	step relabel pref-relabel --score-chosen-field metadata.score_chosen \
		--score-rejected-field metadata.score_rejected \
		-o "$out/relabeled.jsonl.zst" "$data/sample-pairs.jsonl"
fi
if command -v pref-stats >/dev/null; then
	# 6. What relabeling did, before and after: a text report and a page
	#    to open in a browser.
	step stats-relabel pref-stats --score-chosen-field metadata.score_chosen \
		--score-rejected-field metadata.score_rejected \
		--html="$out/relabel-audit.html" -o "$out/relabel-audit.txt" \
		"$data/sample-pairs.jsonl" "$out/relabeled.jsonl.zst"
fi
echo "done: $(ls "$out" | grep -v stats | tr '\n' ' ')"
