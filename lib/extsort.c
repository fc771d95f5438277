/* SPDX-License-Identifier: MIT */
/*
 * extsort.c - struct pk_sort: a stable sort of opaque records in bounded
 * memory (SPEC 2 "Limits": --memory, --tmpdir).
 *
 * Records are copied into one arena and indexed by 32-byte entries that
 * hold the first 16 bytes of the compared part, so that sorting short keys
 * (the common case: a fixed-width key first in each record) never reads
 * the arena, where every access would be a cache miss.  The arena is one
 * reservation of the memory budget, mapped with transparent huge pages
 * where the system has them: it never moves, and filling it does not take
 * a page fault every 4 KiB.  When
 * the next record would take the records, their entries and the merge's
 * buffers past the budget, the entries are sorted and the run is spilled
 * to a temporary file that never has a name in the file system after it
 * is created (O_TMPFILE, or mkstemp + unlink with signals blocked), so no
 * way of ending the program leaves it behind.  A run is a sequence of
 * blocks, each one zstd frame of at most `block` raw bytes:
 *
 *	u32 compressed size, u32 raw size (big-endian), frame
 *
 * or, with opts.store, the raw bytes as they are (the first word is then
 * 0x80000000 | raw size).  pref-curriculum --memory 20M on 100 MB of
 * lists takes half the CPU time with stored runs as at zstd -5 (which
 * compresses its runs to half; reading a stored block is one read into
 * the block, no copy), for twice the bytes on disk (four times those of
 * level 1): so a run is stored only when, as it begins, the file system of
 * the temporary directory has at least 1 GiB free and at least as much
 * as all runs so far took (store_room), and compressed otherwise; the
 * reader takes each block as it comes, so one sort may have both.
 *
 * The raw bytes of a run are its records, each a LEB128 length then the
 * bytes, free to straddle blocks.  Every block is compressed on its own, so
 * one decompression context serves every run, and a run being read costs
 * one block of memory (plus the record being assembled, when a record
 * straddles blocks).
 *
 * At the end, the sources (the spilled runs in the order they were made,
 * the records still in memory, then the caller's sorted inputs) are merged
 * by a binary heap, ties going to the earlier source: so the sort is
 * stable.  With more sources than the fan-in, consecutive sources are
 * first merged into new runs, pass after pass, so that at most fan-in
 * temporary files are ever read at once.
 *
 * Runs are also kept few while records are added, since each one holds a
 * file open, but no fewer than that needs: runs have a level (0 when
 * spilled, one more than the highest of those merged into it), and only
 * when the runs reach the fan-in are the newest runs that share a level
 * merged into one run of the next level (when the newest run is alone at
 * its level, with the group before it).  So up to fan-in runs a record
 * is written once (merges while adding cost as much as the spills
 * themselves: a sort of 28 runs at fan-in 64 used to rewrite 16 of them),
 * beyond it each record is written a few more times, growing with the
 * log of the runs, and a sort holds at most fan-in files open at any
 * time.  The fan-in is what the merge's blocks allow within half the
 * budget, at most 64, but at least 16 unless the caller asks for fewer:
 * below that, runs would be merged again every few spills (a budget of
 * 4 KiB spent 53 s of CPU on a 4 MB sort), so a budget under 128 KiB
 * has up to 16 blocks of 4 KiB on top of it while merging.  The fan-in
 * is also kept within a quarter of the open-file limit (ulimit -n), less
 * a few for the program's own files.
 *
 * Records that come already in order (a spool: pk_dedup's records put
 * aside, a stream held for a second pass) need neither sorting nor
 * merging: while every record added compares >= the one before it, a
 * spill is appended to the one run there is instead of starting a new
 * one, so an in-order sort of any size writes each record once, to one
 * file.  The first record out of order ends this; the run made so far
 * is an ordinary run from then on.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include <zstd.h>

#include "pk_private.h"

#define ENTRY_SIZE ((size_t)PK_SORT_ENTRY_OVERHEAD)
#define BLOCK_MIN ((size_t)4 << 10)
#define BLOCK_MAX ((size_t)128 << 10)
#define FAN_IN_MAX 64
#define FAN_IN_MIN 16
#define HEADER 8
#define STORED 0x80000000u /* in a block's first word: not compressed */
#define STORE_FLOOR ((unsigned long long)1 << 30)
#define STORE_IOV 256 /* pieces of one stored block written by spill() */

struct entry {
	uint64_t k0;  /* first 8 bytes of the key, big-endian (memcmp order) */
	uint64_t k1;  /* the next 8 (zero bytes past the compared part) */
	size_t off;   /* in the arena: also the order records were added */
	size_t len;
};

_Static_assert(sizeof(struct entry) <= PK_SORT_ENTRY_OVERHEAD,
	       "PK_SORT_ENTRY_OVERHEAD counts an index entry");

enum src_kind { SRC_RUN, SRC_MEM, SRC_INPUT };

/* Something the merge reads records from, in order. */
struct source {
	enum src_kind kind;
	unsigned level;           /* SRC_RUN: merges behind it (see top) */
	/* SRC_RUN */
	int fd;
	unsigned long long nrec;  /* records in the run */
	unsigned long long left;  /* records not read yet */
	char *raw;                /* the current block, raw */
	size_t raw_len, raw_pos;
	struct pk_buf carry;      /* a record that straddles blocks */
	/* SRC_MEM: position in s->ents */
	size_t pos;
	/* SRC_INPUT */
	int (*next)(void *ctx, const void **rec, size_t *n,
		    struct pk_error *err);
	void *ctx;
	/* the current record */
	const char *rec;
	size_t n;
	int done;
};

/* A run being written. */
struct run_writer {
	int fd;
	size_t len;  /* raw bytes in s->wraw */
	unsigned long long nrec;
	int store;   /* blocks written as they are (opts.store) */
};

struct pk_sort {
	size_t memory, block;
	unsigned fan_in;
	size_t key_len;
	int (*cmp)(void *ctx, const void *a, size_t an, const void *b,
		   size_t bn);
	void *ctx;
	int level;
	int store;     /* opts.store */
	unsigned long long store_floor; /* the free space it needs */
	char *tmpdir;

	/* records in memory */
	char *arena;
	size_t arena_len, arena_cap;
	int arena_mapped; /* reserved with mmap (else malloc'd) */
	struct entry *ents;
	size_t nents, ents_cap;

	/* sources, in tie order: runs and the memory run, then inputs */
	struct source *srcs;
	size_t nsrcs, srcs_cap;
	size_t ninputs;

	/* compression */
	ZSTD_CCtx *zc;
	ZSTD_DCtx *zd;
	char *zbuf;    /* one compressed block, header first */
	size_t zcap;
	char *wraw;    /* the raw block of the run being written */

	/* the final merge */
	int state;     /* 0 adding, 1 reading, 2 done */
	size_t *heap;  /* indices into srcs */
	size_t nheap;
	long last;     /* source of the record returned last, -1 none */
	size_t mem_pos; /* reading straight from memory: next entry */
	int direct;    /* only the memory run: no heap */

	/* every record added so far came in order (see the top) */
	int in_order;
	struct pk_buf prev;  /* the last record spilled, while in_order */
	int have_prev;

	int status;    /* PK_OK, or the sticky failure */
	struct pk_error ferr;
	struct pk_sort_stats stats;
};

static int tidy(struct pk_sort *s, struct pk_error *err);

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

void pk_sort_put_u32(void *p, uint32_t v)
{
	unsigned char *b = p;

	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

void pk_sort_put_u64(void *p, uint64_t v)
{
	pk_sort_put_u32(p, (uint32_t)(v >> 32));
	pk_sort_put_u32((char *)p + 4, (uint32_t)v);
}

uint32_t pk_sort_get_u32(const void *p)
{
	const unsigned char *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

uint64_t pk_sort_get_u64(const void *p)
{
	return (uint64_t)pk_sort_get_u32(p) << 32 |
	       pk_sort_get_u32((const char *)p + 4);
}

uint64_t pk_sort_double_key(double x)
{
	uint64_t u;

	if (x == 0)
		x = 0; /* -0.0 sorts with 0.0 */
	memcpy(&u, &x, sizeof u);
	return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}

double pk_sort_key_double(uint64_t k)
{
	uint64_t u = k >> 63 ? k & ~((uint64_t)1 << 63) : ~k;
	double x;

	memcpy(&x, &u, sizeof x);
	return x;
}

/* ------------------------------------------------------------------ */
/* Comparing                                                           */
/* ------------------------------------------------------------------ */

/* The length of the compared part of a record of n bytes. */
static size_t cmp_len(const struct pk_sort *s, size_t n)
{
	return s->key_len && n > s->key_len ? s->key_len : n;
}

static int rec_cmp(const struct pk_sort *s, const char *a, size_t an,
		   const char *b, size_t bn)
{
	size_t m;
	int c;

	if (s->cmp)
		return s->cmp(s->ctx, a, an, b, bn);
	an = cmp_len(s, an);
	bn = cmp_len(s, bn);
	m = an < bn ? an : bn;
	c = m ? memcmp(a, b, m) : 0;
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

/* The first 16 bytes of the compared part as two numbers (memcmp order;
 * zero bytes past its end). */
static void first16(const struct pk_sort *s, const char *p, size_t n,
		    struct entry *e)
{
	unsigned char b[16] = {0};

	if (s->cmp) {
		e->k0 = e->k1 = 0;
		return;
	}
	n = cmp_len(s, n);
	memcpy(b, p, n < 16 ? n : 16);
	e->k0 = pk_sort_get_u64(b);
	e->k1 = pk_sort_get_u64(b + 8);
}

static int ent_cmp(const struct pk_sort *s, const struct entry *a,
		   const struct entry *b)
{
	int c;

	if (a->k0 != b->k0)
		return a->k0 < b->k0 ? -1 : 1;
	if (a->k1 != b->k1)
		return a->k1 < b->k1 ? -1 : 1;
	if (!s->cmp) {
		size_t an = cmp_len(s, a->len), bn = cmp_len(s, b->len);

		/* Both compared parts are in the entries: equal up to the
		 * shorter, which comes first. */
		if (an <= 16 && bn <= 16) {
			if (an != bn)
				return an < bn ? -1 : 1;
			return a->off < b->off ? -1 : a->off > b->off;
		}
	}
	c = rec_cmp(s, s->arena + a->off, a->len, s->arena + b->off, b->len);
	if (c)
		return c;
	return a->off < b->off ? -1 : a->off > b->off;
}

static void ent_swap(struct entry *a, struct entry *b)
{
	struct entry t = *a;

	*a = *b;
	*b = t;
}

static void sift_down_ents(const struct pk_sort *s, struct entry *a,
			   size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			return;
		if (c + 1 < n && ent_cmp(s, &a[c], &a[c + 1]) < 0)
			c++;
		if (ent_cmp(s, &a[i], &a[c]) >= 0)
			return;
		ent_swap(&a[i], &a[c]);
		i = c;
	}
}

static void heapsort_ents(const struct pk_sort *s, struct entry *a, size_t n)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift_down_ents(s, a, i, n);
	for (i = n; i-- > 1;) {
		ent_swap(&a[0], &a[i]);
		sift_down_ents(s, a, 0, i);
	}
}

/* Introsort: quicksort (median of three), insertion sort for short
 * ranges, heapsort when the recursion gets too deep.  No memory besides
 * the stack; stable because ent_cmp breaks ties by arena offset. */
static void sort_ents(const struct pk_sort *s, struct entry *a, size_t n,
		      unsigned depth)
{
	while (n > 16) {
		size_t i, j, mid = n / 2;

		if (depth-- == 0) {
			heapsort_ents(s, a, n);
			return;
		}
		if (ent_cmp(s, &a[mid], &a[0]) < 0)
			ent_swap(&a[mid], &a[0]);
		if (ent_cmp(s, &a[n - 1], &a[mid]) < 0) {
			ent_swap(&a[n - 1], &a[mid]);
			if (ent_cmp(s, &a[mid], &a[0]) < 0)
				ent_swap(&a[mid], &a[0]);
		}
		ent_swap(&a[mid], &a[n - 2]); /* the pivot, out of the way */
		i = 0;
		j = n - 2;
		for (;;) {
			while (ent_cmp(s, &a[++i], &a[n - 2]) < 0)
				;
			while (ent_cmp(s, &a[n - 2], &a[--j]) < 0)
				;
			if (i >= j)
				break;
			ent_swap(&a[i], &a[j]);
		}
		ent_swap(&a[i], &a[n - 2]);
		/* recurse into the smaller side, loop on the larger */
		if (i < n - i - 1) {
			sort_ents(s, a, i, depth);
			a += i + 1;
			n -= i + 1;
		} else {
			sort_ents(s, a + i + 1, n - i - 1, depth);
			n = i;
		}
	}
	for (size_t i = 1; i < n; i++) {
		struct entry t = a[i];
		size_t j = i;

		for (; j > 0 && ent_cmp(s, &t, &a[j - 1]) < 0; j--)
			a[j] = a[j - 1];
		a[j] = t;
	}
}

/* ------------------------------------------------------------------ */
/* Errors and temporary files                                          */
/* ------------------------------------------------------------------ */

/* Record the first failure of the sort; returns the status. */
static int fail(struct pk_sort *s, struct pk_error *err, enum pk_errkind kind,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(struct pk_sort *s, struct pk_error *err, enum pk_errkind kind,
		const char *fmt, ...)
{
	if (s->status == PK_OK) {
		char text[sizeof s->ferr.text];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(text, sizeof text, fmt, ap);
		va_end(ap);
		pk_error_set(&s->ferr, kind, "%s", text);
		s->status = kind == PK_ERR_PIPE ? PK_EPIPE : PK_FATAL;
	}
	if (err)
		*err = s->ferr;
	return s->status;
}

/* An I/O error on a temporary file: "cannot write a temporary file in
 * /tmp: No space left on device". */
static int io_fail(struct pk_sort *s, struct pk_error *err, const char *what,
		   int e)
{
	return fail(s, err, PK_ERR_IO, "%s a temporary file in %s: %s", what,
		    s->tmpdir, strerror(e));
}

static int sticky(struct pk_sort *s, struct pk_error *err)
{
	if (err)
		*err = s->ferr;
	return s->status;
}

static int nomem(struct pk_sort *s, struct pk_error *err)
{
	return fail(s, err, PK_ERR_NOMEM, "out of memory");
}

/* A new temporary file that has no name: O_TMPFILE where the file system
 * has it, else mkstemp() and unlink() with the termination signals held
 * off in between. */
static int tmp_open(struct pk_sort *s, struct pk_error *err)
{
	sigset_t block, old;
	char *path;
	size_t n;
	int fd, e;

#ifdef O_TMPFILE
	do
		fd = open(s->tmpdir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC,
			  0600);
	while (fd < 0 && errno == EINTR);
	if (fd >= 0)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return io_fail(s, err, "cannot create", errno);
#endif
	n = strlen(s->tmpdir) + sizeof "/prefkit-sort.XXXXXX";
	if (!(path = malloc(n)))
		return nomem(s, err);
	snprintf(path, n, "%s/prefkit-sort.XXXXXX", s->tmpdir);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);
	fd = mkostemp(path, O_CLOEXEC);
	e = errno;
	if (fd >= 0)
		unlink(path);
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(path);
	if (fd < 0)
		return io_fail(s, err, "cannot create", e);
	return fd;
}

static int write_all(struct pk_sort *s, int fd, const char *p, size_t n,
		     struct pk_error *err)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return io_fail(s, err, "cannot write", k < 0 ? errno : EIO);
		p += k;
		n -= (size_t)k;
	}
	return PK_OK;
}

/* Read exactly n bytes; 1 when done, 0 at the end of the file (nothing
 * read), negative on an error or a short file. */
static int read_all(struct pk_sort *s, int fd, char *p, size_t n,
		    struct pk_error *err)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = read(fd, p + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return io_fail(s, err, "cannot read", errno);
		if (k == 0) {
			if (got == 0)
				return 0;
			return io_fail(s, err, "cannot read", EIO);
		}
		got += (size_t)k;
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* Writing runs                                                        */
/* ------------------------------------------------------------------ */

static int zstd_ready(struct pk_sort *s, struct pk_error *err)
{
	if (!s->zbuf) {
		s->zcap = HEADER + ZSTD_compressBound(s->block);
		s->zbuf = malloc(s->zcap);
		if (!s->zbuf)
			return nomem(s, err);
	}
	return PK_OK;
}

static int flush_block(struct pk_sort *s, struct run_writer *w,
		       struct pk_error *err)
{
	size_t z;

	if (w->len == 0)
		return PK_OK;
	if (w->store) {
		pk_sort_put_u32(s->zbuf, STORED | (uint32_t)w->len);
		pk_sort_put_u32(s->zbuf + 4, (uint32_t)w->len);
		if (write_all(s, w->fd, s->zbuf, HEADER, err) != PK_OK ||
		    write_all(s, w->fd, s->wraw, w->len, err) != PK_OK)
			return s->status;
		s->stats.bytes_written += HEADER + w->len;
		s->stats.bytes_spilled += w->len;
		w->len = 0;
		return PK_OK;
	}
	if (!s->zc) {
		if (!(s->zc = ZSTD_createCCtx()))
			return nomem(s, err);
		ZSTD_CCtx_setParameter(s->zc, ZSTD_c_compressionLevel, s->level);
		/* Fast mode: only matches of 7 bytes or more (the longest
		 * zstd looks for).  Records repeat whole strings: with -5,
		 * pref-curriculum --memory 20M on 200 MB of lists takes 15%
		 * less CPU time, for a quarter more bytes on disk. */
		if (s->level < 0)
			ZSTD_CCtx_setParameter(s->zc, ZSTD_c_minMatch, 7);
	}
	z = ZSTD_compress2(s->zc, s->zbuf + HEADER, s->zcap - HEADER,
			   s->wraw, w->len);
	if (ZSTD_isError(z))
		return fail(s, err, PK_ERR_IO, "zstd compression error: %s",
			    ZSTD_getErrorName(z));
	pk_sort_put_u32(s->zbuf, (uint32_t)z);
	pk_sort_put_u32(s->zbuf + 4, (uint32_t)w->len);
	if (write_all(s, w->fd, s->zbuf, HEADER + z, err) != PK_OK)
		return s->status;
	s->stats.bytes_written += HEADER + z;
	s->stats.bytes_spilled += w->len;
	w->len = 0;
	return PK_OK;
}

/* The LEB128 length of a record in b; its bytes. */
static size_t leb128(unsigned char *b, size_t v)
{
	size_t k = 0;

	do {
		b[k++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return k;
}

static int run_put(struct pk_sort *s, struct run_writer *w, const char *p,
		   size_t n, struct pk_error *err)
{
	while (n > 0) {
		size_t k = s->block - w->len;

		if (k > n)
			k = n;
		memcpy(s->wraw + w->len, p, k);
		w->len += k;
		p += k;
		n -= k;
		if (w->len == s->block && flush_block(s, w, err) != PK_OK)
			return s->status;
	}
	return PK_OK;
}

static int run_put_record(struct pk_sort *s, struct run_writer *w,
			  const char *p, size_t n, struct pk_error *err)
{
	unsigned char len[10];
	size_t k = leb128(len, n);

	if (run_put(s, w, (const char *)len, k, err) != PK_OK ||
	    run_put(s, w, p, n, err) != PK_OK)
		return s->status;
	w->nrec++;
	return PK_OK;
}

static int writev_all(struct pk_sort *s, int fd, struct iovec *iov, int n,
		      struct pk_error *err)
{
	while (n > 0) {
		ssize_t k = writev(fd, iov, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return io_fail(s, err, "cannot write", k < 0 ? errno : EIO);
		while (n > 0 && (size_t)k >= iov->iov_len) {
			k -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + k;
			iov->iov_len -= (size_t)k;
		}
	}
	return PK_OK;
}

/* The records in memory, in the order of s->ents, to the stored run of
 * w (nothing in its block yet): the same blocks as run_put_record()
 * makes, but each written with writev straight from the arena, without
 * a copy into s->wraw (a block ends early after STORE_IOV pieces). */
static int put_stored(struct pk_sort *s, struct run_writer *w,
		      struct pk_error *err)
{
	struct iovec iov[STORE_IOV];
	unsigned char hdr[HEADER], len[STORE_IOV][10];
	size_t i = 0, used = 0; /* of record i's current part */
	int part = 0;           /* 0 its length, 1 its bytes */

	while (i < s->nents) {
		size_t raw = 0;
		int k = 1, nl = 0;

		while (i < s->nents && raw < s->block && k < STORE_IOV) {
			const struct entry *e = &s->ents[i];
			const char *p;
			size_t n;

			if (part == 0) {
				n = leb128(len[nl], e->len);
				p = (const char *)len[nl++];
			} else {
				p = s->arena + e->off;
				n = e->len;
			}
			p += used;
			n -= used;
			if (n > s->block - raw) {
				n = s->block - raw;
				used += n;
			} else {
				used = 0;
				i += part;
				part = !part;
			}
			if (n) {
				iov[k].iov_base = (void *)p;
				iov[k].iov_len = n;
				k++;
				raw += n;
			}
		}
		if (raw == 0) /* only empty records were left */
			break;
		pk_sort_put_u32(hdr, STORED | (uint32_t)raw);
		pk_sort_put_u32(hdr + 4, (uint32_t)raw);
		iov[0].iov_base = hdr;
		iov[0].iov_len = HEADER;
		if (writev_all(s, w->fd, iov, k, err) != PK_OK)
			return s->status;
		s->stats.bytes_written += HEADER + raw;
		s->stats.bytes_spilled += raw;
	}
	w->nrec += s->nents;
	return PK_OK;
}

/* A run writer with nothing written yet, its compressor and block ready
 * (no file: the callers give it one). */
static int writer_ready(struct pk_sort *s, struct run_writer *w,
			struct pk_error *err)
{
	w->len = 0;
	w->nrec = 0;
	w->fd = -1;
	w->store = 0;
	if (zstd_ready(s, err) != PK_OK)
		return s->status;
	if (!s->wraw && !(s->wraw = malloc(s->block)))
		return nomem(s, err);
	return PK_OK;
}

/* opts.store: whether the run about to be written on fd may be stored
 * uncompressed, i.e. whether its file system has at least 1 GiB free and
 * at least as much as all runs written so far took. */
static int store_room(const struct pk_sort *s, int fd)
{
	struct statvfs sv;
	unsigned long long avail, need = s->stats.bytes_written;

	if (!s->store || fstatvfs(fd, &sv) < 0)
		return 0;
	avail = (unsigned long long)sv.f_bavail * sv.f_frsize;
	return avail >= s->store_floor && avail >= need;
}

void pk_sort_set_store_floor(struct pk_sort *s, unsigned long long bytes)
{
	s->store_floor = bytes;
}

static int run_begin(struct pk_sort *s, struct run_writer *w,
		     struct pk_error *err)
{
	int rc = writer_ready(s, w, err);

	if (rc != PK_OK)
		return rc;
	w->fd = tmp_open(s, err);
	if (w->fd < 0)
		return s->status;
	w->store = store_room(s, w->fd);
	return PK_OK;
}

/* The array arr of *cap elements of size elem, n of them used, with
 * room for one more: arr itself, or arr grown to twice the size (first
 * elements at first).  NULL when out of memory (arr is still valid). */
static void *room_for_one(void *arr, size_t *cap, size_t n, size_t elem,
			  size_t first)
{
	size_t c = *cap ? 2 * *cap : first;
	void *q;

	if (n < *cap)
		return arr;
	if (!(q = realloc(arr, c * elem)))
		return NULL;
	*cap = c;
	return q;
}

static int add_source(struct pk_sort *s, size_t at, const struct source *src,
		      struct pk_error *err)
{
	struct source *p = room_for_one(s->srcs, &s->srcs_cap, s->nsrcs,
					sizeof *s->srcs, 16);

	if (!p)
		return nomem(s, err);
	s->srcs = p;
	memmove(&s->srcs[at + 1], &s->srcs[at],
		(s->nsrcs - at) * sizeof *s->srcs);
	s->srcs[at] = *src;
	s->nsrcs++;
	return PK_OK;
}

/* End a run: flush it and put it among the sources at position at. */
static int run_end(struct pk_sort *s, struct run_writer *w, size_t at,
		   struct pk_error *err)
{
	struct source src;

	if (flush_block(s, w, err) != PK_OK)
		return s->status;
	memset(&src, 0, sizeof src);
	src.kind = SRC_RUN;
	src.fd = w->fd;
	src.nrec = src.left = w->nrec;
	w->fd = -1;
	if (lseek(src.fd, 0, SEEK_SET) < 0) {
		close(src.fd);
		return io_fail(s, err, "cannot read", errno);
	}
	if (add_source(s, at, &src, err) != PK_OK) {
		close(src.fd);
		return s->status;
	}
	return PK_OK;
}

/* The index of the first input among the sources. */
static size_t inputs_at(const struct pk_sort *s)
{
	return s->nsrcs - s->ninputs;
}

/* The one run of an in-order sort, to be extended: its source, or NULL
 * when there is none yet (or the records are not in order). */
static struct source *tail_run(struct pk_sort *s)
{
	size_t at = inputs_at(s);

	if (!s->in_order || at == 0 || s->srcs[at - 1].kind != SRC_RUN)
		return NULL;
	return &s->srcs[at - 1];
}

/* Note the last record of a spill of an in-order sort. */
static int keep_prev(struct pk_sort *s, const char *p, size_t n,
		     struct pk_error *err)
{
	if (!s->in_order)
		return PK_OK;
	pk_buf_reset(&s->prev);
	if (pk_buf_append(&s->prev, p, n) < 0)
		return nomem(s, err);
	s->have_prev = 1;
	return PK_OK;
}

/* Append records to the tail run t (written so far, read from 0). */
static int tail_begin(struct pk_sort *s, struct source *t,
		      struct run_writer *w, struct pk_error *err)
{
	int rc = writer_ready(s, w, err);

	if (rc != PK_OK)
		return rc;
	if (lseek(t->fd, 0, SEEK_END) < 0)
		return io_fail(s, err, "cannot write", errno);
	w->fd = t->fd;
	w->store = store_room(s, w->fd);
	return PK_OK;
}

static int tail_end(struct pk_sort *s, struct source *t, struct run_writer *w,
		    struct pk_error *err)
{
	if (flush_block(s, w, err) != PK_OK)
		return s->status;
	if (lseek(t->fd, 0, SEEK_SET) < 0)
		return io_fail(s, err, "cannot read", errno);
	t->nrec += w->nrec;
	t->left = t->nrec;
	return PK_OK;
}

/* Sort the records in memory and write them out as a run (or, in order,
 * append them to the run there is). */
static int spill(struct pk_sort *s, struct pk_error *err)
{
	struct run_writer w;
	struct source *t;
	size_t i;

	if (s->nents == 0)
		return PK_OK;
	if ((t = tail_run(s))) {
		/* in order: already sorted, and the run goes on */
		if (tail_begin(s, t, &w, err) != PK_OK)
			return s->status;
		if (w.store && put_stored(s, &w, err) != PK_OK)
			return s->status;
		for (i = 0; !w.store && i < s->nents; i++)
			if (run_put_record(s, &w, s->arena + s->ents[i].off,
					   s->ents[i].len, err) != PK_OK)
				return s->status;
		if (tail_end(s, t, &w, err) != PK_OK ||
		    keep_prev(s, s->arena + s->ents[s->nents - 1].off,
			      s->ents[s->nents - 1].len, err) != PK_OK)
			return s->status;
		s->nents = 0;
		s->arena_len = 0;
		return PK_OK;
	}
	if (!s->in_order)
		sort_ents(s, s->ents, s->nents, 64);
	if (keep_prev(s, s->arena + s->ents[s->nents - 1].off,
		      s->ents[s->nents - 1].len, err) != PK_OK)
		return s->status;
	if (run_begin(s, &w, err) != PK_OK)
		return s->status;
	if (w.store && put_stored(s, &w, err) != PK_OK)
		goto fail;
	for (i = 0; !w.store && i < s->nents; i++)
		if (run_put_record(s, &w, s->arena + s->ents[i].off,
				   s->ents[i].len, err) != PK_OK)
			goto fail;
	if (run_end(s, &w, inputs_at(s), err) != PK_OK)
		goto fail;
	s->stats.runs++;
	s->nents = 0;
	s->arena_len = 0;
	return tidy(s, err);
fail:
	if (w.fd >= 0)
		close(w.fd);
	return s->status;
}

/* ------------------------------------------------------------------ */
/* Adding                                                              */
/* ------------------------------------------------------------------ */

/* The runs one sort may hold open: a quarter of the open-file limit,
 * less 16 for the program's own files (inputs, outputs, standard
 * streams), so that a few sorts in one program stay within it. */
static unsigned files_for_runs(void)
{
	struct rlimit rl;
	rlim_t n;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return FAN_IN_MAX;
	n = rl.rlim_cur > 24 ? (rl.rlim_cur - 16) / 4 : 2;
	return n > FAN_IN_MAX ? FAN_IN_MAX : n < 2 ? 2 : (unsigned)n;
}

struct pk_sort *pk_sort_new(const struct pk_sort_opts *o,
			    struct pk_error *err)
{
	struct pk_sort *s = calloc(1, sizeof *s);
	const char *tmp = o && o->tmpdir ? o->tmpdir : getenv("TMPDIR");
	unsigned fan;

	if (!s) {
		pk_nomem(err);
		return NULL;
	}
	s->memory = o && o->memory ? o->memory : PK_SORT_MEMORY_DEFAULT;
	s->block = s->memory / 64;
	if (s->block < BLOCK_MIN)
		s->block = BLOCK_MIN;
	if (s->block > BLOCK_MAX)
		s->block = BLOCK_MAX;
	fan = o && o->fan_in ? o->fan_in : FAN_IN_MAX;
	if (s->memory / 2 / s->block < fan)
		fan = (unsigned)(s->memory / 2 / s->block);
	/* Not below FAN_IN_MIN unless asked: with a fan-in of 2 or 3 every
	 * few runs are merged again, and a tiny budget spends its time
	 * rewriting runs (see the top of the file). */
	if (fan < FAN_IN_MIN && !(o && o->fan_in && o->fan_in < FAN_IN_MIN))
		fan = FAN_IN_MIN;
	if (fan > files_for_runs())
		fan = files_for_runs();
	s->fan_in = fan < 2 ? 2 : fan;
	s->key_len = o ? o->key_len : 0;
	s->cmp = o ? o->cmp : NULL;
	s->ctx = o ? o->ctx : NULL;
	s->level = o && o->zstd_level ? o->zstd_level : 1;
	s->store = o ? o->store : 0;
	s->store_floor = STORE_FLOOR;
	s->last = -1;
	s->in_order = 1;
	s->tmpdir = strdup(tmp && *tmp ? tmp : "/tmp");
	if (!s->tmpdir) {
		free(s);
		pk_nomem(err);
		return NULL;
	}
	return s;
}

/* Memory the records in memory would take with n more bytes. */
static size_t held(const struct pk_sort *s, size_t n)
{
	return s->arena_len + n + (s->nents + 1) * ENTRY_SIZE;
}

/* Reserve the whole budget for the arena at once.  Pages are only taken
 * as records are written; huge pages (when the system has them) take the
 * page faults of filling a large arena from one per 4 KiB to one per
 * 2 MiB.  0 when the reservation fails (the arena then grows by realloc). */
static int reserve_arena(struct pk_sort *s)
{
	size_t len = s->memory;
	void *p;

	if (len < ((size_t)4 << 20))
		return 0;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return 0;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	s->arena = p;
	s->arena_cap = len;
	s->arena_mapped = 1;
	return 1;
}

static void release_arena(struct pk_sort *s)
{
	if (s->arena_mapped)
		munmap(s->arena, s->arena_cap);
	else
		free(s->arena);
	s->arena = NULL;
	s->arena_mapped = 0;
}

static int grow(struct pk_sort *s, size_t n, struct pk_error *err)
{
	struct entry *e;

	if (!s->arena)
		(void)reserve_arena(s); /* else grown below by realloc */
	if (s->arena_cap - s->arena_len < n) {
		size_t cap = s->arena_cap ? s->arena_cap : 64 << 10;

		if (s->arena_mapped) /* held() keeps records within it */
			return fail(s, err, PK_ERR_USAGE,
				    "pk_sort: arena overflow");
		char *p;

		while (cap - s->arena_len < n)
			cap *= 2;
		if (cap > s->memory && s->arena_len + n <= s->memory)
			cap = s->memory;
		if (!(p = realloc(s->arena, cap)))
			return nomem(s, err);
		s->arena = p;
		s->arena_cap = cap;
	}
	e = room_for_one(s->ents, &s->ents_cap, s->nents, sizeof *s->ents,
			 1024);
	if (!e)
		return nomem(s, err);
	s->ents = e;
	return PK_OK;
}

/* A record too large to be held at all: a run of its own (or, in order,
 * the end of the run there is). */
static int spill_one(struct pk_sort *s, const char *p, size_t n,
		     struct pk_error *err)
{
	struct run_writer w;
	struct source *t = tail_run(s);

	if (t) {
		if (tail_begin(s, t, &w, err) != PK_OK ||
		    run_put_record(s, &w, p, n, err) != PK_OK ||
		    tail_end(s, t, &w, err) != PK_OK)
			return s->status;
		return keep_prev(s, p, n, err);
	}
	if (keep_prev(s, p, n, err) != PK_OK)
		return s->status;
	if (run_begin(s, &w, err) != PK_OK)
		return s->status;
	if (run_put_record(s, &w, p, n, err) != PK_OK ||
	    run_end(s, &w, inputs_at(s), err) != PK_OK) {
		if (w.fd >= 0)
			close(w.fd);
		return s->status;
	}
	s->stats.runs++;
	return tidy(s, err);
}

int pk_sort_add(struct pk_sort *s, const void *rec, size_t n,
		struct pk_error *err)
{
	struct entry *e;

	if (s->status != PK_OK)
		return sticky(s, err);
	if (s->state != 0)
		return fail(s, err, PK_ERR_USAGE,
			    "pk_sort_add after pk_sort_next");
	if (held(s, n) > s->memory && spill(s, err) != PK_OK)
		return s->status;
	s->stats.records++;
	/* still in order?  Against the record before, in memory or the
	 * last one spilled */
	if (s->in_order) {
		if (s->nents)
			s->in_order = rec_cmp(s, s->arena + s->ents[s->nents - 1].off,
					      s->ents[s->nents - 1].len, rec,
					      n) <= 0;
		else if (s->have_prev)
			s->in_order = rec_cmp(s, s->prev.data, s->prev.len,
					      rec, n) <= 0;
		if (!s->in_order)
			pk_buf_free(&s->prev);
	}
	if (held(s, n) > s->memory)
		return spill_one(s, rec, n, err);
	if (grow(s, n, err) != PK_OK)
		return s->status;
	e = &s->ents[s->nents++];
	e->off = s->arena_len;
	e->len = n;
	first16(s, rec, n, e);
	if (n)
		memcpy(s->arena + s->arena_len, rec, n);
	s->arena_len += n;
	return PK_OK;
}

int pk_sort_add_input(struct pk_sort *s,
		      int (*next)(void *ctx, const void **rec, size_t *n,
				  struct pk_error *err),
		      void *ctx, struct pk_error *err)
{
	struct source src;

	if (s->status != PK_OK)
		return sticky(s, err);
	if (s->state != 0)
		return fail(s, err, PK_ERR_USAGE,
			    "pk_sort_add_input after pk_sort_next");
	memset(&src, 0, sizeof src);
	src.kind = SRC_INPUT;
	src.fd = -1;
	src.next = next;
	src.ctx = ctx;
	if (add_source(s, s->nsrcs, &src, err) != PK_OK)
		return s->status;
	s->ninputs++;
	return PK_OK;
}

int pk_sort_add_run(struct pk_sort *s,
		    int (*next)(void *ctx, const void **rec, size_t *n,
				struct pk_error *err),
		    void *ctx, struct pk_error *err)
{
	struct run_writer w;
	const void *p;
	size_t n;
	int rc;

	if (s->status != PK_OK)
		return sticky(s, err);
	if (s->state != 0)
		return fail(s, err, PK_ERR_USAGE,
			    "pk_sort_add_run after pk_sort_next");
	/* the records added before come first among equal ones */
	if (spill(s, err) != PK_OK)
		return s->status;
	s->in_order = 0; /* a run of the caller's is no run to extend */
	pk_buf_free(&s->prev);
	if (run_begin(s, &w, err) != PK_OK)
		return s->status;
	for (;;) {
		struct pk_error e = {0};

		p = NULL;
		n = 0;
		rc = next(ctx, &p, &n, &e);
		if (rc == PK_EOF)
			break;
		if (rc != PK_OK) {
			if (s->status == PK_OK) {
				s->status = rc;
				s->ferr = e;
			}
			close(w.fd);
			return sticky(s, err);
		}
		s->stats.records++;
		if (run_put_record(s, &w, p, n, err) != PK_OK) {
			close(w.fd);
			return s->status;
		}
	}
	if (w.nrec == 0) {
		close(w.fd);
		return PK_OK;
	}
	if (run_end(s, &w, inputs_at(s), err) != PK_OK) {
		if (w.fd >= 0)
			close(w.fd);
		return s->status;
	}
	s->stats.runs++;
	return tidy(s, err);
}

/* ------------------------------------------------------------------ */
/* Reading sources                                                     */
/* ------------------------------------------------------------------ */

/* Load the next block of a run: 1, 0 at its end, or negative. */
static int load_block(struct pk_sort *s, struct source *src,
		      struct pk_error *err)
{
	uint32_t z, raw;
	size_t got;
	int rc;

	rc = read_all(s, src->fd, s->zbuf, HEADER, err);
	if (rc <= 0)
		return rc;
	z = pk_sort_get_u32(s->zbuf);
	raw = pk_sort_get_u32(s->zbuf + 4);
	if (raw > s->block || raw == 0 ||
	    (z & STORED ? z != (STORED | raw) : z > s->zcap - HEADER))
		return io_fail(s, err, "corrupt data in", EIO);
	if (!src->raw && !(src->raw = malloc(s->block)))
		return nomem(s, err);
	if (z & STORED) { /* straight into the block */
		if (read_all(s, src->fd, src->raw, raw, err) != 1)
			return s->status != PK_OK
				       ? s->status
				       : io_fail(s, err, "cannot read", EIO);
		src->raw_len = raw;
		src->raw_pos = 0;
		return 1;
	}
	if (read_all(s, src->fd, s->zbuf + HEADER, z, err) != 1)
		return s->status != PK_OK ? s->status
					  : io_fail(s, err, "cannot read", EIO);
	if (!s->zd && !(s->zd = ZSTD_createDCtx()))
		return nomem(s, err);
	got = ZSTD_decompressDCtx(s->zd, src->raw, s->block,
				  s->zbuf + HEADER, z);
	if (ZSTD_isError(got) || got != raw)
		return io_fail(s, err, "corrupt data in", EIO);
	src->raw_len = raw;
	src->raw_pos = 0;
	return 1;
}

/* Make sure the current block has a byte left: PK_OK, or negative (the
 * end of the run counts as corrupt: a record was announced). */
static int run_more(struct pk_sort *s, struct source *src,
		    struct pk_error *err)
{
	int rc;

	if (src->raw_pos < src->raw_len)
		return PK_OK;
	rc = load_block(s, src, err);
	if (rc == 0)
		return io_fail(s, err, "corrupt data in", EIO);
	return rc < 0 ? rc : PK_OK;
}

static int run_next(struct pk_sort *s, struct source *src,
		    struct pk_error *err)
{
	size_t len = 0, avail;
	unsigned shift = 0;
	int c;

	if (src->left == 0)
		return PK_EOF;
	do {
		if ((c = run_more(s, src, err)) < 0)
			return c;
		c = (unsigned char)src->raw[src->raw_pos++];
		if (shift > 63)
			return io_fail(s, err, "corrupt data in", EIO);
		len |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	src->left--;
	avail = src->raw_len - src->raw_pos;
	if (avail >= len) {
		src->rec = src->raw + src->raw_pos;
		src->n = len;
		src->raw_pos += len;
		return PK_OK;
	}
	/* It straddles blocks: put it together. */
	pk_buf_reset(&src->carry);
	while (len > 0) {
		size_t k;

		if ((c = run_more(s, src, err)) < 0)
			return c;
		k = src->raw_len - src->raw_pos;
		if (k > len)
			k = len;
		if (pk_buf_append(&src->carry, src->raw + src->raw_pos, k) < 0)
			return nomem(s, err);
		src->raw_pos += k;
		len -= k;
	}
	src->rec = src->carry.data;
	src->n = src->carry.len;
	return PK_OK;
}

/* Move a source to its next record: PK_OK, PK_EOF (src->done), or
 * negative. */
static int advance(struct pk_sort *s, struct source *src, struct pk_error *err)
{
	int rc;

	switch (src->kind) {
	case SRC_RUN:
		rc = run_next(s, src, err);
		break;
	case SRC_MEM:
		if (src->pos == s->nents) {
			rc = PK_EOF;
			break;
		}
		src->rec = s->arena + s->ents[src->pos].off;
		src->n = s->ents[src->pos].len;
		src->pos++;
		rc = PK_OK;
		break;
	default: {
		struct pk_error e = {0};
		const void *p = NULL;

		rc = src->next(src->ctx, &p, &src->n, &e);
		if (rc == PK_OK) {
			src->rec = p;
		} else if (rc != PK_EOF) {
			/* the input's own error, passed on as it is */
			if (s->status == PK_OK) {
				s->status = rc;
				s->ferr = e;
			}
			return sticky(s, err);
		}
		break;
	}
	}
	if (rc == PK_EOF)
		src->done = 1;
	return rc;
}

/* Give back the memory of the records held. */
static void free_memory(struct pk_sort *s)
{
	release_arena(s);
	free(s->ents);
	s->ents = NULL;
	s->arena_len = s->arena_cap = s->nents = s->ents_cap = 0;
}

/* Release what a source holds (its file, its buffers). */
static void source_close(struct pk_sort *s, struct source *src)
{
	if (src->kind == SRC_RUN && src->fd >= 0)
		close(src->fd);
	if (src->kind == SRC_MEM)
		free_memory(s);
	free(src->raw);
	pk_buf_free(&src->carry);
	src->raw = NULL;
	src->fd = -1;
}

/* ------------------------------------------------------------------ */
/* Merging                                                             */
/* ------------------------------------------------------------------ */

/* Does source a come before source b (records, then source order)? */
static int before(struct pk_sort *s, size_t a, size_t b)
{
	const struct source *x = &s->srcs[a], *y = &s->srcs[b];
	int c = rec_cmp(s, x->rec, x->n, y->rec, y->n);

	return c < 0 || (c == 0 && a < b);
}

static void heap_down(struct pk_sort *s, size_t i)
{
	size_t *h = s->heap, n = s->nheap;

	for (;;) {
		size_t c = 2 * i + 1, t;

		if (c >= n)
			return;
		if (c + 1 < n && before(s, h[c + 1], h[c]))
			c++;
		if (!before(s, h[c], h[i]))
			return;
		t = h[i];
		h[i] = h[c];
		h[c] = t;
		i = c;
	}
}

/* Prime sources [from, to) and build the heap over those that have a
 * record. */
static int heap_build(struct pk_sort *s, size_t from, size_t to,
		      struct pk_error *err)
{
	size_t i;
	int rc;

	free(s->heap);
	s->heap = malloc((to - from + 1) * sizeof *s->heap);
	if (!s->heap)
		return nomem(s, err);
	s->nheap = 0;
	for (i = from; i < to; i++) {
		rc = advance(s, &s->srcs[i], err);
		if (rc == PK_OK)
			s->heap[s->nheap++] = i;
		else if (rc != PK_EOF)
			return rc;
	}
	for (i = s->nheap / 2; i-- > 0;)
		heap_down(s, i);
	return PK_OK;
}

/* After the top source has been used: move it on and restore the heap. */
static int heap_pop_advance(struct pk_sort *s, struct pk_error *err)
{
	int rc = advance(s, &s->srcs[s->heap[0]], err);

	if (rc == PK_EOF)
		s->heap[0] = s->heap[--s->nheap];
	else if (rc != PK_OK)
		return rc;
	if (s->nheap)
		heap_down(s, 0);
	return PK_OK;
}

/* Merge sources [from, from + k) into one new run that takes their
 * place. */
static int merge_group(struct pk_sort *s, size_t from, size_t k,
		       struct pk_error *err)
{
	struct run_writer w;
	struct source src;
	size_t i;

	if (run_begin(s, &w, err) != PK_OK)
		return s->status;
	if (heap_build(s, from, from + k, err) != PK_OK)
		goto fail;
	while (s->nheap) {
		const struct source *top = &s->srcs[s->heap[0]];

		if (run_put_record(s, &w, top->rec, top->n, err) != PK_OK ||
		    heap_pop_advance(s, err) != PK_OK)
			goto fail;
	}
	if (flush_block(s, &w, err) != PK_OK)
		goto fail;
	for (i = from; i < from + k; i++) {
		if (s->srcs[i].kind == SRC_INPUT)
			s->ninputs--;
		source_close(s, &s->srcs[i]);
	}
	memmove(&s->srcs[from + 1], &s->srcs[from + k],
		(s->nsrcs - from - k) * sizeof *s->srcs);
	s->nsrcs -= k - 1;
	memset(&src, 0, sizeof src);
	src.kind = SRC_RUN;
	src.fd = w.fd;
	src.nrec = src.left = w.nrec;
	if (lseek(src.fd, 0, SEEK_SET) < 0) {
		s->srcs[from].kind = SRC_RUN;
		s->srcs[from].fd = -1;
		close(w.fd);
		return io_fail(s, err, "cannot read", errno);
	}
	s->srcs[from] = src;
	return PK_OK;
fail:
	if (w.fd >= 0)
		close(w.fd);
	return s->status;
}

/* Merge in passes until at most fan_in sources are left. */
static int reduce(struct pk_sort *s, struct pk_error *err)
{
	while (s->nsrcs > s->fan_in) {
		size_t i = 0;

		s->stats.merge_passes++;
		while (s->nsrcs > s->fan_in && i < s->nsrcs) {
			size_t need = s->nsrcs - s->fan_in + 1;
			size_t k = need < s->fan_in ? need : s->fan_in;

			if (k > s->nsrcs - i)
				k = s->nsrcs - i;
			if (k >= 2 && merge_group(s, i, k, err) != PK_OK)
				return s->status;
			i++;
		}
	}
	return PK_OK;
}

/* While adding: once the runs reach the fan-in, merge the newest runs
 * that share a level into one run of the next level (with the group
 * before them when the newest run is alone at its level); see the top of
 * the file.  The records in memory have just been spilled: their memory
 * is given back while the merge reads its blocks. */
static int tidy(struct pk_sort *s, struct pk_error *err)
{
	for (;;) {
		size_t nruns = inputs_at(s), k = 1;
		unsigned level;

		if (nruns < 2 || nruns < s->fan_in)
			return PK_OK;
		level = s->srcs[nruns - 1].level;
		while (k < nruns && s->srcs[nruns - 1 - k].level == level)
			k++;
		if (k == 1) {
			/* levels only grow towards the oldest run */
			level = s->srcs[nruns - 2].level;
			while (k < nruns && s->srcs[nruns - 1 - k].level == level)
				k++;
		}
		if (s->nents == 0)
			free_memory(s);
		s->stats.merge_passes++;
		if (merge_group(s, nruns - k, k, err) != PK_OK)
			return s->status;
		s->srcs[nruns - k].level = level + 1;
	}
}

/* The first pk_sort_next(): decide how the records come out. */
static int finish(struct pk_sort *s, struct pk_error *err)
{
	struct source mem;

	s->state = 1;
	if (s->nsrcs == 0) {
		/* Everything is in memory. */
		sort_ents(s, s->ents, s->nents, 64);
		s->direct = 1;
		s->mem_pos = 0;
		return PK_OK;
	}
	if (s->nents) {
		size_t nsrc = s->nsrcs + 1;
		size_t readers = (nsrc < s->fan_in ? nsrc : s->fan_in) *
				 s->block;

		/* Keep the last run in memory only when it leaves room for
		 * the merge's buffers. */
		if (held(s, 0) + readers > s->memory) {
			if (spill(s, err) != PK_OK)
				return s->status;
			free_memory(s);
		} else {
			sort_ents(s, s->ents, s->nents, 64);
			memset(&mem, 0, sizeof mem);
			mem.kind = SRC_MEM;
			mem.fd = -1;
			if (add_source(s, inputs_at(s), &mem, err) != PK_OK)
				return s->status;
		}
	} else {
		free_memory(s);
	}
	if (reduce(s, err) != PK_OK)
		return s->status;
	return heap_build(s, 0, s->nsrcs, err);
}

int pk_sort_next(struct pk_sort *s, const void **rec, size_t *n,
		 struct pk_error *err)
{
	if (s->status != PK_OK)
		return sticky(s, err);
	if (s->state == 2)
		return PK_EOF;
	if (s->state == 0) {
		if (finish(s, err) != PK_OK)
			return s->status;
	} else if (!s->direct && s->last >= 0) {
		if (heap_pop_advance(s, err) != PK_OK)
			return s->status;
	}
	if (s->direct) {
		const struct entry *e;

		if (s->mem_pos == s->nents) {
			s->state = 2;
			return PK_EOF;
		}
		e = &s->ents[s->mem_pos++];
		*rec = s->arena + e->off;
		*n = e->len;
		return PK_OK;
	}
	if (s->nheap == 0) {
		s->state = 2;
		s->last = -1;
		return PK_EOF;
	}
	s->last = (long)s->heap[0];
	*rec = s->srcs[s->last].rec;
	*n = s->srcs[s->last].n;
	return PK_OK;
}

int pk_sort_rewind(struct pk_sort *s, struct pk_error *err)
{
	size_t i;

	if (s->status != PK_OK)
		return sticky(s, err);
	if (s->state == 0)
		return PK_OK;
	if (s->ninputs)
		return fail(s, err, PK_ERR_USAGE,
			    "cannot rewind a merge of inputs");
	s->state = 1;
	if (s->direct) {
		s->mem_pos = 0;
		return PK_OK;
	}
	for (i = 0; i < s->nsrcs; i++) {
		struct source *src = &s->srcs[i];

		src->done = 0;
		src->pos = 0;
		if (src->kind != SRC_RUN)
			continue;
		if (lseek(src->fd, 0, SEEK_SET) < 0)
			return io_fail(s, err, "cannot read", errno);
		src->left = src->nrec;
		src->raw_len = src->raw_pos = 0;
	}
	s->last = -1;
	return heap_build(s, 0, s->nsrcs, err);
}

int pk_sort_compare(const struct pk_sort *s, const void *a, size_t an,
		    const void *b, size_t bn)
{
	return rec_cmp(s, a, an, b, bn);
}

void pk_sort_get_stats(const struct pk_sort *s, struct pk_sort_stats *st)
{
	*st = s->stats;
}

void pk_sort_free(struct pk_sort *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nsrcs; i++)
		if (s->srcs[i].kind != SRC_MEM)
			source_close(s, &s->srcs[i]);
	free(s->srcs);
	release_arena(s);
	free(s->ents);
	free(s->heap);
	free(s->wraw);
	free(s->zbuf);
	ZSTD_freeCCtx(s->zc);
	ZSTD_freeDCtx(s->zd);
	free(s->tmpdir);
	pk_buf_free(&s->prev);
	free(s);
}
