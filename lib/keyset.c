/* SPDX-License-Identifier: MIT */
/*
 * keyset.c - struct pk_keyset: which keys (16-byte XXH3-128 hashes) were
 * seen before, in bounded memory (pref-dedup, pref-check's `duplicate`
 * rule, pref-stats' duplicate rate).
 *
 * Generation 0 is an open-addressing hash table of 16-byte slots (24 with
 * the tag of each key's first record, opts.want_first), grown by doubling
 * and at last to the whole budget, at most 3/4 full.  While it holds every
 * key seen, each key is answered at once: new, or a duplicate.
 *
 * When the next key would take the table past the budget, its keys are
 * sorted in place and written out through pk_sort_add_run() as one run of
 * 25-byte records
 *
 *	key (16 bytes), tag (8 bytes, big-endian), later (1 byte)
 *
 * ordered by key then tag, and the table starts again empty: generation
 * 1, 2, ...  A key of a later generation may have been seen in an earlier
 * one, which only the merge of all generations can tell: it is answered
 * "later" (its record is put aside by the caller), except that a key hit
 * in the current table is known to be a duplicate at once (unless the
 * caller wants the tag of its first record, which may lie in an earlier
 * generation: then it is "later" too, and goes to the sort as a record of
 * its own).  Tags never decrease, so ordering a key's records by tag
 * (then one answered at once before a later one) puts its first
 * occurrence first; records with equal tags are interchangeable.
 *
 * pk_keyset_finish() merges the generations and, walking each key's
 * records, sends every later record that is not the key's first to a
 * second sort by tag, of 16-byte records (tag, first tag).  The caller
 * then reads that list in tag order, by pk_keyset_resolve() or
 * pk_keyset_next_dup().
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

#define KEY 16
#define REC 25                /* key, tag, later */
#define TABLE_MIN 1024        /* slots */

struct pk_keyset {
	size_t memory;
	char *tmpdir;
	int want_first;

	/* the table of the current generation */
	unsigned char *slots;
	size_t cap, used, slot;   /* slot: 16 or 24 bytes */
	int zero_used;            /* the all-zero key, kept aside */
	uint64_t zero_tag;
	size_t table_budget;

	unsigned generation;
	uint64_t last_tag;
	int any;

	struct pk_sort *keys;     /* generations, once past the budget */
	struct pk_sort *dups;     /* (tag, first) of the later duplicates */
	int state;                /* 0 adding, 1 finished, 2 dups read out */
	int have_dup;             /* cur_tag/cur_first hold the next dup */
	uint64_t cur_tag, cur_first;
	uint64_t resolve_last;
	int resolved_any;

	/* dumping a table: the cursor and the record built */
	size_t dump_pos;
	unsigned char rec[REC];

	int status;
	struct pk_error ferr;
	struct pk_keyset_stats stats;
};

static int ks_fail(struct pk_keyset *ks, struct pk_error *err,
		   const struct pk_error *e)
{
	if (ks->status == PK_OK) {
		ks->ferr = *e;
		ks->status = e->kind == PK_ERR_DATA ? PK_FATAL
			     : e->kind == PK_ERR_PIPE ? PK_EPIPE : PK_FATAL;
	}
	if (err)
		*err = ks->ferr;
	return ks->status;
}

static int ks_error(struct pk_keyset *ks, struct pk_error *err,
		    enum pk_errkind kind, const char *text)
{
	struct pk_error e = {0};

	pk_error_set(&e, kind, "%s", text);
	return ks_fail(ks, err, &e);
}

static int ks_sticky(struct pk_keyset *ks, struct pk_error *err)
{
	if (err)
		*err = ks->ferr;
	return ks->status;
}

struct pk_keyset *pk_keyset_new(const struct pk_keyset_opts *o,
				struct pk_error *err)
{
	struct pk_keyset *ks = calloc(1, sizeof *ks);
	const char *tmp = o && o->tmpdir ? o->tmpdir : NULL;

	if (!ks) {
		pk_nomem(err);
		return NULL;
	}
	ks->memory = o && o->memory ? o->memory : PK_SORT_MEMORY_DEFAULT;
	ks->want_first = o && o->want_first;
	ks->slot = ks->want_first ? KEY + 8 : KEY;
	ks->table_budget = ks->memory;
	if (tmp && !(ks->tmpdir = strdup(tmp))) {
		free(ks);
		pk_nomem(err);
		return NULL;
	}
	return ks;
}

void pk_keyset_free(struct pk_keyset *ks)
{
	if (!ks)
		return;
	free(ks->slots);
	pk_sort_free(ks->keys);
	pk_sort_free(ks->dups);
	free(ks->tmpdir);
	free(ks);
}

/* ------------------------------------------------------------------ */
/* The table                                                           */
/* ------------------------------------------------------------------ */

static int is_zero(const unsigned char *k)
{
	static const unsigned char zero[KEY];

	return memcmp(k, zero, KEY) == 0;
}

/* The high 64 bits of a * b: the home slot of a key among cap. */
static size_t home(const unsigned char *key, size_t cap)
{
	unsigned __int128 m = (unsigned __int128)pk_sort_get_u64(key) * cap;

	return (size_t)(m >> 64);
}

/* The slot of key: where it is, or the empty slot where it would go. */
static unsigned char *probe(const struct pk_keyset *ks,
			    const unsigned char *key, int *found)
{
	size_t i = home(key, ks->cap);

	for (;;) {
		unsigned char *s = ks->slots + i * ks->slot;

		if (is_zero(s)) {
			*found = 0;
			return s;
		}
		if (memcmp(s, key, KEY) == 0) {
			*found = 1;
			return s;
		}
		if (++i == ks->cap)
			i = 0;
	}
}

/* Room for one more key: 1 when the table has it (grown if need be), 0
 * when it would go past the budget. */
static int room(struct pk_keyset *ks, struct pk_error *err)
{
	size_t cap, i, max = ks->table_budget / ks->slot;
	unsigned char *old = ks->slots, *t;
	size_t oldcap = ks->cap;

	if (max < 16)
		max = 16; /* a budget too small for anything */

	if (ks->cap && (ks->used + 1) * 4 <= ks->cap * 3)
		return 1;
	if (ks->cap >= max)
		return 0;
	cap = ks->cap ? 2 * ks->cap : TABLE_MIN;
	if (cap > max)
		cap = max;
	if ((ks->used + 1) * 4 > cap * 3)
		return 0;
	if (!(t = calloc(cap, ks->slot))) {
		pk_nomem(err);
		return -1;
	}
	ks->slots = t;
	ks->cap = cap;
	for (i = 0; i < oldcap; i++) {
		const unsigned char *s = old + i * ks->slot;
		int found;

		if (!is_zero(s))
			memcpy(probe(ks, s, &found), s, ks->slot);
	}
	free(old);
	return 1;
}

static int slot_cmp(const void *a, const void *b)
{
	/* keys are distinct within a table */
	return memcmp(a, b, KEY);
}

/* pk_sort_add_run's reader over the sorted table: the zero key first
 * (it sorts first), then the slots. */
static int dump_next(void *ctx, const void **rec, size_t *n,
		     struct pk_error *err)
{
	struct pk_keyset *ks = ctx;
	uint64_t tag = 0;

	(void)err;
	if (ks->zero_used) {
		memset(ks->rec, 0, KEY);
		tag = ks->zero_tag;
		ks->zero_used = 0;
	} else if (ks->dump_pos < ks->used) {
		const unsigned char *s = ks->slots + ks->dump_pos++ * ks->slot;

		memcpy(ks->rec, s, KEY);
		if (ks->slot > KEY)
			tag = pk_sort_get_u64(s + KEY);
	} else {
		return PK_EOF;
	}
	pk_sort_put_u64(ks->rec + KEY, tag);
	ks->rec[KEY + 8] = ks->generation > 0;
	*rec = ks->rec;
	*n = REC;
	return PK_OK;
}

static int ensure_keys(struct pk_keyset *ks, struct pk_error *err)
{
	struct pk_sort_opts o = {0};

	if (ks->keys)
		return PK_OK;
	/* a quarter of the budget for the sort (the duplicates of later
	 * generations when want_first), the rest for the tables */
	o.memory = ks->memory / 4;
	o.tmpdir = ks->tmpdir;
	o.key_len = REC; /* equal tags: the one answered at once first */
	if (!(ks->keys = pk_sort_new(&o, err)))
		return ks_fail(ks, NULL, err);
	ks->table_budget = ks->memory - ks->memory / 4;
	return PK_OK;
}

/* Write the table out as a sorted run and empty it. */
static int dump(struct pk_keyset *ks, struct pk_error *err)
{
	size_t i, j;
	struct pk_error e = {0};

	if (ensure_keys(ks, err) != PK_OK)
		return ks->status;
	/* pack the used slots to the front, then sort them */
	for (i = j = 0; i < ks->cap; i++) {
		unsigned char *s = ks->slots + i * ks->slot;

		if (is_zero(s))
			continue;
		if (i != j)
			memcpy(ks->slots + j * ks->slot, s, ks->slot);
		j++;
	}
	qsort(ks->slots, j, ks->slot, slot_cmp);
	ks->dump_pos = 0;
	if (pk_sort_add_run(ks->keys, dump_next, ks, &e) != PK_OK)
		return ks_fail(ks, err, &e);
	free(ks->slots);
	ks->slots = NULL;
	ks->cap = ks->used = 0;
	ks->zero_used = 0;
	ks->slot = KEY + 8; /* later generations keep their tags */
	ks->generation++;
	ks->stats.generations = ks->generation;
	return PK_OK;
}

/* A duplicate of a later generation whose first tag is wanted: a record
 * of its own in the sort. */
static int add_later_dup(struct pk_keyset *ks, const unsigned char *key,
			 uint64_t tag, struct pk_error *err)
{
	struct pk_error e = {0};

	memcpy(ks->rec, key, KEY);
	pk_sort_put_u64(ks->rec + KEY, tag);
	ks->rec[KEY + 8] = 1;
	if (pk_sort_add(ks->keys, ks->rec, REC, &e) != PK_OK)
		return ks_fail(ks, err, &e);
	return PK_OK;
}

int pk_keyset_add(struct pk_keyset *ks, const unsigned char key[16],
		  uint64_t tag, uint64_t *first, struct pk_error *err)
{
	unsigned char *s = NULL;
	uint64_t at = 0;
	int found = 0, rc;

	if (ks->status != PK_OK)
		return ks_sticky(ks, err);
	if (ks->state != 0)
		return ks_error(ks, err, PK_ERR_USAGE,
				"pk_keyset_add after pk_keyset_finish");
	if (ks->any && tag < ks->last_tag)
		return ks_error(ks, err, PK_ERR_USAGE,
				"pk_keyset_add: tags must not decrease");
	ks->any = 1;
	ks->last_tag = tag;
	ks->stats.added++;
	if (first)
		*first = 0;

	if (is_zero(key)) {
		found = ks->zero_used;
		at = ks->zero_tag;
		if (!found) {
			ks->zero_used = 1;
			ks->zero_tag = tag;
		}
	} else {
		for (;;) {
			if (ks->cap) {
				s = probe(ks, key, &found);
				if (found)
					break;
			}
			if ((rc = room(ks, err)) < 0)
				return ks_fail(ks, NULL, err);
			if (rc == 1) {
				s = probe(ks, key, &found);
				break;
			}
			if (dump(ks, err) != PK_OK)
				return ks->status;
		}
		if (found) {
			if (ks->slot > KEY)
				at = pk_sort_get_u64(s + KEY);
		} else {
			memcpy(s, key, KEY);
			if (ks->slot > KEY)
				pk_sort_put_u64(s + KEY, tag);
			ks->used++;
		}
	}
	if (found && ks->generation == 0) {
		ks->stats.duplicates++;
		if (first)
			*first = at;
		return PK_KEY_DUP;
	}
	if (found && !ks->want_first) {
		ks->stats.duplicates++;
		return PK_KEY_DUP;
	}
	if (ks->generation == 0)
		return PK_KEY_NEW;
	/* a later generation: the merge decides */
	ks->stats.later++;
	if (found && add_later_dup(ks, key, tag, err) != PK_OK)
		return ks->status;
	return PK_KEY_LATER;
}

/* ------------------------------------------------------------------ */
/* The merge                                                           */
/* ------------------------------------------------------------------ */

int pk_keyset_finish(struct pk_keyset *ks, struct pk_error *err)
{
	struct pk_sort_opts o = {0};
	struct pk_error e = {0};
	unsigned char key[KEY], out[16];
	uint64_t first = 0;
	const void *p;
	size_t n;
	int rc, have = 0;

	if (ks->status != PK_OK)
		return ks_sticky(ks, err);
	if (ks->state != 0)
		return PK_OK;
	ks->state = 1;
	if (ks->generation == 0)
		return PK_OK; /* every key was answered */
	if (dump(ks, err) != PK_OK)
		return ks->status;
	o.memory = ks->memory / 4;
	o.tmpdir = ks->tmpdir;
	o.key_len = 8;
	if (!(ks->dups = pk_sort_new(&o, &e)))
		return ks_fail(ks, err, &e);
	while ((rc = pk_sort_next(ks->keys, &p, &n, &e)) == PK_OK) {
		const unsigned char *r = p;
		uint64_t tag = pk_sort_get_u64(r + KEY);

		if (n != REC)
			return ks_error(ks, err, PK_ERR_IO,
					"corrupt key set");
		if (!have || memcmp(key, r, KEY) != 0) {
			memcpy(key, r, KEY);
			first = tag;
			have = 1;
			continue;
		}
		if (!r[KEY + 8])
			continue; /* answered at once */
		pk_sort_put_u64(out, tag);
		pk_sort_put_u64(out + 8, first);
		if (pk_sort_add(ks->dups, out, sizeof out, &e) != PK_OK)
			return ks_fail(ks, err, &e);
		ks->stats.duplicates++;
	}
	if (rc != PK_EOF)
		return ks_fail(ks, err, &e);
	{
		struct pk_sort_stats st;

		pk_sort_get_stats(ks->keys, &st);
		ks->stats.sort_runs = st.runs;
		ks->stats.bytes_written = st.bytes_written;
	}
	pk_sort_free(ks->keys);
	ks->keys = NULL;
	return PK_OK;
}

int pk_keyset_next_dup(struct pk_keyset *ks, uint64_t *tag, uint64_t *first,
		       struct pk_error *err)
{
	struct pk_error e = {0};
	const void *p;
	size_t n;
	int rc;

	if (ks->status != PK_OK)
		return ks_sticky(ks, err);
	if (ks->state == 0)
		return ks_error(ks, err, PK_ERR_USAGE,
				"pk_keyset_next_dup before pk_keyset_finish");
	if (ks->have_dup) {
		ks->have_dup = 0;
		*tag = ks->cur_tag;
		*first = ks->cur_first;
		return PK_OK;
	}
	if (!ks->dups || ks->state == 2)
		return PK_EOF;
	rc = pk_sort_next(ks->dups, &p, &n, &e);
	if (rc == PK_EOF) {
		ks->state = 2;
		return PK_EOF;
	}
	if (rc != PK_OK)
		return ks_fail(ks, err, &e);
	*tag = pk_sort_get_u64(p);
	*first = pk_sort_get_u64((const char *)p + 8);
	return PK_OK;
}

int pk_keyset_resolve(struct pk_keyset *ks, uint64_t tag, uint64_t *first,
		      struct pk_error *err)
{
	uint64_t t, f;
	int rc;

	if (ks->status != PK_OK)
		return ks_sticky(ks, err);
	if (ks->resolved_any && tag <= ks->resolve_last)
		return ks_error(ks, err, PK_ERR_USAGE,
				"pk_keyset_resolve: tags must increase");
	ks->resolved_any = 1;
	ks->resolve_last = tag;
	if (first)
		*first = 0;
	for (;;) {
		rc = pk_keyset_next_dup(ks, &t, &f, err);
		if (rc == PK_EOF)
			return PK_KEY_NEW;
		if (rc != PK_OK)
			return rc;
		if (t < tag)
			continue; /* a tag the caller did not ask about */
		if (t == tag) {
			if (first)
				*first = f;
			return PK_KEY_DUP;
		}
		ks->have_dup = 1;
		ks->cur_tag = t;
		ks->cur_first = f;
		return PK_KEY_NEW;
	}
}

void pk_keyset_get_stats(const struct pk_keyset *ks,
			 struct pk_keyset_stats *st)
{
	*st = ks->stats;
	st->distinct = ks->stats.added - ks->stats.duplicates;
	if (ks->keys) {
		struct pk_sort_stats ss;

		pk_sort_get_stats(ks->keys, &ss);
		st->sort_runs = ss.runs;
		st->bytes_written = ss.bytes_written;
	}
}
