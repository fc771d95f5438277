# A temporary file that cannot be made or written (a missing --tmpdir; a
# full disk, here a file size limit with SIGXFSZ ignored, as a full disk
# gives ENOSPC) is an I/O error: exit 2 with a message, no -o file, never
# a short output.  So is an output that cannot be written.
in="$TESTDATA/relabel/train_clean.jsonl"
f="--score-chosen-field metadata.score_chosen --score-rejected-field metadata.score_rejected"
pref-curriculum $f --memory 16K --tmpdir /nonexistent/dir -o out.jsonl "$in"
echo "no tmpdir: exit $?"
mkdir tmp
(ulimit -f 20; trap '' XFSZ; exec pref-curriculum $f --memory 16K --tmpdir tmp -o out.jsonl "$in")
echo "file size limit: exit $?"
(ulimit -f 20; trap '' XFSZ; exec pref-curriculum $f --memory 16K --tmpdir tmp "$in" >stdout.jsonl)
echo "file size limit, standard output: exit $?, $(wc -c <stdout.jsonl) bytes out"
ls -A . tmp
pref-curriculum $f -o /dev/full "$in"
echo "output on a full disk: exit $?"
