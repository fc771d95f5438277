/* SPDX-License-Identifier: MIT */
/*
 * helpsteer.c - NVIDIA HelpSteer / HelpSteer2 rows (SPEC 1.5 "helpsteer"):
 *   {"prompt", "response", "helpfulness", "correctness", "coherence",
 *    "complexity", "verbosity"}
 * with several rows per prompt, one after the other.  Each run of rows
 * with the same prompt becomes one ranked list:
 *   {"prompt", "responses": [{"text", "score", "scores": {...}, ...}]}
 * score = the attribute opts.score (default "helpfulness"), copied as it
 * is; "scores" keeps every attribute the row has; other fields of a row go
 * into its response.  A row whose score is null is dropped (counted); a
 * run whose rows were all dropped gives no list.  The last run is written
 * by pk_format_reader_finish().
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

static const char *const hs_counters[] = {"responses_dropped", NULL};
static const char *const attributes[] = {
	"helpfulness", "correctness", "coherence", "complexity", "verbosity",
};

struct hs_state {
	struct pk_buf prompt;   /* decoded prompt of the open run */
	struct pk_buf list;     /* the open list, without its "]}" */
	size_t nresponses;
	int open;
};

static int hs_init(struct pk_format_reader *fr, struct pk_error *err)
{
	if (!(fr->state = calloc(1, sizeof(struct hs_state))))
		return pk_nomem(err);
	return PK_OK;
}

static void hs_free(struct pk_format_reader *fr)
{
	struct hs_state *st = fr->state;

	if (st) {
		pk_buf_free(&st->prompt);
		pk_buf_free(&st->list);
		free(st);
	}
	fr->state = NULL;
}

static int flush(struct pk_format_reader *fr, struct pk_error *err)
{
	struct hs_state *st = fr->state;

	if (!st->open)
		return PK_OK;
	st->open = 0;
	if (!st->nresponses)
		return PK_OK;
	if (pk_buf_puts(&st->list, "]}"))
		return pk_nomem(err);
	return pk_fmt_emit(fr, &st->list);
}

static int is_attribute(const char *k, size_t n, const char *attr)
{
	if (pk_key_equals(k, n, attr))
		return 1;
	for (size_t i = 0; i < sizeof attributes / sizeof attributes[0]; i++)
		if (pk_key_equals(k, n, attributes[i]))
			return 1;
	return 0;
}

static int hs_feed(struct pk_format_reader *fr, const struct pk_record *rec,
		   struct pk_error *err)
{
	struct hs_state *st = fr->state;
	const char *attr = fr->opts.score ? fr->opts.score : "helpfulness";
	struct pk_value p, r, s;
	struct pk_buf *b = &fr->t2;
	int rc, e = 0;

	if (!pk_record_get(rec, "prompt", &p) ||
	    !pk_record_get(rec, "response", &r))
		return pk_error_set(err, PK_ERR_DATA,
				    "helpsteer: no '%s' field",
				    pk_record_get(rec, "prompt", &s)
					    ? "response"
					    : "prompt");
	if ((rc = pk_fmt_check_text("helpsteer", "prompt", rec->text + p.off,
				    p.len, err)) ||
	    (rc = pk_fmt_check_text("helpsteer", "response",
				    rec->text + r.off, r.len, err)))
		return rc;
	if (!pk_record_get(rec, attr, &s))
		return pk_error_set(err, PK_ERR_DATA,
				    "helpsteer: no '%s' score", attr);
	if (s.type != PK_T_NUMBER && s.type != PK_T_NULL)
		return pk_error_set(err, PK_ERR_DATA,
				    "helpsteer: '%s' is not a number (%s)",
				    attr, pk_type_name(s.type));

	/* A new prompt closes the open run. */
	pk_buf_reset(&fr->t1);
	if (pk_compact(&fr->t1, rec->text + p.off, p.len) != PK_OK)
		return pk_nomem(err);
	if (p.type == PK_T_STRING) {
		pk_buf_reset(&fr->t3);
		if (pk_json_unquote(&fr->t3, fr->t1.data, fr->t1.len))
			return pk_nomem(err);
	} else {
		pk_buf_reset(&fr->t3);
		if (pk_buf_append(&fr->t3, fr->t1.data, fr->t1.len))
			return pk_nomem(err);
	}
	if (st->open && (st->prompt.len != fr->t3.len ||
			 memcmp(st->prompt.data, fr->t3.data, fr->t3.len)))
		if ((rc = flush(fr, err)) != PK_OK)
			return rc;
	if (!st->open) {
		pk_buf_reset(&st->list);
		pk_buf_reset(&st->prompt);
		if (pk_buf_puts(&st->list, "{\"prompt\":") ||
		    pk_buf_append(&st->list, fr->t1.data, fr->t1.len) ||
		    pk_buf_puts(&st->list, ",\"responses\":[") ||
		    pk_buf_append(&st->prompt, fr->t3.data, fr->t3.len))
			return pk_nomem(err);
		st->open = 1;
		st->nresponses = 0;
	}
	if (s.type == PK_T_NULL) {
		fr->count[0]++;
		return PK_OK;
	}

	pk_buf_reset(b);
	e = pk_buf_puts(b, "{\"text\":") ||
	    pk_fmt_raw(b, rec->text + r.off, r.len, fr->has_space) ||
	    pk_fmt_key(b, "score") ||
	    pk_buf_append(b, rec->text + s.off, s.len) ||
	    pk_fmt_key(b, "scores") || pk_buf_putc(b, '{');
	for (size_t i = 0; !e && i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		if (is_attribute(rec->text + m->key_off, m->key_len, attr))
			e = pk_fmt_sep(b) ||
			    pk_buf_append(b, rec->text + m->key_off,
					  m->key_len) ||
			    pk_buf_putc(b, ':') ||
			    pk_fmt_raw(b, rec->text + m->val_off, m->val_len,
				       fr->has_space);
	}
	e = e || pk_buf_putc(b, '}');
	for (size_t i = 0; !e && i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		const char *k = rec->text + m->key_off;
		/* the members written above replace those of the row
		 * (the member-clash rule of pk_fmt_place) */
		if (m->val_off == p.off || m->val_off == r.off ||
		    is_attribute(k, m->key_len, attr) ||
		    pk_key_equals(k, m->key_len, "text") ||
		    pk_key_equals(k, m->key_len, "score") ||
		    pk_key_equals(k, m->key_len, "scores"))
			continue;
		e = pk_fmt_sep(b) || pk_buf_append(b, k, m->key_len) ||
		    pk_buf_putc(b, ':') ||
		    pk_fmt_raw(b, rec->text + m->val_off, m->val_len,
			       fr->has_space);
	}
	if (e || pk_buf_putc(b, '}') || pk_fmt_sep(&st->list) ||
	    pk_buf_append(&st->list, b->data, b->len))
		return pk_nomem(err);
	st->nresponses++;
	return PK_OK;
}

static int hs_finish(struct pk_format_reader *fr, struct pk_error *err)
{
	return flush(fr, err);
}

const struct pk_fmt_ops pk_fmt_helpsteer = {
	.info = {"helpsteer", PK_FORMAT_LISTS,
		 "HelpSteer rows {prompt, response, helpfulness, ...}, one "
		 "list per run of equal prompts"},
	.counters = hs_counters,
	.init = hs_init,
	.feed = hs_feed,
	.finish = hs_finish,
	.free = hs_free,
};
