/* SPDX-License-Identifier: MIT */
/*
 * zio.c - struct pk_zin, the byte stream under the reader: opens a file or
 * standard input, reads it with read(2) in large chunks, recognises zstd
 * (concatenated and skippable frames) and gzip (concatenated members) by
 * their magic numbers and decompresses them, and tells a stream that ends
 * in the middle of a frame from one that ends cleanly.  The sniffed bytes
 * are kept, so pipes work as well as files.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>
#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

#include "pk_private.h"
#include "zio.h"

struct pk_zin {
	int fd;
	int own_fd;               /* 0 for standard input */
	enum pk_zin_format format;
	int regular;              /* fd is a regular file */
	int eof;                  /* read(2) returned 0 */
	unsigned long long bytes_in;

	/* raw bytes from the fd: the sniffed ones, then compressed input */
	unsigned char *in;
	size_t in_cap, in_pos, in_len;

	/* the last call filled the caller's buffer: the decoder may still
	 * hold output even when no input is left */
	int pending;

	ZSTD_DCtx *zd;
	size_t zret;              /* last ZSTD_decompressStream() hint */
#ifdef HAVE_ZLIB
	z_stream zs;
	int zs_init;
	int member_done;          /* a gzip member just ended */
#endif
};

static ssize_t raw_read(struct pk_zin *z, void *p, size_t n,
			struct pk_error *err)
{
	ssize_t got;

	do
		got = read(z->fd, p, n);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return pk_error_set(err, PK_ERR_IO, "read error: %s",
				    strerror(errno));
	if (got == 0)
		z->eof = 1;
	z->bytes_in += (unsigned long long)got;
	return got;
}

/* Refill z->in (which must be used up).  Returns PK_OK or PK_FATAL. */
static int refill(struct pk_zin *z, struct pk_error *err)
{
	ssize_t got = raw_read(z, z->in, z->in_cap, err);

	if (got < 0)
		return PK_FATAL;
	z->in_pos = 0;
	z->in_len = (size_t)got;
	return PK_OK;
}

static enum pk_zin_format sniff(const unsigned char *b, size_t n)
{
	if (n >= 4 && b[0] == 0x28 && b[1] == 0xB5 && b[2] == 0x2F &&
	    b[3] == 0xFD)
		return PK_ZIN_ZSTD;
	/* skippable frame: magic 0x184D2A50..0x184D2A5F, little endian */
	if (n >= 4 && (b[0] & 0xF0) == 0x50 && b[1] == 0x2A && b[2] == 0x4D &&
	    b[3] == 0x18)
		return PK_ZIN_ZSTD;
	if (n >= 2 && b[0] == 0x1F && b[1] == 0x8B)
		return PK_ZIN_GZIP;
	return PK_ZIN_PLAIN;
}

static int setup_decoder(struct pk_zin *z, struct pk_error *err)
{
	if (z->format == PK_ZIN_ZSTD) {
		z->zd = ZSTD_createDCtx();
		if (!z->zd)
			return pk_nomem(err);
		z->zret = 1; /* a frame is expected: empty after magic = cut */
		return PK_OK;
	}
	if (z->format == PK_ZIN_GZIP) {
#ifdef HAVE_ZLIB
		int rc;

		memset(&z->zs, 0, sizeof z->zs);
		rc = inflateInit2(&z->zs, 15 + 16);
		if (rc == Z_MEM_ERROR)
			return pk_nomem(err);
		if (rc != Z_OK)
			return pk_error_set(err, PK_ERR_IO,
					    "cannot start gzip decoder: %s",
					    z->zs.msg ? z->zs.msg : "error");
		z->zs_init = 1;
		return PK_OK;
#else
		return pk_error_set(err, PK_ERR_IO,
				    "gzip input needs prefkit built with zlib "
				    "(install zlib1g-dev and re-run configure)");
#endif
	}
	return PK_OK;
}

int pk_zin_open(struct pk_zin **out, const char *path, struct pk_error *err)
{
	struct pk_zin *z;
	struct stat st;
	int rc;

	*out = NULL;
	z = calloc(1, sizeof *z);
	if (!z)
		return pk_nomem(err);
	if (!path || strcmp(path, "-") == 0) {
		z->fd = 0;
	} else {
		do
			z->fd = open(path, O_RDONLY | O_CLOEXEC);
		while (z->fd < 0 && errno == EINTR);
		if (z->fd < 0) {
			rc = pk_error_set(err, PK_ERR_IO, "%s",
					  strerror(errno));
			free(z);
			return rc;
		}
		z->own_fd = 1;
	}
	if (fstat(z->fd, &st) < 0) {
		rc = pk_error_set(err, PK_ERR_IO, "%s", strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = pk_error_set(err, PK_ERR_IO, "%s", strerror(EISDIR));
		goto fail;
	}
	z->regular = S_ISREG(st.st_mode);

	z->in_cap = ZSTD_DStreamInSize();
	if (z->in_cap < PK_ZIO_CHUNK)
		z->in_cap = PK_ZIO_CHUNK;
	z->in = malloc(z->in_cap);
	if (!z->in) {
		rc = pk_nomem(err);
		goto fail;
	}
	/* a pipe may hand out the magic number a byte at a time */
	while (z->in_len < 4 && !z->eof) {
		ssize_t got = raw_read(z, z->in + z->in_len,
				       z->in_cap - z->in_len, err);
		if (got < 0) {
			rc = PK_FATAL;
			goto fail;
		}
		z->in_len += (size_t)got;
	}
	z->format = sniff(z->in, z->in_len);
	rc = setup_decoder(z, err);
	if (rc != PK_OK)
		goto fail;
	*out = z;
	return PK_OK;
fail:
	pk_zin_close(z);
	return rc;
}

static ssize_t read_plain(struct pk_zin *z, void *p, size_t n,
			  struct pk_error *err)
{
	if (z->in_pos < z->in_len) {
		size_t k = z->in_len - z->in_pos;

		if (k > n)
			k = n;
		memcpy(p, z->in + z->in_pos, k);
		z->in_pos += k;
		return (ssize_t)k;
	}
	if (z->eof)
		return 0;
	/* straight into the caller's buffer: no copy */
	return raw_read(z, p, n, err);
}

static ssize_t read_zstd(struct pk_zin *z, void *p, size_t n,
			 struct pk_error *err)
{
	ZSTD_outBuffer out = {p, n, 0};

	while (out.pos == 0) {
		ZSTD_inBuffer in;
		size_t ret;

		if (z->in_pos == z->in_len && !z->pending) {
			if (!z->eof) {
				if (refill(z, err) != PK_OK)
					return PK_FATAL;
				continue;
			}
			/* a nonzero hint: the last frame is incomplete */
			if (z->zret != 0)
				return pk_error_set(err, PK_ERR_IO,
						    "truncated zstd stream");
			return 0;
		}
		in.src = z->in;
		in.size = z->in_len;
		in.pos = z->in_pos;
		ret = ZSTD_decompressStream(z->zd, &out, &in);
		if (ZSTD_isError(ret))
			return pk_error_set(err, PK_ERR_IO,
					    "corrupt zstd stream: %s",
					    ZSTD_getErrorName(ret));
		/* A call that neither reads nor writes a byte leaves the
		 * decoder where it was, and its hint says nothing: after a
		 * frame that ended exactly as the caller's buffer filled up,
		 * the hint would ask for the next frame's header, which is
		 * no reason to call the stream truncated.  Keep the hint of
		 * the last call that moved. */
		if (in.pos != z->in_pos || out.pos > 0)
			z->zret = ret;
		z->in_pos = in.pos;
		z->pending = out.pos == out.size;
	}
	return (ssize_t)out.pos;
}

#ifdef HAVE_ZLIB
static ssize_t read_gzip(struct pk_zin *z, void *p, size_t n,
			 struct pk_error *err)
{
	z_stream *s = &z->zs;
	size_t done = 0;

	while (done == 0) {
		int rc;
		uInt want;

		if (z->in_pos == z->in_len && !z->pending) {
			if (!z->eof) {
				if (refill(z, err) != PK_OK)
					return PK_FATAL;
				continue;
			}
			if (!z->member_done)
				return pk_error_set(err, PK_ERR_IO,
						    "truncated gzip stream");
			return 0;
		}
		if (z->member_done) {
			if (z->in_pos == z->in_len) {
				z->pending = 0;
				continue;
			}
			/* another member follows (cat a.gz b.gz) */
			if (inflateReset(s) != Z_OK)
				return pk_error_set(err, PK_ERR_IO,
						    "corrupt gzip stream");
			z->member_done = 0;
		}
		want = n - done > 1u << 30 ? 1u << 30 : (uInt)(n - done);
		s->next_in = z->in + z->in_pos;
		s->avail_in = (uInt)(z->in_len - z->in_pos);
		s->next_out = (Bytef *)p + done;
		s->avail_out = want;
		rc = inflate(s, Z_NO_FLUSH);
		z->in_pos = z->in_len - s->avail_in;
		done += want - s->avail_out;
		switch (rc) {
		case Z_OK:
			break;
		case Z_STREAM_END:
			z->member_done = 1;
			break;
		case Z_BUF_ERROR: /* no progress: needs more input */
			if (z->in_pos < z->in_len && s->avail_out > 0)
				return pk_error_set(err, PK_ERR_IO,
						    "corrupt gzip stream");
			break;
		case Z_MEM_ERROR:
			return pk_nomem(err);
		default:
			return pk_error_set(err, PK_ERR_IO,
					    "corrupt gzip stream: %s",
					    s->msg ? s->msg : "bad data");
		}
		z->pending = s->avail_out == 0 && !z->member_done;
	}
	return (ssize_t)done;
}
#endif

ssize_t pk_zin_read(struct pk_zin *z, void *p, size_t n,
		    struct pk_error *err)
{
	switch (z->format) {
	case PK_ZIN_ZSTD:
		return read_zstd(z, p, n, err);
#ifdef HAVE_ZLIB
	case PK_ZIN_GZIP:
		return read_gzip(z, p, n, err);
#endif
	default:
		return read_plain(z, p, n, err);
	}
}

enum pk_zin_format pk_zin_format(const struct pk_zin *z)
{
	return z->format;
}

unsigned long long pk_zin_bytes_in(const struct pk_zin *z)
{
	return z->bytes_in;
}

int pk_zin_seekable(const struct pk_zin *z)
{
	return z->regular && z->format == PK_ZIN_PLAIN;
}

void pk_zin_close(struct pk_zin *z)
{
	if (!z)
		return;
	if (z->own_fd)
		close(z->fd); /* read-only: nothing to lose */
	ZSTD_freeDCtx(z->zd);
#ifdef HAVE_ZLIB
	if (z->zs_init)
		inflateEnd(&z->zs);
#endif
	free(z->in);
	free(z);
}
