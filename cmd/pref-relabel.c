/* SPDX-License-Identifier: MIT */
/*
 * pref-relabel - reward-conditioned relabeling (SPEC 3.1; Zhang et al.,
 * "Reward-Augmented Data Enhances Direct Preference Alignment of LLMs",
 * 2024).  Each pair (x, y_w, y_l, r_w, r_l) becomes two pairs: one
 * conditioned on the goal r_w that keeps the order, and one conditioned on
 * r_l with chosen and rejected (and every paired field) swapped.  The
 * condition text goes into a system message, before the prompt, or into a
 * field of its own.  Only the members that change are rebuilt; everything
 * else is copied byte for byte.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefkit.h"
#include "cli.h"
#include "pk_private.h" /* until the relabel planning moves into lib/relabel.c */

#define MAX_ATTRIBUTES 64
#define CACHE_BITS 8
#define CACHE_SIZE (1 << CACHE_BITS)

enum placement { PLACE_AUTO, PLACE_SYSTEM, PLACE_PREFIX, PLACE_FIELD };
enum ties { TIES_KEEP, TIES_DROP, TIES_FIRST };

struct options {
	struct pk_cli *cli;
	int keep_original;
	const char *template_text;
	const char *template_file;
	double min, max;
	enum placement placement;
	const char *field;        /* --placement field=NAME */
	enum ties ties;
	char *attributes;         /* --attributes, split in place */
	const char *attr[MAX_ATTRIBUTES];
	size_t nattr;
	const char *goal_text;
};

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
	double v[MAX_ATTRIBUTES];
	struct pk_value raw[MAX_ATTRIBUTES];
};

/* Everything the record loop needs besides the options. */
struct relabel {
	struct pk_cli *cli;
	const struct options *opt;
	struct pk_template *tpl;
	const char *score_field[2];        /* chosen, rejected */
	char *attr_path[2][MAX_ATTRIBUTES]; /* score_field.attr */
	/* the fields read from every record: scores (or attribute scores)
	 * of each side, and the prompt, chosen and rejected members */
	struct pk_field score[2][MAX_ATTRIBUTES];
	struct pk_field prompt, chosen, rejected;
	struct pk_field field, goal;       /* --placement field=NAME, goal_score(s) */
	struct pk_buf attr_key[MAX_ATTRIBUTES]; /* quoted attribute names */
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
	struct pk_obj *obj;                /* the record, containers compacted */
	struct pk_buf text, quoted, goals, value, tail;
	struct pk_buf field_key, goal_key;  /* quoted names of added members */
	/* Condition texts already rendered and quoted, by goal score. */
	struct cached {
		int used;
		double goal;
		struct pk_buf quoted;
	} cache[CACHE_SIZE];
};

enum {
	OPT_ATTRIBUTES = CHAR_MAX + 1,
	OPT_GOAL_TEXT,
	OPT_KEEP_ORIGINAL,
	OPT_PLACEMENT,
	OPT_SCALE,
	OPT_TEMPLATE,
	OPT_TEMPLATE_FILE,
	OPT_TIES,
};

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"attributes", required_argument, NULL, OPT_ATTRIBUTES},
	{"goal-text", required_argument, NULL, OPT_GOAL_TEXT},
	{"keep-original", no_argument, NULL, OPT_KEEP_ORIGINAL},
	{"placement", required_argument, NULL, OPT_PLACEMENT},
	{"scale", required_argument, NULL, OPT_SCALE},
	{"template", required_argument, NULL, OPT_TEMPLATE},
	{"template-file", required_argument, NULL, OPT_TEMPLATE_FILE},
	{"ties", required_argument, NULL, OPT_TIES},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *fp, int status)
{
	struct pk_cli help = {.groups = PK_CLI_FIELDS};

	fputs("Usage: pref-relabel [OPTION]... [FILE]...\n"
	      "Reward-conditioned relabeling (Zhang et al. 2024): each pair becomes two\n"
	      "pairs, conditioned on the chosen score (order kept) and on the rejected\n"
	      "score (chosen and rejected swapped with every paired field).\n"
	      "\n"
	      "Options:\n"
	      "      --placement=WHERE    where the condition text goes: auto (default),\n"
	      "                           system, prefix or field=NAME\n"
	      "      --template=TEXT      condition text with {score}, {min}, {max}\n"
	      "                           ({{ and }} for literal braces)\n"
	      "      --template-file=FILE read the template from FILE (one final newline\n"
	      "                           dropped)\n"
	      "      --scale=MIN:MAX      score scale (default 1:10): {min}, {max}, and a\n"
	      "                           score outside it is a bad record\n"
	      "      --ties=MODE          pairs with equal scores: keep (default, both\n"
	      "                           pairs), drop (nothing written) or first (pair 1)\n"
	      "      --keep-original      also write each input pair, unchanged, first\n"
	      "      --attributes=A,B,... multi-attribute goals from the objects\n"
	      "                           scores_chosen / scores_rejected; writes goal_scores\n"
	      "      --goal-text=SCORE    print the condition text for SCORE and exit\n"
	      "                           (with --attributes: one SCORE for all, or A=S,B=S)\n",
	      fp);
	pk_cli_common_help(&help, fp);
	(void)status;
}

static void parse_scale(struct options *o, const char *arg)
{
	const char *colon = strchr(arg, ':');
	char *end;
	double a, b;

	if (!colon || colon == arg || !colon[1])
		pk_cli_usage_error(o->cli, "--scale: invalid value '%s' (MIN:MAX, e.g. 1:10)", arg);
	errno = 0;
	a = strtod(arg, &end);
	if (errno || end != colon)
		pk_cli_usage_error(o->cli, "--scale: invalid value '%s' (MIN:MAX, e.g. 1:10)", arg);
	b = pk_cli_parse_double(o->cli, "--scale", colon + 1);
	if (!isfinite(a) || !(a < b))
		pk_cli_usage_error(o->cli, "--scale: MIN must be a number below MAX in '%s'", arg);
	o->min = a;
	o->max = b;
}

static void parse_attributes(struct options *o, const char *arg)
{
	char *p, *save = NULL;
	size_t i;

	free(o->attributes);
	o->attributes = strdup(arg);
	if (!o->attributes)
		pk_cli_fatal(o->cli, "out of memory");
	o->nattr = 0;
	for (p = o->attributes;; p = NULL) {
		char *name = strtok_r(p, ",", &save);

		if (!name)
			break;
		if (o->nattr == MAX_ATTRIBUTES)
			pk_cli_usage_error(o->cli, "--attributes: more than %d names", MAX_ATTRIBUTES);
		if (strchr(name, '.'))
			pk_cli_usage_error(o->cli, "--attributes: '%s': a name, not a path", name);
		for (i = 0; i < o->nattr; i++)
			if (strcmp(o->attr[i], name) == 0)
				pk_cli_usage_error(o->cli, "--attributes: '%s' given twice", name);
		o->attr[o->nattr++] = name;
	}
	if (o->nattr == 0)
		pk_cli_usage_error(o->cli, "--attributes: no attribute names in '%s'", arg);
}

static int handle_opt(void *ctx, int opt, const char *arg)
{
	struct options *o = ctx;

	switch (opt) {
	case OPT_ATTRIBUTES:
		parse_attributes(o, arg);
		break;
	case OPT_GOAL_TEXT:
		o->goal_text = arg;
		break;
	case OPT_KEEP_ORIGINAL:
		o->keep_original = 1;
		break;
	case OPT_PLACEMENT:
		if (strcmp(arg, "auto") == 0)
			o->placement = PLACE_AUTO;
		else if (strcmp(arg, "system") == 0)
			o->placement = PLACE_SYSTEM;
		else if (strcmp(arg, "prefix") == 0)
			o->placement = PLACE_PREFIX;
		else if (strncmp(arg, "field=", 6) == 0 && arg[6]) {
			o->placement = PLACE_FIELD;
			o->field = arg + 6;
		} else
			pk_cli_usage_error(o->cli, "--placement: invalid value '%s' (auto, system, prefix or field=NAME)", arg);
		break;
	case OPT_SCALE:
		parse_scale(o, arg);
		break;
	case OPT_TEMPLATE:
		o->template_text = arg;
		break;
	case OPT_TEMPLATE_FILE:
		o->template_file = arg;
		break;
	case OPT_TIES:
		if (strcmp(arg, "keep") == 0)
			o->ties = TIES_KEEP;
		else if (strcmp(arg, "drop") == 0)
			o->ties = TIES_DROP;
		else if (strcmp(arg, "first") == 0)
			o->ties = TIES_FIRST;
		else
			pk_cli_usage_error(o->cli, "--ties: invalid value '%s' (keep, drop or first)", arg);
		break;
	default:
		return -1;
	}
	return 0;
}

/* The template text of the options; *n gets its length.  Caller frees. */
static char *template_source(const struct options *o, size_t *n)
{
	struct pk_buf b = PK_BUF_INIT;
	const char *def = o->nattr ? PK_TEMPLATE_DEFAULT_ATTRIBUTES
				   : PK_TEMPLATE_DEFAULT;

	if (o->template_file) {
		FILE *fp = fopen(o->template_file, "rb");
		char chunk[4096];
		size_t got;

		if (!fp)
			pk_cli_fatal(o->cli, "%s: %s", o->template_file, strerror(errno));
		while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
			if (pk_buf_append(&b, chunk, got) < 0)
				pk_cli_fatal(o->cli, "out of memory");
		if (ferror(fp))
			pk_cli_fatal(o->cli, "%s: %s", o->template_file, strerror(errno));
		fclose(fp);
		/* A file ends with a newline; the text does not (as $(cat)). */
		if (b.len && b.data[b.len - 1] == '\n')
			b.len--;
		if (b.len && b.data[b.len - 1] == '\r')
			b.len--;
	} else if (pk_buf_puts(&b, o->template_text ? o->template_text : def) < 0) {
		pk_cli_fatal(o->cli, "out of memory");
	}
	*n = b.len;
	if (pk_buf_putc(&b, '\0') < 0)
		pk_cli_fatal(o->cli, "out of memory");
	return pk_buf_take(&b);
}

/* Append the condition text for the goal v (one score, or one per
 * attribute) to r->text. */
static int render_goal(struct relabel *r, const double *v)
{
	const struct options *o = r->opt;

	if (o->nattr)
		return pk_template_render_attributes(r->tpl, o->attr, v,
						     o->nattr, &r->text);
	return pk_template_render(r->tpl, v[0], &r->text);
}

/* --goal-text SCORE: print the condition text and return the status. */
static int print_goal_text(struct relabel *r)
{
	const struct options *o = r->opt;
	double v[MAX_ATTRIBUTES];
	size_t i;

	if (o->nattr && strchr(o->goal_text, '=')) {
		/* A=S,B=S: one score per attribute, every attribute named. */
		char *copy = strdup(o->goal_text), *p, *save = NULL;
		int seen[MAX_ATTRIBUTES] = {0};

		if (!copy)
			pk_cli_fatal(r->cli, "out of memory");
		for (p = copy;; p = NULL) {
			char *item = strtok_r(p, ",", &save), *eq;

			if (!item)
				break;
			eq = strchr(item, '=');
			if (!eq)
				pk_cli_usage_error(r->cli, "--goal-text: '%s' is not ATTRIBUTE=SCORE", item);
			*eq = '\0';
			for (i = 0; i < o->nattr && strcmp(o->attr[i], item); i++)
				;
			if (i == o->nattr)
				pk_cli_usage_error(r->cli, "--goal-text: '%s' is not one of --attributes", item);
			v[i] = pk_cli_parse_double(r->cli, "--goal-text", eq + 1);
			seen[i] = 1;
		}
		free(copy);
		for (i = 0; i < o->nattr; i++)
			if (!seen[i])
				pk_cli_usage_error(r->cli, "--goal-text: no score for attribute '%s'", o->attr[i]);
	} else {
		double x = pk_cli_parse_double(r->cli, "--goal-text", o->goal_text);

		for (i = 0; i < (o->nattr ? o->nattr : 1); i++)
			v[i] = x;
	}
	for (i = 0; i < (o->nattr ? o->nattr : 1); i++)
		if (v[i] < o->min || v[i] > o->max)
			pk_cli_usage_error(r->cli, "--goal-text: '%s' is outside the scale %g:%g",
					   o->goal_text, o->min, o->max);
	pk_buf_reset(&r->text);
	if (render_goal(r, v) < 0)
		pk_cli_fatal(r->cli, "out of memory");
	fwrite(r->text.data, 1, r->text.len, stdout);
	putchar('\n');
	return pk_cli_finish(r->cli);
}

/* Read the number of field f into *x; 0, or -1 after rejecting. */
static int read_number(struct relabel *r, struct pk_field *f, double *x,
		       struct pk_value *v)
{
	struct pk_cli *cli = r->cli;
	const struct options *o = r->opt;
	struct pk_error err = {0};

	if (pk_record_score_field(&cli->rec, f, x, v, &err) < 0) {
		pk_cli_reject_error(cli, &err);
		return -1;
	}
	if (*x < o->min || *x > o->max) {
		pk_cli_reject(cli, "score field '%s': %.*s is outside the scale %g:%g",
			      f->path, v->len > 40 ? 40 : (int)v->len,
			      cli->rec.text + v->off, o->min, o->max);
		return -1;
	}
	return 0;
}

/* The goal of side s (0 chosen, 1 rejected); 0, or -1 after rejecting. */
static int read_goal(struct relabel *r, int s, struct goal *g)
{
	size_t i, n = r->opt->nattr ? r->opt->nattr : 1;

	for (i = 0; i < n; i++)
		if (read_number(r, &r->score[s][i], &g->v[i], &g->raw[i]) < 0)
			return -1;
	return 0;
}

/* Find where the condition goes in the message list of target tg: the
 * first message when it is a system message (system placement), else a
 * new system message; or the first user message (prefix placement).  A
 * prompt (whole) must be a message list throughout; in a conversation
 * with an implicit prompt only the messages up to the one changed are
 * checked.  0, or -1 after rejecting. */
static int plan_messages(struct relabel *r, int system, int whole,
			 struct target *tg)
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
		if (rc < 0) {
			if (whole)
				pk_cli_reject(r->cli, "'%s' is neither a string nor a message list (array)",
					      path);
			else
				pk_cli_reject(r->cli, "'%s' is not a message list", path);
			return -1;
		}
		n++;
		if (found || (system && n > 1))
			continue; /* only checked */
		if (pk_key_equals(v + off + role.val_off, role.val_len, want)) {
			found = 1;
			if (content.type != PK_T_STRING)
				bad = content.type;
			tg->at = off + content.val_off;
		}
		if (!whole && (found || system))
			break;
	}
	if (n == 0) {
		pk_cli_reject(r->cli, whole ? "'%s' is neither a string nor a message list (array)"
					    : "'%s' is an empty message list", path);
		return -1;
	}
	if (bad != PK_T_NONE) {
		pk_cli_reject(r->cli, "'%s': the content of the first %s message is not a string (%s)",
			      path, want, pk_type_name(bad));
		return -1;
	}
	if (found)
		return 0;
	if (system) {
		tg->new_system = 1;
		return 0;
	}
	pk_cli_reject(r->cli, "'%s' has no user message to prefix", path);
	return -1;
}

/* Is field f there, and a string or an array?  Returns the type
 * (PK_T_STRING, PK_T_ARRAY), PK_T_NONE if absent, or -1 after rejecting. */
static int text_member(struct relabel *r, struct pk_field *f,
		       struct pk_value *v)
{
	struct pk_cli *cli = r->cli;

	if (!pk_record_field(&cli->rec, f, v))
		return PK_T_NONE;
	if (v->type == PK_T_STRING || v->type == PK_T_ARRAY)
		return (int)v->type;
	pk_cli_reject(cli, "'%s' is neither a string nor a message list (%s)",
		      f->path, pk_type_name(v->type));
	return -1;
}

/* Make tg the target for field f, just found in the record: both pairs
 * build on it.  tg->text is its compact value in r->obj, as loaded.  0,
 * or -1 after an error. */
static int set_target(struct relabel *r, struct target *tg,
		      const struct pk_field *f)
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
	if (!tg->text) {
		/* pk_record_field() found it: cannot happen */
		pk_cli_error(r->cli, "%s: lost member '%s'", r->cli->input_name,
			     tg->path);
		return -1;
	}
	return 0;
}

/* Decide where the condition text goes in this record: r->tg[].
 * 0, or -1 after rejecting (or after a usage error that stops the run). */
static int plan(struct relabel *r)
{
	struct pk_cli *cli = r->cli;
	enum placement pl = r->opt->placement;
	struct pk_value pv, cv, rv;
	int pt, ct, rt;

	r->ntg = 0;
	r->implicit = 0;
	/* The responses are only read when they hold the prompt. */
	if ((ct = text_member(r, &r->chosen, &cv)) < 0 ||
	    (rt = text_member(r, &r->rejected, &rv)) < 0)
		return -1;
	if (ct == PK_T_NONE || rt == PK_T_NONE) {
		pk_cli_reject(cli, "missing field '%s'",
			      ct == PK_T_NONE ? cli->chosen_field : cli->rejected_field);
		return -1;
	}
	if (pl == PLACE_FIELD)
		return 0;
	if ((pt = text_member(r, &r->prompt, &pv)) < 0)
		return -1;
	if (pt == PK_T_STRING) {
		if (pl == PLACE_SYSTEM) {
			pk_cli_error(cli, "%s:%llu: --placement=system needs a message-list prompt, but '%s' is a string (use --placement=prefix or auto)",
				     cli->input_name, cli->line.lineno,
				     cli->prompt_field);
			return -1;
		}
		r->ntg = 1;
		return set_target(r, &r->tg[0], &r->prompt);
	}
	if (pt == PK_T_ARRAY) {
		if (set_target(r, &r->tg[0], &r->prompt) < 0 ||
		    plan_messages(r, pl != PLACE_PREFIX, 1, &r->tg[0]) < 0)
			return -1;
		r->ntg = 1;
		return 0;
	}
	/* No prompt: chosen and rejected must be whole conversations
	 * (plan_messages() checks the messages it passes). */
	if (ct != PK_T_ARRAY || rt != PK_T_ARRAY) {
		pk_cli_reject(cli, "missing field '%s' (and '%s' is not a message list with an implicit prompt)",
			      cli->prompt_field,
			      ct != PK_T_ARRAY ? cli->chosen_field : cli->rejected_field);
		return -1;
	}
	if (set_target(r, &r->tg[0], &r->chosen) < 0 ||
	    set_target(r, &r->tg[1], &r->rejected) < 0 ||
	    plan_messages(r, pl != PLACE_PREFIX, 0, &r->tg[0]) < 0 ||
	    plan_messages(r, pl != PLACE_PREFIX, 0, &r->tg[1]) < 0)
		return -1;
	r->ntg = 2;
	r->implicit = 1;
	return 0;
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
 * member slot d (pair 2 of an implicit prompt moved it).  0, or -1 when
 * out of memory. */
static int put_condition(struct relabel *r, const struct target *tg,
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
			return -1;
		v = pk_obj_value(obj, at, &len, NULL);
		pk_obj_commit_at(obj, at, splice_condition(room, tg, v, len, cond));
		return 0;
	}
	if (!pk_obj_get(obj, r->tg[d].path, &v, &len, NULL))
		return -1; /* cannot happen: the member was planned */
	pk_buf_reset(&r->value);
	if (pk_buf_reserve(&r->value, splice_room(len, cond)) < 0)
		return -1;
	r->value.len = splice_condition(r->value.data, tg, v, len, cond);
	return pk_obj_set_compact(obj, r->tg[d].path, r->value.data,
				  r->value.len);
}

/* The condition text for goal g as a JSON string literal, or NULL when
 * out of memory.  Single scores are usually few (a 1-10 scale in halves
 * has 19), so their texts are kept in a small direct-mapped cache. */
static const struct pk_buf *condition(struct relabel *r, const struct goal *g)
{
	const struct options *o = r->opt;
	struct pk_buf *q = &r->quoted;
	struct cached *c = NULL;
	uint64_t bits;

	if (!o->nattr) {
		memcpy(&bits, &g->v[0], sizeof bits);
		c = &r->cache[(bits * 0x9e3779b97f4a7c15u) >> (64 - CACHE_BITS)];
		if (c->used && memcmp(&c->goal, &g->v[0], sizeof bits) == 0)
			return &c->quoted;
		q = &c->quoted;
	}
	pk_buf_reset(&r->text);
	pk_buf_reset(q);
	if (render_goal(r, g->v) < 0 ||
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
static long slot(struct relabel *r, struct pk_field *f,
		 const struct pk_buf *qkey)
{
	struct pk_value v;

	/* r->obj has the record's members in the same order, and more only
	 * after this */
	if (pk_record_field(&r->cli->rec, f, &v))
		return (long)f->hint;
	if (pk_obj_append_compact(r->obj, qkey->data, qkey->len, "null", 4) < 0)
		return -1;
	return (long)pk_obj_count(r->obj) - 1;
}

/* Find or make the members emit_pair() sets; 0, or -1 when out of
 * memory. */
static int place_slots(struct relabel *r)
{
	size_t i;

	r->field_at = r->goal_at = r->tg_at[0] = r->tg_at[1] = -1;
	if (r->by_path)
		return 0;
	if (r->opt->placement == PLACE_FIELD &&
	    (r->field_at = slot(r, &r->field, &r->field_key)) < 0)
		return -1;
	for (i = 0; i < r->ntg; i++)
		r->tg_at[i] = r->tg[i].member; /* not dotted: not by_path */
	if (r->field_at >= 0 && strcmp(r->field.path, r->goal.path) == 0) {
		r->goal_at = r->field_at; /* --placement field=goal_score */
	} else {
		struct pk_value v;

		/* absent (as it mostly is): appended by each pair */
		if (pk_record_field(&r->cli->rec, &r->goal, &v))
			r->goal_at = (long)r->goal.hint;
	}
	return 0;
}

static int set_slot(struct relabel *r, long at, const char *path,
		    const char *raw, size_t n)
{
	if (at >= 0)
		return pk_obj_set_compact_at(r->obj, (size_t)at, raw, n);
	return pk_obj_set_compact(r->obj, path, raw, n);
}

/* Write the pair in r->obj with goal_score (goal_scores) set to raw: a
 * member the record does not have is added as the writer goes.  0, or -1
 * after an error. */
static int emit_with_goal(struct relabel *r, const char *raw, size_t n)
{
	struct pk_buf *t = &r->tail;

	if (r->goal_at >= 0 || r->by_path) {
		if (set_slot(r, r->goal_at, r->goal.path, raw, n) < 0)
			goto nomem;
		return pk_cli_emit_obj(r->cli, r->obj);
	}
	pk_buf_reset(t);
	if (pk_buf_append(t, r->goal_key.data, r->goal_key.len) < 0 ||
	    pk_buf_putc(t, ':') < 0 || pk_buf_append(t, raw, n) < 0)
		goto nomem;
	return pk_cli_emit_obj_with(r->cli, r->obj, t->data, t->len);
nomem:
	pk_cli_error(r->cli, "out of memory");
	return -1;
}

/* Write the pair conditioned on goal g; swapped: pair 2. */
static int emit_pair(struct relabel *r, const struct goal *g, int swapped)
{
	struct pk_obj *obj = r->obj;
	struct pk_cli *cli = r->cli;
	const struct options *o = r->opt;
	const char *text = cli->rec.text;
	const struct pk_buf *cond = condition(r, g);
	size_t i;

	if (!cond || (swapped && pk_obj_swap_sides(obj, r->swap_names) < 0))
		goto nomem;
	if (o->placement == PLACE_FIELD &&
	    set_slot(r, r->field_at, o->field, cond->data, cond->len) < 0)
		goto nomem;
	for (i = 0; i < r->ntg; i++)
		/* With an implicit prompt, pair 2's chosen is the old
		 * rejected: the swap moved it to the other member. */
		if (put_condition(r, &r->tg[i], swapped && r->implicit ? 1 - i : i,
				  cond) < 0)
			goto nomem;
	if (o->nattr) {
		pk_buf_reset(&r->goals);
		for (i = 0; i < o->nattr; i++)
			if (pk_buf_putc(&r->goals, i ? ',' : '{') < 0 ||
			    pk_buf_append(&r->goals, r->attr_key[i].data,
					  r->attr_key[i].len) < 0 ||
			    pk_buf_putc(&r->goals, ':') < 0 ||
			    pk_buf_append(&r->goals, text + g->raw[i].off,
					  g->raw[i].len) < 0)
				goto nomem;
		if (pk_buf_putc(&r->goals, '}') < 0)
			goto nomem;
		return emit_with_goal(r, r->goals.data, r->goals.len);
	}
	return emit_with_goal(r, text + g->raw[0].off, g->raw[0].len);
nomem:
	pk_cli_error(cli, "out of memory");
	return -1;
}

static void relabel_record(struct relabel *r)
{
	struct pk_cli *cli = r->cli;
	const struct options *o = r->opt;
	struct goal g[2];
	size_t n = o->nattr ? o->nattr : 1, i;
	int tie = 1;

	if (read_goal(r, 0, &g[0]) < 0 || read_goal(r, 1, &g[1]) < 0)
		return;
	/* The record is compacted once, for planning and both pairs. */
	if (pk_obj_load_record_compact(r->obj, &cli->rec) < 0) {
		pk_cli_error(cli, "out of memory");
		return;
	}
	if (plan(r) < 0)
		return;
	for (i = 0; i < n; i++)
		if (g[0].v[i] != g[1].v[i])
			tie = 0;
	if (tie) {
		pk_cli_count(cli, "ties", 1);
		if (o->ties == TIES_DROP) {
			pk_cli_count(cli, "dropped_ties", 1);
			return;
		}
	}
	if (o->keep_original && pk_cli_emit_record(cli) < 0)
		return;
	if (place_slots(r) < 0 || pk_obj_checkpoint(r->obj) < 0) {
		pk_cli_error(cli, "out of memory");
		return;
	}
	if (emit_pair(r, &g[0], 0) < 0)
		return;
	pk_obj_rollback(r->obj);
	if (!(tie && o->ties == TIES_FIRST) && emit_pair(r, &g[1], 1) < 0)
		return;
	pk_cli_count(cli, "relabeled", 1);
}

/* Field names and attribute paths for the record loop. */
static void setup(struct relabel *r)
{
	struct pk_cli *cli = r->cli;
	const struct options *o = r->opt;
	size_t s, i;

	r->score_field[0] = cli->score_chosen_field;
	r->score_field[1] = cli->score_rejected_field;
	if (o->nattr) {
		/* The score objects; the plain defaults name single scores. */
		if (strcmp(r->score_field[0], "score_chosen") == 0)
			r->score_field[0] = "scores_chosen";
		if (strcmp(r->score_field[1], "score_rejected") == 0)
			r->score_field[1] = "scores_rejected";
	}
	for (s = 0; s < 2; s++)
		for (i = 0; i < o->nattr; i++) {
			struct pk_buf b = PK_BUF_INIT;

			if (pk_buf_printf(&b, "%s.%s", r->score_field[s], o->attr[i]) < 0)
				pk_cli_fatal(cli, "out of memory");
			r->attr_path[s][i] = pk_buf_take(&b);
		}
	for (i = 0; i < o->nattr; i++)
		if (pk_json_quote(&r->attr_key[i], o->attr[i], strlen(o->attr[i])) < 0)
			pk_cli_fatal(cli, "out of memory");
	for (s = 0; s < 2; s++)
		for (i = 0; i < (o->nattr ? o->nattr : 1); i++)
			pk_field_init(&r->score[s][i], o->nattr ? r->attr_path[s][i]
								: r->score_field[s]);
	pk_field_init(&r->prompt, cli->prompt_field);
	pk_field_init(&r->field, o->placement == PLACE_FIELD ? o->field : "");
	pk_field_init(&r->goal, o->nattr ? "goal_scores" : "goal_score");
	pk_field_init(&r->chosen, cli->chosen_field);
	pk_field_init(&r->rejected, cli->rejected_field);
	r->swap[0] = cli->chosen_field;
	r->swap[1] = cli->rejected_field;
	r->swap[2] = r->score_field[0];
	r->swap[3] = r->score_field[1];
	r->swap[4] = NULL;
	r->swap_names = pk_sides_are_partners(r->swap) ? NULL : r->swap;
	if ((o->placement == PLACE_FIELD &&
	     pk_json_quote(&r->field_key, o->field, strlen(o->field)) < 0) ||
	    pk_json_quote(&r->goal_key, o->nattr ? "goal_scores" : "goal_score",
			  o->nattr ? 11 : 10) < 0)
		pk_cli_fatal(cli, "out of memory");
	/* In-place slots need top-level names and a swap that moves no
	 * member (explicit pairs may delete one). */
	r->by_path = r->swap_names || strchr(cli->prompt_field, '.') ||
		     strchr(cli->chosen_field, '.') ||
		     strchr(cli->rejected_field, '.') ||
		     (o->placement == PLACE_FIELD && strchr(o->field, '.'));
	r->obj = pk_obj_new();
	if (!r->obj)
		pk_cli_fatal(cli, "out of memory");
}

static void cleanup(struct relabel *r, struct options *o)
{
	size_t s, i;

	for (s = 0; s < 2; s++)
		for (i = 0; i < o->nattr; i++)
			free(r->attr_path[s][i]);
	for (i = 0; i < o->nattr; i++)
		pk_buf_free(&r->attr_key[i]);
	pk_obj_free(r->obj);
	pk_buf_free(&r->value);
	pk_buf_free(&r->tail);
	pk_buf_free(&r->field_key);
	pk_buf_free(&r->goal_key);
	pk_template_free(r->tpl);
	pk_buf_free(&r->text);
	pk_buf_free(&r->quoted);
	pk_buf_free(&r->goals);
	for (i = 0; i < CACHE_SIZE; i++)
		pk_buf_free(&r->cache[i].quoted);
	free(o->attributes);
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct relabel r = {0};
	struct pk_error err = {0};
	char *src;
	size_t srclen;
	int status;

	pk_cli_init(&cli, "pref-relabel", PK_CLI_FIELDS);
	opt.cli = &cli;
	opt.min = 1;
	opt.max = 10;
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);
	if (opt.template_text && opt.template_file)
		pk_cli_usage_error(&cli, "--template and --template-file exclude each other");
	src = template_source(&opt, &srclen);
	r.tpl = pk_template_new(src, srclen, opt.min, opt.max, &err);
	free(src);
	if (!r.tpl) {
		if (err.kind == PK_ERR_NOMEM)
			pk_cli_fatal(&cli, "%s", err.text);
		pk_cli_usage_error(&cli, "%s%s%s", opt.template_file ? opt.template_file : "",
				   opt.template_file ? ": " : "", err.text);
	}
	r.cli = &cli;
	r.opt = &opt;
	setup(&r);
	if (opt.goal_text) {
		status = print_goal_text(&r);
		goto out;
	}
	pk_cli_count(&cli, "relabeled", 0);
	pk_cli_count(&cli, "ties", 0);
	pk_cli_count(&cli, "dropped_ties", 0);
	if (pk_cli_open_output(&cli) == 0)
		while (pk_cli_next(&cli))
			relabel_record(&r);
	status = pk_cli_finish(&cli);
out:
	cleanup(&r, &opt);
	return status;
}
