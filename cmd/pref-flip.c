/* SPDX-License-Identifier: MIT */
/*
 * pref-flip - factuality-aware flipping (SPEC 3.5; F-DPO, "Reducing
 * Hallucinations in LLMs via Factuality-Aware Preference Learning").  A
 * pair whose chosen response is hallucinated and whose rejected one is
 * factual, (h_w, h_l) = (1, 0), has chosen and rejected swapped with every
 * paired field; every pair gets "delta_h" (and "margin" with --lambda).
 * With --by score, pairs whose chosen score is below the rejected score
 * are flipped instead.  Only the members that change are rebuilt.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefkit.h"
#include "cli.h"

struct options {
	struct pk_cli *cli;
	struct pk_flip_opts f;
	char *label_field[2];      /* --label-fields A,B */
	int labels_set;
};

enum {
	OPT_BY = CHAR_MAX + 1,
	OPT_DROP_BOTH,
	OPT_DROP_FLIPPED,
	OPT_LABEL_FIELDS,
	OPT_LABELS,
	OPT_LAMBDA,
};

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"by", required_argument, NULL, OPT_BY},
	{"drop-both-hallucinated", no_argument, NULL, OPT_DROP_BOTH},
	{"drop-flipped", no_argument, NULL, OPT_DROP_FLIPPED},
	{"label-fields", required_argument, NULL, OPT_LABEL_FIELDS},
	{"labels", required_argument, NULL, OPT_LABELS},
	{"lambda", required_argument, NULL, OPT_LAMBDA},
	{NULL, 0, NULL, 0},
};

/* --by in the order of enum pk_flip_by; --labels: factual is 1 */
static const char *const by_names[] = {"labels", "score", NULL};
static const char *const sense_names[] = {"hallucinated", "factual", NULL};

static const char help[] =
	"Usage: pref-flip [OPTION]... [FILE]...\n"
	"Factuality-aware flipping (F-DPO): a pair whose chosen response is\n"
	"hallucinated and whose rejected one is factual, (h_w, h_l) = (1, 0), has\n"
	"chosen and rejected swapped with every paired field and \"flipped\": true;\n"
	"every pair gets \"delta_h\" = h_l - h_w.\n"
	"\n"
	"Options:\n"
	"      --labels=SENSE       hallucinated (default: 1 = hallucinated) or\n"
	"                           factual (1 = factual)\n"
	"      --label-fields=A,B   the labels of chosen and rejected (default h_w,h_l)\n"
	"      --lambda=L           also write \"margin\" = L * delta_h\n"
	"      --drop-flipped       drop (1,0) pairs instead of flipping them\n"
	"      --drop-both-hallucinated  drop (1,1) pairs\n"
	"      --by=KEY             labels (default), or score: flip pairs whose\n"
	"                           chosen score is below the rejected score\n";

static void parse_label_fields(struct options *o, const char *arg)
{
	const char *comma = strchr(arg, ',');

	if (!comma || comma == arg || !comma[1] || strchr(comma + 1, ','))
		pk_cli_usage_error(o->cli, "--label-fields: invalid value '%s' (two names: CHOSEN,REJECTED)", arg);
	free(o->label_field[0]);
	free(o->label_field[1]);
	o->label_field[0] = strndup(arg, (size_t)(comma - arg));
	o->label_field[1] = strdup(comma + 1);
	if (!o->label_field[0] || !o->label_field[1])
		pk_cli_fatal(o->cli, "out of memory");
	if (strcmp(o->label_field[0], o->label_field[1]) == 0)
		pk_cli_usage_error(o->cli, "--label-fields: the two names are the same in '%s'", arg);
}

static int handle_opt(void *ctx, int opt, const char *arg)
{
	struct options *o = ctx;

	switch (opt) {
	case OPT_BY:
		o->f.by = PK_FLIP_BY_LABELS + pk_cli_parse_choice(o->cli, "--by", arg, by_names);
		break;
	case OPT_DROP_BOTH:
		o->f.drop_both = 1;
		break;
	case OPT_DROP_FLIPPED:
		o->f.drop_flipped = 1;
		break;
	case OPT_LABEL_FIELDS:
		parse_label_fields(o, arg);
		o->labels_set = 1;
		break;
	case OPT_LABELS:
		o->f.factual = pk_cli_parse_choice(o->cli, "--labels", arg, sense_names);
		o->labels_set = 1;
		break;
	case OPT_LAMBDA:
		o->f.lambda = pk_cli_parse_double(o->cli, "--lambda", arg);
		o->f.has_lambda = 1;
		break;
	default:
		return -1;
	}
	return 0;
}

/* The engine's operation: one pk_flip per worker. */
static void *flip_start(void *ctx, struct pk_error *err)
{
	return pk_flip_new(ctx, err);
}

static int flip_record(void *f, const struct pk_record *rec,
		       unsigned long long pos, const struct pk_sink *out,
		       struct pk_error *err)
{
	(void)pos;
	return pk_flip_record(f, rec, out, err);
}

static const char *flip_counter(void *f, size_t i, unsigned long long *v)
{
	return pk_flip_counter(f, i, v);
}

static void flip_stop(void *f)
{
	pk_flip_free(f);
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct pk_flip *f;
	struct pk_error err = {0};
	struct pk_cli_op op = {
		.ctx = &opt.f, .start = flip_start, .record = flip_record,
		.counter = flip_counter, .stop = flip_stop, .parallel = 1,
	};
	int status;

	pk_cli_init(&cli, "pref-flip", PK_CLI_FIELDS | PK_CLI_THREADS);
	cli.help = help;
	opt.cli = &cli;
	pk_flip_opts_init(&opt.f);
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, NULL);
	if (opt.f.by == PK_FLIP_BY_SCORE) {
		if (opt.labels_set)
			pk_cli_usage_error(&cli, "--labels and --label-fields do not go with --by=score");
		if (opt.f.has_lambda)
			pk_cli_usage_error(&cli, "--lambda needs labels (not --by=score)");
		if (opt.f.drop_both)
			pk_cli_usage_error(&cli, "--drop-both-hallucinated needs labels (not --by=score)");
	}
	opt.f.chosen_field = cli.chosen_field;
	opt.f.rejected_field = cli.rejected_field;
	opt.f.score_chosen_field = cli.score_chosen_field;
	opt.f.score_rejected_field = cli.score_rejected_field;
	opt.f.label_fields[0] = opt.label_field[0];
	opt.f.label_fields[1] = opt.label_field[1];
	/* the options are checked once, before any worker starts */
	if (!(f = pk_flip_new(&opt.f, &err)))
		pk_cli_fatal(&cli, "%s", err.text);
	pk_flip_free(f);
	pk_cli_run(&cli, &op);
	status = pk_cli_finish(&cli);
	free(opt.label_field[0]);
	free(opt.label_field[1]);
	return status;
}
