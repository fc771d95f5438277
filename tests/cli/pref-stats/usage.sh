# Misuse is exit 2 with a hint; a missing file is exit 2 and no report.
echo '{}' >a.jsonl
pref-stats a.jsonl a.jsonl a.jsonl; echo "exit $?"
pref-stats --sum --json a.jsonl; echo "exit $?"
pref-stats --html=- a.jsonl; echo "exit $?"
pref-stats --memory=x a.jsonl; echo "exit $?"
pref-stats no-such.jsonl; echo "exit $?"
pref-stats a.jsonl no-such.jsonl; echo "exit $?"
