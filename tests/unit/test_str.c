/* SPDX-License-Identifier: MIT */
/*
 * test_str.c - string literals and jansson glue: quoting as Python's
 * json.dumps(ensure_ascii=False), unquoting (NUL, surrogate pairs),
 * comparing raw keys with names, encoding (insertion order, sorted keys,
 * shortest reals) and decoding with the scanner's flags.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

static struct pk_buf b = PK_BUF_INIT;

static const char *quote(const char *s, size_t n)
{
	pk_buf_reset(&b);
	CHECK_INT(pk_json_quote(&b, s, n), PK_OK);
	return b.data;
}

static const char *unquote(const char *lit)
{
	pk_buf_reset(&b);
	CHECK_INT(pk_json_unquote(&b, lit, strlen(lit)), PK_OK);
	return b.data;
}

static void test_quote(void)
{
	CHECK_STR(quote("", 0), "\"\"");
	CHECK_STR(quote("plain text", 10), "\"plain text\"");
	CHECK_STR(quote("a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	CHECK_STR(quote("\n\r\t\b\f", 5), "\"\\n\\r\\t\\b\\f\"");
	/* other controls as \u00XX with lowercase hex, like Python */
	CHECK_STR(quote("\x01\x0b\x1f", 3), "\"\\u0001\\u000b\\u001f\"");
	/* DEL, '/', non-ASCII: verbatim */
	CHECK_STR(quote("\x7f/caf\xc3\xa9 \xf0\x9f\x98\x80", 12),
		  "\"\x7f/caf\xc3\xa9 \xf0\x9f\x98\x80\"");
	quote("a\0b", 3);
	CHECK_MEM(b.data, b.len, "\"a\\u0000b\"", 10);
	/* appends */
	pk_buf_reset(&b);
	pk_json_quote(&b, "x", 1);
	pk_json_quote(&b, "y", 1);
	CHECK_STR(b.data, "\"x\"\"y\"");
}

/* Python's escaping of one byte, written independently of str.c. */
static void ref_escape(struct pk_buf *o, unsigned char c)
{
	switch (c) {
	case '"': pk_buf_puts(o, "\\\""); break;
	case '\\': pk_buf_puts(o, "\\\\"); break;
	case '\n': pk_buf_puts(o, "\\n"); break;
	case '\r': pk_buf_puts(o, "\\r"); break;
	case '\t': pk_buf_puts(o, "\\t"); break;
	case '\b': pk_buf_puts(o, "\\b"); break;
	case '\f': pk_buf_puts(o, "\\f"); break;
	default:
		if (c < 0x20)
			pk_buf_printf(o, "\\u%04x", c);
		else
			pk_buf_putc(o, c);
	}
}

static void test_quote_blocks(void)
{
	struct pk_buf want = PK_BUF_INIT;
	char in[64];
	int c, k, ok = 1;

	/* every byte value at every offset around the 16-byte blocks */
	for (c = 0; c < 256; c++) {
		for (k = 0; k < 40; k++) {
			int j;

			memset(in, 'a' + k % 26, sizeof in);
			in[k] = (char)c;
			pk_buf_reset(&want);
			pk_buf_putc(&want, '"');
			for (j = 0; j < 48; j++)
				ref_escape(&want, (unsigned char)in[j]);
			pk_buf_putc(&want, '"');
			pk_buf_reset(&b);
			if (pk_json_quote(&b, in, 48) != PK_OK ||
			    b.len != want.len || memcmp(b.data, want.data, b.len))
				ok = 0;
		}
	}
	CHECK(ok);
	pk_buf_free(&want);
}

static void test_unquote(void)
{
	char all[128];
	size_t k;
	struct pk_buf q = PK_BUF_INIT;

	CHECK_STR(unquote("\"\""), "");
	CHECK_STR(unquote("\"abc\""), "abc");
	CHECK_STR(unquote("\"\\u00e9\\/\\\"\\\\\\n\\t\\b\\f\\r\""),
		  "\xc3\xa9/\"\\\n\t\b\f\r");
	CHECK_STR(unquote("\"\\ud83d\\ude00!\""), "\xf0\x9f\x98\x80!");
	CHECK_STR(unquote("\"\\uD834\\uDD1E\""), "\xf0\x9d\x84\x9e");
	CHECK_STR(unquote("\"\\u4e2d\\u0041\\u07ff\""), "\xe4\xb8\xad" "A\xdf\xbf");
	pk_buf_reset(&b);
	CHECK_INT(pk_json_unquote(&b, "\"a\\u0000b\"", 10), PK_OK);
	CHECK_MEM(b.data, b.len, "a\0b", 3);

	/* every ASCII byte, and some UTF-8, survives quote + unquote */
	for (k = 0; k < 127; k++)
		all[k] = (char)(k + 1);
	pk_json_quote(&q, all, 127);
	pk_json_quote(&q, "\0\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", 10);
	pk_buf_reset(&b);
	/* q holds two literals: split them */
	{
		size_t first = 0, pos = 0;
		enum pk_type t;

		CHECK_INT(pk_scan_value(q.data, q.len, &pos, &t, NULL), PK_OK);
		first = pos;
		CHECK_INT(pk_json_unquote(&b, q.data, first), PK_OK);
		CHECK_MEM(b.data, b.len, all, 127);
		pk_buf_reset(&b);
		CHECK_INT(pk_scan_value(q.data, q.len, &pos, &t, NULL), PK_OK);
		CHECK_INT(pos, q.len);
		CHECK_INT(pk_json_unquote(&b, q.data + first, q.len - first),
			  PK_OK);
		CHECK_MEM(b.data, b.len, "\0\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80",
			  10);
	}
	pk_buf_free(&q);
}

static void test_key_equals(void)
{
#define KEQ(lit, name) pk_key_equals(lit, strlen(lit), name)
	CHECK(KEQ("\"a\"", "a"));
	CHECK(!KEQ("\"a\"", "ab"));
	CHECK(!KEQ("\"ab\"", "a"));
	CHECK(!KEQ("\"a\"", ""));
	CHECK(KEQ("\"\"", ""));
	CHECK(!KEQ("\"\"", "a"));
	CHECK(KEQ("\"\\u0061\"", "a"));
	CHECK(KEQ("\"caf\\u00e9\"", "caf\xc3\xa9"));
	CHECK(KEQ("\"caf\xc3\xa9\"", "caf\xc3\xa9"));
	CHECK(!KEQ("\"caf\\u00e9\"", "caf\xc3"));
	CHECK(KEQ("\"a\\nb\"", "a\nb"));
	CHECK(!KEQ("\"a\\nb\"", "a\\nb"));
	CHECK(KEQ("\"a\\\\nb\"", "a\\nb"));
	CHECK(KEQ("\"a\\/b\"", "a/b"));
	CHECK(KEQ("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80"));
	CHECK(!KEQ("\"a\\u0000\"", "a"));
	CHECK(KEQ("\"score_chosen\"", "score_chosen"));
	CHECK(!KEQ("\"score_chosen\"", "score_chose"));
#undef KEQ
}

static const char *encode(json_t *v, int flags)
{
	pk_buf_reset(&b);
	CHECK_INT(pk_json_encode(&b, v, flags), PK_OK);
	json_decref(v);
	return b.data;
}

static void test_encode(void)
{
	json_t *o = json_object(), *inner = json_object();

	json_object_set_new(o, "b", json_integer(1));
	json_object_set_new(o, "a", json_pack("[bbns]", 1, 0, "x"));
	json_object_set_new(o, "c", json_real(0.1));
	json_object_set_new(o, "d", json_real(6.2));
	json_object_set_new(o, "e", json_real(8.0));
	json_object_set_new(o, "i", json_integer(-42));
	json_object_set_new(inner, "z", json_integer(1));
	json_object_set_new(inner, "y", json_string("v"));
	json_object_set_new(o, "n", inner);
	json_incref(o);
	CHECK_STR(encode(o, 0),
		  "{\"b\":1,\"a\":[true,false,null,\"x\"],\"c\":0.1,\"d\":6.2,"
		  "\"e\":8,\"i\":-42,\"n\":{\"z\":1,\"y\":\"v\"}}");
	CHECK_STR(encode(o, PK_ENC_SORT_KEYS),
		  "{\"a\":[true,false,null,\"x\"],\"b\":1,\"c\":0.1,\"d\":6.2,"
		  "\"e\":8,\"i\":-42,\"n\":{\"y\":\"v\",\"z\":1}}");

	/* bytewise = code point order; a prefix sorts first */
	o = json_object();
	json_object_set_new(o, "\xc3\xa9", json_integer(1));
	json_object_set_new(o, "z", json_integer(2));
	json_object_set_new(o, "Z", json_integer(3));
	json_object_set_new(o, "zz", json_integer(4));
	CHECK_STR(encode(o, PK_ENC_SORT_KEYS),
		  "{\"Z\":3,\"z\":2,\"zz\":4,\"\xc3\xa9\":1}");

	encode(json_stringn("a\0b\n", 4), 0);
	CHECK_MEM(b.data, b.len, "\"a\\u0000b\\n\"", 12);
	CHECK_STR(encode(json_pack("[]"), 0), "[]");
	CHECK_STR(encode(json_object(), PK_ENC_SORT_KEYS), "{}");
	CHECK_STR(encode(json_integer(9223372036854775807LL), 0),
		  "9223372036854775807");
	CHECK_STR(encode(json_real(-0.0), 0), "0");
	CHECK_STR(encode(json_real(1e300), 0), "1e+300");
	CHECK_STR(encode(json_string("\xf0\x9f\x98\x80/"), 0),
		  "\"\xf0\x9f\x98\x80/\"");

	pk_buf_reset(&b);
	pk_buf_puts(&b, "keep");
	CHECK_INT(pk_json_encode(&b, NULL, 0), PK_FATAL);
	CHECK_STR(b.data, "keep");
}

static void test_decode(void)
{
	struct pk_error err;
	json_t *v;

	memset(&err, 0, sizeof err);
	v = pk_json_decode("\"a\\u0000b\"", 10, &err);
	CHECK(v && json_is_string(v) && json_string_length(v) == 3 &&
	      memcmp(json_string_value(v), "a\0b", 3) == 0);
	json_decref(v);
	v = pk_json_decode(" 7 ", 3, &err);
	CHECK(v && json_integer_value(v) == 7);
	json_decref(v);
	v = pk_json_decode("[1,2]", 5, &err);
	CHECK(v && json_array_size(v) == 2);
	json_decref(v);

	v = pk_json_decode("18446744073709551616", 20, &err);
	CHECK(v == NULL);
	CHECK_INT(err.kind, PK_ERR_DATA);
	CHECK(strstr(err.text, "number out of range") != NULL);
	v = pk_json_decode("[1e400]", 7, &err);
	CHECK(v == NULL);
	CHECK(strstr(err.text, "number out of range") != NULL);
	v = pk_json_decode("{\"a\":1,\"a\":2}", 13, &err);
	CHECK(v == NULL);
	CHECK(strstr(err.text, "duplicate") != NULL);
	CHECK_INT(err.kind, PK_ERR_DATA);
	v = pk_json_decode("{", 1, &err);
	CHECK(v == NULL);
	CHECK(strncmp(err.text, "invalid JSON: ", 14) == 0);

	/* decode + encode: reals come back short, escapes canonical */
	{
		const char *t = "{\"s\":0.1,\"t\":6.2,\"u\":\"\\u00e9\\/\\u001F\","
				"\"w\":\"\\ud83d\\ude00\"}";

		v = pk_json_decode(t, strlen(t), &err);
	}
	CHECK(v != NULL);
	if (v)
		CHECK_STR(encode(v, 0), "{\"s\":0.1,\"t\":6.2,\"u\":\"\xc3\xa9/\\u001f\","
					"\"w\":\"\xf0\x9f\x98\x80\"}");
}

/* pk_json_requote: hand-written cases, then the same text as
 * pk_json_quote(pk_json_unquote()) on every literal built from a set of
 * pieces (raw text, every kind of escape, surrogate pairs, a lone
 * surrogate, control characters escaped as \u00XX). */
static void test_requote(void)
{
	static const char *const piece[] = {
		"a", "\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\\n",
		"\\t", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r", "\\u00e9",
		"\\u00E9", "\\u0041", "\\u0022", "\\u005c", "\\u005C",
		"\\u0000", "\\u001f", "\\u001F", "\\u0008", "\\u000a",
		"\\u007f", "\\u2028", "\\ud83d\\ude00", "\\uD83D\\uDE00",
		"\\ud800", "\\udc00x", "\\u4e2d", "/", " ",
	};
	size_t np = sizeof piece / sizeof piece[0];
	struct pk_buf lit = PK_BUF_INIT, dec = PK_BUF_INIT, want = PK_BUF_INIT,
		      got = PK_BUF_INIT;
	unsigned long x = 12345;
	int bad = 0;

	pk_buf_reset(&got);
	CHECK(pk_json_requote(&got, "\"a\\/b\\u00e9\\n\\u0001\\u005c\"", 26) == PK_OK);
	CHECK_STR(got.data, "\"a/b\xc3\xa9\\n\\u0001\\\\\"");
	pk_buf_reset(&got);
	CHECK(pk_json_requote(&got, "\"\"", 2) == PK_OK);
	CHECK_STR(got.data, "\"\"");
	pk_buf_reset(&got);
	CHECK(pk_json_requote(&got, "\"\\ud83d\\ude00\\ud800\\u0008\"", 26) == PK_OK);
	CHECK_STR(got.data, "\"\xf0\x9f\x98\x80\xef\xbf\xbd\\b\"");
	for (int round = 0; round < 5000; round++) {
		size_t k = round < (int)np ? 1 : 1 + x % 8;

		pk_buf_reset(&lit);
		pk_buf_putc(&lit, '"');
		for (size_t j = 0; j < k; j++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			pk_buf_puts(&lit, piece[round < (int)np ? (size_t)round
								 : (x >> 33) % np]);
		}
		pk_buf_putc(&lit, '"');
		pk_buf_reset(&dec);
		pk_buf_reset(&want);
		pk_buf_reset(&got);
		pk_buf_puts(&got, "<");
		pk_buf_puts(&want, "<");
		if (pk_json_unquote(&dec, lit.data, lit.len) != PK_OK ||
		    pk_json_quote(&want, dec.data ? dec.data : "", dec.len) !=
			    PK_OK ||
		    pk_json_requote(&got, lit.data, lit.len) != PK_OK ||
		    got.len != want.len ||
		    memcmp(got.data, want.data, got.len) != 0) {
			if (!bad++)
				printf("#   literal %s: got %s, want %s\n",
				       lit.data, got.data, want.data);
		}
	}
	CHECK_INT(bad, 0);
	pk_buf_free(&lit);
	pk_buf_free(&dec);
	pk_buf_free(&want);
	pk_buf_free(&got);
}

int main(void)
{
	test_quote();
	test_quote_blocks();
	test_unquote();
	test_requote();
	test_key_equals();
	test_encode();
	test_decode();
	pk_buf_free(&b);
	return pk_test_done();
}
