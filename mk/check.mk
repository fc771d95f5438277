## pref-check (issue 13): the rules of SPEC 3.7 in lib/check.c (pk_check_*),
## the command, its man page and cases; bench/check/ holds its benchmark.
lib_libprefkit_la_SOURCES += lib/check.c

check_PROGRAMS += tests/unit/test_check
TESTS += tests/unit/test_check
tests_unit_test_check_CPPFLAGS = $(AM_CPPFLAGS) -DTESTDATA='"$(abs_srcdir)/tests/data"'

bin_PROGRAMS += pref-check
pref_check_SOURCES = cmd/pref-check.c
dist_man_MANS += man/pref-check.1
TESTS += tests/cli/pref-check.test
## bench/check.sh and bench/py/check.py are shipped with bench/ (EXTRA_DIST).
