#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/selftest.sh: checks of the benchmark kit itself (no prefkit needed).
#   - gen.py: same seed and arguments give byte-identical output; another
#     seed gives another; a smaller --size is a prefix of a larger one;
#     --records N gives N records; every record of every shape is a JSON object
#   - the jq, Miller and Python baselines agree (run.sh --verify-only)
# Takes about a minute.  Exit 0 when all pass.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null 2>&1 || { echo "selftest: $PYTHON not found" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/prefkit-bench-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $*"; }
gen() { "$PYTHON" "$here/gen.py" "$@"; }

for shape in pairs scored-pairs labeled-pairs lists hh; do
	gen --shape "$shape" --seed 7 --size 2M -o "$tmp/a"
	gen --shape "$shape" --seed 7 --size 2M >"$tmp/b"
	if cmp -s "$tmp/a" "$tmp/b"; then ok "$shape: same seed, same bytes"; else not_ok "$shape: same seed, different bytes"; fi
	gen --shape "$shape" --seed 8 --records 50 >"$tmp/c"
	if ! cmp -s "$tmp/c" <(head -n 50 "$tmp/a"); then ok "$shape: another seed, other records"; else not_ok "$shape: seed ignored"; fi
	gen --shape "$shape" --seed 7 --size 200K >"$tmp/c"
	if cmp -s "$tmp/c" <(head -c "$(wc -c <"$tmp/c")" "$tmp/a"); then ok "$shape: smaller size is a prefix"; else not_ok "$shape: smaller size is not a prefix"; fi
	gen --shape "$shape" --seed 7 --records 123 >"$tmp/c"
	if [ "$(wc -l <"$tmp/c")" -eq 123 ]; then ok "$shape: --records 123"; else not_ok "$shape: --records 123 gave $(wc -l <"$tmp/c")"; fi
	if "$PYTHON" - "$tmp/a" "$shape" <<'EOF'
import json, sys
path, shape = sys.argv[1], sys.argv[2]
need = {"pairs": ["chosen", "rejected", "score_chosen", "score_rejected"],
        "scored-pairs": ["scores_chosen", "scores_rejected"],
        "labeled-pairs": ["h_w", "h_l"], "lists": ["prompt", "responses"],
        "hh": ["chosen", "rejected"]}[shape]
with open(path, "rb") as f:
    for n, line in enumerate(f, 1):
        o = json.loads(line)
        assert isinstance(o, dict), "line %d: not an object" % n
        for k in need:
            assert k in o, "line %d: no %s" % (n, k)
        if b"\\/" in line:
            assert max(line) < 0x80, "line %d: pandas style but raw non-ASCII" % n
EOF
	then ok "$shape: valid records"; else not_ok "$shape: invalid records"; fi
done

if "$here/run.sh" --verify-only --no-prefkit --verify-size 2M --cache "$tmp/cache" >"$tmp/verify" 2>"$tmp/verify.err" &&
	! grep -q 'DIFFERS\|FAILED' "$tmp/verify"; then
	ok "baselines agree: $(grep -c matches "$tmp/verify") comparisons"
else
	not_ok "baselines disagree"
	cat "$tmp/verify" "$tmp/verify.err" >&2
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
