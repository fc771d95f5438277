/* SPDX-License-Identifier: MIT */
/*
 * num.c - numbers as the project writes and reads them: integral values as
 * integers, everything else in the shortest %g form that reads back to the
 * same double (jansson would print 17 digits: 6.2 -> 6.2000000000000002),
 * and raw JSON number text to double with overflow reported.  The programs
 * never call setlocale, so printf and strtod use '.'.
 */
#include "config.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

int pk_format_number(char out[PK_NUMBER_MAX], double x)
{
	int p, n = -1;

	if (isnan(x) || isinf(x))
		return PK_BAD_RECORD;
	if (x == 0) {
		/* also -0.0, which would print as "-0" */
		out[0] = '0';
		out[1] = '\0';
		return 1;
	}
	if (fabs(x) < 1e17 && x == trunc(x))
		return snprintf(out, PK_NUMBER_MAX, "%.0f", x);
	/* When some k <= 15 digits read back to x, "%.15g" rounds x to those
	 * very digits (x is within half an ulp of them, far less than half a
	 * unit in the 15th digit) and %g drops the trailing zeros: so 15 is
	 * where the search for the shortest form can start.  Subnormals have
	 * fewer bits, so for them the search starts at one digit. */
	for (p = fabs(x) < DBL_MIN ? 1 : 15; p <= 17; p++) {
		n = snprintf(out, PK_NUMBER_MAX, "%.*g", p, x);
		if (strtod(out, NULL) == x)
			break;
	}
	return n;
}

int pk_is_json_number(const char *p, size_t n)
{
	size_t i = 0;

	if (i < n && p[i] == '-')
		i++;
	if (i >= n || p[i] < '0' || p[i] > '9')
		return 0;
	if (p[i] == '0') {
		i++;
	} else {
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	if (i < n && p[i] == '.') {
		if (++i >= n || p[i] < '0' || p[i] > '9')
			return 0;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i >= n || p[i] < '0' || p[i] > '9')
			return 0;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	return i == n;
}

/* Clinger's fast path: "-ddd.ddd" whose digits, read as an integer m,
 * are at most 2^53, with k <= 22 digits after the point: m and 10^k are
 * both exact doubles, so one correctly rounded division gives the
 * correctly rounded value - the same double strtod returns.  Scores are
 * nearly always like this (8.333333333333334 too: 16 digits, m < 2^53). */
static int parse_simple(const char *p, size_t n, double *out)
{
	static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
				       1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
				       1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
				       1e20, 1e21, 1e22};
	uint64_t m = 0;
	size_t i = 0;
	int digits = 0, frac = -1, neg = 0;

	if (i < n && p[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9') {
			if (++digits > 19)
				return 0; /* m could overflow: strtod */
			m = m * 10 + (uint64_t)(p[i] - '0');
			if (frac >= 0)
				frac++;
		} else if (p[i] == '.' && frac < 0) {
			frac = 0;
		} else {
			return 0; /* an exponent: leave it to strtod */
		}
	}
	if (digits == 0 || m > (uint64_t)1 << 53 || frac > 22)
		return 0;
	*out = (double)m / pow10[frac > 0 ? frac : 0];
	if (neg)
		*out = -*out;
	return 1;
}

/* Does the integer p[0..n) (JSON syntax, no fraction or exponent) fit in
 * 64 bits, as prefkit(7) asks of a number a command uses? */
static int fits_int64(const char *p, size_t n)
{
	static const char max[] = "9223372036854775807";
	size_t digits = n - (p[0] == '-');
	const char *d = p + (p[0] == '-');

	if (digits != sizeof max - 1)
		return digits < sizeof max - 1;
	/* 19 digits: compare with 2^63 - 1, or 2^63 when negative */
	if (p[0] == '-')
		return memcmp(d, "9223372036854775808", digits) <= 0;
	return memcmp(d, max, digits) <= 0;
}

/* Is there a nonzero digit before the exponent (the value is not 0)? */
static int nonzero_mantissa(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && p[i] != 'e' && p[i] != 'E'; i++)
		if (p[i] >= '1' && p[i] <= '9')
			return 1;
	return 0;
}

int pk_parse_number(const char *p, size_t n, double *out)
{
	double x;

	if (pk_parse_double(p, n, &x) != PK_OK)
		return PK_BAD_RECORD;
	if (!memchr(p, '.', n) && !memchr(p, 'e', n) && !memchr(p, 'E', n) &&
	    !fits_int64(p, n))
		return PK_BAD_RECORD;
	/* so small that it reads as 0 (1e-400) */
	if (x == 0 && nonzero_mantissa(p, n))
		return PK_BAD_RECORD;
	*out = x;
	return PK_OK;
}

int pk_parse_double(const char *p, size_t n, double *out)
{
	char small[64], *buf = small;
	double x;

	/* strtod would also take "inf", "0x1p3" or leading spaces */
	if (!pk_is_json_number(p, n))
		return PK_BAD_RECORD;
	if (parse_simple(p, n, out))
		return PK_OK;
	if (n >= sizeof small) {
		buf = malloc(n + 1);
		if (!buf)
			return PK_FATAL;
	}
	memcpy(buf, p, n);
	buf[n] = '\0';
	x = strtod(buf, NULL);
	if (buf != small)
		free(buf);
	if (isinf(x))
		return PK_BAD_RECORD;
	*out = x;
	return PK_OK;
}
