/* SPDX-License-Identifier: MIT */
/*
 * test_num_parse.c - reading numbers (num.c) against the C library's
 * strtod, bit for bit: pk_parse_double and pk_number_array on edge cases
 * (subnormals, the 2^53 boundary, exact ties between two doubles and the
 * numbers just beside them, 17 to 40 digit mantissas, huge exponents,
 * -0) and on random numbers for about two seconds; and every entry of the
 * power-of-five table (lib/pow5.h) checked with a small big-integer
 * arithmetic of its own.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pk_private.h"
#include "pow5.h"
#include "test.h"

/* ------------------------------------------------------------------ */
/* The table: floor(5^q * 2^s) in [2^127, 2^128)                        */
/* ------------------------------------------------------------------ */

#define LIMBS 64 /* 2048 bits: 5^342 * 2^128 fits */

struct big {
	uint32_t d[LIMBS]; /* little-endian */
};

static void big_set(struct big *a, uint64_t hi, uint64_t lo)
{
	memset(a, 0, sizeof *a);
	a->d[0] = (uint32_t)lo;
	a->d[1] = (uint32_t)(lo >> 32);
	a->d[2] = (uint32_t)hi;
	a->d[3] = (uint32_t)(hi >> 32);
}

static void big_mul_small(struct big *a, uint32_t m)
{
	uint64_t carry = 0;
	int i;

	for (i = 0; i < LIMBS; i++) {
		uint64_t t = (uint64_t)a->d[i] * m + carry;

		a->d[i] = (uint32_t)t;
		carry = t >> 32;
	}
}

static void big_shl(struct big *a, int s)
{
	int i;

	for (; s >= 32; s -= 32) {
		memmove(a->d + 1, a->d, (LIMBS - 1) * sizeof a->d[0]);
		a->d[0] = 0;
	}
	if (s == 0)
		return;
	for (i = LIMBS - 1; i > 0; i--)
		a->d[i] = a->d[i] << s | a->d[i - 1] >> (32 - s);
	a->d[0] <<= s;
}

static int big_cmp(const struct big *a, const struct big *b)
{
	int i;

	for (i = LIMBS - 1; i >= 0; i--)
		if (a->d[i] != b->d[i])
			return a->d[i] < b->d[i] ? -1 : 1;
	return 0;
}

/* T * 5^k */
static void big_t_pow5(struct big *a, uint64_t hi, uint64_t lo, int k)
{
	big_set(a, hi, lo);
	while (k-- > 0)
		big_mul_small(a, 5);
}

static int pow5_entry_ok(int q, const struct pk_pow5 *t)
{
	struct big lo, hi, x;
	uint64_t h1 = t->hi, l1 = t->lo + 1;

	if (!(t->hi >> 63))
		return 0; /* not in [2^127, 2^128) */
	if (l1 == 0)
		h1++;
	if (q >= 0) {
		/* T * 2^-s <= 5^q < (T + 1) * 2^-s, or T = 5^q * 2^s */
		big_set(&x, 0, 1);
		for (int i = 0; i < q; i++)
			big_mul_small(&x, 5);
		if (t->s >= 0) {
			big_shl(&x, t->s);
			big_set(&lo, t->hi, t->lo);
			return big_cmp(&lo, &x) == 0;
		}
		big_set(&lo, t->hi, t->lo);
		big_shl(&lo, -t->s);
		big_set(&hi, h1, l1);
		big_shl(&hi, -t->s);
		return big_cmp(&lo, &x) <= 0 && big_cmp(&x, &hi) < 0;
	}
	/* T * 5^-q <= 2^s < (T + 1) * 5^-q */
	big_t_pow5(&lo, t->hi, t->lo, -q);
	big_t_pow5(&hi, h1, l1, -q);
	big_set(&x, 0, 1);
	big_shl(&x, t->s);
	return big_cmp(&lo, &x) <= 0 && big_cmp(&x, &hi) < 0;
}

static void test_table(void)
{
	int q, bad = 0;

	CHECK_INT(sizeof pk_pow5 / sizeof pk_pow5[0],
		  PK_POW5_QMAX - PK_POW5_QMIN + 1);
	for (q = PK_POW5_QMIN; q <= PK_POW5_QMAX; q++)
		if (!pow5_entry_ok(q, &pk_pow5[q - PK_POW5_QMIN])) {
			if (!bad)
				printf("# 5^%d is wrong in the table\n", q);
			bad++;
		}
	CHECK_INT(bad, 0);
	/* exact up to 5^55 < 2^128 */
	CHECK(pk_pow5[55 - PK_POW5_QMIN].s == 0);
	CHECK(pk_pow5[56 - PK_POW5_QMIN].s < 0);
}

/* ------------------------------------------------------------------ */
/* Against strtod                                                       */
/* ------------------------------------------------------------------ */

static long compared, differed;

/* s (a JSON number) read by pk_parse_double and by strtod: the same bits,
 * or both refusing (strtod's overflow is pk_parse_double's error) */
static int same_as_strtod(const char *s)
{
	double want = strtod(s, NULL), got = 1234.5;
	int rc = pk_parse_double(s, strlen(s), &got);
	int ok;

	compared++;
	if (isinf(want))
		ok = rc == PK_BAD_RECORD;
	else
		ok = rc == PK_OK && memcmp(&got, &want, sizeof got) == 0;
	if (!ok && differed++ < 10)
		printf("# %s: strtod %.17g, pk_parse_double %.17g (rc %d)\n",
		       s, want, got, rc);
	return ok;
}

static const char *const edge[] = {
	"0", "-0", "0.0", "-0.0", "0e0", "-0E-0", "0.000e+999", "-0e-999",
	"1", "-1", "0.1", "0.2", "0.3", "1e23", "1e22", "1e-22", "1e-23",
	"9007199254740991", "9007199254740992", "9007199254740993",
	"9007199254740994", "9007199254740995", "9007199254740996",
	"-9007199254740993", "18014398509481985", "18014398509481987",
	"9223372036854775807", "9223372036854775808", "18446744073709551615",
	"18446744073709551616", "99999999999999999999", "1e19", "1e20",
	"12345678901234567890123", "0.12345678901234567890123",
	"2.2250738585072014e-308", "2.2250738585072011e-308",
	"2.2250738585072012e-308", "2.225073858507201e-308",
	"4.9406564584124654e-324", "5e-324", "2.4703282292062327e-324",
	"2.4703282292062328e-324", "2e-324", "1e-400", "-1e-400",
	"1.7976931348623157e308", "1.7976931348623158e308",
	"1.7976931348623159e308", "1.7976931348623157e+308", "1e308",
	"1e309", "-1e309", "1e99999999999999999999", "1e-99999999999999999999",
	"0.000000000000000000000000000001", "100000000000000000000000000000",
	"7.038531e-26", "8.333333333333334", "0.30000000000000004",
	"2.5", "3.5", "0.5e1", "1.00000000000000011102230246251565404236316680908203125",
	"1.00000000000000011102230246251565404236316680908203124",
	"1.00000000000000011102230246251565404236316680908203126",
	"9007199254740993.0000000000000000000000000001",
	"9007199254740992.9999999999999999999999999999",
	"5708990770823839524233143877797980545530986496",
	"5708990770823839207320493820740630171355185152",
	"5708990770823839207320493820740630171355185151",
	"5708990770823839207320493820740630171355185153",
	"1.448997445238699", "1438456663141390273526118207642235581183227845246331231162636653790368152091394196930365828634687637948157940776599182791387527135353034738357134110310609455693900824193549772792016543182680519740580354365467985440183598701312257624545562331397018329928613196125590274187720073914818062530830316533158098624984118889298281371812288789537310599037529113415438738954894752124724983067241108764488346454376699018673078404751121414804937224240805993123816932326223683090770561597570457793932985826162604255884529134126396282202126526253389383421806727954588525596114379801269094096329805054803089299736996870951258573010877404407451953846698609198213926882692078557033228265259540506497470.38329584",
	"3.141592653589793238462643383279502884197169399375105820974944592307816406286",
};

/* The exact decimal text of m * 2^e (m < 2^64): digits by doubling or
 * halving a decimal number, into out (NUL-terminated) */
static void exact_decimal(uint64_t m, int e, char *out, size_t cap)
{
	static char dig[1200];
	int len, point, i;

	len = snprintf(dig, sizeof dig, "%llu", (unsigned long long)m);
	point = len; /* digits before the point */
	for (; e > 0; e--) { /* double */
		int carry = 0;

		for (i = len - 1; i >= 0; i--) {
			int d = (dig[i] - '0') * 2 + carry;

			dig[i] = (char)('0' + d % 10);
			carry = d / 10;
		}
		if (carry) {
			memmove(dig + 1, dig, (size_t)len);
			dig[0] = (char)('0' + carry);
			len++;
			point++;
		}
	}
	for (; e < 0; e++) { /* halve: one more digit after the point */
		int rem = 0;

		for (i = 0; i < len; i++) {
			int d = rem * 10 + (dig[i] - '0');

			dig[i] = (char)('0' + d / 2);
			rem = d % 2;
		}
		dig[len++] = rem ? '5' : '0';
	}
	/* no leading zeros before the point but one */
	i = 0;
	while (point - i > 1 && dig[i] == '0')
		i++;
	if (point >= len)
		snprintf(out, cap, "%.*s", len - i, dig + i);
	else
		snprintf(out, cap, "%.*s.%.*s", point - i, dig + i, len - point,
			 dig + point);
}

static uint64_t rnd64(void)
{
	static uint64_t x = 0x9e3779b97f4a7c15u;

	/* xorshift64* */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	return x * 0x2545f4914f6cdd1du;
}

static double random_double(void)
{
	uint64_t b;
	double x;

	do {
		b = rnd64();
		memcpy(&x, &b, sizeof x);
	} while (!isfinite(x));
	return x;
}

/* Ties: halfway between x and the next double up, exactly (the double
 * nearest has the even mantissa), and the decimal just below and above */
static void check_ties(void)
{
	char s[1300];
	int i, ok = 1;

	for (i = 0; i < 600; i++) {
		int e2, sh;
		double x = fabs(random_double());
		uint64_t m;

		/* x = m * 2^e2 with m of 53 bits, normal numbers of moderate
		 * size so that the text stays short */
		frexp(x, &e2);
		if (e2 < -200 || e2 > 200)
			x = ldexp(frexp(x, &e2), (int)(rnd64() % 200) - 100);
		frexp(x, &e2);
		m = (uint64_t)ldexp(frexp(x, &e2), 53);
		sh = e2 - 53;
		/* the tie: (2m + 1) * 2^(sh - 1) */
		exact_decimal(2 * m + 1, sh - 1, s, sizeof s);
		ok &= same_as_strtod(s);
		/* and with the last digit moved: above, or below */
		{
			size_t n = strlen(s);

			if (n + 2 < sizeof s && strchr(s, '.')) {
				s[n] = '1';
				s[n + 1] = '\0';
				ok &= same_as_strtod(s); /* a hair above */
				s[n] = '\0';
				/* a hair below: the last digit 5 -> 4999 */
				if (s[n - 1] == '5') {
					s[n - 1] = '4';
					strcpy(s + n, "9999");
					ok &= same_as_strtod(s);
				}
			}
		}
	}
	CHECK(ok);
}

/* A random JSON number: a mantissa of 1 to 40 digits (leading zeros
 * sometimes), a point somewhere, an exponent sometimes */
static void random_number(char *s)
{
	int nd = 1 + (int)(rnd64() % 40), point, i, n = 0;

	if (rnd64() & 1)
		s[n++] = '-';
	if (rnd64() % 4 == 0) {
		s[n++] = '0';
		s[n++] = '.';
		for (i = (int)(rnd64() % 12); i > 0; i--)
			s[n++] = '0';
		point = -1;
	} else {
		point = 1 + (int)(rnd64() % (unsigned)nd);
	}
	for (i = 0; i < nd; i++) {
		int d = (int)(rnd64() % 10);

		if (i == 0 && point > 1 && d == 0)
			d = 1 + (int)(rnd64() % 9);
		if (i == 0 && point == 1 && nd > 1 && rnd64() % 3 == 0)
			d = 0; /* "0.xxx" */
		s[n++] = (char)('0' + d);
		if (i + 1 == point && i + 1 < nd)
			s[n++] = '.';
		if (i == 0 && point == 1 && d == 0 && nd > 1 && s[n - 1] != '.')
			s[n++] = '.';
	}
	if (rnd64() % 3 == 0)
		n += sprintf(s + n, "e%d", (int)(rnd64() % 700) - 350);
	s[n] = '\0';
}

static int is_json_number_text(const char *s)
{
	return pk_is_json_number(s, strlen(s));
}

static void check_random(double seconds)
{
	clock_t stop = clock() + (clock_t)(seconds * CLOCKS_PER_SEC);
	char s[160];
	long rounds = 0;
	int ok = 1, p;

	while (clock() < stop) {
		int j;

		for (j = 0; j < 200; j++) {
			double x = random_double();

			/* the shortest forms, as other programs write them */
			p = 1 + (int)(rnd64() % 19);
			snprintf(s, sizeof s, "%.*g", p, x);
			if (is_json_number_text(s))
				ok &= same_as_strtod(s);
			snprintf(s, sizeof s, "%.17g", x);
			if (is_json_number_text(s))
				ok &= same_as_strtod(s);
			/* numbers of everyday size with many digits */
			snprintf(s, sizeof s, "%.*f", (int)(rnd64() % 25),
				 ldexp((double)(rnd64() >> 11), -(int)(rnd64() % 80)));
			ok &= same_as_strtod(s);
			random_number(s);
			if (is_json_number_text(s))
				ok &= same_as_strtod(s);
			/* subnormals */
			snprintf(s, sizeof s, "%.*e", (int)(rnd64() % 20),
				 ldexp((double)(rnd64() >> 12), -1074));
			ok &= same_as_strtod(s);
		}
		rounds++;
	}
	printf("# %ld numbers compared with strtod, %ld rounds\n", compared,
	       rounds);
	CHECK(ok);
	CHECK(compared > 10000);
}

/* pk_number_array: each element as pk_parse_number reads it alone */
static void check_arrays(void)
{
	struct pk_buf b = PK_BUF_INIT;
	char text[20000], s[160];
	double want[400];
	int round, ok = 1;

	for (round = 0; round < 300; round++) {
		int n = 0, k = 0, len, i, bad = 0;

		len = sprintf(text, "[");
		n = 1 + (int)(rnd64() % 300);
		for (i = 0; i < n; i++) {
			switch (rnd64() % 4) {
			case 0:
				random_number(s);
				break;
			case 1:
				snprintf(s, sizeof s, "%.17g", random_double());
				break;
			case 2:
				snprintf(s, sizeof s, "%.6f",
					 ((double)(rnd64() % 8000000) - 4e6) / 1e6);
				break;
			default:
				snprintf(s, sizeof s, "%.9g",
					 (float)(((double)(rnd64() % 8000000) - 4e6) / 1e6));
			}
			if (!is_json_number_text(s))
				continue;
			if (pk_parse_number(s, strlen(s), &want[k]) != PK_OK)
				bad = 1;
			len += sprintf(text + len, "%s%s%s", k ? "," : "",
				       rnd64() % 8 ? "" : " ", s);
			k++;
		}
		len += sprintf(text + len, "]");
		b.len = 0;
		i = (int)pk_number_array(text, (size_t)len, &b);
		if (bad)
			ok &= i == PK_BAD_RECORD;
		else
			ok &= i == k && memcmp(b.data, want, (size_t)k * sizeof(double)) == 0;
		if (!ok) {
			printf("# array round %d differs (%d of %d)\n", round, i, k);
			break;
		}
	}
	CHECK(ok);
	pk_buf_free(&b);
}

int main(void)
{
	size_t i;
	int ok = 1;

	test_table();
	for (i = 0; i < sizeof edge / sizeof edge[0]; i++)
		ok &= same_as_strtod(edge[i]);
	CHECK(ok);
	{
		/* every power of ten, every double boundary of 2^k */
		char s[1300];
		int k;

		ok = 1;
		for (k = -345; k <= 310; k++) {
			snprintf(s, sizeof s, "1e%d", k);
			ok &= same_as_strtod(s);
			snprintf(s, sizeof s, "9.999999999999999999e%d", k);
			ok &= same_as_strtod(s);
		}
		for (k = -1074; k <= 1023; k += 7) {
			exact_decimal(1, k, s, sizeof s);
			ok &= same_as_strtod(s);
		}
		CHECK(ok);
	}
	check_ties();
	check_random(getenv("PK_TEST_SECONDS") ? atof(getenv("PK_TEST_SECONDS"))
					       : 1.5);
	check_arrays();
	CHECK_INT(differed, 0);
	return pk_test_done();
}
