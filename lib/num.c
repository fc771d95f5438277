/* SPDX-License-Identifier: MIT */
/*
 * num.c - numbers as the project writes and reads them: integral values as
 * integers, everything else in the shortest %g form that reads back to the
 * same double (jansson would print 17 digits: 6.2 -> 6.2000000000000002),
 * and raw JSON number text to double with overflow reported.  The programs
 * never call setlocale, so printf and strtod use '.'.
 *
 * Reading a number gives strtod's double, bit for bit, without strtod in
 * nearly every case: the decimal digits (at most 19 of them, as an
 * integer w) and the power of ten q are multiplied exactly when both are
 * exact doubles (Clinger's fast path), else w by a 128-bit truncation of
 * 5^q (lib/pow5.h, written by tools/gen-pow5.py) with the error of that
 * truncation bounded: when the product is too close to a rounding
 * boundary for the bound to decide (about one number in 2^64), and for
 * subnormals and overflow, strtod decides (after Eisel and Lemire, "Number
 * Parsing at a Gigabyte per Second", 2021).
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
#include "pow5.h"

#define TWO53 ((uint64_t)1 << 53)

static int json_to_double(const char *p, size_t n, double *out);

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
		/* "e%c%02d" */
		i = e < 0 ? -e : e;
		out[n++] = 'e';
		out[n++] = e < 0 ? '-' : '+';
		if (i >= 100)
			out[n++] = (char)('0' + i / 100);
		out[n++] = (char)('0' + i / 10 % 10);
		out[n++] = (char)('0' + i % 10);
	}
	out[n] = '\0';
	return n;
}

int pk_format_integer(char out[PK_NUMBER_MAX], long long v)
{
	char tmp[24];
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v
				     : (unsigned long long)v;
	int n = 0, k = 0;

	do {
		tmp[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[n++] = '-';
	while (k)
		out[n++] = tmp[--k];
	out[n] = '\0';
	return n;
}

/* The 17 significant digits of |x| (normal, not 0) correctly rounded, as
 * printf's "%.16e" gives them, and the exponent of the first: 1, or 0 to
 * ask printf.  With x = m * 2^b (m of 53 bits) and the digits D =
 * round(|x| * 10^k) = round(m * 5^k * 2^(b + k)) for k = 16 - e, where
 * 10^e <= |x| < 10^(e+1): exact in 128 bits for 0 <= k <= 27 (|x| from
 * 1e-11 to 1e16), rounded half to even as printf does. */
static const uint64_t pow5_u64[28] = {
	1u, 5u, 25u, 125u, 625u, 3125u, 15625u, 78125u, 390625u, 1953125u,
	9765625u, 48828125u, 244140625u, 1220703125u, 6103515625u,
	30517578125u, 152587890625u, 762939453125u, 3814697265625u,
	19073486328125u, 95367431640625u, 476837158203125u,
	2384185791015625u, 11920928955078125u, 59604644775390625u,
	298023223876953125u, 1490116119384765625u, 7450580596923828125u,
};

/* The 8 decimal digits of v < 10^8 at p, two at a time */
static void put8(char *p, uint32_t v)
{
	static const char pairs[201] =
		"00010203040506070809101112131415161718192021222324"
		"25262728293031323334353637383940414243444546474849"
		"50515253545556575859606162636465666768697071727374"
		"75767778798081828384858687888990919293949596979899";
	uint32_t a = v / 10000, b = v % 10000;

	memcpy(p, pairs + 2 * (a / 100), 2);
	memcpy(p + 2, pairs + 2 * (a % 100), 2);
	memcpy(p + 4, pairs + 2 * (b / 100), 2);
	memcpy(p + 6, pairs + 2 * (b % 100), 2);
}

static int digits17(double x, char dig[17], uint64_t *d17, int *e10,
		    int *dir)
{
	static const uint64_t ten16 = 10000000000000000u;
	int b, e, k, sh, tries;
	uint64_t m, d;
	unsigned __int128 n;

	uint64_t bits;

	memcpy(&bits, &x, sizeof bits);
	b = (int)(bits >> 52 & 0x7ff);
	if (b == 0)
		return 0; /* subnormal */
	m = (bits & (TWO53 / 2 - 1)) | TWO53 / 2;
	b -= 1075; /* |x| = m * 2^b */
	/* 10^e <= |x| < 10^(e+1), or off by one: |x| is in [2^(b+52),
	 * 2^(b+53)), log10(2) = 0.30103; the loop corrects it */
	e = (b + 52) * 78913 >> 18; /* floor((b + 52) log10(2)) */
	for (tries = 0; tries < 3; tries++) {
		k = 16 - e;
		if (k < 0 || k > 27)
			return 0;
		n = (unsigned __int128)m * pow5_u64[k];
		sh = -(b + k);
		*dir = 0; /* n is the value */
		if (sh <= 0) {
			if (-sh > 10)
				return 0;
			n <<= -sh;
		} else if (sh >= 128) {
			return 0;
		} else {
			unsigned __int128 rem = n & ((((unsigned __int128)1) << sh) - 1);
			unsigned __int128 half = ((unsigned __int128)1) << (sh - 1);

			n >>= sh;
			*dir = rem != 0; /* the value is above n */
			if (rem > half || (rem == half && (n & 1))) {
				n++;
				*dir = -1; /* below */
			}
		}
		if (n >= (unsigned __int128)ten16 * 10) {
			if (n == (unsigned __int128)ten16 * 10) {
				/* rounded up to 10^17: 1.0000000000000000e(e+1) */
				/* (or exactly 10^17 when the estimate of e was
				 * too small: dir is still right, the value is on
				 * the same side of 10^17 as of n) */
				n = ten16;
				e++;
				break;
			}
			e++; /* the estimate of e was too small */
		} else if (n < ten16) {
			e--;
		} else {
			break;
		}
	}
	if (tries == 3)
		return 0;
	d = (uint64_t)n;
	*d17 = d;
	dig[0] = (char)('0' + d / 10000000000000000u);
	d %= 10000000000000000u;
	put8(dig + 1, (uint32_t)(d / 100000000u));
	put8(dig + 9, (uint32_t)(d % 100000000u));
	*e10 = e;
	return 1;
}

/* Does the p-digit rounding of the exact digits dig (digits17, with dir;
 * the value x is about D = dig * 10^(e - 16)) read back to x?  1 or 0
 * when the distance from it to x, at most half a unit of the 17th digit
 * from |C - D|, is clearly more or clearly less than the half-ulp
 * around x (the smaller half below a power of two), -1 when it is close
 * enough to need reading back. */
static const double exact_pow10[23];

static int near_enough(uint64_t d, int dir, int p, int e, double x)
{
	static const uint64_t p10[3] = {1, 10, 100};
	uint64_t q, rem, half, c, delta, bits;
	double h, lo;
	int be;

	if (16 - e < 0 || 16 - e > 27)
		return -1; /* 9.99..95e16 rounded up to 1e17: no table */
	q = d / p10[17 - p];
	rem = d % p10[17 - p];
	half = p10[17 - p] / 2;
	c = (q + (rem > half || (rem == half && dir > 0))) * p10[17 - p];
	delta = c > d ? c - d : d - c;
	memcpy(&bits, &x, sizeof bits);
	/* half an ulp of x in units of the 17th digit: 2^(b-1) * 10^(16-e)
	 * (10^(16-e) for e >= -11: up to 10^27, 1e23.. within 2^-53) */
	h = exact_pow10[16 - e > 22 ? 22 : 16 - e] *
	    (16 - e > 22 ? exact_pow10[16 - e - 22] : 1);
	be = (int)(bits >> 52 & 0x7ff) - 1076;
	if (be >= -1022) { /* * 2^be, a normal power of two */
		uint64_t two = (uint64_t)(be + 1023) << 52;
		double t;

		memcpy(&t, &two, sizeof t);
		h *= t;
	} else {
		h = ldexp(h, be);
	}
	lo = (bits & (TWO53 / 2 - 1)) == 0 ? h / 2 : h;
	if ((double)delta - 0.5 > h * (1 + 1e-9))
		return 0;
	if ((double)delta + 0.5 < lo * (1 - 1e-9))
		return 1;
	return -1;
}

static int reads_back(const char *s, int n, double x)
{
	double y;

	return json_to_double(s, (size_t)n, &y) == PK_OK && y == x;
}

int pk_format_number(char out[PK_NUMBER_MAX], double x)
{
	char e17[40], dig[18];
	int p, n = -1, e, neg, k, dir, sure, rb, i;
	uint64_t d17 = 0;

	if (isnan(x) || isinf(x))
		return PK_BAD_RECORD;
	if (x == 0) {
		/* also -0.0, which would print as "-0" */
		out[0] = '0';
		out[1] = '\0';
		return 1;
	}
	if (fabs(x) < 1e17 && x == trunc(x))
		return pk_format_integer(out, (long long)x);
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
	/* The 17 correctly rounded digits (digits17, else one printf); the
	 * 15- and 16-digit forms are those digits rounded again, which is
	 * what printf would give unless the digits dropped are exactly half
	 * a unit: a 17-digit 5 may be rounded from below or above, which
	 * digits17 tells (dir), and only a value that is exactly that tie
	 * (or digits from printf) goes to printf. */
	neg = x < 0;
	sure = digits17(x, dig, &d17, &e, &dir);
	if (!sure) {
		dir = 0;
		snprintf(e17, sizeof e17, "%.16e", x);
		dig[0] = e17[neg];
		memcpy(dig + 1, e17 + neg + 2, 16);
		e = atoi(e17 + neg + 19);
		for (i = 0; i < 17; i++)
			d17 = d17 * 10 + (uint64_t)(dig[i] - '0');
	}
	for (p = 15; p <= 16; p++) {
		char r[18];
		int half = 1, above = 0, re = e;

		if (dig[p] != '5')
			half = 0;
		for (i = p + 1; i < 17; i++)
			if (dig[i] != '0')
				half = 0;
		/* digits from printf, or a tie printf rounds: read back */
		rb = sure && !(half && !dir) ? near_enough(d17, dir, p, e, x)
					     : -1;
		if (rb == 0)
			continue; /* too far from x to read back */
		if (half && !dir) {
			n = snprintf(out, PK_NUMBER_MAX, "%.*g", p, x);
		} else {
			memcpy(r, dig, (size_t)p);
			/* a 5 rounded to: the side the value is on */
			above = half ? dir > 0 : dig[p] >= '5';
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
		if (rb == 1 || reads_back(out, n, x))
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
static const double exact_pow10[23] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The double nearest w * 10^q (w > 0), as bits, when 128 bits tell it for
 * certain: 1, or 0 for strtod to decide.
 *
 * T = pk_pow5[q] = floor(5^q * 2^s) in [2^127, 2^128), so w * 10^q =
 * X * 2^(q - s - lz) with X = (w << lz) * (T + d), 0 <= d < 1 (d = 0 for
 * 0 <= q <= PK_POW5_EXACT_MAX, where the table is exact).  P = (w << lz)
 * * T is computed exactly (192 bits) and X lies in [P, P + 2^64).  P >=
 * 2^190; its top 53 bits are the mantissa m and the 138 or 139 bits below
 * them the remainder R, against half = the top bit of R's width.  R >
 * half: X rounds up (also when X passes into m + 1: it is then just above
 * m + 1).  R + 2^64 <= half: X rounds down.  Between them the table's
 * error could decide, unless d = 0 and X = P (a tie goes to the even m).
 * Subnormal and overflowing results are left to strtod. */
static int mul_pow10(uint64_t w, int q, uint64_t *bits)
{
	const struct pk_pow5 *t;
	unsigned __int128 hi, lo, mid;
	uint64_t p2, p1, p0, m, rem, half;
	int lz, sh, e, up;

	if (q < PK_POW5_QMIN || q > PK_POW5_QMAX)
		return 0;
	t = &pk_pow5[q - PK_POW5_QMIN];
	lz = __builtin_clzll(w);
	w <<= lz;
	hi = (unsigned __int128)w * t->hi;
	lo = (unsigned __int128)w * t->lo;
	p0 = (uint64_t)lo;
	mid = (lo >> 64) + (uint64_t)hi;
	p1 = (uint64_t)mid;
	p2 = (uint64_t)(hi >> 64) + (uint64_t)(mid >> 64);
	sh = (p2 >> 63) ? 11 : 10; /* P >= 2^191, or in [2^190, 2^191) */
	m = p2 >> sh;
	rem = p2 & (((uint64_t)1 << sh) - 1);
	half = (uint64_t)1 << (sh - 1);
	if (rem > half || (rem == half && (p1 | p0)))
		up = 1;
	else if (rem < half - 1 || (rem == half - 1 && p1 != UINT64_MAX))
		up = 0;
	else if (q >= 0 && q <= PK_POW5_EXACT_MAX)
		up = rem == half ? (int)(m & 1) : 0;
	else
		return 0;
	m += (uint64_t)up;
	/* X ~ m * 2^(191 - sh - 52): the value is m/2^52 * 2^e */
	e = (sh == 11 ? 191 : 190) + q - lz - t->s;
	if (m == TWO53) {
		m >>= 1;
		e++;
	}
	if (e < -1022 || e > 1023)
		return 0;
	*bits = ((uint64_t)(e + 1023) << 52) | (m & (TWO53 / 2 - 1));
	return 1;
}

/* w * 10^q (the digits of a number and its power of ten) to the nearest
 * double; inexact: more nonzero digits followed (the value is in (w, w +
 * 1) * 10^q).  1 when decided here, 0 for strtod. */
static int decimal_to_double(uint64_t w, int q, int inexact, int neg,
			     double *out)
{
	uint64_t b, b1;
	double x;

	if (w == 0) {
		x = 0;
	} else if (!inexact && w <= TWO53 && q >= -22 && q <= 22) {
		/* Clinger: w and 10^|q| are exact doubles, one rounding */
		x = q < 0 ? (double)w / exact_pow10[-q]
			  : (double)w * exact_pow10[q];
	} else {
		if (!mul_pow10(w, q, &b))
			return 0;
		/* both ends of (w, w + 1) * 10^q round to the same double:
		 * so does everything between them */
		if (inexact && (!mul_pow10(w + 1, q, &b1) || b1 != b))
			return 0;
		memcpy(&x, &b, sizeof x);
	}
	*out = neg ? -x : x;
	return 1;
}

/* strtod on a copy of p[0..n) (a JSON number) */
static int strtod_copy(const char *p, size_t n, double *out)
{
	char small[64], *buf = small;

	if (n >= sizeof small) {
		buf = malloc(n + 1);
		if (!buf)
			return PK_FATAL;
	}
	memcpy(buf, p, n);
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	if (buf != small)
		free(buf);
	return PK_OK;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The JSON number p[0..n) (RFC 8259 grammar, else PK_BAD_RECORD) to the
 * double strtod gives; PK_FATAL when out of memory for a long one. */
static int json_to_double(const char *p, size_t n, double *out)
{
	size_t i = 0;
	uint64_t w = 0;
	int neg = 0, nd = 0, inexact = 0, eneg = 0;
	long q = 0, ex = 0;

	if (i < n && p[i] == '-') {
		neg = 1;
		i++;
	}
	if (i >= n || !is_digit(p[i]))
		return PK_BAD_RECORD;
	if (p[i] == '0') {
		i++;
	} else {
		for (; i < n && is_digit(p[i]); i++) {
			if (nd < 19) {
				w = w * 10 + (uint64_t)(p[i] - '0');
				nd++;
			} else {
				q++; /* a digit dropped: one more power of ten */
				inexact |= p[i] != '0';
			}
		}
	}
	if (i < n && p[i] == '.') {
		if (++i >= n || !is_digit(p[i]))
			return PK_BAD_RECORD;
		for (; i < n && is_digit(p[i]); i++) {
			if (nd < 19) {
				w = w * 10 + (uint64_t)(p[i] - '0');
				nd += w != 0; /* leading zeros are not digits */
				q--;
			} else {
				inexact |= p[i] != '0';
			}
		}
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			eneg = p[i++] == '-';
		if (i >= n || !is_digit(p[i]))
			return PK_BAD_RECORD;
		for (; i < n && is_digit(p[i]); i++)
			if (ex < 100000) /* far past any double either way */
				ex = ex * 10 + (p[i] - '0');
		q += eneg ? -ex : ex;
	}
	if (i != n)
		return PK_BAD_RECORD;
	if (q < INT32_MIN / 2 || q > INT32_MAX / 2 ||
	    !decimal_to_double(w, (int)q, inexact, neg, out))
		return strtod_copy(p, n, out);
	return PK_OK;
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

static int number_char(char c)
{
	return is_digit(c) || c == '-' || c == '.' || c == 'e' || c == 'E' ||
	       c == '+';
}

/* One element of a validated array at p[*at..n) (p[n - 1] is its ']', so
 * a run of digits ends before n): digits read as they are passed (the
 * digits of "-ddd.ddd" into an integer, then Clinger's fast path or
 * mul_pow10), anything else - exponents, long mantissas, 64-bit integers
 * - through pk_parse_number. */
static int array_number(const char *p, size_t n, size_t *at, double *out)
{
	size_t i = *at, start = i, d0;
	uint64_t m = 0, bits;
	int neg, frac = 0;
	double v;

	neg = p[i] == '-';
	i += (size_t)neg;
	d0 = i;
	while (is_digit(p[i]))
		m = m * 10 + (uint64_t)(p[i++] - '0');
	if (i == d0)
		return PK_BAD_RECORD; /* not a number at all */
	if (p[i] == '.') {
		size_t f0 = ++i;

		while (is_digit(p[i]))
			m = m * 10 + (uint64_t)(p[i++] - '0');
		frac = (int)(i - f0);
	}
	*at = i;
	/* at most 19 digits (m did not wrap), no exponent */
	if (i - d0 - (frac > 0) <= 19 && !number_char(p[i])) {
		if (m <= TWO53) {
			/* m and 10^frac (frac <= 19) are exact doubles */
			v = (double)(int64_t)m / exact_pow10[frac];
			memcpy(&bits, &v, sizeof bits);
		} else if (!frac || !mul_pow10(m, -frac, &bits)) {
			/* "ddd" beyond 2^53 is an integer pk_parse_number
			 * checks; a near tie needs strtod */
			goto slow;
		}
		/* the sign without a branch: it is as random as the data */
		bits |= (uint64_t)neg << 63;
		memcpy(out, &bits, sizeof bits);
		return PK_OK;
	}
slow:
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

	if (n < 2 || p[0] != '[' || p[n - 1] != ']')
		return PK_BAD_RECORD;
	/* at most one number per two bytes ("[1,2]"): room for all at once */
	if (pk_buf_reserve(out, n / 2 * sizeof(double)) < 0)
		return PK_FATAL;
	d = (double *)(void *)(out->data + out->len);
	for (;;) {
		/* "," and the next number at once, else spaces */
		if (p[i] == ',' && k)
			i++;
		if (!is_digit(p[i]) && p[i] != '-') {
			while (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
			       p[i] == '\r' || (p[i] == ',' && k))
				i++;
			if (p[i] == ']' || i >= n - 1)
				break;
		}
		/* an element that is not a usable number: the caller says
		 * which and why */
		if (array_number(p, n, &i, &d[k]) != PK_OK)
			return PK_BAD_RECORD;
		k++;
	}
	if (i != n - 1)
		return PK_BAD_RECORD;
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
	double x;
	int rc = json_to_double(p, n, &x);

	if (rc != PK_OK)
		return rc;
	if (isinf(x))
		return PK_BAD_RECORD;
	*out = x;
	return PK_OK;
}
