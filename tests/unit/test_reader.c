/* SPDX-License-Identifier: MIT */
/*
 * test_reader.c - struct pk_reader over the fixtures in tests/data/io
 * (plain, CRLF, BOM, blank lines, long lines, zstd, gzip, JSON arrays,
 * truncated and corrupt streams), over pipes, and over generated inputs
 * whose lines cross the reader's buffer boundaries.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>

#include "pk_private.h"
#include "test.h"

#ifndef TESTDATA
#define TESTDATA "tests/data"
#endif
#define IO TESTDATA "/io/"

#define MAXREC 64

struct result {
	int n;                          /* records read */
	char *rec[MAXREC];              /* the first MAXREC of them */
	unsigned long long lineno[MAXREC];
	int status;                     /* the call that ended the loop */
	struct pk_error err;
	unsigned long long blank;
	unsigned long long bytes_in;
	int seekable;
	int again;                      /* status of one more call */
};

static void result_free(struct result *res)
{
	int i;

	for (i = 0; i < res->n && i < MAXREC; i++)
		free(res->rec[i]);
	memset(res, 0, sizeof *res);
}

static char *dup_mem(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* Read every record of path until anything but PK_OK. */
static int read_all(const char *path, size_t max_line, struct result *res)
{
	struct pk_reader *r;
	struct pk_line line;
	struct pk_error e;

	memset(res, 0, sizeof *res);
	pk_error_clear(&res->err);
	r = pk_reader_open(path, max_line, &res->err);
	if (!r)
		return -1;
	while ((res->status = pk_reader_next(r, &line, &res->err)) == PK_OK) {
		if (res->n < MAXREC) {
			res->rec[res->n] = dup_mem(line.data, line.len);
			res->lineno[res->n] = line.lineno;
		}
		res->n++;
	}
	res->again = pk_reader_next(r, &line, &e);
	res->blank = pk_reader_blank_lines(r);
	res->bytes_in = pk_reader_bytes_in(r);
	res->seekable = pk_reader_seekable(r);
	pk_reader_close(r);
	return 0;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
	return pk_test_path(tmpdir, name);
}

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");
	int ok;

	if (!fp)
		return -1;
	ok = fwrite(p, 1, n, fp) == n;
	return fclose(fp) == 0 && ok ? 0 : -1;
}

/* ---- plain JSON Lines ---- */

static void test_plain(void)
{
	struct result res;

	CHECK(read_all(IO "plain.jsonl", 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.again, PK_EOF);
	CHECK_INT(res.n, 3);
	CHECK_STR(res.rec[0], "{\"a\":1}");
	CHECK_STR(res.rec[2], "{\"a\":3}");
	CHECK_INT(res.lineno[0], 1);
	CHECK_INT(res.lineno[2], 3);
	CHECK_INT(res.blank, 0);
	CHECK_INT(res.bytes_in, 24);
	CHECK_INT(res.seekable, 1);
	result_free(&res);

	CHECK(read_all(IO "crlf.jsonl", 0, &res) == 0);
	CHECK_INT(res.n, 2);
	CHECK_STR(res.rec[0], "{\"a\":1}");
	CHECK_STR(res.rec[1], "{\"a\":2}");
	result_free(&res);

	CHECK(read_all(IO "bom.jsonl", 0, &res) == 0);
	CHECK_INT(res.n, 2);
	CHECK_STR(res.rec[0], "{\"a\":1}");
	CHECK_INT(res.lineno[1], 2);
	result_free(&res);

	/* "\n" {a:1} "  " "\t\r" {a:2} "" {a:3} " " */
	CHECK(read_all(IO "blank.jsonl", 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 3);
	CHECK_INT(res.lineno[0], 2);
	CHECK_INT(res.lineno[1], 5);
	CHECK_INT(res.lineno[2], 7);
	CHECK_STR(res.rec[2], "{\"a\":3}");
	CHECK_INT(res.blank, 5);
	result_free(&res);

	CHECK(read_all(IO "nofinal.jsonl", 0, &res) == 0);
	CHECK_INT(res.n, 2);
	CHECK_STR(res.rec[1], "{\"a\":2}");
	CHECK_INT(res.lineno[1], 2);
	CHECK_INT(res.status, PK_EOF);
	result_free(&res);
}

static void test_small_inputs(void)
{
	static const struct {
		const char *text;
		int n;
		const char *first;
		int blank;
	} cases[] = {
		{"", 0, NULL, 0},
		{"\n", 0, NULL, 1},
		{" \r\n\t", 0, NULL, 2},
		{"x", 1, "x", 0},
		{"{", 1, "{", 0},
		{"\xef\xbb", 1, "\xef\xbb", 0},
		{"\xef\xbb\xbf", 0, NULL, 0},
		{"\xef\xbb\xbf\n", 0, NULL, 1},
		{"ab\r", 1, "ab\r", 0}, /* no "\r\n": the '\r' stays */
		{"a\rb\r\n", 1, "a\rb", 0},
		{"\x1f", 1, "\x1f", 0}, /* one byte of the gzip magic */
		{"\x28\xb5\x2f", 1, "\x28\xb5\x2f", 0},
	};
	struct result res;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *path = tmp_path("small");

		CHECK(write_file(path, cases[i].text,
				 strlen(cases[i].text)) == 0);
		CHECK(read_all(path, 0, &res) == 0);
		CHECK_INT(res.status, PK_EOF);
		CHECK_INT(res.n, cases[i].n);
		if (cases[i].first)
			CHECK_STR(res.rec[0], cases[i].first);
		CHECK_INT(res.blank, cases[i].blank);
		result_free(&res);
	}
}

static void test_open_errors(void)
{
	struct pk_error err;
	struct pk_reader *r;

	pk_error_clear(&err);
	r = pk_reader_open(IO "no-such-file.jsonl", 0, &err);
	CHECK(r == NULL);
	CHECK_INT(err.kind, PK_ERR_IO);
	CHECK_STR(err.text, "No such file or directory");
	CHECK_INT(err.line, 0);

	r = pk_reader_open(IO, 0, &err);
	CHECK(r == NULL);
	CHECK_INT(err.kind, PK_ERR_IO);
	CHECK_STR(err.text, "Is a directory");

	r = pk_reader_open(IO "plain.jsonl", 0, NULL);
	CHECK(r != NULL);
	CHECK_STR(pk_reader_name(r), IO "plain.jsonl");
	pk_reader_close(r);
	pk_reader_close(NULL);
}

/* ---- long lines ---- */

struct sink {
	struct pk_buf buf;
	int calls;
	int fail_after;     /* return -7 on this call (0 = never) */
};

static int sink_fn(void *ctx, const void *p, size_t n)
{
	struct sink *s = ctx;

	s->calls++;
	if (s->fail_after && s->calls == s->fail_after)
		return -7;
	return pk_buf_append(&s->buf, p, n);
}

static void test_long_line(void)
{
	struct pk_reader *r;
	struct pk_line line;
	struct pk_error err;
	struct sink s = {PK_BUF_INIT, 0, 0};
	char want[200];
	int rc;

	/* line 2 is {"long":"x...x"} with 100 x and a CRLF: 111 bytes */
	r = pk_reader_open(IO "long.jsonl", 16, &err);
	CHECK(r != NULL);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(line.lineno, 1);
	pk_error_clear(&err);
	rc = pk_reader_next(r, &line, &err);
	CHECK_INT(rc, PK_BAD_RECORD);
	CHECK_INT(err.kind, PK_ERR_DATA);
	CHECK_INT(err.line, 2);
	CHECK_STR(err.text, "line too long (more than 16 bytes)");
	CHECK_MEM(line.data, line.len, "{\"long\":\"xxxxxxx", 16);
	CHECK_INT(line.lineno, 2);
	CHECK_INT(pk_reader_drain(r, sink_fn, &s, &err), PK_OK);
	memset(want, 'x', 93);
	memcpy(want + 93, "\"}", 2);
	CHECK_MEM(s.buf.data, s.buf.len, want, 95);
	/* draining twice gives nothing more */
	CHECK_INT(pk_reader_drain(r, sink_fn, &s, &err), PK_OK);
	CHECK_INT(s.buf.len, 95);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_MEM(line.data, line.len, "{\"b\":2}", 7);
	CHECK_INT(line.lineno, 3);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_EOF);
	pk_reader_close(r);

	/* without drain the reader moves on by itself */
	r = pk_reader_open(IO "long.jsonl", 16, &err);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_BAD_RECORD);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_MEM(line.data, line.len, "{\"b\":2}", 7);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_EOF);
	pk_reader_close(r);

	/* a bound equal to the content length: not too long (CRLF aside) */
	r = pk_reader_open(IO "long.jsonl", 111, &err);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(line.len, 111);
	pk_reader_close(r);
	r = pk_reader_open(IO "long.jsonl", 110, &err);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_BAD_RECORD);
	CHECK_INT(line.len, 110);
	pk_reader_close(r);
	pk_buf_free(&s.buf);
}

/* A line of several MB streams past the buffer: its head comes back at
 * once, its rest through drain, and the buffer does not hold it. */
static void test_long_line_stream(void)
{
	const size_t big = 3000000;
	struct pk_buf in = PK_BUF_INIT;
	struct sink s = {PK_BUF_INIT, 0, 0};
	struct pk_reader *r;
	struct pk_line line;
	struct pk_error err;
	const char *path = tmp_path("big.jsonl");
	size_t i, ok;

	pk_buf_puts(&in, "{\"a\":1}\n");
	for (i = 0; i < big; i++)
		pk_buf_putc(&in, 'y');
	pk_buf_puts(&in, "\r\n{\"b\":2}");
	CHECK(write_file(path, in.data, in.len) == 0);

	r = pk_reader_open(path, 1000, &err);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_BAD_RECORD);
	CHECK_INT(line.len, 1000);
	CHECK_INT(line.lineno, 2);
	CHECK_INT(err.line, 2);
	CHECK_INT(pk_reader_drain(r, sink_fn, &s, &err), PK_OK);
	CHECK_INT(s.buf.len, big - 1000);
	for (ok = 1, i = 0; i < s.buf.len; i++)
		ok &= s.buf.data[i] == 'y';
	CHECK(ok);
	CHECK(s.calls > 1);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_MEM(line.data, line.len, "{\"b\":2}", 7);
	CHECK_INT(line.lineno, 3);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_EOF);
	pk_reader_close(r);

	/* skipped without drain */
	r = pk_reader_open(path, 1000, &err);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_BAD_RECORD);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(line.lineno, 3);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_EOF);
	pk_reader_close(r);

	/* a failing sink stops the drain; the reader still moves on */
	pk_buf_reset(&s.buf);
	s.calls = 0;
	s.fail_after = 2;
	r = pk_reader_open(path, 1000, &err);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_BAD_RECORD);
	CHECK_INT(pk_reader_drain(r, sink_fn, &s, &err), -7);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_MEM(line.data, line.len, "{\"b\":2}", 7);
	pk_reader_close(r);

	/* no bound: the whole line comes back */
	r = pk_reader_open(path, 0, &err);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(line.len, big);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_INT(line.lineno, 3);
	pk_reader_close(r);

	/* the long last line, without '\n', ending in '\r' that stays */
	pk_buf_reset(&in);
	for (i = 0; i < big; i++)
		pk_buf_putc(&in, 'z');
	pk_buf_putc(&in, '\r');
	CHECK(write_file(path, in.data, in.len) == 0);
	pk_buf_reset(&s.buf);
	s.fail_after = 0;
	r = pk_reader_open(path, 10, &err);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_BAD_RECORD);
	CHECK_INT(pk_reader_drain(r, sink_fn, &s, &err), PK_OK);
	CHECK_INT(s.buf.len, big + 1 - 10);
	CHECK(s.buf.len > 0 && s.buf.data[s.buf.len - 1] == '\r');
	CHECK_INT(pk_reader_next(r, &line, &err), PK_EOF);
	pk_reader_close(r);

	unlink(path);
	pk_buf_free(&in);
	pk_buf_free(&s.buf);
}

/* ---- compressed input ---- */

static void test_zstd(void)
{
	struct result res;

	CHECK(read_all(IO "a.jsonl.zst", 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 20);
	CHECK_STR(res.rec[0], "{\"id\":1,\"text\":\"record number 1 of file a\"}");
	CHECK_STR(res.rec[19], "{\"id\":20,\"text\":\"record number 20 of file a\"}");
	CHECK_INT(res.lineno[19], 20);
	CHECK_INT(res.seekable, 0);
	CHECK_INT(res.bytes_in, 136);
	result_free(&res);

	/* cat a.jsonl.zst b.jsonl.zst */
	CHECK(read_all(IO "concat.jsonl.zst", 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 30);
	CHECK_STR(res.rec[20], "{\"id\":21,\"text\":\"record number 21 of file b\"}");
	CHECK_INT(res.lineno[29], 30);
	CHECK_INT(res.bytes_in, 258);
	result_free(&res);

	/* a skippable frame ("hello") before a.jsonl.zst */
	CHECK(read_all(IO "skippable.jsonl.zst", 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 20);
	result_free(&res);

	/* nothing but a skippable frame: no records; cut short: truncated */
	CHECK(write_file(tmp_path("skip.zst"),
			 "\x50\x2a\x4d\x18\x02\x00\x00\x00hi", 10) == 0);
	CHECK(read_all(tmp_path("skip.zst"), 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 0);
	result_free(&res);
	CHECK(write_file(tmp_path("skip.zst"),
			 "\x50\x2a\x4d\x18\x02\x00\x00\x00h", 9) == 0);
	CHECK(read_all(tmp_path("skip.zst"), 0, &res) == 0);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_STR(res.err.text, "truncated zstd stream");
	result_free(&res);
	/* the magic number alone */
	CHECK(write_file(tmp_path("skip.zst"), "\x28\xb5\x2f\xfd", 4) == 0);
	CHECK(read_all(tmp_path("skip.zst"), 0, &res) == 0);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_STR(res.err.text, "truncated zstd stream");
	result_free(&res);
	unlink(tmp_path("skip.zst"));

	/* the first 100 of 136 bytes */
	CHECK(read_all(IO "truncated.jsonl.zst", 0, &res) == 0);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_INT(res.err.kind, PK_ERR_IO);
	CHECK_STR(res.err.text, "truncated zstd stream");
	CHECK_INT(res.again, PK_FATAL);
	CHECK(res.n < 20);
	result_free(&res);

	CHECK(read_all(IO "corrupt.jsonl.zst", 0, &res) == 0);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_INT(res.err.kind, PK_ERR_IO);
	CHECK(starts_with(res.err.text, "corrupt zstd stream: "));
	CHECK_INT(res.again, PK_FATAL);
	result_free(&res);
}

static void test_gzip(void)
{
	struct result res;

#ifdef HAVE_ZLIB
	CHECK(read_all(IO "a.jsonl.gz", 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 20);
	CHECK_STR(res.rec[19], "{\"id\":20,\"text\":\"record number 20 of file a\"}");
	CHECK_INT(res.seekable, 0);
	CHECK_INT(res.bytes_in, 163);
	result_free(&res);

	CHECK(read_all(IO "concat.jsonl.gz", 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 30);
	CHECK_STR(res.rec[29], "{\"id\":30,\"text\":\"record number 30 of file b\"}");
	result_free(&res);

	/* the first 100 of 163 bytes: records 1-6 come out before the end */
	CHECK(read_all(IO "truncated.jsonl.gz", 0, &res) == 0);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_INT(res.err.kind, PK_ERR_IO);
	CHECK_STR(res.err.text, "truncated gzip stream");
	CHECK_INT(res.n, 6);
	CHECK_INT(res.err.line, 7);
	CHECK_INT(res.again, PK_FATAL);
	result_free(&res);

	CHECK(read_all(IO "corrupt.jsonl.gz", 0, &res) == 0);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_INT(res.err.kind, PK_ERR_IO);
	CHECK(starts_with(res.err.text, "corrupt gzip stream"));
	result_free(&res);

	/* the magic number alone */
	CHECK(write_file(tmp_path("x.gz"), "\x1f\x8b", 2) == 0);
	CHECK(read_all(tmp_path("x.gz"), 0, &res) == 0);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_STR(res.err.text, "truncated gzip stream");
	result_free(&res);

	/* a member followed by something that is not one */
	{
		size_t n = 0;
		char *gz = pk_test_slurp(IO "a.jsonl.gz", &n), *more = malloc(n + 8);

		CHECK(gz != NULL && more != NULL && n == 163);
		if (gz && more) {
			memcpy(more, gz, n);
			memcpy(more + n, "{\"x\":1}\n", 8);
			CHECK(write_file(tmp_path("x.gz"), more, n + 8) == 0);
		}
		free(gz);
		free(more);
	}
	CHECK(read_all(tmp_path("x.gz"), 0, &res) == 0);
	CHECK_INT(res.n, 20);
	CHECK_INT(res.status, PK_FATAL);
	CHECK(starts_with(res.err.text, "corrupt gzip stream"));
	result_free(&res);
	unlink(tmp_path("x.gz"));
#else
	CHECK(read_all(IO "a.jsonl.gz", 0, &res) == -1);
	CHECK_INT(res.err.kind, PK_ERR_IO);
	CHECK_STR(res.err.text, "gzip input needs prefkit built with zlib "
				"(install zlib1g-dev and re-run configure)");
#endif
}

/* ---- JSON array files ---- */

static void test_array(void)
{
	struct result res;

	CHECK(read_all(IO "array.json", 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.again, PK_EOF);
	CHECK_INT(res.n, 5);
	CHECK_STR(res.rec[0], "{\n    \"prompt\": \"p1\",\n    \"chosen\": \"c1\"\n  }");
	CHECK_STR(res.rec[1], "{\"prompt\": \"p2\",\n   \"chosen\": \"c2\"}");
	CHECK_STR(res.rec[3], "\"not an object\"");
	CHECK_STR(res.rec[4], "42");
	CHECK_INT(res.lineno[0], 3);
	CHECK_INT(res.lineno[1], 7);
	CHECK_INT(res.lineno[2], 10);
	CHECK_INT(res.lineno[3], 12);
	CHECK_INT(res.lineno[4], 12);
	CHECK_INT(res.seekable, 1);
	result_free(&res);

	CHECK(read_all(IO "array.json.zst", 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 5);
	CHECK_INT(res.lineno[2], 10);
	CHECK_STR(res.rec[1], "{\"prompt\": \"p2\",\n   \"chosen\": \"c2\"}");
	result_free(&res);

	CHECK(read_all(IO "empty.json", 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.again, PK_EOF);
	CHECK_INT(res.n, 0);
	result_free(&res);

	CHECK(read_all(IO "bom_array.json", 0, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 1);
	CHECK_STR(res.rec[0], "{\"a\":1}");
	result_free(&res);

	/* a missing ',' on line 4 */
	CHECK(read_all(IO "broken.json", 0, &res) == 0);
	CHECK_INT(res.n, 2);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_INT(res.err.kind, PK_ERR_DATA);
	CHECK_STR(res.err.text, "invalid JSON array: expected ',' or ']'");
	CHECK_INT(res.err.line, 4);
	CHECK_INT(res.err.column, 3);
	CHECK_INT(res.again, PK_FATAL);
	result_free(&res);

	/* [{"a": 1}, {"a": x}]: the scanner's message, the 'x' located */
	CHECK(read_all(IO "badelem.json", 0, &res) == 0);
	CHECK_INT(res.n, 1);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_INT(res.err.kind, PK_ERR_DATA);
	CHECK(starts_with(res.err.text, "invalid JSON"));
	CHECK_INT(res.err.line, 1);
	CHECK_INT(res.err.column, 18);
	result_free(&res);

	CHECK(read_all(IO "trailing.json", 0, &res) == 0);
	CHECK_INT(res.n, 1);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_STR(res.err.text, "invalid JSON array: unexpected data after the array");
	CHECK_INT(res.err.line, 1);
	CHECK_INT(res.err.column, 11);
	result_free(&res);

	CHECK(read_all(IO "unclosed.json", 0, &res) == 0);
	CHECK_INT(res.n, 1);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_STR(res.err.text, "invalid JSON array: unexpected end of input");
	CHECK_INT(res.err.line, 2);
	CHECK_INT(res.err.column, 1);
	result_free(&res);

	CHECK(read_all(IO "trailcomma.json", 0, &res) == 0);
	CHECK_INT(res.n, 1);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_STR(res.err.text, "invalid JSON array: expected a value after ','");
	CHECK_INT(res.err.column, 10);
	result_free(&res);
}

static void test_array_long(void)
{
	struct sink s = {PK_BUF_INIT, 0, 0};
	struct pk_reader *r;
	struct pk_line line;
	struct pk_error err;

	/* element 1 is 44 bytes: too long for 10 */
	r = pk_reader_open(IO "array.json", 10, &err);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_BAD_RECORD);
	CHECK_STR(err.text, "line too long (more than 10 bytes)");
	CHECK_INT(err.line, 3);
	CHECK_MEM(line.data, line.len, "{\n    \"pro", 10);
	CHECK_INT(pk_reader_drain(r, sink_fn, &s, &err), PK_OK);
	CHECK_MEM(s.buf.data, s.buf.len,
		  "mpt\": \"p1\",\n    \"chosen\": \"c1\"\n  }", 34);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_BAD_RECORD);
	CHECK_INT(line.lineno, 7);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_BAD_RECORD);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_BAD_RECORD);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_OK);
	CHECK_MEM(line.data, line.len, "42", 2);
	CHECK_INT(pk_reader_next(r, &line, &err), PK_EOF);
	pk_reader_close(r);
	pk_buf_free(&s.buf);
}

/* ---- pipes ---- */

/* Write the chunks to the write end of a pipe, pausing between them so
 * that the reader sees short reads, then exit. */
static pid_t spawn_writer(int fd_out, const char *data, size_t len,
			  const size_t *cuts, int ncuts)
{
	pid_t pid = fork();

	if (pid == 0) {
		size_t off = 0;
		int i;

		for (i = 0; i <= ncuts; i++) {
			size_t to = i < ncuts ? cuts[i] : len;

			while (off < to) {
				ssize_t k = write(fd_out, data + off, to - off);

				if (k < 0 && errno == EINTR)
					continue;
				if (k <= 0)
					_exit(1);
				off += (size_t)k;
			}
			if (i < ncuts) {
				struct timespec ts = {0, 20 * 1000 * 1000};

				nanosleep(&ts, NULL);
			}
		}
		_exit(0);
	}
	return pid;
}

/* Read standard input (a pipe fed in pieces) as pk_reader_open(NULL). */
static void read_pipe(const char *data, size_t len, const size_t *cuts,
		      int ncuts, size_t max_line, struct result *res,
		      struct sink *s)
{
	struct pk_reader *r;
	struct pk_line line;
	int fds[2], saved, status = -1;
	pid_t pid;

	memset(res, 0, sizeof *res);
	saved = dup(0);
	if (saved < 0 || pipe(fds) < 0) {
		res->status = -100;
		return;
	}
	pid = spawn_writer(fds[1], data, len, cuts, ncuts);
	close(fds[1]);
	dup2(fds[0], 0);
	close(fds[0]);
	r = pk_reader_open(NULL, max_line, &res->err);
	if (r) {
		CHECK_STR(pk_reader_name(r), "-");
		for (;;) {
			res->status = pk_reader_next(r, &line, &res->err);
			if (res->status == PK_BAD_RECORD && s) {
				pk_buf_append(&s->buf, line.data, line.len);
				pk_reader_drain(r, sink_fn, s, &res->err);
				pk_buf_putc(&s->buf, '\n');
				continue;
			}
			if (res->status != PK_OK)
				break;
			if (res->n < MAXREC) {
				res->rec[res->n] = dup_mem(line.data, line.len);
				res->lineno[res->n] = line.lineno;
			}
			res->n++;
		}
		res->seekable = pk_reader_seekable(r);
		res->bytes_in = pk_reader_bytes_in(r);
		pk_reader_close(r);
	}
	dup2(saved, 0);
	close(saved);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_pipe(void)
{
	static const size_t cuts1[] = {1, 2, 3, 5};
	static const size_t cuts2[] = {2, 9};
	struct sink s = {PK_BUF_INIT, 0, 0};
	struct result res;
	char *zst;
	size_t len;

	/* zstd magic handed out a byte at a time */
	zst = pk_test_slurp(IO "concat.jsonl.zst", &len);
	CHECK(zst != NULL && len == 258);
	read_pipe(zst, len, cuts1, 4, 0, &res, NULL);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 30);
	CHECK_STR(res.rec[29], "{\"id\":30,\"text\":\"record number 30 of file b\"}");
	CHECK_INT(res.seekable, 0);
	CHECK_INT(res.bytes_in, 258);
	result_free(&res);
	free(zst);

	/* plain text whose first read is 2 bytes */
	read_pipe("{\"a\":1}\n{\"a\":2}\n", 16, cuts2, 2, 0, &res, NULL);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 2);
	CHECK_STR(res.rec[1], "{\"a\":2}");
	CHECK_INT(res.seekable, 0);
	result_free(&res);

#ifdef HAVE_ZLIB
	zst = pk_test_slurp(IO "concat.jsonl.gz", &len);
	read_pipe(zst, len, cuts1, 4, 0, &res, NULL);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 30);
	result_free(&res);
	free(zst);
#endif

	/* a long line whose CRLF is split across two writes: the '\r' is
	 * held back by drain and then dropped with the '\n' */
	{
		char data[64];
		size_t cut[1];

		memcpy(data, "abcdefghijklmnopqrstuvwxyz\r\n{}\n", 31);
		cut[0] = 27;
		read_pipe(data, 31, cut, 1, 5, &res, &s);
		CHECK_INT(res.status, PK_EOF);
		CHECK_INT(res.n, 1);
		CHECK_STR(res.rec[0], "{}");
		CHECK_INT(res.lineno[0], 2);
		CHECK_MEM(s.buf.data, s.buf.len,
			  "abcdefghijklmnopqrstuvwxyz\n", 27);
		result_free(&res);
	}
	pk_buf_free(&s.buf);
}

/* ---- lines across buffer boundaries ---- */

static size_t gen_line(char *out, unsigned i)
{
	/* lengths from 0 to a few KB, some blank, some CRLF */
	unsigned len = (i * 2654435761u >> 7) % (i % 97 == 0 ? 70000 : 900);
	size_t n = 0;
	unsigned k;

	if (i % 53 == 0)
		len = 0;
	n += (size_t)sprintf(out, "{\"i\":%u,\"p\":\"", i);
	for (k = 0; k < len; k++)
		out[n++] = (char)('a' + (i + k) % 26);
	out[n++] = '"';
	out[n++] = '}';
	return n;
}

static void test_boundaries(void)
{
	enum { N = 20000 };
	static char line[80000];
	struct pk_buf in = PK_BUF_INIT;
	const char *path = tmp_path("many.jsonl");
	const char *zpath = tmp_path("many.jsonl.zst");
	struct pk_reader *r;
	struct pk_line l;
	struct pk_error err;
	unsigned i, lineno, bad;
	int pass;
	char *z;
	size_t zn;

	for (i = 0; i < N; i++) {
		size_t n = gen_line(line, i);

		pk_buf_append(&in, line, n);
		if (i % 7 == 0)
			pk_buf_putc(&in, '\r');
		pk_buf_putc(&in, '\n');
		if (i % 11 == 0)
			pk_buf_puts(&in, " \t\n");
	}
	CHECK(write_file(path, in.data, in.len) == 0);
	zn = ZSTD_compressBound(in.len);
	z = malloc(zn);
	zn = ZSTD_compress(z, zn, in.data, in.len, 1);
	CHECK(!ZSTD_isError(zn));
	CHECK(write_file(zpath, z, zn) == 0);
	free(z);

	for (pass = 0; pass < 2; pass++) {
		r = pk_reader_open(pass ? zpath : path, 0, &err);
		CHECK(r != NULL);
		lineno = 0;
		bad = 0;
		for (i = 0; i < N; i++) {
			size_t n = gen_line(line, i);

			lineno++;
			if (pk_reader_next(r, &l, &err) != PK_OK ||
			    l.len != n || memcmp(l.data, line, n) != 0 ||
			    l.lineno != lineno) {
				bad++;
				break;
			}
			if (i % 11 == 0)
				lineno++;
		}
		CHECK_INT(bad, 0);
		CHECK_INT(pk_reader_next(r, &l, &err), PK_EOF);
		CHECK_INT(pk_reader_blank_lines(r), (N + 10) / 11);
		if (pass == 0)
			CHECK_INT(pk_reader_bytes_in(r), in.len);
		pk_reader_close(r);
	}
	unlink(path);
	unlink(zpath);
	pk_buf_free(&in);
}

/* ---- real datasets, when present ---- */

static void skip(int n, const char *why)
{
	while (n-- > 0) {
		pk_test_n++;
		printf("ok %d # SKIP %s\n", pk_test_n, why);
	}
}

static void test_real(void)
{
#ifdef HAVE_ZLIB
	/* anthropics/hh-rlhf harmless-base/test.jsonl.gz (tests/data/SOURCES.md) */
	static const char hh[] = TESTDATA "/convert/hh_harmless_test.jsonl.gz";
#endif
	/* hiyouga/LLaMA-Factory data/dpo_en_demo.json (tests/data/SOURCES.md) */
	static const char dpo[] = TESTDATA "/convert/dpo_en_demo.json";
	struct result res;

#ifdef HAVE_ZLIB
	if (access(hh, R_OK) == 0) {
		CHECK(read_all(hh, 0, &res) == 0);
		CHECK_INT(res.status, PK_EOF);
		CHECK_INT(res.n, 2312);
		CHECK(res.n > 0 && starts_with(res.rec[0], "{\"chosen\": "));
		result_free(&res);
	} else {
		skip(3, "hh-rlhf harmless-base/test.jsonl.gz not found");
	}
#else
	skip(3, "built without zlib");
#endif
	if (access(dpo, R_OK) == 0) {
		CHECK(read_all(dpo, 0, &res) == 0);
		CHECK_INT(res.status, PK_EOF);
		CHECK_INT(res.n, 300);
		CHECK(res.n > 0 && res.rec[0][0] == '{');
		CHECK_INT(res.lineno[0], 2);
		result_free(&res);
	} else {
		skip(5, "LLaMA-Factory dpo_en_demo.json not found");
	}
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/pk_test_reader.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_plain();
	test_small_inputs();
	test_open_errors();
	test_long_line();
	test_long_line_stream();
	test_zstd();
	test_gzip();
	test_array();
	test_array_long();
	test_pipe();
	test_boundaries();
	test_real();
	unlink(tmp_path("small"));
	rmdir(tmpdir);
	return pk_test_done();
}
