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

static void parse_embeddings(struct options *o, const char *arg)
{
	struct pk_ches_opts *c = &o->ches;
	const char *files = NULL;
	char *p, *save = NULL;
	size_t n = 0;

	memset(c->files, 0, sizeof(c->files));
	if (strcmp(arg, "lexical") == 0)
		c->source = PK_CHES_LEXICAL;
	else if (strcmp(arg, "inline") == 0)
		c->source = PK_CHES_INLINE;
	else if (strncmp(arg, "npy=", 4) == 0)
		c->source = PK_CHES_NPY, files = arg + 4;
	else if (strncmp(arg, "safetensors=", 12) == 0)
		c->source = PK_CHES_SAFETENSORS, files = arg + 12;
	else
		pk_cli_usage_error(o->cli, "--embeddings: invalid value '%s' (lexical, inline, npy=FILES or safetensors=FILE)", arg);
	if (!files)
		return;
	free(o->files);
	o->files = strdup(files);
	if (!o->files)
		pk_cli_fatal(o->cli, "out of memory");
	for (p = strtok_r(o->files, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (n == (c->source == PK_CHES_NPY ? 4u : 1u))
			pk_cli_usage_error(o->cli, "--embeddings: too many files in '%s'", arg);
		c->files[n++] = p;
	}
	if (c->source == PK_CHES_NPY && n != 2 && n != 4)
		pk_cli_usage_error(o->cli, "--embeddings: npy= takes CHOSEN.npy,REJECTED.npy and optionally LENCHOSEN.npy,LENREJECTED.npy, not '%s'", files);
	if (n == 0)
		pk_cli_usage_error(o->cli, "--embeddings: safetensors= needs a file");
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

	switch (opt) {
	case OPT_DROP_TOP:
		set_mode(o, DROP_TOP);
		parse_fraction(o, "--drop-top", arg);
		break;
	case OPT_EMBEDDINGS:
		parse_embeddings(o, arg);
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
		if (strcmp(arg, "ln-ches") == 0)
			o->ches.metric = PK_CHES_LN;
		else if (strcmp(arg, "ches") == 0)
			o->ches.metric = PK_CHES_CHES;
		else if (strcmp(arg, "edit") == 0)
			o->ches.metric = PK_CHES_EDIT;
		else
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

/* Score the current record: 0 with *s, or -1 after rejecting it or
 * stopping on an error. */
static int score(struct pk_cli *cli, struct pk_ches *c,
		 struct pk_ches_scores *s)
{
	struct pk_error err = {0};
	int rc = pk_ches_record(c, &cli->rec, cli->nread - 1, s, &err);

	if (rc == PK_OK)
		return 0;
	pk_cli_reject_error(cli, &err);
	return -1;
}

static void write_annotated(struct pk_cli *cli, struct pk_ches *c,
			    const struct pk_ches_scores *s, struct pk_buf *out)
{
	struct pk_error err = {0};

	pk_buf_reset(out);
	if (pk_ches_write(c, &cli->rec, s, out, &err) < 0)
		pk_cli_reject_error(cli, &err);
	else
		pk_cli_emit(cli, out->data, out->len);
}

static double metric(const struct options *o, const struct pk_ches_scores *s)
{
	double x = 0;

	pk_ches_metric_value(s, o->ches.metric, &x);
	return x;
}

/* --keep-bottom / --drop-top: score everything, cut, write the kept. */
static void two_passes(struct pk_cli *cli, const struct options *o,
		       struct pk_ches *c, struct pk_buf *out)
{
	struct pk_twopass_opts to = {cli->memory / 2, cli->tmpdir, cli->max_line};
	struct pk_error err = {0};
	struct pk_twopass *tp = pk_twopass_new(&to, &err);
	struct pk_cut *cut = pk_cut_new(cli->memory / 2, cli->tmpdir, &err);
	struct pk_ches_scores s;
	unsigned long long n, k, seq = 0;
	const void *tag;
	size_t len;

	if (!tp || !cut) {
		pk_cli_error(cli, "%s", err.text);
		goto out;
	}
	while (pk_cli_next(cli))
		if (score(cli, c, &s) == 0 &&
		    pk_cli_twopass_add(cli, tp, &s, sizeof s) == 0 &&
		    pk_cut_add(cut, metric(o, &s), &err) < 0)
			pk_cli_error(cli, "%s", err.text);
	if (cli->status)
		goto out;
	n = pk_cut_count(cut);
	k = pk_fraction_floor(o->num, o->den, n);
	if (o->mode == DROP_TOP)
		k = n - k;
	if (pk_cut_lowest(cut, k, &err) < 0) {
		pk_cli_error(cli, "%s", err.text);
		goto out;
	}
	while (pk_cli_twopass_next(cli, tp, &tag, &len)) {
		memcpy(&s, tag, sizeof s);
		if (pk_cut_keeps(cut, metric(o, &s), seq++))
			write_annotated(cli, c, &s, out);
		else
			pk_cli_count(cli, "dropped", 1);
	}
out:
	pk_twopass_free(tp);
	pk_cut_free(cut);
}

/* The engine's operation (annotate, --max): one pk_ches per worker. */
struct worker {
	const struct options *o;
	struct pk_ches *c;
	struct pk_ches *main;        /* the run's, told what c has seen */
	struct pk_buf out;
	unsigned long long dropped;
};

struct setup {
	const struct options *o;
	struct pk_ches *c;
};

static void ches_stop(void *ctx)
{
	struct worker *w = ctx;

	if (w->c)
		pk_ches_merge(w->main, w->c);
	pk_ches_free(w->c);
	pk_buf_free(&w->out);
	free(w);
}

static void *ches_start(void *ctx, struct pk_error *err)
{
	const struct setup *su = ctx;
	struct worker *w = calloc(1, sizeof *w);

	if (!w) {
		pk_error_set(err, PK_ERR_NOMEM, "out of memory");
		return NULL;
	}
	w->o = su->o;
	w->main = su->c;
	if (!(w->c = pk_ches_new(&su->o->ches, err))) {
		ches_stop(w);
		return NULL;
	}
	return w;
}

/* A failure other than bad data is an error of the run, reported at the
 * record (FILE:LINE), as pk_cli_reject_error() would. */
static int at_record(int rc, struct pk_error *err)
{
	if (rc != PK_OK && err->kind != PK_ERR_DATA && err->kind != PK_ERR_PIPE)
		err->kind = PK_ERR_IO;
	return rc;
}

static int ches_record(void *ctx, const struct pk_record *rec,
		       unsigned long long pos, const struct pk_sink *out,
		       struct pk_error *err)
{
	struct worker *w = ctx;
	struct pk_ches_scores s;
	int rc = pk_ches_record(w->c, rec, pos, &s, err);

	if (rc != PK_OK)
		return at_record(rc, err);
	if (w->o->mode == MAX && !(metric(w->o, &s) <= w->o->value)) {
		w->dropped++;
		return PK_OK;
	}
	pk_buf_reset(&w->out);
	if ((rc = pk_ches_write(w->c, rec, &s, &w->out, err)) < 0)
		return at_record(rc, err);
	return out->emit(out->ctx, w->out.data, w->out.len);
}

static void ches_count(void *ctx, struct pk_cli *cli)
{
	struct worker *w = ctx;

	if (w->o->mode != ANNOTATE)
		pk_cli_count(cli, "dropped", w->dropped);
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct setup su = {&opt, NULL};
	struct pk_error err = {0};
	struct pk_buf out = PK_BUF_INIT;
	struct pk_cli_op op = {
		.ctx = &su, .start = ches_start, .record = ches_record,
		.count = ches_count, .stop = ches_stop, .parallel = 1,
	};
	struct pk_ches *c;
	int status;

	pk_cli_init(&cli, "pref-ches", GROUPS);
	opt.cli = &cli;
	pk_ches_opts_init(&opt.ches);
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);
	opt.ches.chosen_field = cli.chosen_field;
	opt.ches.rejected_field = cli.rejected_field;
	su.c = c = pk_ches_new(&opt.ches, &err);
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
			two_passes(&cli, &opt, c, &out);
	} else {
		pk_cli_run(&cli, &op);
	}
	if (!cli.status && pk_ches_finish(c, cli.nread, &err) < 0)
		pk_cli_error(&cli, "%s", err.text);
	status = pk_cli_finish(&cli);
	pk_ches_free(c);
	pk_buf_free(&out);
	free(opt.files);
	return status;
}
