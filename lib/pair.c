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

/* Append the text of a message's content: a string, or the "text" members
 * of a list of parts ([{"type": "text", "text": ...}]). */
static int content_text(const char *c, size_t n, enum pk_type t,
			struct pk_buf *out)
{
	struct pk_iter it;
	size_t off, len;
	enum pk_type et;

	if (t == PK_T_STRING)
		return pk_json_unquote(out, c, n);
	if (t != PK_T_ARRAY)
		return 0;
	pk_iter_init(&it, c, n);
	while (pk_iter_element(&it, &off, &len, &et)) {
		struct pk_member txt;

		if (et == PK_T_OBJECT && pk_object_find(c + off, len, "text", &txt) &&
		    txt.type == PK_T_STRING &&
		    pk_json_unquote(out, c + off + txt.val_off, txt.val_len) < 0)
			return PK_FATAL;
	}
	return 0;
}

int pk_response_text(const char *v, size_t n, struct pk_buf *out,
		     struct pk_error *err)
{
	enum pk_type t = pk_type_of(v, n);
	struct pk_iter it;
	size_t off, len;
	enum pk_type et;

	if (t == PK_T_STRING)
		return pk_json_unquote(out, v, n) < 0 ? pk_nomem(err) : PK_OK;
	if (!pk_is_message_list(v, n))
		return pk_error_set(err, PK_ERR_DATA,
				   "expected a string or a message list, not %s",
				   pk_type_name(t));
	pk_iter_init(&it, v, n);
	while (pk_iter_element(&it, &off, &len, &et)) {
		struct pk_member role, content;

		pk_object_find(v + off, len, "role", &role);
		if (!pk_key_equals(v + off + role.val_off, role.val_len,
				   "assistant"))
			continue;
		pk_object_find(v + off, len, "content", &content);
		if (content_text(v + off + content.val_off, content.val_len,
				 content.type, out) < 0)
			return pk_nomem(err);
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
