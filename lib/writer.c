/* SPDX-License-Identifier: MIT */
/*
 * writer.c - struct pk_writer: buffered output to standard output or to a
 * named file, optionally zstd-compressed.  A named regular file is written
 * to a temporary file beside it (same directory, so rename(2) is atomic),
 * synced and renamed into place only by pk_writer_commit(): a failed or
 * interrupted run leaves no partial file.  The first error sticks.
 *
 * Plain output to a regular file is written in whole multiples of
 * OUTBUF_SIZE, at offsets that are multiples of it, until the last write
 * (a big piece: the buffered bytes and its head in one writev(2), the
 * rest buffered; to a pipe it goes out as it is, without a copy): the
 * page cache then takes each write in large folios, which costs the
 * kernel about a fifth less than the same bytes at odd offsets
 * (bench/README.md, "pref-split: block-aligned writes, ...").  A record
 * built in place that does not fit below OUTBUF_SIZE goes on into
 * OUTBUF_SLACK; the bytes past OUTBUF_SIZE are moved to the front after
 * the write.
 *
 * A temporary file is written back to the disk as it grows, every
 * WRITE_BEHIND bytes (sync_file_range(2) starts the write and does not
 * wait for it, where the system has it): the fsync(2) before the rename
 * then waits for the last few megabytes only, instead of the whole file
 * after the computing is done.  The same writing, by the same process,
 * in the same order; only the waiting overlaps.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <zstd.h>

#include "pk_private.h"

#define OUTBUF_SIZE (256u * 1024u)
#define OUTBUF_SLACK (64u * 1024u)
#define WRITE_BEHIND (4u * 1024u * 1024u)

struct pk_writer {
	int fd;
	int own_fd;        /* close at the end (not standard output) */
	int regular;       /* fd is a regular file: whole blocks matter */
	int sync;          /* fsync before the rename */
	char *path;        /* the target, when written through tmp */
	char *tmp;         /* the temporary file, NULL when none */
	int tmp_gone;      /* tmp no longer exists (removed or renamed) */
	char *buf;
	size_t len, cap;   /* plain: cap OUTBUF_SIZE + OUTBUF_SLACK, len kept
			    * below OUTBUF_SIZE between calls; zstd: cap
			    * OUTBUF_SIZE; either grows for pk_writer_room */
	ZSTD_CCtx *zc;     /* NULL: plain output */
	char *zbuf;
	size_t zcap;
	int status;        /* PK_OK, or the sticky failure */
	int prepared;      /* pk_writer_prepare() done: only the rename left */
	unsigned long long written; /* bytes written to the temporary file */
	unsigned long long started; /* of them, sent to the disk */
	struct pk_error ferr;
};

/* 0666 & ~umask, as open(2) would create the file.  umask() can only be
 * read by setting it, so it is read once. */
static mode_t file_mode(void)
{
	static int known;
	static mode_t mode;

	if (!known) {
		mode_t m = umask(022);

		umask(m);
		mode = 0666 & ~m;
		known = 1;
	}
	return mode;
}

static void drop_tmp(struct pk_writer *w)
{
	if (w->tmp && !w->tmp_gone) {
		unlink(w->tmp); /* nothing better to do if this fails */
		w->tmp_gone = 1;
	}
}

/* Record the first failure; e is the errno value. */
static int fail(struct pk_writer *w, const char *what, int e)
{
	w->status = pk_error_set(&w->ferr, e == EPIPE ? PK_ERR_PIPE : PK_ERR_IO,
				 "%s: %s", what, strerror(e));
	/* free the space now: the disk may be full */
	drop_tmp(w);
	return w->status;
}

/* Write a[0..an) then b[0..bn) (b may be NULL when bn is 0). */
static int write_all(struct pk_writer *w, const void *a, size_t an,
		     const void *b, size_t bn)
{
	struct iovec iov[2] = {{(void *)a, an}, {(void *)b, bn}};
	struct iovec *v = an ? iov : iov + 1;
	int nv = (an ? 1 : 0) + (bn ? 1 : 0);

	while (nv > 0) {
		ssize_t k = nv == 1 ? write(w->fd, v->iov_base, v->iov_len)
				    : writev(w->fd, v, nv);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				/* a non-blocking descriptor inherited from
				 * the parent: wait until it takes more */
				struct pollfd pfd = {w->fd, POLLOUT, 0};

				if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
					return fail(w, "write error", errno);
				continue;
			}
			return fail(w, "write error", errno);
		}
		if (k == 0)
			return fail(w, "write error", EIO);
		while (nv > 0 && (size_t)k >= v->iov_len) {
			k -= (ssize_t)v->iov_len;
			v++;
			nv--;
		}
		if (nv > 0) {
			v->iov_base = (char *)v->iov_base + k;
			v->iov_len -= (size_t)k;
		}
	}
	return PK_OK;
}

/* write_all(), and for a temporary file the start of its writing back
 * when WRITE_BEHIND more bytes are in the page cache.  Advisory: an
 * error shows at the fsync(2) before the rename. */
static int write_out(struct pk_writer *w, const void *a, size_t an,
		     const void *b, size_t bn)
{
	int rc = write_all(w, a, an, b, bn);

#ifdef SYNC_FILE_RANGE_WRITE
	if (rc == PK_OK && w->sync) {
		w->written += an + bn;
		if (w->written - w->started >= WRITE_BEHIND) {
			sync_file_range(w->fd, (off_t)w->started,
					(off_t)(w->written - w->started),
					SYNC_FILE_RANGE_WRITE);
			w->started = w->written;
		}
	}
#endif
	return rc;
}

/* Write out the buffer; with end, also end the zstd frame. */
static int flush_buf(struct pk_writer *w, int end)
{
	ZSTD_inBuffer in = {w->buf, w->len, 0};
	int rc;

	if (!w->zc) {
		rc = write_out(w, w->buf, w->len, NULL, 0);
		w->len = 0;
		return rc;
	}
	for (;;) {
		ZSTD_outBuffer out = {w->zbuf, w->zcap, 0};
		size_t left = ZSTD_compressStream2(w->zc, &out, &in,
						   end ? ZSTD_e_end
						       : ZSTD_e_continue);

		if (ZSTD_isError(left)) {
			w->status = pk_error_set(&w->ferr, PK_ERR_IO,
						 "zstd compression error: %s",
						 ZSTD_getErrorName(left));
			drop_tmp(w);
			return w->status;
		}
		if (out.pos > 0) {
			rc = write_out(w, w->zbuf, out.pos, NULL, 0);
			if (rc != PK_OK)
				return rc;
		}
		if (end ? left == 0 : in.pos == in.size)
			break;
	}
	w->len = 0;
	return PK_OK;
}

/* Write out what the buffer holds of whole OUTBUF_SIZE blocks, keeping
 * the rest for later (plain output); compress all of it (zstd). */
static int flush_full(struct pk_writer *w)
{
	size_t k;
	int rc;

	if (w->zc)
		return flush_buf(w, 0);
	k = w->len - w->len % OUTBUF_SIZE;
	if (k == 0)
		return PK_OK;
	rc = write_out(w, w->buf, k, NULL, 0);
	memmove(w->buf, w->buf + k, w->len - k);
	w->len -= k;
	return rc;
}

char *pk_path_resolve(const char *path)
{
	char *p = strdup(path);
	int hops;

	/* as the kernel does for open(2), at most 40 links */
	for (hops = 0; p && hops < 40; hops++) {
		struct stat st;
		char target[PATH_MAX], *next;
		const char *slash;
		ssize_t n;
		size_t dirlen;

		if (lstat(p, &st) < 0 || !S_ISLNK(st.st_mode))
			break;
		n = readlink(p, target, sizeof target - 1);
		if (n < 0)
			break;
		target[n] = '\0';
		slash = strrchr(p, '/');
		dirlen = target[0] != '/' && slash ? (size_t)(slash - p) + 1 : 0;
		next = malloc(dirlen + (size_t)n + 1);
		if (next) {
			memcpy(next, p, dirlen);
			memcpy(next + dirlen, target, (size_t)n + 1);
		}
		free(p);
		p = next;
	}
	return p;
}

/* Name the temporary file "<dir>/.<base>.XXXXXX" and create it, with the
 * permissions (and, where allowed, the owner) of a file it replaces. */
static int create_tmp(struct pk_writer *w, const char *path,
		      const struct stat *old, struct pk_error *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	char *tmp;
	int e;

	if (*base == '\0')
		return pk_error_set(err, PK_ERR_IO, "%s",
				    strerror(*path ? EISDIR : ENOENT));
	w->path = strdup(path);
	tmp = malloc(dirlen + strlen(base) + 9);
	if (!tmp || !w->path) {
		free(tmp);
		return pk_nomem(err);
	}
	memcpy(tmp, path, dirlen);
	tmp[dirlen] = '.';
	strcpy(tmp + dirlen + 1, base);
	strcat(tmp, ".XXXXXX");
	w->fd = mkstemp(tmp);
	if (w->fd < 0) {
		e = errno;
		free(tmp);
		if (dirlen == 0)
			return pk_error_set(err, PK_ERR_IO,
					    "cannot create temporary file: %s",
					    strerror(e));
		return pk_error_set(err, PK_ERR_IO,
				    "cannot create temporary file in %.*s: %s",
				    (int)(dirlen > 1 ? dirlen - 1 : 1), path,
				    strerror(e));
	}
	w->tmp = tmp;
	w->own_fd = 1;
	w->sync = 1;
	if (fcntl(w->fd, F_SETFD, FD_CLOEXEC) < 0 ||
	    fchmod(w->fd, old ? old->st_mode & 0777 : file_mode()) < 0) {
		e = errno;
		drop_tmp(w);
		return pk_error_set(err, PK_ERR_IO, "%s", strerror(e));
	}
	/* keep the owner too when we may (root, or a group we are in);
	 * otherwise the file becomes ours, as with any editor */
	if (old && (old->st_uid != geteuid() || old->st_gid != getegid()) &&
	    fchown(w->fd, old->st_uid, old->st_gid) < 0 &&
	    fchown(w->fd, (uid_t)-1, old->st_gid) < 0) {
		/* nothing better to do: the file is ours */
	}
	return PK_OK;
}

static int open_zstd(struct pk_writer *w, int level, struct pk_error *err)
{
	size_t rc;

	w->zc = ZSTD_createCCtx();
	w->zcap = ZSTD_CStreamOutSize();
	w->zbuf = malloc(w->zcap);
	if (!w->zc || !w->zbuf)
		return pk_nomem(err);
	rc = ZSTD_CCtx_setParameter(w->zc, ZSTD_c_compressionLevel, level);
	if (!ZSTD_isError(rc))
		/* as the zstd tool does, so `zstd -t` checks the content */
		rc = ZSTD_CCtx_setParameter(w->zc, ZSTD_c_checksumFlag, 1);
	if (ZSTD_isError(rc))
		return pk_error_set(err, PK_ERR_USAGE, "zstd: %s",
				    ZSTD_getErrorName(rc));
	/* zstd's own worker threads compress while we go on, one per
	 * allowed thread; never none: zstd writes the same bytes for any
	 * number of workers from one up, but other bytes with none, and the
	 * output must not depend on the machine.  A libzstd built without
	 * threads refuses, and compresses in this thread. */
	ZSTD_CCtx_setParameter(w->zc, ZSTD_c_nbWorkers, (int)pk_threads());
	return PK_OK;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

struct pk_writer *pk_writer_open(const char *path, int zstd_level,
				 struct pk_error *err)
{
	struct pk_writer *w;
	struct stat st;
	char *real = NULL;
	int exists;

	if (path && strcmp(path, "-") == 0)
		path = NULL;
	if (zstd_level == PK_ZSTD_AUTO)
		zstd_level = path && ends_with(path, ".zst")
				     ? PK_ZSTD_DEFAULT_LEVEL
				     : 0;
	if (zstd_level != 0 && (zstd_level < ZSTD_minCLevel() ||
				zstd_level > ZSTD_maxCLevel())) {
		pk_error_set(err, PK_ERR_USAGE, "invalid zstd level %d",
			     zstd_level);
		return NULL;
	}
	w = calloc(1, sizeof *w);
	if (!w) {
		pk_nomem(err);
		return NULL;
	}
	w->fd = 1;
	/* -o over a symbolic link writes the file it points to, which
	 * keeps the link (a dangling link makes its target) */
	if (path && !(real = pk_path_resolve(path))) {
		pk_nomem(err);
		goto fail;
	}
	exists = real && stat(real, &st) == 0;
	if (!path) {
		/* standard output: fd 1, never closed here */
	} else if (exists && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			pk_error_set(err, PK_ERR_IO, "%s", strerror(EISDIR));
			goto fail;
		}
		/* a device or a FIFO (/dev/null, /dev/stdout): write to it
		 * in place, since renaming over it would replace it */
		do
			w->fd = open(real, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		while (w->fd < 0 && errno == EINTR);
		if (w->fd < 0) {
			pk_error_set(err, PK_ERR_IO, "%s", strerror(errno));
			goto fail;
		}
		w->own_fd = 1;
	} else if (create_tmp(w, real, exists ? &st : NULL, err) != PK_OK) {
		goto fail;
	}
	if (zstd_level != 0 && open_zstd(w, zstd_level, err) != PK_OK)
		goto fail;
	w->cap = w->zc ? OUTBUF_SIZE : OUTBUF_SIZE + OUTBUF_SLACK;
	w->regular = fstat(w->fd, &st) == 0 && S_ISREG(st.st_mode);
	if (!(w->buf = malloc(w->cap))) {
		pk_nomem(err);
		goto fail;
	}
	free(real);
	return w;
fail:
	free(real);
	pk_writer_abort(w);
	return NULL;
}

int pk_writer_write(struct pk_writer *w, const void *p, size_t n,
		    struct pk_error *err)
{
	const char *s = p;

	if (w->status != PK_OK)
		goto failed;
	if (!w->zc && n >= OUTBUF_SIZE / 4) {
		/* a big piece (a batch of records) */
		if (!w->regular) {
			/* a pipe: out as it is, after what is buffered, no
			 * copy */
			if ((w->len > 0 && flush_buf(w, 0) != PK_OK) ||
			    write_all(w, s, n, NULL, 0) != PK_OK)
				goto failed;
			return PK_OK;
		}
		/* a file: the buffered bytes and the head of the piece in
		 * one writev of whole blocks, the rest (less than a block)
		 * buffered below */
		if (w->len + n >= OUTBUF_SIZE) {
			size_t k = (w->len + n) - (w->len + n) % OUTBUF_SIZE
				   - w->len;

			if (write_out(w, w->buf, w->len, s, k) != PK_OK)
				goto failed;
			w->len = 0;
			s += k;
			n -= k;
		}
	}
	while (n > 0) {
		size_t k = w->len < OUTBUF_SIZE ? OUTBUF_SIZE - w->len : 0;

		if (k > n)
			k = n;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
		if (w->len >= OUTBUF_SIZE && flush_full(w) != PK_OK)
			goto failed;
	}
	return PK_OK;
failed:
	if (err)
		*err = w->ferr;
	return w->status;
}

char *pk_writer_room(struct pk_writer *w, size_t n, struct pk_error *err)
{
	if (w->status != PK_OK)
		goto failed;
	if (w->cap - w->len < n) {
		/* plain output keeps its partial block (len < OUTBUF_SIZE)
		 * and grows the buffer past it; zstd takes what it holds */
		size_t need = w->zc ? n : w->len + n;

		if (need < n) {
			if (err)
				pk_nomem(err);
			return NULL;
		}
		if (w->zc && w->len > 0 && flush_buf(w, 0) != PK_OK)
			goto failed;
		if (w->cap < need) {
			/* one record longer than the buffer: grow it */
			char *p = realloc(w->buf, need);

			if (!p) {
				if (err)
					pk_nomem(err);
				return NULL;
			}
			w->buf = p;
			w->cap = need;
		}
	}
	return w->buf + w->len;
failed:
	if (err)
		*err = w->ferr;
	return NULL;
}

int pk_writer_advance(struct pk_writer *w, size_t n, struct pk_error *err)
{
	w->len += n;
	if (w->len >= OUTBUF_SIZE && flush_full(w) != PK_OK) {
		if (err)
			*err = w->ferr;
		return w->status;
	}
	return PK_OK;
}

static void release(struct pk_writer *w)
{
	ZSTD_freeCCtx(w->zc);
	free(w->zbuf);
	free(w->buf);
	free(w->tmp);
	free(w->path);
	free(w);
}

int pk_writer_prepare(struct pk_writer *w, struct pk_error *err)
{
	int rc = w->status;

	if (w->prepared)
		goto out;
	w->prepared = 1;
	if (rc == PK_OK)
		rc = flush_buf(w, 1);
	if (rc == PK_OK && w->sync && fsync(w->fd) < 0)
		rc = fail(w, "cannot sync output", errno);
	if (w->own_fd) {
		if (close(w->fd) < 0 && rc == PK_OK)
			rc = fail(w, "write error", errno);
		w->own_fd = 0;
	}
out:
	if (rc != PK_OK) {
		drop_tmp(w);
		if (err)
			*err = w->ferr;
	}
	return rc;
}

int pk_writer_commit(struct pk_writer *w, struct pk_error *err)
{
	int rc = pk_writer_prepare(w, err);

	if (rc == PK_OK && w->tmp) {
		if (rename(w->tmp, w->path) < 0) {
			rc = fail(w, "cannot rename temporary file into place",
				  errno);
			if (err)
				*err = w->ferr;
		} else {
			w->tmp_gone = 1; /* nothing left for a signal handler */
		}
	}
	release(w);
	return rc;
}

void pk_writer_abort(struct pk_writer *w)
{
	if (!w)
		return;
	if (w->own_fd)
		close(w->fd); /* the data is being thrown away */
	drop_tmp(w);
	release(w);
}

int pk_writer_failed(const struct pk_writer *w)
{
	return w->status != PK_OK;
}

const char *pk_writer_temp_path(const struct pk_writer *w)
{
	return w && w->tmp && !w->tmp_gone ? w->tmp : NULL;
}
