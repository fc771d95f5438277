/* SPDX-License-Identifier: MIT */
/*
 * ufbinarized.c - UltraFeedback binarized (HuggingFaceH4/
 * ultrafeedback_binarized, SPEC 1.5 "ultrafeedback-binarized"):
 * {"prompt": "...", "chosen": [user, assistant], "rejected": [user,
 * assistant], "score_chosen", "score_rejected", ...}.  The conversations
 * repeat the prompt, so the pair is made explicit and conversational:
 * prompt = the messages before the last one (the same in chosen and
 * rejected, or the record is bad; when there are none, the prompt string
 * as one user message), chosen/rejected = the last message of each, which
 * must be an assistant's.  Scores and other fields are kept as they are.
 */
#include "config.h"

#include <string.h>

#include "fmt.h"

static int split(const char *what, const char *t, size_t n, int spaced,
		 struct pk_buf *pre, size_t *last_off, size_t *last_len,
		 struct pk_error *err)
{
	int rc = pk_fmt_split_last(t, n, spaced, pre, last_off, last_len);

	if (rc < 0)
		return pk_nomem(err);
	if (rc == 0)
		return pk_error_set(err, PK_ERR_DATA,
				    "ultrafeedback-binarized: '%s' is not a "
				    "message list ending with an assistant "
				    "message",
				    what);
	return PK_OK;
}

static int ufb_feed(struct pk_format_reader *fr, const struct pk_record *rec,
		    struct pk_error *err)
{
	struct pk_value p, c, r;
	const char *ct, *rt;
	size_t clo = 0, cll = 0, rlo = 0, rll = 0;
	int rc;

	if (!pk_record_get(rec, "chosen", &c) ||
	    !pk_record_get(rec, "rejected", &r))
		return pk_error_set(err, PK_ERR_DATA,
				    "ultrafeedback-binarized: no '%s' field",
				    pk_record_get(rec, "chosen", &c) ? "rejected"
								     : "chosen");
	ct = rec->text + c.off;
	rt = rec->text + r.off;
	if ((rc = split("chosen", ct, c.len, fr->has_space, &fr->t1, &clo,
			&cll, err)) ||
	    (rc = split("rejected", rt, r.len, fr->has_space, &fr->t2, &rlo,
			&rll, err)))
		return rc;
	if (fr->t1.len != fr->t2.len ||
	    memcmp(fr->t1.data, fr->t2.data, fr->t1.len))
		return pk_error_set(err, PK_ERR_DATA,
				    "ultrafeedback-binarized: chosen and "
				    "rejected do not start with the same "
				    "messages");
	if (fr->t1.len == 2) { /* "[]": the prompt string is the turn */
		if (!pk_record_get(rec, "prompt", &p))
			return pk_error_set(err, PK_ERR_DATA,
					    "ultrafeedback-binarized: no "
					    "'prompt' field");
		pk_buf_reset(&fr->t1);
		if (p.type == PK_T_STRING) {
			if (pk_buf_putc(&fr->t1, '[') ||
			    pk_fmt_message(&fr->t1, "user", rec->text + p.off,
					   p.len, 0) ||
			    pk_buf_putc(&fr->t1, ']'))
				return pk_nomem(err);
		} else if ((rc = pk_fmt_check_text("ultrafeedback-binarized",
						   "prompt", rec->text + p.off,
						   p.len, err)) != PK_OK) {
			return rc;
		} else if (pk_compact(&fr->t1, rec->text + p.off, p.len)) {
			return pk_nomem(err);
		}
	}
	if (pk_obj_load_record(fr->obj, rec) != PK_OK ||
	    pk_obj_set_raw(fr->obj, "prompt", fr->t1.data, fr->t1.len))
		return pk_nomem(err);
	pk_buf_reset(&fr->t2);
	if (pk_fmt_raw(&fr->t2, "[", 1, 0) ||
	    pk_fmt_raw(&fr->t2, ct + clo, cll, fr->has_space) ||
	    pk_buf_putc(&fr->t2, ']') ||
	    pk_obj_set_raw(fr->obj, "chosen", fr->t2.data, fr->t2.len))
		return pk_nomem(err);
	pk_buf_reset(&fr->t2);
	if (pk_fmt_raw(&fr->t2, "[", 1, 0) ||
	    pk_fmt_raw(&fr->t2, rt + rlo, rll, fr->has_space) ||
	    pk_buf_putc(&fr->t2, ']') ||
	    pk_obj_set_raw(fr->obj, "rejected", fr->t2.data, fr->t2.len))
		return pk_nomem(err);
	return pk_fmt_emit_obj(fr, err);
}

const struct pk_fmt_ops pk_fmt_ufbinarized = {
	.info = {"ultrafeedback-binarized", PK_FORMAT_PAIRS,
		 "UltraFeedback binarized {prompt, chosen: [msgs], rejected: "
		 "[msgs], score_chosen, score_rejected}"},
	.feed = ufb_feed,
};
