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

static int parse_simple(const char *p, size_t n, double *out);

/* Write sign, the k significant digits dig[0..k) and decimal exponent e
 * (the value is 0.d1d2... * 10^(e+1)) the way printf's "%.Pg" does for
 * precision P: fixed notation when -4 <= e < P, scientific otherwise,
 * trailing zeros (and a bare '.') dropped. */
static int write_g(char *out, int neg, const char *dig, int k, int e, int P)
{
	int n = 0, i;

	while (k > 1 && dig[k - 1] == '0')
		k--;
	if (neg)
		out[n++] = '-';
	if (e >= -4 && e < P) {
		if (e < 0) {
			out[n++] = '0';
			out[n++] = '.';
			for (i = -1; i > e; i--)
				out[n++] = '0';
			for (i = 0; i < k; i++)
				out[n++] = dig[i];
		} else {
			for (i = 0; i <= e; i++)
				out[n++] = i < k ? dig[i] : '0';
			if (k > e + 1) {
				out[n++] = '.';
				for (i = e + 1; i < k; i++)
					out[n++] = dig[i];
			}
		}
	} else {
		out[n++] = dig[0];
		if (k > 1) {
			out[n++] = '.';
			for (i = 1; i < k; i++)
				out[n++] = dig[i];
		}
		n += sprintf(out + n, "e%c%02d", e < 0 ? '-' : '+',
			     e < 0 ? -e : e);
	}
	out[n] = '\0';
	return n;
}

static int reads_back(const char *s, int n, double x)
{
	double y;

	/* Clinger's fast path reads most of them back exactly */
	return parse_simple(s, (size_t)n, &y) ? y == x : strtod(s, NULL) == x;
}

int pk_format_number(char out[PK_NUMBER_MAX], double x)
{
	char e17[40], dig[18];
	int p, n = -1, e, neg, k;

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
	/* The shortest of "%.15g", "%.16g", "%.17g" that reads back to x:
	 * when some k <= 15 digits read back to x, "%.15g" rounds x to those
	 * very digits (x is within half an ulp of them, far less than half a
	 * unit in the 15th digit) and %g drops the trailing zeros, so 15 is
	 * where the search can start.  Subnormals have fewer bits: for them
	 * the search starts at one digit, through printf every time. */
	if (fabs(x) < DBL_MIN) {
		for (p = 1; p <= 17; p++) {
			n = snprintf(out, PK_NUMBER_MAX, "%.*g", p, x);
			if (reads_back(out, n, x))
				break;
		}
		return n;
	}
	/* One printf of the 17 correctly rounded digits; the 15- and 16-digit
	 * forms are those digits rounded again, which is what printf would
	 * give unless the digits dropped are exactly half a unit (a 17-digit
	 * 5 may be rounded from below or above): then printf decides. */
	snprintf(e17, sizeof e17, "%.16e", x);
	neg = e17[0] == '-';
	dig[0] = e17[neg];
	memcpy(dig + 1, e17 + neg + 2, 16);
	e = atoi(e17 + neg + 19);
	for (p = 15; p <= 16; p++) {
		char r[18];
		int i, half = 1, above = 0, re = e;

		if (dig[p] != '5')
			half = 0;
		for (i = p + 1; i < 17; i++)
			if (dig[i] != '0')
				half = 0;
		if (half) {
			n = snprintf(out, PK_NUMBER_MAX, "%.*g", p, x);
		} else {
			memcpy(r, dig, (size_t)p);
			above = dig[p] >= '5';
			for (i = p - 1; above && i >= 0; i--) {
				if (r[i] == '9') {
					r[i] = '0';
				} else {
					r[i]++;
					above = 0;
				}
			}
			if (above) { /* 99..9 carried to 100..0 */
				r[0] = '1';
				re++;
			}
			n = write_g(out, neg, r, p, re, p);
		}
		if (reads_back(out, n, x))
			return n;
	}
	k = 17;
	return write_g(out, neg, dig, k, e, 17);
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

/* 10^k for the fast path: every one an exact double */
static const double exact_pow10[] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Clinger's fast path: "-ddd.ddd" whose digits, read as an integer m,
 * are at most 2^53, with k <= 22 digits after the point: m and 10^k are
 * both exact doubles, so one correctly rounded division gives the
 * correctly rounded value - the same double strtod returns.  Scores are
 * nearly always like this (8.333333333333334 too: 16 digits, m < 2^53). */
static int parse_simple(const char *p, size_t n, double *out)
{
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
	*out = (double)m / exact_pow10[frac > 0 ? frac : 0];
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

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int number_char(char c)
{
	return is_digit(c) || c == '-' || c == '.' || c == 'e' || c == 'E' ||
	       c == '+';
}

/* One element of a validated array at p[*at..n): digits read as they are
 * passed (parse_simple's fast path, fused), anything else - exponents,
 * long mantissas - through pk_parse_number. */
static int array_number(const char *p, size_t n, size_t *at, double *out)
{
	size_t i = *at, start = i, d0;
	uint64_t m = 0;
	int neg = 0, frac = 0;

	if (i < n && p[i] == '-') {
		neg = 1;
		i++;
	}
	d0 = i;
	while (i < n && is_digit(p[i]))
		m = m * 10 + (uint64_t)(p[i++] - '0');
	if (i == d0)
		return PK_BAD_RECORD; /* not a number at all */
	if (i < n && p[i] == '.') {
		size_t f0 = ++i;

		while (i < n && is_digit(p[i]))
			m = m * 10 + (uint64_t)(p[i++] - '0');
		frac = (int)(i - f0);
	}
	*at = i;
	/* at most 19 digits (m did not wrap), m and 10^frac exact doubles */
	if (i - d0 - (frac > 0) <= 19 && m <= (uint64_t)1 << 53 &&
	    frac <= 22 && (i >= n || !number_char(p[i]))) {
		*out = (double)m / exact_pow10[frac];
		if (neg)
			*out = -*out;
		return PK_OK;
	}
	while (i < n && number_char(p[i]))
		i++;
	*at = i;
	return pk_parse_number(p + start, i - start, out);
}

long pk_number_array(const char *p, size_t n, struct pk_buf *out)
{
	size_t i = 1;
	long k = 0;
	double *d;

	if (n < 2 || p[0] != '[')
		return PK_BAD_RECORD;
	/* at most one number per two bytes ("[1,2]"): room for all at once */
	if (pk_buf_reserve(out, n / 2 * sizeof(double)) < 0)
		return PK_FATAL;
	d = (double *)(void *)(out->data + out->len);
	for (;;) {
		while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
				 p[i] == '\r' || (p[i] == ',' && k)))
			i++;
		if (i >= n)
			return PK_BAD_RECORD;
		if (p[i] == ']')
			break;
		/* an element that is not a usable number: the caller says
		 * which and why */
		if (array_number(p, n, &i, &d[k]) != PK_OK)
			return PK_BAD_RECORD;
		k++;
	}
	out->len += (size_t)k * sizeof(double);
	return k;
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
