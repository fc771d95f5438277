/* SPDX-License-Identifier: MIT */
/*
 * nectar.c - Nectar (berkeley-nest/Nectar, SPEC 1.5 "nectar"):
 * {"prompt", "answers": [{"answer", "model", "rank"}], ...} becomes a
 * ranked list {"prompt", "responses": [{"text", "rank", "model"}], ...}.
 * Rank 1 is the best answer, and a rank is "lower is better" in a ranked
 * list too (SPEC 1.3), so ranks are copied as they are: never inverted.
 * With opts.conversational the prompt (an HH-style transcript) becomes
 * messages and each answer an assistant message.
 */
#include "config.h"

#include <string.h>

#include "fmt.h"

static int put_answer(struct pk_format_reader *fr, const char *a, size_t an,
		      size_t idx, struct pk_error *err)
{
	struct pk_buf *b = &fr->t2;
	struct pk_iter it;
	struct pk_member m;
	int have_text = 0, have_rank = 0;

	if (pk_type_of(a, an) != PK_T_OBJECT)
		return pk_error_set(err, PK_ERR_DATA,
				    "nectar: answer %zu is not an object",
				    idx + 1);
	if (pk_fmt_sep(b) || pk_buf_putc(b, '{'))
		return pk_nomem(err);
	pk_iter_init(&it, a, an);
	while (pk_iter_member(&it, &m)) {
		const char *k = a + m.key_off, *v = a + m.val_off;
		int bad = 0;
		if (pk_key_equals(k, m.key_len, "answer")) {
			if (m.type != PK_T_STRING)
				return pk_error_set(err, PK_ERR_DATA,
						    "nectar: answer %zu: "
						    "'answer' is not a string",
						    idx + 1);
			have_text = 1;
			if (pk_fmt_key(b, "text"))
				return pk_nomem(err);
			if (fr->opts.conversational)
				bad = pk_buf_putc(b, '[') ||
				      pk_fmt_message(b, "assistant", v,
						     m.val_len, 0) ||
				      pk_buf_putc(b, ']');
			else
				bad = pk_fmt_raw(b, v, m.val_len, 0);
		} else {
			if (pk_key_equals(k, m.key_len, "rank")) {
				if (!pk_fmt_is_integral(v, m.val_len))
					return pk_error_set(
						err, PK_ERR_DATA,
						"nectar: answer %zu: rank %.*s "
						"is not an integer",
						idx + 1,
						(int)(m.val_len > 40 ? 40
								     : m.val_len),
						v);
				have_rank = 1;
			}
			bad = pk_fmt_sep(b) ||
			      pk_buf_append(b, k, m.key_len) ||
			      pk_buf_putc(b, ':') ||
			      pk_fmt_raw(b, v, m.val_len, fr->has_space);
		}
		if (bad)
			return pk_nomem(err);
	}
	if (!have_text || !have_rank)
		return pk_error_set(err, PK_ERR_DATA,
				    "nectar: answer %zu has no '%s'",
				    idx + 1, have_text ? "rank" : "answer");
	return pk_buf_putc(b, '}') ? pk_nomem(err) : PK_OK;
}

static int nectar_feed(struct pk_format_reader *fr,
		       const struct pk_record *rec, struct pk_error *err)
{
	struct pk_value p, a, tmp;
	struct pk_iter it;
	size_t off, len, n = 0;
	enum pk_type t;
	int rc;

	if (!pk_record_get(rec, "prompt", &p) || !pk_record_get(rec, "answers", &a))
		return pk_error_set(err, PK_ERR_DATA,
				    "nectar: no '%s' field",
				    pk_record_get(rec, "prompt", &tmp)
					    ? "answers"
					    : "prompt");
	if (a.type != PK_T_ARRAY)
		return pk_error_set(err, PK_ERR_DATA,
				    "nectar: 'answers' is not an array (%s)",
				    pk_type_name(a.type));
	if (pk_record_get(rec, "responses", &tmp))
		return pk_error_set(err, PK_ERR_DATA,
				    "nectar: the record already has "
				    "'responses'");
	pk_buf_reset(&fr->t2);
	if (pk_buf_putc(&fr->t2, '['))
		return pk_nomem(err);
	pk_iter_init(&it, rec->text + a.off, a.len);
	while (pk_iter_element(&it, &off, &len, &t))
		if ((rc = put_answer(fr, rec->text + a.off + off, len, n++,
				     err)) != PK_OK)
			return rc;
	if (pk_buf_putc(&fr->t2, ']'))
		return pk_nomem(err);

	if (pk_obj_load_record(fr->obj, rec) != PK_OK)
		return pk_nomem(err);
	if (fr->opts.conversational) {
		if (p.type != PK_T_STRING)
			return pk_error_set(err, PK_ERR_DATA,
					    "nectar: 'prompt' is not a transcript "
					    "string (%s)",
					    pk_type_name(p.type));
		pk_buf_reset(&fr->t1);
		pk_buf_reset(&fr->t3);
		if (pk_json_unquote(&fr->t1, rec->text + p.off, p.len) ||
		    pk_buf_reserve(&fr->t1, 1))
			return pk_nomem(err);
		rc = pk_fmt_hh_messages(&fr->t3, fr->t1.data, fr->t1.len,
					NULL, 1, err);
		if (rc != PK_OK)
			return rc;
		if (pk_obj_set_raw(fr->obj, "prompt", fr->t3.data,
				   fr->t3.len) != PK_OK)
			return pk_nomem(err);
	}
	if (pk_obj_set_raw(fr->obj, "answers", fr->t2.data, fr->t2.len) !=
		    PK_OK ||
	    pk_obj_rename(fr->obj, "answers", "responses") < 0)
		return pk_nomem(err);
	return pk_fmt_emit_obj(fr, err);
}

const struct pk_fmt_ops pk_fmt_nectar = {
	.info = {"nectar", PK_FORMAT_LISTS,
		 "Nectar {prompt, answers: [{answer, model, rank}]}, rank 1 = "
		 "best"},
	.feed = nectar_feed,
};
