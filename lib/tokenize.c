/* SPDX-License-Identifier: MIT */
/*
 * tokenize.c - PCRE2 patterns compiled once (8-bit, UTF, UCP, JIT when the
 * library has it) and walked match by match, and the tokenizer built on
 * them: a text's tokens are the non-empty matches of a pattern, each
 * identified by its XXH3-64 hash (SPEC 3.4; pref-ches, pref-check
 * --leak-ngram, pref-stats).  Nothing is allocated per match: the match
 * data and the JIT stack belong to the compiled pattern, and tokens go
 * into caller-owned growable buffers.
 *
 * The default pattern (PK_TOKEN_REGEX_DEFAULT) is matched by a lexer
 * written by hand (below: "The lexer"), several times faster than PCRE2's
 * JIT code, with the same tokens: it follows the pattern's alternatives
 * in order, and the character classes it uses (\s, \p{L}, \p{N}) are
 * PCRE2's own, asked of the linked library one code point at a time
 * and remembered.  PCRE2 stays the reference: PREFKIT_TOKENIZER=pcre2
 * matches the default pattern with it too (tests/unit/test_tokenize.c
 * compares the two).
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "pk_private.h"

/* JIT stack: the first 32K and at most 1M (the default, 32K on the
 * machine stack, is small for patterns with nested groups). */
#define JIT_STACK_MIN (32u * 1024u)
#define JIT_STACK_MAX (1024u * 1024u)

struct lexer;

struct pk_regex {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *stack;
	int jit;
	struct lexer *lex;      /* the default pattern, matched by hand */
};

static struct lexer *lexer_new(void);
static void lexer_free(struct lexer *lx);
static inline size_t lexer_token(struct lexer *lx, const unsigned char *s,
				 size_t n, size_t p);

/* PREFKIT_TOKENIZER=pcre2: PCRE2 matches the default pattern too. */
static int no_lexer(void)
{
	const char *v = getenv("PREFKIT_TOKENIZER");

	return v && strcmp(v, "pcre2") == 0;
}

static int no_jit(void)
{
	const char *v = getenv("PREFKIT_NO_JIT");

	return v && *v && strcmp(v, "0") != 0;
}

struct pk_regex *pk_regex_new(const char *pattern, struct pk_error *err)
{
	struct pk_regex *re = calloc(1, sizeof(*re));
	PCRE2_SIZE at;
	int code;

	if (!re) {
		pk_nomem(err);
		return NULL;
	}
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				 PCRE2_UTF | PCRE2_UCP, &code, &at, NULL);
	if (!re->code) {
		PCRE2_UCHAR msg[160];

		pcre2_get_error_message(code, msg, sizeof(msg));
		pk_error_set(err, code == PCRE2_ERROR_NOMEMORY ? PK_ERR_NOMEM
							       : PK_ERR_USAGE,
			     "pattern offset %zu: %s", (size_t)at,
			     (const char *)msg);
		free(re);
		return NULL;
	}
	/* PREFKIT_NO_JIT: PCRE2's interpreter, same matches; memcheck cannot
	 * follow JIT code, which reads whole words past a subject's end */
	re->jit = !no_jit() &&
		  pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (!re->md)
		goto nomem;
	if (re->jit) {
		re->mctx = pcre2_match_context_create(NULL);
		re->stack = pcre2_jit_stack_create(JIT_STACK_MIN,
						   JIT_STACK_MAX, NULL);
		if (!re->mctx || !re->stack)
			goto nomem;
		pcre2_jit_stack_assign(re->mctx, NULL, re->stack);
	}
	if (strcmp(pattern, PK_TOKEN_REGEX_DEFAULT) == 0 && !no_lexer() &&
	    !(re->lex = lexer_new()))
		goto nomem;
	return re;
nomem:
	pk_regex_free(re);
	pk_nomem(err);
	return NULL;
}

void pk_regex_free(struct pk_regex *re)
{
	if (!re)
		return;
	lexer_free(re->lex);
	pcre2_jit_stack_free(re->stack);
	pcre2_match_context_free(re->mctx);
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re);
}

int pk_regex_jit(const struct pk_regex *re)
{
	return re->jit;
}

int pk_regex_lexer(const struct pk_regex *re)
{
	return re->lex != NULL;
}

/* One match attempt from pos: PCRE2's return code. */
static int match_at(struct pk_regex *re, const char *s, size_t n, size_t pos,
		    uint32_t opts)
{
	if (re->jit)
		return pcre2_jit_match(re->code, (PCRE2_SPTR)s, n, pos, opts,
				       re->md, re->mctx);
	return pcre2_match(re->code, (PCRE2_SPTR)s, n, pos,
			   opts | PCRE2_NO_UTF_CHECK, re->md, NULL);
}

int pk_regex_next(struct pk_regex *re, const char *s, size_t n, size_t *pos,
		  struct pk_span *m, struct pk_error *err)
{
	size_t p = *pos;
	uint32_t opts = 0;

	if (!s)
		s = "";
	if (re->lex && p < n) {
		size_t e = lexer_token(re->lex, (const unsigned char *)s, n, p);

		if (e) {
			m->off = p;
			m->len = e - p;
			*pos = e;
			return 1;
		}
		/* a character the lexer cannot class: PCRE2 takes this
		 * token */
	}
	while (p <= n) {
		PCRE2_SIZE *ov;
		int rc = match_at(re, s, n, p, opts);

		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			PCRE2_UCHAR msg[160];

			pcre2_get_error_message(rc, msg, sizeof(msg));
			if (rc == PCRE2_ERROR_NOMEMORY)
				return pk_nomem(err);
			return pk_error_set(err, PK_ERR_DATA,
					    "pattern match failed: %s",
					    (const char *)msg);
		}
		ov = pcre2_get_ovector_pointer(re->md);
		if (ov[1] > ov[0]) {
			m->off = ov[0];
			m->len = ov[1] - ov[0];
			*pos = ov[1];
			return 1;
		}
		/* An empty match at q is no token.  Look again from q for a
		 * match that is not empty there: PCRE2 tries q without the
		 * empty match, then goes on character by character (never
		 * into the middle of a UTF-8 sequence), as Python's
		 * re.finditer does.  Each round starts further on, so this
		 * ends. */
		if (opts && ov[0] <= p)
			break; /* cannot happen: PCRE2 honoured the option */
		p = ov[0];
		opts = PCRE2_NOTEMPTY_ATSTART;
	}
	*pos = n;
	return 0;
}

uint64_t pk_token_hash(const char *p, size_t n)
{
	return XXH3_64bits(p, n);
}

long pk_tokenize(struct pk_regex *re, const char *s, size_t n,
		 struct pk_buf *spans, struct pk_buf *hashes,
		 struct pk_error *err)
{
	struct pk_span m;
	size_t pos = 0;
	long count = 0;
	int rc;

	if (re->lex && !spans && !hashes) {
		/* counting only: the lexer's loop, PCRE2 for a token it
		 * leaves */
		const unsigned char *u = (const unsigned char *)s;

		while (pos < n) {
			size_t e = lexer_token(re->lex, u, n, pos);

			if (!e) {
				if ((rc = pk_regex_next(re, s, n, &pos, &m,
							err)) < 0)
					return rc;
				count += rc;
				continue;
			}
			pos = e;
			count++;
		}
		return count;
	}
	while ((rc = pk_regex_next(re, s, n, &pos, &m, err)) == 1) {
		if (spans && pk_buf_append(spans, &m, sizeof(m)) < 0)
			return pk_nomem(err);
		if (hashes) {
			uint64_t h = XXH3_64bits(s + m.off, m.len);

			if (pk_buf_append(hashes, &h, sizeof(h)) < 0)
				return pk_nomem(err);
		}
		count++;
	}
	return rc < 0 ? rc : count;
}

/* ---------------------------------------------------------------- */
/* The lexer: PK_TOKEN_REGEX_DEFAULT by hand                         */
/* ---------------------------------------------------------------- */

/*
 * The pattern
 *
 *	'(?:[sdmt]|ll|ve|re) | ?\p{L}+ | ?\p{N}+ | ?[^\s\p{L}\p{N}]+
 *	| \s+(?!\S) | \s+
 *
 * tried at position p (every character starts a match: it is in \s,
 * \p{L}, \p{N} or the class of none of them) takes, in the order PCRE2
 * tries the alternatives:
 *  1. "'" and s, d, m or t: 2 bytes; "'" and ll, ve or re: 3;
 *  2-4. a space (U+0020) followed by a character of class L, N or O
 *     (none of the three): the space and the longest run of that class
 *     after it (the greedy run needs no backtracking: nothing follows);
 *     else a character of class L, N or O: the longest run of its class
 *     (" ?" tries with the space, then without);
 *  5. a character of \s: the longest run of \s; when it reaches the end
 *     of the text, all of it; otherwise "(?!\S)" makes the run give back
 *     its last character (then followed by \s), when it has two or more;
 *  6. a run of one \s character before a non-space: that character.
 * The classes are asked of PCRE2 (the same options, so the same Unicode
 * tables) for each code point the first time it is seen.  A code point
 * in more than one of them (none is, in any Unicode version so far), or
 * a truncated UTF-8 sequence, makes the lexer leave the token to PCRE2.
 */

/* The token loop is one function: the lexer's steps inlined into it. */
#if defined(__GNUC__)
#define LEX_INLINE inline __attribute__((always_inline))
#else
#define LEX_INLINE inline
#endif

enum { C_UNKNOWN = 0, C_SPACE, C_L, C_N, C_O, C_MIXED, C_WIDE };

#define CODE_POINTS 0x110000u

struct lexer {
	unsigned char byte[256];   /* the classes of bytes below 0x80;
				    * C_WIDE for the others */
	unsigned char *cls;        /* of every code point, once seen */
	int ascii_letters;         /* the bytes of class L are A-Z, a-z */
	pcre2_code *space, *letter, *number;
	pcre2_match_data *md;
};

static pcre2_code *class_pattern(const char *p)
{
	int code;
	PCRE2_SIZE at;

	return pcre2_compile((PCRE2_SPTR)p, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &code,
			     &at, NULL);
}

static size_t utf8_put(unsigned char *b, uint32_t cp)
{
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (unsigned char)(0xF0 | cp >> 18);
	b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	b[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Does the one-character class pattern match all of b[0..n)? */
static int in_class(struct lexer *lx, pcre2_code *c, const unsigned char *b,
		    size_t n)
{
	return pcre2_match(c, b, n, 0, 0, lx->md, NULL) >= 0 &&
	       pcre2_get_ovector_pointer(lx->md)[1] == n;
}

/* The class of code point cp, asked of PCRE2. */
static int classify(struct lexer *lx, uint32_t cp)
{
	unsigned char b[4];
	size_t n = utf8_put(b, cp);
	int s = in_class(lx, lx->space, b, n), l = in_class(lx, lx->letter, b, n),
	    d = in_class(lx, lx->number, b, n);

	if (s + l + d > 1)
		return C_MIXED;
	return s ? C_SPACE : l ? C_L : d ? C_N : C_O;
}

static void lexer_free(struct lexer *lx)
{
	if (!lx)
		return;
	pcre2_code_free(lx->space);
	pcre2_code_free(lx->letter);
	pcre2_code_free(lx->number);
	pcre2_match_data_free(lx->md);
	free(lx->cls);
	free(lx);
}

static struct lexer *lexer_new(void)
{
	struct lexer *lx = calloc(1, sizeof *lx);
	uint32_t c;

	if (!lx)
		return NULL;
	/* one byte per code point, 1.1 MB of address space: only the
	 * pages of the code points a text uses are ever touched */
	lx->cls = calloc(CODE_POINTS, 1);
	lx->space = class_pattern("\\s");
	lx->letter = class_pattern("\\p{L}");
	lx->number = class_pattern("\\p{N}");
	if (!lx->cls || !lx->space || !lx->letter || !lx->number ||
	    !(lx->md = pcre2_match_data_create(1, NULL))) {
		lexer_free(lx);
		return NULL;
	}
	lx->ascii_letters = 1;
	for (c = 0; c < 256; c++) {
		lx->byte[c] = c < 128 ? (lx->cls[c] = (unsigned char)classify(lx, c))
				      : C_WIDE;
		if ((lx->byte[c] == C_L) !=
		    ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			lx->ascii_letters = 0;
	}
	return lx;
}

/* The class of the character at s[i] (i < n, s[i] >= 0x80, valid UTF-8
 * but perhaps cut short) and its length in *len. */
static int class_wide(struct lexer *lx, const unsigned char *s, size_t n,
		      size_t i, size_t *len)
{
	unsigned b = s[i];
	uint32_t cp;
	size_t k;

	if (b >= 0xF0) {
		k = 4;
		cp = b & 0x07;
	} else if (b >= 0xE0) {
		k = 3;
		cp = b & 0x0F;
	} else {
		k = 2;
		cp = b & 0x1F;
	}
	if (b < 0xC2 || b > 0xF4 || k > n - i)
		return C_MIXED; /* not valid UTF-8: PCRE2's concern */
	*len = k;
	while (--k)
		cp = cp << 6 | (s[++i] & 0x3F);
	if (cp >= CODE_POINTS)
		return C_MIXED;
	if (PK_UNLIKELY(!lx->cls[cp]))
		lx->cls[cp] = (unsigned char)classify(lx, cp);
	return lx->cls[cp];
}

static LEX_INLINE int class_at(struct lexer *lx, const unsigned char *s, size_t n,
			   size_t i, size_t *len)
{
	int c = lx->byte[s[i]];

	if (c != C_WIDE) {
		*len = 1;
		return c;
	}
	return class_wide(lx, s, n, i, len);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Past the ASCII letters from s[i], 8 bytes at a time while 8 are left:
 * where the first byte that is not one is, or where fewer than 8 are
 * left. */
static LEX_INLINE size_t skip_letters(const unsigned char *s, size_t n, size_t i)
{
	const uint64_t low7 = UINT64_C(0x7F7F7F7F7F7F7F7F);
	const uint64_t high = UINT64_C(0x8080808080808080);
	const uint64_t fold = UINT64_C(0x2020202020202020);

	while (n - i >= 8) {
		uint64_t x, y, t;

		memcpy(&x, s + i, 8);
		/* a byte below 0x80 with 0x20 set is in 0x61..0x7A ('a' to
		 * 'z') when it was a letter of either case: then y + 0x1F
		 * reaches bit 7 (y >= 0x61) and y + 0x05 does not (y <
		 * 0x7B); no sum carries into the next byte */
		y = (x & low7) | fold;
		t = (y + UINT64_C(0x1F1F1F1F1F1F1F1F)) &
		    ~(y + UINT64_C(0x0505050505050505)) & ~x & high;
		t ^= high; /* the bytes that are not letters */
		if (t)
			return i + ((size_t)__builtin_ctzll(t) >> 3);
		i += 8;
	}
	return i;
}
#define HAVE_SKIP_LETTERS 1
#endif

/* The end of the run of class c from i, or 0 at a character in more
 * than one class. */
static LEX_INLINE size_t run_of(struct lexer *lx, const unsigned char *s,
			    size_t n, size_t i, int c)
{
	size_t len;
	int k;

	for (;;) {
#ifdef HAVE_SKIP_LETTERS
		if (c == C_L && lx->ascii_letters) {
			i = skip_letters(s, n, i);
			/* stopped at a byte below 0x80: not a letter */
			if (i < n && s[i] < 0x80 && n - i >= 8)
				return i;
		}
#endif
		while (i < n && lx->byte[s[i]] == c)
			i++;
		if (i >= n || lx->byte[s[i]] != C_WIDE)
			return i;
		if ((k = class_wide(lx, s, n, i, &len)) != c)
			return k == C_MIXED ? 0 : i;
		i += len;
	}
}

/* The end of the token at s[p] (p < n), or 0 to leave it to PCRE2. */
static LEX_INLINE size_t lexer_token(struct lexer *lx, const unsigned char *s, size_t n,
			  size_t p)
{
	size_t len, e, last;
	int c;

	/* a space first: the common case (alternatives 1 and 2-4 never
	 * both apply) */
	if (s[p] == ' ' && n - p >= 2) {
		c = class_at(lx, s, n, p + 1, &len);
		if (c == C_MIXED)
			return 0;
		if (c != C_SPACE)
			return run_of(lx, s, n, p + 1 + len, c);
	} else if (s[p] == '\'' && n - p >= 2) {
		unsigned x = s[p + 1];

		if (x == 's' || x == 'd' || x == 'm' || x == 't')
			return p + 2;
		if (n - p >= 3 && ((x == 'l' && s[p + 2] == 'l') ||
				   (x == 'v' && s[p + 2] == 'e') ||
				   (x == 'r' && s[p + 2] == 'e')))
			return p + 3;
	}
	c = class_at(lx, s, n, p, &len);
	if (c == C_MIXED)
		return 0;
	if (c != C_SPACE)
		return run_of(lx, s, n, p + len, c);
	/* white space: where the run's last character starts, and its end */
	last = p;
	e = p + len;
	while (e < n) {
		c = class_at(lx, s, n, e, &len);
		if (c == C_MIXED)
			return 0;
		if (c != C_SPACE)
			break;
		last = e;
		e += len;
	}
	if (e == n || last == p)
		return e;
	return last;
}
