/* SPDX-License-Identifier: MIT */
/*
 * test_tokenize_lexer.c - the hand-written lexer of PK_TOKEN_REGEX_DEFAULT
 * (lib/tokenize.c) against PCRE2 matching the same pattern
 * (PREFKIT_TOKENIZER=pcre2, the reference), token by token:
 *
 *  - every code point (surrogates aside) in a run of its neighbours, and
 *    each one in the contexts the pattern's alternatives tell apart: after
 *    a space, an apostrophe, a letter, a digit, a symbol, a newline, and
 *    before them, doubled, at the end of the text;
 *  - the code points at the edges of UTF-8's lengths and of the ranges
 *    around the surrogates, and the white space PCRE2 knows (\h, \v, Z);
 *  - every line of every file under $TESTDATA and $DATA (and the
 *    directories in PREFKIT_TEST_TEXTS, colon-separated), as it is and
 *    each of its JSON strings decoded;
 *  - random texts from an alphabet rich in the pattern's special cases
 *    (contractions, spaces before every class, runs of white space of
 *    every kind, combining marks, numbers that are not digits, emoji,
 *    NUL) and from the whole of Unicode, for PREFKIT_TEST_SECONDS
 *    seconds (default 2).
 *
 * Each text is compared three ways: the spans and hashes of
 * pk_tokenize(), its count-only answer, and pk_regex_next() walked from
 * every token's start.  A difference is printed (the text, escaped) and
 * fails.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "pk_private.h"
#include "test.h"

static struct pk_regex *lex, *ref;
static unsigned long long ntexts, nbytes, ntokens;
static int nfailed;

/* Strict UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF): the subjects the tokenizer is promised. */
static int utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned b = s[i];
		uint32_t cp;
		size_t k, j;

		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF)
			k = 2, cp = b & 0x1F;
		else if (b >= 0xE0 && b <= 0xEF)
			k = 3, cp = b & 0x0F;
		else if (b >= 0xF0 && b <= 0xF4)
			k = 4, cp = b & 0x07;
		else
			return 0;
		if (n - i < k)
			return 0;
		for (j = 1; j < k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return 0;
		i += k;
	}
	return 1;
}

static size_t put_cp(struct pk_buf *b, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xF0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	pk_buf_append(b, u, n);
	return n;
}

static void show(const char *what, const char *s, size_t n)
{
	size_t i;

	printf("# %s: %zu bytes: \"", what, n);
	for (i = 0; i < n && i < 400; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7F && c != '\\' && c != '"')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("%s\"\n", i < n ? "..." : "");
}

/* Compare the lexer with PCRE2 on s[0..n): 1 when they agree. */
static int same(const char *s, size_t n)
{
	struct pk_buf sa = PK_BUF_INIT, sb = PK_BUF_INIT;
	struct pk_buf ha = PK_BUF_INIT, hb = PK_BUF_INIT;
	struct pk_error err = {0};
	long a = pk_tokenize(lex, s, n, &sa, &ha, &err);
	long b = pk_tokenize(ref, s, n, &sb, &hb, &err);
	long c = pk_tokenize(lex, s, n, NULL, NULL, &err);
	int ok = a >= 0 && a == b && c == a && sa.len == sb.len &&
		 ha.len == hb.len &&
		 (!sa.len || memcmp(sa.data, sb.data, sa.len) == 0) &&
		 (!ha.len || memcmp(ha.data, hb.data, ha.len) == 0);
	const struct pk_span *sp = (const void *)sb.data;
	long i;

	/* pk_regex_next from each token's start, and from the end */
	for (i = 0; ok && i <= b; i++) {
		size_t pos = i < b ? sp[i].off : n, p2 = pos;
		struct pk_span m, m2;
		int r1 = pk_regex_next(lex, s, n, &pos, &m, &err);
		int r2 = pk_regex_next(ref, s, n, &p2, &m2, &err);

		ok = r1 == r2 && pos == p2 &&
		     (r1 != 1 || (m.off == m2.off && m.len == m2.len));
	}
	ntexts++;
	nbytes += n;
	ntokens += b > 0 ? (unsigned long long)b : 0;
	if (!ok && nfailed++ < 10) {
		printf("# lexer %ld tokens (count only %ld), PCRE2 %ld\n", a, c, b);
		show("text", s, n);
		for (i = 0; i < a && i < b; i++) {
			const struct pk_span *x = (const void *)sa.data;

			if (x[i].off != sp[i].off || x[i].len != sp[i].len) {
				show("lexer token", s + x[i].off, x[i].len);
				show("PCRE2 token", s + sp[i].off, sp[i].len);
				break;
			}
		}
	}
	pk_buf_free(&sa);
	pk_buf_free(&sb);
	pk_buf_free(&ha);
	pk_buf_free(&hb);
	return ok;
}

#define SAME(lit) same(lit, sizeof(lit) - 1)

/* Every code point, in runs and in contexts. */
static void test_code_points(void)
{
	static const char *const before[] = {"", " ", "'", "a", "7", "!",
					     "\n", "  ", "x ", "\xc2\xa0"};
	static const char *const after[] = {"", " ", "s", "'s", "a", "7", "!",
					    "\n", " b", "  c"};
	struct pk_buf b = PK_BUF_INIT;
	uint32_t cp, lo;
	int bad = 0;
	size_t i, j;

	for (lo = 0; lo < 0x110000; lo += 0x1000) {
		pk_buf_reset(&b);
		/* the block as one text, each code point after the last */
		for (cp = lo; cp < lo + 0x1000; cp++)
			if (cp < 0xD800 || cp > 0xDFFF)
				put_cp(&b, cp);
		bad += !same(b.data ? b.data : "", b.len);
		/* each one doubled, between every context */
		pk_buf_reset(&b);
		for (cp = lo; cp < lo + 0x1000; cp++) {
			if (cp >= 0xD800 && cp <= 0xDFFF)
				continue;
			i = cp % (sizeof before / sizeof *before);
			j = cp / 7 % (sizeof after / sizeof *after);
			pk_buf_puts(&b, before[i]);
			put_cp(&b, cp);
			pk_buf_puts(&b, after[j]);
			put_cp(&b, cp);
			put_cp(&b, cp);
			pk_buf_puts(&b, " ");
		}
		bad += !same(b.data ? b.data : "", b.len);
		/* one at the end of a text, alone and after a space */
		for (cp = lo; cp < lo + 0x1000; cp += 61) {
			if (cp >= 0xD800 && cp <= 0xDFFF)
				continue;
			pk_buf_reset(&b);
			pk_buf_puts(&b, "ab ");
			put_cp(&b, cp);
			bad += !same(b.data, b.len);
			bad += !same(b.data + 3, b.len - 3);
			bad += !same(b.data + 2, b.len - 2);
		}
	}
	pk_buf_free(&b);
	CHECK_INT(bad, 0);
}

/* The edges of UTF-8 and the white space of PCRE2 (\h, \v, Z). */
static const uint32_t special[] = {
	0x00, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1F, 0x20, 0x27, 0x5F,
	0x7F, 0x80, 0x85, 0xA0, 0xAD, 0xB2, 0xBD, 0x7FF, 0x800, 0x300, 0x301,
	0x660, 0x1680, 0x180E, 0x2000, 0x200A, 0x200B, 0x2028, 0x2029, 0x202F,
	0x205F, 0x2160, 0x3000, 0x3007, 0xD7FF, 0xE000, 0xFEFF, 0xFFFD,
	0xFFFF, 0x10000, 0x1F44B, 0x1F3FD, 0x1D7CE, 0x10FFFF, 'a', 'Z',
	's', 'd', 'm', 't', 'l', 'v', 'e', 'r', '0', '9', '!', '.', ' ',
	' ', ' ', '\'', '\'', '\n', 0xE9, 0x4F60, 0x43F,
};
#define NSPECIAL (sizeof special / sizeof *special)

static void test_edges(void)
{
	struct pk_buf b = PK_BUF_INIT;
	size_t i, j, k;
	int bad = 0;

	/* every pair and many triples of the special code points */
	for (i = 0; i < NSPECIAL; i++)
		for (j = 0; j < NSPECIAL; j++) {
			pk_buf_reset(&b);
			put_cp(&b, special[i]);
			put_cp(&b, special[j]);
			bad += !same(b.data, b.len);
			for (k = (i + j) % 5; k < NSPECIAL; k += 5) {
				put_cp(&b, special[k]);
				bad += !same(b.data, b.len);
			}
		}
	pk_buf_free(&b);
	CHECK_INT(bad, 0);
}

/* A small random generator (xorshift64*), seeded for reproducibility. */
static uint64_t rng = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t next_rand(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * UINT64_C(2685821657736338717);
}

static uint32_t random_cp(void)
{
	uint64_t r = next_rand();
	uint32_t cp;

	switch (r % 8) {
	case 0: case 1: case 2:
		return special[(r >> 8) % NSPECIAL];
	case 3: /* ASCII */
		return (uint32_t)(r >> 8) % 0x80;
	case 4: /* two-byte and three-byte forms */
		return 0x80 + (uint32_t)(r >> 8) % 0x780;
	case 5:
		cp = 0x800 + (uint32_t)(r >> 8) % 0xF800;
		return cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp;
	default: /* anything */
		cp = (uint32_t)(r >> 8) % 0x110000;
		return cp >= 0xD800 && cp <= 0xDFFF ? cp - 0x800 : cp;
	}
}

static void test_random(void)
{
	const char *e = getenv("PREFKIT_TEST_SECONDS");
	double limit = e && atof(e) > 0 ? atof(e) : 2.0;
	struct pk_buf b = PK_BUF_INIT;
	clock_t t0 = clock();
	unsigned long long runs = 0;
	int bad = 0;

	do {
		size_t len = (size_t)(next_rand() % 48), k;

		pk_buf_reset(&b);
		for (k = 0; k < len; k++)
			put_cp(&b, random_cp());
		bad += !same(b.data ? b.data : "", b.len);
		runs++;
	} while (bad == 0 &&
		 (runs % 1024 || (double)(clock() - t0) / CLOCKS_PER_SEC < limit));
	printf("# %llu random texts\n", runs);
	pk_buf_free(&b);
	CHECK_INT(bad, 0);
}

/* Each line of the file, and its JSON strings decoded. */
static int file_texts(const char *path)
{
	struct pk_error err = {0};
	struct pk_reader *r = pk_reader_open(path, 0, &err);
	struct pk_buf dec = PK_BUF_INIT;
	struct pk_line line;
	int bad = 0, rc;

	if (!r)
		return 0;
	while ((rc = pk_reader_next(r, &line, &err)) == PK_OK) {
		const char *s = line.data;
		size_t n = line.len, i, j;

		if (utf8_valid((const unsigned char *)s, n))
			bad += !same(s, n);
		/* the string literals: from a quote to the next one that
		 * is not escaped */
		for (i = 0; i < n; i = j + 1) {
			while (i < n && s[i] != '"')
				i++;
			for (j = i + 1; j < n && s[j] != '"'; j++)
				if (s[j] == '\\')
					j++;
			if (j >= n)
				break;
			pk_buf_reset(&dec);
			if (pk_json_unquote(&dec, s + i, j - i + 1) == PK_OK &&
			    utf8_valid((const unsigned char *)(dec.data ? dec.data : ""),
				       dec.len))
				bad += !same(dec.data ? dec.data : "", dec.len);
		}
	}
	pk_reader_close(r);
	pk_buf_free(&dec);
	return bad;
}

static int walk(const char *dir, int *nfiles)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int bad = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		struct pk_buf p = PK_BUF_INIT;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		pk_buf_printf(&p, "%s/%s", dir, de->d_name);
		if (stat(p.data, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				bad += walk(p.data, nfiles);
			} else if (S_ISREG(st.st_mode) && st.st_size < (64 << 20)) {
				bad += file_texts(p.data);
				++*nfiles;
			}
		}
		pk_buf_free(&p);
	}
	closedir(d);
	return bad;
}

static void test_files(void)
{
	const char *dirs[] = {getenv("TESTDATA"), getenv("DATA")};
	const char *extra = getenv("PREFKIT_TEST_TEXTS");
	int bad = 0, nfiles = 0;
	size_t k;

	for (k = 0; k < 2; k++)
		if (dirs[k])
			bad += walk(dirs[k], &nfiles);
	if (extra) {
		char *copy = strdup(extra), *save = NULL, *d;

		for (d = strtok_r(copy, ":", &save); d;
		     d = strtok_r(NULL, ":", &save))
			bad += walk(d, &nfiles);
		free(copy);
	}
	printf("# %d files\n", nfiles);
	CHECK(nfiles > 0 || (!dirs[0] && !dirs[1] && !extra));
	CHECK_INT(bad, 0);
}

int main(void)
{
	struct pk_error err = {0};

	lex = pk_regex_new(PK_TOKEN_REGEX_DEFAULT, &err);
	CHECK(setenv("PREFKIT_TOKENIZER", "pcre2", 1) == 0);
	ref = pk_regex_new(PK_TOKEN_REGEX_DEFAULT, &err);
	CHECK(unsetenv("PREFKIT_TOKENIZER") == 0);
	CHECK(lex && ref);
	if (!lex || !ref)
		return pk_test_done();
	/* the lexer is for the default pattern only */
	CHECK(pk_regex_lexer(lex));
	CHECK(!pk_regex_lexer(ref));
	{
		struct pk_regex *w = pk_regex_new("\\w+", &err);

		CHECK(w && !pk_regex_lexer(w));
		pk_regex_free(w);
	}
	/* the texts of tests/unit/test_tokenize.c, and a few more */
	CHECK(SAME("Hello world"));
	CHECK(SAME("I'm fine, it's 2024!  \n\n x\t\ty'll 'LL '"));
	CHECK(SAME("a\0b '\0 "));
	CHECK(SAME("'"));
	CHECK(SAME(" "));
	CHECK(SAME(""));
	test_edges();
	test_code_points();
	test_files();
	test_random();
	printf("# %llu texts, %llu bytes, %llu tokens\n", ntexts, nbytes,
	       ntokens);
	pk_regex_free(lex);
	pk_regex_free(ref);
	return pk_test_done();
}
