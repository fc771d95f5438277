## pref-expand and the ranked-list library module (issue 4).
lib_libprefkit_la_SOURCES += lib/rank.c lib/steptree.c lib/expand.c

bin_PROGRAMS += pref-expand
pref_expand_SOURCES = cmd/pref-expand.c
dist_man_MANS += man/pref-expand.1
TESTS += tests/cli/pref-expand.test

check_PROGRAMS += tests/unit/test_rank tests/unit/test_steptree tests/unit/test_expand
TESTS += tests/unit/test_rank tests/unit/test_steptree tests/unit/test_expand
