/* SPDX-License-Identifier: MIT */
/*
 * test_num.c - pk_format_number (integers when integral, else the shortest
 * %g that reads back) and pk_parse_number (range errors, JSON grammar).
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

static char out[PK_NUMBER_MAX];

static const char *fmt(double x)
{
	int n = pk_format_number(out, x);

	CHECK_INT(n, strlen(out));
	return out;
}

static void test_format(void)
{
	CHECK_STR(fmt(8.0), "8");
	CHECK_STR(fmt(-3.0), "-3");
	CHECK_STR(fmt(7.5), "7.5");
	CHECK_STR(fmt(0.1), "0.1");
	CHECK_STR(fmt(6.2), "6.2");
	CHECK_STR(fmt(8.25), "8.25");
	CHECK_STR(fmt(-0.0), "0");
	CHECK_STR(fmt(0.0), "0");
	CHECK_STR(fmt(1e16), "10000000000000000");
	CHECK_STR(fmt(99999999999999984.0), "99999999999999984");
	CHECK_STR(fmt(1e17), "1e+17");
	CHECK_STR(fmt(1.5e17), "1.5e+17");
	CHECK_STR(fmt(-1e17), "-1e+17");
	CHECK_STR(fmt(1e300), "1e+300");
	CHECK_STR(fmt(0.1 + 0.2), "0.30000000000000004");
	CHECK_STR(fmt(5e-324), "5e-324");
	CHECK_STR(fmt(1e-7), "1e-07");
	CHECK_STR(fmt(-2.5e-8), "-2.5e-08");
	CHECK_STR(fmt(123456.75), "123456.75");
	CHECK_STR(fmt(1.0 / 3), "0.3333333333333333");
	CHECK_STR(fmt(DBL_MAX), "1.7976931348623157e+308");
	CHECK_STR(fmt(-DBL_MAX), "-1.7976931348623157e+308");
	CHECK_INT(pk_format_number(out, NAN), -1);
	CHECK_INT(pk_format_number(out, INFINITY), -1);
	CHECK_INT(pk_format_number(out, -INFINITY), -1);
}

static void test_parse(void)
{
	double x = 42;

	CHECK_INT(pk_parse_number("1e400", 5, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("-1e400", 6, &x), PK_BAD_RECORD);
	CHECK(x == 42); /* untouched on failure */
	CHECK_INT(pk_parse_number("-0", 2, &x), PK_OK);
	CHECK(x == 0 && signbit(x));
	CHECK_INT(pk_parse_number("1E+2", 4, &x), PK_OK);
	CHECK(x == 100);
	CHECK_INT(pk_parse_number("0.1", 3, &x), PK_OK);
	CHECK(x == 0.1);
	/* a nonzero number that would read as 0 does not fit (issue 8) */
	x = 42;
	CHECK_INT(pk_parse_number("1e-400", 6, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("1E-400", 6, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("-0.5e-330", 9, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("2e-324", 6, &x), PK_BAD_RECORD);
	CHECK(x == 42);
	/* zero written any way is 0; subnormals are values */
	CHECK_INT(pk_parse_number("0e-400", 6, &x), PK_OK);
	CHECK(x == 0);
	CHECK_INT(pk_parse_number("-0.000e-999", 11, &x), PK_OK);
	CHECK(x == 0);
	CHECK_INT(pk_parse_number("5e-324", 6, &x), PK_OK);
	CHECK(x == 4.9406564584124654e-324);
	CHECK_INT(pk_parse_number("2.5e-308", 8, &x), PK_OK);
	CHECK(x == 2.5e-308);
	/* an integer must fit in 64 bits: -2^63 .. 2^63 - 1 (prefkit(7)) */
	CHECK_INT(pk_parse_number("9223372036854775807", 19, &x), PK_OK);
	CHECK(x == 9223372036854775807.0);
	CHECK_INT(pk_parse_number("-9223372036854775808", 20, &x), PK_OK);
	CHECK(x == -9223372036854775808.0);
	CHECK_INT(pk_parse_number("1000000000000000000", 19, &x), PK_OK);
	CHECK(x == 1e18);
	x = 42;
	CHECK_INT(pk_parse_number("9223372036854775808", 19, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("-9223372036854775809", 20, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("18446744073709551616", 20, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("123456789012345678901234567890", 30, &x), PK_BAD_RECORD);
	CHECK(x == 42);
	/* the same values as reals are doubles */
	CHECK_INT(pk_parse_number("18446744073709551616.0", 22, &x), PK_OK);
	CHECK(x == 18446744073709551616.0);
	CHECK_INT(pk_parse_number("1.8446744073709551616e19", 24, &x), PK_OK);
	CHECK(x == 18446744073709551616.0);
	/* only the first n bytes count */
	CHECK_INT(pk_parse_number("12345", 2, &x), PK_OK);
	CHECK(x == 12);
	/* longer than the stack buffer */
	{
		char big[203];

		memset(big, '0', sizeof big);
		big[0] = '1';
		CHECK_INT(pk_parse_number(big, 201, &x), PK_BAD_RECORD);
		big[100] = '.';
		CHECK_INT(pk_parse_number(big, 102, &x), PK_OK);
		CHECK(x == 1e99);
		big[100] = '0';
		big[201] = '.';
		CHECK_INT(pk_parse_number(big, 203, &x), PK_OK);
		CHECK(x == 1e200);
	}
	/* not JSON numbers */
	CHECK_INT(pk_parse_number("", 0, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("01", 2, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number(".5", 2, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("1.", 2, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("+1", 2, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("inf", 3, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("0x10", 4, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number(" 1", 2, &x), PK_BAD_RECORD);
	CHECK_INT(pk_parse_number("1e", 2, &x), PK_BAD_RECORD);

	/* what pk_format_number writes reads back exactly */
	{
		double vals[] = {7.5, 0.1, 6.2, 1e17, 5e-324, 0.1 + 0.2,
				 123456789.123, -9.87654321e-200};
		size_t k;
		int ok = 1;

		for (k = 0; k < sizeof vals / sizeof *vals; k++) {
			int n = pk_format_number(out, vals[k]);

			if (pk_parse_number(out, (size_t)n, &x) != PK_OK ||
			    x != vals[k])
				ok = 0;
		}
		CHECK(ok);
	}

	/* the fast path agrees with strtod bit for bit: digit counts around
	 * 2^53 (9007199254740992), long fractions, a pseudo-random sweep */
	{
		static const char *const tricky[] = {
			"8.333333333333334", "3.3333333333333335", "9007199254740992",
			"9007199254740993", "9007199254740991", "0.9007199254740993",
			"900719925474099.3", "1234567890123456789", "0.0000000000000000000001",
			"0.00000000000000000000001", "-4.35", "2.675", "0.30000000000000004",
			"99999999999999999999.0", "9223372036854775807", "1.0000000000000002", "-0.0",
		};
		char txt[64];
		size_t k;
		unsigned long long seed = 88172645463325252ull;
		int ok = 1;

		for (k = 0; k < sizeof tricky / sizeof *tricky; k++)
			if (pk_parse_number(tricky[k], strlen(tricky[k]), &x) != PK_OK ||
			    memcmp(&x, &(double){strtod(tricky[k], NULL)}, sizeof x) != 0) {
				printf("#   %s\n", tricky[k]);
				ok = 0;
			}
		for (k = 0; k < 200000; k++) {
			unsigned long long m;
			int digits, point, len;

			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			digits = 1 + (int)(seed % 19);
			m = seed >> 8;
			point = (int)((seed >> 3) % (unsigned)(digits + 1));
			len = snprintf(txt, sizeof txt, "%0*llu", digits,
				       m % 10000000000000000000ull);
			len = len > digits ? digits : len;
			txt[len] = '\0';
			if (txt[0] == '0' && len > 1)
				txt[0] = '1'; /* no leading zero */
			if (point > 0 && point < len) {
				memmove(txt + point + 1, txt + point, (size_t)(len - point + 1));
				txt[point] = '.';
				len++;
			}
			/* an integer beyond 64 bits is out of range */
			if (!strchr(txt, '.') &&
			    (len > 19 || (len == 19 &&
					  strcmp(txt, "9223372036854775807") > 0))) {
				if (pk_parse_number(txt, (size_t)len, &x) !=
				    PK_BAD_RECORD) {
					if (ok)
						printf("#   %s\n", txt);
					ok = 0;
				}
				continue;
			}
			if (pk_parse_number(txt, (size_t)len, &x) != PK_OK ||
			    memcmp(&x, &(double){strtod(txt, NULL)}, sizeof x) != 0) {
				if (ok)
					printf("#   %s\n", txt);
				ok = 0;
			}
		}
		CHECK(ok);
	}
}

/* The plain definition pk_format_number implements faster: integral
 * values below 1e17 as integers, else the first of "%.1g" .. "%.17g"
 * (from 15 for normal numbers) that strtod reads back to x. */
static int format_reference(char *buf, double x)
{
	int p, n = -1;

	if (x == 0)
		return snprintf(buf, PK_NUMBER_MAX, "0");
	if (fabs(x) < 1e17 && x == trunc(x))
		return snprintf(buf, PK_NUMBER_MAX, "%.0f", x);
	for (p = fabs(x) < DBL_MIN ? 1 : 15; p <= 17; p++) {
		n = snprintf(buf, PK_NUMBER_MAX, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return n;
}

static int same_as_reference(double x)
{
	char want[PK_NUMBER_MAX];
	int n = pk_format_number(out, x), m = format_reference(want, x);

	if (n == m && strcmp(out, want) == 0)
		return 1;
	printf("#   %a: %s, printf search %s\n", x, out, want);
	return 0;
}

/* pk_format_number rounds the 17 correctly rounded digits (exact 128-bit
 * products from 1e-11 to 1e16, printf's elsewhere) again for 15 and 16,
 * telling most candidates that cannot read back without reading them: the
 * same text as printf's own search, on random bit patterns of every
 * exponent, on short decimals (n / 10^k, the values scores hold), on
 * values whose 17-digit form ends in 5, 50 or 9s (the double rounding and
 * carry cases) and around the notation switches (1e-5, 1e15..1e17). */
static void test_format_search(void)
{
	unsigned long long seed = 0x9e3779b97f4a7c15ull;
	static const double edges[] = {
		1e-5, 9.9999999999999995e-5, 1.0000000000000001e-4, 1e-4,
		0.99999999999999989, 9.9999999999999982, 999999999999999.88,
		9999999999999998.0, 1.2345678901234567e15, 1.2345678901234567e16,
		5.0000000000000009e-300, 2.2250738585072014e-308,
		0.15, 0.25, 0.35, 1.0000000000000002, 0.99999999999999994,
		123456789012345.67, 0.00012345678901234567,
	};
	size_t k;
	int ok = 1;

	for (k = 0; k < sizeof edges / sizeof *edges; k++)
		ok &= same_as_reference(edges[k]) & same_as_reference(-edges[k]);
	for (k = 0; k < 300000 && ok; k++) {
		double x;
		unsigned long long bits;
		char txt[40];

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		bits = seed;
		memcpy(&x, &bits, sizeof x);
		if (!isnan(x) && !isinf(x))
			ok &= same_as_reference(x);
		/* a short decimal */
		x = (double)(long long)(seed >> 40) /
		    pow(10, (double)(seed % 12));
		ok &= same_as_reference(x);
		/* 17 digits ending in 5, 50 or 99 */
		snprintf(txt, sizeof txt, "%llu.%s%se%d",
			 1 + (seed >> 20) % 9, "1234567890123"
			 + (seed >> 8) % 4, (seed & 1) ? "50" : "99",
			 (int)((seed >> 30) % 40) - 20);
		ok &= same_as_reference(strtod(txt, NULL));
		/* the range the digits come from exact products (1e-11 to
		 * 1e16): any mantissa; 16 digits and a 5 after */
		bits = (seed & 0x800fffffffffffffull) |
		       (unsigned long long)(1023 - 37 + (seed >> 52) % 91) << 52;
		memcpy(&x, &bits, sizeof x);
		ok &= same_as_reference(x);
		snprintf(txt, sizeof txt, "%llu.%015llu5e%d",
			 1 + (seed >> 3) % 9, (seed >> 9) % 1000000000000000ull,
			 (int)((seed >> 50) % 27) - 11);
		ok &= same_as_reference(strtod(txt, NULL));
	}
	CHECK(ok);
}

/* pk_number_array: every element of a validated array in one walk, the
 * same doubles as pk_parse_number one by one; anything else refused. */
static void test_number_array(void)
{
	static const char *const good[] = {
		"[]", "[ ]", "[1]", "[-2.925086,2.77947, 0.0 ,-0.0,1e3,1E-2,"
		"12345678901234567890.5,0.1,-9007199254740993,1e-400]",
		"[\t1,\r\n2 ]",
	};
	static const char *const bad[] = {
		"[1,\"2\"]", "[true]", "[null]", "[[1]]", "[{}]", "[1e400]",
		"[99999999999999999999]",
	};
	struct pk_buf b = {0};
	size_t k;

	for (k = 0; k < sizeof good / sizeof *good; k++) {
		const char *t = good[k];
		struct pk_iter it;
		size_t off, len, i = 0;
		long n;
		int ok = 1;

		b.len = 0;
		n = pk_number_array(t, strlen(t), &b);
		pk_iter_init(&it, t, strlen(t));
		while (pk_iter_element(&it, &off, &len, NULL)) {
			double want, got;

			if (pk_parse_number(t + off, len, &want) != PK_OK)
				want = 0; /* 1e-400 is refused one by one */
			memcpy(&got, b.data + 8 * i, 8);
			if (strstr(t, "1e-400") && len == 6)
				ok = 0; /* never reached: it must be refused */
			if (i >= (size_t)n || memcmp(&got, &want, 8) != 0)
				ok = 0;
			i++;
		}
		if (strstr(t, "1e-400")) {
			CHECK_INT(n, PK_BAD_RECORD);
			continue;
		}
		CHECK_INT(n, (long)i);
		CHECK(ok);
	}
	for (k = 0; k < sizeof bad / sizeof *bad; k++)
		CHECK_INT(pk_number_array(bad[k], strlen(bad[k]), &b),
			  PK_BAD_RECORD);
	free(b.data);
}

int main(void)
{
	test_format();
	test_parse();
	test_format_search();
	test_number_array();
	return pk_test_done();
}
