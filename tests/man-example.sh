#!/bin/sh
# SPDX-License-Identifier: MIT
# man-example.sh MANPAGE - print the C program of MANPAGE's EXAMPLES, the
# lines between the comments "BEGIN EXAMPLE PROGRAM" and "END EXAMPLE
# PROGRAM", with the roff escapes it uses turned back into C: \e is a
# backslash, \- a minus sign, \(aq a quote, \& nothing.  The build compiles
# the result (tests/libprefkit-example), so the page and the program that
# the tests run are one text.
set -eu
sed -n '/^\.\\" BEGIN EXAMPLE PROGRAM/,/^\.\\" END EXAMPLE PROGRAM/p' "$1" |
	sed -e '/^\./d' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\&//g' \
	    -e 's/\\e/\\/g' >"${2:-/dev/stdout}"
