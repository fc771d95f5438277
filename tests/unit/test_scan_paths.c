/* SPDX-License-Identifier: MIT */
/*
 * test_scan_paths.c - the scanner's code paths (lib/scan_simd.h): every
 * path the CPU has gives the expected verdict, column, message and spans
 * on crafted lines that put each kind of special byte (quote, backslash
 * and every escape, control bytes, non-ASCII text, each kind of invalid
 * UTF-8: stray and missing continuation bytes, overlong forms, surrogates,
 * code points above U+10FFFF) at every offset of a 64-byte block, both
 * from the start of the string (where the string loops start) and from
 * the start of the line (where the UTF-8 validators start), in values and
 * keys, and at the very end of a line; the validators agree with an
 * independent one (tests/oracle.h) on every such buffer; and random lines
 * scan the same on every path as on the scalar one.  The expectations
 * come from how each line is built, not from the scanner.  Every text is
 * scanned from a buffer of exactly its length (ASan sees any read past
 * the end; the AVX-512 path reads the last block with a masked load).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "scan_simd.h"
#include "../oracle.h"
#include "test.h"

enum { VALID, BAD };

struct tok {
	const char *t;  /* the bytes put into a string */
	int kind;
	size_t off;     /* BAD: offset of the error in t */
	const char *msg;
	size_t len;     /* its length, when it holds a NUL byte */
};

#define U8 "invalid UTF-8 (byte 0x"
static const struct tok toks[] = {
	{"", VALID, 0, NULL, 0},
	{"\\\"", VALID, 0, NULL, 0},
	{"\\\\", VALID, 0, NULL, 0},
	{"\\/", VALID, 0, NULL, 0},
	{"\\b", VALID, 0, NULL, 0},
	{"\\f", VALID, 0, NULL, 0},
	{"\\n", VALID, 0, NULL, 0},
	{"\\r", VALID, 0, NULL, 0},
	{"\\t", VALID, 0, NULL, 0},
	{"\\\\\\\\\\\"", VALID, 0, NULL, 0},
	{"\\\\\\n\\\\", VALID, 0, NULL, 0},
	{"\\u00e9", VALID, 0, NULL, 0},
	{"\\u0041\\u0042", VALID, 0, NULL, 0},
	{"\\uD83D\\uDE00", VALID, 0, NULL, 0},
	{"\\udbff\\udfff", VALID, 0, NULL, 0},
	{"\\ud7ff\\uE000\\uFFFF", VALID, 0, NULL, 0},
	{"\\u0000", VALID, 0, NULL, 0},
	{"\x7f", VALID, 0, NULL, 0},
	{"\xc2\x80", VALID, 0, NULL, 0},
	{"\xc3\xa9", VALID, 0, NULL, 0},
	{"\xdf\xbf", VALID, 0, NULL, 0},
	{"\xe0\xa0\x80", VALID, 0, NULL, 0},
	{"\xe2\x82\xac", VALID, 0, NULL, 0},
	{"\xed\x9f\xbf", VALID, 0, NULL, 0},
	{"\xee\x80\x80", VALID, 0, NULL, 0},
	{"\xef\xbf\xbf", VALID, 0, NULL, 0},
	{"\xf0\x90\x80\x80", VALID, 0, NULL, 0},
	{"\xf0\x9f\x98\x80", VALID, 0, NULL, 0},
	{"\xf4\x8f\xbf\xbf", VALID, 0, NULL, 0},
	{"\xc3\xa9\\n\xe2\x82\xac\\\"\xf0\x9f\x98\x80", VALID, 0, NULL, 0},
	{"\\x", BAD, 0, "invalid escape", 0},
	{"\\'", BAD, 0, "invalid escape", 0},
	{"\\U0041", BAD, 0, "invalid escape", 0},
	{"\\u12g4", BAD, 0, "invalid escape", 0},
	{"\\u004", BAD, 0, "invalid escape", 0},
	{"\\n\\a", BAD, 2, "invalid escape", 0},
	{"\\\x0a", BAD, 0, "invalid escape", 0},
	{"\\\xc3\xa9", BAD, 0, "invalid escape", 0},
	{"\\uD800", BAD, 0, "lone UTF-16 surrogate", 0},
	{"\\uDC00", BAD, 0, "lone UTF-16 surrogate", 0},
	{"\\uDBFF\\u0041", BAD, 0, "lone UTF-16 surrogate", 0},
	{"\\uD800\\n", BAD, 0, "lone UTF-16 surrogate", 0},
	{"\\uD800\\uD800", BAD, 0, "lone UTF-16 surrogate", 0},
	{"\\uD800\\uDC0g", BAD, 6, "invalid escape", 0},
	{"\x01", BAD, 0, "control character in string (byte 0x01)", 0},
	{"\x1f", BAD, 0, "control character in string (byte 0x1f)", 0},
	{"\x0a", BAD, 0, "control character in string (byte 0x0a)", 0},
	{"\t", BAD, 0, "control character in string (byte 0x09)", 0},
	{"\\n\x00", BAD, 2, "control character in string (byte 0x00)", 3},
	{"\x80", BAD, 0, U8 "80)", 0},
	{"\xbf", BAD, 0, U8 "bf)", 0},
	{"\xc0\x80", BAD, 0, U8 "c0)", 0},
	{"\xc1\xbf", BAD, 0, U8 "c1)", 0},
	{"\xe0\x80\x80", BAD, 0, U8 "e0)", 0},
	{"\xe0\x9f\xbf", BAD, 0, U8 "e0)", 0},
	{"\xf0\x80\x80\x80", BAD, 0, U8 "f0)", 0},
	{"\xf0\x8f\xbf\xbf", BAD, 0, U8 "f0)", 0},
	{"\xed\xa0\x80", BAD, 0, U8 "ed)", 0},
	{"\xed\xbf\xbf", BAD, 0, U8 "ed)", 0},
	{"\xf4\x90\x80\x80", BAD, 0, U8 "f4)", 0},
	{"\xf5\x80\x80\x80", BAD, 0, U8 "f5)", 0},
	{"\xf8\x88\x80\x80\x80", BAD, 0, U8 "f8)", 0},
	{"\xfe", BAD, 0, U8 "fe)", 0},
	{"\xff", BAD, 0, U8 "ff)", 0},
	{"\xc3", BAD, 0, U8 "c3)", 0},
	{"\xe2\x82", BAD, 0, U8 "e2)", 0},
	{"\xf0\x9f\x98", BAD, 0, U8 "f0)", 0},
	{"\xc3\xa9\x80", BAD, 2, U8 "80)", 0},
	{"\xe2\x82\xac\xe2\x82", BAD, 3, U8 "e2)", 0},
	{"\xc3\xc3\xa9", BAD, 0, U8 "c3)", 0},
	{"\\n\xa9", BAD, 2, U8 "a9)", 0},
	{"\"", BAD, 1, "unexpected character 'y'", 0},
};

/* The end of a line inside a string: the bytes, and the offset of the
 * error in them, or -1 for "unexpected end of input". */
static const struct {
	const char *t;
	long off;
	const char *msg;
} ends[] = {
	{"", -1, "unexpected end of input"},
	{"\\", -1, "unexpected end of input"},
	{"\\n", -1, "unexpected end of input"},
	{"\\u", -1, "unexpected end of input"},
	{"\\u12", -1, "unexpected end of input"},
	{"\\u123", -1, "unexpected end of input"},
	{"\\u1x", 0, "invalid escape"},
	{"\\uD800", -1, "unexpected end of input"},
	{"\\uD800\\", -1, "unexpected end of input"},
	{"\\uD800\\u", -1, "unexpected end of input"},
	{"\\uD800\\uDC", -1, "unexpected end of input"},
	{"\\uD800x", 0, "lone UTF-16 surrogate"},
	{"\\uD800\\x", 0, "lone UTF-16 surrogate"},
	{"\xc3\xa9", -1, "unexpected end of input"},
	{"\xc3", 0, U8 "c3)"},
	{"\xe2\x82", 0, U8 "e2)"},
	{"\xf0\x9f\x98", 0, U8 "f0)"},
	{"\xf0\x9f", 0, U8 "f0)"},
	{"\x80", 0, U8 "80)"},
};

static struct pk_record rec = PK_RECORD_INIT;
static struct pk_error err;

/* Scan text[0..len) from an exact-size copy. */
static int scan_n(const char *text, size_t len)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, text, len);
	memset(&err, 0, sizeof err);
	rc = pk_scan_record(&rec, copy, len, &err);
	rec.text = NULL; /* the copy is gone */
	free(copy);
	return rc;
}

static void add(struct pk_buf *b, char c, size_t n)
{
	while (n--)
		pk_buf_putc(b, c);
}

static size_t nfail;

static void fail(const char *path, const char *what, const struct pk_buf *b)
{
	size_t i;

	if (++nfail > 10)
		return;
	printf("# %s: %s in: ", path, what);
	for (i = 0; i < b->len && i < 200; i++) {
		unsigned char c = (unsigned char)b->data[i];

		if (c >= 0x20 && c < 0x7f)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf(" (%s)\n", err.text);
}

/* Check the scan of b against the expectation: at column col (1-based)
 * with msg, or valid (col 0).  One counted failure per difference. */
static void expect(const char *path, const struct pk_buf *b,
		   unsigned long col, const char *msg)
{
	int rc = scan_n(b->data, b->len);

	if (!col) {
		if (rc != PK_OK)
			fail(path, "rejected", b);
		return;
	}
	if (rc != PK_BAD_RECORD)
		fail(path, "accepted", b);
	else if (err.column != col)
		fail(path, "column", b);
	else if (!strstr(err.text, msg))
		fail(path, "message", b);
}

/* On a valid line (b, with w leading spaces and no other whitespace
 * outside strings), just scanned into rec: the walkers (pk_iter_member,
 * which skip strings on the path in use) find the scanner's members, and
 * compaction drops the leading spaces only. */
static void check_walk(const char *path, const struct pk_buf *b, size_t w)
{
	char *copy = malloc(b->len), *out = malloc(b->len + 1);
	struct pk_iter it;
	struct pk_member m;
	size_t k = 0, n;

	memcpy(copy, b->data, b->len);
	pk_iter_init(&it, copy, b->len);
	while (pk_iter_member(&it, &m)) {
		const struct pk_member *r = &rec.members[k];

		if (k >= rec.nmembers || m.key_off != r->key_off ||
		    m.key_len != r->key_len || m.val_off != r->val_off ||
		    m.val_len != r->val_len || m.key_escaped != r->key_escaped)
			fail(path, "pk_iter_member", b);
		k++;
	}
	if (k != rec.nmembers)
		fail(path, "pk_iter_member count", b);
	n = pk_compact_to(out, copy, b->len);
	if (n != b->len - w || memcmp(out, copy + w, n) != 0)
		fail(path, "pk_compact_to", b);
	free(copy);
	free(out);
}

/*
 * The token of each row at offset k (0..130) of a string value and of a
 * key, after W (0..63) spaces: {"a":"x..xTyyyyy","b":1} and
 * {"x..xTyyyyy":1,"b":2}.  Valid lines are checked for their members too.
 */
static void test_tokens(const char *path)
{
	size_t ti, w, k, before = nfail;

	for (ti = 0; ti < sizeof toks / sizeof *toks; ti++) {
		const struct tok *t = &toks[ti];
		size_t tl = t->len ? t->len : strlen(t->t);

		for (w = 0; w < 64; w++)
			for (k = 0; k <= 130; k++) {
				struct pk_buf b = PK_BUF_INIT;
				size_t vo, kl;

				/* in a value */
				add(&b, ' ', w);
				pk_buf_puts(&b, "{\"a\":\"");
				vo = b.len - 1;
				add(&b, 'x', k);
				pk_buf_append(&b, t->t, tl);
				pk_buf_puts(&b, "yyyyy\",\"b\":1}");
				if (t->kind == VALID) {
					expect(path, &b, 0, NULL);
					if (rec.nmembers != 2 ||
					    rec.members[0].val_off != vo ||
					    rec.members[0].val_len != k + tl + 7 ||
					    rec.members[0].type != PK_T_STRING ||
					    rec.members[1].key_off != vo + k + tl + 8 ||
					    rec.has_space != (w > 0))
						fail(path, "value spans", &b);
					check_walk(path, &b, w);
				} else {
					expect(path, &b, vo + 1 + k + t->off + 1,
					       t->msg);
				}
				/* in a key (\u0000 is refused there) */
				b.len = 0;
				if (strstr(t->t, "\\u0000")) {
					pk_buf_free(&b);
					continue;
				}
				add(&b, ' ', w);
				pk_buf_puts(&b, "{\"");
				add(&b, 'x', k);
				pk_buf_append(&b, t->t, tl);
				pk_buf_puts(&b, "yyyyy\":1,\"b\":2}");
				kl = k + tl + 7;
				if (t->kind == VALID) {
					expect(path, &b, 0, NULL);
					if (rec.nmembers != 2 ||
					    rec.members[0].key_off != w + 1 ||
					    rec.members[0].key_len != kl ||
					    rec.members[0].key_escaped !=
						    (strchr(t->t, '\\') != NULL) ||
					    rec.members[0].val_off != w + 2 + kl ||
					    rec.members[1].val_len != 1)
						fail(path, "key spans", &b);
					check_walk(path, &b, w);
				} else {
					expect(path, &b, w + 2 + k + t->off + 1,
					       t->msg);
				}
				pk_buf_free(&b);
			}
	}
	printf("# %s: %zu crafted lines differ from their expectation\n", path,
	       nfail - before);
	CHECK_INT(nfail - before, 0);
}

/* A line that ends inside a string: {"a":"x..xT */
static void test_ends(const char *path)
{
	size_t ti, w, k, before = nfail;

	for (ti = 0; ti < sizeof ends / sizeof *ends; ti++)
		for (w = 0; w < 64; w += 7)
			for (k = 0; k <= 130; k++) {
				struct pk_buf b = PK_BUF_INIT;
				size_t vo;

				add(&b, ' ', w);
				pk_buf_puts(&b, "{\"a\":\"");
				vo = b.len;
				add(&b, 'x', k);
				pk_buf_puts(&b, ends[ti].t);
				expect(path, &b,
				       ends[ti].off < 0 ? b.len + 1
						       : vo + k + (size_t)ends[ti].off + 1,
				       ends[ti].msg);
				pk_buf_free(&b);
			}
	CHECK_INT(nfail - before, 0);
}

/* Strings whose closing quote falls at every offset, the line ending
 * right after it or after W more bytes: valid, the value's span exact. */
static void test_string_ends(const char *path)
{
	size_t w, k, before = nfail;

	for (w = 0; w < 70; w++)
		for (k = 0; k <= 200; k++) {
			struct pk_buf b = PK_BUF_INIT;

			pk_buf_puts(&b, "{\"a\":\"");
			add(&b, k % 3 ? 'x' : ' ', k);
			pk_buf_puts(&b, "\"}");
			add(&b, '\n', w);
			expect(path, &b, 0, NULL);
			if (rec.nmembers != 1 || rec.members[0].val_off != 5 ||
			    rec.members[0].val_len != k + 2)
				fail(path, "span", &b);
			else if (!w)
				check_walk(path, &b, 0);
			pk_buf_free(&b);
		}
	CHECK_INT(nfail - before, 0);
}

/* The validators: each token (valid or not) at every offset 0..130 of a
 * buffer of every length up to 64 bytes more, in an exact-size buffer,
 * against oracle_utf8_ok; then random bytes, mostly UTF-8-like. */
static void test_validators(void)
{
	static const char *const seqs[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
		"\xed\x9f\xbf", "\xee\x80\x80", "\x80", "\xc0\x80", "\xc1\xbf",
		"\xe0\x9f\xbf", "\xe0\xa0\x80", "\xed\xa0\x80", "\xf0\x8f\xbf\xbf",
		"\xf0\x90\x80\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff",
		"\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xc3\xa9\x80", "\xc2\xc2\x80",
	};
	int p;

	for (p = PK_SCAN_SCALAR; p < PK_SCAN_PATHS; p++) {
		size_t si, k, extra, bad = 0, tried = 0, r;
		unsigned long long seed = 42;

		if (!pk_scan_path_supported((enum pk_scan_path)p) ||
		    pk_utf8_valid_path((enum pk_scan_path)p,
				       (const unsigned char *)"", 0) < 0)
			continue;
		for (si = 0; si < sizeof seqs / sizeof *seqs; si++)
			for (k = 0; k <= 130; k++)
				for (extra = 0; extra <= 64; extra++) {
					size_t sl = strlen(seqs[si]),
					       n = k + sl + extra;
					unsigned char *buf = malloc(n);

					memset(buf, 'a', n);
					if (k && k % 5 == 0)
						memcpy(buf, "\xc3\xa9", k > 1 ? 2 : 0);
					memcpy(buf + k, seqs[si], sl);
					if (pk_utf8_valid_path((enum pk_scan_path)p,
							       buf, n) !=
					    oracle_utf8_ok(buf, n))
						bad++;
					/* the same cut right after the token */
					if (pk_utf8_valid_path((enum pk_scan_path)p,
							       buf, k + sl) !=
					    oracle_utf8_ok(buf, k + sl))
						bad++;
					tried += 2;
					free(buf);
				}
		for (r = 0; r < 20000; r++) {
			unsigned char *buf;
			size_t n, j;

			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			n = (size_t)(seed >> 33) % 300;
			buf = malloc(n ? n : 1);
			for (j = 0; j < n; j++) {
				unsigned x;

				seed = seed * 6364136223846793005ULL +
				       1442695040888963407ULL;
				x = (unsigned)(seed >> 40);
				/* mostly ASCII, continuation bytes, leads */
				buf[j] = (unsigned char)(x % 4 == 0 ? 0x80 + x % 64 :
							x % 4 == 1 ? 0xC0 + x % 64 :
							'a' + x % 26);
			}
			if (pk_utf8_valid_path((enum pk_scan_path)p, buf, n) !=
			    oracle_utf8_ok(buf, n))
				bad++;
			tried++;
			free(buf);
		}
		printf("# %s validator: %zu of %zu buffers differ from the oracle\n",
		       pk_scan_path_name((enum pk_scan_path)p), bad, tried);
		CHECK_INT(bad, 0);
	}
}

/* Random lines from pieces of JSON, valid and not: every path scans them
 * as the scalar path does (oracle_paths_differ). */
static void test_random(void)
{
	static const char *const pieces[] = {
		"{", "}", "[", "]", ",", ":", " ", "\"", "\"k\":", "\"a\"", "1",
		"-2.5e3", "true", "null", "xxxxxxxxxxxxxxxx", "yyyyyyy", "\\",
		"\\n", "\\\"", "\\\\", "\\u00e9", "\\uD83D\\uDE00", "\\uD800",
		"\\u12", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc3",
		"\xed\xa0\x80", "\x80", "\x01", "\t", "\"s\":\"", "\",\"t\":\"",
	};
	unsigned long long seed = 7;
	size_t r, bad = 0;
	char why[200];

	for (r = 0; r < 30000; r++) {
		struct pk_buf b = PK_BUF_INIT;
		size_t n, j;
		const char *d;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		n = (size_t)(seed >> 33) % 80;
		/* most lines: an object with a long string or two */
		pk_buf_puts(&b, r % 3 ? "{\"s\":\"" : "");
		for (j = 0; j < n; j++) {
			seed = seed * 6364136223846793005ULL +
			       1442695040888963407ULL;
			pk_buf_puts(&b, pieces[(seed >> 35) %
					       (sizeof pieces / sizeof *pieces)]);
		}
		pk_buf_puts(&b, r % 3 ? "\"}" : "");
		d = oracle_paths_differ(b.data ? b.data : "", b.len, why,
					sizeof why);
		if (d && ++bad <= 5)
			printf("# %s: %.*s\n", d, (int)b.len, b.data);
		pk_buf_free(&b);
	}
	CHECK_INT(bad, 0);
}

int main(void)
{
	int p, n = 0;

	/* PREFKIT_SCAN is read at the first scan: "scalar" is always there */
	if (!getenv("PREFKIT_SCAN")) {
		setenv("PREFKIT_SCAN", "scalar", 1);
		CHECK_INT(pk_scan_path(), PK_SCAN_SCALAR);
	}
	CHECK_STR(pk_scan_path_name(PK_SCAN_SCALAR), "scalar");
	CHECK_STR(pk_scan_path_name(PK_SCAN_SSE2), "sse2");
	CHECK_STR(pk_scan_path_name(PK_SCAN_AVX2), "avx2");
	CHECK_STR(pk_scan_path_name(PK_SCAN_AVX512), "avx512");
	CHECK(pk_scan_path_supported(PK_SCAN_SCALAR));
	CHECK(!pk_scan_path_supported(PK_SCAN_PATHS));
	CHECK_INT(pk_scan_set_path(PK_SCAN_PATHS), PK_FATAL);
#if defined(__x86_64__) && !defined(PK_NO_SIMD)
	CHECK(pk_scan_path_supported(PK_SCAN_SSE2));
#endif
	for (p = PK_SCAN_SCALAR; p < PK_SCAN_PATHS; p++) {
		const char *name = pk_scan_path_name((enum pk_scan_path)p);

		if (pk_scan_set_path((enum pk_scan_path)p) != PK_OK) {
			printf("# path %s: not on this CPU\n", name);
			continue;
		}
		CHECK_INT(pk_scan_path(), p);
		n++;
		test_tokens(name);
		test_ends(name);
		test_string_ends(name);
	}
	printf("# %d paths tested\n", n);
	test_validators();
	test_random();
	pk_record_free(&rec);
	return pk_test_done();
}
