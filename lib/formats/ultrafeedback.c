/* SPDX-License-Identifier: MIT */
/*
 * ultrafeedback.c - UltraFeedback (openbmb/UltraFeedback, SPEC 1.5
 * "ultrafeedback"):
 *   {"instruction", "completions": [{"response", "model", "overall_score",
 *    "fine-grained_score", "annotations": {aspect: {"Rating": "1".."5" |
 *    "N/A", ...}}, ...}], ...}
 * becomes a ranked list {"prompt", "responses": [{"text", "score",
 * "model"}], ...}: "instruction" and "completions" are renamed in place,
 * other fields kept.  The score is overall_score (opts.score "overall",
 * the default), fine-grained_score ("fine-grained"), or the mean of the
 * numeric aspect ratings ("mean-aspects", N/A aspects left out).  A score
 * may be a number or a string holding one; a completion whose score is
 * missing, null, "N/A" (or, for mean-aspects, has no numeric rating) is
 * dropped and counted; any other score ("abc", "NaN", "0x10", true, {},
 * 1e400) makes the record bad (pk_fmt_number).  Other members of a completion (annotations,
 * critique, ...) are not copied.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fmt.h"

enum { M_OVERALL, M_FINE, M_MEAN };
static const char *const uf_counters[] = {"completions_dropped", NULL};

static int uf_init(struct pk_format_reader *fr, struct pk_error *err)
{
	const char *s = fr->opts.score;

	if (!s || !strcmp(s, "overall"))
		fr->mode = M_OVERALL;
	else if (!strcmp(s, "fine-grained"))
		fr->mode = M_FINE;
	else if (!strcmp(s, "mean-aspects"))
		fr->mode = M_MEAN;
	else
		return pk_error_set(err, PK_ERR_USAGE,
				    "ultrafeedback: unknown score '%s' (overall, "
				    "fine-grained or mean-aspects)",
				    s);
	return PK_OK;
}

/* Mean of the numeric ratings of annotations a[0..n): 1, 0 (none). */
static int mean_aspects(struct pk_format_reader *fr, const char *a, size_t n,
			double *x, size_t idx, struct pk_error *err)
{
	struct pk_iter it;
	struct pk_member m, rating;
	double sum = 0, v;
	int k = 0, got;

	if (pk_type_of(a, n) != PK_T_OBJECT)
		return pk_error_set(err, PK_ERR_DATA,
				    "ultrafeedback: completion %zu: "
				    "'annotations' is not an object",
				    idx + 1);
	pk_iter_init(&it, a, n);
	while (pk_iter_member(&it, &m)) {
		char what[160];

		if (m.type != PK_T_OBJECT ||
		    !pk_object_find(a + m.val_off, m.val_len, "Rating",
				    &rating))
			continue;
		snprintf(what, sizeof what,
			 "ultrafeedback: completion %zu: the 'Rating' of "
			 "annotation %.*s",
			 idx + 1, m.key_len > 60 ? 60 : (int)m.key_len,
			 a + m.key_off);
		got = pk_fmt_number(&fr->t3, a + m.val_off + rating.val_off,
				    rating.val_len, &v, what, err);
		if (got < 0)
			return got;
		if (got) {
			sum += v;
			k++;
		}
	}
	if (k)
		*x = sum / k;
	return k ? 1 : 0;
}

static int completion(struct pk_format_reader *fr, const char *c, size_t n,
		      size_t idx, struct pk_error *err)
{
	static const char *const score_name[] = {
		[M_OVERALL] = "overall_score",
		[M_FINE] = "fine-grained_score",
		[M_MEAN] = "annotations",
	};
	struct pk_buf *b = &fr->t2;
	struct pk_member text, score, model;
	char num[PK_NUMBER_MAX];
	double x = 0;
	int got = 0, len;

	if (pk_type_of(c, n) != PK_T_OBJECT)
		return pk_error_set(err, PK_ERR_DATA,
				    "ultrafeedback: completion %zu is not an "
				    "object",
				    idx + 1);
	if (!pk_object_find(c, n, "response", &text) ||
	    text.type != PK_T_STRING)
		return pk_error_set(err, PK_ERR_DATA,
				    "ultrafeedback: completion %zu has no "
				    "'response' string",
				    idx + 1);
	if (pk_object_find(c, n, score_name[fr->mode], &score)) {
		if (fr->mode == M_MEAN) {
			got = mean_aspects(fr, c + score.val_off, score.val_len,
					   &x, idx, err);
			if (got < 0)
				return got;
		} else {
			char what[96];

			snprintf(what, sizeof what,
				 "ultrafeedback: completion %zu: '%s'",
				 idx + 1, score_name[fr->mode]);
			got = pk_fmt_number(&fr->t3, c + score.val_off,
					    score.val_len, &x, what, err);
			if (got < 0)
				return got;
		}
	}
	if (!got) {
		fr->count[0]++;
		return PK_OK;
	}
	if (pk_fmt_sep(b) || pk_buf_puts(b, "{\"text\":") ||
	    pk_buf_append(b, c + text.val_off, text.val_len) ||
	    pk_fmt_key(b, "score"))
		return pk_nomem(err);
	if (fr->mode != M_MEAN && score.type == PK_T_NUMBER) {
		if (pk_buf_append(b, c + score.val_off, score.val_len))
			return pk_nomem(err);
	} else if ((len = pk_format_number(num, x)) < 0 ||
		   pk_buf_append(b, num, (size_t)len)) {
		return pk_nomem(err);
	}
	if (pk_object_find(c, n, "model", &model) &&
	    (pk_fmt_key(b, "model") ||
	     pk_fmt_raw(b, c + model.val_off, model.val_len, fr->has_space)))
		return pk_nomem(err);
	return pk_buf_putc(b, '}') ? pk_nomem(err) : PK_OK;
}

static int uf_feed(struct pk_format_reader *fr, const struct pk_record *rec,
		   struct pk_error *err)
{
	struct pk_value ins, comp, tmp;
	struct pk_iter it;
	size_t off, len, idx = 0;
	unsigned long long dropped = fr->count[0];
	enum pk_type ty;
	int rc;

	if (!pk_record_get(rec, "instruction", &ins) ||
	    !pk_record_get(rec, "completions", &comp))
		return pk_error_set(err, PK_ERR_DATA,
				    "ultrafeedback: no '%s' field",
				    pk_record_get(rec, "instruction", &tmp)
					    ? "completions"
					    : "instruction");
	if ((rc = pk_fmt_check_text("ultrafeedback", "instruction",
				    rec->text + ins.off, ins.len, err)))
		return rc;
	if (comp.type != PK_T_ARRAY)
		return pk_error_set(err, PK_ERR_DATA,
				    "ultrafeedback: 'completions' is not an "
				    "array (%s)",
				    pk_type_name(comp.type));
	if (pk_record_get(rec, "prompt", &tmp) ||
	    pk_record_get(rec, "responses", &tmp))
		return pk_error_set(err, PK_ERR_DATA,
				    "ultrafeedback: the record already has "
				    "'%s'",
				    pk_record_get(rec, "prompt", &tmp)
					    ? "prompt"
					    : "responses");
	pk_buf_reset(&fr->t2);
	if (pk_buf_putc(&fr->t2, '['))
		return pk_nomem(err);
	pk_iter_init(&it, rec->text + comp.off, comp.len);
	while (pk_iter_element(&it, &off, &len, &ty)) {
		rc = completion(fr, rec->text + comp.off + off, len, idx++,
				err);
		if (rc != PK_OK) {
			fr->count[0] = dropped; /* the record is not taken */
			return rc;
		}
	}
	if (pk_buf_putc(&fr->t2, ']'))
		return pk_nomem(err);
	if (pk_obj_load_record(fr->obj, rec) != PK_OK ||
	    pk_obj_set_raw(fr->obj, "completions", fr->t2.data,
			   fr->t2.len) != PK_OK ||
	    pk_obj_rename(fr->obj, "completions", "responses") < 0 ||
	    pk_obj_rename(fr->obj, "instruction", "prompt") < 0)
		return pk_nomem(err);
	return pk_fmt_emit_obj(fr, err);
}

const struct pk_fmt_ops pk_fmt_ultrafeedback = {
	.info = {"ultrafeedback", PK_FORMAT_LISTS,
		 "UltraFeedback {instruction, completions: [{response, model, "
		 "overall_score, annotations}]}"},
	.counters = uf_counters,
	.init = uf_init,
	.feed = uf_feed,
};
