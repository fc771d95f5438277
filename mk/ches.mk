## pref-ches (issue 11): the tokenizer (shared: pref-check, pref-stats),
## the .npy / safetensors readers and the CHES arithmetic (SPEC 3.4).

lib_libprefkit_la_SOURCES += lib/tokenize.c

check_PROGRAMS += tests/unit/test_tokenize
TESTS += tests/unit/test_tokenize

## tokdump: the tokens of texts, for the Python oracle of tests/cli/tokenize
check_PROGRAMS += tests/unit/tokdump
TESTS += tests/cli/tokenize.test
