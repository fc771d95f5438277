# --help lists every option (on standard output, exit 0) and the formats
# --from takes.
pref-expand --help >help.txt
echo "exit $?"
for o in --pairs --top --min-gap --rank-by --to --step-regex --text-field \
	--score-field --rank-field --from --score --no-synthetic --prompt-field \
	--responses-field --output --zstd --on-error --stats --max-line \
	--progress --quiet --help --version oasst nectar ultrafeedback helpsteer; do
	grep -q -e "$o" help.txt || echo "missing $o"
done
