/* SPDX-License-Identifier: MIT */
/*
 * trl.c - TRL preference pairs (SPEC 1.5 "trl"): standard (strings) or
 * conversational (message lists), with an explicit prompt or an implicit
 * one (no prompt; chosen and rejected are whole conversations).  Already
 * the native pair: the record is checked and written as it is, except
 * that fields named by the *_field options get their canonical names
 * (prompt, chosen, rejected, score_chosen, score_rejected).
 */
#include "config.h"

#include <string.h>

#include "fmt.h"

static int trl_feed(struct pk_format_reader *fr, const struct pk_record *rec,
		    struct pk_error *err)
{
	const struct pk_format_opts *o = &fr->opts;
	const char *from[5] = {
		o->prompt_field, o->chosen_field, o->rejected_field,
		o->score_chosen_field, o->score_rejected_field,
	};
	static const char *const to[5] = {
		"prompt", "chosen", "rejected", "score_chosen", "score_rejected",
	};
	struct pk_value p, c, r;
	int renamed = 0, rc;

	for (int i = 0; i < 5; i++)
		if (!from[i])
			from[i] = to[i];
	if (!pk_record_path(rec, from[1], &c) ||
	    !pk_record_path(rec, from[2], &r))
		return pk_error_set(err, PK_ERR_DATA, "trl: no \"%s\" field",
				    pk_record_path(rec, from[1], &c) ? from[2]
								     : from[1]);
	if ((rc = pk_fmt_check_text("trl", from[1], rec->text + c.off, c.len,
				    err)) != PK_OK ||
	    (rc = pk_fmt_check_text("trl", from[2], rec->text + r.off, r.len,
				    err)) != PK_OK)
		return rc;
	if (pk_record_path(rec, from[0], &p)) {
		if ((rc = pk_fmt_check_text("trl", from[0], rec->text + p.off,
					    p.len, err)) != PK_OK)
			return rc;
	} else if (c.type != PK_T_ARRAY || r.type != PK_T_ARRAY) {
		return pk_error_set(err, PK_ERR_DATA,
				    "trl: no \"%s\", and the responses are not "
				    "whole conversations (implicit prompt)",
				    from[0]);
	}
	for (int i = 0; i < 5; i++)
		renamed |= strcmp(from[i], to[i]) != 0;
	pk_buf_reset(&fr->out);
	if (!renamed) {
		if (!fr->has_space)
			return fr->emit(fr->ctx, rec->text, rec->len);
		if (pk_compact(&fr->out, rec->text, rec->len) != PK_OK)
			return pk_nomem(err);
		return pk_fmt_emit(fr, &fr->out);
	}
	if (pk_obj_load_record(fr->obj, rec) != PK_OK)
		return pk_nomem(err);
	for (int i = 0; i < 5; i++)
		if ((rc = pk_fmt_move(fr, from[i], to[i], err)) < 0)
			return rc == PK_BAD_RECORD
				       ? pk_error_set(err, PK_ERR_DATA,
						      "trl: field \"%s\" is "
						      "present too",
						      to[i])
				       : rc;
	return pk_fmt_emit_obj(fr, err);
}

const struct pk_fmt_ops pk_fmt_trl = {
	.info = {"trl", PK_FORMAT_PAIRS,
		 "TRL pairs, standard or conversational, explicit or implicit "
		 "prompt"},
	.feed = trl_feed,
};
