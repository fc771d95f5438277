/* SPDX-License-Identifier: MIT */
/*
 * pref-expand - ranked lists and trees into pairs or step trees (SPEC
 * 3.2; Curry-DPO, OpenAssistant Conversations, TPO, Tree-PLV, Nectar).
 * Each ranked list is sorted best first and expanded into the pairs a
 * strategy names (--pairs), or into the prefix tree of its responses'
 * steps (--to tree) or pairs of sibling steps (--to step-pairs).  With
 * --from FORMAT, records of a foreign format are first turned into
 * ranked lists by the format readers of libprefkit.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefkit.h"
#include "cli.h"

struct options {
	struct pk_cli *cli;         /* --pairs, --rank-by, --from ... */
	struct pk_expand_opts x;    /* --top, --min-gap, --to, --step-regex */
};

struct setup;

/* What each worker of the engine has: its own expander and format
 * reader, made from the same options. */
struct worker {
	struct pk_expand *x;
	struct pk_format_reader *fr; /* --from: lists of a foreign format */
	const struct pk_sink *out;   /* the current record's */
	struct pk_error *err;
};

/* What a worker is made from. */
struct setup {
	struct pk_expand_opts x;
	const char *from;            /* NULL: native lists */
	struct pk_format_opts fo;
};

enum {
	OPT_MIN_GAP = CHAR_MAX + 1,
	OPT_STEP_REGEX,
	OPT_TO,
	OPT_TOP,
};

#define GROUPS (PK_CLI_FIELDS | PK_CLI_LISTS | PK_CLI_FORMATS | PK_CLI_THREADS)

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"min-gap", required_argument, NULL, OPT_MIN_GAP},
	{"step-regex", required_argument, NULL, OPT_STEP_REGEX},
	{"to", required_argument, NULL, OPT_TO},
	{"top", required_argument, NULL, OPT_TOP},
	{NULL, 0, NULL, 0},
};

/* --to, in the order of enum pk_expand_to */
static const char *const to_names[] = {"pairs", "tree", "step-pairs", NULL};

static void usage(FILE *fp, int status)
{
	struct pk_cli help = {.groups = GROUPS};
	const struct pk_format_info *f;

	fputs("Usage: pref-expand [OPTION]... [FILE]...\n"
	      "Expand ranked lists ({\"prompt\", \"responses\": [{\"text\", \"score\" or \"rank\"}]})\n"
	      "into preference pairs, or into prefix trees of their steps.\n"
	      "\n"
	      "Options:\n"
	      "      --top=K              keep only the K best responses of each list\n"
	      "      --min-gap=G          drop pairs whose score (or rank) gap is below G\n"
	      "      --to=OUTPUT          pairs (default), tree (prefix tree of steps) or\n"
	      "                           step-pairs (pairs of sibling steps)\n"
	      "      --step-regex=PATTERN PCRE2 pattern between steps (default \\n\\n+); a\n"
	      "                           text that is an array of strings is its steps\n"
	      "--from takes the formats that give ranked lists:",
	      fp);
	for (f = pk_format_list(); f && f->name; f++)
		if (f->kind == PK_FORMAT_LISTS && strcmp(f->name, "lists") != 0)
			fprintf(fp, " %s", f->name);
	fputc('\n', fp);
	pk_cli_common_help(&help, fp);
	(void)status;
}

static int handle_opt(void *ctx, int opt, const char *arg)
{
	struct options *o = ctx;

	switch (opt) {
	case OPT_MIN_GAP:
		o->x.min_gap = pk_cli_parse_double(o->cli, "--min-gap", arg);
		if (!(o->x.min_gap >= 0))
			pk_cli_usage_error(o->cli, "--min-gap: invalid value '%s' (a number >= 0)", arg);
		break;
	case OPT_STEP_REGEX:
		o->x.step_regex = arg;
		break;
	case OPT_TO:
		o->x.to = PK_EXPAND_PAIRS + pk_cli_parse_choice(o->cli, "--to", arg, to_names);
		break;
	case OPT_TOP:
		o->x.top = (size_t)pk_cli_parse_int(o->cli, "--top", arg, 1, LLONG_MAX);
		break;
	default:
		return -1;
	}
	return 0;
}

/* A list from the format reader.  A record of a foreign format may give
 * several lists: their records are held until all of them are expanded
 * (the engine's hold), so that a bad one leaves nothing written. */
static int from_format(void *ctx, const char *json, size_t len)
{
	struct worker *w = ctx;

	return pk_expand_text(w->x, json, len, w->out->emit, w->out->ctx,
			      w->err);
}

static void expand_stop(void *ctx)
{
	struct worker *w = ctx;

	pk_expand_free(w->x);
	pk_format_reader_free(w->fr);
	free(w);
}

static void *expand_start(void *ctx, struct pk_error *err)
{
	const struct setup *su = ctx;
	struct worker *w = calloc(1, sizeof *w);

	if (!w) {
		pk_error_set(err, PK_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (!(w->x = pk_expand_new(&su->x, err)) ||
	    (su->from && !(w->fr = pk_format_reader_new(su->from, &su->fo, err)))) {
		expand_stop(w);
		return NULL;
	}
	return w;
}

static int expand_record(void *ctx, const struct pk_record *rec,
			 unsigned long long pos, const struct pk_sink *out,
			 struct pk_error *err)
{
	struct worker *w = ctx;
	struct pk_sink s = {from_format, NULL, NULL, w};

	(void)pos;
	if (!w->fr)
		return pk_expand_record(w->x, rec, out->emit, out->ctx, err);
	w->out = out;
	w->err = err;
	return pk_format_reader_feed_sink(w->fr, rec, &s, err);
}

static const char *expand_note(void *ctx)
{
	struct worker *w = ctx;

	return w->fr ? pk_format_reader_note(w->fr) : NULL;
}

static int expand_end(void *ctx, const struct pk_sink *out,
		      struct pk_error *err)
{
	struct worker *w = ctx;

	if (!w->fr)
		return PK_OK;
	w->out = out;
	w->err = err;
	return pk_format_reader_finish(w->fr, from_format, w, err);
}

/* The format reader's counters, then the expander's. */
static const char *expand_counter(void *ctx, size_t i, unsigned long long *v)
{
	struct worker *w = ctx;
	size_t nr = 0;

	while (w->fr && pk_format_reader_counter(w->fr, nr, NULL))
		nr++;
	if (i < nr)
		return pk_format_reader_counter(w->fr, i, v);
	return pk_expand_counter(w->x, i - nr, v);
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct setup su = {0};
	struct pk_format_reader *fr;
	struct pk_expand *x;
	struct pk_error err = {0};
	struct pk_cli_op op = {
		.ctx = &su, .start = expand_start, .record = expand_record,
		.note = expand_note, .end = expand_end, .counter = expand_counter,
		.stop = expand_stop,
	};

	opt.cli = &cli;
	pk_expand_opts_init(&opt.x);
	pk_cli_init(&cli, "pref-expand", GROUPS);
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);

	if ((fr = pk_cli_open_list_format(&cli))) {
		/* lists of a format have their parts under the SPEC names */
		pk_rank_opts_init(&opt.x.rank);
		opt.x.rank.rank_by = cli.rank_by;
		su.from = cli.from;
		pk_cli_format_opts(&cli, &su.fo);
	} else {
		pk_cli_rank_opts(&cli, &opt.x.rank);
	}
	opt.x.rank.steps = opt.x.to != PK_EXPAND_PAIRS;
	opt.x.rank.need_prompt = opt.x.to == PK_EXPAND_STEP_PAIRS;
	opt.x.pairs = cli.pairs;
	if (opt.x.step_regex && opt.x.to == PK_EXPAND_PAIRS)
		pk_cli_usage_error(&cli, "--step-regex needs --to tree or --to step-pairs");
	/* the options are checked once, before any worker starts */
	if (!(x = pk_expand_new(&opt.x, &err))) {
		if (err.kind == PK_ERR_USAGE)
			pk_cli_usage_error(&cli, "--step-regex: %s", err.text);
		pk_cli_fatal(&cli, "%s", err.text);
	}
	pk_expand_free(x);
	su.x = opt.x;
	op.parallel = !fr || pk_format_reader_per_record(fr);
	op.hold = fr != NULL;
	pk_format_reader_free(fr);
	pk_cli_run(&cli, &op);
	return pk_cli_finish(&cli);
}
