/* SPDX-License-Identifier: MIT */
/*
 * stats.h - the insides of struct pk_stats (stats.c), shared with the
 * reports (stats_report.c).  Internal: not installed.
 */
#ifndef PK_STATS_H
#define PK_STATS_H

#include "pk_private.h"

/* Counters, in the order pk_stats_counter() lists them. */
enum {
	PK_SC_READ = 0, PK_SC_RECORDS, PK_SC_BAD, PK_SC_BLANK, PK_SC_PAIRS,
	PK_SC_LISTS, PK_SC_OTHER, PK_SC_SCORED_PAIRS, PK_SC_TIES,
	PK_SC_MISORDERED, PK_SC_SCORES_INVALID, PK_SC_LISTS_INVALID,
	PK_SC_LIST_TIES, PK_SC_TEXTS_INVALID, PK_SC_DUPLICATES,
	PK_SC_FIELDS_OTHER, PK_SC_COUNT
};

/* Bucket counts for indexes lo .. lo + n - 1. */
struct pk_stats_store {
	unsigned long long *c;
	long lo;
	size_t n;
};

struct pk_stats_sketch {
	struct pk_stats_store pos, neg;
	unsigned long long zero;
};

/* A distribution being accumulated. */
struct pk_stats_acc {
	double *v;              /* the values, while exact */
	size_t nv, cap;
	int sketch;             /* moved into sk */
	struct pk_stats_sketch sk;
	unsigned long long count;
	double min, max;
	long double sum;
	int integral;           /* every value a whole number */
};

struct pk_stats_field {
	char *name;             /* decoded, NUL-terminated */
	size_t len;
	unsigned long long count;
	unsigned long long by_type[PK_T_NULL + 1];
};

#define PK_STATS_MAX_FORMATS 32
struct pk_stats_format {
	const char *name;       /* static */
	unsigned long long count;
};

struct pk_stats {
	char *name;
	struct pk_stats_meter *meter; /* pk_stats_record()'s */
	struct pk_buf log;            /* and its measurements */
	struct pk_keyset *keys;  /* duplicate keys */
	uint64_t nkeys;
	size_t held, max_held;  /* values held exactly, and the budget */
	unsigned long long count[PK_SC_COUNT];
	struct pk_stats_acc acc[PK_SD_COUNT];
	struct pk_stats_dist dist[PK_SD_COUNT];
	struct pk_stats_field fields[PK_STATS_MAX_FIELDS];
	size_t nfields;
	struct pk_stats_format formats[PK_STATS_MAX_FORMATS];
	size_t nformats;
};

#endif
