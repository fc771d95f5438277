/* SPDX-License-Identifier: MIT */
/*
 * steptree.c - prefix trees of a ranked list's responses split into steps
 * (SPEC 3.2 "Trees"; TPO, Liao et al. 2024; Tree-PLV, He et al. 2024).
 *
 * Responses are inserted best first, so the first response to reach a
 * node is the best one through it (its score is the node's score), and a
 * node's children come out ordered by their best standing, which is what
 * the pair strategies want for step pairs.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

#define NONE ((size_t)-1)

struct node {
	size_t step_off, step_len; /* into t->steps */
	size_t parent, first, last, next;
	size_t best;  /* position of the best item through the node */
	size_t count; /* items through the node */
	size_t depth; /* steps from the root, the node's own included */
};

struct pk_steptree {
	struct pk_regex *re;
	struct node *nodes; /* nodes[0] is the root; stored in nodes_buf */
	size_t nnodes;
	struct pk_buf nodes_buf;
	struct pk_buf steps;  /* text of every node's step */
	struct pk_buf text;   /* decoded text of the response being split */
	struct pk_buf pieces; /* struct pk_span: its steps, into text */
	struct pk_buf tmp;
	struct pk_buf prompt; /* the prompt of the current node's pairs */
	struct pk_buf block;
	struct pk_buf out;
	struct pk_buf kids;   /* size_t: the children of a node, best first */
	struct pk_buf groups; /* size_t: their tie groups */
	struct pk_buf pairs;  /* struct pk_rank_pair */
};

struct pk_steptree *pk_steptree_new(const char *pattern, struct pk_error *err)
{
	struct pk_steptree *t = calloc(1, sizeof(*t));

	if (!t) {
		pk_nomem(err);
		return NULL;
	}
	t->re = pk_regex_new(pattern ? pattern : PK_STEP_REGEX_DEFAULT, err);
	if (!t->re) {
		free(t);
		return NULL;
	}
	return t;
}

void pk_steptree_free(struct pk_steptree *t)
{
	if (!t)
		return;
	pk_regex_free(t->re);
	pk_buf_free(&t->nodes_buf);
	pk_buf_free(&t->kids);
	pk_buf_free(&t->groups);
	pk_buf_free(&t->pairs);
	pk_buf_free(&t->steps);
	pk_buf_free(&t->text);
	pk_buf_free(&t->pieces);
	pk_buf_free(&t->tmp);
	pk_buf_free(&t->prompt);
	pk_buf_free(&t->block);
	pk_buf_free(&t->out);
	free(t);
}

/* ------------------------------------------------------------------ */
/* Splitting a response into steps                                     */
/* ------------------------------------------------------------------ */

static int add_piece(struct pk_buf *pieces, size_t off, size_t len)
{
	struct pk_span s = {off, len};

	return pk_buf_append(pieces, &s, sizeof(s));
}

/* Split t->text[from..) by the pattern into t->pieces (empty pieces left
 * out; an empty match separates nothing). */
static int split_text(struct pk_steptree *t, size_t from, struct pk_error *err)
{
	const char *subj = t->text.data;
	size_t len = t->text.len, start = from, pos = from;
	struct pk_span m;
	int rc;

	if (!subj)
		return PK_OK;
	while ((rc = pk_regex_next(t->re, subj, len, &pos, &m, err)) == 1) {
		if (m.off > start && add_piece(&t->pieces, start,
					       m.off - start) < 0)
			return pk_nomem(err);
		start = pos;
	}
	if (rc < 0) {
		if (err && err->kind == PK_ERR_DATA) {
			char msg[sizeof err->text];

			memcpy(msg, err->text, sizeof msg);
			pk_error_set(err, PK_ERR_DATA, "--step-regex: %s", msg);
		}
		return rc;
	}
	if (len > start && add_piece(&t->pieces, start, len - start) < 0)
		return pk_nomem(err);
	return PK_OK;
}

/* The steps of one response text value into t->text / t->pieces. */
static int split_value(struct pk_steptree *t, const char *v, size_t n,
		       struct pk_error *err)
{
	pk_buf_reset(&t->text);
	pk_buf_reset(&t->pieces);
	if (pk_type_of(v, n) == PK_T_ARRAY && !pk_is_message_list(v, n)) {
		struct pk_iter it;
		size_t off, len;
		enum pk_type type;

		pk_iter_init(&it, v, n);
		while (pk_iter_element(&it, &off, &len, &type)) {
			size_t at = t->text.len;

			if (type != PK_T_STRING)
				return pk_error_set(err, PK_ERR_DATA,
						    "a step is not a string "
						    "(%s)", pk_type_name(type));
			if (pk_json_unquote(&t->text, v + off, len) < 0 ||
			    add_piece(&t->pieces, at, t->text.len - at) < 0)
				return pk_nomem(err);
		}
		return PK_OK;
	}
	if (pk_type_of(v, n) == PK_T_STRING) {
		if (pk_json_unquote(&t->text, v, n) < 0)
			return pk_nomem(err);
	} else {
		int rc = pk_response_text(v, n, &t->text, err);

		if (rc != PK_OK)
			return rc;
	}
	return split_text(t, 0, err);
}

long pk_steptree_split(struct pk_steptree *t, const char *v, size_t n,
		       struct pk_buf *out, struct pk_error *err)
{
	const struct pk_span *s;
	size_t k, np;
	int rc = split_value(t, v, n, err);

	if (rc != PK_OK)
		return rc;
	s = (const void *)t->pieces.data;
	np = t->pieces.len / sizeof(*s);
	for (k = 0; k < np; k++)
		if (pk_buf_append(out, t->text.data + s[k].off, s[k].len) < 0 ||
		    pk_buf_putc(out, '\0') < 0)
			return pk_nomem(err);
	return (long)np;
}

/* ------------------------------------------------------------------ */
/* Building the tree                                                   */
/* ------------------------------------------------------------------ */

static size_t new_node(struct pk_steptree *t, size_t parent, size_t best)
{
	struct node *nd;

	if (pk_buf_reserve(&t->nodes_buf, sizeof(*nd)) < 0)
		return NONE;
	t->nodes_buf.len += sizeof(*nd);
	t->nodes = (void *)t->nodes_buf.data;
	nd = &t->nodes[t->nnodes];
	memset(nd, 0, sizeof(*nd));
	nd->parent = parent;
	nd->first = nd->last = nd->next = NONE;
	nd->best = best;
	if (parent != NONE) {
		struct node *pn = &t->nodes[parent];

		nd->depth = pn->depth + 1;
		if (pn->last == NONE)
			pn->first = t->nnodes;
		else
			t->nodes[pn->last].next = t->nnodes;
		pn->last = t->nnodes;
	}
	return t->nnodes++;
}

/* The child of node cur whose step is s[0..n), or NONE. */
static size_t find_child(const struct pk_steptree *t, size_t cur,
			 const char *s, size_t n)
{
	size_t c;

	for (c = t->nodes[cur].first; c != NONE; c = t->nodes[c].next) {
		const struct node *nd = &t->nodes[c];

		if (nd->step_len == n &&
		    memcmp(t->steps.data + nd->step_off, s, n) == 0)
			return c;
	}
	return NONE;
}

int pk_steptree_build(struct pk_steptree *t, const struct pk_rank_list *l,
		      struct pk_error *err)
{
	size_t k;

	t->nnodes = 0;
	pk_buf_reset(&t->nodes_buf);
	pk_buf_reset(&t->steps);
	if (new_node(t, NONE, NONE) == NONE)
		return pk_nomem(err);
	for (k = 0; k < l->n; k++) {
		const struct pk_rank_item *it = &l->items[k];
		const struct pk_span *s;
		size_t p, np, cur = 0;
		int rc = split_value(t, l->text + it->text.off, it->text.len,
				     err);

		if (rc != PK_OK) {
			if (err && err->kind == PK_ERR_DATA) {
				char msg[sizeof(err->text)];

				memcpy(msg, err->text, sizeof(msg));
				pk_error_set(err, PK_ERR_DATA,
					     "%s[%zu].%s: %s",
					     l->opts_->responses_field,
					     it->index, l->opts_->text_field,
					     msg);
			}
			return rc;
		}
		s = (const void *)t->pieces.data;
		np = t->pieces.len / sizeof(*s);
		for (p = 0; p < np; p++) {
			const char *step = t->text.data + s[p].off;
			size_t c = find_child(t, cur, step, s[p].len);

			if (c == NONE) {
				c = new_node(t, cur, k);
				if (c == NONE)
					return pk_nomem(err);
				t->nodes[c].step_off = t->steps.len;
				t->nodes[c].step_len = s[p].len;
				if (pk_buf_append(&t->steps, step, s[p].len) <
				    0)
					return pk_nomem(err);
			}
			t->nodes[c].count++;
			cur = c;
		}
	}
	return PK_OK;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

/* The standing value of item k: raw score or rank, a boolean as 1/0. */
static int put_standing(struct pk_buf *out, const struct pk_rank_list *l,
			size_t k)
{
	const struct pk_value *v = l->by == PK_RANK_BY_SCORE
					   ? &l->items[k].score
					   : &l->items[k].rank;

	if (v->type == PK_T_TRUE)
		return pk_buf_putc(out, '1');
	if (v->type == PK_T_FALSE)
		return pk_buf_putc(out, '0');
	return pk_buf_append(out, l->text + v->off, v->len);
}

static int put_step(struct pk_buf *out, const struct pk_steptree *t, size_t c)
{
	return pk_json_quote(out, t->steps.data + t->nodes[c].step_off,
			     t->nodes[c].step_len);
}

/* {"step":...,"score":...,"count":N,"children":[ */
static int open_node(struct pk_buf *out, const struct pk_steptree *t,
		     const struct pk_rank_list *l, size_t c)
{
	if (pk_buf_puts(out, "{\"step\":") < 0 || put_step(out, t, c) < 0 ||
	    pk_buf_puts(out, l->by == PK_RANK_BY_SCORE ? ",\"score\":"
						       : ",\"rank\":") < 0 ||
	    put_standing(out, l, t->nodes[c].best) < 0)
		return PK_FATAL;
	return pk_buf_printf(out, ",\"count\":%zu,\"children\":[",
			     t->nodes[c].count);
}

/* The tree as {"children":[...]}, depth first without recursion. */
static int put_tree(struct pk_buf *out, const struct pk_steptree *t,
		    const struct pk_rank_list *l)
{
	size_t c = t->nodes[0].first;

	if (pk_buf_puts(out, "{\"children\":[") < 0)
		return PK_FATAL;
	while (c != NONE) {
		if (open_node(out, t, l, c) < 0)
			return PK_FATAL;
		if (t->nodes[c].first != NONE) {
			c = t->nodes[c].first;
			continue;
		}
		if (pk_buf_puts(out, "]}") < 0)
			return PK_FATAL;
		while (c != NONE && t->nodes[c].next == NONE) {
			c = t->nodes[c].parent;
			if (c == 0)
				c = NONE;
			else if (pk_buf_puts(out, "]}") < 0)
				return PK_FATAL;
		}
		if (c == NONE)
			break;
		if (pk_buf_putc(out, ',') < 0)
			return PK_FATAL;
		c = t->nodes[c].next;
	}
	return pk_buf_puts(out, "]}");
}

int pk_steptree_write(struct pk_steptree *t, struct pk_rank_list *l,
		      struct pk_buf *out, struct pk_error *err)
{
	pk_buf_reset(&t->block);
	if (pk_buf_printf(&t->block, "{\"group_id\":\"%s\",\"tree\":",
			  l->group_id) < 0 ||
	    put_tree(&t->block, t, l) < 0 || pk_buf_putc(&t->block, '}') < 0)
		return pk_nomem(err);
	return pk_rank_write_list(l, NULL, 0, t->block.data, t->block.len, out,
				  err);
}

/* ------------------------------------------------------------------ */
/* Step pairs                                                          */
/* ------------------------------------------------------------------ */

/* The steps from the root down to node c, joined by "\n\n", into
 * t->tmp. */
static int shared_steps(struct pk_steptree *t, size_t c)
{
	size_t depth = t->nodes[c].depth, k, *path;

	pk_buf_reset(&t->tmp);
	if (depth == 0)
		return 0;
	path = malloc(depth * sizeof(*path));
	if (!path)
		return PK_FATAL;
	for (k = depth; k > 0; k--) {
		path[k - 1] = c;
		c = t->nodes[c].parent;
	}
	for (k = 0; k < depth; k++) {
		const struct node *nd = &t->nodes[path[k]];

		if ((k > 0 && pk_buf_puts(&t->tmp, "\n\n") < 0) ||
		    pk_buf_append(&t->tmp, t->steps.data + nd->step_off,
				  nd->step_len) < 0) {
			free(path);
			return PK_FATAL;
		}
	}
	free(path);
	return 0;
}

/* The prompt of the pairs at node c (depth > 0) into t->prompt: the
 * list's prompt followed by the shared steps. */
static int node_prompt(struct pk_steptree *t, const struct pk_rank_list *l,
		       size_t c, struct pk_error *err)
{
	const char *p = l->text + l->prompt.off;
	size_t n = l->prompt.len;

	pk_buf_reset(&t->prompt);
	if (shared_steps(t, c) < 0)
		return pk_nomem(err);
	if (l->prompt.type == PK_T_STRING) {
		struct pk_buf s = PK_BUF_INIT;
		int bad = pk_json_unquote(&s, p, n) < 0 ||
			  pk_buf_puts(&s, "\n\n") < 0 ||
			  pk_buf_append(&s, t->tmp.data, t->tmp.len) < 0 ||
			  pk_json_quote(&t->prompt, s.data, s.len) < 0;

		pk_buf_free(&s);
		return bad ? pk_nomem(err) : PK_OK;
	}
	/* A message list: the same messages and one assistant message. */
	if (pk_buf_append(&t->prompt, p, n) < 0)
		return pk_nomem(err);
	while (t->prompt.len && t->prompt.data[t->prompt.len - 1] != ']')
		t->prompt.len--;
	t->prompt.len--; /* the closing bracket */
	if ((t->prompt.len > 1 && pk_buf_putc(&t->prompt, ',') < 0) ||
	    pk_buf_puts(&t->prompt, "{\"role\":\"assistant\",\"content\":") <
		    0 ||
	    pk_json_quote(&t->prompt, t->tmp.data, t->tmp.len) < 0 ||
	    pk_buf_puts(&t->prompt, "}]") < 0)
		return pk_nomem(err);
	return PK_OK;
}

/* A step as a response: a string, or [{"role":"assistant","content":S}]
 * for message-list prompts. */
static int put_response(struct pk_buf *b, const struct pk_steptree *t,
			const struct pk_rank_list *l, size_t c)
{
	if (l->prompt.type == PK_T_STRING)
		return put_step(b, t, c);
	if (pk_buf_puts(b, "[{\"role\":\"assistant\",\"content\":") < 0 ||
	    put_step(b, t, c) < 0)
		return PK_FATAL;
	return pk_buf_puts(b, "}]");
}

static int write_step_pair(struct pk_steptree *t, struct pk_rank_list *l,
			   size_t node, size_t a, size_t b,
			   struct pk_error *err)
{
	struct pk_buf *bl = &t->block;
	const char *sc = l->by == PK_RANK_BY_SCORE ? "score" : "rank";
	int rc;

	pk_buf_reset(bl);
	if (pk_buf_puts(bl, "{\"chosen\":") < 0 ||
	    put_response(bl, t, l, a) < 0 ||
	    pk_buf_puts(bl, ",\"rejected\":") < 0 ||
	    put_response(bl, t, l, b) < 0 ||
	    pk_buf_printf(bl, ",\"%s_chosen\":", sc) < 0 ||
	    put_standing(bl, l, t->nodes[a].best) < 0 ||
	    pk_buf_printf(bl, ",\"%s_rejected\":", sc) < 0 ||
	    put_standing(bl, l, t->nodes[b].best) < 0 ||
	    pk_buf_printf(bl, ",\"depth\":%zu,\"group_id\":\"%s\"}",
			  t->nodes[node].depth, l->group_id) < 0)
		return pk_nomem(err);
	pk_buf_reset(&t->out);
	rc = pk_rank_write_list(l, node ? t->prompt.data : NULL,
				node ? t->prompt.len : 0, bl->data, bl->len,
				&t->out, err);
	return rc;
}

/* The node after c in pre-order, or NONE. */
static size_t preorder_next(const struct pk_steptree *t, size_t c)
{
	if (t->nodes[c].first != NONE)
		return t->nodes[c].first;
	while (c != NONE && t->nodes[c].next == NONE)
		c = t->nodes[c].parent;
	return c == NONE ? NONE : t->nodes[c].next;
}

int pk_steptree_pairs(struct pk_steptree *t, struct pk_rank_list *l,
		      const struct pk_pairs_strategy *s, double min_gap,
		      unsigned long long *nbelow,
		      int (*emit)(void *ctx, const char *json, size_t len),
		      void *ctx, struct pk_error *err)
{
	size_t node;

	if (l->prompt.type == PK_T_NONE)
		return pk_error_set(err, PK_ERR_DATA, "no '%s'",
				    l->opts_->prompt_field);
	/* Depth first (pre-order), children best first. */
	for (node = 0; node != NONE; node = preorder_next(t, node)) {
		const struct pk_rank_pair *pairs;
		const size_t *kids;
		size_t c, nk = 0, k, g = 0;
		double prev = 0;
		long np;
		int rc;

		/* The children come best first: number their tie groups. */
		pk_buf_reset(&t->kids);
		pk_buf_reset(&t->groups);
		for (c = t->nodes[node].first; c != NONE;
		     c = t->nodes[c].next) {
			double key = l->items[t->nodes[c].best].key;

			if (nk > 0 && key != prev)
				g++;
			prev = key;
			if (pk_buf_append(&t->kids, &c, sizeof(c)) < 0 ||
			    pk_buf_append(&t->groups, &g, sizeof(g)) < 0)
				return pk_nomem(err);
			nk++;
		}
		if (nk < 2)
			continue;
		kids = (const size_t *)(void *)t->kids.data;
		pk_buf_reset(&t->pairs);
		np = pk_pairs_build((const size_t *)(void *)t->groups.data, nk,
				    s, &t->pairs);
		if (np < 0)
			return pk_nomem(err);
		pairs = (const struct pk_rank_pair *)(void *)t->pairs.data;
		if (node && (rc = node_prompt(t, l, node, err)) != PK_OK)
			return rc;
		for (k = 0; k < (size_t)np; k++) {
			size_t a = kids[pairs[k].i];
			size_t b = kids[pairs[k].j];

			if (min_gap > 0 &&
			    pk_rank_gap(l, t->nodes[a].best,
					t->nodes[b].best) < min_gap) {
				if (nbelow)
					(*nbelow)++;
				continue;
			}
			rc = write_step_pair(t, l, node, a, b, err);
			if (rc != PK_OK)
				return rc;
			rc = emit(ctx, t->out.data, t->out.len);
			if (rc != 0)
				return rc;
		}
	}
	return PK_OK;
}
