/* SPDX-License-Identifier: MIT */
/*
 * convert.c - conversions of canonical pairs (SPEC 1.2, 3.6): string pairs
 * to message lists ("conversational"), message lists to strings
 * ("standard"), and a pair to a two-response ranked list.  Fields that are
 * not converted are copied byte for byte (compacted) in their place.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

/* The members a conversion writes (for pk_object_unique): offsets of their
 * keys, the renamed fields first, the members it makes last. */
struct wrote {
	size_t *v;
	size_t n, cap;
};

/* Note the key pk_fmt_key() or pk_fmt_sep() + a key is about to write at
 * b->len (after the ',' pk_fmt_sep adds), relative to start.  Returns
 * nonzero when out of memory. */
static int wrote_at(struct wrote *w, size_t at)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		size_t *p = realloc(w->v, cap * sizeof *p);

		if (!p)
			return 1;
		w->v = p;
		w->cap = cap;
	}
	w->v[w->n++] = at;
	return 0;
}

static int wrote_key(struct wrote *w, const struct pk_buf *b, size_t start)
{
	size_t at = b->len - start;

	if (b->len && b->data[b->len - 1] != '{' && b->data[b->len - 1] != '[' &&
	    b->data[b->len - 1] != ':')
		at++; /* the ',' */
	return wrote_at(w, at);
}

struct pair {
	const struct pk_record *rec;
	struct pk_value p, c, r;
	int has_prompt;
	/* implicit prompt: the shared leading messages, and the last
	 * message of each side (offsets relative to the side's value) */
	struct pk_buf pre, pre2;
	size_t clo, cll, rlo, rll;
};

static void pair_free(struct pair *pr)
{
	pk_buf_free(&pr->pre);
	pk_buf_free(&pr->pre2);
}

static int load(struct pair *pr, const struct pk_record *rec, int split,
		struct pk_error *err)
{
	int rc;

	memset(pr, 0, sizeof *pr);
	pr->rec = rec;
	if (!pk_record_get(rec, "chosen", &pr->c) ||
	    !pk_record_get(rec, "rejected", &pr->r))
		return pk_error_set(err, PK_ERR_DATA, "no '%s' field",
				    pk_record_get(rec, "chosen", &pr->c)
					    ? "rejected"
					    : "chosen");
	if ((rc = pk_fmt_check_text("pair", "chosen", rec->text + pr->c.off,
				    pr->c.len, err)) ||
	    (rc = pk_fmt_check_text("pair", "rejected", rec->text + pr->r.off,
				    pr->r.len, err)))
		return rc;
	pr->has_prompt = pk_record_get(rec, "prompt", &pr->p);
	if (pr->has_prompt)
		return pk_fmt_check_text("pair", "prompt",
					 rec->text + pr->p.off, pr->p.len, err);
	if (pr->c.type != PK_T_ARRAY || pr->r.type != PK_T_ARRAY)
		return pk_error_set(err, PK_ERR_DATA,
				    "no 'prompt', and the responses are not "
				    "whole conversations (implicit prompt)");
	if (!split)
		return PK_OK;
	rc = pk_fmt_split_last(rec->text + pr->c.off, pr->c.len,
			       rec->has_space, &pr->pre, &pr->clo, &pr->cll);
	if (rc > 0)
		rc = pk_fmt_split_last(rec->text + pr->r.off, pr->r.len,
				       rec->has_space, &pr->pre2, &pr->rlo,
				       &pr->rll);
	if (rc < 0)
		return pk_nomem(err);
	if (rc == 0)
		return pk_error_set(err, PK_ERR_DATA,
				    "implicit prompt: a conversation does not "
				    "end with an assistant message");
	if (pr->pre.len != pr->pre2.len ||
	    memcmp(pr->pre.data, pr->pre2.data, pr->pre.len))
		return pk_error_set(err, PK_ERR_DATA,
				    "implicit prompt: chosen and rejected do "
				    "not start with the same messages");
	return PK_OK;
}

static int member_head(struct pk_buf *out, const struct pk_record *rec,
		       const struct pk_member *m)
{
	return pk_fmt_sep(out) ||
	       pk_buf_append(out, rec->text + m->key_off, m->key_len) ||
	       pk_buf_putc(out, ':');
}

/* ---------------------------------------------------------------- */

static int as_messages(struct pk_buf *out, const struct pk_record *rec,
		       const struct pk_value *v, const char *role)
{
	if (v->type != PK_T_STRING)
		return pk_fmt_raw(out, rec->text + v->off, v->len,
				  rec->has_space);
	return pk_buf_putc(out, '[') ||
	       pk_fmt_message(out, role, rec->text + v->off, v->len, 0) ||
	       pk_buf_putc(out, ']');
}

int pk_pair_to_conversational(const struct pk_record *rec, struct pk_buf *out,
			      struct pk_error *err)
{
	struct pair pr;
	int rc = load(&pr, rec, 0, err);

	pair_free(&pr);
	if (rc != PK_OK)
		return rc;
	if (pk_buf_putc(out, '{'))
		return pk_nomem(err);
	for (size_t i = 0; i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		const struct pk_value *v = NULL;
		const char *role = "assistant";
		int e;
		if (pr.has_prompt && m->val_off == pr.p.off) {
			v = &pr.p;
			role = "user";
		} else if (m->val_off == pr.c.off) {
			v = &pr.c;
		} else if (m->val_off == pr.r.off) {
			v = &pr.r;
		}
		e = member_head(out, rec, m);
		if (!e && v)
			e = as_messages(out, rec, v, role);
		else if (!e)
			e = pk_fmt_raw(out, rec->text + m->val_off, m->val_len,
				       rec->has_space);
		if (e)
			return pk_nomem(err);
	}
	return pk_buf_putc(out, '}') ? pk_nomem(err) : PK_OK;
}

/* ---------------------------------------------------------------- */

/* Append template tmpl with {role}/{content} replaced and \n, \t, \\
 * unescaped. */
static int apply_template(struct pk_buf *b, const char *tmpl, const char *role,
			  size_t rn, const char *content, size_t cn)
{
	for (const char *s = tmpl; *s; s++) {
		int e;
		if (*s == '\\' && (s[1] == 'n' || s[1] == 't' || s[1] == '\\')) {
			s++;
			e = pk_buf_putc(b, *s == 'n' ? '\n' : *s == 't' ? '\t'
								 : '\\');
		} else if (!strncmp(s, "{role}", 6)) {
			e = pk_buf_append(b, role, rn);
			s += 5;
		} else if (!strncmp(s, "{content}", 9)) {
			e = pk_buf_append(b, content, cn);
			s += 8;
		} else {
			e = pk_buf_putc(b, *s);
		}
		if (e)
			return PK_FATAL;
	}
	return 0;
}

/* A message list prompt t[0..n) as a string value appended to out. */
static int prompt_string(struct pk_buf *out, const char *t, size_t n,
			 const char *tmpl, struct pk_error *err)
{
	struct pk_buf text = PK_BUF_INIT, role = PK_BUF_INIT,
		      content = PK_BUF_INIT;
	struct pk_iter it;
	struct pk_member rm, cm;
	size_t off, len, count = 0, lone_off = 0, lone_len = 0;
	enum pk_type ty;
	int rc = PK_OK, lone_user = 0;

	pk_iter_init(&it, t, n);
	while (pk_iter_element(&it, &off, &len, &ty)) {
		const char *msg = t + off;
		count++;
		if (!pk_object_find(msg, len, "role", &rm) ||
		    !pk_object_find(msg, len, "content", &cm)) {
			rc = pk_error_set(err, PK_ERR_DATA,
					  "prompt message %zu has no "
					  "'content'",
					  count);
			goto out;
		}
		lone_user = count == 1 && pk_key_equals(msg + rm.val_off,
							rm.val_len, "user");
		lone_off = off + cm.val_off;
		lone_len = cm.val_len;
		if (!tmpl && cm.type == PK_T_STRING)
			continue;
		pk_buf_reset(&content);
		if ((rc = pk_content_text(msg + cm.val_off, cm.val_len, count,
					  &content, err)) != PK_OK)
			goto out;
		if (!tmpl)
			continue;
		pk_buf_reset(&role);
		if (pk_json_unquote(&role, msg + rm.val_off, rm.val_len) ||
		    pk_buf_reserve(&role, 1) || pk_buf_reserve(&content, 1) ||
		    apply_template(&text, tmpl, role.data, role.len,
				   content.data, content.len)) {
			rc = pk_nomem(err);
			goto out;
		}
	}
	if (count == 1 && lone_user) {
		rc = pk_content_quoted(t + lone_off, lone_len, 1, out, &content,
				       err);
	} else if (!tmpl) {
		rc = pk_error_set(err, PK_ERR_DATA,
				  "the prompt has %zu messages (a system "
				  "message or several turns); give "
				  "--flatten-template to join them",
				  count);
	} else if (pk_buf_reserve(&text, 1) ||
		   pk_json_quote(out, text.data, text.len) != PK_OK) {
		rc = pk_nomem(err);
	}
out:
	pk_buf_free(&text);
	pk_buf_free(&role);
	pk_buf_free(&content);
	return rc;
}

/* A response value t[0..n) as a string appended to out. */
static int response_string(struct pk_buf *out, struct pk_buf *scratch,
			   const char *t, size_t n, struct pk_error *err)
{
	int rc;

	if (pk_type_of(t, n) == PK_T_STRING)
		return pk_buf_append(out, t, n) ? pk_nomem(err) : PK_OK;
	pk_buf_reset(scratch);
	if ((rc = pk_response_text(t, n, scratch, err)) != PK_OK)
		return rc;
	if (pk_buf_reserve(scratch, 1) ||
	    pk_json_quote(out, scratch->data, scratch->len) != PK_OK)
		return pk_nomem(err);
	return PK_OK;
}

/* The last message m[0..n) of an implicit conversation, as a string. */
static int last_string(struct pk_buf *out, struct pk_buf *scratch,
		       const char *m, size_t n, struct pk_error *err)
{
	struct pk_member cm;

	if (!pk_object_find(m, n, "content", &cm))
		return pk_error_set(err, PK_ERR_DATA,
				    "the last message has no 'content'");
	return pk_content_quoted(m + cm.val_off, cm.val_len, 0, out, scratch,
				 err);
}

int pk_pair_to_standard(const struct pk_record *rec,
			const char *flatten_template, struct pk_buf *out,
			struct pk_error *err)
{
	struct pk_buf scratch = PK_BUF_INIT;
	const char *t = rec->text;
	struct pair pr;
	int rc = load(&pr, rec, 1, err);

	if (rc != PK_OK)
		goto out;
	rc = PK_FATAL;
	if (pk_buf_putc(out, '{'))
		goto nomem;
	if (!pr.has_prompt) {
		if (pk_buf_puts(out, "\"prompt\":"))
			goto nomem;
		if ((rc = prompt_string(out, pr.pre.data, pr.pre.len,
					flatten_template, err)) != PK_OK)
			goto out;
	}
	for (size_t i = 0; i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		if (member_head(out, rec, m))
			goto nomem;
		if (pr.has_prompt && m->val_off == pr.p.off &&
		    pr.p.type != PK_T_STRING)
			rc = prompt_string(out, t + pr.p.off, pr.p.len,
					   flatten_template, err);
		else if (!pr.has_prompt && m->val_off == pr.c.off)
			rc = last_string(out, &scratch, t + pr.c.off + pr.clo,
					 pr.cll, err);
		else if (!pr.has_prompt && m->val_off == pr.r.off)
			rc = last_string(out, &scratch, t + pr.r.off + pr.rlo,
					 pr.rll, err);
		else if (m->val_off == pr.c.off || m->val_off == pr.r.off)
			rc = response_string(out, &scratch, t + m->val_off,
					     m->val_len, err);
		else
			rc = pk_fmt_raw(out, t + m->val_off, m->val_len,
					rec->has_space)
				     ? pk_nomem(err)
				     : PK_OK;
		if (rc != PK_OK)
			goto out;
	}
	rc = pk_buf_putc(out, '}') ? pk_nomem(err) : PK_OK;
	goto out;
nomem:
	rc = pk_nomem(err);
out:
	pair_free(&pr);
	pk_buf_free(&scratch);
	return rc;
}

/* ---------------------------------------------------------------- */

/* The name a paired field takes in its response: "chosen_model" ->
 * "model", "score_rejected" -> "score", "h_w" -> "h".  Returns the side
 * (0 chosen, 1 rejected) or -1 when name is not paired. */
static int response_key(const char *name, size_t n, struct pk_buf *key)
{
	static const char *const word[2] = {"chosen", "rejected"};
	const char *hit = NULL;
	int side = -1;

	pk_buf_reset(key);
	for (int s = 0; s < 2 && !hit; s++)
		if ((hit = strstr(name, word[s])))
			side = s;
	if (hit) {
		size_t at = (size_t)(hit - name), wl = strlen(word[side]);
		size_t end = at + wl;
		if (at > 0 && name[at - 1] == '_' &&
		    (end == n || name[end] != '_'))
			at--;
		else if (end < n && name[end] == '_')
			end++;
		if (pk_buf_append(key, name, at) ||
		    pk_buf_append(key, name + end, n - end))
			return -2;
	} else if (n > 2 && name[n - 2] == '_' &&
		   (name[n - 1] == 'w' || name[n - 1] == 'l')) {
		side = name[n - 1] == 'l';
		if (pk_buf_append(key, name, n - 2))
			return -2;
	} else {
		return -1;
	}
	if (!key->len && pk_buf_append(key, name, n))
		return -2;
	return side;
}

enum { ROLE_LIST = -1, ROLE_SKIP = -3, ROLE_SLOT = -4 };

/* Where member m goes in the list: ROLE_LIST (kept on the list),
 * ROLE_SLOT (chosen: where "responses" is written), ROLE_SKIP (rejected,
 * the scores), or a side 0/1 with its response key in key. */
static int member_role(const struct pair *pr, const struct pk_member *m,
		       int scored, const struct pk_value *sc,
		       const struct pk_value *sr, struct pk_buf *name,
		       struct pk_buf *key)
{
	const char *t = pr->rec->text;

	if (m->val_off == pr->c.off)
		return ROLE_SLOT;
	if (m->val_off == pr->r.off ||
	    (scored && (m->val_off == sr->off || m->val_off == sc->off)))
		return ROLE_SKIP;
	if (pr->has_prompt && m->val_off == pr->p.off)
		return ROLE_LIST;
	pk_buf_reset(name);
	if (pk_json_unquote(name, t + m->key_off, m->key_len) ||
	    pk_buf_reserve(name, 1))
		return -2;
	return response_key(name->data, name->len, key);
}

int pk_pair_to_list(const struct pk_record *rec, struct pk_buf *out,
		    struct pk_error *err)
{
	struct pk_buf side[2] = {PK_BUF_INIT, PK_BUF_INIT};
	struct pk_buf name = PK_BUF_INIT, key = PK_BUF_INIT;
	/* the keys written: of each side (renamed fields, then text and
	 * score), and of the record */
	struct wrote ren[2] = {{0}}, made[2] = {{0}}, top = {0};
	const char *t = rec->text;
	struct pk_value sc, sr;
	struct pair pr;
	size_t start = out->len;
	int rc = load(&pr, rec, 1, err), scored, e = 0;

	if (rc != PK_OK)
		goto out;
	/* the standing: the scores, else the ranks (a tie of pairwise), else
	 * rank 1 and 2 */
	scored = pk_record_get(rec, "score_chosen", &sc) &&
		 pk_record_get(rec, "score_rejected", &sr);
	if (!scored && pk_record_get(rec, "rank_chosen", &sc) &&
	    pk_record_get(rec, "rank_rejected", &sr))
		scored = 2;
	if (scored && (sc.type != PK_T_NUMBER || sr.type != PK_T_NUMBER)) {
		rc = pk_error_set(err, PK_ERR_DATA,
				  "%s_chosen and %s_rejected must be "
				  "numbers (they are %s and %s)",
				  scored == 1 ? "score" : "rank",
				  scored == 1 ? "score" : "rank",
				  pk_fmt_a_type(sc.type),
				  pk_fmt_a_type(sr.type));
		goto out;
	}
	/* the two responses: text, score or rank, then paired fields */
	for (int s = 0; s < 2 && !e; s++) {
		const struct pk_value *v = s ? &pr.r : &pr.c;
		e = pk_buf_puts(&side[s], "{\"text\":") ||
		    wrote_at(&made[s], 1);
		if (!e && pr.has_prompt)
			e = pk_fmt_raw(&side[s], t + v->off, v->len,
				       rec->has_space);
		else if (!e)
			e = pk_buf_putc(&side[s], '[') ||
			    pk_fmt_raw(&side[s],
				       t + v->off + (s ? pr.rlo : pr.clo),
				       s ? pr.rll : pr.cll, rec->has_space) ||
			    pk_buf_putc(&side[s], ']');
		if (!e)
			e = wrote_key(&made[s], &side[s], 0);
		if (!e && scored)
			e = pk_fmt_key(&side[s], scored == 1 ? "score" : "rank") ||
			    pk_fmt_raw(&side[s], t + (s ? sr.off : sc.off),
				       s ? sr.len : sc.len, 0);
		else if (!e)
			e = pk_buf_puts(&side[s], s ? ",\"rank\":2"
						    : ",\"rank\":1");
	}
	for (size_t i = 0; !e && i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		int s = member_role(&pr, m, scored, &sc, &sr, &name, &key);
		if (s == -2)
			e = 1;
		else if (s >= 0)
			e = wrote_key(&ren[s], &side[s], 0) ||
			    pk_fmt_sep(&side[s]) ||
			    pk_json_quote(&side[s], key.data, key.len) ||
			    pk_buf_putc(&side[s], ':') ||
			    pk_fmt_raw(&side[s], t + m->val_off, m->val_len,
				       rec->has_space);
	}
	e = e || pk_buf_putc(&side[0], '}') || pk_buf_putc(&side[1], '}');
	/* a paired field named like a member written ("text_chosen"), or
	 * two of them ("x_chosen", "chosen_x"): one rule, pk_object_unique */
	for (int s = 0; s < 2 && !e; s++) {
		for (size_t i = 0; !e && i < made[s].n; i++)
			e = wrote_at(&ren[s], made[s].v[i]);
		if (!e && pk_object_unique(&side[s], 0, ren[s].v, ren[s].n,
					   err) != PK_OK)
			e = 1;
	}
	e = e || pk_buf_putc(out, '{');
	if (!e && !pr.has_prompt)
		e = wrote_key(&top, out, start) ||
		    pk_buf_puts(out, "\"prompt\":") ||
		    pk_buf_append(out, pr.pre.data, pr.pre.len);
	for (size_t i = 0; !e && i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		int s = member_role(&pr, m, scored, &sc, &sr, &name, &key);
		if (s == -2)
			e = 1;
		else if (s == ROLE_SLOT)
			e = wrote_key(&top, out, start) ||
			    pk_fmt_key(out, "responses") ||
			    pk_buf_putc(out, '[') ||
			    pk_buf_append(out, side[0].data, side[0].len) ||
			    pk_buf_putc(out, ',') ||
			    pk_buf_append(out, side[1].data, side[1].len) ||
			    pk_buf_putc(out, ']');
		else if (s == ROLE_LIST)
			e = member_head(out, rec, m) ||
			    pk_fmt_raw(out, t + m->val_off, m->val_len,
				       rec->has_space);
	}
	if (e || pk_buf_putc(out, '}'))
		rc = pk_nomem(err);
	else	/* a member "responses" already there is replaced */
		rc = pk_object_unique(out, start, top.v, top.n, err);
out:
	pair_free(&pr);
	for (int s = 0; s < 2; s++) {
		free(ren[s].v);
		free(made[s].v);
	}
	free(top.v);
	pk_buf_free(&side[0]);
	pk_buf_free(&side[1]);
	pk_buf_free(&name);
	pk_buf_free(&key);
	return rc;
}

/* ---------------------------------------------------------------- */

int pk_pair_to_unpaired(const struct pk_record *rec, int side,
			struct pk_buf *out, struct pk_error *err)
{
	struct pk_buf name = PK_BUF_INIT, key = PK_BUF_INIT;
	struct wrote ren = {0}, made = {0};  /* see pk_pair_to_list */
	const char *t = rec->text;
	const struct pk_value *v;
	size_t start = out->len;
	struct pair pr;
	int rc = load(&pr, rec, 1, err), e = 0;

	if (rc != PK_OK)
		goto out;
	v = side ? &pr.r : &pr.c;
	e = pk_buf_putc(out, '{');
	if (!e && !pr.has_prompt)
		e = wrote_key(&made, out, start) ||
		    pk_buf_puts(out, "\"prompt\":") ||
		    pk_buf_append(out, pr.pre.data, pr.pre.len);
	for (size_t i = 0; !e && i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		int s = member_role(&pr, m, 0, NULL, NULL, &name, &key);
		if (s == -2) {
			e = 1;
		} else if (s == ROLE_SLOT) {
			e = wrote_key(&made, out, start) ||
			    pk_fmt_key(out, "completion");
			if (!e && pr.has_prompt)
				e = pk_fmt_raw(out, t + v->off, v->len,
					       rec->has_space);
			else if (!e)
				e = pk_buf_putc(out, '[') ||
				    pk_fmt_raw(out,
					       t + v->off +
						       (side ? pr.rlo : pr.clo),
					       side ? pr.rll : pr.cll,
					       rec->has_space) ||
				    pk_buf_putc(out, ']');
			e = e || wrote_key(&made, out, start) ||
			    pk_fmt_key(out, "label") ||
			    pk_buf_puts(out, side ? "false" : "true");
		} else if (s == ROLE_LIST || s == ROLE_SKIP) {
			if (s == ROLE_SKIP)
				continue; /* rejected */
			e = member_head(out, rec, m) ||
			    pk_fmt_raw(out, t + m->val_off, m->val_len,
				       rec->has_space);
		} else if (s == side) {
			e = wrote_key(&ren, out, start) ||
			    pk_fmt_sep(out) ||
			    pk_json_quote(out, key.data, key.len) ||
			    pk_buf_putc(out, ':') ||
			    pk_fmt_raw(out, t + m->val_off, m->val_len,
				       rec->has_space);
		}
	}
	if (e || pk_buf_putc(out, '}')) {
		rc = pk_nomem(err);
		goto out;
	}
	/* a field named like one written ("completion", "label", or a
	 * paired field's new name) is replaced: pk_object_unique */
	for (size_t i = 0; i < made.n && rc == PK_OK; i++)
		if (wrote_at(&ren, made.v[i]))
			rc = pk_nomem(err);
	if (rc == PK_OK)
		rc = pk_object_unique(out, start, ren.v, ren.n, err);
out:
	free(ren.v);
	free(made.v);
	pair_free(&pr);
	pk_buf_free(&name);
	pk_buf_free(&key);
	return rc;
}
