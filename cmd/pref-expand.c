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
	struct pk_cli *cli;
	struct pk_pairs_strategy strategy;
	long long top;              /* --top K, 0 = all */
	double min_gap;             /* --min-gap G, 0 = none */
	enum to to;
	const char *step_regex;
	const char *from;           /* --from FORMAT, NULL = ranked lists */
	const char *score;          /* --score, for the format readers */
	int no_synthetic;
	enum pk_rank_by rank_by;
	const char *text_field, *score_field, *rank_field;
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
	 * records are held until all of them are expanded, so that a bad
	 * one leaves nothing written.  Native lists are written at once
	 * (nothing can go wrong once a list is parsed). */
	int hold;
	struct pk_buf held;          /* the records, back to back */
	struct pk_buf held_len;      /* size_t: their lengths */
	int output_failed;           /* pk_cli_emit() failed (and said so) */
	unsigned long long lists, too_small, dropped, below_gap, steps_pairs;
	struct pk_error err;
};

enum {
	OPT_FROM = CHAR_MAX + 1,
	OPT_MIN_GAP,
	OPT_NO_SYNTHETIC,
	OPT_PAIRS,
	OPT_RANK_BY,
	OPT_RANK_FIELD,
	OPT_SCORE,
	OPT_SCORE_FIELD,
	OPT_STEP_REGEX,
	OPT_TEXT_FIELD,
	OPT_TO,
	OPT_TOP,
};

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"from", required_argument, NULL, OPT_FROM},
	{"min-gap", required_argument, NULL, OPT_MIN_GAP},
	{"no-synthetic", no_argument, NULL, OPT_NO_SYNTHETIC},
	{"pairs", required_argument, NULL, OPT_PAIRS},
	{"rank-by", required_argument, NULL, OPT_RANK_BY},
	{"rank-field", required_argument, NULL, OPT_RANK_FIELD},
	{"score", required_argument, NULL, OPT_SCORE},
	{"score-field", required_argument, NULL, OPT_SCORE_FIELD},
	{"step-regex", required_argument, NULL, OPT_STEP_REGEX},
	{"text-field", required_argument, NULL, OPT_TEXT_FIELD},
	{"to", required_argument, NULL, OPT_TO},
	{"top", required_argument, NULL, OPT_TOP},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *fp, int status)
{
	struct pk_cli help = {.groups = PK_CLI_FIELDS};
	const struct pk_format_info *f;

	fputs("Usage: pref-expand [OPTION]... [FILE]...\n"
	      "Expand ranked lists ({\"prompt\", \"responses\": [{\"text\", \"score\" or \"rank\"}]})\n"
	      "into preference pairs, or into prefix trees of their steps.\n"
	      "\n"
	      "Options:\n"
	      "      --pairs=STRATEGY     which pairs: best-vs-rest (default), all, adjacent,\n"
	      "                           rest-vs-worst, best-vs-worst, skip=K; tied\n"
	      "                           responses are never paired\n"
	      "      --top=K              keep only the K best responses of each list\n"
	      "      --min-gap=G          drop pairs whose score (or rank) gap is below G\n"
	      "      --rank-by=KEY        score (default) or rank, when responses have both\n"
	      "      --to=OUTPUT          pairs (default), tree (prefix tree of steps) or\n"
	      "                           step-pairs (pairs of sibling steps)\n"
	      "      --step-regex=PATTERN PCRE2 pattern between steps (default \\n\\n+); a\n"
	      "                           text that is an array of strings is its steps\n"
	      "      --text-field=PATH    text of a response (default text)\n"
	      "      --score-field=PATH   score of a response (default score)\n"
	      "      --rank-field=PATH    rank of a response (default rank)\n"
	      "      --from=FORMAT        read records of another format as ranked lists\n"
	      "                           (see pref-convert(1)):",
	      fp);
	for (f = pk_format_list(); f && f->name; f++)
		if (f->kind == PK_FORMAT_LISTS && strcmp(f->name, "lists") != 0)
			fprintf(fp, " %s", f->name);
	fputc('\n', fp);
	fputs("      --score=WHICH        ultrafeedback: overall (default), fine-grained or\n"
	      "                           mean-aspects; helpsteer: the attribute\n"
	      "                           (default helpfulness)\n"
	      "      --no-synthetic       oasst: skip synthetic messages too\n",
	      fp);
	pk_cli_common_help(&help, fp);
	(void)status;
}

static int handle_opt(void *ctx, int opt, const char *arg)
{
	struct options *o = ctx;

	switch (opt) {
	case OPT_FROM:
		o->from = arg;
		break;
	case OPT_MIN_GAP:
		o->min_gap = pk_cli_parse_double(o->cli, "--min-gap", arg);
		if (!(o->min_gap >= 0))
			pk_cli_usage_error(o->cli, "--min-gap: invalid value '%s' (a number >= 0)", arg);
		break;
	case OPT_NO_SYNTHETIC:
		o->no_synthetic = 1;
		break;
	case OPT_PAIRS:
		if (pk_pairs_parse(arg, &o->strategy) < 0)
			pk_cli_usage_error(o->cli, "--pairs: invalid value '%s' (all, adjacent, best-vs-rest, rest-vs-worst, best-vs-worst or skip=K)", arg);
		break;
	case OPT_RANK_BY:
		if (strcmp(arg, "score") == 0)
			o->rank_by = PK_RANK_BY_SCORE;
		else if (strcmp(arg, "rank") == 0)
			o->rank_by = PK_RANK_BY_RANK;
		else
			pk_cli_usage_error(o->cli, "--rank-by: invalid value '%s' (score or rank)", arg);
		break;
	case OPT_RANK_FIELD:
		o->rank_field = arg;
		break;
	case OPT_SCORE:
		o->score = arg;
		break;
	case OPT_SCORE_FIELD:
		o->score_field = arg;
		break;
	case OPT_STEP_REGEX:
		o->step_regex = arg;
		break;
	case OPT_TEXT_FIELD:
		o->text_field = arg;
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

	if (!st->hold) {
		if (pk_cli_emit(st->cli, json, len) == 0)
			return PK_OK;
		st->output_failed = 1;
		return PK_FATAL;
	}
	if (pk_buf_append(&st->held, json, len) < 0 ||
	    pk_buf_append(&st->held_len, &len, sizeof(len)) < 0)
		return pk_error_set(&st->err, PK_ERR_NOMEM, "out of memory");
	return PK_OK;
}

/* Write the held records. */
static void flush(struct state *st)
{
	const size_t *len = (const void *)st->held_len.data;
	size_t k, n = st->held_len.len / sizeof(*len), off = 0;

	for (k = 0; k < n && !st->output_failed; k++) {
		if (pk_cli_emit(st->cli, st->held.data + off, len[k]) < 0)
			st->output_failed = 1;
		off += len[k];
	}
	pk_buf_reset(&st->held);
	pk_buf_reset(&st->held_len);
}

/* Expand one scanned list. */
static int expand(struct state *st, const struct pk_record *rec,
		  const struct pk_rank_opts *ropts)
{
	const struct options *o = st->o;
	struct pk_rank_list *l = &st->list;
	size_t k;
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
		return pk_steptree_pairs(st->tree, l, &o->strategy, o->min_gap,
					 &st->below_gap, put, st, &st->err);
	}
	if (pk_rank_pairs(l, &o->strategy, o->min_gap, &st->below_gap) < 0)
		return pk_error_set(&st->err, PK_ERR_NOMEM, "out of memory");
	for (k = 0; k < l->npairs; k++) {
		pk_buf_reset(&st->out);
		rc = pk_rank_write_pair(l, l->pairs[k].i, l->pairs[k].j, NULL,
					0, &st->out, &st->err);
		if (rc == PK_OK)
			rc = put(st, st->out.data, st->out.len);
		if (rc != PK_OK)
			return rc;
	}
	return PK_OK;
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

/* After an input record (or the end of input): write what it gave, or
 * deal with its error. */
static void settle(struct state *st, int rc)
{
	if (rc == PK_OK) {
		flush(st);
		return;
	}
	pk_buf_reset(&st->held);
	pk_buf_reset(&st->held_len);
	if (st->output_failed || rc == PK_EPIPE ||
	    st->err.kind == PK_ERR_PIPE)
		return;
	if (rc == PK_BAD_RECORD && st->err.kind == PK_ERR_DATA)
		pk_cli_reject_error(st->cli, &st->err);
	else
		pk_cli_error(st->cli, "%s:%llu: %s", st->cli->input_name,
			     st->cli->line.lineno,
			     st->err.text[0] ? st->err.text : "error");
}

static void run(struct state *st)
{
	struct pk_cli *cli = st->cli;
	int rc;

	while (pk_cli_next(cli)) {
		pk_error_clear(&st->err);
		if (!st->fr) {
			rc = expand(st, &cli->rec, &st->ropts);
		} else {
			const char *note;

			rc = pk_format_reader_feed(st->fr, &cli->rec, from_format,
						   st, &st->err);
			note = pk_format_reader_note(st->fr);
			if (rc == PK_OK && note)
				pk_cli_warn(cli, "%s", note);
		}
		settle(st, rc);
	}
	if (st->fr && !cli->stop) {
		pk_error_clear(&st->err);
		rc = pk_format_reader_finish(st->fr, from_format, st, &st->err);
		settle(st, rc);
	}
}

static void count_all(struct state *st)
{
	struct pk_cli *cli = st->cli;
	unsigned long long v;
	const char *name;
	size_t i;

	pk_cli_count(cli, "lists", st->lists);
	if (st->o->to != TO_TREE) {
		pk_cli_count(cli, "lists_too_small", st->too_small);
		pk_cli_count(cli, "pairs_below_min_gap", st->below_gap);
	}
	pk_cli_count(cli, "responses_dropped", st->dropped);
	for (i = 0; st->fr && (name = pk_format_reader_counter(st->fr, i, &v));
	     i++)
		pk_cli_count(cli, name, v);
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
	opt.strategy.kind = PK_PAIRS_BEST_VS_REST;
	opt.text_field = "text";
	opt.score_field = "score";
	opt.rank_field = "rank";
	pk_cli_init(&cli, "pref-expand", PK_CLI_FIELDS);
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);

	st.cli = &cli;
	st.o = &opt;
	pk_rank_opts_init(&st.ropts);
	st.ropts.prompt_field = cli.prompt_field;
	st.ropts.responses_field = cli.responses_field;
	st.ropts.text_field = opt.text_field;
	st.ropts.score_field = opt.score_field;
	st.ropts.rank_field = opt.rank_field;
	st.ropts.rank_by = opt.rank_by;
	st.ropts.steps = opt.to != TO_PAIRS;
	st.ropts.need_prompt = opt.to == TO_STEP_PAIRS;
	pk_rank_opts_init(&st.fopts);
	st.fopts.rank_by = opt.rank_by;
	st.fopts.steps = st.ropts.steps;
	st.fopts.need_prompt = st.ropts.need_prompt;

	if (opt.from && strcmp(opt.from, "lists") == 0)
		opt.from = NULL;
	if (opt.no_synthetic && !(opt.from && strcmp(opt.from, "oasst") == 0))
		pk_cli_usage_error(&cli, "--no-synthetic needs --from oasst");
	if (opt.score && !(opt.from && (strcmp(opt.from, "ultrafeedback") == 0 ||
					strcmp(opt.from, "helpsteer") == 0)))
		pk_cli_usage_error(&cli, "--score needs --from ultrafeedback or --from helpsteer");
	if (opt.from) {
		const struct pk_format_info *f = pk_format_lookup(opt.from);

		if (!f)
			pk_cli_usage_error(&cli, "--from: unknown format '%s'", opt.from);
		if (f->kind != PK_FORMAT_LISTS)
			pk_cli_usage_error(&cli, "--from: %s gives pairs, not ranked lists (see pref-convert)", opt.from);
		fo.score = opt.score;
		fo.no_synthetic = opt.no_synthetic;
		st.fr = pk_format_reader_new(opt.from, &fo, &err);
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
	pk_buf_free(&st.held);
	pk_buf_free(&st.held_len);
	return status;
}
