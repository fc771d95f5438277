/* SPDX-License-Identifier: MIT */
/*
 * oracle.h - what "the scanner and jansson agree" means (SPEC 4), shared by
 * tests/unit/test_agree.c and fuzz/fuzz_scan.c.  Two differences are
 * documented and allowed only where the text really shows them:
 *  - numbers out of range (integers beyond 64 bits, reals beyond a double)
 *    are valid JSON that the scanner accepts and jansson rejects;
 *  - jansson 2.14 silently drops one NUL byte that directly follows a
 *    number or a literal, so it accepts "[1\0]", which the scanner rejects.
 * Each helper here turns a text into the one without that difference, so
 * that the two can be compared again.
 */
#ifndef PK_TEST_ORACLE_H
#define PK_TEST_ORACLE_H

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "scan_simd.h"

#define ORACLE_JFLAGS (JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES)

static inline int oracle_is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The scanner's verdict on the whole text (a value of any type). */
static inline int oracle_scanner_ok(const char *p, size_t n)
{
	struct pk_error err;
	enum pk_type t;
	size_t pos = 0;

	if (pk_scan_value(p, n, &pos, &t, &err) != PK_OK)
		return 0;
	while (pos < n && oracle_is_ws((unsigned char)p[pos]))
		pos++;
	return pos == n;
}

/* jansson's verdict; *overflow: it refused a number out of range. */
static inline int oracle_jansson_ok(const char *p, size_t n, int *overflow)
{
	json_error_t je;
	json_t *v = json_loadb(p, n, ORACLE_JFLAGS, &je);

	if (overflow)
		*overflow = !v && json_error_code(&je) == json_error_numeric_overflow;
	json_decref(v);
	return v != NULL;
}

/* Is the validated number text p[0..n) beyond jansson's range? */
static inline int oracle_out_of_range(const char *p, size_t n)
{
	char buf[512];
	int real = memchr(p, '.', n) || memchr(p, 'e', n) || memchr(p, 'E', n);

	if (n >= sizeof buf)
		return 1; /* a 500-digit number is out of range either way */
	memcpy(buf, p, n);
	buf[n] = '\0';
	errno = 0;
	if (real)
		return isinf(strtod(buf, NULL)) && errno == ERANGE;
	(void)strtoll(buf, NULL, 10);
	return errno == ERANGE;
}

/* The text with every out-of-range number replaced by 0, into out (reset
 * first); returns how many were replaced. */
static inline int oracle_replace_out_of_range(const char *p, size_t n,
					      struct pk_buf *out)
{
	size_t i = 0, run = 0;
	int count = 0;

	pk_buf_reset(out);
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
			if (oracle_out_of_range(p + s, i - s)) {
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

/* The text without the NUL bytes (outside strings) that directly follow a
 * number or literal character, into out (reset first); returns how many
 * were dropped. */
static inline int oracle_drop_lookahead_nuls(const char *p, size_t n,
					     struct pk_buf *out)
{
	size_t i;
	int in_str = 0, esc = 0, count = 0;

	pk_buf_reset(out);
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

/* Is p[0..n) valid UTF-8?  Written from the Unicode Standard's table of
 * well-formed byte sequences (Table 3-7), independently of the scanner's
 * validators (lib/scan.c, lib/scan_simd.c). */
static inline int oracle_utf8_ok(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i], lo = 0x80, hi = 0xBF, k, more;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			more = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			more = 2;
			if (c == 0xE0)
				lo = 0xA0;
			if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			more = 3;
			if (c == 0xF0)
				lo = 0x90;
			if (c == 0xF4)
				hi = 0x8F;
		} else {
			return 0;
		}
		if (n - i <= more)
			return 0;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (k = 2; k <= more; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xBF)
				return 0;
		i += more + 1;
	}
	return 1;
}

/* Scan p[0..n) on every code path of the scanner (scan_simd.h) that the
 * CPU has, and compare each with the scalar path: the same status, error
 * (kind, column, message) or members (spans, types, escaped keys) and
 * has_space, from pk_scan_record; the same status, end and type from
 * pk_scan_value; on an accepted object, the same compaction (which skips
 * strings on the path in use); and every path's UTF-8 validator agrees
 * with oracle_utf8_ok.  Returns NULL, or what differed (into why).  Leaves
 * the path as it was. */
static inline const char *oracle_paths_differ(const char *p, size_t n,
					      char *why, size_t cap)
{
	struct pk_record r0 = PK_RECORD_INIT, r1 = PK_RECORD_INIT;
	struct pk_buf c0 = PK_BUF_INIT, c1 = PK_BUF_INIT;
	struct pk_error e0, e1;
	enum pk_scan_path was = pk_scan_path();
	enum pk_type t0 = PK_T_NONE, t1 = PK_T_NONE;
	size_t pos0 = 0, pos1, k;
	int rc0, rc1, v0, v1, u, uref = oracle_utf8_ok((const unsigned char *)p, n);
	int path, bad_path = 0;
	const char *bad = NULL;

	memset(&e0, 0, sizeof e0);
	pk_scan_set_path(PK_SCAN_SCALAR);
	rc0 = pk_scan_record(&r0, p, n, &e0);
	v0 = pk_scan_value(p, n, &pos0, &t0, NULL);
	if (rc0 == PK_OK)
		pk_compact(&c0, p, n);
	for (path = PK_SCAN_SCALAR; path < PK_SCAN_PATHS && !bad; path++) {
		if (pk_scan_set_path((enum pk_scan_path)path) != PK_OK)
			continue;
		u = pk_utf8_valid_path((enum pk_scan_path)path,
				       (const unsigned char *)p, n);
		if (u >= 0 && u != uref) {
			bad = "UTF-8 validator";
			bad_path = path;
			break;
		}
		if (path == PK_SCAN_SCALAR)
			continue;
		memset(&e1, 0, sizeof e1);
		rc1 = pk_scan_record(&r1, p, n, &e1);
		pos1 = 0;
		v1 = pk_scan_value(p, n, &pos1, &t1, NULL);
		if (rc1 != rc0)
			bad = "pk_scan_record status";
		else if (rc0 != PK_OK && (e1.kind != e0.kind ||
					  e1.column != e0.column ||
					  strcmp(e1.text, e0.text) != 0))
			bad = "pk_scan_record error";
		else if (rc0 == PK_OK && (r1.nmembers != r0.nmembers ||
					  r1.has_space != r0.has_space))
			bad = "pk_scan_record members or has_space";
		else if (v1 != v0 || (v0 == PK_OK && (pos1 != pos0 || t1 != t0)))
			bad = "pk_scan_value";
		for (k = 0; !bad && rc0 == PK_OK && k < r0.nmembers; k++) {
			const struct pk_member *a = &r0.members[k],
					       *b = &r1.members[k];

			if (a->key_off != b->key_off || a->key_len != b->key_len ||
			    a->val_off != b->val_off || a->val_len != b->val_len ||
			    a->type != b->type || a->key_escaped != b->key_escaped)
				bad = "pk_scan_record member spans";
		}
		if (!bad && rc0 == PK_OK) {
			c1.len = 0;
			pk_compact(&c1, p, n);
			if (c1.len != c0.len || memcmp(c1.data, c0.data, c0.len))
				bad = "pk_compact";
		}
		bad_path = path;
	}
	if (bad)
		snprintf(why, cap, "path %s: %s differs from the scalar path",
			 pk_scan_path_name((enum pk_scan_path)bad_path), bad);
	pk_scan_set_path(was);
	pk_record_free(&r0);
	pk_record_free(&r1);
	pk_buf_free(&c0);
	pk_buf_free(&c1);
	return bad ? why : NULL;
}

#endif
