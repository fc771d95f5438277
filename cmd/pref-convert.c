/* SPDX-License-Identifier: MIT */
/*
 * pref-convert - foreign preference formats in and out (SPEC 3.6).
 * Records of a foreign format (SPEC 1.5: trl, ultrafeedback,
 * ultrafeedback-binarized, hh, oasst, nectar, sharegpt, helpsteer, or
 * ranked lists of other shapes) are turned into canonical pairs or ranked
 * lists by the format readers of libprefkit, and then, with --to, into
 * pairs (lists expanded by a pair strategy), two-response lists, standard
 * string pairs or conversational message-list pairs.  Every dropped input
 * is counted (--stats) and, under --on-error, reported.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefkit.h"
#include "cli.h"

enum to {
	TO_NATIVE,
	TO_PAIRS,
	TO_LISTS,
	TO_STANDARD,
	TO_CONVERSATIONAL,
	TO_UNPAIRED
};
/* --to, in the order of enum to from TO_PAIRS */
static const char *const to_names[] = {
	"pairs", "lists", "standard", "conversational", "unpaired", NULL,
};

struct options {
	struct pk_cli *cli;            /* --from, --pairs, --rank-by ... */
	enum to to;
	int strict;
	const char *flatten;           /* --flatten-template */
};

/* What a worker of the engine is made from. */
struct setup {
	const struct options *o;
	const char *from;
	struct pk_format_opts fo;
	struct pk_expand_opts xo;
};

/* What each worker has: its own reader and expander. */
struct state {
	const struct options *o;
	struct pk_format_reader *fr;
	struct pk_expand *x;           /* canonical lists into pairs */
	struct pk_record prec;         /* a pair to convert */
	struct pk_buf conv;            /* a converted pair */
	struct pk_buf built;           /* a reader's record, to convert */
	const struct pk_sink *out;     /* the current record's */
	struct pk_error *err;
};

enum {
	OPT_FLATTEN = CHAR_MAX + 1,
	OPT_LIST_FORMATS,
	OPT_STRICT,
	OPT_TO,
};

#define GROUPS (PK_CLI_FIELDS | PK_CLI_LISTS | PK_CLI_FORMATS | PK_CLI_SORT | \
		PK_CLI_THREADS)

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"flatten-template", required_argument, NULL, OPT_FLATTEN},
	{"list-formats", no_argument, NULL, OPT_LIST_FORMATS},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"to", required_argument, NULL, OPT_TO},
	{NULL, 0, NULL, 0},
};

static void list_formats(FILE *fp, const char *indent)
{
	const struct pk_format_info *f;

	for (f = pk_format_list(); f->name; f++)
		fprintf(fp, "%s%-24s %s: %s\n", indent, f->name,
			f->kind == PK_FORMAT_PAIRS ? "pairs" : "lists",
			f->summary);
}

static void usage(FILE *fp, int status)
{
	struct pk_cli help = {.groups = GROUPS};

	fputs("Usage: pref-convert [OPTION]... [FILE]...\n"
	      "Convert foreign preference formats into canonical pairs or ranked lists,\n"
	      "and pairs between standard (strings) and conversational (messages) form.\n"
	      "\n"
	      "Options:\n"
	      "      --from=FORMAT        the input format (default auto: detected from the\n"
	      "                           first record; see Foreign formats below); one of:\n",
	      fp);
	list_formats(fp, "                             ");
	fputs("      --to=OUTPUT          pairs, lists, standard (string pairs),\n"
	      "                           conversational (message-list pairs) or unpaired\n"
	      "                           (two {prompt, completion, label} records a pair);\n"
	      "                           default: what the format gives\n"
	      "      --list-formats       list the formats and exit\n"
	      "      --strict             hh: a pair the prompt rule cannot split cleanly\n"
	      "                           (diverges-early, prefix, identical) is a bad record\n"
	      "      --flatten-template=TEXT  --to standard: join a prompt of several\n"
	      "                           messages by writing TEXT for each, with {role}\n"
	      "                           and {content} replaced (\\n, \\t, \\\\ escapes)\n"
	      "--pairs and --rank-by choose the pairs of ranked lists turned into pairs;\n"
	      "--text-field, --score-field and --rank-field go with --from lists.\n",
	      fp);
	pk_cli_common_help(&help, fp);
	(void)status;
}

static int handle_opt(void *ctx, int opt, const char *arg)
{
	struct options *o = ctx;

	switch (opt) {
	case OPT_FLATTEN:
		o->flatten = arg;
		break;
	case OPT_LIST_FORMATS:
		list_formats(stdout, "");
		exit(fflush(stdout) == 0 ? PK_EXIT_OK : PK_EXIT_ERROR);
	case OPT_STRICT:
		o->strict = 1;
		break;
	case OPT_TO:
		o->to = TO_PAIRS + pk_cli_parse_choice(o->cli, "--to", arg, to_names);
		break;
	default:
		return -1;
	}
	return 0;
}

/* One output record, built where the engine wants it (held until the
 * input record is known to be good, except at the reader's finish). */
static int pend(struct state *st, const char *json, size_t len)
{
	char *d;

	if (!(d = st->out->room(st->out->ctx, len)))
		return pk_error_set(st->err, PK_ERR_NOMEM, "out of memory");
	memcpy(d, json, len);
	return st->out->commit(st->out->ctx, d, len);
}

/* A pair (ctx: the state): convert it as --to says, then keep it. */
static int put_pair(void *ctx, const char *json, size_t len)
{
	struct state *st = ctx;
	int rc;

	if (st->o->to != TO_STANDARD && st->o->to != TO_CONVERSATIONAL &&
	    st->o->to != TO_LISTS && st->o->to != TO_UNPAIRED)
		return pend(st, json, len);
	if ((rc = pk_scan_record(&st->prec, json, len, st->err)) != PK_OK)
		return rc;
	pk_buf_reset(&st->conv);
	if (st->o->to == TO_UNPAIRED) {
		for (int side = 0; side < 2; side++) {
			pk_buf_reset(&st->conv);
			if ((rc = pk_pair_to_unpaired(&st->prec, side,
						      &st->conv, st->err)) !=
				    PK_OK ||
			    (rc = pend(st, st->conv.data, st->conv.len)) !=
				    PK_OK)
				return rc;
		}
		return PK_OK;
	}
	if (st->o->to == TO_STANDARD)
		rc = pk_pair_to_standard(&st->prec, st->o->flatten, &st->conv,
					 st->err);
	else if (st->o->to == TO_CONVERSATIONAL)
		rc = pk_pair_to_conversational(&st->prec, &st->conv, st->err);
	else
		rc = pk_pair_to_list(&st->prec, &st->conv, st->err);
	if (rc != PK_OK)
		return rc;
	return pend(st, st->conv.data, st->conv.len);
}

/* A ranked list: keep it, or expand it into pairs. */
static int put_list(struct state *st, const char *json, size_t len)
{
	if (st->o->to == TO_NATIVE || st->o->to == TO_LISTS)
		return pend(st, json, len);
	return pk_expand_text(st->x, json, len, put_pair, st, st->err);
}

/* emit callback of the format reader */
static int from_reader(void *ctx, const char *json, size_t len)
{
	struct state *st = ctx;

	if (pk_format_reader_kind(st->fr) == PK_FORMAT_LISTS)
		return put_list(st, json, len);
	return put_pair(st, json, len);
}

/* Is a record of the reader written as it is (no --to conversion)? */
static int as_is(const struct state *st)
{
	enum to to = st->o->to;

	if (pk_format_reader_kind(st->fr) == PK_FORMAT_LISTS)
		return to == TO_NATIVE || to == TO_LISTS;
	return to == TO_NATIVE || to == TO_PAIRS;
}

/* The reader's sink: a record written as it is is built straight where
 * it goes (no copy); one to convert in st->built, then converted. */
static char *reader_room(void *ctx, size_t n)
{
	struct state *st = ctx;

	if (as_is(st))
		return st->out->room(st->out->ctx, n);
	pk_buf_reset(&st->built);
	if (pk_buf_reserve(&st->built, n) < 0)
		return NULL;
	return st->built.data;
}

static int reader_commit(void *ctx, char *p, size_t len)
{
	struct state *st = ctx;

	if (as_is(st))
		return st->out->commit(st->out->ctx, p, len);
	return from_reader(st, p, len);
}

static void convert_stop(void *ctx)
{
	struct state *st = ctx;

	pk_expand_free(st->x);
	pk_format_reader_free(st->fr);
	pk_record_free(&st->prec);
	pk_buf_free(&st->conv);
	pk_buf_free(&st->built);
	free(st);
}

static void *convert_start(void *ctx, struct pk_error *err)
{
	const struct setup *su = ctx;
	struct state *st = calloc(1, sizeof *st);

	if (!st) {
		pk_error_set(err, PK_ERR_NOMEM, "out of memory");
		return NULL;
	}
	st->o = su->o;
	if (!(st->fr = pk_format_reader_new(su->from, &su->fo, err)) ||
	    !(st->x = pk_expand_new(&su->xo, err))) {
		convert_stop(st);
		return NULL;
	}
	return st;
}

static int convert_record(void *ctx, const struct pk_record *rec,
			  unsigned long long pos, const struct pk_sink *out,
			  struct pk_error *err)
{
	struct state *st = ctx;
	struct pk_sink s = {from_reader, reader_room, reader_commit, st};

	(void)pos;
	st->out = out;
	st->err = err;
	return pk_format_reader_feed_sink(st->fr, rec, &s, err);
}

static const char *convert_note(void *ctx)
{
	return pk_format_reader_note(((struct state *)ctx)->fr);
}

static int convert_end(void *ctx, const struct pk_sink *out,
		       struct pk_error *err)
{
	struct state *st = ctx;

	st->out = out;
	st->err = err;
	return pk_format_reader_finish(st->fr, from_reader, st, err);
}

static void convert_count(void *ctx, struct pk_cli *cli)
{
	struct state *st = ctx;
	const struct pk_expand_counts *n = pk_expand_counts(st->x);
	unsigned long long v;
	const char *name;
	size_t i;

	for (i = 0; (name = pk_format_reader_counter(st->fr, i, &v)); i++)
		pk_cli_count(cli, name, v);
	if (n->lists) {
		pk_cli_count(cli, "lists_expanded", n->lists);
		pk_cli_count(cli, "lists_too_small", n->too_small);
		pk_cli_count(cli, "list_responses_dropped",
			     n->responses_dropped);
	}
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct setup su = {0};
	struct pk_format_reader *fr;
	struct pk_expand *x;
	struct pk_error err = {0};
	const struct pk_format_info *f = NULL;
	struct pk_cli_op op = {
		.ctx = &su, .start = convert_start, .record = convert_record,
		.note = convert_note, .end = convert_end,
		.count = convert_count, .stop = convert_stop, .hold = 1,
	};

	opt.cli = &cli;
	pk_cli_init(&cli, "pref-convert", GROUPS);
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);
	if (!cli.from)
		cli.from = "auto";

	if (strcmp(cli.from, "auto") != 0) {
		const char *n = cli.from;
		f = pk_format_lookup(n);
		if (!strcmp(n, "bon") && opt.to == TO_NATIVE)
			opt.to = TO_PAIRS; /* best against each loser */
		if (cli.format_score && strcmp(n, "ultrafeedback") &&
		    strcmp(n, "helpsteer"))
			pk_cli_usage_error(&cli, "--score goes with --from ultrafeedback or helpsteer");
		if (cli.no_synthetic && strcmp(n, "oasst"))
			pk_cli_usage_error(&cli, "--no-synthetic goes with --from oasst");
		if (opt.strict && strcmp(n, "hh") && strcmp(n, "pairwise") &&
		    strcmp(n, "arena"))
			pk_cli_usage_error(&cli, "--strict goes with --from hh, pairwise or arena");
		if (cli.list_fields_set && strcmp(n, "lists") &&
		    (strcmp(n, "bon") || strcmp(cli.score_field, "score") ||
		     strcmp(cli.rank_field, "rank")))
			pk_cli_usage_error(&cli, "--text-field, --score-field and --rank-field go with --from lists (--text-field with bon too)");
		if ((cli.pairs_set || cli.rank_by_set) &&
		    (f->kind != PK_FORMAT_LISTS ||
		     (opt.to == TO_NATIVE || opt.to == TO_LISTS)))
			pk_cli_usage_error(&cli, "--pairs and --rank-by need ranked lists turned into pairs (--to pairs, standard or conversational)");
	}
	pk_cli_check_format_opts(&cli, cli.from);
	if (opt.flatten && opt.to != TO_STANDARD)
		pk_cli_usage_error(&cli, "--flatten-template goes with --to standard");

	pk_cli_format_opts(&cli, &su.fo);
	su.fo.strict = opt.strict;
	su.fo.conversational = opt.to == TO_CONVERSATIONAL;
	su.fo.keep_ties = opt.to == TO_LISTS;
	pk_cli_pair_field_opts(&cli, &su.fo);
	su.fo.responses_field = cli.responses_field;
	su.fo.text_field = cli.text_field;
	su.fo.score_field = cli.score_field;
	su.fo.rank_field = cli.rank_field;
	su.fo.memory = cli.memory;
	su.fo.tmpdir = cli.tmpdir;
	su.o = &opt;
	su.from = cli.from;
	pk_expand_opts_init(&su.xo);
	su.xo.rank.rank_by = cli.rank_by;
	su.xo.rank.steps = 1;
	su.xo.pairs = cli.pairs;
	/* the options are checked once, before any worker starts */
	fr = pk_cli_format_reader(&cli, cli.from, &su.fo);
	if (!(x = pk_expand_new(&su.xo, &err)))
		pk_cli_fatal(&cli, "%s", err.text);
	op.parallel = pk_format_reader_per_record(fr);
	pk_format_reader_free(fr);
	pk_expand_free(x);
	pk_cli_run(&cli, &op);
	return pk_cli_finish(&cli);
}
