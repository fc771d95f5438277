/* SPDX-License-Identifier: MIT */
/*
 * oasst.c - OpenAssistant message trees (SPEC 1.5 "oasst").
 *
 * A record {"message_tree_id", "prompt": message} holds one tree; each
 * message has role ("prompter"/"assistant"), text, rank (0 = best among
 * its siblings, may be null), deleted, synthetic, review_result and
 * replies.  Every sibling group of at least two ranked assistant replies
 * becomes one ranked list:
 *
 *   {"message_tree_id": ..., "parent_id": <the parent's message_id>,
 *    "prompt": [messages from the root to the parent],
 *    "responses": [{"text": [{"role":"assistant","content": ...}],
 *                   "rank": r, "message_id": ...}, ...]}
 *
 * Lists come in depth-first order (a group before the groups below it),
 * replies in their input order.  A deleted message, one whose
 * review_result is false, and with opts.no_synthetic a synthetic one, is
 * skipped with everything below it (counted once, as the message).  An
 * assistant reply with a null or absent rank is left out of its group
 * (counted); groups left with one ranked reply give no list (counted).
 * The whole tree is checked before anything is emitted, so a malformed
 * tree emits nothing.  Malformed includes a message_id seen twice in one
 * tree (a tree exported with a cycle or a repeated subtree) and a reply
 * whose parent_id is not its parent's message_id.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

enum { C_SKIPPED, C_UNRANKED, C_SMALL };
static const char *const oasst_counters[] = {
	"oasst_messages_skipped", "oasst_replies_unranked",
	"oasst_groups_too_small", NULL,
};

struct walk {
	struct pk_format_reader *fr;
	const char *tree_id;        /* raw message_tree_id or NULL */
	size_t tree_id_len;
	struct pk_buf path;         /* "[msg,msg,..." of the conversation */
	struct pk_buf lists;        /* finished lists, '\n'-separated */
	struct pk_buf ids;          /* struct id_span: every message_id */
	struct pk_error *err;
	unsigned long long count[3];
};

static int field(const char *t, size_t n, const char *name,
		 struct pk_member *m)
{
	return pk_object_find(t, n, name, m);
}

static int is_true(const struct pk_member *m, int found)
{
	return found && m->type == PK_T_TRUE;
}

/* Skip this message (and its subtree)? */
static int skipped(const struct walk *w, const char *t, size_t n)
{
	struct pk_member m;

	if (is_true(&m, field(t, n, "deleted", &m)))
		return 1;
	if (field(t, n, "review_result", &m) && m.type == PK_T_FALSE)
		return 1;
	if (w->fr->opts.no_synthetic &&
	    is_true(&m, field(t, n, "synthetic", &m)))
		return 1;
	return 0;
}

static int bad(struct walk *w, const char *t, size_t n, const char *what)
{
	struct pk_member m;

	if (field(t, n, "message_id", &m) && m.type == PK_T_STRING &&
	    m.val_len < 80)
		return pk_error_set(w->err, PK_ERR_DATA,
				    "oasst: message %.*s: %s",
				    (int)m.val_len, t + m.val_off, what);
	return pk_error_set(w->err, PK_ERR_DATA, "oasst: %s", what);
}

/* Role of a message as a chat role, or NULL. */
static const char *chat_role(const char *t, const struct pk_member *m)
{
	if (m->type != PK_T_STRING)
		return NULL;
	if (pk_key_equals(t + m->val_off, m->val_len, "prompter"))
		return "user";
	if (pk_key_equals(t + m->val_off, m->val_len, "assistant"))
		return "assistant";
	return NULL;
}

static int check_message(struct walk *w, const char *t, size_t n,
			 const char **role, struct pk_member *text,
			 struct pk_member *replies, int *has_replies)
{
	static const char *const flags[] = {"deleted", "synthetic",
					    "review_result"};
	struct pk_member m;

	if (pk_type_of(t, n) != PK_T_OBJECT)
		return pk_error_set(w->err, PK_ERR_DATA,
				    "oasst: a message is not an object (%s)",
				    pk_type_name(pk_type_of(t, n)));
	if (!field(t, n, "role", &m) || !(*role = chat_role(t, &m)))
		return bad(w, t, n,
			   "'role' is not \"prompter\" or \"assistant\"");
	if (!field(t, n, "text", text) || text->type != PK_T_STRING)
		return bad(w, t, n, "'text' is missing or not a string");
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (field(t, n, flags[i], &m) && m.type != PK_T_TRUE &&
		    m.type != PK_T_FALSE && m.type != PK_T_NULL) {
			char what[80];

			/* "deleted": "yes" is no "deleted": true */
			snprintf(what, sizeof what,
				 "'%s' is not a boolean (%s)", flags[i],
				 pk_type_name(m.type));
			return bad(w, t, n, what);
		}
	*has_replies = field(t, n, "replies", replies);
	if (*has_replies && replies->type != PK_T_ARRAY &&
	    replies->type != PK_T_NULL)
		return bad(w, t, n, "'replies' is not an array");
	if (*has_replies && replies->type == PK_T_NULL)
		*has_replies = 0;
	return PK_OK;
}

static int nomem(struct walk *w)
{
	return pk_nomem(w->err);
}

struct id_span {
	const char *p;  /* raw JSON text of a message_id */
	size_t n;
};

static int id_cmp(const void *a, const void *b)
{
	const struct id_span *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* A message_id may stand only once in a tree. */
static int check_unique_ids(struct walk *w)
{
	struct id_span *ids = (struct id_span *)(void *)w->ids.data;
	size_t i, n = w->ids.len / sizeof *ids;

	if (n < 2)
		return PK_OK;
	qsort(ids, n, sizeof *ids, id_cmp);
	for (i = 1; i < n; i++)
		if (id_cmp(&ids[i - 1], &ids[i]) == 0)
			return pk_error_set(w->err, PK_ERR_DATA,
					    "oasst: message %.*s stands twice in the tree (a cycle or a repeated subtree)",
					    ids[i].n < 80 ? (int)ids[i].n : 80,
					    ids[i].p);
	return PK_OK;
}

/* Write the list of the ranked assistant replies of message t, if there
 * are at least two. */
static int group(struct walk *w, const char *t, size_t n,
		 const struct pk_member *replies)
{
	const char *rt = t + replies->val_off;
	struct pk_buf *b = &w->fr->t1;
	struct pk_iter it;
	struct pk_member m, id;
	size_t off, len, nranked = 0;
	enum pk_type ty;

	pk_buf_reset(b);
	if (pk_buf_puts(b, "\"responses\":["))
		return nomem(w);
	pk_iter_init(&it, rt, replies->val_len);
	while (pk_iter_element(&it, &off, &len, &ty)) {
		const char *c = rt + off, *role;
		struct pk_member text, rep;
		int hr, rc;
		if ((rc = check_message(w, c, len, &role, &text, &rep, &hr)))
			return rc;
		if (skipped(w, c, len) || strcmp(role, "assistant"))
			continue;
		if (!field(c, len, "rank", &m) || m.type == PK_T_NULL) {
			w->count[C_UNRANKED]++;
			continue;
		}
		if (!pk_fmt_is_integral(c + m.val_off, m.val_len))
			return bad(w, c, len, "'rank' is not an integer");
		nranked++;
		if (pk_fmt_sep(b) || pk_buf_puts(b, "{\"text\":[") ||
		    pk_fmt_message(b, "assistant", c + text.val_off,
				   text.val_len, 0) ||
		    pk_buf_puts(b, "],\"rank\":") ||
		    pk_buf_append(b, c + m.val_off, m.val_len))
			return nomem(w);
		if (field(c, len, "message_id", &id) &&
		    (pk_fmt_key(b, "message_id") ||
		     pk_fmt_raw(b, c + id.val_off, id.val_len,
				w->fr->has_space)))
			return nomem(w);
		if (pk_buf_putc(b, '}'))
			return nomem(w);
	}
	if (nranked == 1)
		w->count[C_SMALL]++;
	if (nranked < 2)
		return PK_OK;
	if (pk_buf_putc(b, ']') || pk_buf_putc(&w->lists, '{'))
		return nomem(w);
	if (w->tree_id &&
	    (pk_fmt_key(&w->lists, "message_tree_id") ||
	     pk_fmt_raw(&w->lists, w->tree_id, w->tree_id_len,
			w->fr->has_space)))
		return nomem(w);
	if (field(t, n, "message_id", &id) &&
	    (pk_fmt_key(&w->lists, "parent_id") ||
	     pk_fmt_raw(&w->lists, t + id.val_off, id.val_len,
			w->fr->has_space)))
		return nomem(w);
	if (pk_fmt_key(&w->lists, "prompt") ||
	    pk_buf_append(&w->lists, w->path.data, w->path.len) ||
	    pk_buf_putc(&w->lists, ']') || pk_fmt_sep(&w->lists) ||
	    pk_buf_append(&w->lists, b->data, b->len) ||
	    pk_buf_puts(&w->lists, "}\n"))
		return nomem(w);
	return PK_OK;
}

/* parent: the raw message_id of the parent message, or NULL. */
static int visit(struct walk *w, const char *t, size_t n,
		 const struct id_span *parent)
{
	struct pk_member text, replies, m;
	struct id_span self = {NULL, 0};
	const char *role, *rt;
	struct pk_iter it;
	size_t off, len, mark = w->path.len;
	enum pk_type ty;
	int hr, rc;

	if ((rc = check_message(w, t, n, &role, &text, &replies, &hr)))
		return rc;
	if (field(t, n, "message_id", &m)) {
		self.p = t + m.val_off;
		self.n = m.val_len;
		if (pk_buf_append(&w->ids, &self, sizeof self))
			return nomem(w);
	}
	if (parent && parent->p && field(t, n, "parent_id", &m) &&
	    m.type != PK_T_NULL &&
	    (m.val_len != parent->n ||
	     memcmp(t + m.val_off, parent->p, parent->n) != 0))
		return bad(w, t, n,
			   "'parent_id' is not the message_id of its parent");
	if (pk_fmt_message(&w->path, role, t + text.val_off, text.val_len, 0))
		return nomem(w);
	if (hr) {
		if ((rc = group(w, t, n, &replies)) != PK_OK)
			return rc;
		rt = t + replies.val_off;
		pk_iter_init(&it, rt, replies.val_len);
		while (pk_iter_element(&it, &off, &len, &ty)) {
			if (skipped(w, rt + off, len)) {
				w->count[C_SKIPPED]++;
				continue;
			}
			if ((rc = visit(w, rt + off, len, &self)) != PK_OK)
				return rc;
		}
	}
	w->path.len = mark;
	w->path.data[mark] = '\0';
	return PK_OK;
}

static int oasst_feed(struct pk_format_reader *fr,
		      const struct pk_record *rec, struct pk_error *err)
{
	struct walk w;
	struct pk_value root, id;
	int rc = PK_OK;

	if (!pk_record_get(rec, "prompt", &root))
		return pk_error_set(err, PK_ERR_DATA,
				    "oasst: no 'prompt' (the root message)");
	if (root.type != PK_T_OBJECT)
		return pk_error_set(err, PK_ERR_DATA,
				    "oasst: 'prompt' is not a message (%s)",
				    pk_type_name(root.type));
	memset(&w, 0, sizeof w);
	w.fr = fr;
	w.err = err;
	if (pk_record_get(rec, "message_tree_id", &id)) {
		w.tree_id = rec->text + id.off;
		w.tree_id_len = id.len;
	}
	w.path = fr->t2;
	w.lists = fr->t3;
	w.ids = fr->t4;
	pk_buf_reset(&w.path);
	pk_buf_reset(&w.lists);
	pk_buf_reset(&w.ids);
	if (pk_buf_putc(&w.path, '['))
		rc = nomem(&w);
	else if (skipped(&w, rec->text + root.off, root.len))
		w.count[C_SKIPPED]++;
	else if ((rc = visit(&w, rec->text + root.off, root.len, NULL)) == PK_OK)
		rc = check_unique_ids(&w);
	fr->t2 = w.path;
	fr->t3 = w.lists;
	fr->t4 = w.ids;
	if (rc != PK_OK)
		return rc;
	for (int i = 0; i < 3; i++)
		fr->count[i] += w.count[i];
	/* Every list is whole: emit them. */
	for (size_t pos = 0; pos < w.lists.len;) {
		const char *nl = memchr(w.lists.data + pos, '\n',
					w.lists.len - pos);
		size_t end = (size_t)(nl - w.lists.data);
		if ((rc = fr->sink.emit(fr->sink.ctx, w.lists.data + pos, end - pos)))
			return rc;
		pos = end + 1;
	}
	return PK_OK;
}

const struct pk_fmt_ops pk_fmt_oasst = {
	.info = {"oasst", PK_FORMAT_LISTS,
		 "OpenAssistant message trees: one list per ranked sibling "
		 "group"},
	.counters = oasst_counters,
	.feed = oasst_feed,
};
