## pref-stats (issue 13, SPEC 3.8) and pref-stats --sum (issue 14): the
## dataset description (lib/stats.c) and its reports (lib/stats_report.c).
lib_libprefkit_la_SOURCES += lib/stats.c lib/stats.h lib/stats_report.c

check_PROGRAMS += tests/unit/test_stats
TESTS += tests/unit/test_stats

## the lexer of the default token pattern against PCRE2 (lib/tokenize.c)
check_PROGRAMS += tests/unit/test_tokenize_lexer
TESTS += tests/unit/test_tokenize_lexer

bin_PROGRAMS += pref-stats
pref_stats_SOURCES = cmd/pref-stats.c
dist_man_MANS += man/pref-stats.1
TESTS += tests/cli/pref-stats.test
