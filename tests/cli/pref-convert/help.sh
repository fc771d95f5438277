# --help goes to standard output, exits 0 and names every option and
# every format.
pref-convert --help >help.txt
echo "exit $?"
for o in --from --to --list-formats --strict --score --no-synthetic \
	--flatten-template --pairs --rank-by --text-field --score-field \
	--rank-field --prompt-field --chosen-field --rejected-field \
	--score-chosen-field --score-rejected-field --responses-field \
	--output --zstd --on-error --stats --max-line --progress --quiet \
	--help --version trl ultrafeedback ultrafeedback-binarized hh oasst \
	nectar sharegpt helpsteer lists; do
	grep -q -e "$o" help.txt || echo "missing $o"
done
