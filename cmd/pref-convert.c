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

/* --to, in the order of enum pk_convert_to from PK_CONVERT_PAIRS */
static const char *const to_names[] = {
	"pairs", "lists", "standard", "conversational", "unpaired", NULL,
};

struct options {
	struct pk_cli *cli;            /* --from, --pairs, --rank-by ... */
	enum pk_convert_to to;
	int strict;
	const char *flatten;           /* --flatten-template */
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
		o->to = PK_CONVERT_PAIRS + pk_cli_parse_choice(o->cli, "--to", arg, to_names);
		break;
	default:
		return -1;
	}
	return 0;
}

/* The engine's operation: one pk_convert per worker. */
static void *convert_start(void *o, struct pk_error *err)
{
	return pk_convert_new(o, err);
}

static int convert_record(void *c, const struct pk_record *rec,
			  unsigned long long pos, const struct pk_sink *out,
			  struct pk_error *err)
{
	(void)pos;
	return pk_convert_record(c, rec, out, err);
}

static const char *convert_note(void *c)
{
	return pk_convert_note(c);
}

static int convert_end(void *c, const struct pk_sink *out,
		       struct pk_error *err)
{
	return pk_convert_finish(c, out, err);
}

static const char *convert_counter(void *c, size_t i, unsigned long long *v)
{
	return pk_convert_counter(c, i, v);
}

static void convert_stop(void *c)
{
	pk_convert_free(c);
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct pk_convert_opts co;
	struct pk_convert *c;
	struct pk_error err = {0};
	const struct pk_format_info *f = NULL;
	struct pk_cli_op op = {
		.ctx = &co, .start = convert_start, .record = convert_record,
		.note = convert_note, .end = convert_end,
		.counter = convert_counter, .stop = convert_stop, .hold = 1,
	};

	opt.cli = &cli;
	pk_cli_init(&cli, "pref-convert", GROUPS);
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);
	if (!cli.from)
		cli.from = "auto";

	if (strcmp(cli.from, "auto") != 0) {
		const char *n = cli.from;
		f = pk_format_lookup(n);
		if (!strcmp(n, "bon") && opt.to == PK_CONVERT_NATIVE)
			opt.to = PK_CONVERT_PAIRS; /* best against each loser */
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
		     (opt.to == PK_CONVERT_NATIVE || opt.to == PK_CONVERT_LISTS)))
			pk_cli_usage_error(&cli, "--pairs and --rank-by need ranked lists turned into pairs (--to pairs, standard or conversational)");
	}
	pk_cli_check_format_opts(&cli, cli.from);
	if (opt.flatten && opt.to != PK_CONVERT_STANDARD)
		pk_cli_usage_error(&cli, "--flatten-template goes with --to standard");

	pk_convert_opts_init(&co);
	co.from = cli.from;
	co.to = opt.to;
	co.flatten = opt.flatten;
	pk_cli_format_opts(&cli, &co.format);
	co.format.strict = opt.strict;
	co.format.conversational = opt.to == PK_CONVERT_CONVERSATIONAL;
	co.format.keep_ties = opt.to == PK_CONVERT_LISTS;
	pk_cli_pair_field_opts(&cli, &co.format);
	co.format.responses_field = cli.responses_field;
	co.format.text_field = cli.text_field;
	co.format.score_field = cli.score_field;
	co.format.rank_field = cli.rank_field;
	co.format.memory = cli.memory;
	co.format.tmpdir = cli.tmpdir;
	co.expand.rank.rank_by = cli.rank_by;
	co.expand.pairs = cli.pairs;
	/* the options are checked once, before any worker starts */
	if (!(c = pk_convert_new(&co, &err))) {
		if (err.kind == PK_ERR_USAGE)
			pk_cli_usage_error(&cli, "%s", err.text);
		pk_cli_fatal(&cli, "%s", err.text);
	}
	op.parallel = pk_convert_per_record(c);
	pk_convert_free(c);
	pk_cli_run(&cli, &op);
	return pk_cli_finish(&cli);
}
