/* SPDX-License-Identifier: MIT */
/*
 * scan.c - the validating scanner: checks that a line is exactly one JSON
 * value (RFC 8259 grammar, strict UTF-8, valid escapes, nesting limit, no
 * duplicate keys) without building a tree, and records the byte spans of
 * the top-level members.  It accepts exactly what jansson 2.14 accepts with
 * JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES (so a key
 * holding \u0000, which jansson cannot store, is rejected), except numbers
 * out of range (integers beyond 64 bits, reals beyond a double), which
 * are valid JSON and pass through untouched (SPEC 4), and a NUL byte after
 * a number or literal, which jansson skips by accident and the scanner
 * rejects.
 * Speed comes from checking a line's UTF-8 in one SIMD pass when the CPU
 * allows (scan_simd.c), so that strings are then read 16, 32 or 64 bytes
 * at a time for '"', '\\' and control characters only; the 32- and 64-byte
 * paths also step over the escapes of a block without leaving their loop.
 * The path is chosen at run time (scan_simd.h, PREFKIT_SCAN); the scanner
 * proper is compiled once per path from scan_path.h, and every path gives
 * the same results.  Also here: walkers over already validated text,
 * lookups by name and path, and compaction.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 25)
#include <sys/random.h>
#define HAVE_GETRANDOM 1
#endif
#include "pk_private.h"
#include "scan_simd.h"
#ifdef PK_SCAN_X86
#include <immintrin.h>
#endif

/* Objects with more keys than this find duplicates with a hash table. */
#define PK_LINEAR_KEYS 16
#define FRAME_ARRAY ((size_t)-1)

enum scan_err {
	E_NONE, E_EOF, E_CHAR, E_UTF8, E_ESCAPE, E_SURROGATE, E_CONTROL,
	E_DEPTH, E_DUP, E_NULKEY, E_NOMEM
};

/* A key of an open object, decoded: bytes in the text (no escapes) or in
 * the arena (escaped keys, decoded once). */
struct skey {
	size_t raw;     /* offset of the opening quote in the text */
	size_t off;
	size_t len;
	int esc;
};

struct hslot {
	uint64_t gen;   /* slot is live when equal to its table's gen */
	uint64_t hash;
	size_t kidx;
};

/* The key table of one open object with many keys.  Objects nest, so the
 * innermost such object always owns the top table of the stack. */
struct ktab {
	struct hslot *slot;
	size_t cap, used;
	uint64_t gen;   /* bumped to empty the table in O(1) */
};

struct scan_scratch {
	size_t *frames;   /* per open container: first key index, or FRAME_ARRAY */
	size_t fcap;
	struct skey *keys;
	size_t kcap;
	struct pk_buf arena;
	struct ktab *tabs;
	size_t ntabs, tabs_cap;
};

struct scan_ctx {
	const unsigned char *s;
	size_t len;
	struct scan_scratch *sc;
	int strict;     /* validate UTF-8 in strings (not checked beforehand) */
	int has_space;
	enum scan_err ecode;
	size_t epos;
};

/* 1 for bytes that need no attention inside a string. */
static const unsigned char str_plain[256] = {
	['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* The same for text already known to be valid UTF-8. */
static const unsigned char str_plain_utf8[256] = {
	['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static inline int is_ws(unsigned c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline int is_digit(unsigned c)
{
	return c - '0' < 10;
}

static enum pk_type type_from_byte(unsigned c)
{
	switch (c) {
	case '{': return PK_T_OBJECT;
	case '[': return PK_T_ARRAY;
	case '"': return PK_T_STRING;
	case 't': return PK_T_TRUE;
	case 'f': return PK_T_FALSE;
	case 'n': return PK_T_NULL;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return PK_T_NUMBER;
	default:
		return PK_T_NONE;
	}
}

/* Length of the valid UTF-8 sequence at s (s[0] >= 0x80), or 0. */
static inline size_t utf8_seq(const unsigned char *s, size_t avail)
{
	unsigned c = s[0];

	if (c < 0xC2)
		return 0;
	if (c < 0xE0)
		return avail >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		if (avail < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
			return 0; /* overlong, or a UTF-16 surrogate */
		return 3;
	}
	if (c < 0xF5) {
		if (avail < 4 || (s[1] & 0xC0) != 0x80 ||
		    (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
			return 0; /* overlong, or above U+10FFFF */
		return 4;
	}
	return 0;
}

/* Hex digit value + 1, or 0. */
static const unsigned char hexval1[256] = {
	['0'] = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
	['A'] = 11, 12, 13, 14, 15, 16,
	['a'] = 11, 12, 13, 14, 15, 16,
};

static inline int hex4(const unsigned char *s)
{
	int a = hexval1[s[0]] - 1, b = hexval1[s[1]] - 1,
	    c = hexval1[s[2]] - 1, d = hexval1[s[3]] - 1;

	if ((a | b | c | d) < 0)
		return -1;
	return a << 12 | b << 8 | c << 4 | d;
}

/*
 * find_special_PATH(s, len, i, strict): the index of the first byte at or
 * after i that is '"', '\\', < 0x20 or (when strict) >= 0x80, or len.
 * One per code path (scan_simd.h); each is inlined into that path's
 * string reader (scan_str.h).
 */
static inline __attribute__((always_inline)) size_t
plain_run(const unsigned char *s, size_t len, size_t i, const int strict)
{
	if (strict) {
		while (i < len && str_plain[s[i]])
			i++;
	} else {
		while (i < len && str_plain_utf8[s[i]])
			i++;
	}
	return i;
}

static inline __attribute__((always_inline)) size_t
find_special_scalar(const unsigned char *s, size_t len, size_t i,
		    const int strict, int *esc)
{
	const uint64_t ones = 0x0101010101010101ULL,
		       high = 0x8080808080808080ULL;

	(void)esc;
	while (i + 8 <= len) {
		uint64_t w, x, y;

		memcpy(&w, s + i, 8);
		x = w ^ (ones * '"');
		y = w ^ (ones * '\\');
		/* a superset of the special bytes; plain_run is exact */
		if ((((x - ones) & ~x) | ((y - ones) & ~y) | (w - ones * 0x20) |
		     (strict ? w : 0)) & high)
			break;
		i += 8;
	}
	return plain_run(s, len, i, strict);
}


#ifdef PK_SCAN_X86
static inline __attribute__((always_inline)) size_t
find_special_sse2(const unsigned char *s, size_t len, size_t i,
		  const int strict, int *esc)
{
	const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\'),
		      sp = _mm_set1_epi8(' '), c1f = _mm_set1_epi8(0x1f);

	(void)esc;
	while (i + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
		/* signed compare: < 0x20 and >= 0x80 both test below ' ' */
		__m128i ctl = strict ? _mm_cmplt_epi8(v, sp)
				     : _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v);
		__m128i m = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, b)),
			ctl);
		unsigned mask = (unsigned)_mm_movemask_epi8(m);

		if (mask)
			return i + (size_t)__builtin_ctz(mask);
		i += 16;
	}
	return plain_run(s, len, i, strict);
}


/*
 * The wide paths read a string 64 bytes at a time, and step over the
 * escapes of a block without leaving the loop: the masks of the block's
 * bytes (bit k for byte k) go to block_attention(), which returns the
 * bytes the string reader must look at - an unescaped '"' or control
 * byte, the backslash of an escape it must check itself - and sets *esc
 * when backslashes come before the first of them.
 */
struct blk {
	uint64_t q, bs, ctl;  /* '"', '\\', < 0x20 */
	uint64_t simple;      /* " \ / b f n r t: a whole escape after '\\' */
	uint64_t u, hex, d;   /* 'u', hex digits, 'd' or 'D' */
	uint64_t valid;       /* bytes of the text (the last block is short) */
};

#define EVEN_BITS 0x5555555555555555ULL

static inline __attribute__((always_inline)) uint64_t
block_attention(const struct blk *k, int *esc)
{
	uint64_t bs = k->bs, follows, odd_starts, escaped, escapers, u_ok, bad,
		 att;

	if (PK_LIKELY(!bs))
		return (k->q | k->ctl) & k->valid;
	/*
	 * The escaped bytes: the block starts outside any escape, so a run of
	 * backslashes escapes every other byte from its start on.  Runs that
	 * start at an odd bit are moved to the bit after their end by the
	 * addition, which flips the parity of "escaped" after them (the
	 * method of simdjson, Langdale and Lemire 2019).
	 */
	follows = bs << 1;
	odd_starts = bs & ~EVEN_BITS & ~follows;
	escaped = (EVEN_BITS ^ ((odd_starts + bs) << 1)) & follows;
	escapers = bs & ~escaped;
	/* \uXXXX with its 4 digits in the block and not a surrogate half
	 * (D800-DFFF, any \uD...: the reader checks those itself) */
	u_ok = k->u & k->hex >> 1 & k->hex >> 2 & k->hex >> 3 & k->hex >> 4 &
	       ~(k->d >> 1) & k->valid >> 4;
	bad = escaped & ~(k->simple | u_ok);
	/* the reader checks an escape bad, or cut by the block's end */
	att = (((k->q | k->ctl) & ~escaped) | bad >> 1 |
	       (escapers & ~(k->valid >> 1))) & k->valid;
	if (bs & ((att & (0 - att)) - 1))
		*esc = 1;
	return att;
}

static inline __attribute__((always_inline, target("avx2"))) uint64_t
mask_avx2(__m256i lo, __m256i hi)
{
	return (uint32_t)_mm256_movemask_epi8(lo) |
	       (uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32;
}

static inline __attribute__((always_inline, target("avx2"))) size_t
find_special_avx2(const unsigned char *s, size_t len, size_t i,
		  const int strict, int *esc)
{
	const __m256i q = _mm256_set1_epi8('"'), b = _mm256_set1_epi8('\\'),
		      sp = _mm256_set1_epi8(' '), c1f = _mm256_set1_epi8(0x1f),
		      x20 = _mm256_set1_epi8(0x20);

	for (;;) {
		unsigned char tail[64];
		const unsigned char *p = s + i;
		__m256i v0, v1, q0, q1, b0, b1, c0, c1;
		struct blk k;
		uint64_t att;

		k.valid = ~(uint64_t)0;
		if (PK_UNLIKELY(i + 64 > len)) {
			if (i >= len)
				return len;
			memset(tail, 0, sizeof tail);
			memcpy(tail, s + i, len - i);
			p = tail;
			k.valid = ((uint64_t)1 << (len - i)) - 1;
		}
		v0 = _mm256_loadu_si256((const __m256i *)p);
		v1 = _mm256_loadu_si256((const __m256i *)(p + 32));
		q0 = _mm256_cmpeq_epi8(v0, q);
		q1 = _mm256_cmpeq_epi8(v1, q);
		b0 = _mm256_cmpeq_epi8(v0, b);
		b1 = _mm256_cmpeq_epi8(v1, b);
		/* signed compare: < 0x20 and >= 0x80 both test below ' ' */
		c0 = strict ? _mm256_cmpgt_epi8(sp, v0)
			    : _mm256_cmpeq_epi8(_mm256_min_epu8(v0, c1f), v0);
		c1 = strict ? _mm256_cmpgt_epi8(sp, v1)
			    : _mm256_cmpeq_epi8(_mm256_min_epu8(v1, c1f), v1);
		if (strict) {
			/* every backslash goes to the reader */
			att = mask_avx2(_mm256_or_si256(_mm256_or_si256(q0, b0), c0),
					_mm256_or_si256(_mm256_or_si256(q1, b1), c1)) &
			      k.valid;
		} else {
			k.q = mask_avx2(q0, q1);
			k.bs = mask_avx2(b0, b1);
			k.ctl = mask_avx2(c0, c1);
			if (k.bs) {
				__m256i l0 = _mm256_or_si256(v0, x20),
					l1 = _mm256_or_si256(v1, x20);
#define SIMPLE(v, l, qq, bb)                                                   \
	_mm256_or_si256(                                                       \
		_mm256_or_si256(_mm256_or_si256(qq, bb),                       \
				_mm256_cmpeq_epi8(v, _mm256_set1_epi8('/'))),  \
		_mm256_or_si256(                                               \
			_mm256_or_si256(                                       \
				_mm256_cmpeq_epi8(v, _mm256_set1_epi8('b')),   \
				_mm256_cmpeq_epi8(v, _mm256_set1_epi8('f'))),  \
			_mm256_or_si256(                                       \
				_mm256_or_si256(_mm256_cmpeq_epi8(             \
					v, _mm256_set1_epi8('n')),             \
						_mm256_cmpeq_epi8(             \
					v, _mm256_set1_epi8('r'))),            \
				_mm256_cmpeq_epi8(v, _mm256_set1_epi8('t')))))
#define HEX(v, l)                                                              \
	_mm256_or_si256(                                                       \
		_mm256_cmpeq_epi8(_mm256_min_epu8(_mm256_sub_epi8(             \
			v, _mm256_set1_epi8('0')), _mm256_set1_epi8(9)),       \
			_mm256_sub_epi8(v, _mm256_set1_epi8('0'))),            \
		_mm256_cmpeq_epi8(_mm256_min_epu8(_mm256_sub_epi8(             \
			l, _mm256_set1_epi8('a')), _mm256_set1_epi8(5)),       \
			_mm256_sub_epi8(l, _mm256_set1_epi8('a'))))
				k.simple = mask_avx2(SIMPLE(v0, l0, q0, b0),
						     SIMPLE(v1, l1, q1, b1));
				k.u = mask_avx2(
					_mm256_cmpeq_epi8(v0, _mm256_set1_epi8('u')),
					_mm256_cmpeq_epi8(v1, _mm256_set1_epi8('u')));
				k.hex = mask_avx2(HEX(v0, l0), HEX(v1, l1));
				k.d = mask_avx2(
					_mm256_cmpeq_epi8(l0, _mm256_set1_epi8('d')),
					_mm256_cmpeq_epi8(l1, _mm256_set1_epi8('d')));
#undef SIMPLE
#undef HEX
			}
			att = block_attention(&k, esc);
		}
		if (att)
			return i + (size_t)__builtin_ctzll(att);
		if (!strict && k.bs)
			*esc = 1;
		if (k.valid != ~(uint64_t)0)
			return len;
		i += 64;
	}
}


/* The last block (under 64 bytes) is read with a masked load: no byte
 * past the end is touched. */
static inline __attribute__((always_inline, target("avx512f,avx512bw")))
size_t find_special_avx512(const unsigned char *s, size_t len, size_t i,
			   const int strict, int *esc)
{
	const __m512i q = _mm512_set1_epi8('"'), b = _mm512_set1_epi8('\\'),
		      sp = _mm512_set1_epi8(' '), x20 = _mm512_set1_epi8(0x20);

	for (;;) {
		struct blk k;
		uint64_t att;
		__m512i v;

		k.valid = ~(uint64_t)0;
		if (PK_LIKELY(i + 64 <= len)) {
			v = _mm512_loadu_si512((const void *)(s + i));
		} else {
			if (i >= len)
				return len;
			k.valid = ((uint64_t)1 << (len - i)) - 1;
			v = _mm512_maskz_loadu_epi8(k.valid, s + i);
		}
		k.q = _mm512_cmpeq_epi8_mask(v, q);
		k.bs = _mm512_cmpeq_epi8_mask(v, b);
		if (strict) {
			att = (k.q | k.bs | _mm512_cmplt_epi8_mask(v, sp)) &
			      k.valid;
		} else {
			k.ctl = _mm512_cmplt_epu8_mask(v, sp);
			if (k.bs) {
				__m512i l = _mm512_or_si512(v, x20);

				k.simple = k.q | k.bs |
					   _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('/')) |
					   _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('b')) |
					   _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('f')) |
					   _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('n')) |
					   _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('r')) |
					   _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('t'));
				k.u = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('u'));
				k.hex = _mm512_cmplt_epu8_mask(
						_mm512_sub_epi8(v, _mm512_set1_epi8('0')),
						_mm512_set1_epi8(10)) |
					_mm512_cmplt_epu8_mask(
						_mm512_sub_epi8(l, _mm512_set1_epi8('a')),
						_mm512_set1_epi8(6));
				k.d = _mm512_cmpeq_epi8_mask(l, _mm512_set1_epi8('d'));
			}
			att = block_attention(&k, esc);
		}
		if (att)
			return i + (size_t)__builtin_ctzll(att);
		if (!strict && k.bs)
			*esc = 1;
		if (k.valid != ~(uint64_t)0)
			return len;
		i += 64;
	}
}

#endif


static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * size);
	if (!np)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

static inline const char *key_ptr(const struct scan_ctx *c,
				  const struct skey *k)
{
	return k->esc ? c->sc->arena.data + k->off
		      : (const char *)c->s + k->off;
}

/* Probe steps of the key tables in this thread: a test hook, so that a
 * test can tell a linear cost from a quadratic one by counting instead of
 * timing (pk_scan_probes). */
static _Thread_local unsigned long long probes;

unsigned long long pk_scan_probes(void)
{
	return probes;
}

/* The key tables hash with a seed drawn once per process: with a known
 * seed (it was 0), keys whose hashes share their low bits are cheap to
 * make, and every one of them walks the whole probe chain - 100,000 such
 * keys on one line took 11 s.  A drawn seed makes such keys as unlikely
 * as by chance.  Output does not depend on it: the table only answers
 * "is this key already there", exactly. */
static uint64_t draw_seed(void)
{
	uint64_t s = 0;
	int fd;

#ifdef HAVE_GETRANDOM
	if (getrandom(&s, sizeof s, GRND_NONBLOCK) == (ssize_t)sizeof s && s)
		return s;
#endif
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &s, sizeof s) != (ssize_t)sizeof s)
			s = 0;
		close(fd);
	}
	if (!s) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		s = pk_hash64(&ts, sizeof ts, (uint64_t)getpid() ^
					     (uint64_t)(uintptr_t)&s);
	}
	return s ? s : 1;
}

static uint64_t key_seed(void)
{
	static uint64_t seed;
	uint64_t s = __atomic_load_n(&seed, __ATOMIC_ACQUIRE), want = 0;

	if (s)
		return s;
	s = draw_seed();
	/* the first thread to set it wins; every table uses that one */
	if (!__atomic_compare_exchange_n(&seed, &want, s, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		s = want;
	return s;
}

static int tab_insert(struct ktab *t, uint64_t h, size_t kidx)
{
	size_t mask, j;

	if ((t->used + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64, k;
		struct hslot *ns = calloc(ncap, sizeof *ns);

		if (!ns)
			return -1;
		for (k = 0; k < t->cap; k++) {
			const struct hslot *o = &t->slot[k];

			if (o->gen != t->gen)
				continue;
			j = o->hash & (ncap - 1);
			while (ns[j].gen == t->gen) {
				j = (j + 1) & (ncap - 1);
				probes++;
			}
			ns[j] = *o;
		}
		free(t->slot);
		t->slot = ns;
		t->cap = ncap;
	}
	mask = t->cap - 1;
	j = h & mask;
	while (t->slot[j].gen == t->gen) {
		j = (j + 1) & mask;
		probes++;
	}
	t->slot[j].gen = t->gen;
	t->slot[j].hash = h;
	t->slot[j].kidx = kidx;
	t->used++;
	return 0;
}

/*
 * Add the key keys[nk] (already filled in) to the object whose keys start
 * at index start, rejecting a duplicate.  Small objects compare with every
 * key; from PK_LINEAR_KEYS keys on, the object gets a hash table.
 */
static int key_check(struct scan_ctx *c, size_t start, size_t nk)
{
	struct scan_scratch *sc = c->sc;
	const struct skey *k = &sc->keys[nk];
	const char *kp = key_ptr(c, k);
	size_t n = nk - start, j, mask;
	struct ktab *t;
	uint64_t h;

	if (n < PK_LINEAR_KEYS) {
		for (j = start; j < nk; j++) {
			const struct skey *o = &sc->keys[j];

			if (o->len == k->len &&
			    memcmp(key_ptr(c, o), kp, k->len) == 0)
				goto dup;
		}
		return 0;
	}
	if (n == PK_LINEAR_KEYS) {
		if (sc->ntabs >= sc->tabs_cap) {
			struct ktab *nt = realloc(sc->tabs, (sc->tabs_cap + 8) *
							    sizeof *nt);

			if (!nt)
				goto nomem;
			memset(nt + sc->tabs_cap, 0, 8 * sizeof *nt);
			sc->tabs = nt;
			sc->tabs_cap += 8;
		}
		t = &sc->tabs[sc->ntabs++];
		t->gen++;
		t->used = 0;
		for (j = start; j < nk; j++) {
			const struct skey *o = &sc->keys[j];

			if (tab_insert(t, pk_hash64(key_ptr(c, o), o->len,
						    key_seed()),
				       j) < 0)
				goto nomem;
		}
	}
	t = &sc->tabs[sc->ntabs - 1];
	h = pk_hash64(kp, k->len, key_seed());
	mask = t->cap - 1;
	for (j = h & mask; t->slot[j].gen == t->gen; j = (j + 1) & mask) {
		const struct hslot *e = &t->slot[j];
		const struct skey *o = &sc->keys[e->kidx];

		probes++;
		if (e->hash == h && o->len == k->len &&
		    memcmp(key_ptr(c, o), kp, k->len) == 0)
			goto dup;
	}
	if (tab_insert(t, h, nk) < 0)
		goto nomem;
	return 0;
dup:
	c->ecode = E_DUP;
	c->epos = k->raw;
	return -1;
nomem:
	c->ecode = E_NOMEM;
	return -1;
}

/* Record the key whose literal is s[raw..end) in the open object. */
static int key_add(struct scan_ctx *c, size_t start, size_t nk, size_t raw,
		   size_t end, int esc)
{
	struct scan_scratch *sc = c->sc;
	struct skey *k;

	if (nk >= sc->kcap &&
	    grow((void **)&sc->keys, &sc->kcap, nk + 1, sizeof *sc->keys) < 0) {
		c->ecode = E_NOMEM;
		return -1;
	}
	k = &sc->keys[nk];
	k->raw = raw;
	k->esc = esc;
	if (!esc) {
		k->off = raw + 1;
		k->len = end - raw - 2;
	} else {
		size_t before = sc->arena.len;

		if (pk_json_unquote(&sc->arena, (const char *)c->s + raw,
				    end - raw) < 0) {
			c->ecode = E_NOMEM;
			return -1;
		}
		k->off = before;
		k->len = sc->arena.len - before;
		/* jansson cannot hold such a key, so it rejects the text */
		if (memchr(sc->arena.data + before, '\0', k->len)) {
			c->ecode = E_NULKEY;
			c->epos = raw;
			return -1;
		}
	}
	if (nk == start)
		return 0;
	return key_check(c, start, nk);
}

#define SKIP_WS()                                                     \
	do {                                                          \
		if (PK_UNLIKELY(i < len && s[i] <= ' ')) {            \
			size_t i0_ = i;                               \
			while (i < len && is_ws(s[i]))                \
				i++;                                  \
			if (i != i0_)                                 \
				c->has_space = 1;                     \
		}                                                     \
	} while (0)

#define FAIL(code, at)                                                \
	do {                                                          \
		c->ecode = (code);                                    \
		c->epos = (at);                                       \
		return -1;                                            \
	} while (0)

#define NEED()                                                        \
	do {                                                          \
		if (PK_UNLIKELY(i >= len))                            \
			FAIL(E_EOF, len);                             \
	} while (0)

/* The scanner of each path (scan_path.h). */
#define SP_PATH scalar
#define SP_TARGET
#include "scan_path.h"

#ifdef PK_SCAN_X86
#define SP_PATH sse2
#define SP_TARGET
#include "scan_path.h"

#define SP_PATH avx2
#define SP_TARGET __attribute__((target("avx2")))
#include "scan_path.h"

#define SP_PATH avx512
#define SP_TARGET __attribute__((target("avx512f,avx512bw")))
#include "scan_path.h"
#endif

typedef int (*scan_fn)(struct scan_ctx *c, size_t *ip, enum pk_type *type,
		       struct pk_record *rec);

/* [path][strict] */
static const scan_fn scanners[PK_SCAN_PATHS][2] = {
	{scan_fast_scalar, scan_strict_scalar},
#ifdef PK_SCAN_X86
	{scan_fast_sse2, scan_strict_sse2},
	{scan_fast_avx2, scan_strict_avx2},
	{scan_fast_avx512, scan_strict_avx512},
#endif
};

/*
 * The scanner proper: one value starting at *ip (leading whitespace
 * skipped).  When rec is given and the value is an object, its members
 * are recorded.  On path p; the whole text's UTF-8 is checked first when
 * the path can do it fast (and strict is 0); when that fails, the strict
 * reader finds the bad byte again, with its position.
 */
static int scan(struct scan_ctx *c, size_t *ip, enum pk_type *type,
		struct pk_record *rec, enum pk_scan_path p, int strict)
{
	if (!strict)
		strict = pk_utf8_valid_path(p, c->s, c->len) != 1;
	c->strict = strict;
	return scanners[p][strict](c, ip, type, rec);
}

static struct scan_scratch *scratch_new(void)
{
	return calloc(1, sizeof(struct scan_scratch));
}

static void scratch_release(struct scan_scratch *sc)
{
	size_t k;

	free(sc->frames);
	free(sc->keys);
	for (k = 0; k < sc->tabs_cap; k++)
		free(sc->tabs[k].slot);
	free(sc->tabs);
	pk_buf_free(&sc->arena);
}

static void scratch_free(struct scan_scratch *sc)
{
	if (!sc)
		return;
	scratch_release(sc);
	free(sc);
}

/* Append a printable form of the raw key literal s[0..n) (quotes
 * included), cut at a character boundary when long. */
static void key_for_message(char *out, size_t cap, const unsigned char *s,
			    size_t n)
{
	size_t k = n >= 2 ? n - 2 : 0, max = 60;

	s++;
	if (k > max) {
		k = max;
		while (k && (s[k] & 0xC0) == 0x80)
			k--;
		snprintf(out, cap, "%.*s...", (int)k, (const char *)s);
	} else {
		snprintf(out, cap, "%.*s", (int)k, (const char *)s);
	}
}

static int scan_fail(struct scan_ctx *c, struct pk_error *err)
{
	const unsigned char *s = c->s;
	size_t at = c->epos;
	int rc;

	if (c->ecode == E_NOMEM)
		return pk_nomem(err);
	if (c->ecode == E_CHAR && at >= c->len)
		c->ecode = E_EOF;
	switch (c->ecode) {
	case E_EOF:
		at = c->len;
		rc = pk_error_set(err, PK_ERR_DATA,
				  "invalid JSON: unexpected end of input");
		break;
	case E_CHAR:
		if (s[at] > ' ' && s[at] < 0x7f)
			rc = pk_error_set(err, PK_ERR_DATA,
					  "invalid JSON: unexpected character '%c'",
					  s[at]);
		else
			rc = pk_error_set(err, PK_ERR_DATA,
					  "invalid JSON: unexpected byte 0x%02x",
					  s[at]);
		break;
	case E_UTF8:
		rc = pk_error_set(err, PK_ERR_DATA,
				  "invalid JSON: invalid UTF-8 (byte 0x%02x)",
				  s[at]);
		break;
	case E_ESCAPE:
		rc = pk_error_set(err, PK_ERR_DATA,
				  "invalid JSON: invalid escape");
		break;
	case E_SURROGATE:
		rc = pk_error_set(err, PK_ERR_DATA,
				  "invalid JSON: invalid escape (lone UTF-16 surrogate)");
		break;
	case E_CONTROL:
		rc = pk_error_set(err, PK_ERR_DATA,
				  "invalid JSON: control character in string (byte 0x%02x)",
				  s[at]);
		break;
	case E_DEPTH:
		rc = pk_error_set(err, PK_ERR_DATA,
				  "invalid JSON: maximum nesting depth exceeded (%d)",
				  PK_MAX_DEPTH);
		break;
	case E_DUP:
	case E_NULKEY: {
		char name[80];
		int e = 0;
		size_t j = at + 1;

		/* the key literal ends at the first unescaped quote */
		while (j < c->len && (s[j] != '"' || e)) {
			e = !e && s[j] == '\\';
			j++;
		}
		key_for_message(name, sizeof name, s + at, j + 1 - at);
		if (c->ecode == E_DUP)
			rc = pk_error_set(err, PK_ERR_DATA,
					  "invalid JSON: duplicate key '%s'",
					  name);
		else
			rc = pk_error_set(err, PK_ERR_DATA, "invalid JSON: "
					  "\\u0000 in object key '%s' (not supported)",
					  name);
		break;
	}
	default:
		rc = pk_error_set(err, PK_ERR_DATA, "invalid JSON");
		break;
	}
	if (err)
		err->column = (unsigned long)at + 1;
	return rc;
}

int pk_scan_record(struct pk_record *rec, const char *text, size_t len,
		   struct pk_error *err)
{
	struct scan_ctx c;
	enum pk_type type;
	size_t i = 0;

	rec->text = text;
	rec->len = len;
	rec->nmembers = 0;
	rec->has_space = 0;
	if (!rec->scratch) {
		rec->scratch = scratch_new();
		if (!rec->scratch)
			return pk_nomem(err);
		rec->scratch_cap = sizeof(struct scan_scratch);
	}
	c.s = (const unsigned char *)text;
	c.len = len;
	c.sc = rec->scratch;
	c.has_space = 0;
	c.ecode = E_NONE;
	c.epos = 0;

	if (scan(&c, &i, &type, rec, pk_scan_path(), 0) < 0) {
		rec->nmembers = 0;
		return scan_fail(&c, err);
	}
	while (i < len && is_ws(c.s[i])) {
		i++;
		c.has_space = 1;
	}
	if (i < len) {
		rec->nmembers = 0;
		c.ecode = E_CHAR;
		c.epos = i;
		return scan_fail(&c, err);
	}
	rec->has_space = c.has_space;
	if (type != PK_T_OBJECT) {
		size_t j = 0;

		rec->nmembers = 0;
		while (j < len && is_ws(c.s[j]))
			j++;
		pk_error_set(err, PK_ERR_DATA, "not a JSON object (%s)",
			     pk_type_name(type));
		if (err)
			err->column = (unsigned long)j + 1;
		return PK_BAD_RECORD;
	}
	return PK_OK;
}

void pk_record_free(struct pk_record *rec)
{
	if (!rec)
		return;
	free(rec->members);
	scratch_free(rec->scratch);
	rec->members = NULL;
	rec->scratch = NULL;
	rec->nmembers = rec->cap = rec->scratch_cap = 0;
}

int pk_scan_value(const char *text, size_t len, size_t *pos,
		  enum pk_type *type, struct pk_error *err)
{
	struct scan_scratch sc;
	struct scan_ctx c;
	size_t i = *pos;
	enum pk_type t = PK_T_NONE;
	int rc = PK_OK;

	memset(&sc, 0, sizeof sc);
	c.s = (const unsigned char *)text;
	c.len = len;
	c.sc = &sc;
	c.has_space = 0;
	c.ecode = E_NONE;
	c.epos = 0;
	/* the value's end is unknown: checking all of text could be O(n^2) */
	if (scan(&c, &i, &t, NULL, pk_scan_path(), 1) < 0)
		rc = scan_fail(&c, err);
	else
		*pos = i;
	if (type)
		*type = rc == PK_OK ? t : PK_T_NONE;
	scratch_release(&sc);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Walking validated text                                              */
/* ------------------------------------------------------------------ */

/* Just past the closing quote of the validated string at s[i] (or len
 * when the text ends first), 16 bytes at a time when sse. */
static inline __attribute__((always_inline)) size_t
skip_string_t(const unsigned char *s, size_t len, size_t i, const int sse)
{
	i++;
	for (;;) {
#ifdef PK_SCAN_X86
		const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\');

		while (sse && i + 16 <= len) {
			__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
			unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(
				_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, b)));

			if (mask) {
				i += (size_t)__builtin_ctz(mask);
				break;
			}
			i += 16;
		}
#else
		(void)sse;
#endif
		while (i < len && s[i] != '"' && s[i] != '\\')
			i++;
		if (i >= len)
			return len;
		if (s[i] == '"')
			return i + 1;
		i += 2;
	}
}

static size_t skip_string_scalar(const unsigned char *s, size_t len, size_t i)
{
	return skip_string_t(s, len, i, 0);
}

#ifdef PK_SCAN_X86
static size_t skip_string_sse2(const unsigned char *s, size_t len, size_t i)
{
	return skip_string_t(s, len, i, 1);
}

/* The first unescaped quote among the quotes q and backslashes bs of a
 * block that starts outside any escape (block_attention); *carry: the
 * last byte of the block escapes the first of the next. */
static inline __attribute__((always_inline)) uint64_t
unescaped_quotes(uint64_t q, uint64_t bs, int *carry)
{
	uint64_t follows, odd_starts, escaped;

	if (PK_LIKELY(!bs)) {
		*carry = 0;
		return q;
	}
	follows = bs << 1;
	odd_starts = bs & ~EVEN_BITS & ~follows;
	escaped = (EVEN_BITS ^ ((odd_starts + bs) << 1)) & follows;
	*carry = (int)((bs & ~escaped) >> 63);
	return q & ~escaped;
}

/* The same, 64 bytes at a time, stepping over escapes in the block. */
__attribute__((target("avx2"))) static size_t
skip_string_avx2(const unsigned char *s, size_t len, size_t i)
{
	const __m256i q = _mm256_set1_epi8('"'), b = _mm256_set1_epi8('\\');

	i++;
	while (i + 64 <= len) {
		__m256i v0 = _mm256_loadu_si256((const __m256i *)(s + i)),
			v1 = _mm256_loadu_si256((const __m256i *)(s + i + 32));
		int carry;
		uint64_t att = unescaped_quotes(
			mask_avx2(_mm256_cmpeq_epi8(v0, q), _mm256_cmpeq_epi8(v1, q)),
			mask_avx2(_mm256_cmpeq_epi8(v0, b), _mm256_cmpeq_epi8(v1, b)),
			&carry);

		if (att)
			return i + (size_t)__builtin_ctzll(att) + 1;
		i += 64 + (size_t)carry;
	}
	/* the rest, from outside any escape (i may be len + 1) */
	return skip_string_t(s, len, i < len ? i - 1 : len, 1);
}

/* The last block (under 64 bytes) is read with a masked load. */
__attribute__((target("avx512f,avx512bw"))) static size_t
skip_string_avx512(const unsigned char *s, size_t len, size_t i)
{
	const __m512i q = _mm512_set1_epi8('"'), b = _mm512_set1_epi8('\\');

	i++;
	while (i < len) {
		uint64_t valid = ~(uint64_t)0, att;
		int carry;
		__m512i v;

		if (PK_LIKELY(i + 64 <= len)) {
			v = _mm512_loadu_si512((const void *)(s + i));
		} else {
			valid = ((uint64_t)1 << (len - i)) - 1;
			v = _mm512_maskz_loadu_epi8(valid, s + i);
		}
		att = unescaped_quotes(_mm512_cmpeq_epi8_mask(v, q),
				       _mm512_cmpeq_epi8_mask(v, b), &carry);
		if (att)
			return i + (size_t)__builtin_ctzll(att) + 1;
		if (valid != ~(uint64_t)0)
			break;
		i += 64 + (size_t)carry;
	}
	return len;
}
#endif

static size_t skip_string(const unsigned char *s, size_t len, size_t i)
{
	switch (pk_scan_path()) {
#ifdef PK_SCAN_X86
	case PK_SCAN_AVX512:
		return skip_string_avx512(s, len, i);
	case PK_SCAN_AVX2:
		return skip_string_avx2(s, len, i);
	case PK_SCAN_SSE2:
		return skip_string_sse2(s, len, i);
#endif
	default:
		return skip_string_scalar(s, len, i);
	}
}

/* Just past the validated value starting at s[i]. */
static size_t skip_value(const unsigned char *s, size_t len, size_t i)
{
	size_t depth = 0;

	if (i >= len)
		return len;
	switch (s[i]) {
	case '"':
		return skip_string(s, len, i);
	case '{':
	case '[':
		while (i < len) {
			unsigned ch;
#ifdef PK_SCAN_X86
			const __m128i q = _mm_set1_epi8('"'),
				      o = _mm_set1_epi8('{'),
				      cl = _mm_set1_epi8('}'),
				      x20 = _mm_set1_epi8(0x20);

			/* '[' ']' are '{' '}' without bit 0x20 */
			while (i + 16 <= len) {
				__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
				__m128i u = _mm_or_si128(v, x20);
				unsigned mask = (unsigned)_mm_movemask_epi8(
					_mm_or_si128(_mm_cmpeq_epi8(v, q),
						     _mm_or_si128(_mm_cmpeq_epi8(u, o),
								  _mm_cmpeq_epi8(u, cl))));

				if (mask) {
					i += (size_t)__builtin_ctz(mask);
					break;
				}
				i += 16;
			}
			if (i >= len)
				break;
#endif
			ch = s[i];
			if (ch == '"') {
				i = skip_string(s, len, i);
				continue;
			}
			if (ch == '{' || ch == '[') {
				depth++;
			} else if (ch == '}' || ch == ']') {
				if (--depth == 0)
					return i + 1;
			}
			i++;
		}
		return len;
	default:
		while (i < len && !is_ws(s[i]) && s[i] != ',' && s[i] != ']' &&
		       s[i] != '}')
			i++;
		return i;
	}
}

static size_t skip_ws(const unsigned char *s, size_t len, size_t i)
{
	while (i < len && is_ws(s[i]))
		i++;
	return i;
}

void pk_iter_init(struct pk_iter *it, const char *text, size_t len)
{
	it->text = text;
	it->len = len;
	it->pos = 0;
}

/* Move to the next item of the container opened by `open`; returns the
 * index of the item or len at the end. */
static size_t iter_next(struct pk_iter *it, unsigned open, unsigned close)
{
	const unsigned char *s = (const unsigned char *)it->text;
	size_t len = it->len, i = it->pos;

	if (i == 0) {
		i = skip_ws(s, len, 0);
		if (i >= len || s[i] != open)
			return len;
		i = skip_ws(s, len, i + 1);
	} else {
		i = skip_ws(s, len, i);
		if (i >= len || s[i] != ',')
			return len;
		i = skip_ws(s, len, i + 1);
	}
	if (i >= len || s[i] == close)
		return len;
	return i;
}

int pk_iter_member(struct pk_iter *it, struct pk_member *m)
{
	const unsigned char *s = (const unsigned char *)it->text;
	size_t len = it->len, i = iter_next(it, '{', '}');

	if (i >= len || s[i] != '"') {
		it->pos = len ? len : 1;
		return 0;
	}
	m->key_off = i;
	i = skip_string(s, len, i);
	m->key_len = i - m->key_off;
	m->key_escaped = memchr(s + m->key_off, '\\', m->key_len) != NULL;
	i = skip_ws(s, len, i);
	if (i < len && s[i] == ':')
		i++;
	i = skip_ws(s, len, i);
	m->val_off = i;
	m->type = i < len ? type_from_byte(s[i]) : PK_T_NONE;
	i = skip_value(s, len, i);
	m->val_len = i - m->val_off;
	it->pos = i;
	return 1;
}

int pk_iter_element(struct pk_iter *it, size_t *off, size_t *len,
		    enum pk_type *type)
{
	const unsigned char *s = (const unsigned char *)it->text;
	size_t n = it->len, i = iter_next(it, '[', ']'), e;

	if (i >= n) {
		it->pos = n ? n : 1;
		return 0;
	}
	e = skip_value(s, n, i);
	*off = i;
	*len = e - i;
	if (type)
		*type = type_from_byte(s[i]);
	it->pos = e;
	return 1;
}

int pk_iter_element_members(struct pk_iter *it, size_t *off, size_t *len,
			    enum pk_type *type, const char *const *names,
			    size_t k, struct pk_member *m, unsigned *found)
{
	const unsigned char *s = (const unsigned char *)it->text;
	size_t n = it->len, i = iter_next(it, '[', ']'), start, j;

	*found = 0;
	if (i >= n) {
		it->pos = n ? n : 1;
		return 0;
	}
	start = i;
	*off = i;
	*type = type_from_byte(s[i]);
	if (s[i] != '{') {
		i = skip_value(s, n, i);
		goto done;
	}
	/* One walk over the object: each member's value is skipped once,
	 * and the element ends at the closing brace. */
	i = skip_ws(s, n, i + 1);
	while (i < n && s[i] == '"') {
		struct pk_member mm;

		mm.key_off = i - start;
		i = skip_string(s, n, i);
		mm.key_len = i - start - mm.key_off;
		mm.key_escaped = memchr(s + start + mm.key_off, '\\',
					mm.key_len) != NULL;
		i = skip_ws(s, n, i);
		if (i < n && s[i] == ':')
			i++;
		i = skip_ws(s, n, i);
		mm.val_off = i - start;
		mm.type = i < n ? type_from_byte(s[i]) : PK_T_NONE;
		i = skip_value(s, n, i);
		mm.val_len = i - start - mm.val_off;
		for (j = 0; j < k; j++)
			if (!(*found & (1u << j)) &&
			    pk_key_equals(it->text + start + mm.key_off,
					  mm.key_len, names[j])) {
				m[j] = mm;
				*found |= 1u << j;
				break;
			}
		i = skip_ws(s, n, i);
		if (i < n && s[i] == ',')
			i = skip_ws(s, n, i + 1);
	}
	if (i < n && s[i] == '}')
		i++;
done:
	*len = i - start;
	it->pos = i;
	return 1;
}

enum pk_type pk_type_of(const char *p, size_t n)
{
	size_t i = skip_ws((const unsigned char *)p, n, 0);

	return i < n ? type_from_byte((unsigned char)p[i]) : PK_T_NONE;
}

const char *pk_type_name(enum pk_type t)
{
	switch (t) {
	case PK_T_OBJECT: return "object";
	case PK_T_ARRAY: return "array";
	case PK_T_STRING: return "string";
	case PK_T_NUMBER: return "number";
	case PK_T_TRUE:
	case PK_T_FALSE: return "boolean";
	case PK_T_NULL: return "null";
	default: return "nothing";
	}
}

/* Is member m's key (in text) name, n = strlen(name)?  A key without
 * escapes is its own bytes between the quotes. */
static inline int key_is(const char *text, const struct pk_member *m,
			 const char *name, size_t n)
{
	if (m->key_escaped)
		return pk_key_equals(text + m->key_off, m->key_len, name);
	return m->key_len == n + 2 &&
	       memcmp(text + m->key_off + 1, name, n) == 0;
}

int pk_object_find(const char *text, size_t len, const char *name,
		   struct pk_member *m)
{
	struct pk_iter it;
	struct pk_member x;

	size_t n = strlen(name);

	pk_iter_init(&it, text, len);
	while (pk_iter_member(&it, &x)) {
		if (key_is(text, &x, name, n)) {
			*m = x;
			return 1;
		}
	}
	return 0;
}

int pk_record_get(const struct pk_record *rec, const char *name,
		  struct pk_value *v)
{
	size_t k, n = strlen(name);

	for (k = 0; k < rec->nmembers; k++) {
		const struct pk_member *m = &rec->members[k];

		if (key_is(rec->text, m, name, n)) {
			v->off = m->val_off;
			v->len = m->val_len;
			v->type = m->type;
			return 1;
		}
	}
	return 0;
}

void pk_field_init(struct pk_field *f, const char *path)
{
	f->path = path;
	f->len = strlen(path);
	f->dotted = memchr(path, '.', f->len) != NULL;
	f->hint = 0;
}

int pk_record_field(const struct pk_record *rec, struct pk_field *f,
		    struct pk_value *v)
{
	const struct pk_member *m;
	size_t k;

	if (f->dotted)
		return pk_record_path(rec, f->path, v);
	/* the records of a file mostly share a layout: try the last index */
	k = f->hint;
	if (k >= rec->nmembers ||
	    !key_is(rec->text, &rec->members[k], f->path, f->len)) {
		for (k = 0; k < rec->nmembers; k++)
			if (key_is(rec->text, &rec->members[k], f->path, f->len))
				break;
		if (k == rec->nmembers)
			return 0;
		f->hint = k;
	}
	m = &rec->members[k];
	v->off = m->val_off;
	v->len = m->val_len;
	v->type = m->type;
	return 1;
}

int pk_record_path(const struct pk_record *rec, const char *path,
		   struct pk_value *v)
{
	char small[128], *name = small;
	const char *p = path, *dot;
	struct pk_value cur;
	size_t cap = sizeof small;
	int first = 1, found = 0;

	if (!strchr(path, '.'))
		return pk_record_get(rec, path, v);
	for (;;) {
		size_t n;

		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		if (n + 1 > cap) {
			char *nn = name == small ? malloc(n + 1)
						 : realloc(name, n + 1);

			if (!nn)
				goto out;
			name = nn;
			cap = n + 1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (first) {
			if (!pk_record_get(rec, name, &cur))
				goto out;
			first = 0;
		} else if (cur.type == PK_T_ARRAY) {
			/* a number indexes an array, from 0 ("preference.0") */
			struct pk_iter it;
			size_t off = 0, len = 0, k = 0, idx;
			enum pk_type t = PK_T_NONE;
			int got;

			if (!n || n > 9 || strspn(name, "0123456789") != n ||
			    (n > 1 && name[0] == '0'))
				goto out;
			idx = (size_t)strtoul(name, NULL, 10);
			pk_iter_init(&it, rec->text + cur.off, cur.len);
			while ((got = pk_iter_element(&it, &off, &len, &t)) &&
			       k++ < idx)
				;
			if (!got)
				goto out;
			cur.off += off;
			cur.len = len;
			cur.type = t;
		} else {
			struct pk_member m;

			if (cur.type != PK_T_OBJECT ||
			    !pk_object_find(rec->text + cur.off, cur.len, name,
					    &m))
				goto out;
			cur.off += m.val_off;
			cur.len = m.val_len;
			cur.type = m.type;
		}
		if (!dot)
			break;
		p = dot + 1;
	}
	*v = cur;
	found = 1;
out:
	if (name != small)
		free(name);
	return found;
}

size_t pk_compact_to(char *dst, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, run = 0;
	char *d = dst;

	while (i < len) {
		unsigned ch = s[i];

		if (ch == '"') {
			i = skip_string(s, len, i);
		} else if (is_ws(ch)) {
			memcpy(d, s + run, i - run);
			d += i - run;
			i = skip_ws(s, len, i);
			run = i;
		} else {
			i++;
		}
	}
	memcpy(d, s + run, len - run);
	d += len - run;
	return (size_t)(d - dst);
}

/* A value's compact form: scalars have no whitespace to drop, so only
 * arrays and objects are walked (a long string is copied, not scanned). */
static inline size_t compact_value_to(char *d, const char *v, size_t n,
				      enum pk_type t)
{
	if (t == PK_T_OBJECT || t == PK_T_ARRAY)
		return pk_compact_to(d, v, n);
	memcpy(d, v, n);
	return n;
}

size_t pk_record_compact_to(const struct pk_record *rec, char *dst)
{
	char *d = dst;
	size_t i;

	if (!rec->has_space) {
		memcpy(d, rec->text, rec->len);
		return rec->len;
	}
	*d++ = '{';
	for (i = 0; i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];

		if (i)
			*d++ = ',';
		memcpy(d, rec->text + m->key_off, m->key_len);
		d += m->key_len;
		*d++ = ':';
		d += compact_value_to(d, rec->text + m->val_off, m->val_len,
				      m->type);
	}
	*d++ = '}';
	return (size_t)(d - dst);
}

size_t pk_value_compact_to(char *dst, const char *text, size_t len,
			   enum pk_type type)
{
	return compact_value_to(dst, text, len, type);
}

int pk_compact(struct pk_buf *out, const char *text, size_t len)
{
	if (pk_buf_reserve(out, len) < 0)
		return PK_FATAL;
	out->len += pk_compact_to(out->data + out->len, text, len);
	out->data[out->len] = '\0';
	return PK_OK;
}
