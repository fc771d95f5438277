## Real datasets in (issue 12): the pairwise, arena, best-of-N and unpaired
## readers, label LISTs, prompt templates, and the format options.
lib_libprefkit_la_SOURCES += \
	lib/formats/bon.c \
	lib/formats/match.c \
	lib/formats/pairwise.c \
	lib/formats/template.c \
	lib/formats/unpaired.c

lib_cli_libpkcli_la_SOURCES += lib/cli/formats.c

check_PROGRAMS += tests/unit/test_fmt_parts
TESTS += tests/unit/test_fmt_parts

## pref help NAME from the build tree, before installation: the pages of
## the source tree.
pref_CPPFLAGS = $(AM_CPPFLAGS) -DPK_BUILD_DIR='"$(abs_builddir)"' \
	-DPK_SOURCE_MAN_DIR='"$(abs_srcdir)/man"'
