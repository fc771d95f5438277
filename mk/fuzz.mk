## Reliability (issue 15): fuzz targets, allocation-failure injection and
## the hostile-input campaign (fuzz/README.md, tests/fault, tests/hostile).
##
## Fuzz targets: with --enable-fuzzing (clang) they are libFuzzer binaries
## and `make fuzz` runs each for FUZZ_SECONDS; otherwise they are built
## with fuzz/standalone.c, a driver that replays files, and
## fuzz/replay.test replays every corpus under `make check`.
FUZZ_TARGETS = scan reader formats obj relabel rank steptree check tensor num
FUZZ_PROGS = fuzz/fuzz_scan fuzz/fuzz_reader fuzz/fuzz_formats fuzz/fuzz_obj \
	fuzz/fuzz_relabel fuzz/fuzz_rank fuzz/fuzz_steptree fuzz/fuzz_check \
	fuzz/fuzz_tensor fuzz/fuzz_num
check_PROGRAMS += $(FUZZ_PROGS)
if FUZZING
FUZZ_DRIVER =
FUZZ_LD = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
else
FUZZ_DRIVER = fuzz/standalone.c
FUZZ_LD = $(AM_LDFLAGS)
endif
fuzz_fuzz_scan_SOURCES = fuzz/fuzz_scan.c $(FUZZ_DRIVER)
fuzz_fuzz_reader_SOURCES = fuzz/fuzz_reader.c $(FUZZ_DRIVER)
fuzz_fuzz_formats_SOURCES = fuzz/fuzz_formats.c fuzz/fuzz.h $(FUZZ_DRIVER)
fuzz_fuzz_obj_SOURCES = fuzz/fuzz_obj.c fuzz/fuzz.h $(FUZZ_DRIVER)
fuzz_fuzz_relabel_SOURCES = fuzz/fuzz_relabel.c fuzz/fuzz.h $(FUZZ_DRIVER)
fuzz_fuzz_rank_SOURCES = fuzz/fuzz_rank.c fuzz/fuzz.h $(FUZZ_DRIVER)
fuzz_fuzz_steptree_SOURCES = fuzz/fuzz_steptree.c fuzz/fuzz.h $(FUZZ_DRIVER)
fuzz_fuzz_check_SOURCES = fuzz/fuzz_check.c fuzz/fuzz.h $(FUZZ_DRIVER)
fuzz_fuzz_tensor_SOURCES = fuzz/fuzz_tensor.c fuzz/fuzz.h $(FUZZ_DRIVER)
fuzz_fuzz_num_SOURCES = fuzz/fuzz_num.c fuzz/fuzz.h $(FUZZ_DRIVER)
fuzz_fuzz_scan_LDFLAGS = $(FUZZ_LD)
fuzz_fuzz_reader_LDFLAGS = $(FUZZ_LD)
fuzz_fuzz_formats_LDFLAGS = $(FUZZ_LD)
fuzz_fuzz_obj_LDFLAGS = $(FUZZ_LD)
fuzz_fuzz_relabel_LDFLAGS = $(FUZZ_LD)
fuzz_fuzz_rank_LDFLAGS = $(FUZZ_LD)
fuzz_fuzz_steptree_LDFLAGS = $(FUZZ_LD)
fuzz_fuzz_check_LDFLAGS = $(FUZZ_LD)
fuzz_fuzz_tensor_LDFLAGS = $(FUZZ_LD)
fuzz_fuzz_num_LDFLAGS = $(FUZZ_LD)
TESTS += fuzz/replay.test
EXTRA_DIST += fuzz/replay.test fuzz/standalone.c fuzz/README.md fuzz/run-fuzz \
	fuzz/json.dict

## make fuzz: each target in turn for FUZZ_SECONDS (default 60), on a
## working corpus in fuzz-out/TARGET seeded from fuzz/corpus/TARGET; a
## crash leaves its input in fuzz-out/crashes/.  FUZZ_TARGETS=... picks.
FUZZ_SECONDS = 60
fuzz: $(FUZZ_PROGS)
if FUZZING
	@$(SHELL) $(srcdir)/fuzz/run-fuzz '$(srcdir)' '$(FUZZ_SECONDS)' $(FUZZ_TARGETS)
else
	@echo "make fuzz: configure with --enable-fuzzing CC=clang first" >&2; exit 2
endif
.PHONY: fuzz

clean-local: clean-fuzz
clean-fuzz:
	-rm -rf fuzz-out tests/fault/failmalloc.so
.PHONY: clean-fuzz

## Allocation-failure injection: an LD_PRELOAD shim failing the Nth
## allocation (never a sanitizer build's: alloc.test skips those), run
## over relabel, expand, convert and cat for every N.
check_DATA = tests/fault/failmalloc.so
tests/fault/failmalloc.so: tests/fault/failmalloc.c
	@mkdir -p tests/fault
	$(AM_V_CC)$(CC) -shared -fPIC -O1 -g $(WARN_CFLAGS) -o $@ \
		$(srcdir)/tests/fault/failmalloc.c -ldl
TESTS += tests/fault/alloc.test
EXTRA_DIST += tests/fault/alloc.test tests/fault/failmalloc.c tests/fault/sites.sh

## The hostile-input campaign for every command (tests/hostile/run).
TESTS += tests/hostile/hostile.test
EXTRA_DIST += tests/hostile/hostile.test tests/hostile/run .ci/valgrind-check
