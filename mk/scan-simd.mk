## The scanner's code paths (issue 16 item 2): SIMD string loops and UTF-8
## validators chosen at run time (lib/scan_simd.h; PREFKIT_SCAN forces one).
## No global -m flags: each path's functions carry their own target
## attribute, so the library runs on any CPU of its architecture.
lib_libprefkit_la_SOURCES += lib/scan_simd.c lib/scan_simd.h lib/scan_path.h

## Every path on crafted and random lines, against expectations and the
## scalar path (fuzz/fuzz_scan.c compares them on every fuzz input too).
check_PROGRAMS += tests/unit/test_scan_paths
TESTS += tests/unit/test_scan_paths

## The scanner alone on each path (bench/README.md): `make bench/scanbench`.
EXTRA_PROGRAMS = bench/scanbench
bench_scanbench_SOURCES = bench/scanbench.c
