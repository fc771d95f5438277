/* SPDX-License-Identifier: MIT */
/*
 * lists.c - ranked lists in other shapes (SPEC 1.3 "lists"), read with the
 * field options (prompt, responses; text, score, rank inside each
 * response; dotted paths allowed) by pk_rank_parse(), and written in the
 * canonical shape: the list's prompt and responses members renamed to
 * "prompt" and "responses" in place, and in each response (in input
 * order) the text, score and rank members renamed to "text", "score" and
 * "rank" (a boolean score written as 1/0; a field found by a dotted path
 * is copied to its canonical name at the end of the response).  Responses
 * dropped by pk_rank_parse() (null ordering value) are left out and
 * counted; everything else is kept byte for byte.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

static const char *const lists_counters[] = {"responses_dropped", NULL};

struct lists_state {
	struct pk_rank_opts ro;
	struct pk_fmt_prompt prompt;   /* with a template */
	struct pk_buf prompted;        /* the record with the prompt put in */
	struct pk_record prec;
	struct pk_rank_list list;
	size_t *order;
	size_t order_cap;
};

static int lists_init(struct pk_format_reader *fr, struct pk_error *err)
{
	const struct pk_format_opts *o = &fr->opts;
	struct lists_state *st = calloc(1, sizeof *st);

	if (!st)
		return pk_nomem(err);
	pk_rank_opts_init(&st->ro);
	if (o->prompt_field)
		st->ro.prompt_field = o->prompt_field;
	if (o->responses_field)
		st->ro.responses_field = o->responses_field;
	if (o->text_field)
		st->ro.text_field = o->text_field;
	if (o->score_field)
		st->ro.score_field = o->score_field;
	if (o->rank_field)
		st->ro.rank_field = o->rank_field;
	st->ro.steps = 1;
	fr->state = st;
	if (o->prompt_template) {
		st->ro.prompt_field = "prompt";
		return pk_fmt_prompt_init(&st->prompt, o, NULL, err);
	}
	return PK_OK;
}

static void lists_free(struct pk_format_reader *fr)
{
	struct lists_state *st = fr->state;

	if (st) {
		pk_rank_list_free(&st->list);
		pk_fmt_prompt_free(&st->prompt);
		pk_buf_free(&st->prompted);
		pk_record_free(&st->prec);
		free(st->order);
		free(st);
	}
	fr->state = NULL;
}

/* Write response it of the list (spans into text, spaced when it has
 * whitespace to drop) to b, its fields renamed. */
static int response(const char *text, int spaced,
		    const struct pk_rank_item *it, struct pk_buf *b,
		    struct pk_error *err)
{
	static const char *const canon[3] = {"text", "score", "rank"};
	const struct pk_value *f[3] = {&it->text, &it->score, &it->rank};
	const char *obj = text + it->off;
	int placed[3] = {0, 0, 0}, e;
	struct pk_iter iter;
	struct pk_member m;

	if (pk_fmt_sep(b) || pk_buf_putc(b, '{'))
		return pk_nomem(err);
	pk_iter_init(&iter, obj, it->len);
	while (pk_iter_member(&iter, &m)) {
		const char *v = obj + m.val_off;
		int k = -1;
		for (int i = 0; i < 3 && k < 0; i++)
			if (f[i]->type != PK_T_NONE &&
			    f[i]->off == it->off + m.val_off)
				k = i;
		if (k < 0) {
			for (int i = 0; i < 3; i++)
				if (pk_key_equals(obj + m.key_off, m.key_len,
						  canon[i]) &&
				    f[i]->type != PK_T_NONE)
					return pk_error_set(
						err, PK_ERR_DATA,
						"lists: response %zu has "
						"'%s' besides the field "
						"read as its %s",
						it->index, canon[i], canon[i]);
			e = pk_fmt_sep(b) ||
			    pk_buf_append(b, obj + m.key_off, m.key_len) ||
			    pk_buf_putc(b, ':') ||
			    pk_fmt_raw(b, v, m.val_len, spaced);
		} else {
			placed[k] = 1;
			e = pk_fmt_key(b, canon[k]);
			if (!e && (m.type == PK_T_TRUE || m.type == PK_T_FALSE))
				e = pk_buf_putc(b,
						m.type == PK_T_TRUE ? '1' : '0');
			else if (!e)
				e = pk_fmt_raw(b, v, m.val_len, spaced);
		}
		if (e)
			return pk_nomem(err);
	}
	for (int i = 0; i < 3; i++) {
		if (placed[i] || f[i]->type == PK_T_NONE)
			continue;
		e = pk_fmt_key(b, canon[i]);
		if (!e && (f[i]->type == PK_T_TRUE || f[i]->type == PK_T_FALSE))
			e = pk_buf_putc(b, f[i]->type == PK_T_TRUE ? '1' : '0');
		else if (!e)
			e = pk_fmt_raw(b, text + f[i]->off, f[i]->len,
				       spaced);
		if (e)
			return pk_nomem(err);
	}
	return pk_buf_putc(b, '}') ? pk_nomem(err) : PK_OK;
}

static int lists_feed(struct pk_format_reader *fr,
		      const struct pk_record *rec, struct pk_error *err)
{
	struct lists_state *st = fr->state;
	struct pk_rank_list *l = &st->list;
	const char *pf = st->ro.prompt_field, *rf = st->ro.responses_field;
	size_t total;
	int rc;

	if (st->prompt.tmpl) {
		/* the prompt built first, then the list read as usual */
		struct pk_fmt_put put;
		if ((rc = pk_fmt_prompt_get(&st->prompt, "lists", rec, &put,
					    err)) < 0)
			return rc;
		pk_buf_reset(&st->prompted);
		if (pk_obj_load_record(fr->obj, rec) != PK_OK)
			return pk_nomem(err);
		if ((rc = pk_fmt_place(fr, rec, &put, 1, err)) != PK_OK)
			return rc;
		if (pk_obj_write(fr->obj, &st->prompted) != PK_OK)
			return pk_nomem(err);
		if ((rc = pk_scan_record(&st->prec, st->prompted.data,
					 st->prompted.len, err)) != PK_OK)
			return rc;
		rec = &st->prec;
	}
	if ((rc = pk_rank_parse(l, rec, &st->ro, err)) != PK_OK)
		return rc;
	/* input order: order[index] = position in items, or SIZE_MAX */
	total = l->n + l->ndropped;
	if (total > st->order_cap) {
		size_t *o = realloc(st->order, total * sizeof *o);
		if (!o)
			return pk_nomem(err);
		st->order = o;
		st->order_cap = total;
	}
	for (size_t k = 0; k < total; k++)
		st->order[k] = SIZE_MAX;
	for (size_t k = 0; k < l->n; k++)
		st->order[l->items[k].index] = k;

	pk_buf_reset(&fr->t2);
	if (pk_buf_putc(&fr->t2, '['))
		return pk_nomem(err);
	for (size_t k = 0; k < total; k++)
		if (st->order[k] != SIZE_MAX &&
		    (rc = response(l->text, l->text == rec->text &&
						   rec->has_space,
				   &l->items[st->order[k]], &fr->t2, err)) != PK_OK)
			return rc;
	if (pk_buf_putc(&fr->t2, ']'))
		return pk_nomem(err);

	{
		struct pk_fmt_put puts[2] = {
			{pf, l->prompt.type != PK_T_NONE ? "prompt" : NULL,
			 NULL, 0, 0},
			{rf, "responses", fr->t2.data, fr->t2.len, 0},
		};
		if (l->prompt.type == PK_T_NONE)
			puts[0].from = NULL;
		if ((rc = pk_fmt_emit_placed(fr, rec, puts, 2, err)) == PK_OK)
			fr->count[0] += l->ndropped;
		return rc;
	}
}

const struct pk_fmt_ops pk_fmt_lists = {
	.info = {"lists", PK_FORMAT_LISTS,
		 "ranked lists {prompt, responses: [{text, score|rank}]}, other "
		 "shapes via the field options"},
	.counters = lists_counters,
	.init = lists_init,
	.feed = lists_feed,
	.free = lists_free,
};
