/* SPDX-License-Identifier: MIT */
/*
 * test_reader.c - struct pk_reader over the fixtures in tests/data/io
 * (plain, CRLF, BOM, blank lines, long lines, zstd, gzip, JSON arrays,
 * truncated and corrupt streams), over pipes, and over generated inputs
 * whose lines cross the reader's buffer boundaries; all of it twice, read
 * with read(2) and memory-mapped (pk_input_map_mode), and the edges of the
 * mapped path against the read one: a last line that ends where the
 * mapping ends (at a page boundary, followed by the guard page: a read
 * past it faults), with and without its newline, CRLF, blank lines, lines
 * over max_line, standard input mapped from its offset, memory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>
#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

#include "pk_private.h"
#include "scan_simd.h"
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

/* ---- JSON arrays, streamed ---- */

/* Element i of the generated arrays: strings holding ] [ , { } and
 * escapes, nested arrays, some spread over lines, lengths up to ~200 KB
 * (so that some cross every buffer refill). */
static void gen_elem(struct pk_buf *b, unsigned i)
{
	static const char *const piece[] = {
		"a", "]", "[", ",", "{", "}", "\\\"", "\\\\", ":", " ", "],[",
	};
	unsigned len = (i * 2654435761u >> 9) % (i % 61 == 0 ? 50000 : 300);
	unsigned k;
	char num[32];

	if (i % 7 == 3) {
		snprintf(num, sizeof num, "%u", i);  /* a scalar element */
		pk_buf_puts(b, num);
		return;
	}
	snprintf(num, sizeof num, "%u", i);
	pk_buf_puts(b, i % 5 == 0 ? "{\n    \"i\": " : "{\"i\":");
	pk_buf_puts(b, num);
	pk_buf_puts(b, ",\"s\":\"");
	for (k = 0; k < len; k++)
		pk_buf_puts(b, piece[(i + k * 7) % 11]);
	pk_buf_puts(b, "\",\"n\":[[1,[\"]\"]],{\"c\":\"[\"},[]]");
	pk_buf_puts(b, i % 5 == 0 ? "\n  }" : "}");
}

struct gen_array {
	struct pk_buf text;
	unsigned n;
	size_t *off, *len;
	unsigned long long *line;
};

/* n elements, with blank space and newlines of several shapes between. */
static void gen_array(struct gen_array *g, unsigned n)
{
	static const char *const sep[] = {",", ",\n  ", " ,\n\n\t", "\r\n,"};
	unsigned long long line = 1;
	size_t scanned = 0;
	unsigned i;

	memset(g, 0, sizeof *g);
	g->n = n;
	g->off = calloc(n, sizeof *g->off);
	g->len = calloc(n, sizeof *g->len);
	g->line = calloc(n, sizeof *g->line);
	pk_buf_puts(&g->text, "\n [\n  ");
	for (i = 0; i < n; i++) {
		if (i)
			pk_buf_puts(&g->text, sep[i % 4]);
		while (scanned < g->text.len)
			line += g->text.data[scanned++] == '\n';
		g->off[i] = g->text.len;
		g->line[i] = line;
		gen_elem(&g->text, i);
		g->len[i] = g->text.len - g->off[i];
	}
	pk_buf_puts(&g->text, "\n]\n \n");
}

static void gen_array_free(struct gen_array *g)
{
	pk_buf_free(&g->text);
	free(g->off);
	free(g->len);
	free(g->line);
}

/* Read path with max_line: every element as generated, the long ones as
 * a bad record whose head and drained rest make the element. */
static void check_gen_array(const struct gen_array *g, const char *path,
			    size_t max_line)
{
	struct sink s = {PK_BUF_INIT, 0, 0};
	struct pk_reader *r;
	struct pk_line l;
	struct pk_error err;
	unsigned i, bad = 0, nlong = 0;
	int rc;

	r = pk_reader_open(path, max_line, &err);
	CHECK(r != NULL);
	if (!r)
		return;
	for (i = 0; i < g->n && !bad; i++) {
		const char *want = g->text.data + g->off[i];
		size_t n = g->len[i];

		rc = pk_reader_next(r, &l, &err);
		if (max_line && n > max_line) {
			pk_buf_reset(&s.buf);
			nlong++;
			if (rc != PK_BAD_RECORD || l.len != max_line ||
			    l.lineno != g->line[i] ||
			    pk_buf_append(&s.buf, l.data, l.len) < 0 ||
			    pk_reader_drain(r, sink_fn, &s, &err) != PK_OK ||
			    s.buf.len != n || memcmp(s.buf.data, want, n) != 0)
				bad = i + 1;
		} else if (rc != PK_OK || l.len != n ||
			   memcmp(l.data, want, n) != 0 ||
			   l.lineno != g->line[i]) {
			bad = i + 1;
		}
	}
	CHECK_INT(bad, 0);
	CHECK(!max_line || nlong > 10);
	CHECK_INT(pk_reader_next(r, &l, &err), PK_EOF);
	CHECK_INT(pk_reader_next(r, &l, &err), PK_EOF);
	CHECK_INT(pk_reader_is_array(r), 1);
	pk_reader_close(r);
	pk_buf_free(&s.buf);
}

static void test_array_stream(void)
{
	struct gen_array g;
	const char *path = tmp_path("big.json");
	const char *zpath = tmp_path("big.json.zst");
	char *z;
	size_t zn;

	gen_array(&g, 6000);
	CHECK(g.text.len > 3 * 1024 * 1024);
	CHECK(write_file(path, g.text.data, g.text.len) == 0);
	check_gen_array(&g, path, 0);
	check_gen_array(&g, path, 1000);
	check_gen_array(&g, path, 40000);

	zn = ZSTD_compressBound(g.text.len);
	z = malloc(zn);
	zn = ZSTD_compress(z, zn, g.text.data, g.text.len, 1);
	CHECK(!ZSTD_isError(zn));
	CHECK(write_file(zpath, z, zn) == 0);
	free(z);
	check_gen_array(&g, zpath, 0);
	check_gen_array(&g, zpath, 1000);
#ifdef HAVE_ZLIB
	{
		const char *gzpath = tmp_path("big.json.gz");
		gzFile gz = gzopen(gzpath, "wb1");

		CHECK(gz != NULL);
		CHECK(gzwrite(gz, g.text.data, (unsigned)g.text.len) ==
		      (int)g.text.len);
		CHECK(gzclose(gz) == Z_OK);
		check_gen_array(&g, gzpath, 0);
		check_gen_array(&g, gzpath, 1000);
		unlink(gzpath);
	}
#else
	skip(2 * 5, "built without zlib");
#endif
	unlink(path);
	unlink(zpath);
	gen_array_free(&g);
}

/* Read the text from a pipe that delivers it one byte at a time. */
static void read_bytewise(const char *text, size_t max_line,
			  struct result *res, struct sink *s)
{
	size_t n = strlen(text), cuts[256], i;

	for (i = 0; i + 1 < n && i < 256; i++)
		cuts[i] = i + 1;
	read_pipe(text, n, cuts, (int)i, max_line, res, s);
}

static void test_array_edges(void)
{
	/* ] [ , { } and escapes inside strings, nested arrays */
	static const char nested[] =
		"[{\"a\":\"],[{\\\"}\\\\\",\"b\":[[1,[2]],{\"c\":\"]\"}]},"
		"\"x]\\\"\",[[\"[\"]],\n{\"d\":[]}]";
	struct sink s = {PK_BUF_INIT, 0, 0};
	struct result res;
	const char *path = tmp_path("edge.json");
	char *text;
	size_t i;

	read_bytewise(nested, 0, &res, NULL);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 4);
	CHECK_STR(res.rec[0],
		  "{\"a\":\"],[{\\\"}\\\\\",\"b\":[[1,[2]],{\"c\":\"]\"}]}");
	CHECK_STR(res.rec[1], "\"x]\\\"\"");
	CHECK_STR(res.rec[2], "[[\"[\"]]");
	CHECK_STR(res.rec[3], "{\"d\":[]}");
	CHECK_INT(res.lineno[3], 2);
	result_free(&res);

	/* the same with --max-line 3: only the structure finds the ends */
	read_bytewise(nested, 3, &res, &s);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 0);
	CHECK_STR(s.buf.data,
		  "{\"a\":\"],[{\\\"}\\\\\",\"b\":[[1,[2]],{\"c\":\"]\"}]}\n"
		  "\"x]\\\"\"\n[[\"[\"]]\n{\"d\":[]}\n");
	result_free(&res);
	pk_buf_free(&s.buf);

	/* empty arrays */
	read_bytewise("[]", 0, &res, NULL);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 0);
	result_free(&res);
	read_bytewise(" \n[ \n\t]\n\n", 3, &res, NULL);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 0);
	result_free(&res);

	/* trailing garbage after ']' */
	read_bytewise("[{\"a\":1}, 2 ]\n x", 0, &res, NULL);
	CHECK_INT(res.n, 2);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_STR(res.err.text,
		  "invalid JSON array: unexpected data after the array");
	CHECK_INT(res.err.line, 2);
	CHECK_INT(res.err.column, 2);
	result_free(&res);
	read_bytewise("[1]]", 0, &res, NULL);
	CHECK_INT(res.n, 1);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_INT(res.err.column, 4);
	result_free(&res);

	/* malformed mid-way: the elements before the error come out first */
	read_bytewise("[{\"a\":1},\n{\"a\":2},\n{\"a\":3 4},{\"a\":5}]", 0,
		      &res, NULL);
	CHECK_INT(res.n, 2);
	CHECK_STR(res.rec[1], "{\"a\":2}");
	CHECK_INT(res.status, PK_FATAL);
	CHECK_STR(res.err.text, "invalid JSON: unexpected character '4'");
	CHECK_INT(res.err.line, 3);
	CHECK_INT(res.err.column, 8);
	result_free(&res);
	read_bytewise("[1,2 3]", 0, &res, NULL);
	CHECK_INT(res.n, 2);
	CHECK_STR(res.err.text, "invalid JSON array: expected ',' or ']'");
	CHECK_INT(res.err.column, 6);
	result_free(&res);
	read_bytewise("[1,2,", 0, &res, NULL);
	CHECK_INT(res.n, 2);
	CHECK_STR(res.err.text, "invalid JSON array: unexpected end of input");
	CHECK_INT(res.err.column, 6);
	result_free(&res);

	/* an element longer than max_line that is not closed, or whose
	 * brackets do not match: the head is a bad record, then the error */
	read_bytewise("[{\"a\":1},\n {\"b\":\"xyz\"", 4, &res, &s);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_STR(res.err.text, "invalid JSON array: unexpected end of input");
	CHECK_INT(res.err.line, 2);
	CHECK_INT(res.err.column, 12);
	result_free(&res);
	pk_buf_free(&s.buf);
	read_bytewise("[{\"b\":[1,2}]", 4, &res, &s);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_STR(res.err.text, "invalid JSON: unexpected character '}'");
	CHECK_INT(res.err.column, 11);
	result_free(&res);
	pk_buf_free(&s.buf);

	/* nesting deeper than PK_MAX_DEPTH in an element too long to be
	 * scanned */
	text = malloc(2 * PK_MAX_DEPTH + 8);
	text[0] = '[';
	for (i = 1; i <= PK_MAX_DEPTH + 1; i++)
		text[i] = '[';
	for (; i <= 2 * PK_MAX_DEPTH + 2; i++)
		text[i] = ']';
	text[i++] = ']';
	CHECK(write_file(path, text, i) == 0);
	{
		/* the first 200 bytes alone: the element is too long before
		 * it is too deep */
		size_t cut[1] = {200};

		read_pipe(text, i, cut, 1, 100, &res, &s);
		CHECK_INT(res.status, PK_FATAL);
		CHECK_STR(res.err.text, "invalid JSON: maximum nesting depth "
					"exceeded (2048)");
		CHECK_INT(res.err.column, PK_MAX_DEPTH + 2);
		result_free(&res);
		pk_buf_free(&s.buf);
	}
	free(text);
	/* all read at once, or within max_line: the scanner says so */
	CHECK(read_all(path, 100, &res) == 0);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_STR(res.err.text, "invalid JSON: maximum nesting depth "
				"exceeded (2048)");
	CHECK_INT(res.err.column, PK_MAX_DEPTH + 2);
	result_free(&res);
	CHECK(read_all(path, 0, &res) == 0);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_INT(res.err.column, PK_MAX_DEPTH + 2);
	result_free(&res);
	unlink(path);
}

/* The blank space between elements is bounded by max_line: the bytes
 * past it are an error, not buffered. */
static void test_array_blank(void)
{
	const char *path = tmp_path("blank.json");
	struct pk_buf b = PK_BUF_INIT;
	struct result res;
	size_t i;

	/* 1000 blank bytes and the ',' between elements: within 1001 */
	pk_buf_puts(&b, "[1");
	for (i = 0; i < 500; i++)
		pk_buf_puts(&b, i == 250 ? "," : " ");
	for (i = 0; i < 500; i++)
		pk_buf_puts(&b, i % 100 == 0 ? "\n" : "\t");
	pk_buf_puts(&b, "2]");
	CHECK(write_file(path, b.data, b.len) == 0);
	CHECK(read_all(path, 1000, &res) == 0);
	CHECK_INT(res.status, PK_EOF);
	CHECK_INT(res.n, 2);
	CHECK_INT(res.lineno[1], 6);
	result_free(&res);
	CHECK(read_all(path, 999, &res) == 0);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_INT(res.n, 1);
	CHECK_STR(res.err.text, "invalid JSON array: blank space too long "
				"(more than 999 bytes)");
	CHECK_INT(res.err.line, 6);
	CHECK_INT(res.err.column, 99);
	result_free(&res);

	/* '[' and 3 MiB of spaces: stops at max_line + 1 */
	pk_buf_reset(&b);
	pk_buf_putc(&b, '[');
	for (i = 0; i < 3u << 20; i++)
		pk_buf_putc(&b, ' ');
	CHECK(write_file(path, b.data, b.len) == 0);
	CHECK(read_all(path, 1u << 20, &res) == 0);
	CHECK_INT(res.status, PK_FATAL);
	CHECK_INT(res.n, 0);
	CHECK_INT(res.err.line, 1);
	CHECK_INT(res.err.column, (1u << 20) + 2);
	result_free(&res);
	/* without a bound, the end of input is found all the same */
	CHECK(read_all(path, 0, &res) == 0);
	CHECK_STR(res.err.text, "invalid JSON array: unexpected end of input");
	CHECK_INT(res.err.column, (3u << 20) + 2);
	result_free(&res);
	unlink(path);
	pk_buf_free(&b);
}

/* Memory stays bounded however large the array: a 64 MiB array read in a
 * child process, whose peak resident set is then measured.  First in
 * main(), while this process is still small (the child starts as a copy). */
static void test_array_memory(void)
{
#if defined(__SANITIZE_ADDRESS__)
	skip(2, "peak memory is not the program's under ASan");
#else
	const char *path = tmp_path("huge.json");
	FILE *fp = fopen(path, "wb");
	char elem[1600];
	struct rusage ru;
	int status = -1;
	unsigned i, n = 0;
	pid_t pid;

	CHECK(fp != NULL);
	if (!fp)
		return;
	n += (unsigned)snprintf(elem, sizeof elem, "{\"a\":\"");
	memset(elem + n, 'x', 1000);
	n += 1000;
	memcpy(elem + n, "\"},", 3);
	n += 3;
	memset(elem + n, ' ', 500);
	elem[n + 250] = '\n';
	n += 500;
	fputc('[', fp);
	for (i = 0; i < (64u << 20) / n; i++)
		fwrite(elem, 1, n, fp);
	fputs("{}]\n", fp);
	CHECK(fclose(fp) == 0);
	pid = fork();
	if (pid == 0) {
		struct pk_error err;
		struct pk_line l;
		struct pk_reader *r = pk_reader_open(path, 1u << 20, &err);
		unsigned long long k = 0;
		int rc;

		while (r && (rc = pk_reader_next(r, &l, &err)) == PK_OK)
			k++;
		_exit(r && rc == PK_EOF && k == i + 1 ? 0 : 1);
	}
	CHECK(pid > 0 && wait4(pid, &status, 0, &ru) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* KiB: a few MiB of program and buffers, not the 64 MiB file */
	CHECK(ru.ru_maxrss < 24 * 1024);
	if (ru.ru_maxrss >= 24 * 1024)
		printf("# peak resident set %ld KiB\n", ru.ru_maxrss);
	unlink(path);
#endif
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


/* ---- the mapped path against the read one ---- */

struct trace {
	struct pk_buf b;            /* every call's status, line and more */
	int mapped;
};

/* Everything the reader says about path (statuses, lines and their
 * numbers, errors, drained rests, blank lines, bytes) in t->b, read with
 * map mode mode; each good line is scanned on every scanner path too. */
static void trace_read(const char *path, size_t max_line, int mode,
		       struct trace *t)
{
	struct pk_reader *r;
	struct pk_line l;
	struct pk_error err;
	struct sink s = {PK_BUF_INIT, 0, 0};
	int rc, k, p;

	memset(t, 0, sizeof *t);
	pk_input_map_mode(mode);
	r = pk_reader_open(path, max_line, &err);
	pk_input_map_mode(0);
	if (!r) {
		pk_buf_printf(&t->b, "open: %s\n", err.text);
		return;
	}
	t->mapped = pk_reader_mapped(r);
	for (k = 0; k < 100000; k++) {
		pk_error_clear(&err);
		rc = pk_reader_next(r, &l, &err);
		pk_buf_printf(&t->b, "%d", rc);
		if (rc == PK_OK || rc == PK_BAD_RECORD) {
			pk_buf_printf(&t->b, " %llu [", l.lineno);
			pk_buf_append(&t->b, l.data, l.len);
			pk_buf_puts(&t->b, "]");
		}
		if (rc == PK_OK) {
			struct pk_record rec = {0};
			struct pk_error e2;

			for (p = 0; p < PK_SCAN_PATHS; p++) {
				if (!pk_scan_path_supported((enum pk_scan_path)p))
					continue;
				pk_scan_set_path((enum pk_scan_path)p);
				pk_error_clear(&e2);
				pk_buf_printf(&t->b, " scan%d %d %lu", p,
					      pk_scan_record(&rec, l.data, l.len,
							     &e2), e2.column);
			}
			pk_record_free(&rec);
		}
		if (rc != PK_OK)
			pk_buf_printf(&t->b, " %s %llu %lu", err.text, err.line,
				      err.column);
		if (rc == PK_BAD_RECORD) {
			s.buf.len = 0;
			pk_buf_printf(&t->b, " drain %d [",
				      pk_reader_drain(r, sink_fn, &s, &err));
			pk_buf_append(&t->b, s.buf.data, s.buf.len);
			pk_buf_puts(&t->b, "]");
		}
		pk_buf_putc(&t->b, '\n');
		if (rc == PK_EOF || rc == PK_FATAL)
			break;
	}
	pk_buf_printf(&t->b, "blank %llu bytes %llu\n",
		      pk_reader_blank_lines(r), pk_reader_bytes_in(r));
	pk_reader_close(r);
	pk_buf_free(&s.buf);
}

/* The file text[0..n): mapped (mode 2) as read; 0 when they agree. */
static int same_mapped(const char *name, const char *text, size_t n,
		       size_t max_line, int want_mapped)
{
	const char *path = tmp_path(name);
	struct trace a, b;
	int ok;

	if (write_file(path, text, n) != 0)
		return -1;
	trace_read(path, max_line, 0, &a);
	trace_read(path, max_line, 2, &b);
	ok = a.b.len == b.b.len && memcmp(a.b.data, b.b.data, a.b.len) == 0 &&
	     !a.mapped && b.mapped == want_mapped;
	if (!ok)
		printf("# %s: read:\n# %.*s\n# mapped (%d):\n# %.*s\n", name,
		       (int)(a.b.len > 2000 ? 2000 : a.b.len), a.b.data,
		       b.mapped, (int)(b.b.len > 2000 ? 2000 : b.b.len),
		       b.b.data);
	pk_buf_free(&a.b);
	pk_buf_free(&b.b);
	unlink(path);
	return ok ? 0 : -1;
}

/* n bytes of lines {"k":"xx..."} ending with end (the last line's tail,
 * its line end or none), so that the file ends exactly at byte n. */
static char *fill_to(size_t n, const char *end, unsigned seed)
{
	char *t = malloc(n + 1);
	size_t pos = 0, tail = strlen(end);

	while (pos + tail < n) {
		size_t len = 12 + (seed = seed * 1103515245u + 12345u) % 300;
		size_t room = n - tail - pos, k;

		if (len > room)
			len = room;
		if (len < 12) {
			memset(t + pos, ' ', len); /* a blank line's room */
			pos += len;
			break;
		}
		memcpy(t + pos, "{\"k\":\"", 6);
		for (k = 6; k < len - 3; k++)
			t[pos + k] = (char)('a' + (seed + k) % 26);
		memcpy(t + pos + len - 3, "\"}\n", 3);
		pos += len;
	}
	memcpy(t + pos, end, tail);
	t[n] = '\0';
	return t;
}

static void test_mapped_edges(void)
{
	static const char *const ends[] = {
		"{\"last\":\"at the end\"}",        /* no newline */
		"{\"last\":\"at the end\"}\n",
		"{\"last\":\"at the end\"}\r\n",
		"{\"last\":\"at the end\"}\r",      /* a lone CR at the end */
		"{\"last\":\"unterminated",          /* bad, cut in a string */
		"{\"last\":\"\\u00e9\\",             /* bad: ends in an escape */
		"{\"last\":12345",                   /* bad: ends in a number */
		"\n\n  \t\n",                        /* blank lines */
		"[1,2]",                             /* not an object */
	};
	long pg = sysconf(_SC_PAGESIZE);
	size_t sizes[3], i, k;
	char name[64];

	sizes[0] = (size_t)pg;
	sizes[1] = 2 * (size_t)pg;
	sizes[2] = 16 * (size_t)pg;
	for (k = 0; k < 3; k++)
		for (i = 0; i < sizeof ends / sizeof ends[0]; i++) {
			char *t = fill_to(sizes[k], ends[i], (unsigned)(i + k));

			snprintf(name, sizeof name, "page-%zu-%zu", k, i);
			CHECK(strlen(t) == sizes[k] &&
			      same_mapped(name, t, sizes[k], 0, 1) == 0);
			/* lines over max_line, the last one too */
			CHECK(same_mapped(name, t, sizes[k], 20, 1) == 0);
			free(t);
		}
	/* one line over max_line that ends where the file does */
	{
		size_t n = 3 * (size_t)pg;
		char *t = malloc(n);

		memset(t, 'y', n);
		memcpy(t, "{\"a\":\"", 6);
		CHECK(same_mapped("long-end", t, n, 100, 1) == 0);
		CHECK(same_mapped("long-end", t, n, n - 2, 1) == 0);
		t[n - 1] = '\n';
		CHECK(same_mapped("long-end-nl", t, n, 100, 1) == 0);
		t[n - 2] = '\r';
		CHECK(same_mapped("long-end-crlf", t, n, n - 2, 1) == 0);
		free(t);
	}
	/* an empty file is not mapped; a BOM and blank lines only */
	CHECK(same_mapped("empty", "", 0, 0, 0) == 0);
	CHECK(same_mapped("bom", "\xEF\xBB\xBF", 3, 0, 1) == 0);
	CHECK(same_mapped("blank", " \n\r\n\t", 5, 0, 1) == 0);
	CHECK(same_mapped("one", "{}", 2, 0, 1) == 0);
	/* a JSON array file, ending at a page boundary */
	{
		size_t n = 2 * (size_t)pg;
		char *t = malloc(n);

		memset(t, ' ', n);
		memcpy(t, "[{\"a\":1},\n{\"b\":\"", 16);
		memcpy(t + n - 4, "\"}\n]", 4);
		CHECK(same_mapped("array-end", t, n, 0, 1) == 0);
		CHECK(same_mapped("array-end", t, n, 64, 1) == 0);
		t[n - 1] = ' ';
		CHECK(same_mapped("array-cut", t, n, 0, 1) == 0);
		free(t);
	}
	/* a compressed file is read, not mapped */
	{
		static const char text[] = "{\"a\":1}\n{\"a\":2}\n";
		size_t zn = ZSTD_compressBound(sizeof text - 1);
		char *z = malloc(zn);

		zn = ZSTD_compress(z, zn, text, sizeof text - 1, 1);
		CHECK(!ZSTD_isError(zn) &&
		      same_mapped("small.zst", z, zn, 0, 0) == 0);
		free(z);
	}
	/* mode 1 maps from 64 KiB on only */
	{
		char *t = fill_to(64 << 10, "\n", 7);
		const char *path = tmp_path("mode1");
		struct trace a;

		CHECK(write_file(path, t, (64 << 10) - 1) == 0);
		trace_read(path, 0, 1, &a);
		CHECK(!a.mapped);
		pk_buf_free(&a.b);
		CHECK(write_file(path, t, 64 << 10) == 0);
		trace_read(path, 0, 1, &a);
		CHECK(a.mapped);
		pk_buf_free(&a.b);
		unlink(path);
		free(t);
	}
	pk_scan_set_path(pk_scan_path());
}

/* Standard input that is a regular file is mapped from where its offset
 * is, and left at the end as read(2) would leave it. */
static void test_mapped_stdin(void)
{
	const char *path = tmp_path("stdin.jsonl");
	char *t = fill_to(100000, "{\"z\":1}\n", 3);
	int status = -1;
	pid_t pid;

	CHECK(write_file(path, t, 100000) == 0);
	pid = fork();
	if (pid == 0) {
		int fd = open(path, O_RDONLY);
		const char *first = strchr(t + 5000, '\n') + 1;
		struct pk_reader *r;
		struct pk_error err;
		struct pk_line l;
		int ok;

		if (fd < 0 || dup2(fd, 0) != 0 ||
		    lseek(0, first - t, SEEK_SET) != first - t)
			_exit(3);
		pk_input_map_mode(2);
		r = pk_reader_open(NULL, 0, &err);
		ok = r && pk_reader_mapped(r) &&
		     pk_reader_next(r, &l, &err) == PK_OK && l.lineno == 1 &&
		     l.data[0] == '{' &&
		     memcmp(l.data, first, l.len) == 0 && first[l.len] == '\n';
		while (ok && pk_reader_next(r, &l, &err) == PK_OK)
			;
		ok = ok && l.len == 7 && memcmp(l.data, "{\"z\":1}", 7) == 0;
		pk_reader_close(r);
		_exit(ok && lseek(0, 0, SEEK_CUR) == 100000 ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	unlink(path);
	free(t);
}

/* Mapped, the pages behind the reader are given back: a 128 MiB file is
 * read in a few MiB, by itself and when the caller keeps the lines and
 * releases them (pk_reader_keep, as the engine does). */
static void test_mapped_memory(void)
{
#if defined(__SANITIZE_ADDRESS__)
	skip(8, "peak memory is not the program's under ASan");
#else
	const char *path = tmp_path("huge.jsonl");
	FILE *fp = fopen(path, "wb");
	char line[1000];
	unsigned i, n;
	int keep;

	CHECK(fp != NULL);
	if (!fp)
		return;
	n = (unsigned)snprintf(line, sizeof line, "{\"a\":\"%0980d\"}\n", 0);
	for (i = 0; i < (128u << 20) / n; i++)
		fwrite(line, 1, n, fp);
	CHECK(fclose(fp) == 0);
	for (keep = 0; keep < 2; keep++) {
		struct rusage ru;
		int status = -1;
		pid_t pid = fork();

		if (pid == 0) {
			struct pk_error err;
			struct pk_line l;
			struct pk_reader *r;
			unsigned long long k = 0, j;
			const char *held[64] = {0};
			int rc;

			pk_input_map_mode(1);
			r = pk_reader_open(path, 0, &err);
			if (!r || !pk_reader_mapped(r))
				_exit(2);
			if (keep)
				pk_reader_keep(r);
			while ((rc = pk_reader_next(r, &l, &err)) == PK_OK) {
				/* keep 64 lines, release the oldest */
				if (keep && held[k % 64])
					pk_reader_release(r, held[k % 64]);
				held[k % 64] = l.data;
				k++;
			}
			/* the lines kept still read the same */
			for (j = 0; keep && j < 64; j++)
				if (memcmp(held[j], line, n - 1) != 0)
					_exit(3);
			_exit(rc == PK_EOF && k >= i ? 0 : 1);
		}
		CHECK(pid > 0 && wait4(pid, &status, 0, &ru) == pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		/* KiB: a few MiB of program and buffers and the pages
		 * near the position, not the file (nor 1/17 of it: the
		 * pages the kernel mapped again behind the position, up to
		 * 60 KiB a MiB, before they were given back by 2 MiB
		 * blocks: 7.5 MiB of this file, 60 of 1 GiB) */
		CHECK(ru.ru_maxrss < 9 * 1024);
		printf("# peak resident set %ld KiB (keep %d)\n", ru.ru_maxrss,
		       keep);
	}
	unlink(path);
#endif
}

static void run_all(void)
{
	test_array_memory();
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
	test_array_stream();
	test_array_edges();
	test_array_blank();
	test_real();
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/pk_test_reader.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	/* first, while this process is small (the children inherit it) */
	test_mapped_memory();
	run_all();
	printf("# the same, every file that can be mapped mapped\n");
	pk_input_map_mode(2);
	run_all();
	pk_input_map_mode(0);
	test_mapped_edges();
	test_mapped_stdin();
	unlink(tmp_path("small"));
	rmdir(tmpdir);
	return pk_test_done();
}
