## pref-curriculum (issue 10): easy-to-hard orderings (SPEC 3.3) on the
## bounded-memory external sort of the library (lib/extsort.c, shared with
## pref-dedup and pref-convert --from unpaired).
lib_libprefkit_la_SOURCES += lib/extsort.c

check_PROGRAMS += tests/unit/test_extsort
TESTS += tests/unit/test_extsort
lib_libprefkit_la_SOURCES += lib/curriculum.c

bin_PROGRAMS += pref-curriculum
pref_curriculum_SOURCES = cmd/pref-curriculum.c
dist_man_MANS += man/pref-curriculum.1
TESTS += tests/cli/pref-curriculum.test

check_PROGRAMS += tests/unit/test_curriculum
TESTS += tests/unit/test_curriculum
