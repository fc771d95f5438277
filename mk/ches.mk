## pref-ches (issue 11): the tokenizer (shared: pref-check, pref-stats),
## the .npy / safetensors readers and the CHES arithmetic (SPEC 3.4).

lib_libprefkit_la_SOURCES += lib/tokenize.c lib/tensor.c lib/ches.c lib/dense.c

check_PROGRAMS += tests/unit/test_tokenize tests/unit/test_ches tests/unit/test_tensor tests/unit/test_twopass tests/unit/test_num_parse
TESTS += tests/unit/test_tokenize tests/unit/test_ches tests/unit/test_tensor tests/unit/test_twopass tests/unit/test_num_parse

## tokdump: the tokens of texts, for the Python oracle of tests/cli/tokenize
check_PROGRAMS += tests/unit/tokdump
TESTS += tests/cli/tokenize.test

## two passes over the input (spool or re-read) and quantile cuts: shared
lib_libprefkit_la_SOURCES += lib/twopass.c

## pref-ches
bin_PROGRAMS += pref-ches
pref_ches_SOURCES = cmd/pref-ches.c
dist_man_MANS += man/pref-ches.1
TESTS += tests/cli/pref-ches.test
EXTRA_DIST += tests/cli/pref-ches.test

## Reading numbers (lib/num.c): the powers of five of the exact
## decimal-to-double conversion, written by tools/gen-pow5.py
lib_libprefkit_la_SOURCES += lib/pow5.h
EXTRA_DIST += tools/gen-pow5.py
