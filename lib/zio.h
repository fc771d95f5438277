/* SPDX-License-Identifier: MIT */
/*
 * zio.h - the raw input stream under struct pk_reader: a file or standard
 * input, plain, zstd or gzip, told apart by the first bytes (so pipes work
 * too).  Internal to libprefkit.
 */
#ifndef PK_ZIO_H
#define PK_ZIO_H

#include <stddef.h>
#include <sys/types.h>

#include "prefkit.h"

/* Size of one read(2) from the underlying file.  A fuzzing build may make
 * it tiny, so that small inputs cross the reader's buffer boundaries. */
#ifndef PK_ZIO_CHUNK
#define PK_ZIO_CHUNK (256u * 1024u)
#endif

enum pk_zin_format {
	PK_ZIN_PLAIN = 0,
	PK_ZIN_ZSTD,
	PK_ZIN_GZIP,
};

struct pk_zin;

/* Open path (NULL or "-" = standard input, which is never closed) and sniff
 * its format.  Returns PK_OK and *out, or PK_FATAL with err set (kind
 * PK_ERR_IO, text such as "No such file or directory"). */
int pk_zin_open(struct pk_zin **out, const char *path, struct pk_error *err);

/* Read up to n (> 0) decompressed bytes into p.  Returns the count (> 0),
 * 0 at the end of the stream, or PK_FATAL with err set: a read error, a
 * corrupt or truncated compressed stream, out of memory. */
ssize_t pk_zin_read(struct pk_zin *z, void *p, size_t n,
		    struct pk_error *err);

enum pk_zin_format pk_zin_format(const struct pk_zin *z);
/* Bytes read from the file descriptor so far (compressed bytes). */
unsigned long long pk_zin_bytes_in(const struct pk_zin *z);
/* 1 when the input is a regular file holding plain (uncompressed) data. */
int pk_zin_seekable(const struct pk_zin *z);
void pk_zin_close(struct pk_zin *z);

/* A memory-mapped input (see pk_input_map_mode): its bytes and their
 * count, or NULL when z is read with read(2).  The reader tells how far
 * it has got (bytes_in, for progress, and where standard input is left
 * at the end), and up to where it no longer needs the bytes: their pages
 * are given back, 2 MiB at a time (they read the same if touched
 * again: the file is read again). */
const char *pk_zin_map(const struct pk_zin *z, size_t *len);
void pk_zin_map_seen(struct pk_zin *z, size_t end);
void pk_zin_map_release(struct pk_zin *z, size_t upto);

#endif /* PK_ZIO_H */
