# Bad records under --on-error=abort (the default): "pref-expand:
# FILE:LINE: message", exit 1, and the pairs of the records before it
# are written.
ok='{"prompt":"P","responses":[{"text":"a","score":2},{"text":"b","score":1}]}'
try() {
	printf '%s\n%s\n' "$ok" "$1" >in.jsonl
	pref-expand in.jsonl
	echo "exit $?"
}
try '{"prompt":"P","responses":[{"text":"a","score":1},{"score":2}]}'
try '{"prompt":"P","responses":[{"text":"a","rank":1.5},{"text":"b","rank":2}]}'
try '{"prompt":"P","responses":[{"text":"a","rank":"first"},{"text":"b","rank":2}]}'
try '{"prompt":"P","responses":[{"text":"a","score":"high"}]}'
try '{"prompt":"P","responses":[{"text":"a","score":1},{"text":"b"}]}'
try '{"prompt":"P","responses":[{"text":"a","score":1},{"text":"b","rank":1}]}'
try '{"prompt":"P","responses":{"text":"a"}}'
try '{"prompt":"P"}'
try '{"responses":[{"text":"a","score":1}]}'
try '{"prompt":"P","responses":[{"text":{"x":1},"score":1}]}'
try '{"prompt":"P","responses":["a","b"]}'
try '{"prompt":"P","responses":[{"text":"a","score":1e999}]}'
try '{"prompt":"P","responses":[{"text":"a","score":1}'
