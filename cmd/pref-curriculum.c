/* SPDX-License-Identifier: MIT */
/*
 * pref-curriculum - easy-to-hard orderings of preference pairs (SPEC 3.3;
 * Pattnaik et al. 2024, Curry-DPO).  Ranked lists become pairs (--pairs),
 * scored pairs are taken as they are; every pair gets "gap" and "stage",
 * and all come out by stage, within one shuffled (--seed) or by gap,
 * through the library's external sort.  -j N builds the pairs on threads;
 * --split-stages writes a file per stage; --merge merges shards' outputs.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefkit.h"
#include "cli.h"

/* The options, and what the loop carries from record to record. */
struct state {
	struct pk_cli *cli;
	struct pk_curriculum_opts co; /* also the -j builders' */
	const char *split;           /* --split-stages PREFIX */
	int merge;
	struct pk_curriculum *c;
	struct pk_rank_opts fopts;   /* lists from a format reader */
	struct pk_format_reader *fr;
	unsigned nfiles;             /* --split-stages: stage s is output s-1 */
	struct pk_error err;
};

enum {
	OPT_INPUT = CHAR_MAX + 1,
	OPT_KEEP_TIES,
	OPT_MERGE,
	OPT_SPLIT_STAGES,
	OPT_STAGE_BY,
	OPT_STAGES,
	OPT_WITHIN,
};

#define GROUPS (PK_CLI_FIELDS | PK_CLI_LISTS | PK_CLI_SORT | PK_CLI_SEED | \
		PK_CLI_FORMATS | PK_CLI_THREADS)

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"input", required_argument, NULL, OPT_INPUT},
	{"keep-ties", no_argument, NULL, OPT_KEEP_TIES},
	{"merge", no_argument, NULL, OPT_MERGE},
	{"split-stages", required_argument, NULL, OPT_SPLIT_STAGES},
	{"stage-by", required_argument, NULL, OPT_STAGE_BY},
	{"stages", required_argument, NULL, OPT_STAGES},
	{"within", required_argument, NULL, OPT_WITHIN},
	{NULL, 0, NULL, 0},
};

/* Keyword values, in the order of their enums (pk_curriculum_opts). */
static const char *const input_names[] = {"lists", "pairs", NULL};
static const char *const stage_names[] = {"rank", "gap", NULL};
static const char *const within_names[] = {"shuffle", "gap", NULL};

static const char help[] =
	"Usage: pref-curriculum [OPTION]... [FILE]...\n"
	"Order preference pairs easy to hard (Curry-DPO): ranked lists become pairs\n"
	"(best-vs-rest), every pair gets \"gap\" and \"stage\", and all come out by stage.\n"
	"\n"
	"Options:\n"
	"      --input=KIND         lists or pairs (default: from the first record)\n"
	"      --stage-by=HOW       rank (default for lists): pair (R1, Rk) of N\n"
	"                           responses is stage N-k+1; gap (default for pairs):\n"
	"                           K stages of equal size by gap, largest first\n"
	"      --stages=K           number of gap stages (default 3; implies gap)\n"
	"      --within=ORDER       shuffle (default; seeded by --seed) or gap\n"
	"                           (descending, then input order) within a stage\n"
	"      --keep-ties          keep pairs with gap <= 0 (in the last stage)\n"
	"      --split-stages=PREFIX  write PREFIX.stage1.jsonl ... (.zst with -z)\n"
	"      --merge              merge FILEs ordered before with the same --seed and\n"
	"                           --within (shards), without sorting again\n";

static int handle_opt(void *ctx, int opt, const char *arg)
{
	struct state *o = ctx;

	switch (opt) {
	case OPT_INPUT:
		o->co.input = PK_CURR_LISTS +
			      pk_cli_parse_choice(o->cli, "--input", arg, input_names);
		break;
	case OPT_KEEP_TIES:
		o->co.keep_ties = 1;
		break;
	case OPT_MERGE:
		o->merge = 1;
		break;
	case OPT_SPLIT_STAGES:
		if (!*arg)
			pk_cli_usage_error(o->cli, "--split-stages: empty prefix");
		o->split = arg;
		break;
	case OPT_STAGE_BY:
		o->co.stage_by = PK_CURR_STAGE_RANK +
				 pk_cli_parse_choice(o->cli, "--stage-by", arg, stage_names);
		break;
	case OPT_STAGES:
		o->co.stages = (unsigned)pk_cli_parse_int(o->cli, "--stages", arg, 1, 1000000);
		break;
	case OPT_WITHIN:
		o->co.within = PK_CURR_SHUFFLE +
			       pk_cli_parse_choice(o->cli, "--within", arg, within_names);
		break;
	default:
		return -1;
	}
	return 0;
}

/* A list from the format reader: held until its input record is good. */
static int from_format(void *ctx, const char *json, size_t len)
{
	struct state *st = ctx;

	return pk_curriculum_feed_held_text(st->c, json, len, &st->fopts, &st->err);
}

/* After a record of a foreign format: keep its lists or drop them. */
static void settle(struct state *st, int rc)
{
	struct pk_error err = {0};

	if (pk_curriculum_settle(st->c, rc == PK_OK, &err) != PK_OK && !st->cli->stop)
		pk_cli_error(st->cli, "%s", err.text);
}

/* After an input record: as --on-error says, or a temporary file's error. */
static void settled(struct state *st, int rc)
{
	if (rc == PK_FATAL && st->err.kind == PK_ERR_IO)
		pk_cli_error(st->cli, "%s", st->err.text);
	else
		pk_cli_settle(st->cli, rc, &st->err);
}

static void read_input(struct state *st)
{
	struct pk_cli *cli = st->cli;

	while (pk_cli_next(cli)) {
		if (st->fr) {
			settle(st, pk_cli_feed(cli, st->fr, from_format, st, &st->err));
			continue;
		}
		pk_error_clear(&st->err);
		settled(st, pk_curriculum_feed(st->c, &cli->rec, &st->err));
	}
	if (st->fr)
		settle(st, pk_cli_feed_end(cli, st->fr, from_format, st, &st->err));
}

/* -j N: the pairs of each record are built on the engine's threads (a
 * curriculum each, pk_curriculum_build), and sorted here in input order. */
static void *build_start(void *ctx, struct pk_error *err)
{
	return pk_curriculum_new(&((struct state *)ctx)->co, err);
}

static void build_stop(void *ws)
{
	pk_curriculum_free(ws);
}

static int build_record(void *ws, const struct pk_record *rec, unsigned long long pos,
			const struct pk_sink *out, struct pk_error *err)
{
	(void)pos;
	return pk_curriculum_build(ws, rec, out, err);
}

static void consume(void *ctx, struct pk_cli *cli, const char *data, size_t len)
{
	struct state *st = ctx;

	pk_error_clear(&st->err);
	settled(st, pk_curriculum_add_built(st->c, data, len, cli->line.data, cli->line.len,
					    &st->err));
}

/* --split-stages: open the files of the stages up to s (a stage may be
 * empty: its file is still written); 0, or -1 after an error. */
static int stage_files(struct state *st, const char *prefix, unsigned s)
{
	int z = st->cli->zstd_level;
	char path[strlen(prefix) + 40];

	while (st->nfiles < s) {
		snprintf(path, sizeof path, "%s.stage%u.jsonl%s", prefix, st->nfiles + 1,
			 z != PK_ZSTD_AUTO ? ".zst" : "");
		if (pk_cli_add_output(st->cli, path, z) < 0)
			return -1;
		st->nfiles++;
	}
	return 0;
}

static void write_output(struct state *st, const char *split)
{
	struct pk_cli *cli = st->cli;
	const char *json;
	size_t n;
	unsigned stage;
	int rc = PK_EOF;
	struct pk_sink out;

	pk_cli_sink(cli, &out); /* each pair put together in the output */
	while (!cli->stop && (rc = split ? pk_curriculum_next(st->c, &json, &n, &stage, &st->err)
				    : pk_curriculum_next_to(st->c, &out, &stage, &st->err)) == PK_OK)
		if (split && stage_files(st, split, stage) == 0)
			pk_cli_emit_to(cli, stage - 1, json, n);
	if (cli->stop)
		return;
	if (rc == PK_BAD_RECORD) { /* a merge input out of order */
		fprintf(stderr, "%s: %s\n", cli->progname, st->err.text);
		cli->status = PK_EXIT_DATA;
	} else if (rc != PK_EOF) {
		pk_cli_error(cli, "%s", st->err.text);
	} else if (split) {
		stage_files(st, split, pk_curriculum_stages(st->c));
	}
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct state st = {0};
	struct pk_rank_opts ropts;
	struct pk_cli_op op = {.ctx = &st, .start = build_start, .record = build_record,
			       .stop = build_stop, .consume = consume, .parallel = 1};
	unsigned long long v, nblank;
	const char *name;
	size_t i;

	st.cli = &cli;
	pk_cli_init(&cli, "pref-curriculum", GROUPS);
	cli.help = help;
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &st, NULL);
	if ((st.fr = pk_cli_open_list_format(&cli))) {
		pk_rank_opts_init(&st.fopts);
		st.fopts.rank_by = cli.rank_by;
	}

	if (st.co.stages && st.co.stage_by == PK_CURR_STAGE_RANK)
		pk_cli_usage_error(&cli, "--stages goes with --stage-by gap");
	if (st.co.stages)
		st.co.stage_by = PK_CURR_STAGE_GAP;
	if (st.fr && st.co.input == PK_CURR_PAIRS)
		pk_cli_usage_error(&cli, "--from %s gives lists, not pairs", cli.from);
	if (st.split && cli.output)
		pk_cli_usage_error(&cli, "--split-stages writes files of its own: no -o");
	if (st.merge && st.fr)
		pk_cli_usage_error(&cli, "--merge reads pref-curriculum output, not --from");
	pk_cli_rank_opts(&cli, &ropts);
	st.co.rank = &ropts;
	st.co.pairs = cli.pairs;
	st.co.seed = cli.seed;
	st.co.chosen_field = cli.chosen_field;
	st.co.rejected_field = cli.rejected_field;
	st.co.score_chosen_field = cli.score_chosen_field;
	st.co.score_rejected_field = cli.score_rejected_field;
	st.co.memory = cli.memory;
	st.co.tmpdir = cli.tmpdir;
	if (!(st.c = pk_curriculum_new(&st.co, &st.err))) {
		if (st.err.kind == PK_ERR_USAGE)
			pk_cli_usage_error(&cli, "%s", st.err.text);
		pk_cli_fatal(&cli, "%s", st.err.text);
	}

	if ((st.split ? pk_cli_open_outputs(&cli, NULL, 0, 0) : pk_cli_open_output(&cli)) == 0) {
		if (!st.merge && !st.fr && pk_cli_threads(&cli) > 1)
			pk_cli_run(&cli, &op);
		else if (!st.merge)
			read_input(&st);
		for (i = 0; st.merge && !cli.stop && i < (size_t)(cli.ninputs ? cli.ninputs : 1); i++)
			if (pk_curriculum_merge_file(st.c, cli.ninputs ? cli.inputs[i] : "-",
						     cli.max_line, &st.err) != PK_OK)
				pk_cli_error(&cli, "%s", st.err.text);
		if (!cli.stop)
			write_output(&st, st.split);
	}
	if (st.merge) {
		pk_curriculum_merge_lines(st.c, &cli.nread, &nblank);
		cli.nblank += nblank;
	}
	for (i = 0; (name = pk_curriculum_counter(st.c, i, &v)); i++)
		pk_cli_count(&cli, name, v);
	pk_curriculum_free(st.c); /* its temporary files closed first */
	pk_format_reader_free(st.fr);
	return pk_cli_finish(&cli);
}
