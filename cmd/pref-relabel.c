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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefkit.h"
#include "cli.h"

#define MAX_ATTRIBUTES PK_RELABEL_MAX_ATTRIBUTES

struct options {
	struct pk_cli *cli;
	struct pk_relabel_opts r;  /* what pk_relabel_new() takes */
	const char *template_file;
	char *attributes;          /* --attributes, split in place */
	const char *attr[MAX_ATTRIBUTES];
	const char *goal_text;
};

enum {
	OPT_ATTRIBUTES = CHAR_MAX + 1,
	OPT_GOAL_TEXT,
	OPT_KEEP_ORIGINAL,
	OPT_PLACEMENT,
	OPT_ROUND,
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
	{"round", required_argument, NULL, OPT_ROUND},
	{"scale", required_argument, NULL, OPT_SCALE},
	{"template", required_argument, NULL, OPT_TEMPLATE},
	{"template-file", required_argument, NULL, OPT_TEMPLATE_FILE},
	{"ties", required_argument, NULL, OPT_TIES},
	{NULL, 0, NULL, 0},
};

/* --ties, in the order of enum pk_relabel_ties */
static const char *const ties_names[] = {"keep", "drop", "first", NULL};

static const char help[] =
	"Usage: pref-relabel [OPTION]... [FILE]...\n"
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
	"      --round=N            goals rounded half to even to N decimals\n"
	"                           (0-17), trailing zeros removed\n"
	"      --scale=MIN:MAX      score scale (default 1:10): {min}, {max}, and a\n"
	"                           score outside it is a bad record\n"
	"      --ties=MODE          pairs with equal scores: keep (default, both\n"
	"                           pairs), drop (nothing written) or first (pair 1)\n"
	"      --keep-original      also write each input pair, unchanged, first\n"
	"      --attributes=A,B,... multi-attribute goals from the objects\n"
	"                           scores_chosen / scores_rejected; writes goal_scores\n"
	"      --goal-text=SCORE    print the condition text for SCORE and exit\n"
	"                           (with --attributes: one SCORE for all, or A=S,B=S)\n";

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
	o->r.min = a;
	o->r.max = b;
}

static void parse_attributes(struct options *o, const char *arg)
{
	char *p, *save = NULL;
	size_t i;

	free(o->attributes);
	o->attributes = strdup(arg);
	if (!o->attributes)
		pk_cli_fatal(o->cli, "out of memory");
	o->r.nattributes = 0;
	for (p = o->attributes;; p = NULL) {
		char *name = strtok_r(p, ",", &save);

		if (!name)
			break;
		if (o->r.nattributes == MAX_ATTRIBUTES)
			pk_cli_usage_error(o->cli, "--attributes: more than %d names", MAX_ATTRIBUTES);
		if (strchr(name, '.'))
			pk_cli_usage_error(o->cli, "--attributes: '%s': a name, not a path", name);
		for (i = 0; i < o->r.nattributes; i++)
			if (strcmp(o->attr[i], name) == 0)
				pk_cli_usage_error(o->cli, "--attributes: '%s' given twice", name);
		o->attr[o->r.nattributes++] = name;
	}
	o->r.attributes = o->attr;
	if (o->r.nattributes == 0)
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
		o->r.keep_original = 1;
		break;
	case OPT_PLACEMENT:
		if (strcmp(arg, "auto") == 0)
			o->r.placement = PK_PLACE_AUTO;
		else if (strcmp(arg, "system") == 0)
			o->r.placement = PK_PLACE_SYSTEM;
		else if (strcmp(arg, "prefix") == 0)
			o->r.placement = PK_PLACE_PREFIX;
		else if (strncmp(arg, "field=", 6) == 0 && arg[6]) {
			o->r.placement = PK_PLACE_FIELD;
			o->r.field = arg + 6;
		} else
			pk_cli_usage_error(o->cli, "--placement: invalid value '%s' (auto, system, prefix or field=NAME)", arg);
		break;
	case OPT_ROUND:
		o->r.round = (int)pk_cli_parse_int(o->cli, "--round", arg, 0,
						   PK_ROUND_MAX_DECIMALS);
		break;
	case OPT_SCALE:
		parse_scale(o, arg);
		break;
	case OPT_TEMPLATE:
		o->r.template_text = arg;
		break;
	case OPT_TEMPLATE_FILE:
		o->template_file = arg;
		break;
	case OPT_TIES:
		o->r.ties = PK_TIES_KEEP + pk_cli_parse_choice(o->cli, "--ties", arg, ties_names);
		break;
	default:
		return -1;
	}
	return 0;
}

/* The text of --template-file, one final newline dropped as $(cat)
 * would; *n gets its length.  Caller frees. */
static char *template_file(const struct options *o, size_t *n)
{
	char *t = pk_cli_read_file(o->cli, o->template_file, n);

	if (*n && t[*n - 1] == '\n')
		t[--*n] = '\0';
	if (*n && t[*n - 1] == '\r')
		t[--*n] = '\0';
	return t;
}

/* --goal-text: print the condition text and return the status. */
static int print_goal_text(struct pk_cli *cli, const struct options *o,
			   struct pk_relabel *r)
{
	struct pk_buf text = PK_BUF_INIT;
	struct pk_error err = {0};

	if (pk_relabel_goal_text(r, o->goal_text, &text, &err) != PK_OK) {
		if (err.kind == PK_ERR_USAGE)
			pk_cli_usage_error(cli, "--goal-text: %s", err.text);
		pk_cli_fatal(cli, "%s", err.text);
	}
	fwrite(text.data, 1, text.len, stdout);
	putchar('\n');
	pk_buf_free(&text);
	return pk_cli_finish(cli);
}

/* The engine's operation: one pk_relabel per worker. */
static void *relabel_start(void *ctx, struct pk_error *err)
{
	return pk_relabel_new(ctx, err);
}

static int relabel_record(void *r, const struct pk_record *rec,
			  unsigned long long pos, const struct pk_sink *out,
			  struct pk_error *err)
{
	int rc = pk_relabel_record(r, rec, out, err);

	(void)pos;
	/* a template that cannot place the goal in this record: an error
	 * of the run, reported at the record (FILE:LINE) */
	if (rc < 0 && err->kind == PK_ERR_USAGE)
		err->kind = PK_ERR_IO;
	return rc;
}

static const char *relabel_counter(void *r, size_t i, unsigned long long *v)
{
	return pk_relabel_counter(r, i, v);
}

static void relabel_stop(void *r)
{
	pk_relabel_free(r);
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct pk_relabel *r;
	struct pk_error err = {0};
	struct pk_cli_op op = {
		.ctx = &opt.r, .start = relabel_start, .record = relabel_record,
		.counter = relabel_counter, .stop = relabel_stop, .parallel = 1,
	};
	char *src = NULL;
	int status;

	pk_cli_init(&cli, "pref-relabel", PK_CLI_FIELDS | PK_CLI_THREADS);
	cli.help = help;
	opt.cli = &cli;
	pk_relabel_opts_init(&opt.r);
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, NULL);
	if (opt.r.template_text && opt.template_file)
		pk_cli_usage_error(&cli, "--template and --template-file exclude each other");
	if (opt.template_file)
		opt.r.template_text = src = template_file(&opt, &opt.r.template_len);
	else if (opt.r.template_text)
		opt.r.template_len = strlen(opt.r.template_text);
	opt.r.prompt_field = cli.prompt_field;
	opt.r.chosen_field = cli.chosen_field;
	opt.r.rejected_field = cli.rejected_field;
	opt.r.score_chosen_field = cli.score_chosen_field;
	opt.r.score_rejected_field = cli.score_rejected_field;
	/* the options are checked once, before any worker starts */
	if (!(r = pk_relabel_new(&opt.r, &err))) {
		if (err.kind == PK_ERR_NOMEM)
			pk_cli_fatal(&cli, "%s", err.text);
		pk_cli_usage_error(&cli, "%s%s%s", opt.template_file ? opt.template_file : "",
				   opt.template_file ? ": " : "", err.text);
	}
	if (opt.goal_text) {
		status = print_goal_text(&cli, &opt, r);
	} else {
		pk_cli_run(&cli, &op);
		status = pk_cli_finish(&cli);
	}
	pk_relabel_free(r);
	free(src);
	free(opt.attributes);
	return status;
}
