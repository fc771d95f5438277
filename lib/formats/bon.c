/* SPDX-License-Identifier: MIT */
/*
 * bon.c - best-of-N (SPEC 1.5 "bon"): a record with the best response
 * (opts.best_field) and an array of the others (opts.losers_field)
 * becomes a ranked list: the best response rank 1, every loser rank 2
 * (losers are tied: no pair is built between two of them).  A response
 * is a string, a message list, or an object whose text is the member
 * opts.text_field (default "text") and whose model is opts.model_field
 * (default "model"); the object's other members are kept.  The list's
 * "responses" take the best field's place, the losers field is removed,
 * the prompt field is renamed "prompt" (or the prompt template's text is
 * put first); other fields are kept as they are.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

struct bon_state {
	struct pk_fmt_prompt prompt;
	const char *fbest, *flosers, *ftext, *fmodel;
	struct pk_field best, losers;
};

static void bon_free(struct pk_format_reader *fr)
{
	struct bon_state *st = fr->state;

	if (st) {
		pk_fmt_prompt_free(&st->prompt);
		free(st);
	}
	fr->state = NULL;
}

static int bon_init(struct pk_format_reader *fr, struct pk_error *err)
{
	const struct pk_format_opts *o = &fr->opts;
	struct bon_state *st;

	if (!o->best_field || !o->losers_field)
		return pk_error_set(err, PK_ERR_USAGE,
				    "--from bon needs --best-field and "
				    "--losers-field");
	if (!(st = calloc(1, sizeof *st)))
		return pk_nomem(err);
	fr->state = st;
	st->fbest = o->best_field;
	st->flosers = o->losers_field;
	st->ftext = o->text_field ? o->text_field : "text";
	st->fmodel = o->model_field ? o->model_field : "model";
	pk_field_init(&st->best, st->fbest);
	pk_field_init(&st->losers, st->flosers);
	return pk_fmt_prompt_init(&st->prompt, o, "prompt", err);
}

/* Find the member at path (dotted: nested objects) of the object text
 * o[0..n): 1 with *m (offsets relative to o), or 0. */
static int find_path(const char *o, size_t n, const char *path,
		     struct pk_member *m)
{
	char name[256];
	size_t base = 0;

	for (;;) {
		const char *dot = strchr(path, '.');
		size_t k = dot ? (size_t)(dot - path) : strlen(path);
		if (k >= sizeof name)
			return 0;
		memcpy(name, path, k);
		name[k] = '\0';
		if (!pk_object_find(o + base, n, name, m))
			return 0;
		m->key_off += base;
		m->val_off += base;
		if (!dot)
			return 1;
		if (m->type != PK_T_OBJECT)
			return 0;
		base = m->val_off;
		n = m->val_len;
		path = dot + 1;
	}
}

/* Append response v[0..n) (what: "best" or "loser K") to b with its rank. */
static int put_response(struct pk_format_reader *fr, struct bon_state *st,
			const char *v, size_t n, int rank, const char *what,
			struct pk_error *err)
{
	struct pk_buf *b = &fr->t2;
	enum pk_type t = pk_type_of(v, n);
	struct pk_member tm, mm, m;
	struct pk_iter it;
	char fmt[64];
	int rc, has_model, text_dotted = strchr(st->ftext, '.') != NULL;
	int model_dotted = strchr(st->fmodel, '.') != NULL;

	if (pk_fmt_sep(b) || pk_buf_putc(b, '{'))
		return pk_nomem(err);
	if (t != PK_T_OBJECT) {
		if (t != PK_T_STRING &&
		    (t != PK_T_ARRAY || !pk_is_message_list(v, n)))
			return pk_error_set(err, PK_ERR_DATA,
					    "bon: %s is %s, not a response (a "
					    "string, a message list or an object)",
					    what, pk_fmt_a_type(t));
		if (pk_buf_puts(b, "\"text\":") ||
		    pk_fmt_raw(b, v, n, fr->has_space))
			return pk_nomem(err);
		return pk_buf_printf(b, ",\"rank\":%d}", rank) < 0
			       ? pk_nomem(err)
			       : PK_OK;
	}
	if (!find_path(v, n, st->ftext, &tm))
		return pk_error_set(err, PK_ERR_DATA,
				    "bon: %s has no '%s' member", what,
				    st->ftext);
	snprintf(fmt, sizeof fmt, "bon: %s", what);
	if ((rc = pk_fmt_check_text(fmt, st->ftext, v + tm.val_off,
				    tm.val_len, err)) != PK_OK)
		return rc;
	has_model = find_path(v, n, st->fmodel, &mm);
	pk_iter_init(&it, v, n);
	while (pk_iter_member(&it, &m)) {
		const char *k = v + m.key_off;
		int e, is_text = m.val_off == tm.val_off,
		       is_model = has_model && m.val_off == mm.val_off;
		int clash_text = !is_text && pk_key_equals(k, m.key_len, "text");
		if (clash_text || (has_model && !is_model &&
				   pk_key_equals(k, m.key_len, "model")))
			return pk_error_set(err, PK_ERR_DATA,
					    "bon: %s has '%s' besides the "
					    "member read as its %s",
					    what, clash_text ? "text" : "model",
					    clash_text ? "text" : "model");
		if (pk_key_equals(k, m.key_len, "rank"))
			continue; /* written below */
		if (is_text || is_model)
			e = pk_fmt_key(b, is_text ? "text" : "model");
		else
			e = pk_fmt_sep(b) || pk_buf_append(b, k, m.key_len) ||
			    pk_buf_putc(b, ':');
		if (e || pk_fmt_raw(b, v + m.val_off, m.val_len, fr->has_space))
			return pk_nomem(err);
	}
	if (text_dotted &&
	    (pk_fmt_key(b, "text") ||
	     pk_fmt_raw(b, v + tm.val_off, tm.val_len, fr->has_space)))
		return pk_nomem(err);
	if (model_dotted && has_model &&
	    (pk_fmt_key(b, "model") ||
	     pk_fmt_raw(b, v + mm.val_off, mm.val_len, fr->has_space)))
		return pk_nomem(err);
	return pk_buf_printf(b, ",\"rank\":%d}", rank) < 0 ? pk_nomem(err)
							    : PK_OK;
}

static int bon_feed(struct pk_format_reader *fr, const struct pk_record *rec,
		    struct pk_error *err)
{
	struct bon_state *st = fr->state;
	struct pk_value best, losers;
	struct pk_fmt_put puts[3];
	struct pk_iter it;
	size_t off, len, np = 0, k = 0;
	enum pk_type t;
	char what[32];
	int rc;

	if ((rc = pk_fmt_prompt_get(&st->prompt, "bon", rec, &puts[np],
				    err)) < 0)
		return rc;
	if (!rc)
		return pk_error_set(err, PK_ERR_DATA, "bon: no field '%s'",
				    st->prompt.path);
	np++;
	if (!pk_record_field(rec, &st->best, &best) ||
	    !pk_record_field(rec, &st->losers, &losers))
		return pk_error_set(err, PK_ERR_DATA, "bon: no field '%s'",
				    pk_record_field(rec, &st->best, &best)
					    ? st->flosers
					    : st->fbest);
	if (losers.type != PK_T_ARRAY)
		return pk_error_set(err, PK_ERR_DATA,
				    "bon: '%s' is %s, not an array of "
				    "responses",
				    st->flosers, pk_fmt_a_type(losers.type));
	pk_buf_reset(&fr->t2);
	if (pk_buf_putc(&fr->t2, '['))
		return pk_nomem(err);
	snprintf(what, sizeof what, "\"%.24s\"", st->fbest);
	if ((rc = put_response(fr, st, rec->text + best.off, best.len, 1,
			       what, err)) != PK_OK)
		return rc;
	pk_iter_init(&it, rec->text + losers.off, losers.len);
	while (pk_iter_element(&it, &off, &len, &t)) {
		snprintf(what, sizeof what, "loser %zu", ++k);
		if ((rc = put_response(fr, st, rec->text + losers.off + off,
				       len, 2, what, err)) != PK_OK)
			return rc;
	}
	if (pk_buf_putc(&fr->t2, ']'))
		return pk_nomem(err);
	puts[np++] = (struct pk_fmt_put){st->fbest, "responses", fr->t2.data,
					 fr->t2.len, 0};
	puts[np++] = (struct pk_fmt_put){st->flosers, NULL, NULL, 0, 0};
	return pk_fmt_emit_placed(fr, rec, puts, np, err);
}

const struct pk_fmt_ops pk_fmt_bon = {
	.info = {"bon", PK_FORMAT_LISTS,
		 "best-of-N {prompt, BEST, LOSERS: [...]} (--best-field, "
		 "--losers-field): best rank 1, losers rank 2"},
	.init = bon_init,
	.feed = bon_feed,
	.free = bon_free,
};
