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

enum by { BY_LABELS, BY_SCORE };

struct options {
	struct pk_cli *cli;
	enum by by;
	int factual;               /* --labels factual: 1 = factual */
	int labels_set;
	char *label_field[2];      /* --label-fields A,B */
	int has_lambda;
	double lambda;
	int drop_flipped;
	int drop_both;
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

/* The --stats counters of the label buckets (h_w, h_l). */
static const char *const bucket_name[2][2] = {
	{"h_00", "h_01"},
	{"h_10", "h_11"},
};

static void usage(FILE *fp, int status)
{
	struct pk_cli help = {.groups = PK_CLI_FIELDS};

	fputs("Usage: pref-flip [OPTION]... [FILE]...\n"
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
	      "                           chosen score is below the rejected score\n",
	      fp);
	pk_cli_common_help(&help, fp);
	(void)status;
}

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
		if (strcmp(arg, "labels") == 0)
			o->by = BY_LABELS;
		else if (strcmp(arg, "score") == 0)
			o->by = BY_SCORE;
		else
			pk_cli_usage_error(o->cli, "--by: invalid value '%s' (labels or score)", arg);
		break;
	case OPT_DROP_BOTH:
		o->drop_both = 1;
		break;
	case OPT_DROP_FLIPPED:
		o->drop_flipped = 1;
		break;
	case OPT_LABEL_FIELDS:
		parse_label_fields(o, arg);
		o->labels_set = 1;
		break;
	case OPT_LABELS:
		if (strcmp(arg, "hallucinated") == 0)
			o->factual = 0;
		else if (strcmp(arg, "factual") == 0)
			o->factual = 1;
		else
			pk_cli_usage_error(o->cli, "--labels: invalid value '%s' (hallucinated or factual)", arg);
		o->labels_set = 1;
		break;
	case OPT_LAMBDA:
		o->lambda = pk_cli_parse_double(o->cli, "--lambda", arg);
		o->has_lambda = 1;
		break;
	default:
		return -1;
	}
	return 0;
}

/* Read the 0/1 label at path as "hallucinated" (1) or not; 0, or -1
 * after rejecting the record. */
static int read_label(struct pk_cli *cli, const struct options *o,
		      const char *path, int *h)
{
	struct pk_value v;
	double x;

	if (!pk_record_path(&cli->rec, path, &v)) {
		pk_cli_reject(cli, "missing label field '%s'", path);
		return -1;
	}
	switch (v.type) {
	case PK_T_TRUE:
		*h = 1;
		break;
	case PK_T_FALSE:
		*h = 0;
		break;
	case PK_T_NUMBER:
		if (pk_parse_number(cli->rec.text + v.off, v.len, &x) == 0 &&
		    (x == 0 || x == 1)) {
			*h = x == 1;
			break;
		}
		pk_cli_reject(cli, "label field '%s' is %.*s, not 0 or 1", path,
			      v.len > 40 ? 40 : (int)v.len, cli->rec.text + v.off);
		return -1;
	default:
		pk_cli_reject(cli, "label field '%s' is not 0 or 1 (%s)", path,
			      pk_type_name(v.type));
		return -1;
	}
	if (o->factual)
		*h = !*h;
	return 0;
}

/* Decide one record: 1 flip, 0 keep, -1 drop or rejected.  *delta gets
 * delta_h after the decision (labels only). */
static int decide(struct pk_cli *cli, const struct options *o, int *delta)
{
	int hw, hl;

	if (o->by == BY_SCORE) {
		double sc, sr;

		struct pk_error err = {0};

		if (pk_record_score(&cli->rec, cli->score_chosen_field, &sc,
				    NULL, &err) < 0 ||
		    pk_record_score(&cli->rec, cli->score_rejected_field, &sr,
				    NULL, &err) < 0) {
			pk_cli_reject_error(cli, &err);
			return -1;
		}
		if (!(sc < sr))
			return 0;
		if (o->drop_flipped) {
			pk_cli_count(cli, "dropped_flipped", 1);
			return -1;
		}
		return 1;
	}
	if (read_label(cli, o, o->label_field[0], &hw) < 0 ||
	    read_label(cli, o, o->label_field[1], &hl) < 0)
		return -1;
	pk_cli_count(cli, bucket_name[hw][hl], 1);
	if (hw && !hl) {
		if (o->drop_flipped) {
			pk_cli_count(cli, "dropped_flipped", 1);
			return -1;
		}
		*delta = 1; /* afterwards (h_w, h_l) = (0, 1) */
		return 1;
	}
	if (hw && hl && o->drop_both) {
		pk_cli_count(cli, "dropped_both_hallucinated", 1);
		return -1;
	}
	*delta = hl - hw;
	return 0;
}

static void flip_record(struct pk_cli *cli, const struct options *o,
			struct pk_obj *obj, const char *const *swap)
{
	int delta = 0, flip;
	const char *missing = NULL;
	struct pk_value v;

	if (!pk_record_path(&cli->rec, cli->chosen_field, &v))
		missing = cli->chosen_field;
	else if (!pk_record_path(&cli->rec, cli->rejected_field, &v))
		missing = cli->rejected_field;
	if (missing) {
		pk_cli_reject(cli, "missing field '%s'", missing);
		return;
	}
	flip = decide(cli, o, &delta);
	if (flip < 0)
		return;
	if (pk_obj_load_record(obj, &cli->rec) < 0)
		goto nomem;
	if (flip) {
		if (pk_obj_swap_sides(obj, swap) < 0 ||
		    pk_obj_set_bool(obj, "flipped", 1) < 0)
			goto nomem;
	} else if (pk_obj_find(obj, "flipped") < 0 &&
		   pk_obj_set_bool(obj, "flipped", 0) < 0) {
		goto nomem;
	}
	if (o->by == BY_LABELS) {
		if (pk_obj_set_raw(obj, "delta_h", delta ? "1" : "0", 1) < 0 ||
		    (o->has_lambda &&
		     pk_obj_set_number(obj, "margin", delta ? o->lambda : 0) < 0))
			goto nomem;
	}
	if (pk_cli_emit_obj(cli, obj) == 0)
		pk_cli_count(cli, flip ? "flipped" : "unchanged", 1);
	return;
nomem:
	pk_cli_error(cli, "out of memory");
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct pk_obj *obj;
	const char *swap[7];
	const char *const *sides;
	int status;

	pk_cli_init(&cli, "pref-flip", PK_CLI_FIELDS);
	opt.cli = &cli;
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);
	if (opt.by == BY_SCORE) {
		if (opt.labels_set)
			pk_cli_usage_error(&cli, "--labels and --label-fields do not go with --by=score");
		if (opt.has_lambda)
			pk_cli_usage_error(&cli, "--lambda needs labels (not --by=score)");
		if (opt.drop_both)
			pk_cli_usage_error(&cli, "--drop-both-hallucinated needs labels (not --by=score)");
	}
	if (!opt.label_field[0]) {
		opt.label_field[0] = strdup("h_w");
		opt.label_field[1] = strdup("h_l");
		if (!opt.label_field[0] || !opt.label_field[1])
			pk_cli_fatal(&cli, "out of memory");
	}
	obj = pk_obj_new();
	if (!obj)
		pk_cli_fatal(&cli, "out of memory");
	swap[0] = cli.chosen_field;
	swap[1] = cli.rejected_field;
	swap[2] = cli.score_chosen_field;
	swap[3] = cli.score_rejected_field;
	swap[4] = opt.by == BY_LABELS ? opt.label_field[0] : NULL;
	swap[5] = opt.label_field[1];
	swap[6] = NULL;

	if (opt.by == BY_LABELS) {
		pk_cli_count(&cli, "h_00", 0);
		pk_cli_count(&cli, "h_01", 0);
		pk_cli_count(&cli, "h_10", 0);
		pk_cli_count(&cli, "h_11", 0);
	}
	pk_cli_count(&cli, "flipped", 0);
	pk_cli_count(&cli, "unchanged", 0);
	pk_cli_count(&cli, "dropped_flipped", 0);
	if (opt.by == BY_LABELS)
		pk_cli_count(&cli, "dropped_both_hallucinated", 0);
	/* pairs that are partners need no explicit swap */
	sides = pk_sides_are_partners(swap) ? NULL : swap;
	if (pk_cli_open_output(&cli) == 0)
		while (pk_cli_next(&cli))
			flip_record(&cli, &opt, obj, sides);
	status = pk_cli_finish(&cli);
	pk_obj_free(obj);
	free(opt.label_field[0]);
	free(opt.label_field[1]);
	return status;
}
