/* SPDX-License-Identifier: MIT */
/*
 * pair.c - what every command needs to know about preference records:
 * the text of a response (string or message list, SPEC 1.1) and the group
 * id of a prompt (SPEC 1.4).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "pk_private.h"
#include "formats/fmt.h"

int pk_next_message(struct pk_iter *it, size_t *off, size_t *len,
		    struct pk_member *role, struct pk_member *content)
{
	static const char *const names[] = {"role", "content"};
	struct pk_member m[2];
	enum pk_type t;
	unsigned found;

	if (!pk_iter_element_members(it, off, len, &t, names, 2, m, &found))
		return 0;
	if (found != 3 || m[0].type != PK_T_STRING)
		return PK_BAD_RECORD;
	*role = m[0];
	*content = m[1];
	return 1;
}

int pk_is_message_list(const char *v, size_t n)
{
	struct pk_iter it;
	struct pk_member role, content;
	size_t off, len;
	int rc, count = 0;

	if (pk_type_of(v, n) != PK_T_ARRAY)
		return 0;
	pk_iter_init(&it, v, n);
	while ((rc = pk_next_message(&it, &off, &len, &role, &content)) > 0)
		count++;
	return rc == 0 && count > 0;
}

/* ---------------------------------------------------------------- */
/* Message content: a string or a list of text parts (SPEC 1.5)      */
/* ---------------------------------------------------------------- */

/* This is the one place where a message's "content" is read: every
 * command that needs the text of a message goes through
 * pk_content_next(), so a string and a list of parts
 * ([{"type": "text", "text": S}] or [{"type": "text", "value": S}]) are
 * read the same way in prompts and responses alike. */

void pk_content_init(struct pk_content *ci, const char *c, size_t n,
		     size_t msgno)
{
	ci->c = c;
	ci->n = n;
	ci->msgno = msgno;
	ci->part = 0;
	ci->done = 0;
	pk_iter_init(&ci->it, c, n);
}

/* "message 3, " or "" */
#define MSG_FMT "%s%.0zu%s"
#define MSG_ARGS(ci) (ci)->msgno ? "message " : "", (ci)->msgno, \
		     (ci)->msgno ? ", " : ""

int pk_content_next(struct pk_content *ci, size_t *off, size_t *len,
		    struct pk_error *err)
{
	enum pk_type t = pk_type_of(ci->c, ci->n), et;
	struct pk_member ty, txt;
	size_t eoff, elen;

	if (t == PK_T_STRING) {
		if (ci->done)
			return 0;
		ci->done = 1;
		*off = 0;
		*len = ci->n;
		return 1;
	}
	if (t != PK_T_ARRAY)
		return pk_error_set(err, PK_ERR_DATA,
				    MSG_FMT "'content' is %s, not a string "
				    "or a list of parts", MSG_ARGS(ci),
				    pk_fmt_a_type(t));
	if (!pk_iter_element(&ci->it, &eoff, &elen, &et))
		return 0;
	ci->part++;
	if (et != PK_T_OBJECT)
		return pk_error_set(err, PK_ERR_DATA,
				    MSG_FMT "content part %zu is %s, not an "
				    "object", MSG_ARGS(ci), ci->part,
				    pk_fmt_a_type(et));
	if (!pk_object_find(ci->c + eoff, elen, "type", &ty))
		return pk_error_set(err, PK_ERR_DATA,
				    MSG_FMT "content part %zu has no 'type'",
				    MSG_ARGS(ci), ci->part);
	if (ty.type != PK_T_STRING)
		return pk_error_set(err, PK_ERR_DATA,
				    MSG_FMT "content part %zu: 'type' is %s, "
				    "not a string", MSG_ARGS(ci), ci->part,
				    pk_fmt_a_type(ty.type));
	if (!pk_key_equals(ci->c + eoff + ty.val_off, ty.val_len, "text"))
		return pk_error_set(err, PK_ERR_DATA,
				    MSG_FMT "content part %zu is of type %.*s: "
				    "only text parts can be read",
				    MSG_ARGS(ci), ci->part,
				    ty.val_len > 40 ? 40 : (int)ty.val_len,
				    ci->c + eoff + ty.val_off);
	if (!pk_object_find(ci->c + eoff, elen, "text", &txt) &&
	    !pk_object_find(ci->c + eoff, elen, "value", &txt))
		return pk_error_set(err, PK_ERR_DATA,
				    MSG_FMT "content part %zu (a text part) has "
				    "no 'text' or 'value'",
				    MSG_ARGS(ci), ci->part);
	if (txt.type != PK_T_STRING)
		return pk_error_set(err, PK_ERR_DATA,
				    MSG_FMT "content part %zu: the text is %s, "
				    "not a string", MSG_ARGS(ci), ci->part,
				    pk_fmt_a_type(txt.type));
	*off = eoff + txt.val_off;
	*len = txt.val_len;
	return 1;
}

int pk_content_text(const char *c, size_t n, size_t msgno,
		    struct pk_buf *out, struct pk_error *err)
{
	struct pk_content ci;
	size_t off, len;
	int rc;

	pk_content_init(&ci, c, n, msgno);
	while ((rc = pk_content_next(&ci, &off, &len, err)) > 0)
		if (pk_json_unquote(out, c + off, len) != PK_OK)
			return pk_nomem(err);
	return rc;
}

int pk_content_quoted(const char *c, size_t n, size_t msgno,
		      struct pk_buf *out, struct pk_buf *scratch,
		      struct pk_error *err)
{
	int rc;

	if (pk_type_of(c, n) == PK_T_STRING)
		return pk_buf_append(out, c, n) ? pk_nomem(err) : PK_OK;
	pk_buf_reset(scratch);
	if ((rc = pk_content_text(c, n, msgno, scratch, err)) != PK_OK)
		return rc;
	if (pk_buf_reserve(scratch, 1) ||
	    pk_json_quote(out, scratch->data, scratch->len) != PK_OK)
		return pk_nomem(err);
	return PK_OK;
}

int pk_messages_check(const char *v, size_t n, struct pk_error *err)
{
	struct pk_iter it;
	struct pk_member role, content;
	struct pk_content ci;
	size_t off, len, coff, clen, msgno = 0;
	int rc;

	pk_iter_init(&it, v, n);
	while ((rc = pk_next_message(&it, &off, &len, &role, &content)) > 0) {
		const char *c = v + off + content.val_off;

		msgno++;
		if (content.type == PK_T_STRING)
			continue;
		pk_content_init(&ci, c, content.val_len, msgno);
		while ((rc = pk_content_next(&ci, &coff, &clen, err)) > 0)
			;
		if (rc < 0)
			return rc;
	}
	return rc < 0 ? pk_error_set(err, PK_ERR_DATA,
				     "message %zu is not an object with a "
				     "string 'role' and a 'content'",
				     msgno + 1)
		      : PK_OK;
}

int pk_response_text(const char *v, size_t n, struct pk_buf *out,
		     struct pk_error *err)
{
	enum pk_type t = pk_type_of(v, n);
	struct pk_iter it;
	size_t off, len, msgno = 0;
	enum pk_type et;

	if (t == PK_T_STRING)
		return pk_json_unquote(out, v, n) < 0 ? pk_nomem(err) : PK_OK;
	if (!pk_is_message_list(v, n))
		return pk_error_set(err, PK_ERR_DATA,
				   "expected a string or a message list, not %s",
				   pk_fmt_a_type(t));
	pk_iter_init(&it, v, n);
	while (pk_iter_element(&it, &off, &len, &et)) {
		struct pk_member role, content;
		int rc;

		msgno++;
		pk_object_find(v + off, len, "role", &role);
		if (!pk_key_equals(v + off + role.val_off, role.val_len,
				   "assistant"))
			continue;
		pk_object_find(v + off, len, "content", &content);
		if ((rc = pk_content_text(v + off + content.val_off,
					  content.val_len, msgno, out, err)) !=
		    PK_OK)
			return rc;
	}
	return PK_OK;
}

int pk_messages_text(const char *v, size_t n, size_t from, size_t to,
		     struct pk_buf *out, size_t *count, struct pk_error *err)
{
	struct pk_iter it;
	struct pk_member role, content;
	size_t off, len, k = 0;
	int rc;

	pk_iter_init(&it, v, n);
	while ((rc = pk_next_message(&it, &off, &len, &role, &content)) > 0) {
		if (k >= from && k < to &&
		    (rc = pk_content_text(v + off + content.val_off,
					  content.val_len, k + 1, out, err)) < 0)
			return rc;
		k++;
	}
	if (rc < 0)
		return pk_error_set(err, PK_ERR_DATA, "not a message list");
	if (count)
		*count = k;
	return PK_OK;
}

int pk_prompt_text(const char *v, size_t n, struct pk_buf *out,
		   struct pk_error *err)
{
	enum pk_type t = pk_type_of(v, n);
	struct pk_iter it;
	size_t off, len, msgno = 0;
	struct pk_member role, content;
	int rc;

	if (t == PK_T_STRING)
		return pk_json_unquote(out, v, n) < 0 ? pk_nomem(err) : PK_OK;
	if (!pk_is_message_list(v, n))
		return pk_error_set(err, PK_ERR_DATA,
				   "expected a string or a message list, not %s",
				   pk_fmt_a_type(t));
	pk_iter_init(&it, v, n);
	while (pk_next_message(&it, &off, &len, &role, &content) > 0) {
		if (msgno++ && pk_buf_putc(out, '\n') < 0)
			return pk_nomem(err);
		if ((rc = pk_content_text(v + off + content.val_off,
					  content.val_len, msgno, out, err)) !=
		    PK_OK)
			return rc;
	}
	return PK_OK;
}

int pk_implicit_prompt(const char *t, size_t n, struct pk_buf *buf)
{
	struct pk_iter it;
	size_t off, len, prev_off = 0, prev_len = 0;
	enum pk_type type;
	int have_prev = 0, any = 0;

	pk_buf_reset(buf);
	if (pk_buf_putc(buf, '[') < 0)
		return PK_FATAL;
	pk_iter_init(&it, t, n);
	while (pk_iter_element(&it, &off, &len, &type)) {
		if (have_prev) {
			if ((any && pk_buf_putc(buf, ',') < 0) ||
			    pk_compact(buf, t + prev_off, prev_len) < 0)
				return PK_FATAL;
			any = 1;
		}
		prev_off = off;
		prev_len = len;
		have_prev = 1;
	}
	return pk_buf_putc(buf, ']');
}

int pk_group_id(const char *v, size_t n, char out[17], struct pk_error *err)
{
	struct pk_canon scratch = PK_CANON_INIT;
	uint64_t h;
	int rc = pk_canonical_hash64(v, n, 0, &scratch, &h, err);

	pk_canon_free(&scratch);
	if (rc < 0)
		return rc;
	snprintf(out, 17, "%016llx", (unsigned long long)h);
	return PK_OK;
}
