## pref-split, pref-dedup and scale-out (issue 14): canonical JSON and
## normalization (canon.c), split decisions (split.c), dedup keys and the
## key set (dedup.c).

lib_libprefkit_a_SOURCES += lib/canon.c lib/casefold.h
EXTRA_DIST += tools/gen-casefold.py

check_PROGRAMS += tests/unit/test_canon
TESTS += tests/unit/test_canon
tests_unit_test_canon_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS='"$(abs_srcdir)/fuzz/corpus/scan"'
