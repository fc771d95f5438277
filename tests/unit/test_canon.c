/* SPDX-License-Identifier: MIT */
/*
 * test_canon.c - canonical JSON (canon.c): hand-computed texts, agreement
 * with the jansson route (pk_json_encode of pk_json_decode, sorted keys)
 * on the scanner's corpus and on generated values, and the normalizations
 * of pref-dedup --normalize.  (Every code point of the case and space
 * tables is checked against Python in tests/cli/pref-dedup/normalize-all.)
 */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

static struct pk_canon scratch = PK_CANON_INIT;

static void check_canon(const char *v, unsigned norm, const char *want)
{
	struct pk_buf b = PK_BUF_INIT;
	struct pk_error err = {0};

	CHECK_INT(pk_canonical(&b, v, strlen(v), norm, &scratch, &err), PK_OK);
	CHECK_STR(b.data ? b.data : "", want);
	pk_buf_free(&b);
}

static void check_norm(const char *s, unsigned norm, const char *want)
{
	struct pk_buf b = PK_BUF_INIT;

	CHECK_INT(pk_normalize(&b, s, strlen(s), norm), PK_OK);
	CHECK_STR(b.data ? b.data : "", want);
	pk_buf_free(&b);
}

/* The canonical text equals the jansson route's wherever jansson reads
 * the value; returns 1 when compared, 0 when jansson refused it. */
static int agree(const char *v, size_t n)
{
	struct pk_buf a = PK_BUF_INIT, b = PK_BUF_INIT;
	struct pk_error err = {0};
	json_t *j = pk_json_decode(v, n, &err);
	int ok;

	if (!j)
		return 0;
	CHECK_INT(pk_json_encode(&a, j, PK_ENC_SORT_KEYS), PK_OK);
	json_decref(j);
	CHECK_INT(pk_canonical(&b, v, n, 0, &scratch, &err), PK_OK);
	ok = a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
	CHECK(ok);
	if (!ok)
		printf("#   jansson:   %.200s\n#   canonical: %.200s\n", a.data,
		       b.data);
	pk_buf_free(&a);
	pk_buf_free(&b);
	return 1;
}

/* Every valid value of fuzz/corpus/scan agrees. */
static void corpus(void)
{
	DIR *d = opendir(CORPUS);
	struct dirent *e;
	int compared = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[512];
		size_t n, pos = 0;
		char *text;
		struct pk_error err;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", CORPUS, e->d_name);
		if (!(text = pk_test_slurp(path, &n)))
			continue;
		if (pk_scan_value(text, n, &pos, NULL, &err) == PK_OK)
			compared += agree(text, pos);
		free(text);
	}
	closedir(d);
	CHECK(compared >= 10);
}

/* Generated values: objects with shuffled, escaped and non-ASCII keys,
 * numbers of every form, nested arrays. */
static void generated(void)
{
	static const char *const atoms[] = {
		"0", "-0", "1", "-1", "1.0", "1.50", "1e2", "1E-2", "-0.0",
		"0.1", "12345678901234567", "2.5e300", "true", "false", "null",
		"\"\"", "\"a\"", "\"\\u00e9\\n\\t\\\"\\\\\\/\"", "\"\xc3\xa9\"",
		"\"\\u0000x\"", "\"\\ud83d\\ude00\"", "[]", "{}",
	};
	static const char *const keys[] = {
		"\"b\"", "\"a\"", "\"\\u0061a\"", "\"\xc3\xa9\"", "\"\\u00e8\"",
		"\"Z\"", "\"\"", "\"a\\u0000\"", "\"ab\"", "\"\\ud83d\\ude00\"",
	};
	unsigned long long s = 12345;
	int i, k;

	for (i = 0; i < 400; i++) {
		struct pk_buf v = PK_BUF_INIT;
		int nk = 0, used = 0;

		pk_buf_puts(&v, "{");
		for (k = 0; k < 6; k++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			int key = (int)((s >> 33) % 10);

			/* "a", "\u0061a" and "a\u0000" collide or are
			 * refused: keep keys distinct as decoded */
			if (used & (1 << key) || (key == 2 && (used & 1 << 8)) ||
			    (key == 8 && (used & 1 << 2)))
				continue;
			used |= 1 << key;
			pk_buf_printf(&v, "%s %s : [%s, {\"y\":%s,\"x\":%s}]",
				      nk++ ? "," : "", keys[key],
				      atoms[(s >> 40) % 23], atoms[(s >> 45) % 23],
				      atoms[(s >> 50) % 23]);
		}
		pk_buf_puts(&v, "}");
		agree(v.data, v.len);
		/* the same object as an element of arrays, blank space
		 * around every element (an array's elements are walked
		 * without being skipped first) */
		{
			struct pk_buf a = PK_BUF_INIT;

			pk_buf_printf(&a, "[ %s ,\n[%s , %s],\t{ } ,[ ]] ",
				      v.data, atoms[(s >> 20) % 23], v.data);
			agree(a.data, a.len);
			pk_buf_free(&a);
		}
		pk_buf_free(&v);
	}
}

int main(void)
{
	/* hand-computed canonical texts */
	check_canon(" {\"b\": 1, \"a\": [true, null, \"x\"]} ", 0,
		    "{\"a\":[true,null,\"x\"],\"b\":1}");
	check_canon("{\"role\":\"user\",\"content\":\"hi\"}", 0,
		    "{\"content\":\"hi\",\"role\":\"user\"}");
	/* containers in arrays, blank space everywhere */
	check_canon(" [ { \"b\" : 1 , \"a\" : [ ] } , [ [ 1 , { } ] , [ ] ] , { } , \"s\" , 2 ] ",
		    0, "[{\"a\":[],\"b\":1},[[1,{}],[]],{},\"s\",2]");
	check_canon("[\n\t{\"role\": \"user\", \"content\": \"q\"},\r\n {\"content\":\"a\" ,\"role\":\"assistant\" }\n]",
		    0, "[{\"content\":\"q\",\"role\":\"user\"},{\"content\":\"a\",\"role\":\"assistant\"}]");
	check_canon("[[[]],[{}],{ \"x\" : [ { \"z\" : [ ] , \"y\" : { } } ] }]", 0,
		    "[[[]],[{}],{\"x\":[{\"y\":{},\"z\":[]}]}]");
	check_canon("[ ]", 0, "[]");
	check_canon("[{}]", 0, "[{}]");
	check_canon("\"caf\\u00e9 \\/ \\t\"", 0, "\"caf\xc3\xa9 / \\t\"");
	/* escapes already as written (copied as they are), and not: \u
	 * of a control character in upper case, \/ after short ones */
	check_canon("\"a\\\"b\\\\c\\bd\\te\\nf\\fg\\rh\"", 0,
		    "\"a\\\"b\\\\c\\bd\\te\\nf\\fg\\rh\"");
	check_canon("\"x\\n\\u001F\\\\\"", 0, "\"x\\n\\u001f\\\\\"");
	check_canon("\"\\n\\\\\\/\"", 0, "\"\\n\\\\/\"");
	check_canon("[1.0, 1e2, -0, -0.0, 0.10, 123456789012345678901234567890, 1e400]",
		    0, "[1,100,0,0,0.1,123456789012345678901234567890,1e400]");
	check_canon("{\"\\u00e9\":1,\"z\":2,\"\xc3\xa8\":3}", 0,
		    "{\"z\":2,\"\xc3\xa8\":3,\"\xc3\xa9\":1}");
	/* many keys: the merge sort */
	check_canon("{\"k\":0,\"j\":0,\"i\":0,\"h\":0,\"g\":0,\"f\":0,\"e\":0,"
		    "\"d\":0,\"c\":0,\"b\":0,\"a\":0,\"aa\":0}", 0,
		    "{\"a\":0,\"aa\":0,\"b\":0,\"c\":0,\"d\":0,\"e\":0,\"f\":0,"
		    "\"g\":0,\"h\":0,\"i\":0,\"j\":0,\"k\":0}");
	/* normalization reaches every string but no key */
	check_canon("{\"Role\":\"USER\",\"content\":\"  Hello\\n\\n  World \"}",
		    PK_NORM_SPACE | PK_NORM_CASE,
		    "{\"Role\":\"user\",\"content\":\"hello world\"}");
	check_canon("[\" A \", {\"x\": [\"B  b\"]}, 1]", PK_NORM_SPACE,
		    "[\"A\",{\"x\":[\"B b\"]},1]");

	/* normalizations (expected values from Python: " ".join(s.split())
	 * and s.casefold()) */
	check_norm("  Hello\t World \n", PK_NORM_SPACE, "Hello World");
	check_norm("a\xc2\xa0" "b\xe2\x80\x83" "c\xe3\x80\x80", PK_NORM_SPACE,
		   "a b c");                        /* NBSP, EM SPACE, U+3000 */
	check_norm("a\xe2\x80\x8b" "b", PK_NORM_SPACE,
		   "a\xe2\x80\x8b" "b");            /* ZERO WIDTH SPACE is not */
	check_norm("a\x1f" "b\x0b" "c", PK_NORM_SPACE, "a b c");
	check_norm(" \t ", PK_NORM_SPACE, "");
	check_norm("Stra\xc3\x9f" "e", PK_NORM_CASE, "strasse");
	check_norm("\xce\xa3\xce\x91\xce\xa3 \xcf\x82", PK_NORM_CASE,
		   "\xcf\x83\xce\xb1\xcf\x83 \xcf\x83"); /* ΣΑΣ ς -> σασ σ */
	check_norm("\xef\xac\x81" "le", PK_NORM_CASE, "file"); /* ﬁ */
	check_norm("\xc4\xb0", PK_NORM_CASE, "i\xcc\x87");     /* İ */
	check_norm("\xf0\x90\x90\x80", PK_NORM_CASE,
		   "\xf0\x90\x90\xa8");                        /* Deseret */
	check_norm("ABC xyz 123", PK_NORM_CASE, "abc xyz 123");
	check_norm(" A\tB ", PK_NORM_SPACE | PK_NORM_CASE, "a b");
	check_norm("a\0B", PK_NORM_CASE, "a"); /* strlen stops at the NUL */
	{
		struct pk_buf b = PK_BUF_INIT;

		CHECK_INT(pk_normalize(&b, "A\0B", 3, PK_NORM_CASE), PK_OK);
		CHECK_MEM(b.data, b.len, "a\0b", 3);
		pk_buf_free(&b);
	}
	{
		unsigned norm;

		CHECK_INT(pk_normalize_parse("space", &norm), 0);
		CHECK_INT(norm, PK_NORM_SPACE);
		CHECK_INT(pk_normalize_parse("case,space", &norm), 0);
		CHECK_INT(norm, PK_NORM_SPACE | PK_NORM_CASE);
		CHECK_INT(pk_normalize_parse("", &norm), PK_BAD_RECORD);
		CHECK_INT(pk_normalize_parse("space,", &norm), PK_BAD_RECORD);
		CHECK_INT(pk_normalize_parse("spaces", &norm), PK_BAD_RECORD);
		CHECK_INT(pk_normalize_parse("case,,space", &norm), PK_BAD_RECORD);
	}

	/* the hash of the canonical text, in place for plain strings */
	{
		struct pk_error err = {0};
		uint64_t h1, h2, h3;
		const char *m1 = "[{\"role\":\"user\",\"content\":\"hi\"}]";
		const char *m2 = "[{\"content\":\"hi\",\"role\":\"user\"}]";

		CHECK_INT(pk_canonical_hash64("\"hello\"", 7, 0, &scratch, &h1, &err), PK_OK);
		CHECK(h1 == 0x7fa86191cb5433a3ULL);
		CHECK_INT(pk_canonical_hash64(" \"hell\\u006f\" ", 14, 0, &scratch, &h2, &err), PK_OK);
		CHECK(h2 == h1);
		CHECK_INT(pk_canonical_hash64("\"hello\"", 7, 1, &scratch, &h3, &err), PK_OK);
		CHECK(h3 != h1);
		CHECK(h3 == pk_hash64("\"hello\"", 7, 1));
		CHECK_INT(pk_canonical_hash64(m1, strlen(m1), 0, &scratch, &h1, &err), PK_OK);
		CHECK(h1 == 0x471d68e036f73c27ULL);
		CHECK(h1 == pk_hash64(m2, strlen(m2), 0));
	}
	/* 128-bit hashes as bytes, in the order of their hex digits */
	{
		unsigned char k[16];
		char hex[33], back[33];
		int i;

		pk_hash128("abc", 3, k);
		pk_hash128_hex("abc", 3, hex);
		for (i = 0; i < 16; i++)
			snprintf(back + 2 * i, 3, "%02x", k[i]);
		CHECK_STR(back, hex);
	}

	corpus();
	generated();
	pk_canon_free(&scratch);
	return pk_test_done();
}
