## pref-convert and the foreign-format readers (issue 4).
lib_libprefkit_la_SOURCES += \
	lib/formats/fmt.h \
	lib/formats/formats.c \
	lib/formats/convert.c \
	lib/formats/helpsteer.c \
	lib/formats/hh.c \
	lib/formats/lists.c \
	lib/formats/nectar.c \
	lib/formats/oasst.c \
	lib/formats/sharegpt.c \
	lib/formats/trl.c \
	lib/formats/ufbinarized.c \
	lib/formats/ultrafeedback.c \
	lib/conversion.c

bin_PROGRAMS += pref-convert
pref_convert_SOURCES = cmd/pref-convert.c
dist_man_MANS += man/pref-convert.1
TESTS += tests/cli/pref-convert.test

check_PROGRAMS += tests/unit/test_formats
TESTS += tests/unit/test_formats

check_PROGRAMS += tests/unit/test_conversion
TESTS += tests/unit/test_conversion
