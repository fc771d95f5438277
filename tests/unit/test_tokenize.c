/* SPDX-License-Identifier: MIT */
/*
 * test_tokenize.c - lib/tokenize.c: PCRE2 patterns and the tokenizer.
 *
 * The expected token lists of the default (GPT-2) pattern were worked out
 * by hand from the pattern, alternative by alternative (the comment on
 * each case says which alternative takes which piece); the same pattern
 * is checked against Python's re on real and multilingual text by
 * tests/cli/tokenize/python-oracle.sh.  The hashes are those printed by
 * `xxhsum -H3` (xxHash's own tool) for the token bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "pk_private.h"
#include "test.h"

/* Tokens of s[0..n) joined by '|' into out (at most cap bytes, length in
 * *outlen); the count, or a negative status. */
static long joined(struct pk_regex *re, const char *s, size_t n, char *out,
		   size_t cap, size_t *outlen)
{
	struct pk_buf spans = PK_BUF_INIT, hashes = PK_BUF_INIT;
	struct pk_error err = {0};
	long k = pk_tokenize(re, s, n, &spans, &hashes, &err);
	const struct pk_span *sp = (const void *)spans.data;
	const uint64_t *h = (const void *)hashes.data;
	size_t at = 0;
	long i;

	out[0] = '\0';
	for (i = 0; i < k; i++) {
		if (at + sp[i].len + 2 > cap)
			break;
		if (i)
			out[at++] = '|';
		memcpy(out + at, s + sp[i].off, sp[i].len);
		at += sp[i].len;
		out[at] = '\0';
		/* every hash is the hash of its span */
		if (h[i] != pk_token_hash(s + sp[i].off, sp[i].len))
			k = -100;
	}
	*outlen = at;
	pk_buf_free(&spans);
	pk_buf_free(&hashes);
	return k;
}

#define TOKENS(re, s, want, count)                                          \
	do {                                                                \
		char got_[512];                                             \
		size_t tl_ = 0;                                             \
		CHECK_INT(joined(re, s, sizeof(s) - 1, got_, sizeof got_,   \
				 &tl_), count);                             \
		CHECK_MEM(got_, tl_, want, sizeof(want) - 1);               \
	} while (0)

static void test_default_pattern(void)
{
	struct pk_error err = {0};
	struct pk_regex *re = pk_regex_new(PK_TOKEN_REGEX_DEFAULT, &err);

	CHECK(re != NULL);
	if (!re)
		return;
	/* ' ?\p{L}+' takes a word with its leading space */
	TOKENS(re, "Hello world", "Hello| world", 2);
	/* contractions split off; ' ?[^\s\p{L}\p{N}]+' takes "," and "!";
	 * ' ?\p{N}+' takes " 2024" */
	TOKENS(re, "I'm fine, it's 2024!", "I|'m| fine|,| it|'s| 2024|!", 8);
	TOKENS(re, "don't we'll they've you're I'd", "don|'t| we|'ll| they|'ve| you|'re| I|'d", 10);
	/* two spaces: '\s+(?!\S)' gives up one space so that the second
	 * goes with the word */
	TOKENS(re, "a  b", "a| | b", 3);
	/* trailing whitespace: '\s+(?!\S)' takes it all at the end */
	TOKENS(re, "end \n", "end| \n", 2);
	/* "\n\nb": '\s+(?!\S)' takes the first newline, '\s+' the second
	 * (' ?' is a space only) */
	TOKENS(re, "a\n\nb", "a|\n|\n|b", 4);
	/* letters are Unicode letters (Latin with accents, CJK, Cyrillic) */
	TOKENS(re, "h\xc3\xa9llo w\xc3\xb6rld", "h\xc3\xa9llo| w\xc3\xb6rld", 2);
	TOKENS(re, "\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c 123",
	       "\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c| 123", 2);
	TOKENS(re, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, "
		   "\xd0\xbc\xd0\xb8\xd1\x80",
	       "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82|,| "
	       "\xd0\xbc\xd0\xb8\xd1\x80", 3);
	/* superscript two is a number (No), not a letter */
	TOKENS(re, "x\xc2\xb2", "x|\xc2\xb2", 2);
	/* U+3000 is whitespace under UCP but not ' ': '\s+' alone */
	TOKENS(re, "a\xe3\x80\x80" "b", "a|\xe3\x80\x80|b", 3);
	/* symbols: the waving hand (So) and its skin tone (Sk) are one run */
	TOKENS(re, "hi \xf0\x9f\x91\x8b\xf0\x9f\x8f\xbd!",
	       "hi| \xf0\x9f\x91\x8b\xf0\x9f\x8f\xbd!", 2);
	TOKENS(re, "Hello!!! ...ok", "Hello|!!!| ...|ok", 4);
	/* a NUL byte is a symbol like any other */
	TOKENS(re, "a\0b", "a|\0|b", 3);
	/* underscores and digits between letters */
	TOKENS(re, "foo_bar42x", "foo|_|bar|42|x", 5);
	TOKENS(re, "", "", 0);
	TOKENS(re, "   ", "   ", 1);
	pk_regex_free(re);
}

static void test_hashes(void)
{
	struct pk_error err = {0};
	struct pk_regex *re = pk_regex_new(PK_TOKEN_REGEX_DEFAULT, &err);
	struct pk_buf h = PK_BUF_INIT;
	const uint64_t *v;

	CHECK(pk_token_hash("", 0) == UINT64_C(0x2d06800538d394c2));
	CHECK_INT(pk_tokenize(re, "Hello world I'm", 15, NULL, &h, &err), 4);
	v = (const void *)h.data;
	CHECK(v[0] == UINT64_C(0x38e23bf5a2a77616)); /* "Hello" */
	CHECK(v[1] == UINT64_C(0xe102bd72b34bb131)); /* " world" */
	CHECK(v[3] == UINT64_C(0xe2b31942116a58bd)); /* "'m" */
	/* counting only */
	CHECK_INT(pk_tokenize(re, "Hello world I'm", 15, NULL, NULL, &err), 4);
	pk_buf_free(&h);
	pk_regex_free(re);
}

static void test_empty_matches(void)
{
	struct pk_error err = {0};
	struct pk_regex *re;

	/* a lazy 'a??' prefers the empty match; the 'a' after it is still
	 * found, as Python's re.findall finds it (then drops the empties) */
	re = pk_regex_new("a??", &err);
	TOKENS(re, "aa", "a|a", 2);
	pk_regex_free(re);
	re = pk_regex_new("\\w*", &err);
	TOKENS(re, "ab cd", "ab|cd", 2);
	TOKENS(re, "  ", "", 0);
	pk_regex_free(re);
	/* the empty pattern ends, never stopping inside a character */
	re = pk_regex_new("", &err);
	TOKENS(re, "\xc3\xa9\xe2\x82\xac", "", 0);
	pk_regex_free(re);
	re = pk_regex_new("x*", &err);
	TOKENS(re, "\xc3\xa9\xe2\x82\xacx\xf0\x9f\x91\x8bxx", "x|xx", 2);
	pk_regex_free(re);
	/* a single '.' steps over whole characters */
	re = pk_regex_new(".", &err);
	TOKENS(re, "\xc3\xa9\xe2\x82\xac" "a", "\xc3\xa9|\xe2\x82\xac|a", 3);
	pk_regex_free(re);
	re = pk_regex_new("\\b", &err);
	TOKENS(re, "a b", "", 0);
	pk_regex_free(re);
}

static void test_next(void)
{
	struct pk_error err = {0};
	struct pk_regex *re = pk_regex_new("[0-9]+", &err);
	const char *s = "ab 12 cd 345";
	struct pk_span m;
	size_t pos = 0;

	CHECK_INT(pk_regex_next(re, s, strlen(s), &pos, &m, &err), 1);
	CHECK_INT(m.off, 3);
	CHECK_INT(m.len, 2);
	CHECK_INT(pos, 5);
	CHECK_INT(pk_regex_next(re, s, strlen(s), &pos, &m, &err), 1);
	CHECK_INT(m.off, 9);
	CHECK_INT(m.len, 3);
	CHECK_INT(pk_regex_next(re, s, strlen(s), &pos, &m, &err), 0);
	CHECK_INT(pos, strlen(s));
	CHECK_INT(pk_regex_next(re, s, strlen(s), &pos, &m, &err), 0);
	/* a NULL subject of length 0 is the empty text */
	pos = 0;
	CHECK_INT(pk_regex_next(re, NULL, 0, &pos, &m, &err), 0);
	pk_regex_free(re);
}

static void test_errors(void)
{
	struct pk_error err = {0};
	struct pk_regex *re;

	CHECK(pk_regex_new("(", &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_STR(err.text, "pattern offset 1: missing closing parenthesis");
	CHECK(pk_regex_new("a\\p{Foo}", &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK(strncmp(err.text, "pattern offset 8: ", 18) == 0);
	/* catastrophic backtracking runs into PCRE2's limits: a bad record
	 * (the subject's fault), not a crash */
	re = pk_regex_new("(a+)+$", &err);
	{
		char s[4096];
		struct pk_span m;
		size_t pos = 0;
		int rc;

		memset(s, 'a', sizeof s - 1);
		s[sizeof s - 1] = 'b';
		rc = pk_regex_next(re, s, sizeof s, &pos, &m, &err);
		CHECK(rc == 0 || rc == PK_BAD_RECORD);
		if (rc == PK_BAD_RECORD)
			CHECK(strncmp(err.text, "pattern match failed: ", 22) == 0);
	}
	pk_regex_free(re);
	pk_regex_free(NULL);
}

/* PREFKIT_NO_JIT: the interpreter, whatever the library offers. */
static void test_no_jit(void)
{
	struct pk_error err = {0};
	struct pk_regex *re;

	CHECK(setenv("PREFKIT_NO_JIT", "1", 1) == 0);
	re = pk_regex_new("[0-9]+", &err);
	CHECK(re != NULL && !pk_regex_jit(re));
	pk_regex_free(re);
	CHECK(setenv("PREFKIT_NO_JIT", "0", 1) == 0);
	re = pk_regex_new("[0-9]+", &err);
	CHECK(re != NULL);
	pk_regex_free(re);
}

static void run_all(void)
{
	test_default_pattern();
	test_hashes();
	test_empty_matches();
	test_next();
	test_errors();
}

int main(void)
{
	/* with JIT when PCRE2 has it, then the same cases interpreted */
	run_all();
	test_no_jit();
	CHECK(setenv("PREFKIT_NO_JIT", "1", 1) == 0);
	run_all();
	return pk_test_done();
}
