/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - helpers shared by the fuzz targets: reading option bytes off
 * the front of an input, splitting the rest into lines, and the check
 * every target makes of what the library writes: a record the library
 * emits must be one JSON object that prefkit itself accepts (valid
 * grammar and UTF-8, no duplicate key), written compact.
 */
#ifndef PK_FUZZ_H
#define PK_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input, consumed from the front. */
struct fz {
	const uint8_t *p;
	size_t n;
};

static inline unsigned fz_byte(struct fz *f)
{
	if (!f->n)
		return 0;
	f->n--;
	return *f->p++;
}

/* The next line (without its '\n'); 0 at the end. */
static inline int fz_line(struct fz *f, const char **s, size_t *n)
{
	const uint8_t *nl;

	if (!f->n)
		return 0;
	nl = memchr(f->p, '\n', f->n);
	*s = (const char *)f->p;
	*n = nl ? (size_t)(nl - f->p) : f->n;
	f->p += *n + (nl != NULL);
	f->n -= *n + (nl != NULL);
	return 1;
}

static inline void fz_fail(const char *target, const char *why,
			   const char *json, size_t n)
{
	fprintf(stderr, "%s: %s\n", target, why);
	if (json)
		fprintf(stderr, "%s: the record: %.*s\n", target,
			(int)(n > 4000 ? 4000 : n), json);
	abort();
}

/* What the library emits must be a compact JSON object prefkit accepts.
 * The scanned record is left in *rec for more checks (rec may be NULL). */
static inline void fz_check_object(const char *target, const char *json,
				   size_t n, struct pk_record *rec)
{
	struct pk_record own = PK_RECORD_INIT;
	struct pk_record *r = rec ? rec : &own;
	struct pk_error err;

	if (pk_scan_record(r, json, n, &err) != PK_OK) {
		fprintf(stderr, "%s: emitted record rejected: %s\n", target,
			err.text);
		fz_fail(target, "the library wrote a record it rejects", json,
			n);
	}
	if (r->has_space)
		fz_fail(target, "the library wrote a record that is not compact",
			json, n);
	if (!rec)
		pk_record_free(&own);
}

#endif
