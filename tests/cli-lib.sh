# SPDX-License-Identifier: MIT
# cli-lib.sh - sourced by tests/cli/*.test: run one command's cases.
run_cases() {
	exec sh "$srcdir/tests/run-cli" "$srcdir/tests/cli/$1"
}
