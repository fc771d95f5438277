/* SPDX-License-Identifier: MIT */
/*
 * zio.c - struct pk_zin, the byte stream under the reader: opens a file or
 * standard input, reads it with read(2) in large chunks, recognises zstd
 * (concatenated and skippable frames) and gzip (concatenated members) by
 * their magic numbers and decompresses them, and tells a stream that ends
 * in the middle of a frame from one that ends cleanly.  The sniffed bytes
 * are kept, so pipes work as well as files.
 *
 * A compressed regular file is decoded on a thread of its own when more
 * than one CPU is there (and PREFKIT_THREADS is not 1): the thread fills a
 * ring of ZIN_SLOTS buffers of ZIN_SLOT bytes ahead of the reader, so that
 * scanning hides behind decompression.  The bytes, the error (after every
 * byte decoded before it) and the end are those of the direct path.  Pipes
 * keep the direct path: a thread blocked in read(2) on a pipe could not be
 * stopped when the reader closes early.
 *
 * A regular file holding plain data may be memory-mapped instead, when the
 * program asked for it (pk_input_map_mode: the command-line tools do, and
 * catch the SIGBUS a file cut short under the mapping raises): the reader
 * then finds its lines in the mapping, and nothing is copied.  The mapping
 * is followed by one inaccessible page, so that a read past the end of the
 * file faults at once even when its size is a multiple of the page size.
 * Pages the reader is done with are given back (MADV_DONTNEED), so the
 * resident memory stays small however large the file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>
#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

#include "pk_private.h"
#include "zio.h"

/* The decoding thread's ring: 8 slots ahead of the reader.  A slot is
 * one chunk, which is also the most the direct path decodes in one call:
 * zstd hands out a different amount of a frame whose checksum fails
 * depending on the room it is given, so both paths give it the same. */
#define ZIN_SLOTS 8
#define ZIN_SLOT ((size_t)PK_ZIO_CHUNK)

struct zin_slot {
	unsigned char *data;
	size_t len;
	int end;                  /* 0 data, 1 end of stream, -1 error */
};

struct zin_ring {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;        /* a slot filled, or one given back */
	struct zin_slot slot[ZIN_SLOTS];
	unsigned long head, tail; /* slots read from / filled: head <= tail */
	size_t head_pos;          /* bytes of slot head already handed out */
	int stop;
	struct pk_error err;      /* the thread's error (slot end -1) */
};

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
	/* the stream was found corrupt: every later call says so again */
	int failed;
	struct pk_error failure;
#ifdef HAVE_ZLIB
	z_stream zs;
	int zs_init;
	int member_done;          /* a gzip member just ended */
#endif
	struct zin_ring *ring;    /* decoding on its own thread, or NULL */

	/* a mapped file: its bytes are map[0..map_len), the mapping (with
	 * its guard page) is region[0..region_len) */
	const char *map;
	size_t map_len;
	char *region;
	size_t region_len;
	off_t map_off;            /* file offset of map[0] */
	char *released;           /* the pages before this are given back */
	int map_slot;             /* in maps[] */
};

/* The mappings alive, for pk_input_mapped_at() (a signal handler). */
#define ZIN_MAPS 16
static struct {
	const char *volatile start;
	volatile size_t len;
	char *volatile name;
} maps[ZIN_MAPS];

static int map_mode;

/* The pages before the reader's position are given back up to a multiple
 * of this in address: the kernel maps the pages around one that faults
 * ("fault-around", within the 2 MiB one page table covers), so a page
 * given back just before the position would come back, never to leave. */
#define ZIN_RELEASE_ALIGN ((uintptr_t)2 << 20)
/* The files mapped by default (mode 1): at least this large. */
#define ZIN_MAP_MIN ((size_t)64 << 10)

static void ring_start(struct pk_zin *z);
static int try_map(struct pk_zin *z, const struct stat *st, const char *path);

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
	/* the decoding thread counts, pk_zin_bytes_in reads (progress) */
	__atomic_fetch_add(&z->bytes_in, (unsigned long long)got,
			   __ATOMIC_RELAXED);
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
	if (z->regular && map_mode > 0 && try_map(z, &st, path) == PK_OK) {
		*out = z;
		return PK_OK;
	}

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
	if (z->format != PK_ZIN_PLAIN && z->regular && pk_threads() > 1)
		ring_start(z);
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

static ssize_t decode(struct pk_zin *z, void *p, size_t n,
		      struct pk_error *err)
{
	ssize_t got;

	if (z->failed) {
		if (err)
			*err = z->failure;
		return PK_FATAL;
	}
	if (n > ZIN_SLOT)
		n = ZIN_SLOT;
	switch (z->format) {
	case PK_ZIN_ZSTD:
		got = read_zstd(z, p, n, &z->failure);
		break;
#ifdef HAVE_ZLIB
	case PK_ZIN_GZIP:
		got = read_gzip(z, p, n, &z->failure);
		break;
#endif
	default:
		got = read_plain(z, p, n, &z->failure);
		break;
	}
	if (got < 0) {
		z->failed = 1;
		if (err)
			*err = z->failure;
	}
	return got;
}

/* ---------------------------------------------------------------- */
/* Decoding on a thread of its own                                   */
/* ---------------------------------------------------------------- */

static void *ring_main(void *arg)
{
	struct pk_zin *z = arg;
	struct zin_ring *r = z->ring;

	for (;;) {
		struct zin_slot *sl;
		ssize_t got;

		pthread_mutex_lock(&r->mu);
		while (r->tail - r->head == ZIN_SLOTS && !r->stop)
			pthread_cond_wait(&r->cv, &r->mu);
		if (r->stop) {
			pthread_mutex_unlock(&r->mu);
			return NULL;
		}
		sl = &r->slot[r->tail % ZIN_SLOTS];
		pthread_mutex_unlock(&r->mu);
		/* the slot is the thread's until tail moves past it */
		got = decode(z, sl->data, ZIN_SLOT, &r->err);
		sl->len = got > 0 ? (size_t)got : 0;
		sl->end = got > 0 ? 0 : got == 0 ? 1 : -1;
		pthread_mutex_lock(&r->mu);
		r->tail++;
		pthread_cond_signal(&r->cv);
		pthread_mutex_unlock(&r->mu);
		if (got <= 0)
			return NULL;
	}
}

long pk_threads(void)
{
	const char *e = getenv("PREFKIT_THREADS");

	if (e && *e) {
		char *end;
		long v = strtol(e, &end, 10);

		if (*end == '\0' && v >= 1)
			return v;
	}
#ifdef CPU_COUNT
	{
		/* the CPUs this process may run on (a container's or
		 * taskset's cpuset), not every CPU online */
		cpu_set_t set;

		if (sched_getaffinity(0, sizeof set, &set) == 0 &&
		    CPU_COUNT(&set) > 0)
			return CPU_COUNT(&set);
	}
#endif
	return sysconf(_SC_NPROCESSORS_ONLN);
}

static void ring_free(struct zin_ring *r)
{
	int i;

	for (i = 0; i < ZIN_SLOTS; i++)
		free(r->slot[i].data);
	free(r);
}

/* Start the decoding thread; without memory or a thread, the direct path
 * stays (nothing is lost but the overlap). */
static void ring_start(struct pk_zin *z)
{
	struct zin_ring *r = calloc(1, sizeof *r);
	sigset_t all, old;
	int i, rc;

	if (!r)
		return;
	for (i = 0; i < ZIN_SLOTS; i++)
		if (!(r->slot[i].data = malloc(ZIN_SLOT))) {
			ring_free(r);
			return;
		}
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	z->ring = r;
	/* signals are the main thread's (its handlers remove temporary
	 * files): the decoding thread blocks them all */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&r->thread, NULL, ring_main, z);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		z->ring = NULL;
		pthread_mutex_destroy(&r->mu);
		pthread_cond_destroy(&r->cv);
		ring_free(r);
	}
}

static ssize_t ring_read(struct pk_zin *z, void *p, size_t n,
			 struct pk_error *err)
{
	struct zin_ring *r = z->ring;
	struct zin_slot *sl;
	size_t k;

	pthread_mutex_lock(&r->mu);
	while (r->head == r->tail)
		pthread_cond_wait(&r->cv, &r->mu);
	sl = &r->slot[r->head % ZIN_SLOTS];
	pthread_mutex_unlock(&r->mu);
	/* the end and the error stay: later calls see them again */
	if (sl->end > 0)
		return 0;
	if (sl->end < 0) {
		if (err)
			*err = r->err;
		return PK_FATAL;
	}
	k = sl->len - r->head_pos;
	if (k > n)
		k = n;
	memcpy(p, sl->data + r->head_pos, k);
	r->head_pos += k;
	if (r->head_pos == sl->len) {
		r->head_pos = 0;
		pthread_mutex_lock(&r->mu);
		r->head++;
		pthread_cond_signal(&r->cv);
		pthread_mutex_unlock(&r->mu);
	}
	return (ssize_t)k;
}

static void ring_stop(struct pk_zin *z)
{
	struct zin_ring *r = z->ring;

	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	ring_free(r);
	z->ring = NULL;
}


/* ---------------------------------------------------------------- */
/* Mapping a regular file                                            */
/* ---------------------------------------------------------------- */

void pk_input_map_mode(int mode)
{
	map_mode = mode;
}

const char *pk_input_mapped_at(const void *addr)
{
	const char *a = addr;
	int i;

	for (i = 0; i < ZIN_MAPS; i++) {
		const char *s = __atomic_load_n(&maps[i].start, __ATOMIC_ACQUIRE);

		if (s && a >= s && (size_t)(a - s) < maps[i].len)
			return maps[i].name;
	}
	return NULL;
}

/* A slot in maps[] for region[0..len) (the guard page included: a read
 * past the end is a fault of ours, not a truncated file), or -1. */
static pthread_mutex_t maps_mu = PTHREAD_MUTEX_INITIALIZER;

static int map_register(char *region, size_t len, const char *path)
{
	char *name = strdup(path && strcmp(path, "-") != 0 ? path : "-");
	int i;

	if (!name)
		return -1;
	pthread_mutex_lock(&maps_mu);
	for (i = 0; i < ZIN_MAPS; i++)
		if (!maps[i].start) {
			maps[i].name = name;
			maps[i].len = len;
			__atomic_store_n(&maps[i].start, (const char *)region,
					 __ATOMIC_RELEASE);
			break;
		}
	pthread_mutex_unlock(&maps_mu);
	if (i == ZIN_MAPS) {
		free(name);
		return -1;
	}
	return i;
}

static void map_unregister(int i)
{
	char *name;

	pthread_mutex_lock(&maps_mu);
	name = maps[i].name;
	__atomic_store_n(&maps[i].start, NULL, __ATOMIC_RELEASE);
	maps[i].name = NULL;
	pthread_mutex_unlock(&maps_mu);
	free(name);
}

/* Map the rest of the regular file z->fd (from its offset: standard input
 * may have been read from already) when it is large enough and holds
 * plain data.  PK_OK when mapped; anything else leaves z as it was, for
 * read(2). */
static int try_map(struct pk_zin *z, const struct stat *st, const char *path)
{
	long pg = sysconf(_SC_PAGESIZE);
	off_t off = 0, aoff;
	size_t size, delta, mlen, total;
	char *region, *p;

	if (pg <= 0)
		return PK_FATAL;
	if (!z->own_fd && (off = lseek(z->fd, 0, SEEK_CUR)) < 0)
		return PK_FATAL;
	if (st->st_size <= off ||
	    (unsigned long long)(st->st_size - off) > SIZE_MAX / 2)
		return PK_FATAL;
	size = (size_t)(st->st_size - off);
	if (size < (map_mode > 1 ? 1 : ZIN_MAP_MIN))
		return PK_FATAL;
	aoff = off & ~(off_t)(pg - 1);
	delta = (size_t)(off - aoff);
	mlen = delta + size;
	total = (mlen + (size_t)pg - 1) / (size_t)pg * (size_t)pg + (size_t)pg;
	region = mmap(NULL, total, PROT_NONE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (region == MAP_FAILED)
		return PK_FATAL;
	p = mmap(region, mlen, PROT_READ, MAP_SHARED | MAP_FIXED, z->fd, aoff);
	if (p == MAP_FAILED) {
		munmap(region, total);
		return PK_FATAL;
	}
	z->map_slot = map_register(region, total, path);
	if (z->map_slot < 0) {
		munmap(region, total);
		return PK_FATAL;
	}
	/* the first bytes say whether the data is compressed */
	if (sniff((const unsigned char *)p + delta, size < 4 ? size : 4) !=
	    PK_ZIN_PLAIN) {
		map_unregister(z->map_slot);
		munmap(region, total);
		return PK_FATAL;
	}
	madvise(p, mlen, MADV_SEQUENTIAL);
	z->region = region;
	z->region_len = total;
	z->map = p + delta;
	z->map_len = size;
	z->map_off = off;
	z->released = region;
	z->format = PK_ZIN_PLAIN;
	return PK_OK;
}

const char *pk_zin_map(const struct pk_zin *z, size_t *len)
{
	*len = z->map_len;
	return z->map;
}

void pk_zin_map_seen(struct pk_zin *z, size_t end)
{
	__atomic_store_n(&z->bytes_in, (unsigned long long)end,
			 __ATOMIC_RELAXED);
}

void pk_zin_map_release(struct pk_zin *z, size_t upto)
{
	char *to;

	if (!z->map || upto > z->map_len)
		return;
	to = (char *)((uintptr_t)(z->map + upto) & ~(ZIN_RELEASE_ALIGN - 1));
	if (to <= z->released)
		return;
	madvise(z->released, (size_t)(to - z->released), MADV_DONTNEED);
	z->released = to;
}

static ssize_t read_mapped(struct pk_zin *z, void *p, size_t n)
{
	size_t pos = (size_t)pk_zin_bytes_in(z);

	if (n > z->map_len - pos)
		n = z->map_len - pos;
	memcpy(p, z->map + pos, n);
	pk_zin_map_seen(z, pos + n);
	return (ssize_t)n;
}

ssize_t pk_zin_read(struct pk_zin *z, void *p, size_t n,
		    struct pk_error *err)
{
	if (z->map)
		return read_mapped(z, p, n);
	if (z->ring)
		return ring_read(z, p, n, err);
	return decode(z, p, n, err);
}

enum pk_zin_format pk_zin_format(const struct pk_zin *z)
{
	return z->format;
}

unsigned long long pk_zin_bytes_in(const struct pk_zin *z)
{
	return __atomic_load_n(&z->bytes_in, __ATOMIC_RELAXED);
}

int pk_zin_seekable(const struct pk_zin *z)
{
	return z->regular && z->format == PK_ZIN_PLAIN;
}

void pk_zin_close(struct pk_zin *z)
{
	if (!z)
		return;
	if (z->ring)
		ring_stop(z);
	if (z->map) {
		map_unregister(z->map_slot);
		munmap(z->region, z->region_len);
		/* standard input is left where read(2) would have left it */
		if (!z->own_fd)
			lseek(z->fd, z->map_off + (off_t)pk_zin_bytes_in(z),
			      SEEK_SET);
	}
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
