# --template-file: the file's one final newline is dropped; {{ }} are
# literal braces; an inner newline and a quote are escaped in the JSON.
printf 'Target {{score}}: {score}\n"aim high"\n' >t.txt
printf '%s\n' '{"prompt":"p","chosen":"A","rejected":"B","score_chosen":9,"score_rejected":2}' |
	pref-relabel --template-file t.txt
pref-relabel --template-file missing.txt </dev/null
echo "exit $?"
