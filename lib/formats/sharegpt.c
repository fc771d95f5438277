/* SPDX-License-Identifier: MIT */
/*
 * sharegpt.c - ShareGPT preference records as LLaMA-Factory and axolotl
 * write them (SPEC 1.5 "sharegpt"):
 *   {"conversations": [{"from": "system"|"human"|"gpt", "value": ...}],
 *    "chosen": {"from": "gpt", "value": ...}, "rejected": {...}}
 * become conversational pairs: prompt = the conversation as messages
 * (human/user -> user, gpt/assistant -> assistant, system -> system; other
 * keys of a message kept), chosen/rejected = one assistant message each (a
 * plain string is taken as the value).  A top-level "system" string (a
 * LLaMA-Factory column) becomes a leading system message.  Other fields are
 * kept in place.  JSON array files are read by the reader itself.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fmt.h"

static const char *chat_role(const char *p, size_t n)
{
	static const char *const map[][2] = {
		{"human", "user"},        {"user", "user"},
		{"gpt", "assistant"},     {"assistant", "assistant"},
		{"system", "system"},
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (pk_key_equals(p, n, map[i][0]))
			return map[i][1];
	return NULL;
}

/* One ShareGPT message t[0..n) as a chat message appended to b; *role is
 * set to its chat role. */
static int message(struct pk_format_reader *fr, struct pk_buf *b,
		   const char *where, const char *t, size_t n,
		   const char **role, struct pk_error *err)
{
	struct pk_iter it;
	struct pk_member m;
	int have_role = 0, have_value = 0;

	if (pk_type_of(t, n) == PK_T_STRING) {
		*role = "assistant";
		return pk_fmt_message(b, "assistant", t, n, 0) ? pk_nomem(err)
							       : PK_OK;
	}
	if (pk_type_of(t, n) != PK_T_OBJECT)
		return pk_error_set(err, PK_ERR_DATA,
				    "sharegpt: %s is not a message (%s)", where,
				    pk_type_name(pk_type_of(t, n)));
	if (pk_fmt_sep(b) || pk_buf_putc(b, '{'))
		return pk_nomem(err);
	pk_iter_init(&it, t, n);
	while (pk_iter_member(&it, &m)) {
		const char *k = t + m.key_off, *v = t + m.val_off;
		int e;
		if (pk_key_equals(k, m.key_len, "from")) {
			if (m.type != PK_T_STRING ||
			    !(*role = chat_role(v, m.val_len)))
				return pk_error_set(
					err, PK_ERR_DATA,
					"sharegpt: %s: unknown 'from' %.*s",
					where,
					(int)(m.val_len > 40 ? 40 : m.val_len),
					v);
			have_role = 1;
			e = pk_fmt_key(b, "role") || pk_buf_putc(b, '"') ||
			    pk_buf_puts(b, *role) || pk_buf_putc(b, '"');
		} else if (pk_key_equals(k, m.key_len, "value")) {
			/* the content of a message: a string, or a list of
			 * parts (prefkit(7)) */
			if (m.type != PK_T_STRING && m.type != PK_T_ARRAY)
				return pk_error_set(
					err, PK_ERR_DATA,
					"sharegpt: %s: 'value' is not a "
					"string (%s)",
					where, pk_type_name(m.type));
			have_value = 1;
			e = pk_fmt_key(b, "content") ||
			    pk_fmt_raw(b, v, m.val_len, fr->has_space);
		} else {
			e = pk_fmt_sep(b) || pk_buf_append(b, k, m.key_len) ||
			    pk_buf_putc(b, ':') ||
			    pk_fmt_raw(b, v, m.val_len, fr->has_space);
		}
		if (e)
			return pk_nomem(err);
	}
	if (!have_role || !have_value)
		return pk_error_set(err, PK_ERR_DATA,
				    "sharegpt: %s has no '%s'", where,
				    have_role ? "value" : "from");
	return pk_buf_putc(b, '}') ? pk_nomem(err) : PK_OK;
}

static int response(struct pk_format_reader *fr, const struct pk_record *rec,
		    const char *name, struct pk_error *err)
{
	struct pk_value v;
	const char *role;
	int rc;

	if (!pk_record_get(rec, name, &v))
		return pk_error_set(err, PK_ERR_DATA,
				    "sharegpt: no '%s' field", name);
	pk_buf_reset(&fr->t2);
	if (pk_buf_putc(&fr->t2, '['))
		return pk_nomem(err);
	if ((rc = message(fr, &fr->t2, name, rec->text + v.off, v.len, &role,
			  err)) != PK_OK)
		return rc;
	if (strcmp(role, "assistant"))
		return pk_error_set(err, PK_ERR_DATA,
				    "sharegpt: '%s' is not a gpt message",
				    name);
	if (pk_buf_putc(&fr->t2, ']') ||
	    pk_obj_set_raw(fr->obj, name, fr->t2.data, fr->t2.len) != PK_OK)
		return pk_nomem(err);
	return PK_OK;
}

static int sharegpt_feed(struct pk_format_reader *fr,
			 const struct pk_record *rec, struct pk_error *err)
{
	struct pk_value conv, sys, tmp;
	struct pk_iter it;
	size_t off, len, i = 0;
	enum pk_type ty;
	int rc, has_sys;

	if (!pk_record_get(rec, "conversations", &conv))
		return pk_error_set(err, PK_ERR_DATA,
				    "sharegpt: no 'conversations' field");
	if (conv.type != PK_T_ARRAY)
		return pk_error_set(err, PK_ERR_DATA,
				    "sharegpt: 'conversations' is not an array "
				    "(%s)",
				    pk_type_name(conv.type));
	if (pk_record_get(rec, "prompt", &tmp))
		return pk_error_set(err, PK_ERR_DATA,
				    "sharegpt: the record already has a "
				    "'prompt'");
	has_sys = pk_record_get(rec, "system", &sys) &&
		  sys.type == PK_T_STRING;
	pk_buf_reset(&fr->t1);
	if (pk_buf_putc(&fr->t1, '[') ||
	    (has_sys && pk_fmt_message(&fr->t1, "system", rec->text + sys.off,
				       sys.len, 0)))
		return pk_nomem(err);
	pk_iter_init(&it, rec->text + conv.off, conv.len);
	while (pk_iter_element(&it, &off, &len, &ty)) {
		char where[48];
		const char *role;
		snprintf(where, sizeof where, "conversations[%zu]", i++);
		if ((rc = message(fr, &fr->t1, where,
				  rec->text + conv.off + off, len, &role,
				  err)) != PK_OK)
			return rc;
	}
	if (pk_buf_putc(&fr->t1, ']'))
		return pk_nomem(err);
	if (pk_obj_load_record(fr->obj, rec) != PK_OK ||
	    pk_obj_set_raw(fr->obj, "conversations", fr->t1.data,
			   fr->t1.len) != PK_OK ||
	    pk_obj_rename(fr->obj, "conversations", "prompt") < 0 ||
	    (has_sys && pk_obj_delete(fr->obj, "system") < 0))
		return pk_nomem(err);
	if ((rc = response(fr, rec, "chosen", err)) != PK_OK ||
	    (rc = response(fr, rec, "rejected", err)) != PK_OK)
		return rc;
	return pk_fmt_emit_obj(fr, err);
}

const struct pk_fmt_ops pk_fmt_sharegpt = {
	.info = {"sharegpt", PK_FORMAT_PAIRS,
		 "ShareGPT {conversations: [{from, value}], chosen, rejected} "
		 "(LLaMA-Factory, axolotl)"},
	.feed = sharegpt_feed,
};
