/* SPDX-License-Identifier: MIT */
/*
 * expand.c - the list -> pairs operation (SPEC 3.2): a ranked list is
 * parsed and sorted (rank.c), cut to its best responses, and written as
 * the pairs a strategy names, as the prefix tree of its steps, or as
 * pairs of sibling steps (steptree.c).  pref-expand runs it on every
 * record, pref-convert on the lists a format reader yields.
 */
#include "config.h"

#include <stdlib.h>

#include "pk_private.h"

struct pk_expand {
	struct pk_expand_opts o;
	struct pk_rank_list list;
	struct pk_steptree *tree;   /* tree and step pairs only */
	struct pk_record rec;       /* a list given as text */
	struct pk_buf out;          /* one record being built */
	struct pk_expand_counts n;
};

void pk_expand_opts_init(struct pk_expand_opts *o)
{
	pk_rank_opts_init(&o->rank);
	o->pairs.kind = PK_PAIRS_BEST_VS_REST;
	o->pairs.skip = 0;
	o->top = 0;
	o->min_gap = 0;
	o->to = PK_EXPAND_PAIRS;
	o->step_regex = NULL;
}

struct pk_expand *pk_expand_new(const struct pk_expand_opts *o,
				struct pk_error *err)
{
	struct pk_expand *x = calloc(1, sizeof *x);

	if (!x) {
		pk_nomem(err);
		return NULL;
	}
	x->o = *o;
	if (o->to != PK_EXPAND_PAIRS) {
		x->tree = pk_steptree_new(o->step_regex, err);
		if (!x->tree) {
			free(x);
			return NULL;
		}
	}
	return x;
}

void pk_expand_free(struct pk_expand *x)
{
	if (!x)
		return;
	pk_rank_list_free(&x->list);
	pk_steptree_free(x->tree);
	pk_record_free(&x->rec);
	pk_buf_free(&x->out);
	free(x);
}

const struct pk_expand_counts *pk_expand_counts(const struct pk_expand *x)
{
	return &x->n;
}

const char *pk_expand_counter(const struct pk_expand *x, size_t i,
			      unsigned long long *value)
{
	static const char *const name[4] = {
		"lists", "lists_too_small", "pairs_below_min_gap",
		"responses_dropped",
	};
	const unsigned long long v[4] = {x->n.lists, x->n.too_small,
					 x->n.below_gap, x->n.responses_dropped};

	/* a tree has no pairs: no list is too small, no gap too small */
	if (x->o.to == PK_EXPAND_TREE && i >= 1)
		i += 2;
	if (i >= 4)
		return NULL;
	if (value)
		*value = v[i];
	return name[i];
}

int pk_expand_record(struct pk_expand *x, const struct pk_record *rec,
		     int (*emit)(void *ctx, const char *json, size_t len),
		     void *ctx, struct pk_error *err)
{
	const struct pk_expand_opts *o = &x->o;
	struct pk_rank_list *l = &x->list;
	int rc;

	rc = pk_rank_parse(l, rec, &o->rank, err);
	if (rc != PK_OK)
		return rc;
	x->n.lists++;
	x->n.responses_dropped += l->ndropped;
	if (o->top > 0)
		pk_rank_top(l, o->top);
	if (o->to == PK_EXPAND_TREE) {
		if ((rc = pk_steptree_build(x->tree, l, err)) != PK_OK)
			return rc;
		pk_buf_reset(&x->out);
		rc = pk_steptree_write(x->tree, l, &x->out, err);
		return rc == PK_OK ? emit(ctx, x->out.data, x->out.len) : rc;
	}
	if (l->ngroups < 2) {
		x->n.too_small++;
		return PK_OK;
	}
	if (o->to == PK_EXPAND_STEP_PAIRS) {
		if ((rc = pk_steptree_build(x->tree, l, err)) != PK_OK)
			return rc;
		return pk_steptree_pairs(x->tree, l, &o->pairs, o->min_gap,
					 &x->n.below_gap, emit, ctx, err);
	}
	if (pk_rank_pairs(l, &o->pairs, o->min_gap, &x->n.below_gap) < 0)
		return pk_nomem(err);
	return pk_rank_write_pairs(l, &x->out, emit, ctx, err);
}

int pk_expand_text(struct pk_expand *x, const char *json, size_t len,
		   int (*emit)(void *ctx, const char *json, size_t len),
		   void *ctx, struct pk_error *err)
{
	int rc = pk_scan_record(&x->rec, json, len, err);

	if (rc != PK_OK)
		return rc;
	return pk_expand_record(x, &x->rec, emit, ctx, err);
}
