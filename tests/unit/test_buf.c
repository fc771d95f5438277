/* SPDX-License-Identifier: MIT */
/* test_buf.c - struct pk_buf, size parsing, and struct pk_error. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

/* pk_error_set fills kind and text; pk_error_clear empties every field a
 * reader looks at (it no longer zeroes the whole text buffer). */
static void test_error(void)
{
	struct pk_error e;

	memset(&e, 'x', sizeof e);
	pk_error_clear(&e);
	CHECK_INT(e.kind, PK_ERR_NONE);
	CHECK_INT(e.line, 0);
	CHECK_INT(e.column, 0);
	CHECK_STR(e.text, "");
	CHECK_INT(pk_error_set(&e, PK_ERR_DATA, "bad %d", 7), PK_BAD_RECORD);
	e.line = 3;
	e.column = 9;
	CHECK_INT(e.kind, PK_ERR_DATA);
	CHECK_STR(e.text, "bad 7");
	pk_error_clear(&e);
	CHECK_INT(e.kind, PK_ERR_NONE);
	CHECK_INT(e.line, 0);
	CHECK_INT(e.column, 0);
	CHECK_STR(e.text, "");
	pk_error_clear(NULL);
}

int main(void)
{
	struct pk_buf b = PK_BUF_INIT;
	size_t sz = 0;
	char *s;
	int i;

	CHECK(pk_buf_puts(&b, "abc") == 0);
	CHECK(pk_buf_putc(&b, 'd') == 0);
	CHECK(pk_buf_append(&b, "e\0f", 3) == 0);
	CHECK_INT(b.len, 7);
	CHECK_MEM(b.data, b.len, "abcde\0f", 7);
	CHECK(b.data[b.len] == '\0');
	CHECK(pk_buf_printf(&b, "%d-%s", 42, "x") == 0);
	CHECK_MEM(b.data + 7, b.len - 7, "42-x", 4);
	pk_buf_reset(&b);
	CHECK_INT(b.len, 0);
	CHECK_STR(b.data, "");
	for (i = 0; i < 10000; i++)
		pk_buf_putc(&b, 'a' + i % 26);
	CHECK_INT(b.len, 10000);
	CHECK(b.data[9999] == 'a' + 9999 % 26);
	s = pk_buf_take(&b);
	CHECK(b.data == NULL && b.len == 0);
	CHECK_INT(strlen(s), 10000);
	free(s);
	s = pk_buf_take(&b);
	CHECK_STR(s, "");
	free(s);
	pk_buf_free(&b);
	pk_buf_free(&b); /* twice is fine */

	CHECK(pk_parse_size("512", &sz) == 0 && sz == 512);
	CHECK(pk_parse_size("64K", &sz) == 0 && sz == 65536);
	CHECK(pk_parse_size("256M", &sz) == 0 && sz == 268435456);
	CHECK(pk_parse_size("2G", &sz) == 0 && sz == 2147483648UL);
	CHECK(pk_parse_size("1k", &sz) == 0 && sz == 1024);
	CHECK(pk_parse_size("", &sz) < 0);
	CHECK(pk_parse_size("M", &sz) < 0);
	CHECK(pk_parse_size("12X", &sz) < 0);
	CHECK(pk_parse_size("-1", &sz) < 0);
	CHECK(pk_parse_size("99999999999999999999G", &sz) < 0);
	test_error();
	return pk_test_done();
}
