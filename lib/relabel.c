/* SPDX-License-Identifier: MIT */
/*
 * relabel.c - the condition text of reward-conditioned relabeling (Zhang
 * et al. 2024, SPEC 3.1): templates with {score}, {min} and {max}, parsed
 * and checked once, rendered per record.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

enum seg_kind { SEG_TEXT, SEG_SCORE, SEG_MIN, SEG_MAX };

struct seg {
	enum seg_kind kind;
	size_t off, len; /* SEG_TEXT: span of t->text */
};

struct pk_template {
	struct pk_buf text;   /* literal text, "{{" and "}}" already undone */
	struct seg *segs;
	size_t nsegs;
	char min[PK_NUMBER_MAX], max[PK_NUMBER_MAX];
	size_t minlen, maxlen;
};

void pk_template_free(struct pk_template *t)
{
	if (!t)
		return;
	pk_buf_free(&t->text);
	free(t->segs);
	free(t);
}

/* Append a segment; literal text is text->data[off..off+len). */
static int add_seg(struct pk_template *t, enum seg_kind kind, size_t off,
		   size_t len)
{
	struct seg *s;

	if (kind == SEG_TEXT && len == 0)
		return 0;
	s = realloc(t->segs, (t->nsegs + 1) * sizeof *s);
	if (!s)
		return PK_FATAL;
	t->segs = s;
	s[t->nsegs].kind = kind;
	s[t->nsegs].off = off;
	s[t->nsegs].len = len;
	t->nsegs++;
	return 0;
}

/* Which placeholder is name[0..len)?  -1 if none. */
static int placeholder(const char *name, size_t len)
{
	if (len == 5 && memcmp(name, "score", 5) == 0)
		return SEG_SCORE;
	if (len == 3 && memcmp(name, "min", 3) == 0)
		return SEG_MIN;
	if (len == 3 && memcmp(name, "max", 3) == 0)
		return SEG_MAX;
	return -1;
}

/* Parse text into segments; PK_OK, or a status with err set.  Literal
 * text (with "{{" and "}}" undone) collects in t->text; `lit` is where
 * the current literal segment starts in it. */
static int parse(struct pk_template *t, const char *text, size_t n,
		 struct pk_error *err)
{
	size_t i = 0, lit = 0;
	int have_score = 0;

	while (i < n) {
		const char *close;
		size_t len;
		int kind;

		if ((text[i] == '{' || text[i] == '}') && i + 1 < n &&
		    text[i + 1] == text[i]) {
			if (pk_buf_putc(&t->text, text[i]) < 0)
				return pk_nomem(err);
			i += 2;
			continue;
		}
		if (text[i] == '}')
			return pk_error_set(err, PK_ERR_USAGE,
					    "single '}' in template at byte %zu (write '}}' for a literal brace)",
					    i + 1);
		if (text[i] != '{') {
			if (pk_buf_putc(&t->text, text[i]) < 0)
				return pk_nomem(err);
			i++;
			continue;
		}
		close = memchr(text + i, '}', n - i);
		if (!close)
			return pk_error_set(err, PK_ERR_USAGE,
					    "unterminated placeholder in template at byte %zu (write '{{' for a literal brace)",
					    i + 1);
		len = (size_t)(close - text) - i - 1;
		kind = placeholder(text + i + 1, len);
		if (kind < 0)
			return pk_error_set(err, PK_ERR_USAGE,
					    "unknown placeholder {%.*s} in template (known: {score}, {min}, {max})",
					    len > 40 ? 40 : (int)len, text + i + 1);
		if (add_seg(t, SEG_TEXT, lit, t->text.len - lit) < 0 ||
		    add_seg(t, (enum seg_kind)kind, 0, 0) < 0)
			return pk_nomem(err);
		lit = t->text.len;
		have_score |= kind == SEG_SCORE;
		i = (size_t)(close - text) + 1;
	}
	if (add_seg(t, SEG_TEXT, lit, t->text.len - lit) < 0)
		return pk_nomem(err);
	if (!have_score)
		return pk_error_set(err, PK_ERR_USAGE,
				    "template has no {score} placeholder");
	return PK_OK;
}

struct pk_template *pk_template_new(const char *text, size_t n, double min,
				    double max, struct pk_error *err)
{
	struct pk_template *t = calloc(1, sizeof *t);
	json_t *utf8;
	int a, b;

	if (!t) {
		pk_nomem(err);
		return NULL;
	}
	/* jansson checks UTF-8 for us (the text ends up in JSON strings). */
	utf8 = json_stringn(text ? text : "", n);
	if (!utf8) {
		pk_error_set(err, PK_ERR_USAGE, "template is not valid UTF-8");
		goto fail;
	}
	json_decref(utf8);
	a = pk_format_number(t->min, min);
	b = pk_format_number(t->max, max);
	if (a < 0 || b < 0) {
		pk_error_set(err, PK_ERR_USAGE, "scale is not finite");
		goto fail;
	}
	t->minlen = (size_t)a;
	t->maxlen = (size_t)b;
	if (parse(t, text, n, err) < 0)
		goto fail;
	return t;
fail:
	pk_template_free(t);
	return NULL;
}

/* Render t, calling put_score for {score}. */
static int render(const struct pk_template *t,
		  int (*put_score)(const void *ctx, struct pk_buf *out),
		  const void *ctx, struct pk_buf *out)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < t->nsegs && rc == 0; i++) {
		const struct seg *s = &t->segs[i];

		switch (s->kind) {
		case SEG_TEXT:
			rc = pk_buf_append(out, t->text.data + s->off, s->len);
			break;
		case SEG_SCORE:
			rc = put_score(ctx, out);
			break;
		case SEG_MIN:
			rc = pk_buf_append(out, t->min, t->minlen);
			break;
		case SEG_MAX:
			rc = pk_buf_append(out, t->max, t->maxlen);
			break;
		}
	}
	return rc < 0 ? PK_FATAL : PK_OK;
}

static int put_number(struct pk_buf *out, double x)
{
	char num[PK_NUMBER_MAX];
	int n = pk_format_number(num, x);

	if (n < 0)
		return PK_FATAL;
	return pk_buf_append(out, num, (size_t)n);
}

static int put_one_score(const void *ctx, struct pk_buf *out)
{
	return put_number(out, *(const double *)ctx);
}

int pk_template_render(const struct pk_template *t, double score,
		       struct pk_buf *out)
{
	if (!isfinite(score))
		return PK_FATAL;
	return render(t, put_one_score, &score, out);
}

struct attr_goal {
	const char *const *names;
	const double *values;
	size_t n;
};

static int put_attr_lines(const void *ctx, struct pk_buf *out)
{
	const struct attr_goal *g = ctx;
	size_t i;

	for (i = 0; i < g->n; i++) {
		if ((i && pk_buf_putc(out, '\n') < 0) ||
		    pk_attribute_label(g->names[i], out) < 0 ||
		    pk_buf_puts(out, ": ") < 0 ||
		    put_number(out, g->values[i]) < 0 ||
		    pk_buf_putc(out, '.') < 0)
			return PK_FATAL;
	}
	return 0;
}

int pk_template_render_attributes(const struct pk_template *t,
				  const char *const *names,
				  const double *values, size_t n,
				  struct pk_buf *out)
{
	struct attr_goal g = {names, values, n};
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(values[i]))
			return PK_FATAL;
	return render(t, put_attr_lines, &g, out);
}

int pk_attribute_label(const char *name, struct pk_buf *out)
{
	size_t i;

	for (i = 0; name[i]; i++) {
		int c = (unsigned char)name[i];

		if (c == '_')
			c = ' ';
		else if (i == 0 && c < 0x80)
			c = toupper(c);
		if (pk_buf_putc(out, c) < 0)
			return PK_FATAL;
	}
	return PK_OK;
}
