/* SPDX-License-Identifier: MIT */
/*
 * relabel.c - the condition text of reward-conditioned relabeling (Zhang
 * et al. 2024, SPEC 3.1): templates with {score}, {min} and {max}, parsed
 * and checked once, rendered per record.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
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
	int round;            /* decimals of {score}, -1 = as it is */
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
	t->round = -1;
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

static int put_number(struct pk_buf *out, double x, int decimals)
{
	char num[PK_ROUNDED_MAX];
	int n = pk_format_rounded(num, x, decimals);

	if (n < 0)
		return PK_FATAL;
	return pk_buf_append(out, num, (size_t)n);
}

struct one_goal {
	double score;
	int round;
};

static int put_one_score(const void *ctx, struct pk_buf *out)
{
	const struct one_goal *g = ctx;

	return put_number(out, g->score, g->round);
}

int pk_template_render(const struct pk_template *t, double score,
		       struct pk_buf *out)
{
	struct one_goal g = {score, t->round};

	if (!isfinite(score))
		return PK_FATAL;
	return render(t, put_one_score, &g, out);
}

struct attr_goal {
	const char *const *names;
	const double *values;
	size_t n;
	int round;
};

static int put_attr_lines(const void *ctx, struct pk_buf *out)
{
	const struct attr_goal *g = ctx;
	size_t i;

	for (i = 0; i < g->n; i++) {
		if ((i && pk_buf_putc(out, '\n') < 0) ||
		    pk_attribute_label(g->names[i], out) < 0 ||
		    pk_buf_puts(out, ": ") < 0 ||
		    put_number(out, g->values[i], g->round) < 0 ||
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
	struct attr_goal g = {names, values, n, t->round};
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

/* ------------------------------------------------------------------ */
/* Rounding goals (--round)                                            */
/* ------------------------------------------------------------------ */

int pk_format_rounded(char out[PK_ROUNDED_MAX], double x, int decimals)
{
	int n;

	if (!isfinite(x))
		return PK_BAD_RECORD;
	if (decimals < 0 || fabs(x) >= 1e17)
		return pk_format_number(out, x);
	if (decimals > PK_ROUND_MAX_DECIMALS)
		decimals = PK_ROUND_MAX_DECIMALS;
	/* glibc's printf rounds the exact binary value to nearest, ties to
	 * even, as Python's round(x, n) does. */
	n = snprintf(out, PK_ROUNDED_MAX, "%.*f", decimals, x);
	if (n < 0 || n >= PK_ROUNDED_MAX)
		return PK_BAD_RECORD;
	if (memchr(out, '.', (size_t)n)) {
		while (out[n - 1] == '0')
			n--;
		if (out[n - 1] == '.')
			n--;
	}
	out[n] = '\0';
	if (strcmp(out, "-0") == 0) {
		out[0] = '0';
		out[1] = '\0';
		n = 1;
	}
	return n;
}

void pk_template_round(struct pk_template *t, int decimals)
{
	t->round = decimals;
}

/* ------------------------------------------------------------------ */
/* The operation: one pair in, two conditioned pairs out               */
/* ------------------------------------------------------------------ */

#define CACHE_BITS 8
#define CACHE_SIZE (1 << CACHE_BITS)

/* Where the condition text goes in one member. */
struct target {
	const char *path;    /* the member rewritten */
	const char *text;    /* its value as loaded, compact, in r->obj: for
				planning only (editing r->obj may move it) */
	size_t len;
	size_t at;           /* offset in the value of the insertion point */
	int new_system;      /* insert a system message after '[' */
	long member;         /* its index in the record, -1 for a dotted path */
};

/* One side's goal: the score (or attribute scores), parsed and raw. */
struct goal {
	double v[PK_RELABEL_MAX_ATTRIBUTES];
	struct pk_value raw[PK_RELABEL_MAX_ATTRIBUTES];
};

struct pk_relabel {
	struct pk_relabel_opts o;
	struct pk_template *tpl;
	const char *score_field[2];        /* chosen, rejected */
	char *attr_path[2][PK_RELABEL_MAX_ATTRIBUTES]; /* score_field.attr */
	/* the fields read from every record: scores (or attribute scores)
	 * of each side, and the prompt, chosen and rejected members */
	struct pk_field score[2][PK_RELABEL_MAX_ATTRIBUTES];
	struct pk_field prompt, chosen, rejected;
	struct pk_field field, goal;       /* placement field=NAME, goal_score(s) */
	struct pk_buf attr_key[PK_RELABEL_MAX_ATTRIBUTES]; /* quoted names */
	const char *swap[5];               /* pairs for pk_obj_swap_sides */
	const char *const *swap_names;     /* swap, or NULL when all partners */
	int by_path;                       /* set members by path, not slot */
	/* Where emit_pair() sets the condition field, the targets and the
	 * goal in r->obj: member indices (-1: by path, or for the goal,
	 * added as the pair is written). */
	long field_at, tg_at[2], goal_at;
	struct target tg[2];
	size_t ntg;
	int implicit;
	const struct pk_record *rec;       /* the record being relabeled */
	struct pk_obj *obj;                /* the record, containers compacted */
	struct pk_buf text, quoted, goals, value, tail, scratch;
	struct pk_buf field_key, goal_key;  /* quoted names of added members */
	struct pk_relabel_counts n;
	/* Condition texts already rendered and quoted, by goal score. */
	struct cached {
		int used;
		double goal;
		struct pk_buf quoted;
	} cache[CACHE_SIZE];
};

void pk_relabel_opts_init(struct pk_relabel_opts *o)
{
	memset(o, 0, sizeof *o);
	o->prompt_field = "prompt";
	o->chosen_field = "chosen";
	o->rejected_field = "rejected";
	o->score_chosen_field = "score_chosen";
	o->score_rejected_field = "score_rejected";
	o->min = 1;
	o->max = 10;
	o->placement = PK_PLACE_AUTO;
	o->ties = PK_TIES_KEEP;
	o->round = -1;
}

static int setup(struct pk_relabel *r, struct pk_error *err)
{
	const struct pk_relabel_opts *o = &r->o;
	size_t s, i;

	r->score_field[0] = o->score_chosen_field;
	r->score_field[1] = o->score_rejected_field;
	if (o->nattributes) {
		/* The score objects; the plain defaults name single scores. */
		if (strcmp(r->score_field[0], "score_chosen") == 0)
			r->score_field[0] = "scores_chosen";
		if (strcmp(r->score_field[1], "score_rejected") == 0)
			r->score_field[1] = "scores_rejected";
	}
	for (s = 0; s < 2; s++)
		for (i = 0; i < o->nattributes; i++) {
			struct pk_buf b = PK_BUF_INIT;

			if (pk_buf_printf(&b, "%s.%s", r->score_field[s],
					  o->attributes[i]) < 0)
				return pk_nomem(err);
			r->attr_path[s][i] = pk_buf_take(&b);
		}
	for (i = 0; i < o->nattributes; i++)
		if (pk_json_quote(&r->attr_key[i], o->attributes[i],
				  strlen(o->attributes[i])) < 0)
			return pk_nomem(err);
	for (s = 0; s < 2; s++)
		for (i = 0; i < (o->nattributes ? o->nattributes : 1); i++)
			pk_field_init(&r->score[s][i], o->nattributes
				      ? r->attr_path[s][i] : r->score_field[s]);
	pk_field_init(&r->prompt, o->prompt_field);
	pk_field_init(&r->field, o->placement == PK_PLACE_FIELD ? o->field : "");
	pk_field_init(&r->goal, o->nattributes ? "goal_scores" : "goal_score");
	pk_field_init(&r->chosen, o->chosen_field);
	pk_field_init(&r->rejected, o->rejected_field);
	r->swap[0] = o->chosen_field;
	r->swap[1] = o->rejected_field;
	r->swap[2] = r->score_field[0];
	r->swap[3] = r->score_field[1];
	r->swap[4] = NULL;
	r->swap_names = pk_sides_are_partners(r->swap) ? NULL : r->swap;
	if ((o->placement == PK_PLACE_FIELD &&
	     pk_json_quote(&r->field_key, o->field, strlen(o->field)) < 0) ||
	    pk_json_quote(&r->goal_key, r->goal.path, strlen(r->goal.path)) < 0)
		return pk_nomem(err);
	/* In-place slots need top-level names and a swap that moves no
	 * member (explicit pairs may delete one). */
	r->by_path = r->swap_names || strchr(o->prompt_field, '.') ||
		     strchr(o->chosen_field, '.') ||
		     strchr(o->rejected_field, '.') ||
		     (o->placement == PK_PLACE_FIELD && strchr(o->field, '.'));
	if (!(r->obj = pk_obj_new()))
		return pk_nomem(err);
	return PK_OK;
}

struct pk_relabel *pk_relabel_new(const struct pk_relabel_opts *o,
				  struct pk_error *err)
{
	struct pk_relabel *r;
	const char *text = o->template_text;
	size_t len = o->template_len;

	if (o->nattributes > PK_RELABEL_MAX_ATTRIBUTES) {
		pk_error_set(err, PK_ERR_USAGE, "more than %d attributes",
			     PK_RELABEL_MAX_ATTRIBUTES);
		return NULL;
	}
	if (o->placement == PK_PLACE_FIELD && (!o->field || !*o->field)) {
		pk_error_set(err, PK_ERR_USAGE, "placement field without a name");
		return NULL;
	}
	if (!(r = calloc(1, sizeof *r))) {
		pk_nomem(err);
		return NULL;
	}
	r->o = *o;
	if (!text) {
		text = o->nattributes ? PK_TEMPLATE_DEFAULT_ATTRIBUTES
				      : PK_TEMPLATE_DEFAULT;
		len = strlen(text);
	}
	r->tpl = pk_template_new(text, len, o->min, o->max, err);
	if (!r->tpl || setup(r, err) < 0) {
		pk_relabel_free(r);
		return NULL;
	}
	pk_template_round(r->tpl, o->round);
	return r;
}

void pk_relabel_free(struct pk_relabel *r)
{
	size_t s, i;

	if (!r)
		return;
	for (s = 0; s < 2; s++)
		for (i = 0; i < PK_RELABEL_MAX_ATTRIBUTES; i++)
			free(r->attr_path[s][i]);
	for (i = 0; i < PK_RELABEL_MAX_ATTRIBUTES; i++)
		pk_buf_free(&r->attr_key[i]);
	pk_obj_free(r->obj);
	pk_buf_free(&r->value);
	pk_buf_free(&r->tail);
	pk_buf_free(&r->scratch);
	pk_buf_free(&r->field_key);
	pk_buf_free(&r->goal_key);
	pk_template_free(r->tpl);
	pk_buf_free(&r->text);
	pk_buf_free(&r->quoted);
	pk_buf_free(&r->goals);
	for (i = 0; i < CACHE_SIZE; i++)
		pk_buf_free(&r->cache[i].quoted);
	free(r);
}

const struct pk_relabel_counts *pk_relabel_counts(const struct pk_relabel *r)
{
	return &r->n;
}

const char *pk_relabel_counter(const struct pk_relabel *r, size_t i,
			       unsigned long long *value)
{
	static const char *const name[3] = {"relabeled", "ties", "dropped_ties"};
	const unsigned long long v[3] = {r->n.relabeled, r->n.ties,
					 r->n.dropped_ties};

	if (i >= 3)
		return NULL;
	if (value)
		*value = v[i];
	return name[i];
}

/* Append the condition text for the goal v (one score, or one per
 * attribute) to out. */
static int render_goal(const struct pk_relabel *r, const double *v,
		       struct pk_buf *out)
{
	if (r->o.nattributes)
		return pk_template_render_attributes(r->tpl, r->o.attributes,
						     v, r->o.nattributes, out);
	return pk_template_render(r->tpl, v[0], out);
}

/* One number of a goal text: p[0..n) as strtod reads it, whole. */
static int goal_number(const char *p, size_t n, double *x,
		       struct pk_error *err)
{
	char num[64], *end;

	if (n == 0 || n >= sizeof num)
		goto bad;
	memcpy(num, p, n);
	num[n] = '\0';
	errno = 0;
	*x = strtod(num, &end);
	if (errno == 0 && *end == '\0' && isfinite(*x))
		return PK_OK;
bad:
	return pk_error_set(err, PK_ERR_USAGE, "invalid number '%.*s'",
			    n > 40 ? 40 : (int)n, p);
}

int pk_relabel_goal_text(struct pk_relabel *r, const char *goal,
			 struct pk_buf *out, struct pk_error *err)
{
	const struct pk_relabel_opts *o = &r->o;
	size_t i, n = o->nattributes ? o->nattributes : 1;
	double v[PK_RELABEL_MAX_ATTRIBUTES];
	char seen[PK_RELABEL_MAX_ATTRIBUTES] = {0};
	const char *p = goal;
	int rc;

	if (!o->nattributes || !strchr(goal, '=')) {
		if ((rc = goal_number(goal, strlen(goal), &v[0], err)) != PK_OK)
			return rc;
		for (i = 1; i < n; i++)
			v[i] = v[0];
	} else {
		/* A=S,B=S: one score per attribute, every attribute named. */
		while (*p) {
			size_t len = strcspn(p, ","), k;
			const char *eq = memchr(p, '=', len);

			if (!eq)
				return pk_error_set(err, PK_ERR_USAGE,
						    "'%.*s' is not ATTRIBUTE=SCORE",
						    (int)len, p);
			k = (size_t)(eq - p);
			for (i = 0; i < n && (strlen(o->attributes[i]) != k ||
					      memcmp(o->attributes[i], p, k)); i++)
				;
			if (i == n)
				return pk_error_set(err, PK_ERR_USAGE,
						    "'%.*s' is not one of --attributes",
						    (int)k, p);
			if ((rc = goal_number(eq + 1, len - k - 1, &v[i], err)) != PK_OK)
				return rc;
			seen[i] = 1;
			p += len + (p[len] == ',');
		}
		for (i = 0; i < n; i++)
			if (!seen[i])
				return pk_error_set(err, PK_ERR_USAGE,
						    "no score for attribute '%s'",
						    o->attributes[i]);
	}
	for (i = 0; i < n; i++)
		if (!(v[i] >= o->min && v[i] <= o->max))
			return pk_error_set(err, PK_ERR_USAGE,
					    "'%s' is outside the scale %g:%g",
					    goal, o->min, o->max);
	if (render_goal(r, v, out) < 0)
		return pk_nomem(err);
	return PK_OK;
}

/* Read the number of field f into *x (its raw span in *v). */
static int read_number(struct pk_relabel *r, struct pk_field *f, double *x,
		       struct pk_value *v, struct pk_error *err)
{
	int rc = pk_record_score_field(r->rec, f, x, v, err);

	if (rc != PK_OK)
		return rc;
	if (*x < r->o.min || *x > r->o.max)
		return pk_error_set(err, PK_ERR_DATA,
				    "score field '%s': %.*s is outside the scale %g:%g",
				    f->path, v->len > 40 ? 40 : (int)v->len,
				    r->rec->text + v->off, r->o.min, r->o.max);
	return PK_OK;
}

/* The goal of side s (0 chosen, 1 rejected). */
static int read_goal(struct pk_relabel *r, int s, struct goal *g,
		     struct pk_error *err)
{
	size_t i, n = r->o.nattributes ? r->o.nattributes : 1;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = read_number(r, &r->score[s][i], &g->v[i], &g->raw[i],
				      err)) != PK_OK)
			return rc;
	return PK_OK;
}

/* Find where the condition goes in the message list of target tg: the
 * first message when it is a system message (system placement), else a
 * new system message; or the first user message (prefix placement).  A
 * prompt (whole) must be a message list throughout; in a conversation
 * with an implicit prompt only the messages up to the one changed are
 * checked. */
static int plan_messages(int system, int whole, struct target *tg,
			 struct pk_error *err)
{
	const char *path = tg->path, *v = tg->text;
	const char *want = system ? "system" : "user";
	struct pk_iter it;
	struct pk_member role, content;
	size_t off, len;
	enum pk_type bad = PK_T_NONE;
	int n = 0, found = 0, rc;

	tg->new_system = 0;
	tg->at = 0;
	pk_iter_init(&it, v, tg->len);
	while ((rc = pk_next_message(&it, &off, &len, &role, &content)) != 0) {
		if (rc < 0)
			return pk_error_set(err, PK_ERR_DATA, whole
					    ? "'%s' is neither a string nor a message list (array)"
					    : "'%s' is not a message list", path);
		n++;
		if (found || (system && n > 1))
			continue; /* only checked */
		if (pk_key_equals(v + off + role.val_off, role.val_len, want)) {
			found = 1;
			tg->at = off + content.val_off;
			if (content.type == PK_T_ARRAY) {
				/* content parts: the first text part */
				struct pk_content ci;
				size_t poff, plen;

				pk_content_init(&ci, v + tg->at,
						content.val_len, (size_t)n);
				if ((rc = pk_content_next(&ci, &poff, &plen,
							  err)) < 0)
					return pk_error_prefix(err, "'%s': ",
							       path);
				if (rc == 0)
					return pk_error_set(
						err, PK_ERR_DATA,
						"'%s': message %d has no "
						"content parts", path, n);
				tg->at += poff;
			} else if (content.type != PK_T_STRING) {
				bad = content.type;
			}
		}
		if (!whole && (found || system))
			break;
	}
	if (n == 0)
		return pk_error_set(err, PK_ERR_DATA, whole
				    ? "'%s' is neither a string nor a message list (array)"
				    : "'%s' is an empty message list", path);
	if (bad != PK_T_NONE)
		return pk_error_set(err, PK_ERR_DATA,
				    "'%s': the content of the first %s message is not a string (%s)",
				    path, want, pk_type_name(bad));
	if (found)
		return PK_OK;
	if (system) {
		tg->new_system = 1;
		return PK_OK;
	}
	return pk_error_set(err, PK_ERR_DATA, "'%s' has no user message to prefix",
			    path);
}

/* Is field f there, and a string or an array?  *type gets PK_T_STRING,
 * PK_T_ARRAY or PK_T_NONE (absent). */
static int text_member(struct pk_relabel *r, struct pk_field *f,
		       struct pk_value *v, enum pk_type *type,
		       struct pk_error *err)
{
	*type = PK_T_NONE;
	if (!pk_record_field(r->rec, f, v))
		return PK_OK;
	if (v->type != PK_T_STRING && v->type != PK_T_ARRAY)
		return pk_error_set(err, PK_ERR_DATA,
				    "'%s' is neither a string nor a message list (%s)",
				    f->path, pk_type_name(v->type));
	*type = v->type;
	return PK_OK;
}

/* Make tg the target for field f, just found in the record: both pairs
 * build on it.  tg->text is its compact value in r->obj, as loaded. */
static int set_target(struct pk_relabel *r, struct target *tg,
		      const struct pk_field *f, struct pk_error *err)
{
	tg->path = f->path;
	tg->at = 0;
	tg->new_system = 0;
	/* r->obj has the record's members in the same order: a plain
	 * name's index is where pk_record_field() found it */
	tg->member = f->dotted ? -1 : (long)f->hint;
	if (tg->member >= 0)
		tg->text = pk_obj_value(r->obj, (size_t)tg->member, &tg->len, NULL);
	else if (!pk_obj_get(r->obj, tg->path, &tg->text, &tg->len, NULL))
		tg->text = NULL;
	if (!tg->text) /* pk_record_field() found it: cannot happen */
		return pk_error_set(err, PK_ERR_IO, "lost member '%s'", tg->path);
	return PK_OK;
}

/* Decide where the condition text goes in this record: r->tg[]. */
static int plan(struct pk_relabel *r, struct pk_error *err)
{
	enum pk_relabel_placement pl = r->o.placement;
	struct pk_value pv, cv, rv;
	enum pk_type pt, ct, rt;
	int rc;

	r->ntg = 0;
	r->implicit = 0;
	/* The responses are only read when they hold the prompt. */
	if ((rc = text_member(r, &r->chosen, &cv, &ct, err)) != PK_OK ||
	    (rc = text_member(r, &r->rejected, &rv, &rt, err)) != PK_OK)
		return rc;
	if (ct == PK_T_NONE || rt == PK_T_NONE)
		return pk_error_set(err, PK_ERR_DATA, "missing field '%s'",
				    ct == PK_T_NONE ? r->o.chosen_field
						    : r->o.rejected_field);
	if (pl == PK_PLACE_FIELD)
		return PK_OK;
	if ((rc = text_member(r, &r->prompt, &pv, &pt, err)) != PK_OK)
		return rc;
	if (pt == PK_T_STRING) {
		if (pl == PK_PLACE_SYSTEM)
			return pk_error_set(err, PK_ERR_USAGE,
					    "--placement=system needs a message-list prompt, but '%s' is a string (use --placement=prefix or auto)",
					    r->o.prompt_field);
		r->ntg = 1;
		return set_target(r, &r->tg[0], &r->prompt, err);
	}
	if (pt == PK_T_ARRAY) {
		if ((rc = set_target(r, &r->tg[0], &r->prompt, err)) != PK_OK ||
		    (rc = plan_messages(pl != PK_PLACE_PREFIX, 1, &r->tg[0],
					err)) != PK_OK)
			return rc;
		r->ntg = 1;
		return PK_OK;
	}
	/* No prompt: chosen and rejected must be whole conversations
	 * (plan_messages() checks the messages it passes). */
	if (ct != PK_T_ARRAY || rt != PK_T_ARRAY)
		return pk_error_set(err, PK_ERR_DATA,
				    "missing field '%s' (and '%s' is not a message list with an implicit prompt)",
				    r->o.prompt_field, ct != PK_T_ARRAY
				    ? r->o.chosen_field : r->o.rejected_field);
	if ((rc = set_target(r, &r->tg[0], &r->chosen, err)) != PK_OK ||
	    (rc = set_target(r, &r->tg[1], &r->rejected, err)) != PK_OK ||
	    (rc = plan_messages(pl != PK_PLACE_PREFIX, 0, &r->tg[0], err)) != PK_OK ||
	    (rc = plan_messages(pl != PK_PLACE_PREFIX, 0, &r->tg[1], err)) != PK_OK)
		return rc;
	r->ntg = 2;
	r->implicit = 1;
	return PK_OK;
}

/* Room splice_condition() needs for a value of len bytes. */
static size_t splice_room(size_t len, const struct pk_buf *cond)
{
	return len + cond->len + sizeof "{\"role\":\"system\",\"content\":},";
}

/* Write value v (len bytes, the value target tg was planned on, maybe
 * moved since) with the condition cond (a JSON string literal) put in
 * where tg says, into d; returns the length. */
static size_t splice_condition(char *d, const struct target *tg,
			       const char *v, size_t len,
			       const struct pk_buf *cond)
{
	static const char sys[] = "{\"role\":\"system\",\"content\":";
	const char *q = cond->data;
	size_t qn = cond->len;
	char *p = d;

	if (tg->new_system) {
		/* [ + {"role":"system","content":"TEXT"} + , + the rest */
		*p++ = '[';
		memcpy(p, sys, sizeof sys - 1);
		p += sizeof sys - 1;
		memcpy(p, q, qn);
		p += qn;
		*p++ = '}';
		*p++ = ',';
		memcpy(p, v + 1, len - 1);
		return (size_t)(p - d) + len - 1;
	}
	/* A JSON string's escapes are per character, so TEXT + "\n\n" + old
	 * is the old literal with TEXT's escaped form after its quote. */
	memcpy(p, v, tg->at + 1);
	p += tg->at + 1;
	memcpy(p, q + 1, qn - 2);
	p += qn - 2;
	memcpy(p, "\\n\\n", 4);
	p += 4;
	memcpy(p, v + tg->at + 1, len - tg->at - 1);
	return (size_t)(p - d) + len - tg->at - 1;
}

/* Put the condition into the target planned as tg, whose value is now in
 * member slot d (pair 2 of an implicit prompt moved it). */
static int put_condition(struct pk_relabel *r, const struct target *tg,
			 size_t d, const struct pk_buf *cond)
{
	struct pk_obj *obj = r->obj;
	const char *v;
	size_t len;
	char *room;

	if (r->tg_at[d] >= 0) {
		/* built in place: the room first, then the value's address
		 * (making room may move the values) */
		size_t at = (size_t)r->tg_at[d];

		pk_obj_value(obj, at, &len, NULL);
		if (!(room = pk_obj_room(obj, splice_room(len, cond))))
			return PK_FATAL;
		v = pk_obj_value(obj, at, &len, NULL);
		pk_obj_commit_at(obj, at, splice_condition(room, tg, v, len, cond));
		return PK_OK;
	}
	if (!pk_obj_get(obj, r->tg[d].path, &v, &len, NULL))
		return PK_FATAL; /* cannot happen: the member was planned */
	pk_buf_reset(&r->value);
	if (pk_buf_reserve(&r->value, splice_room(len, cond)) < 0)
		return PK_FATAL;
	r->value.len = splice_condition(r->value.data, tg, v, len, cond);
	return pk_obj_set_compact(obj, r->tg[d].path, r->value.data,
				  r->value.len);
}

/* The condition text for goal g as a JSON string literal, or NULL when
 * out of memory.  Single scores are usually few (a 1-10 scale in halves
 * has 19), so their texts are kept in a small direct-mapped cache. */
static const struct pk_buf *condition(struct pk_relabel *r,
				      const struct goal *g)
{
	struct pk_buf *q = &r->quoted;
	struct cached *c = NULL;
	uint64_t bits;

	if (!r->o.nattributes) {
		memcpy(&bits, &g->v[0], sizeof bits);
		c = &r->cache[(bits * 0x9e3779b97f4a7c15u) >> (64 - CACHE_BITS)];
		if (c->used && memcmp(&c->goal, &g->v[0], sizeof bits) == 0)
			return &c->quoted;
		q = &c->quoted;
	}
	pk_buf_reset(&r->text);
	pk_buf_reset(q);
	if (render_goal(r, g->v, &r->text) < 0 ||
	    pk_json_quote(q, r->text.data, r->text.len) < 0) {
		if (c)
			c->used = 0;
		return NULL;
	}
	if (c) {
		c->used = 1;
		c->goal = g->v[0];
	}
	return q;
}

/* The index of member f in r->obj, adding it (null; qkey is its quoted
 * name) when absent, so that both pairs set it in place, before the goal
 * as emit_pair() would add them.  -1 when out of memory. */
static long slot(struct pk_relabel *r, struct pk_field *f,
		 const struct pk_buf *qkey)
{
	struct pk_value v;

	/* r->obj has the record's members in the same order, and more only
	 * after this */
	if (pk_record_field(r->rec, f, &v))
		return (long)f->hint;
	if (pk_obj_append_compact(r->obj, qkey->data, qkey->len, "null", 4) < 0)
		return -1;
	return (long)pk_obj_count(r->obj) - 1;
}

/* Find or make the members emit_pair() sets. */
static int place_slots(struct pk_relabel *r)
{
	size_t i;

	r->field_at = r->goal_at = r->tg_at[0] = r->tg_at[1] = -1;
	if (r->by_path)
		return PK_OK;
	if (r->o.placement == PK_PLACE_FIELD &&
	    (r->field_at = slot(r, &r->field, &r->field_key)) < 0)
		return PK_FATAL;
	for (i = 0; i < r->ntg; i++)
		r->tg_at[i] = r->tg[i].member; /* not dotted: not by_path */
	if (r->field_at >= 0 && strcmp(r->field.path, r->goal.path) == 0) {
		r->goal_at = r->field_at; /* --placement field=goal_score */
	} else {
		struct pk_value v;

		/* absent (as it mostly is): appended by each pair */
		if (pk_record_field(r->rec, &r->goal, &v))
			r->goal_at = (long)r->goal.hint;
	}
	return PK_OK;
}

static int set_slot(struct pk_relabel *r, long at, const char *path,
		    const char *raw, size_t n)
{
	if (at >= 0)
		return pk_obj_set_compact_at(r->obj, (size_t)at, raw, n);
	return pk_obj_set_compact(r->obj, path, raw, n);
}

/* Write the pair in r->obj with goal_score (goal_scores) set to raw: a
 * member the record does not have is added as the writer goes. */
static int emit_with_goal(struct pk_relabel *r, const char *raw, size_t n,
			  const struct pk_sink *out)
{
	struct pk_buf *t = &r->tail;

	if (r->goal_at >= 0 || r->by_path) {
		if (set_slot(r, r->goal_at, r->goal.path, raw, n) < 0)
			return PK_FATAL;
		return pk_sink_obj(out, r->obj, NULL, 0, &r->scratch);
	}
	pk_buf_reset(t);
	if (pk_buf_append(t, r->goal_key.data, r->goal_key.len) < 0 ||
	    pk_buf_putc(t, ':') < 0 || pk_buf_append(t, raw, n) < 0)
		return PK_FATAL;
	return pk_sink_obj(out, r->obj, t->data, t->len, &r->scratch);
}

/* Append goal value i of g as goal_score writes it: the score as the
 * record has it, or rounded. */
static int put_goal_value(struct pk_relabel *r, const struct goal *g,
			  size_t i, struct pk_buf *b)
{
	char num[PK_ROUNDED_MAX];
	int n;

	if (r->o.round < 0)
		return pk_buf_append(b, r->rec->text + g->raw[i].off,
				     g->raw[i].len);
	if ((n = pk_format_rounded(num, g->v[i], r->o.round)) < 0)
		return PK_FATAL;
	return pk_buf_append(b, num, (size_t)n);
}

/* Write the pair conditioned on goal g; swapped: pair 2. */
static int emit_pair(struct pk_relabel *r, const struct goal *g, int swapped,
		     const struct pk_sink *out)
{
	const struct pk_relabel_opts *o = &r->o;
	const struct pk_buf *cond = condition(r, g);
	size_t i;

	if (!cond || (swapped && pk_obj_swap_sides(r->obj, r->swap_names) < 0))
		return PK_FATAL;
	if (o->placement == PK_PLACE_FIELD &&
	    set_slot(r, r->field_at, o->field, cond->data, cond->len) < 0)
		return PK_FATAL;
	for (i = 0; i < r->ntg; i++)
		/* With an implicit prompt, pair 2's chosen is the old
		 * rejected: the swap moved it to the other member. */
		if (put_condition(r, &r->tg[i], swapped && r->implicit ? 1 - i : i,
				  cond) < 0)
			return PK_FATAL;
	pk_buf_reset(&r->goals);
	if (o->nattributes) {
		for (i = 0; i < o->nattributes; i++)
			if (pk_buf_putc(&r->goals, i ? ',' : '{') < 0 ||
			    pk_buf_append(&r->goals, r->attr_key[i].data,
					  r->attr_key[i].len) < 0 ||
			    pk_buf_putc(&r->goals, ':') < 0 ||
			    put_goal_value(r, g, i, &r->goals) < 0)
				return PK_FATAL;
		if (pk_buf_putc(&r->goals, '}') < 0)
			return PK_FATAL;
	} else if (put_goal_value(r, g, 0, &r->goals) < 0) {
		return PK_FATAL;
	}
	return emit_with_goal(r, r->goals.data, r->goals.len, out);
}

/* A pair could not be written: the sink's own status, or out of memory. */
static int failed(int rc, struct pk_error *err)
{
	if (rc == PK_FATAL && err && err->kind == PK_ERR_NONE)
		return pk_nomem(err);
	return rc;
}

int pk_relabel_record(struct pk_relabel *r, const struct pk_record *rec,
		      const struct pk_sink *out, struct pk_error *err)
{
	const struct pk_relabel_opts *o = &r->o;
	struct goal g[2];
	size_t n = o->nattributes ? o->nattributes : 1, i;
	int tie = 1, rc;

	r->rec = rec;
	if ((rc = read_goal(r, 0, &g[0], err)) != PK_OK ||
	    (rc = read_goal(r, 1, &g[1], err)) != PK_OK)
		return rc;
	/* The record is compacted once, for planning and both pairs. */
	if (pk_obj_load_record_compact(r->obj, rec) < 0)
		return pk_nomem(err);
	if ((rc = plan(r, err)) != PK_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (g[0].v[i] != g[1].v[i])
			tie = 0;
	if (tie) {
		r->n.ties++;
		if (o->ties == PK_TIES_DROP) {
			r->n.dropped_ties++;
			return PK_OK;
		}
	}
	if (o->keep_original &&
	    (rc = pk_sink_record(out, rec, &r->scratch)) != PK_OK)
		return rc;
	if (place_slots(r) < 0 || pk_obj_checkpoint(r->obj) < 0)
		return pk_nomem(err);
	if ((rc = emit_pair(r, &g[0], 0, out)) != PK_OK)
		return failed(rc, err);
	pk_obj_rollback(r->obj);
	if (!(tie && o->ties == PK_TIES_FIRST) &&
	    (rc = emit_pair(r, &g[1], 1, out)) != PK_OK)
		return failed(rc, err);
	r->n.relabeled++;
	return PK_OK;
}
