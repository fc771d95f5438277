## pref-relabel and pref-flip (issue 3): reward-conditioned relabeling
## (SPEC 3.1) and factuality-aware flipping (SPEC 3.5).

lib_libprefkit_la_SOURCES += lib/relabel.c lib/sides.c lib/sink.c

## pref-relabel
bin_PROGRAMS += pref-relabel
pref_relabel_SOURCES = cmd/pref-relabel.c
dist_man_MANS += man/pref-relabel.1
TESTS += tests/cli/pref-relabel.test

## pref-flip
bin_PROGRAMS += pref-flip
pref_flip_SOURCES = cmd/pref-flip.c
dist_man_MANS += man/pref-flip.1
TESTS += tests/cli/pref-flip.test

## unit test of lib/relabel.c and lib/sides.c
check_PROGRAMS += tests/unit/test_relabel
TESTS += tests/unit/test_relabel
