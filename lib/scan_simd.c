/* SPDX-License-Identifier: MIT */
/*
 * scan_simd.c - the scanner's code paths (scan_simd.h): the choice of a
 * path at run time, and the UTF-8 validators that check a whole line
 * before the scanner reads it, so that its strings need no UTF-8 checks
 * of their own (a line that fails is scanned again sequence by sequence,
 * which finds the first bad byte and its column: a validator only ever
 * decides how fast a line is read, never what is said about it).
 *
 * The validators are the lookup algorithm of Keiser and Lemire,
 * "Validating UTF-8 in less than one instruction per byte" (Software:
 * Practice and Experience, 2021): three 16-entry tables, indexed by the
 * high and low nibble of the byte before and the high nibble of the byte
 * itself, classify every pair of bytes; their AND is nonzero where the
 * pair is an error, except that a 3rd or 4th byte of a sequence (found by
 * looking 2 and 3 bytes back) must be a continuation byte the tables call
 * "two continuations in a row".  The same code at 16, 32 and 64 bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "scan_simd.h"

#ifdef PK_SCAN_X86
#include <immintrin.h>
#endif

static const char *const path_names[PK_SCAN_PATHS] = {
	"scalar", "sse2", "avx2", "avx512"
};

const char *pk_scan_path_name(enum pk_scan_path p)
{
	return (unsigned)p < PK_SCAN_PATHS ? path_names[p] : "?";
}

#ifdef PK_SCAN_X86
/* Bit p: the CPU has path p; bit CPU_SSSE3: the sse2 path's validator. */
#define CPU_SSSE3 8

static int cpu_has(int p)
{
	static int known = -1;
	int k = __atomic_load_n(&known, __ATOMIC_RELAXED);

	if (k < 0) {
		__builtin_cpu_init();
		k = 1 << PK_SCAN_SCALAR | 1 << PK_SCAN_SSE2;
		if (__builtin_cpu_supports("avx2"))
			k |= 1 << PK_SCAN_AVX2;
		if (__builtin_cpu_supports("avx512f") &&
		    __builtin_cpu_supports("avx512bw"))
			k |= 1 << PK_SCAN_AVX512;
		if (__builtin_cpu_supports("ssse3"))
			k |= 1 << CPU_SSSE3;
		__atomic_store_n(&known, k, __ATOMIC_RELAXED);
	}
	return (k >> p) & 1;
}
#else
static int cpu_has(int p)
{
	return p == PK_SCAN_SCALAR;
}
#endif

int pk_scan_path_supported(enum pk_scan_path p)
{
	return (unsigned)p < PK_SCAN_PATHS && cpu_has(p);
}

static int cur_path = -1;

static enum pk_scan_path choose(void)
{
	const char *e = getenv("PREFKIT_SCAN");
	int p = PK_SCAN_PATHS - 1, k;

	if (e && *e)
		for (k = 0; k < PK_SCAN_PATHS; k++)
			if (strcmp(e, path_names[k]) == 0)
				p = k;
	while (p > 0 && !cpu_has(p))
		p--;
	return (enum pk_scan_path)p;
}

enum pk_scan_path pk_scan_path(void)
{
	int p = __atomic_load_n(&cur_path, __ATOMIC_RELAXED);

	if (PK_UNLIKELY(p < 0)) {
		p = (int)choose();
		__atomic_store_n(&cur_path, p, __ATOMIC_RELAXED);
	}
	return (enum pk_scan_path)p;
}

int pk_scan_set_path(enum pk_scan_path p)
{
	if (!pk_scan_path_supported(p))
		return PK_FATAL;
	__atomic_store_n(&cur_path, (int)p, __ATOMIC_RELAXED);
	return PK_OK;
}

#ifdef PK_SCAN_X86
/* The error classes of a pair of bytes (prev, cur), one bit each. */
#define U_TOO_SHORT (1 << 0)      /* lead, then not a continuation */
#define U_TOO_LONG (1 << 1)       /* ASCII, then a continuation */
#define U_OVERLONG_3 (1 << 2)     /* E0 80..9F */
#define U_TOO_LARGE (1 << 3)      /* F4 90..BF, F5..FF */
#define U_SURROGATE (1 << 4)      /* ED A0..BF */
#define U_OVERLONG_2 (1 << 5)     /* C0, C1 */
#define U_TOO_LARGE_1000 (1 << 6) /* F5..FF, then a continuation */
#define U_OVERLONG_4 (1 << 6)     /* F0 80..8F */
#define U_TWO_CONTS (1 << 7)      /* two continuations: fine only as the
				   * 3rd or 4th byte of a sequence */
#define U_CARRY (U_TOO_SHORT | U_TOO_LONG | U_TWO_CONTS)
#define U_LARGE (U_CARRY | U_TOO_LARGE | U_TOO_LARGE_1000)

/* By the high nibble of the previous byte. */
static const unsigned char t_hi1[16] = {
	U_TOO_LONG, U_TOO_LONG, U_TOO_LONG, U_TOO_LONG,
	U_TOO_LONG, U_TOO_LONG, U_TOO_LONG, U_TOO_LONG,
	U_TWO_CONTS, U_TWO_CONTS, U_TWO_CONTS, U_TWO_CONTS,
	U_TOO_SHORT | U_OVERLONG_2,
	U_TOO_SHORT,
	U_TOO_SHORT | U_OVERLONG_3 | U_SURROGATE,
	U_TOO_SHORT | U_TOO_LARGE | U_TOO_LARGE_1000 | U_OVERLONG_4,
};

/* By the low nibble of the previous byte. */
static const unsigned char t_lo1[16] = {
	U_CARRY | U_OVERLONG_3 | U_OVERLONG_2 | U_OVERLONG_4,
	U_CARRY | U_OVERLONG_2,
	U_CARRY, U_CARRY,
	U_CARRY | U_TOO_LARGE,
	U_LARGE, U_LARGE, U_LARGE, U_LARGE, U_LARGE, U_LARGE, U_LARGE,
	U_LARGE, U_LARGE | U_SURROGATE, U_LARGE, U_LARGE,
};

/* By the high nibble of the byte itself. */
static const unsigned char t_hi2[16] = {
	U_TOO_SHORT, U_TOO_SHORT, U_TOO_SHORT, U_TOO_SHORT,
	U_TOO_SHORT, U_TOO_SHORT, U_TOO_SHORT, U_TOO_SHORT,
	U_TOO_LONG | U_OVERLONG_2 | U_TWO_CONTS | U_OVERLONG_3 |
		U_TOO_LARGE_1000 | U_OVERLONG_4,
	U_TOO_LONG | U_OVERLONG_2 | U_TWO_CONTS | U_OVERLONG_3 | U_TOO_LARGE,
	U_TOO_LONG | U_OVERLONG_2 | U_TWO_CONTS | U_SURROGATE | U_TOO_LARGE,
	U_TOO_LONG | U_OVERLONG_2 | U_TWO_CONTS | U_SURROGATE | U_TOO_LARGE,
	U_TOO_SHORT, U_TOO_SHORT, U_TOO_SHORT, U_TOO_SHORT,
};

/* The largest byte allowed in each of the last 64 positions of the text:
 * a lead byte in the last 1, 2 or 3 positions needs more bytes.  A block
 * of w bytes uses the last w entries. */
static const unsigned char t_tail[64] = {
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255,
	0xF0 - 1, 0xE0 - 1, 0xC0 - 1,
};

__attribute__((target("ssse3"))) static int utf8_valid_ssse3(
	const unsigned char *s, size_t len)
{
	const __m128i hi1 = _mm_loadu_si128((const __m128i *)t_hi1),
		      lo1 = _mm_loadu_si128((const __m128i *)t_lo1),
		      hi2 = _mm_loadu_si128((const __m128i *)t_hi2),
		      max_tail = _mm_loadu_si128((const __m128i *)(t_tail + 48));
	const __m128i nib = _mm_set1_epi8(0x0F), zero = _mm_setzero_si128();
	__m128i prev = zero, err = zero, incomplete = zero;
	size_t i = 0;

	while (i < len) {
		__m128i in, p1, p2, p3, sc, must;

		if (i + 64 <= len) {
			/* skip ASCII 64 bytes at a time */
			__m128i a = _mm_loadu_si128((const __m128i *)(s + i)),
				b = _mm_loadu_si128((const __m128i *)(s + i + 16)),
				c = _mm_loadu_si128((const __m128i *)(s + i + 32)),
				d = _mm_loadu_si128((const __m128i *)(s + i + 48));

			if (!_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b),
							    _mm_or_si128(c, d)))) {
				err = _mm_or_si128(err, incomplete);
				incomplete = zero;
				prev = d;
				i += 64;
				continue;
			}
		}
		if (i + 16 <= len) {
			in = _mm_loadu_si128((const __m128i *)(s + i));
		} else {
			unsigned char tail[16] = {0};

			memcpy(tail, s + i, len - i);
			in = _mm_loadu_si128((const __m128i *)tail);
		}
		i += 16;
		if (!_mm_movemask_epi8(in)) {
			err = _mm_or_si128(err, incomplete);
			incomplete = zero;
			prev = in;
			continue;
		}
		p1 = _mm_alignr_epi8(in, prev, 15);
		sc = _mm_and_si128(
			_mm_and_si128(
				_mm_shuffle_epi8(hi1, _mm_and_si128(
					_mm_srli_epi16(p1, 4), nib)),
				_mm_shuffle_epi8(lo1, _mm_and_si128(p1, nib))),
			_mm_shuffle_epi8(hi2, _mm_and_si128(_mm_srli_epi16(in, 4),
							    nib)));
		p2 = _mm_alignr_epi8(in, prev, 14);
		p3 = _mm_alignr_epi8(in, prev, 13);
		must = _mm_and_si128(
			_mm_or_si128(_mm_subs_epu8(p2, _mm_set1_epi8(0xE0 - 0x80)),
				     _mm_subs_epu8(p3, _mm_set1_epi8(0xF0 - 0x80))),
			_mm_set1_epi8((char)0x80));
		err = _mm_or_si128(err, _mm_xor_si128(must, sc));
		incomplete = _mm_subs_epu8(in, max_tail);
		prev = in;
	}
	err = _mm_or_si128(err, incomplete);
	return _mm_movemask_epi8(_mm_cmpeq_epi8(err, zero)) == 0xFFFF;
}

/* The same, 32 bytes at a time.  The byte shifts of AVX2 work within
 * each 16-byte lane: the lane before is brought in with a permute. */
__attribute__((target("avx2"))) static int utf8_valid_avx2(
	const unsigned char *s, size_t len)
{
	const __m256i hi1 = _mm256_broadcastsi128_si256(
			      _mm_loadu_si128((const __m128i *)t_hi1)),
		      lo1 = _mm256_broadcastsi128_si256(
			      _mm_loadu_si128((const __m128i *)t_lo1)),
		      hi2 = _mm256_broadcastsi128_si256(
			      _mm_loadu_si128((const __m128i *)t_hi2)),
		      max_tail = _mm256_loadu_si256((const __m256i *)(t_tail + 32));
	const __m256i nib = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256(),
		      e3 = _mm256_set1_epi8(0xE0 - 0x80),
		      f4 = _mm256_set1_epi8(0xF0 - 0x80),
		      x80 = _mm256_set1_epi8((char)0x80);
	__m256i prev = zero, err = zero, incomplete = zero;
	size_t i = 0;

	while (i < len) {
		__m256i in, t, p1, p2, p3, sc, must;

		if (i + 64 <= len) {
			__m256i a = _mm256_loadu_si256((const __m256i *)(s + i)),
				b = _mm256_loadu_si256((const __m256i *)(s + i + 32));

			if (!_mm256_movemask_epi8(_mm256_or_si256(a, b))) {
				err = _mm256_or_si256(err, incomplete);
				incomplete = zero;
				prev = b;
				i += 64;
				continue;
			}
		}
		if (i + 32 <= len) {
			in = _mm256_loadu_si256((const __m256i *)(s + i));
		} else {
			unsigned char tail[32] = {0};

			memcpy(tail, s + i, len - i);
			in = _mm256_loadu_si256((const __m256i *)tail);
		}
		i += 32;
		if (!_mm256_movemask_epi8(in)) {
			err = _mm256_or_si256(err, incomplete);
			incomplete = zero;
			prev = in;
			continue;
		}
		/* t = the high lane of prev, the low lane of in */
		t = _mm256_permute2x128_si256(prev, in, 0x21);
		p1 = _mm256_alignr_epi8(in, t, 15);
		p2 = _mm256_alignr_epi8(in, t, 14);
		p3 = _mm256_alignr_epi8(in, t, 13);
		sc = _mm256_and_si256(
			_mm256_and_si256(
				_mm256_shuffle_epi8(hi1, _mm256_and_si256(
					_mm256_srli_epi16(p1, 4), nib)),
				_mm256_shuffle_epi8(lo1, _mm256_and_si256(p1, nib))),
			_mm256_shuffle_epi8(hi2, _mm256_and_si256(
				_mm256_srli_epi16(in, 4), nib)));
		must = _mm256_and_si256(
			_mm256_or_si256(_mm256_subs_epu8(p2, e3),
					_mm256_subs_epu8(p3, f4)),
			x80);
		err = _mm256_or_si256(err, _mm256_xor_si256(must, sc));
		incomplete = _mm256_subs_epu8(in, max_tail);
		prev = in;
	}
	err = _mm256_or_si256(err, incomplete);
	return _mm256_testz_si256(err, err);
}

/* The same, 64 bytes at a time with AVX-512BW: the lane before comes
 * from a shift by 6 quadwords across the register; the tail is read with
 * a masked load (the bytes past the end read as zero, ASCII). */
__attribute__((target("avx512f,avx512bw"))) static int utf8_valid_avx512(
	const unsigned char *s, size_t len)
{
	const __m512i hi1 = _mm512_broadcast_i32x4(
			      _mm_loadu_si128((const __m128i *)t_hi1)),
		      lo1 = _mm512_broadcast_i32x4(
			      _mm_loadu_si128((const __m128i *)t_lo1)),
		      hi2 = _mm512_broadcast_i32x4(
			      _mm_loadu_si128((const __m128i *)t_hi2)),
		      max_tail = _mm512_loadu_si512((const void *)t_tail);
	const __m512i nib = _mm512_set1_epi8(0x0F), zero = _mm512_setzero_si512(),
		      e3 = _mm512_set1_epi8(0xE0 - 0x80),
		      f4 = _mm512_set1_epi8(0xF0 - 0x80),
		      x80 = _mm512_set1_epi8((char)0x80);
	__m512i prev = zero, err = zero, incomplete = zero;
	size_t i = 0;

	while (i < len) {
		__m512i in, t, p1, p2, p3, sc, must;

		if (i + 128 <= len) {
			/* skip ASCII 128 bytes at a time */
			__m512i a = _mm512_loadu_si512((const void *)(s + i)),
				b = _mm512_loadu_si512((const void *)(s + i + 64));

			if (!_mm512_movepi8_mask(_mm512_or_si512(a, b))) {
				err = _mm512_or_si512(err, incomplete);
				incomplete = zero;
				prev = b;
				i += 128;
				continue;
			}
		}
		if (i + 64 <= len)
			in = _mm512_loadu_si512((const void *)(s + i));
		else
			in = _mm512_maskz_loadu_epi8(
				(__mmask64)((1ULL << (len - i)) - 1), s + i);
		i += 64;
		/* t = the last lane of prev, then the first three of in */
		t = _mm512_alignr_epi64(in, prev, 6);
		p1 = _mm512_alignr_epi8(in, t, 15);
		p2 = _mm512_alignr_epi8(in, t, 14);
		p3 = _mm512_alignr_epi8(in, t, 13);
		sc = _mm512_and_si512(
			_mm512_and_si512(
				_mm512_shuffle_epi8(hi1, _mm512_and_si512(
					_mm512_srli_epi16(p1, 4), nib)),
				_mm512_shuffle_epi8(lo1, _mm512_and_si512(p1, nib))),
			_mm512_shuffle_epi8(hi2, _mm512_and_si512(
				_mm512_srli_epi16(in, 4), nib)));
		must = _mm512_and_si512(
			_mm512_or_si512(_mm512_subs_epu8(p2, e3),
					_mm512_subs_epu8(p3, f4)),
			x80);
		err = _mm512_or_si512(err, _mm512_xor_si512(must, sc));
		incomplete = _mm512_subs_epu8(in, max_tail);
		prev = in;
	}
	err = _mm512_or_si512(err, incomplete);
	return _mm512_test_epi8_mask(err, err) == 0;
}
#endif

int pk_utf8_valid_path(enum pk_scan_path p, const unsigned char *s,
		       size_t len)
{
#ifdef PK_SCAN_X86
	if (!pk_scan_path_supported(p))
		return -1;
	switch (p) {
	case PK_SCAN_AVX512:
		return utf8_valid_avx512(s, len);
	case PK_SCAN_AVX2:
		return utf8_valid_avx2(s, len);
	case PK_SCAN_SSE2:
		return cpu_has(CPU_SSSE3) ? utf8_valid_ssse3(s, len) : -1;
	default:
		break;
	}
#endif
	(void)p;
	(void)s;
	(void)len;
	return -1;
}
