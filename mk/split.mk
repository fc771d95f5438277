## pref-split, pref-dedup and scale-out (issue 14): canonical JSON and
## normalization (canon.c), split decisions (split.c), dedup keys and the
## key set (dedup.c).

lib_libprefkit_la_SOURCES += lib/canon.c lib/casefold.h lib/split.c lib/keyset.c \
	lib/dedup.c
EXTRA_DIST += tools/gen-casefold.py

check_PROGRAMS += tests/unit/test_canon tests/unit/test_split
TESTS += tests/unit/test_canon tests/unit/test_split
tests_unit_test_canon_CPPFLAGS = $(AM_CPPFLAGS) -DCORPUS='"$(abs_srcdir)/fuzz/corpus/scan"'

## pref-split
bin_PROGRAMS += pref-split
pref_split_SOURCES = cmd/pref-split.c
dist_man_MANS += man/pref-split.1
TESTS += tests/cli/pref-split.test

## the key set and dedup (keyset.c, dedup.c)
check_PROGRAMS += tests/unit/test_keyset tests/unit/test_dedup
TESTS += tests/unit/test_keyset tests/unit/test_dedup

## pref-dedup
bin_PROGRAMS += pref-dedup
pref_dedup_SOURCES = cmd/pref-dedup.c
dist_man_MANS += man/pref-dedup.1
TESTS += tests/cli/pref-dedup.test

## Scaling out (README "Scaling out", prefkit(7) SCALING OUT): shards of
## pref-split through GNU parallel and through Dask (contrib/prefkit-dask.py
## on a LocalCluster; skipped without python3-distributed) against one
## process.
TESTS += tests/cli/scale-out.test tests/cli/scale-out-dask.test
EXTRA_DIST += contrib/prefkit-dask.py
