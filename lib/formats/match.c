/* SPDX-License-Identifier: MIT */
/*
 * match.c - label LISTs (--a-wins, --b-wins, --tie, --desirable, ...):
 * comma-separated items, each a value or a comparison on a number.
 *
 * A label matches a value item when its text is the item's text (a
 * string's decoded text, true, false or null), or when both are numbers
 * of the same value - a JSON number, or a string holding one in JSON's
 * number grammar ("1", "1.0", "-2e1").  So the item 1 matches 1, 1.0 and
 * "1", and the item model_a matches the string "model_a".  A comparison
 * item (<X, <=X, >X, >=X) matches a label that is a number, or a string
 * holding one, on that side of X.  Spaces around an item are dropped;
 * "\," "\\" "\<" "\>" and "\ " stand for those characters inside a value.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

enum item_kind { ITEM_VALUE, ITEM_LT, ITEM_LE, ITEM_GT, ITEM_GE };

struct match_item {
	enum item_kind kind;
	int numeric;       /* a value item that is a number */
	double x;          /* its value, or the comparison's bound */
	size_t off, len;   /* its text in m->texts */
};

static int number_text(const char *p, size_t n, double *x)
{
	return n && pk_parse_number(p, n, x) == PK_OK;
}

void pk_fmt_match_free(struct pk_fmt_match *m)
{
	if (!m)
		return;
	free(m->items);
	pk_buf_free(&m->texts);
	memset(m, 0, sizeof *m);
}

/* Append one item, the unescaped text t[0..n) (spaces trimmed by the
 * caller). */
static int add_item(struct pk_fmt_match *m, const char *opt, const char *raw,
		    struct pk_buf *t, int escaped_cmp, struct pk_error *err)
{
	struct match_item it = {ITEM_VALUE, 0, 0, 0, 0};
	const char *s = t->data ? t->data : "";
	size_t n = t->len, skip = 0;
	struct match_item *grown;

	if (!n)
		return pk_error_set(err, PK_ERR_USAGE,
				    "%s: empty item in '%s'", opt, raw);
	if (!escaped_cmp && (s[0] == '<' || s[0] == '>')) {
		int eq = n > 1 && s[1] == '=';
		it.kind = s[0] == '<' ? (eq ? ITEM_LE : ITEM_LT)
				      : (eq ? ITEM_GE : ITEM_GT);
		skip = 1 + (size_t)eq;
		while (skip < n && s[skip] == ' ')
			skip++;
		if (!number_text(s + skip, n - skip, &it.x))
			return pk_error_set(err, PK_ERR_USAGE,
					    "%s: '%.*s' compares with '%.*s', "
					    "which is not a number",
					    opt, (int)n, s, (int)(n - skip),
					    s + skip);
	} else {
		it.numeric = number_text(s, n, &it.x);
	}
	it.off = m->texts.len;
	it.len = n;
	if (pk_buf_append(&m->texts, s, n) || pk_buf_putc(&m->texts, '\0'))
		return pk_nomem(err);
	grown = realloc(m->items, (m->n + 1) * sizeof *grown);
	if (!grown)
		return pk_nomem(err);
	m->items = grown;
	m->items[m->n++] = it;
	return PK_OK;
}

int pk_fmt_match_parse(struct pk_fmt_match *m, const char *opt,
		       const char *list, struct pk_error *err)
{
	struct pk_buf t = PK_BUF_INIT;
	const char *s = list;
	int rc = PK_OK;

	memset(m, 0, sizeof *m);
	m->opt = opt;
	if (!(m->list = list))
		return PK_OK;
	for (;;) {
		size_t trail;
		int escaped_cmp = 0;

		pk_buf_reset(&t);
		while (*s == ' ')
			s++;
		trail = 0;
		for (; *s && *s != ','; s++) {
			if (*s == '\\') {
				if (!strchr(",\\<> ", s[1])) {
					rc = pk_error_set(
						err, PK_ERR_USAGE,
						"%s: unknown escape '\\%c' in "
						"'%s' (\\, \\\\ \\< \\> \\  "
						"are known)",
						opt, s[1] ? s[1] : ' ', list);
					goto out;
				}
				if (!t.len && (s[1] == '<' || s[1] == '>'))
					escaped_cmp = 1;
				s++;
				trail = 0;
			} else if (*s == ' ') {
				trail++;
			} else {
				trail = 0;
			}
			if (pk_buf_putc(&t, *s)) {
				rc = pk_nomem(err);
				goto out;
			}
		}
		t.len -= trail;
		if ((rc = add_item(m, opt, list, &t, escaped_cmp, err)) != PK_OK)
			goto out;
		if (!*s)
			break;
		s++;
	}
out:
	pk_buf_free(&t);
	if (rc != PK_OK)
		pk_fmt_match_free(m);
	return rc;
}

int pk_fmt_label_read(struct pk_fmt_label *l, struct pk_buf *scratch,
		      const char *v, size_t n)
{
	l->t = pk_type_of(v, n);
	l->text = v;
	l->tlen = n;
	l->x = 0;
	l->numeric = 0;
	if (l->t == PK_T_STRING) {
		pk_buf_reset(scratch);
		if (pk_json_unquote(scratch, v, n) != PK_OK)
			return -1;
		l->text = scratch->data ? scratch->data : "";
		l->tlen = scratch->len;
		l->numeric = number_text(l->text, l->tlen, &l->x);
	} else if (l->t == PK_T_NUMBER) {
		l->numeric = pk_parse_number(v, n, &l->x) == PK_OK;
	}
	return 0;
}

int pk_fmt_match_test(const struct pk_fmt_match *m, struct pk_buf *scratch,
		      const char *v, size_t n)
{
	struct pk_fmt_label l;

	if (pk_fmt_label_read(&l, scratch, v, n) < 0)
		return -1;
	return pk_fmt_label_matches(m, &l);
}

int pk_fmt_label_matches(const struct pk_fmt_match *m,
			 const struct pk_fmt_label *l)
{
	enum pk_type t = l->t;
	const char *text = l->text;
	size_t tlen = l->tlen;
	double x = l->x;
	int numeric = l->numeric;

	if (t != PK_T_STRING && t != PK_T_NUMBER && t != PK_T_TRUE &&
	    t != PK_T_FALSE && t != PK_T_NULL)
		return 0; /* objects and arrays match nothing */
	for (size_t i = 0; i < m->n; i++) {
		const struct match_item *it = &m->items[i];
		int hit;

		switch (it->kind) {
		case ITEM_VALUE:
			hit = (numeric && it->numeric && x == it->x) ||
			      (t != PK_T_NUMBER && tlen == it->len &&
			       memcmp(text, m->texts.data + it->off, tlen) == 0);
			break;
		case ITEM_LT:
			hit = numeric && x < it->x;
			break;
		case ITEM_LE:
			hit = numeric && x <= it->x;
			break;
		case ITEM_GT:
			hit = numeric && x > it->x;
			break;
		default:
			hit = numeric && x >= it->x;
			break;
		}
		if (hit)
			return 1;
	}
	return 0;
}
