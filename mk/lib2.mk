## libprefkit as a library (issue 9): its man page, whose example program
## is compiled and run by the tests, and a build of that program against
## the installed library with pkg-config (make installcheck, so make
## distcheck).

dist_man_MANS += man/libprefkit.3

## The example of libprefkit(3), extracted from the page (one text).
check_PROGRAMS += tests/pkswap
nodist_tests_pkswap_SOURCES = tests/pkswap.c
tests/pkswap.c: $(srcdir)/man/libprefkit.3 $(srcdir)/tests/man-example.sh
	$(AM_V_GEN)$(MKDIR_P) tests && \
	$(SHELL) $(srcdir)/tests/man-example.sh $(srcdir)/man/libprefkit.3 $@
CLEANFILES = tests/pkswap.c
TESTS += tests/libprefkit.test
EXTRA_DIST += tests/man-example.sh tests/libprefkit.test tests/libprefkit tests/GOLDENS \
	tests/installcheck.sh

## The same program built against the installed library, shared and
## static, with `pkg-config --cflags --libs prefkit`.
installcheck-local: installcheck-libprefkit
installcheck-libprefkit:
	CC='$(CC)' CFLAGS='$(CFLAGS)' PKG_CONFIG='$(PKG_CONFIG)' \
	DESTDIR='$(DESTDIR)' prefix='$(prefix)' libdir='$(libdir)' \
	pkgconfigdir='$(pkgconfigdir)' srcdir='$(abs_srcdir)' \
	$(SHELL) $(srcdir)/tests/installcheck.sh
.PHONY: installcheck-libprefkit

## Factuality-aware flipping (pref-flip's operation) and its unit test.
lib_libprefkit_la_SOURCES += lib/flip.c
check_PROGRAMS += tests/unit/test_flip
TESTS += tests/unit/test_flip
