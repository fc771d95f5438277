/* SPDX-License-Identifier: MIT */
/*
 * test_twopass.c - two passes (lib/twopass.c): records spooled and
 * records read again from a file come back in order with their tags, in
 * a tiny memory budget too; a file changed between the passes is an
 * error; the quantile cut keeps exactly k, ties to the earlier position;
 * decimal fractions parse exactly.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "pk_private.h"
#include "test.h"

static void test_fraction(void)
{
	uint64_t n, d;

	CHECK(pk_fraction_parse("0.29", &n, &d) == PK_OK && n == 29 && d == 100);
	CHECK_INT(pk_fraction_floor(n, d, 100), 29);
	CHECK(pk_fraction_parse("1", &n, &d) == PK_OK && n == 1 && d == 1);
	CHECK(pk_fraction_parse(".5", &n, &d) == PK_OK && n == 5 && d == 10);
	CHECK_INT(pk_fraction_floor(n, d, 7), 3);
	CHECK(pk_fraction_parse("0", &n, &d) == PK_OK && n == 0);
	CHECK_INT(pk_fraction_parse("1.01", &n, &d), PK_BAD_RECORD);
	CHECK_INT(pk_fraction_parse("-0.1", &n, &d), PK_BAD_RECORD);
	CHECK_INT(pk_fraction_parse("5%", &n, &d), PK_BAD_RECORD);
	CHECK_INT(pk_fraction_parse("", &n, &d), PK_BAD_RECORD);
	CHECK_INT(pk_fraction_parse(".", &n, &d), PK_BAD_RECORD);
	CHECK_INT(pk_fraction_parse("1e-2", &n, &d), PK_BAD_RECORD);
}

static void test_cut(void)
{
	/* positions 0..9: 5 1 3 3 3 0 7 3 2 9 */
	const double v[10] = {5, 1, 3, 3, 3, 0, 7, 3, 2, 9};
	const char *want[4] = {"", "0000010000", "0111110010", "1111111111"};
	const unsigned long long k[4] = {0, 1, 6, 10};
	struct pk_error err = {0};
	int t, i;

	for (t = 0; t < 4; t++) {
		struct pk_cut *c = pk_cut_new(t == 2 ? 1024 : 0, NULL, &err);
		char got[11] = {0};

		for (i = 0; i < 10; i++)
			pk_cut_add(c, v[i], &err);
		CHECK_INT(pk_cut_count(c), 10);
		CHECK_INT(pk_cut_lowest(c, k[t], &err), PK_OK);
		for (i = 0; i < 10; i++)
			got[i] = pk_cut_keeps(c, v[i], (unsigned long long)i) ? '1' : '0';
		CHECK_STR(got, t ? want[t] : "0000000000");
		pk_cut_free(c);
	}
}

static void test_twopass(void)
{
	char path[256];
	struct pk_twopass_opts o = {0};
	struct pk_twopass_item it;
	struct pk_error err = {0};
	struct pk_twopass_stats st;
	struct pk_twopass *tp;
	FILE *f;
	int i, rc, ok = 1;

	snprintf(path, sizeof path, "%s/pk-test-twopass.%ld",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	f = fopen(path, "w");
	fputs("{\"a\":0}\n\n{\"a\":1}\n{\"a\":2}\n", f);
	fclose(f);
	/* input 0: the file (records 0 and 2 kept), input 1: spooled */
	o.memory = 64; /* spills at once */
	tp = pk_twopass_new(&o, &err);
	CHECK_INT(pk_twopass_add(tp, path, 0, 0, 1, "{\"a\":0}", 7, "t0", 2, &err), PK_OK);
	CHECK_INT(pk_twopass_add(tp, path, 0, 2, 4, "{\"a\":2}", 7, "t2", 2, &err), PK_OK);
	for (i = 0; i < 100; i++) {
		char line[32], tag[8];
		int n = snprintf(line, sizeof line, "{\"s\":%d}", i);

		snprintf(tag, sizeof tag, "%d", i);
		pk_twopass_add(tp, "-", 1, (unsigned long long)i, (unsigned long long)i + 1,
			       line, (size_t)n, tag, strlen(tag), &err);
	}
	CHECK_INT(pk_twopass_next(tp, &it, &err), PK_OK);
	CHECK_MEM(it.line, it.len, "{\"a\":0}", 7);
	CHECK_MEM(it.tag, it.taglen, "t0", 2);
	CHECK_INT(it.seq, 0);
	CHECK_INT(pk_twopass_next(tp, &it, &err), PK_OK);
	CHECK_MEM(it.line, it.len, "{\"a\":2}", 7);
	CHECK_INT(it.lineno, 4);
	CHECK_STR(it.path, path);
	for (i = 0; i < 100; i++) {
		char line[32];
		int n = snprintf(line, sizeof line, "{\"s\":%d}", i);

		rc = pk_twopass_next(tp, &it, &err);
		if (rc != PK_OK || it.len != (size_t)n || memcmp(it.line, line, it.len) ||
		    it.seq != (unsigned long long)i + 2 || strcmp(it.path, "-"))
			ok = 0;
	}
	CHECK(ok);
	CHECK_INT(pk_twopass_next(tp, &it, &err), PK_EOF);
	pk_twopass_get_stats(tp, &st);
	CHECK_INT(st.records, 102);
	CHECK_INT(st.reread, 2);
	CHECK_INT(st.spooled, 100);
	CHECK(st.bytes_spilled > 0);
	pk_twopass_free(tp);

	/* the file changes between the passes */
	o.memory = 0;
	tp = pk_twopass_new(&o, &err);
	pk_twopass_add(tp, path, 0, 2, 4, "{\"a\":2}", 7, NULL, 0, &err);
	f = fopen(path, "w");
	fputs("{\"a\":0}\n{\"a\":1}\n{\"a\":3}\n", f);
	fclose(f);
	CHECK_INT(pk_twopass_next(tp, &it, &err), PK_FATAL);
	CHECK(strstr(err.text, ":3: the file changed between the two passes") != NULL);
	pk_twopass_free(tp);
	tp = pk_twopass_new(&o, &err);
	pk_twopass_add(tp, path, 0, 5, 6, "{\"a\":5}", 7, NULL, 0, &err);
	CHECK_INT(pk_twopass_next(tp, &it, &err), PK_FATAL);
	CHECK(strstr(err.text, "changed between the two passes (it is shorter now)") != NULL);
	pk_twopass_free(tp);
	unlink(path);
}

int main(void)
{
	test_fraction();
	test_cut();
	test_twopass();
	return pk_test_done();
}
