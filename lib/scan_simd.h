/* SPDX-License-Identifier: MIT */
/*
 * scan_simd.h - the scanner's code paths (internal, beside scan.c): which
 * instruction set the scanner's hot loops use, chosen once at run time
 * from what the CPU has, or forced with PREFKIT_SCAN (prefkit(7)); and
 * the UTF-8 validators of each path (scan_simd.c).  Every path gives the
 * same results: the same verdict, error, column and spans.
 */
#ifndef PK_SCAN_SIMD_H
#define PK_SCAN_SIMD_H

#include <stddef.h>

/* x86 builds have the SIMD paths; -DPK_NO_SIMD builds the portable code
 * only, as on other architectures (to check that it still compiles). */
#if defined(__GNUC__) && (defined(__x86_64__) || \
			  (defined(__i386__) && defined(__SSE2__))) && \
	!defined(PK_NO_SIMD)
#define PK_SCAN_X86 1
#endif

enum pk_scan_path {
	PK_SCAN_SCALAR,  /* plain C: 8 bytes at a time in strings, UTF-8
			  * checked sequence by sequence as strings are read */
	PK_SCAN_SSE2,    /* 16 bytes at a time; the line's UTF-8 checked
			  * first with SSSE3 when the CPU has it */
	PK_SCAN_AVX2,    /* 32 bytes at a time */
	PK_SCAN_AVX512,  /* 64 bytes at a time (AVX-512BW) */
	PK_SCAN_PATHS
};

/* The path in use: the first call picks the best one the CPU has, or the
 * one PREFKIT_SCAN names ("scalar", "sse2", "avx2", "avx512") when the CPU
 * has it, else the best below it.  An unknown name is ignored. */
enum pk_scan_path pk_scan_path(void);

/* Does this build and CPU have path p? (scalar: always) */
int pk_scan_path_supported(enum pk_scan_path p);

/* Use path p from now on, in every thread (for tests and benchmarks).
 * Returns PK_OK, or PK_FATAL when p is not supported (nothing changes). */
int pk_scan_set_path(enum pk_scan_path p);

/* "scalar", "sse2", "avx2", "avx512". */
const char *pk_scan_path_name(enum pk_scan_path p);

/* Is s[0..len) valid UTF-8 (no overlong form, surrogate, code point above
 * U+10FFFF, stray or missing continuation byte)?  1 or 0; -1 when path p
 * has no such validator (scalar, or sse2 on a CPU without SSSE3), when the
 * scanner checks UTF-8 sequence by sequence instead. */
int pk_utf8_valid_path(enum pk_scan_path p, const unsigned char *s,
		       size_t len);

#endif
