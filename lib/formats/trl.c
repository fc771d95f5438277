/* SPDX-License-Identifier: MIT */
/*
 * trl.c - TRL preference pairs (SPEC 1.5 "trl"): standard (strings) or
 * conversational (message lists), with an explicit prompt or an implicit
 * one (no prompt; chosen and rejected are whole conversations).  Already
 * the native pair: the record is checked and written as it is, except
 * that fields named by the *_field options get their canonical names
 * (prompt, chosen, rejected, score_chosen, score_rejected), or with a
 * prompt template the prompt built from fields is put first.  A member
 * already named like a canonical name is replaced in its place by the
 * field read under that name (so --chosen-field chosen.answer replaces
 * the object "chosen" with its "answer").
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

struct trl_state {
	struct pk_fmt_prompt prompt;
	const char *from[5];
	int renamed;
};

static const char *const canon[5] = {
	"prompt", "chosen", "rejected", "score_chosen", "score_rejected",
};

static void trl_free(struct pk_format_reader *fr)
{
	struct trl_state *st = fr->state;

	if (st) {
		pk_fmt_prompt_free(&st->prompt);
		free(st);
	}
	fr->state = NULL;
}

static int trl_init(struct pk_format_reader *fr, struct pk_error *err)
{
	const struct pk_format_opts *o = &fr->opts;
	struct trl_state *st = calloc(1, sizeof *st);
	const char *from[5] = {
		o->prompt_field, o->chosen_field, o->rejected_field,
		o->score_chosen_field, o->score_rejected_field,
	};

	if (!st)
		return pk_nomem(err);
	fr->state = st;
	for (int i = 0; i < 5; i++) {
		st->from[i] = from[i] ? from[i] : canon[i];
		st->renamed |= strcmp(st->from[i], canon[i]) != 0;
	}
	st->renamed |= o->prompt_template != NULL;
	return pk_fmt_prompt_init(&st->prompt, o, st->from[0], err);
}

static int trl_feed(struct pk_format_reader *fr, const struct pk_record *rec,
		    struct pk_error *err)
{
	struct trl_state *st = fr->state;
	const char *const *from = st->from;
	struct pk_fmt_put puts[5];
	struct pk_value c, r;
	int rc, has_prompt;

	if (!pk_record_path(rec, from[1], &c) ||
	    !pk_record_path(rec, from[2], &r))
		return pk_error_set(err, PK_ERR_DATA, "trl: no '%s' field",
				    pk_record_path(rec, from[1], &c) ? from[2]
								     : from[1]);
	if ((rc = pk_fmt_check_text("trl", from[1], rec->text + c.off, c.len,
				    err)) != PK_OK ||
	    (rc = pk_fmt_check_text("trl", from[2], rec->text + r.off, r.len,
				    err)) != PK_OK)
		return rc;
	if ((has_prompt = pk_fmt_prompt_get(&st->prompt, "trl", rec, &puts[0],
					    err)) < 0)
		return has_prompt;
	if (!has_prompt && (c.type != PK_T_ARRAY || r.type != PK_T_ARRAY))
		return pk_error_set(err, PK_ERR_DATA,
				    "trl: no '%s', and the responses are "
				    "not whole conversations (implicit prompt)",
				    from[0]);
	pk_buf_reset(&fr->out);
	if (!st->renamed) {
		if (!fr->has_space)
			return fr->sink.emit(fr->sink.ctx, rec->text, rec->len);
		if (pk_compact(&fr->out, rec->text, rec->len) != PK_OK)
			return pk_nomem(err);
		return pk_fmt_emit(fr, &fr->out);
	}
	if (!has_prompt)
		puts[0] = (struct pk_fmt_put){NULL, NULL, NULL, 0, 0};
	for (int i = 1; i < 5; i++)
		puts[i] = (struct pk_fmt_put){from[i], canon[i], NULL, 0, 0};
	return pk_fmt_emit_placed(fr, rec, puts, 5, err);
}

const struct pk_fmt_ops pk_fmt_trl = {
	.info = {"trl", PK_FORMAT_PAIRS,
		 "TRL pairs, standard or conversational, explicit or implicit "
		 "prompt"},
	.init = trl_init,
	.feed = trl_feed,
	.free = trl_free,
};
