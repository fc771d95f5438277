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

enum to { TO_PAIRS, TO_TREE, TO_STEP_PAIRS };

struct options {
	struct pk_cli *cli;         /* --pairs, --rank-by, --from ... */
	long long top;              /* --top K, 0 = all */
	double min_gap;             /* --min-gap G, 0 = none */
	enum to to;
	const char *step_regex;
};

/* What the loop carries from record to record. */
struct state {
	struct pk_cli *cli;
	const struct options *o;
	struct pk_rank_opts ropts;   /* native lists */
	struct pk_rank_opts fopts;   /* lists from a format reader */
	struct pk_rank_list list;
	struct pk_steptree *tree;
	struct pk_format_reader *fr;
	struct pk_record frec;       /* a list from the format reader */
	struct pk_buf out;           /* one record being built */
	/* A record of a foreign format may give several lists: their
	 * records are held (pk_cli_hold) until all of them are expanded, so
	 * that a bad one leaves nothing written.  Native lists are written
	 * at once (nothing can go wrong once a list is parsed). */
	int hold;
	unsigned long long lists, too_small, dropped, below_gap, steps_pairs;
	struct pk_error err;
};

enum {
	OPT_MIN_GAP = CHAR_MAX + 1,
	OPT_STEP_REGEX,
	OPT_TO,
	OPT_TOP,
};

#define GROUPS (PK_CLI_FIELDS | PK_CLI_LISTS | PK_CLI_FORMATS)

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"min-gap", required_argument, NULL, OPT_MIN_GAP},
	{"step-regex", required_argument, NULL, OPT_STEP_REGEX},
	{"to", required_argument, NULL, OPT_TO},
	{"top", required_argument, NULL, OPT_TOP},
	{NULL, 0, NULL, 0},
};

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
		o->min_gap = pk_cli_parse_double(o->cli, "--min-gap", arg);
		if (!(o->min_gap >= 0))
			pk_cli_usage_error(o->cli, "--min-gap: invalid value '%s' (a number >= 0)", arg);
		break;
	case OPT_STEP_REGEX:
		o->step_regex = arg;
		break;
	case OPT_TO:
		if (strcmp(arg, "pairs") == 0)
			o->to = TO_PAIRS;
		else if (strcmp(arg, "tree") == 0)
			o->to = TO_TREE;
		else if (strcmp(arg, "step-pairs") == 0)
			o->to = TO_STEP_PAIRS;
		else
			pk_cli_usage_error(o->cli, "--to: invalid value '%s' (pairs, tree or step-pairs)", arg);
		break;
	case OPT_TOP:
		o->top = pk_cli_parse_int(o->cli, "--top", arg, 1, LLONG_MAX);
		break;
	default:
		return -1;
	}
	return 0;
}

/* Write one output record, or hold it. */
static int put(void *ctx, const char *json, size_t len)
{
	struct state *st = ctx;
	int rc = st->hold ? pk_cli_hold(st->cli, json, len)
			  : pk_cli_emit(st->cli, json, len);

	if (rc < 0)
		return st->hold ? pk_error_set(&st->err, PK_ERR_NOMEM, "out of memory")
				: PK_FATAL;
	return PK_OK;
}

/* Expand one scanned list. */
static int expand(struct state *st, const struct pk_record *rec,
		  const struct pk_rank_opts *ropts)
{
	const struct options *o = st->o;
	struct pk_rank_list *l = &st->list;
	int rc;

	rc = pk_rank_parse(l, rec, ropts, &st->err);
	if (rc != PK_OK)
		return rc;
	st->lists++;
	st->dropped += l->ndropped;
	if (o->top > 0)
		pk_rank_top(l, (size_t)o->top);
	if (o->to == TO_TREE) {
		if ((rc = pk_steptree_build(st->tree, l, &st->err)) != PK_OK)
			return rc;
		pk_buf_reset(&st->out);
		rc = pk_steptree_write(st->tree, l, &st->out, &st->err);
		return rc == PK_OK ? put(st, st->out.data, st->out.len) : rc;
	}
	if (l->ngroups < 2) {
		st->too_small++;
		return PK_OK;
	}
	if (o->to == TO_STEP_PAIRS) {
		if ((rc = pk_steptree_build(st->tree, l, &st->err)) != PK_OK)
			return rc;
		return pk_steptree_pairs(st->tree, l, &st->cli->pairs, o->min_gap,
					 &st->below_gap, put, st, &st->err);
	}
	if (pk_rank_pairs(l, &st->cli->pairs, o->min_gap, &st->below_gap) < 0)
		return pk_error_set(&st->err, PK_ERR_NOMEM, "out of memory");
	return pk_rank_write_pairs(l, &st->out, put, st, &st->err);
}

/* A list from the format reader: scan it and expand it. */
static int from_format(void *ctx, const char *json, size_t len)
{
	struct state *st = ctx;
	int rc = pk_scan_record(&st->frec, json, len, &st->err);

	if (rc != PK_OK)
		return rc == PK_BAD_RECORD ? PK_BAD_RECORD : PK_FATAL;
	return expand(st, &st->frec, &st->fopts);
}

static void run(struct state *st)
{
	struct pk_cli *cli = st->cli;

	while (pk_cli_next(cli)) {
		if (st->fr) {
			pk_cli_feed(cli, st->fr, from_format, st, &st->err);
			continue;
		}
		pk_error_clear(&st->err);
		pk_cli_settle(cli, expand(st, &cli->rec, &st->ropts), &st->err);
	}
	if (st->fr)
		pk_cli_feed_end(cli, st->fr, from_format, st, &st->err);
}

static void count_all(struct state *st)
{
	struct pk_cli *cli = st->cli;

	pk_cli_count(cli, "lists", st->lists);
	if (st->o->to != TO_TREE) {
		pk_cli_count(cli, "lists_too_small", st->too_small);
		pk_cli_count(cli, "pairs_below_min_gap", st->below_gap);
	}
	pk_cli_count(cli, "responses_dropped", st->dropped);
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct state st = {0};
	struct pk_format_opts fo = {0};
	struct pk_error err = {0};
	int status;

	opt.cli = &cli;
	pk_cli_init(&cli, "pref-expand", GROUPS);
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);

	st.cli = &cli;
	st.o = &opt;
	pk_cli_rank_opts(&cli, &st.ropts);
	st.ropts.steps = opt.to != TO_PAIRS;
	st.ropts.need_prompt = opt.to == TO_STEP_PAIRS;
	pk_rank_opts_init(&st.fopts);
	st.fopts.rank_by = cli.rank_by;
	st.fopts.steps = st.ropts.steps;
	st.fopts.need_prompt = st.ropts.need_prompt;

	if (cli.from && (strcmp(cli.from, "lists") == 0 ||
			 strcmp(cli.from, "auto") == 0))
		cli.from = NULL;
	if (cli.no_synthetic && !(cli.from && strcmp(cli.from, "oasst") == 0))
		pk_cli_usage_error(&cli, "--no-synthetic needs --from oasst");
	if (cli.format_score &&
	    !(cli.from && (strcmp(cli.from, "ultrafeedback") == 0 ||
			   strcmp(cli.from, "helpsteer") == 0)))
		pk_cli_usage_error(&cli, "--score needs --from ultrafeedback or --from helpsteer");
	if (cli.from) {
		const struct pk_format_info *f = pk_format_lookup(cli.from);

		if (f->kind != PK_FORMAT_LISTS)
			pk_cli_usage_error(&cli, "--from: %s gives pairs, not ranked lists (see pref-convert)", cli.from);
		pk_cli_format_opts(&cli, &fo);
		st.fr = pk_format_reader_new(cli.from, &fo, &err);
		st.hold = 1;
		if (!st.fr) {
			if (err.kind == PK_ERR_USAGE)
				pk_cli_usage_error(&cli, "%s", err.text);
			pk_cli_fatal(&cli, "%s", err.text);
		}
	}
	if (opt.step_regex && opt.to == TO_PAIRS)
		pk_cli_usage_error(&cli, "--step-regex needs --to tree or --to step-pairs");
	if (opt.to != TO_PAIRS) {
		st.tree = pk_steptree_new(opt.step_regex, &err);
		if (!st.tree) {
			if (err.kind == PK_ERR_USAGE)
				pk_cli_usage_error(&cli, "--step-regex: %s", err.text);
			pk_cli_fatal(&cli, "%s", err.text);
		}
	}

	if (pk_cli_open_output(&cli) == 0)
		run(&st);
	count_all(&st);
	status = pk_cli_finish(&cli);
	pk_rank_list_free(&st.list);
	pk_steptree_free(st.tree);
	pk_format_reader_free(st.fr);
	pk_record_free(&st.frec);
	pk_buf_free(&st.out);
	return status;
}
