# -j N gives what -j 1 gives (prefkit(7) COMMON OPTIONS): for every
# command that takes -j, on inputs that mix good records, bad ones (more
# than the 10 reported), a line over --max-line, blank lines and two input
# files, and with one or seven records per batch (PREFKIT_BATCH_LINES) so
# that the records of one run go to every worker.  Compared with cmp: standard
# output, standard error, the quarantine file, the --stats file and the
# exit status, under each --on-error mode.  Prints one verdict per run.

# pairs.jsonl: the 40 sample pairs with 3 x 5 bad lines among them, a
# line of 70000 bytes (over --max-line=64K; the longest good line of the
# inputs has 29436), blank lines
{
	i=0
	while read -r line; do
		printf '%s\n' "$line"
		i=$((i + 1))
		case $i in
		5 | 17 | 30) sed -n '2,6p' "$DATA/sample-bad.jsonl" ;;
		11) printf '{"prompt":"%s","chosen":"a","rejected":"b"}\n' "$(printf '%070000d' 0)" ;;
		esac
	done <"$DATA/sample-pairs.jsonl"
} >pairs.jsonl
# scored.jsonl: the pairs with goal scores and factuality labels
awk '/"chosen"/ && /^\{.*\}$/ && !/"dup"/ {
	n++; sub(/\}$/, ",\"score_chosen\":" (n % 7 + 3) ",\"score_rejected\":" (n % 5 + 1) ",\"h_w\":" (n % 2) ",\"h_l\":" (n % 3 == 0) "}")
} { print }' pairs.jsonl >scored.jsonl
zcat "$TESTDATA/convert/hh_harmless_test.jsonl.gz" >hh.jsonl
cp "$TESTDATA/expand/lists.jsonl" lists.jsonl
cat "$TESTDATA/expand/lists.jsonl" "$DATA/sample-bad.jsonl" >lists-bad.jsonl
# ranked lists of message-list texts (OpenAssistant), a bad line among them
pref-convert --from=oasst --to=lists "$TESTDATA/expand/oasst_en_100_tree.jsonl" |
	sed '40a\
{"prompt":"p","responses":[' >ol.jsonl
# oasst trees with a bad line between them
sed '3a\
{"message_tree_id":' "$TESTDATA/expand/oasst_en_100_tree.jsonl" >oasst.jsonl
# a JSON array file that goes bad after its second record
printf '%s\n' '[{"prompt":"p","chosen":"a","rejected":"b"},' \
	'{"prompt":"q","chosen":"a","rejected":"a"},' '{"x": ]' >array.json
# the pairs with white space to compact
sed 's/^{"/{ "/' "$DATA/sample-pairs.jsonl" >spaced.jsonl
# a test split for pref-check --against: prompts of the pairs
head -n 4 "$DATA/sample-pairs.jsonl" >against.jsonl

# run J:LINES NAME CMD ARGS...: the run's outputs in NAME.J:LINES.*
run() {
	n=$1 name=$2
	shift 2
	for mode in abort skip quarantine; do
		oe=$mode
		[ $mode = quarantine ] && oe=quarantine=$name.$n.$mode.q
		PREFKIT_BATCH_LINES=${n#*:} "$@" -j "${n%:*}" --max-line=64K --on-error="$oe" --stats="$name.$n.$mode.stats" \
			>"$name.$n.$mode.out" 2>"$name.$n.$mode.err"
		echo "$?" >"$name.$n.$mode.exit"
	done
}

# compare NAME: verdict is "same" when every file of the runs NAME.J:LINES
# is the one of -j 1 (NAME.1:1.*), else says the first that differs
compare() {
	verdict=same
	for f in "$1".1:1.*; do
		for n in 2:1 4:1 2:7 3:7; do
			cmp -s "$f" "$1.$n.${f#"$1".1:1.}" ||
				verdict="DIFFERENT (-j ${n%:*}, ${n#*:} a batch: ${f#"$1".1:1.})"
		done
	done
}

# check NAME CMD ARGS...: -j 2, 3 and 4 against -j 1
check() {
	name=$1
	shift
	for n in 1:1 2:1 4:1 2:7 3:7; do
		run "$n" "$name" "$@"
	done
	compare "$name"
	# the runs did something: records written under skip, some rejected
	[ -s "$name.1:1.skip.out" ] || verdict="$verdict; nothing written"
	grep -q '"skipped":[1-9]' "$name.1:1.skip.stats" || verdict="$verdict; nothing skipped"
	echo "$name: $verdict"
}

check cat pref-cat pairs.jsonl pairs.jsonl
check cat-stdin sh -c 'pref-cat "$@" - <pairs.jsonl' sh
check relabel pref-relabel scored.jsonl pairs.jsonl
check relabel-opts pref-relabel --ties=first --keep-original --placement=field=goal \
	--round=1 scored.jsonl
check flip pref-flip scored.jsonl scored.jsonl
check flip-score pref-flip --by=score scored.jsonl
check expand pref-expand --pairs=all lists-bad.jsonl lists.jsonl
check expand-oasst pref-expand --from=oasst oasst.jsonl
check expand-tree pref-expand --to=tree lists-bad.jsonl
check convert-hh pref-convert --from=hh hh.jsonl pairs.jsonl
check convert-trl pref-convert --from=trl --to=conversational scored.jsonl
check convert-lists pref-convert --from=lists --to=standard lists-bad.jsonl
check ches pref-ches scored.jsonl pairs.jsonl
check ches-max pref-ches --metric=edit --max=-0.5 scored.jsonl
check split sh -c 'pref-split --test 0.3 -o part "$@" scored.jsonl pairs.jsonl &&
	cat part.train.jsonl part.test.jsonl' sh
check split-shards sh -c 'pref-split --shards 3 --seed 5 -o s "$@" scored.jsonl &&
	cat s-00000-of-00003.jsonl s-00001-of-00003.jsonl s-00002-of-00003.jsonl' sh
check ches-keep pref-ches --keep-bottom=0.5 scored.jsonl pairs.jsonl
check ches-drop-stdin sh -c 'pref-ches --drop-top=0.3 "$@" - <scored.jsonl' sh
check curriculum pref-curriculum --memory=24K lists-bad.jsonl ol.jsonl
check curriculum-gap pref-curriculum --within=gap --stages=4 --memory=24K scored.jsonl pairs.jsonl
check curriculum-mixed pref-curriculum --keep-ties scored.jsonl lists-bad.jsonl ol.jsonl
check curriculum-split sh -c 'pref-curriculum --split-stages s --within=gap "$@" lists-bad.jsonl ol.jsonl &&
	cat s.stage*.jsonl' sh
# pref-stats: records measured on the workers, added up in input order
check stats pref-stats pairs.jsonl
check stats-two pref-stats --json scored.jsonl pairs.jsonl
check stats-lists pref-stats --json --ascii lists-bad.jsonl
# the values beyond --memory go to the sketch, the keys spill to --tmpdir
check stats-spill sh -c 'cat pairs.jsonl scored.jsonl | pref-stats --json --memory=1K --tmpdir=. "$@" -' sh
# pref-dedup: the records of the second file repeat the first's; bad
# records (no key fields) among the lists; a memory so small that the
# keys and the records put aside spill
check dedup pref-dedup pairs.jsonl spaced.jsonl scored.jsonl pairs.jsonl
check dedup-prompt pref-dedup --key=prompt --normalize=space,case \
	lists-bad.jsonl scored.jsonl
check dedup-spill pref-dedup --memory=1K --tmpdir=. --key=prompt,chosen \
	scored.jsonl spaced.jsonl pairs.jsonl scored.jsonl

# check_all NAME CMD ARGS...: check for pref-check, which judges every
# line (--on-error does not apply): runs without it, the report also as
# --json=FILE, shown after the output
check_all() {
	name=$1
	shift
	for n in 1:1 2:1 4:1 2:7 3:7; do
		PREFKIT_BATCH_LINES=${n#*:} "$@" -j "${n%:*}" --max-line=64K \
			--json="$name.$n.json" --stats="$name.$n.stats" \
			>"$name.$n.out" 2>"$name.$n.err"
		echo "$?" >"$name.$n.exit"
	done
	compare "$name"
	grep -q '"violations":[1-9]' "$name.1:1.json" || verdict="$verdict; no violation"
	echo "$name: $verdict"
}

# bad lines, a line over --max-line, duplicates across files, a JSON
# array file that goes bad; every violation listed; duplicates spilled
check_all check pref-check --limit=0 pairs.jsonl array.json pairs.jsonl
check_all check-rules pref-check --limit=3 --scale=3:8 --against=against.jsonl \
	--leak-ngram=2 --deny-regex='(?i)\bthe\b' --max-chars=300 \
	scored.jsonl lists-bad.jsonl pairs.jsonl
check_all check-spill pref-check --limit=0 --memory=1K --tmpdir=. \
	scored.jsonl pairs.jsonl scored.jsonl
check_all check-stdin sh -c 'pref-check --rule=tie=error "$@" - <scored.jsonl' sh
check_all check-hh pref-check --from=hh hh.jsonl
check_all check-oasst pref-check --from=oasst oasst.jsonl
