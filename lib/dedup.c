/* SPDX-License-Identifier: MIT */
/*
 * dedup.c - dedup keys (struct pk_dupkey) and the operation of pref-dedup
 * (struct pk_dedup), SPEC 3.9.
 *
 * A record's key is the XXH3-128 of the canonical text (pk_canonical,
 * strings normalized by --normalize) of its key fields: of the value
 * itself for one field, of the array of the values for several ("pair"
 * is prompt, chosen, rejected).  A missing prompt is the implicit prompt
 * of a conversation in chosen (SPEC 1.2), as pref-split reads it.
 *
 * pk_dedup keeps the first record of each key, in input order: while the
 * key set answers at once, each record is kept or dropped as it comes;
 * once it answers "later", the records it cannot decide yet are put aside
 * (compacted, behind their number) in a pk_sort used as a spool - records
 * go in already in order, so it only holds them, zstd-compressed in
 * --tmpdir beyond its memory - and pk_dedup_finish() writes those that
 * turn out to be first.  No record decided at once ever comes after one
 * put aside (the key set answers "new" only before its first spill), so
 * the output is in input order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

enum item_kind { ITEM_PROMPT, ITEM_FIELD };

struct item {
	enum item_kind kind;
	struct pk_field field;
	char *name;
};

struct pk_dupkey {
	struct item *items;
	size_t nitems;
	unsigned norm;
	struct pk_field chosen;   /* for an implicit prompt */
	char *chosen_name;
	struct pk_canon canon;
	struct pk_buf text, implicit, out;
};

static int add_item(struct pk_dupkey *k, enum item_kind kind,
		    const char *name, size_t len)
{
	struct item *it = realloc(k->items, (k->nitems + 1) * sizeof *it);

	if (!it)
		return PK_FATAL;
	k->items = it;
	it = &k->items[k->nitems];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	if (!(it->name = malloc(len + 1)))
		return PK_FATAL;
	memcpy(it->name, name, len);
	it->name[len] = 0;
	pk_field_init(&it->field, it->name);
	k->nitems++;
	return PK_OK;
}

void pk_dupkey_free(struct pk_dupkey *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->nitems; i++)
		free(k->items[i].name);
	free(k->items);
	free(k->chosen_name);
	pk_canon_free(&k->canon);
	pk_buf_free(&k->text);
	pk_buf_free(&k->implicit);
	pk_buf_free(&k->out);
	free(k);
}

struct pk_dupkey *pk_dupkey_new(const struct pk_dupkey_opts *o,
				struct pk_error *err)
{
	const char *spec = o && o->key ? o->key : "pair";
	const char *pf = o && o->prompt_field ? o->prompt_field : "prompt";
	const char *cf = o && o->chosen_field ? o->chosen_field : "chosen";
	const char *rf = o && o->rejected_field ? o->rejected_field
						 : "rejected";
	struct pk_dupkey *k = calloc(1, sizeof *k);
	const char *p = spec;
	int rc = PK_OK;

	if (!k || !(k->chosen_name = strdup(cf))) {
		free(k);
		pk_nomem(err);
		return NULL;
	}
	k->norm = o ? o->norm : 0;
	pk_field_init(&k->chosen, k->chosen_name);
	for (;;) {
		size_t n = strcspn(p, ",");

		if (n == 0) {
			pk_dupkey_free(k);
			pk_error_set(err, PK_ERR_USAGE,
				     "invalid key '%s' (pair, prompt, chosen, "
				     "rejected or field names, separated by "
				     "commas)", spec);
			return NULL;
		}
		if (n == 4 && memcmp(p, "pair", 4) == 0)
			rc = add_item(k, ITEM_PROMPT, pf, strlen(pf)) ||
			     add_item(k, ITEM_FIELD, cf, strlen(cf)) ||
			     add_item(k, ITEM_FIELD, rf, strlen(rf));
		else if (n == 6 && memcmp(p, "prompt", 6) == 0)
			rc = add_item(k, ITEM_PROMPT, pf, strlen(pf));
		else if (n == 6 && memcmp(p, "chosen", 6) == 0)
			rc = add_item(k, ITEM_FIELD, cf, strlen(cf));
		else if (n == 8 && memcmp(p, "rejected", 8) == 0)
			rc = add_item(k, ITEM_FIELD, rf, strlen(rf));
		else
			rc = add_item(k, ITEM_FIELD, p, n);
		if (rc != PK_OK) {
			pk_dupkey_free(k);
			pk_nomem(err);
			return NULL;
		}
		if (!p[n])
			break;
		p += n + 1;
	}
	return k;
}

/* Append the canonical text of item it of rec to k->text. */
static int item_text(struct pk_dupkey *k, struct item *it,
		     const struct pk_record *rec, struct pk_error *err)
{
	struct pk_value v, c;

	if (pk_record_field(rec, &it->field, &v))
		return pk_canonical(&k->text, rec->text + v.off, v.len,
				    k->norm, &k->canon, err);
	if (it->kind != ITEM_PROMPT)
		return pk_error_set(err, PK_ERR_DATA, "missing field '%s'",
				    it->name);
	/* SPEC 1.2: no prompt, whole conversations in chosen/rejected */
	if (!pk_record_field(rec, &k->chosen, &c) || c.type != PK_T_ARRAY ||
	    !pk_is_message_list(rec->text + c.off, c.len))
		return pk_error_set(err, PK_ERR_DATA,
				    "missing field '%s' (and '%s' is not a "
				    "conversation to take the prompt from)",
				    it->name, k->chosen_name);
	pk_buf_reset(&k->implicit);
	if (pk_implicit_prompt(rec->text + c.off, c.len, &k->implicit) < 0)
		return pk_nomem(err);
	return pk_canonical(&k->text, k->implicit.data, k->implicit.len,
			    k->norm, &k->canon, err);
}

int pk_dupkey_text(struct pk_dupkey *k, const struct pk_record *rec,
		   const char **text, size_t *len, struct pk_error *err)
{
	size_t i;
	int rc;

	pk_buf_reset(&k->text);
	if (k->nitems > 1 && pk_buf_putc(&k->text, '[') < 0)
		return pk_nomem(err);
	for (i = 0; i < k->nitems; i++) {
		if (i && pk_buf_putc(&k->text, ',') < 0)
			return pk_nomem(err);
		if ((rc = item_text(k, &k->items[i], rec, err)) != PK_OK)
			return rc;
	}
	if (k->nitems > 1 && pk_buf_putc(&k->text, ']') < 0)
		return pk_nomem(err);
	*text = k->text.data;
	*len = k->text.len;
	return PK_OK;
}

int pk_dupkey_hash(struct pk_dupkey *k, const struct pk_record *rec,
		   unsigned char key[16], struct pk_error *err)
{
	const char *t;
	size_t n;
	int rc = pk_dupkey_text(k, rec, &t, &n, err);

	if (rc == PK_OK)
		pk_hash128(t, n, key);
	return rc;
}

int pk_dupkey_emit(struct pk_dupkey *k, const struct pk_record *rec,
		   const struct pk_sink *out, struct pk_error *err)
{
	unsigned char key[16];
	int rc = pk_dupkey_hash(k, rec, key, err);
	char *d;

	if (rc != PK_OK)
		return rc;
	if (!rec->has_space) /* the record as it is: the caller has it */
		return out->emit(out->ctx, (const char *)key, 16);
	if (out->room) { /* built in place */
		if (!(d = out->room(out->ctx, 16 + rec->len)))
			return pk_nomem(err);
		memcpy(d, key, 16);
		return out->commit(out->ctx, d,
				   16 + pk_record_compact_to(rec, d + 16));
	}
	pk_buf_reset(&k->out);
	if (pk_buf_reserve(&k->out, 16 + rec->len) < 0)
		return pk_nomem(err);
	memcpy(k->out.data, key, 16);
	k->out.len = 16 + pk_record_compact_to(rec, k->out.data + 16);
	return out->emit(out->ctx, k->out.data, k->out.len);
}

/* ------------------------------------------------------------------ */
/* pref-dedup                                                          */
/* ------------------------------------------------------------------ */

struct pk_dedup {
	struct pk_dupkey *key;
	struct pk_keyset *set;
	struct pk_sort *spool;    /* records put aside: tag, then the record */
	size_t spool_memory;
	char *tmpdir;
	uint64_t tag;             /* records seen */
	struct pk_buf rec;
	struct pk_dedup_stats stats;
};

void pk_dedup_free(struct pk_dedup *d)
{
	if (!d)
		return;
	pk_dupkey_free(d->key);
	pk_keyset_free(d->set);
	pk_sort_free(d->spool);
	pk_buf_free(&d->rec);
	free(d->tmpdir);
	free(d);
}

struct pk_dedup *pk_dedup_new(const struct pk_dedup_opts *o,
			      struct pk_error *err)
{
	struct pk_dedup *d = calloc(1, sizeof *d);
	struct pk_keyset_opts ko = {0};
	size_t memory = o->memory ? o->memory : PK_SORT_MEMORY_DEFAULT;

	if (!d) {
		pk_nomem(err);
		return NULL;
	}
	if (o->tmpdir && !(d->tmpdir = strdup(o->tmpdir))) {
		pk_dedup_free(d);
		pk_nomem(err);
		return NULL;
	}
	/* the key set takes 3/4 of the budget, the spool the rest */
	ko.memory = memory - memory / 4;
	ko.tmpdir = o->tmpdir;
	d->spool_memory = memory / 4;
	if (!(d->key = pk_dupkey_new(&o->key, err)) ||
	    !(d->set = pk_keyset_new(&ko, err))) {
		pk_dedup_free(d);
		return NULL;
	}
	return d;
}

/* Put the record (scanned rec, or its compact text json[0..len)) aside
 * behind its tag. */
static int put_aside(struct pk_dedup *d, const struct pk_record *rec,
		     const char *json, size_t len, uint64_t tag,
		     struct pk_error *err)
{
	unsigned char t[8];

	if (!d->spool) {
		struct pk_sort_opts so = {0};

		so.memory = d->spool_memory;
		so.tmpdir = d->tmpdir;
		so.key_len = 8;
		/* written once and read once, in order: zstd's fast mode
		 * (at -5 the spool of pref-dedup --memory 256K costs half
		 * the CPU it does at level 1) */
		so.zstd_level = -5;
		if (!(d->spool = pk_sort_new(&so, err)))
			return PK_FATAL;
	}
	pk_sort_put_u64(t, tag);
	pk_buf_reset(&d->rec);
	if (pk_buf_append(&d->rec, t, 8) < 0 ||
	    (rec ? pk_compact(&d->rec, rec->text, rec->len)
		 : pk_buf_append(&d->rec, json, len)) < 0)
		return pk_nomem(err);
	d->stats.held++;
	return pk_sort_add(d->spool, d->rec.data, d->rec.len, err);
}

/* The verdict on the record with key (rec, or json[0..len)). */
static int decide(struct pk_dedup *d, const unsigned char key[16],
		  const struct pk_record *rec, const char *json, size_t len,
		  struct pk_error *err)
{
	uint64_t tag = d->tag++;
	int rc;

	rc = pk_keyset_add(d->set, key, tag, NULL, err);
	switch (rc) {
	case PK_KEY_NEW:
		d->stats.kept++;
		return PK_DEDUP_KEEP;
	case PK_KEY_DUP:
		d->stats.dropped++;
		return PK_DEDUP_DROP;
	case PK_KEY_LATER:
		rc = put_aside(d, rec, json, len, tag, err);
		return rc == PK_OK ? PK_DEDUP_HELD : rc;
	default:
		return rc;
	}
}

int pk_dedup_record(struct pk_dedup *d, const struct pk_record *rec,
		    struct pk_error *err)
{
	unsigned char key[16];
	int rc;

	if ((rc = pk_dupkey_hash(d->key, rec, key, err)) != PK_OK)
		return rc;
	return decide(d, key, rec, NULL, 0, err);
}

int pk_dedup_keyed(struct pk_dedup *d, const unsigned char key[16],
		   const char *json, size_t len, struct pk_error *err)
{
	return decide(d, key, NULL, json, len, err);
}

int pk_dedup_finish(struct pk_dedup *d, const struct pk_sink *sink,
		    struct pk_error *err)
{
	const void *p;
	size_t n;
	int rc;

	if ((rc = pk_keyset_finish(d->set, err)) != PK_OK)
		return rc;
	if (!d->spool)
		return PK_OK;
	while ((rc = pk_sort_next(d->spool, &p, &n, err)) == PK_OK) {
		const char *r = p;
		uint64_t tag = pk_sort_get_u64(r);

		rc = pk_keyset_resolve(d->set, tag, NULL, err);
		if (rc == PK_KEY_DUP) {
			d->stats.dropped++;
			continue;
		}
		if (rc != PK_KEY_NEW)
			return rc;
		d->stats.kept++;
		if ((rc = sink->emit(sink->ctx, r + 8, n - 8)) != PK_OK)
			return rc;
	}
	if (rc != PK_EOF)
		return rc;
	pk_sort_free(d->spool);
	d->spool = NULL;
	return PK_OK;
}

void pk_dedup_get_stats(const struct pk_dedup *d, struct pk_dedup_stats *st)
{
	struct pk_keyset_stats ks;

	*st = d->stats;
	pk_keyset_get_stats(d->set, &ks);
	st->key_tables_spilled = ks.generations;
}
