/* SPDX-License-Identifier: MIT */
/*
 * test_num.c - pk_format_number (integers when integral, else the shortest
 * %g that reads back) and pk_parse_number (range errors, JSON grammar).
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
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
	CHECK_INT(pk_parse_number("1e-400", 6, &x), PK_OK);
	CHECK(x == 0);
	CHECK_INT(pk_parse_number("18446744073709551616", 20, &x), PK_OK);
	CHECK(x == 18446744073709551616.0);
	/* only the first n bytes count */
	CHECK_INT(pk_parse_number("12345", 2, &x), PK_OK);
	CHECK(x == 12);
	/* longer than the stack buffer */
	{
		char big[201];

		memset(big, '0', sizeof big);
		big[0] = '1';
		CHECK_INT(pk_parse_number(big, 100, &x), PK_OK);
		CHECK(x == 1e99);
		CHECK_INT(pk_parse_number(big, 201, &x), PK_OK);
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
}

int main(void)
{
	test_format();
	test_parse();
	return pk_test_done();
}
