/* SPDX-License-Identifier: MIT */
/*
 * fuzz_reader.c - fuzz target for struct pk_reader: the input becomes a
 * file (a memfd where there is one) read to the end with max_line 4096,
 * draining every other long line.  Any input must end in PK_EOF or a
 * sticky PK_FATAL without a crash or a leak, and plain JSON Lines input is
 * checked against a naive line splitter: same records, same line numbers,
 * same long-line heads and drained tails.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pk_private.h"

#define MAX_LINE 4096

/* the bytes of every record are summed here, so none go unread */
static volatile unsigned checksum;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* A file holding the input: path gets its name; returns an fd to close
 * (and, for a temporary file, *unlink_it is set). */
static int make_file(const uint8_t *data, size_t size, char *path,
		     size_t pathlen, int *unlink_it)
{
	int fd = -1;

	*unlink_it = 0;
#ifdef MFD_CLOEXEC
	fd = memfd_create("fuzz_reader", MFD_CLOEXEC);
	if (fd >= 0) {
		snprintf(path, pathlen, "/proc/self/fd/%d", fd);
		if (access(path, R_OK) != 0) {
			close(fd);
			fd = -1;
		}
	}
#endif
	if (fd < 0) {
		const char *dir = getenv("TMPDIR");

		snprintf(path, pathlen, "%s/fuzz_reader.XXXXXX",
			 dir && *dir ? dir : "/tmp");
		fd = mkstemp(path);
		if (fd < 0)
			return -1;
		*unlink_it = 1;
	}
	if (write_all(fd, data, size) < 0) {
		close(fd);
		if (*unlink_it)
			unlink(path);
		return -1;
	}
	return fd;
}

/* The naive model of plain JSON Lines input, walked alongside. */
struct model {
	const uint8_t *p, *end;
	unsigned long long lineno;
};

/* Is the input plain JSON Lines (not compressed, not a JSON array)? */
static int model_init(struct model *m, const uint8_t *data, size_t size)
{
	size_t i = 0;

	if (size >= 4 && ((data[0] == 0x28 && data[1] == 0xB5 &&
			   data[2] == 0x2F && data[3] == 0xFD) ||
			  ((data[0] & 0xF0) == 0x50 && data[1] == 0x2A &&
			   data[2] == 0x4D && data[3] == 0x18)))
		return 0;
	if (size >= 2 && data[0] == 0x1F && data[1] == 0x8B)
		return 0;
	if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	m->p = data + i;
	m->end = data + size;
	m->lineno = 0;
	while (i < size && (data[i] == ' ' || data[i] == '\t' ||
			    data[i] == '\r' || data[i] == '\n'))
		i++;
	return i == size || data[i] != '[';
}

/* The model's next record: PK_OK, PK_BAD_RECORD (too long) or PK_EOF,
 * with the whole content in *s, *n. */
static int model_next(struct model *m, const uint8_t **s, size_t *n,
		      unsigned long long *lineno)
{
	while (m->p < m->end) {
		const uint8_t *nl = memchr(m->p, '\n', (size_t)(m->end - m->p));
		const uint8_t *e = nl ? nl : m->end;
		size_t len = (size_t)(e - m->p), i;

		if (nl && len > 0 && e[-1] == '\r')
			len--;
		*s = m->p;
		*n = len;
		*lineno = ++m->lineno;
		m->p = nl ? nl + 1 : m->end;
		if (len > MAX_LINE)
			return PK_BAD_RECORD;
		for (i = 0; i < len; i++)
			if ((*s)[i] != ' ' && (*s)[i] != '\t' && (*s)[i] != '\r')
				return PK_OK;
	}
	return PK_EOF;
}

static int sink(void *ctx, const void *p, size_t n)
{
	return pk_buf_append(ctx, p, n);
}

/* Every record (status, line number, bytes) and the final status and
 * message of reading path with PREFKIT_THREADS=threads, into trace. */
static void read_trace(const char *path, const char *threads,
		       struct pk_buf *trace)
{
	struct pk_reader *r;
	struct pk_line line;
	struct pk_error err;
	int rc;

	setenv("PREFKIT_THREADS", threads, 1);
	r = pk_reader_open(path, MAX_LINE, &err);
	unsetenv("PREFKIT_THREADS");
	if (!r) {
		pk_buf_append(trace, err.text, strlen(err.text));
		return;
	}
	do {
		rc = pk_reader_next(r, &line, &err);
		pk_buf_append(trace, &rc, sizeof rc);
		if (rc == PK_OK || rc == PK_BAD_RECORD) {
			pk_buf_append(trace, &line.lineno, sizeof line.lineno);
			pk_buf_append(trace, &line.len, sizeof line.len);
			pk_buf_append(trace, line.data, line.len);
		} else if (rc != PK_EOF) {
			pk_buf_append(trace, err.text, strlen(err.text));
		}
	} while (rc == PK_OK || rc == PK_BAD_RECORD);
	pk_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pk_buf rest = PK_BUF_INIT;
	struct pk_reader *r;
	struct pk_line line;
	struct pk_error err;
	struct model m;
	char path[256];
	int fd, unlink_it, rc, plain, nbad = 0;
	unsigned sum = 0;

	fd = make_file(data, size, path, sizeof path, &unlink_it);
	if (fd < 0)
		return 0;
	plain = model_init(&m, data, size);
	r = pk_reader_open(path, MAX_LINE, &err);
	if (!r)
		goto out;
	for (;;) {
		const uint8_t *ms = NULL;
		size_t mn = 0;
		unsigned long long mline = 0;
		int mrc = plain ? model_next(&m, &ms, &mn, &mline) : -100;
		size_t i;

		rc = pk_reader_next(r, &line, &err);
		if (rc != PK_OK && rc != PK_BAD_RECORD)
			break;
		if (line.len > MAX_LINE)
			abort();
		for (i = 0; i < line.len; i++) /* let ASan see every byte */
			sum += (unsigned char)line.data[i];
		if (plain && (rc != mrc || line.lineno != mline ||
			      line.len != (rc == PK_OK ? mn : MAX_LINE) ||
			      memcmp(line.data, ms, line.len) != 0))
			abort();
		if (rc == PK_BAD_RECORD && err.kind != PK_ERR_DATA)
			abort();
		if (rc == PK_BAD_RECORD && (nbad++ & 1) == 0) {
			pk_buf_reset(&rest);
			if (pk_reader_drain(r, sink, &rest, &err) != PK_OK)
				break;
			if (plain && (rest.len != mn - MAX_LINE ||
				      memcmp(rest.data, ms + MAX_LINE,
					     rest.len) != 0))
				abort();
		}
	}
	if (plain && rc == PK_EOF) {
		const uint8_t *ms;
		size_t mn;
		unsigned long long mline;

		if (model_next(&m, &ms, &mn, &mline) != PK_EOF)
			abort();
	}
	/* the end is sticky */
	if (rc == PK_EOF && pk_reader_next(r, &line, &err) != PK_EOF)
		abort();
	if (rc == PK_FATAL && pk_reader_next(r, &line, &err) != PK_FATAL)
		abort();
	if (plain && rc == PK_FATAL)
		abort();
	pk_reader_close(r);
	/* compressed input: decoded on a thread of its own or in the reading
	 * thread (PREFKIT_THREADS), the same records and the same end */
	if (!plain) {
		struct pk_buf t1 = PK_BUF_INIT, t2 = PK_BUF_INIT;

		read_trace(path, "1", &t1);
		read_trace(path, "2", &t2);
		if (t1.len != t2.len || (t1.len && memcmp(t1.data, t2.data,
							  t1.len) != 0))
			abort();
		pk_buf_free(&t1);
		pk_buf_free(&t2);
	}
out:
	pk_buf_free(&rest);
	close(fd);
	if (unlink_it)
		unlink(path);
	checksum += sum;
	return 0;
}
