# A mapped input (prefkit(7) PREFKIT_MMAP) gives what one read with read(2)
# gives: the runs of threads-same, once with every input file mapped
# (PREFKIT_MMAP=2, the small ones too) and once with none mapped
# (PREFKIT_MMAP=0).  Each says "same" for every -j, and every file the
# two made (standard output and error, quarantine and --stats files, exit
# statuses, at every -j and batch size) is byte-identical to the other's.
for m in 0 2; do
	mkdir "m$m"
	(cd "m$m" && PREFKIT_MMAP=$m && export PREFKIT_MMAP &&
		. "$CASEDIR/threads-same.sh") >"verdicts.$m"
done
# each run's verdicts are threads-same's expected ones
cmp -s verdicts.0 "$CASEDIR/threads-same.stdout" || echo "read: not the verdicts of threads-same"
cmp -s verdicts.2 "$CASEDIR/threads-same.stdout" || echo "mapped: not the verdicts of threads-same"
n=0
for f in m0/*; do
	n=$((n + 1))
	cmp -s "$f" "m2/${f#m0/}" || echo "mapped and read differ: ${f#m0/}"
done
[ "$(ls m2 | wc -l)" -eq "$n" ] || echo "not the same files"
[ "$n" -gt 500 ] && echo "mapped and read: same files"
