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
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

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

#endif
