/* SPDX-License-Identifier: MIT */
/*
 * conversion.c - pref-convert's operation on one record (SPEC 3.6): the
 * format reader turns it into canonical pairs or ranked lists; lists are
 * kept, or expanded into pairs by a pair strategy; pairs are kept, or
 * converted to standard, conversational, two-response-list or unpaired
 * records.  A record written as the reader made it is built straight in
 * the caller's room when the sink offers one (no copy).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

struct pk_convert {
	struct pk_convert_opts o;
	struct pk_format_reader *fr;
	struct pk_expand *x;           /* lists into pairs */
	struct pk_record prec;         /* a pair to convert */
	struct pk_buf conv;            /* a converted pair */
	struct pk_buf built;           /* a reader's record, to convert */
	const struct pk_sink *out;     /* the current call's */
	struct pk_error *err;
};

void pk_convert_opts_init(struct pk_convert_opts *o)
{
	memset(o, 0, sizeof *o);
	o->from = "auto";
	pk_expand_opts_init(&o->expand);
	o->expand.rank.steps = 1;
}

void pk_convert_free(struct pk_convert *c)
{
	if (!c)
		return;
	pk_expand_free(c->x);
	pk_format_reader_free(c->fr);
	pk_record_free(&c->prec);
	pk_buf_free(&c->conv);
	pk_buf_free(&c->built);
	free(c);
}

struct pk_convert *pk_convert_new(const struct pk_convert_opts *o,
				  struct pk_error *err)
{
	struct pk_convert *c = calloc(1, sizeof *c);

	if (!c) {
		pk_nomem(err);
		return NULL;
	}
	c->o = *o;
	if (!(c->fr = pk_format_reader_new(o->from, &o->format, err)) ||
	    !(c->x = pk_expand_new(&o->expand, err))) {
		pk_convert_free(c);
		return NULL;
	}
	return c;
}

/* One output record to the caller. */
static int put(struct pk_convert *c, const char *json, size_t len)
{
	char *d;

	if (!c->out->room)
		return c->out->emit(c->out->ctx, json, len);
	if (!(d = c->out->room(c->out->ctx, len)))
		return pk_nomem(c->err);
	memcpy(d, json, len);
	return c->out->commit(c->out->ctx, d, len);
}

/* A pair (ctx: the conversion): converted as o.to says, then put. */
static int put_pair(void *ctx, const char *json, size_t len)
{
	struct pk_convert *c = ctx;
	enum pk_convert_to to = c->o.to;
	int rc, side;

	if (to == PK_CONVERT_NATIVE || to == PK_CONVERT_PAIRS)
		return put(c, json, len);
	if ((rc = pk_scan_record(&c->prec, json, len, c->err)) != PK_OK)
		return rc;
	for (side = 0; side < (to == PK_CONVERT_UNPAIRED ? 2 : 1); side++) {
		pk_buf_reset(&c->conv);
		if (to == PK_CONVERT_UNPAIRED)
			rc = pk_pair_to_unpaired(&c->prec, side, &c->conv, c->err);
		else if (to == PK_CONVERT_STANDARD)
			rc = pk_pair_to_standard(&c->prec, c->o.flatten,
						 &c->conv, c->err);
		else if (to == PK_CONVERT_CONVERSATIONAL)
			rc = pk_pair_to_conversational(&c->prec, &c->conv, c->err);
		else
			rc = pk_pair_to_list(&c->prec, &c->conv, c->err);
		if (rc != PK_OK ||
		    (rc = put(c, c->conv.data, c->conv.len)) != PK_OK)
			return rc;
	}
	return PK_OK;
}

/* What the reader makes: a list kept or expanded, a pair converted. */
static int from_reader(void *ctx, const char *json, size_t len)
{
	struct pk_convert *c = ctx;

	if (pk_format_reader_kind(c->fr) != PK_FORMAT_LISTS)
		return put_pair(c, json, len);
	if (c->o.to == PK_CONVERT_NATIVE || c->o.to == PK_CONVERT_LISTS)
		return put(c, json, len);
	return pk_expand_text(c->x, json, len, put_pair, c, c->err);
}

/* Is a record of the reader written as it is, into the caller's room? */
static int in_place(const struct pk_convert *c)
{
	enum pk_convert_to to = c->o.to;

	if (!c->out->room)
		return 0;
	if (pk_format_reader_kind(c->fr) == PK_FORMAT_LISTS)
		return to == PK_CONVERT_NATIVE || to == PK_CONVERT_LISTS;
	return to == PK_CONVERT_NATIVE || to == PK_CONVERT_PAIRS;
}

static char *reader_room(void *ctx, size_t n)
{
	struct pk_convert *c = ctx;

	if (in_place(c))
		return c->out->room(c->out->ctx, n);
	pk_buf_reset(&c->built);
	if (pk_buf_reserve(&c->built, n) < 0)
		return NULL;
	return c->built.data;
}

static int reader_commit(void *ctx, char *p, size_t len)
{
	struct pk_convert *c = ctx;

	if (in_place(c))
		return c->out->commit(c->out->ctx, p, len);
	return from_reader(c, p, len);
}

int pk_convert_record(struct pk_convert *c, const struct pk_record *rec,
		      const struct pk_sink *out, struct pk_error *err)
{
	struct pk_sink s = {from_reader, reader_room, reader_commit, c};

	c->out = out;
	c->err = err;
	return pk_format_reader_feed_sink(c->fr, rec, &s, err);
}

int pk_convert_finish(struct pk_convert *c, const struct pk_sink *out,
		      struct pk_error *err)
{
	c->out = out;
	c->err = err;
	return pk_format_reader_finish(c->fr, from_reader, c, err);
}

const char *pk_convert_note(const struct pk_convert *c)
{
	return pk_format_reader_note(c->fr);
}

int pk_convert_per_record(const struct pk_convert *c)
{
	return pk_format_reader_per_record(c->fr);
}

static const char *const list_counter[3] = {
	"lists_expanded", "lists_too_small", "list_responses_dropped",
};

const char *pk_convert_counter(const struct pk_convert *c, size_t i,
			       unsigned long long *value)
{
	const struct pk_expand_counts *n = pk_expand_counts(c->x);
	size_t nr = 0;

	while (pk_format_reader_counter(c->fr, nr, NULL))
		nr++;
	if (i < nr)
		return pk_format_reader_counter(c->fr, i, value);
	/* then the expansion's, once a list was expanded */
	i -= nr;
	if (!n->lists || i >= 3)
		return NULL;
	if (value)
		*value = i == 0 ? n->lists : i == 1 ? n->too_small
						    : n->responses_dropped;
	return list_counter[i];
}
