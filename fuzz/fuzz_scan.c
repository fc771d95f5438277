/* SPDX-License-Identifier: MIT */
/*
 * fuzz_scan.c - libFuzzer target: the scanner and jansson must agree on
 * every input (SPEC 4), and the walkers must agree with the scanner on
 * every accepted object.  Aborts on any disagreement.  The two documented
 * differences (see tests/unit/test_agree.c) are allowed only when the
 * input really shows them: out-of-range numbers, which the scanner
 * accepts, and a NUL byte right after a number or literal, which jansson
 * 2.14 silently drops.  Built with -fsanitize=fuzzer, or linked with
 * standalone.c to replay the corpus under `make check`.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

#define JFLAGS (JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why)
{
	fprintf(stderr, "fuzz_scan: %s\n", why);
	abort();
}

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int scanner_ok(const char *p, size_t n)
{
	size_t pos = 0;
	enum pk_type t;

	if (pk_scan_value(p, n, &pos, &t, NULL) != PK_OK)
		return 0;
	while (pos < n && is_ws((unsigned char)p[pos]))
		pos++;
	return pos == n;
}

static int jansson_ok(const char *p, size_t n, int *overflow)
{
	json_error_t je;
	json_t *v = json_loadb(p, n, JFLAGS, &je);

	if (overflow)
		*overflow = !v && json_error_code(&je) == json_error_numeric_overflow;
	json_decref(v);
	return v != NULL;
}

static int out_of_range(const char *p, size_t n)
{
	char buf[512];
	int real = memchr(p, '.', n) || memchr(p, 'e', n) || memchr(p, 'E', n);

	if (n >= sizeof buf)
		return 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	errno = 0;
	if (real)
		return isinf(strtod(buf, NULL)) && errno == ERANGE;
	(void)strtoll(buf, NULL, 10);
	return errno == ERANGE;
}

/* Scanner-valid text with out-of-range numbers replaced by 0. */
static int fix_numbers(const char *p, size_t n, struct pk_buf *out)
{
	size_t i = 0, run = 0;
	int count = 0;

	while (i < n) {
		unsigned char c = (unsigned char)p[i];

		if (c == '"') {
			for (i++; i < n && p[i] != '"'; i++)
				if (p[i] == '\\')
					i++;
			i++;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			size_t s = i;

			while (i < n && p[i] && (strchr("+-.eE", p[i]) ||
						 (p[i] >= '0' && p[i] <= '9')))
				i++;
			if (out_of_range(p + s, i - s)) {
				pk_buf_append(out, p + run, s - run);
				pk_buf_putc(out, '0');
				run = i;
				count++;
			}
		} else {
			i++;
		}
	}
	pk_buf_append(out, p + run, n - run);
	return count;
}

/* The text without NUL bytes that directly follow a number or literal. */
static int drop_lookahead_nuls(const char *p, size_t n, struct pk_buf *out)
{
	size_t i;
	int in_str = 0, esc = 0, count = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == 0 && i > 0 && p[i - 1] &&
			   strchr("0123456789el", p[i - 1])) {
			count++;
			continue;
		}
		pk_buf_putc(out, c);
	}
	return count;
}

/* On an accepted object: members, walkers, lookups and compaction. */
static void check_record(const char *p, size_t n, int jok)
{
	struct pk_record rec = PK_RECORD_INIT, rec2 = PK_RECORD_INIT;
	struct pk_buf b = PK_BUF_INIT, key = PK_BUF_INIT;
	struct pk_iter it;
	struct pk_member m;
	json_t *v = NULL, *v2 = NULL;
	void *ji = NULL;
	size_t k;

	if (pk_scan_record(&rec, p, n, NULL) != PK_OK)
		fail("pk_scan_record rejects what pk_scan_value accepts");
	if (jok) {
		v = json_loadb(p, n, JFLAGS, NULL);
		if (!v || !json_is_object(v) ||
		    json_object_size(v) != rec.nmembers)
			fail("member count differs from jansson");
		ji = json_object_iter(v);
	}
	pk_iter_init(&it, p, n);
	for (k = 0; k < rec.nmembers; k++) {
		const struct pk_member *r = &rec.members[k];
		struct pk_member f;

		if (!pk_iter_member(&it, &m) || m.key_off != r->key_off ||
		    m.key_len != r->key_len || m.val_off != r->val_off ||
		    m.val_len != r->val_len || m.type != r->type)
			fail("pk_iter_member differs from the scanner");
		if (r->type != pk_type_of(p + r->val_off, r->val_len))
			fail("pk_type_of differs");
		pk_buf_reset(&key);
		if (pk_json_unquote(&key, p + r->key_off, r->key_len) < 0)
			fail("unquote");
		/* keys have no NUL (the scanner rejects those) */
		if (memchr(key.data, '\0', key.len))
			fail("NUL in an accepted key");
		if (!pk_key_equals(p + r->key_off, r->key_len, key.data))
			fail("pk_key_equals(key, unquote(key)) is false");
		if (!pk_object_find(p, n, key.data, &f) ||
		    f.val_off != r->val_off)
			fail("pk_object_find misses a member");
		if (ji) {
			/* jansson 2.14 keeps insertion order */
			if (json_object_iter_key_len(ji) != key.len ||
			    memcmp(json_object_iter_key(ji), key.data, key.len))
				fail("decoded key differs from jansson's");
			ji = json_object_iter_next(v, ji);
		}
	}
	if (pk_iter_member(&it, &m))
		fail("pk_iter_member finds an extra member");

	if (pk_compact(&b, p, n) < 0)
		fail("pk_compact");
	if (pk_scan_record(&rec2, b.data, b.len, NULL) != PK_OK ||
	    rec2.has_space || rec2.nmembers != rec.nmembers)
		fail("compacted text does not scan as compact");
	if (!rec.has_space && (b.len != n || memcmp(b.data, p, n)))
		fail("compacting a compact record changed it");
	if (v) {
		v2 = json_loadb(b.data, b.len, JFLAGS, NULL);
		if (!v2 || !json_equal(v, v2))
			fail("compaction changed the value");
	}
	json_decref(v);
	json_decref(v2);
	pk_buf_free(&b);
	pk_buf_free(&key);
	pk_record_free(&rec);
	pk_record_free(&rec2);
}

static void check(const char *p, size_t n, int depth)
{
	struct pk_buf fixed = PK_BUF_INIT;
	int s = scanner_ok(p, n), overflow, j = jansson_ok(p, n, &overflow);
	size_t i = 0;

	while (i < n && is_ws((unsigned char)p[i]))
		i++;
	if (s && i < n && p[i] == '{') {
		check_record(p, n, j);
	} else {
		struct pk_record rec = PK_RECORD_INIT;
		struct pk_error err;

		if (pk_scan_record(&rec, p, n, &err) != PK_BAD_RECORD)
			fail("pk_scan_record accepts a non-object");
		if (s && strncmp(err.text, "not a JSON object (", 19) != 0)
			fail("wrong message for a valid non-object");
		pk_record_free(&rec);
	}
	if (s == j)
		return;
	if (depth > 0)
		fail("disagreement after removing a documented difference");
	if (s && overflow) {
		if (!fix_numbers(p, n, &fixed))
			fail("jansson overflow without an out-of-range number");
		check(fixed.data, fixed.len, depth + 1);
	} else if (!s && j) {
		if (!drop_lookahead_nuls(p, n, &fixed))
			fail("jansson accepts what the scanner rejects");
		check(fixed.data ? fixed.data : "", fixed.len, depth + 1);
		if (!scanner_ok(fixed.data ? fixed.data : "", fixed.len))
			fail("jansson accepts what the scanner rejects");
	} else {
		fail("the scanner accepts what jansson rejects");
	}
	pk_buf_free(&fixed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check((const char *)data, size, 0);
	return 0;
}
