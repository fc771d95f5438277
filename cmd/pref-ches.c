/* SPDX-License-Identifier: MIT */
/*
 * pref-ches - CHES similarity of the two responses of each pair (SPEC
 * 3.4; Razin et al. 2024, likelihood displacement): annotate every pair
 * with "ches" and "ln_ches" (and "edit_sim"), keep the pairs at or below
 * a value, or keep the least similar fraction (two passes: files are read
 * again, standard input is spooled).  Embeddings are the responses'
 * tokens (lexical), or given inline or in .npy / safetensors side files.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefkit.h"
#include "cli.h"

enum mode { ANNOTATE, MAX, DROP_TOP, KEEP_BOTTOM };

struct options {
	struct pk_cli *cli;
	struct pk_ches_opts ches;
	char *files;           /* the copy that ches.files points into */
	enum mode mode;
	double value;          /* --max VALUE */
	uint64_t num, den;     /* the fraction, exactly */
};

enum {
	OPT_DROP_TOP = CHAR_MAX + 1,
	OPT_EMBEDDINGS,
	OPT_KEEP_BOTTOM,
	OPT_MAX,
	OPT_MEAN,
	OPT_METRIC,
	OPT_TOKEN_REGEX,
};

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"drop-top", required_argument, NULL, OPT_DROP_TOP},
	{"embeddings", required_argument, NULL, OPT_EMBEDDINGS},
	{"keep-bottom", required_argument, NULL, OPT_KEEP_BOTTOM},
	{"max", required_argument, NULL, OPT_MAX},
	{"mean", no_argument, NULL, OPT_MEAN},
	{"metric", required_argument, NULL, OPT_METRIC},
	{"token-regex", required_argument, NULL, OPT_TOKEN_REGEX},
	{NULL, 0, NULL, 0},
};

#define GROUPS (PK_CLI_FIELDS | PK_CLI_SORT | PK_CLI_THREADS)

static void usage(FILE *fp, int status)
{
	struct pk_cli help = {.groups = GROUPS};

	fputs("Usage: pref-ches [OPTION]... [FILE]...\n"
	      "CHES similarity of chosen and rejected (Razin et al. 2024): every pair\n"
	      "gets \"ches\" = <S+,S-> - |S+|^2 and \"ln_ches\" (the same on S/L); higher\n"
	      "means more similar, more likely to cause likelihood displacement.\n"
	      "\n"
	      "Options:\n"
	      "      --embeddings=SOURCE  lexical (default: token counts), inline (emb_chosen,\n"
	      "                           emb_rejected, len_chosen, len_rejected),\n"
	      "                           npy=CHOSEN,REJECTED[,LENCHOSEN,LENREJECTED] or\n"
	      "                           safetensors=FILE (row i = record i or emb_index)\n"
	      "      --mean               inline arrays are divided by the lengths already\n"
	      "      --metric=M           ln-ches (default), ches, or edit (minus the token\n"
	      "                           Levenshtein distance / the longer length)\n"
	      "      --token-regex=RE     the tokens (default: GPT-2 pre-tokenizer pattern)\n"
	      "      --max=VALUE          keep the pairs whose metric is <= VALUE\n"
	      "      --keep-bottom=F      keep the least similar fraction F (floor(F*n) pairs)\n"
	      "      --drop-top=F         drop the most similar fraction F (floor(F*n) pairs)\n",
	      fp);
	pk_cli_common_help(&help, fp);
	(void)status;
}

static void parse_fraction(struct options *o, const char *opt,
			   const char *arg)
{
	if (pk_fraction_parse(arg, &o->num, &o->den) < 0)
		pk_cli_usage_error(o->cli, "%s: invalid value '%s' (a decimal fraction from 0 to 1)", opt, arg);
}

static void set_mode(struct options *o, enum mode m)
{
	if (o->mode != ANNOTATE)
		pk_cli_usage_error(o->cli, "--max, --keep-bottom and --drop-top go one at a time");
	o->mode = m;
}

static int handle_opt(void *ctx, int opt, const char *arg)
{
	struct options *o = ctx;
	struct pk_error err = {0};

	switch (opt) {
	case OPT_DROP_TOP:
		set_mode(o, DROP_TOP);
		parse_fraction(o, "--drop-top", arg);
		break;
	case OPT_EMBEDDINGS:
		if (pk_ches_parse_source(&o->ches, arg, &o->files, &err) < 0) {
			if (err.kind == PK_ERR_NOMEM)
				pk_cli_fatal(o->cli, "%s", err.text);
			pk_cli_usage_error(o->cli, "--embeddings: %s", err.text);
		}
		break;
	case OPT_KEEP_BOTTOM:
		set_mode(o, KEEP_BOTTOM);
		parse_fraction(o, "--keep-bottom", arg);
		break;
	case OPT_MAX:
		set_mode(o, MAX);
		o->value = pk_cli_parse_double(o->cli, "--max", arg);
		break;
	case OPT_MEAN:
		o->ches.mean = 1;
		break;
	case OPT_METRIC:
		if (pk_ches_parse_metric(arg, &o->ches.metric) < 0)
			pk_cli_usage_error(o->cli, "--metric: invalid value '%s' (ln-ches, ches or edit)", arg);
		break;
	case OPT_TOKEN_REGEX:
		o->ches.token_regex = arg;
		break;
	default:
		return -1;
	}
	return 0;
}

/* The run's pk_ches (the options checked, and the bookkeeping of side
 * file rows of every worker's joined at the end), its options, and a
 * record being written by pk_cli_select(). */
static struct {
	const struct options *o;
	struct pk_ches *c;
	struct pk_buf out;
} run;

/* --keep-bottom / --drop-top (pk_cli_select): the scores are the tag. */
_Static_assert(sizeof(struct pk_ches_scores) <= PK_CLI_TAG_MAX,
	       "the scores fit a tag");

static int select_score(void *c, const struct pk_record *rec,
			unsigned long long pos, double *value, void *tag,
			size_t *taglen, struct pk_error *err)
{
	struct pk_ches_scores s;
	int rc = pk_ches_record(c, rec, pos, &s, err);

	*value = 0;
	pk_ches_metric_value(&s, run.o->ches.metric, value);
	memcpy(tag, &s, sizeof s);
	*taglen = sizeof s;
	return rc;
}

static int select_write(void *ctx, const struct pk_record *rec,
			const void *tag, size_t taglen,
			const struct pk_sink *out, struct pk_error *err)
{
	struct pk_ches_scores s;
	int rc;

	(void)ctx;
	(void)taglen;
	memcpy(&s, tag, sizeof s);
	pk_buf_reset(&run.out);
	if ((rc = pk_ches_write(run.c, rec, &s, &run.out, err)) == PK_OK)
		rc = out->emit(out->ctx, run.out.data, run.out.len);
	return rc;
}

/* The engine's operation (annotate, --max): one pk_ches per worker. */
static void *ches_start(void *o, struct pk_error *err)
{
	return pk_ches_new(o, err);
}

static void ches_stop(void *c)
{
	pk_ches_merge(run.c, c);
	pk_ches_free(c);
}

static int ches_record(void *c, const struct pk_record *rec,
		       unsigned long long pos, const struct pk_sink *out,
		       struct pk_error *err)
{
	return pk_ches_annotate(c, rec, pos,
				run.o->mode == MAX ? &run.o->value : NULL,
				out, err);
}

static const char *ches_counter(void *c, size_t i, unsigned long long *v)
{
	if (run.o->mode == ANNOTATE || i > 0)
		return NULL;
	*v = pk_ches_dropped(c);
	return "dropped";
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct pk_error err = {0};
	struct pk_cli_select sel = {
		&opt.ches, ches_start, select_score, ches_stop, select_write,
	};
	struct pk_cli_op op = {
		.ctx = &opt.ches, .start = ches_start, .record = ches_record,
		.counter = ches_counter, .stop = ches_stop, .parallel = 1,
		.errors_at_record = 1,
	};
	struct pk_ches *c;
	int status;

	pk_cli_init(&cli, "pref-ches", GROUPS);
	opt.cli = &cli;
	pk_ches_opts_init(&opt.ches);
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);
	opt.ches.chosen_field = cli.chosen_field;
	opt.ches.rejected_field = cli.rejected_field;
	run.o = &opt;
	run.c = c = pk_ches_new(&opt.ches, &err);
	if (!c) {
		if (err.kind == PK_ERR_USAGE && opt.ches.source <= PK_CHES_INLINE)
			pk_cli_usage_error(&cli, "%s%s",
					   strncmp(err.text, "pattern", 7) == 0
						   ? "--token-regex: " : "",
					   err.text);
		pk_cli_fatal(&cli, "%s", err.text);
	}
	if (opt.mode != ANNOTATE)
		pk_cli_count(&cli, "dropped", 0);
	if (opt.mode == DROP_TOP || opt.mode == KEEP_BOTTOM) {
		if (pk_cli_open_output(&cli) == 0)
			pk_cli_select(&cli, &sel, opt.num, opt.den,
				      opt.mode == DROP_TOP);
	} else {
		pk_cli_run(&cli, &op);
	}
	if (!cli.status && pk_ches_finish(c, cli.nread, &err) < 0)
		pk_cli_error(&cli, "%s", err.text);
	status = pk_cli_finish(&cli);
	pk_ches_free(c);
	pk_buf_free(&run.out);
	free(opt.files);
	return status;
}
