/* SPDX-License-Identifier: MIT */
/*
 * pref-split - train/test splits and shards by group hash (SPEC 3.9).
 * Each record goes to the part that its group key (the prompt, or a
 * field) and the seed decide (pk_split_record), so a prompt never lands
 * on both sides and a record never moves when more data is added.  The
 * parts are written atomically, all together or not at all.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "prefkit.h"
#include "cli.h"

#define MAX_SHARDS 99999 /* five digits in the names */

struct options {
	struct pk_cli *cli;
	int has_test;
	double test;
	unsigned long shards;
	const char *by;      /* NULL = the prompt */
};

enum {
	OPT_BY = CHAR_MAX + 1,
	OPT_SHARDS,
	OPT_TEST,
};

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"by", required_argument, NULL, OPT_BY},
	{"shards", required_argument, NULL, OPT_SHARDS},
	{"test", required_argument, NULL, OPT_TEST},
	{NULL, 0, NULL, 0},
};

static const char help[] =
	"Usage: pref-split --test=FRACTION -o PREFIX [OPTION]... [FILE]...\n"
	"  or:  pref-split --shards=N -o PREFIX [OPTION]... [FILE]...\n"
	"Split records by the hash of their group key (the prompt), so that a\n"
	"prompt never lands on both sides and no record moves when data is added:\n"
	"PREFIX.train.jsonl and PREFIX.test.jsonl, or the shards\n"
	"PREFIX-00000-of-0000N.jsonl ... (.jsonl.zst with -z).\n"
	"\n"
	"Options:\n"
	"      --test=FRACTION      the share of groups in the test part (0 to 1)\n"
	"      --shards=N           N shards (1 to 99999) instead\n"
	"      --by=KEY             the group key: prompt (default; an implicit\n"
	"                           prompt for whole conversations) or field=NAME\n";

static int handle_opt(void *ctx, int opt, const char *arg)
{
	struct options *o = ctx;

	switch (opt) {
	case OPT_BY:
		if (strcmp(arg, "prompt") == 0)
			o->by = NULL;
		else if (strncmp(arg, "field=", 6) == 0 && arg[6])
			o->by = arg + 6;
		else
			pk_cli_usage_error(o->cli, "--by: invalid value '%s' (prompt or field=NAME)", arg);
		break;
	case OPT_SHARDS:
		o->shards = (unsigned long)pk_cli_parse_int(o->cli, "--shards",
							    arg, 1, MAX_SHARDS);
		break;
	case OPT_TEST:
		o->test = pk_cli_parse_double(o->cli, "--test", arg);
		if (!(o->test >= 0 && o->test <= 1))
			pk_cli_usage_error(o->cli, "--test: invalid value '%s' (a fraction from 0 to 1)", arg);
		o->has_test = 1;
		break;
	default:
		return -1;
	}
	return 0;
}

/* One open file per part, and a few more: raise the soft limit if the
 * hard one allows it. */
static void check_files(struct pk_cli *cli, size_t nparts)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)nparts + 16;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= need)
		return;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need) {
		rl.rlim_cur = need;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return;
	}
	pk_cli_usage_error(cli, "--shards=%zu needs %llu open files, more than the limit of %llu (ulimit -n)",
			   nparts, (unsigned long long)need,
			   (unsigned long long)rl.rlim_max);
}

/* The names of the parts. */
static char **part_names(struct pk_cli *cli, const struct options *o,
			 size_t nparts, const char *ext)
{
	char **names = calloc(nparts, sizeof *names);
	size_t k;

	if (!names)
		pk_cli_fatal(cli, "out of memory");
	for (k = 0; k < nparts; k++) {
		struct pk_buf b = PK_BUF_INIT;
		int rc;

		if (o->shards)
			rc = pk_buf_printf(&b, "%s-%05zu-of-%05lu%s", cli->output,
					   k, o->shards, ext);
		else
			rc = pk_buf_printf(&b, "%s.%s%s", cli->output,
					   k ? "test" : "train", ext);
		if (rc < 0)
			pk_cli_fatal(cli, "out of memory");
		names[k] = pk_buf_take(&b);
	}
	return names;
}

/* The engine's operation: the part of each record is found on the worker
 * threads; this thread writes each record to its part, in input order. */
struct split_run {
	struct pk_split_opts so;
	unsigned long long count[2];   /* --test: train, test */
};

struct worker {
	struct pk_splitter *sp;
	struct pk_buf out;             /* the part, then the record */
	struct pk_buf scratch;         /* the record compacted */
};

static int append(void *b, const char *json, size_t len)
{
	return pk_buf_append(b, json, len) < 0 ? PK_FATAL : PK_OK;
}

static void split_stop(void *ctx)
{
	struct worker *w = ctx;

	pk_splitter_free(w->sp);
	pk_buf_free(&w->out);
	pk_buf_free(&w->scratch);
	free(w);
}

static void *split_start(void *ctx, struct pk_error *err)
{
	struct split_run *run = ctx;
	struct worker *w = calloc(1, sizeof *w);

	if (!w) {
		pk_error_set(err, PK_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (!(w->sp = pk_splitter_new(&run->so, err))) {
		split_stop(w);
		return NULL;
	}
	return w;
}

static int split_record(void *ctx, const struct pk_record *rec,
			unsigned long long pos, const struct pk_sink *out,
			struct pk_error *err)
{
	struct worker *w = ctx;
	struct pk_sink to_out = {append, NULL, NULL, &w->out};
	size_t part;
	int rc = pk_split_record(w->sp, rec, &part, err);

	(void)pos;
	if (rc != PK_OK)
		return rc;
	pk_buf_reset(&w->out);
	if (pk_buf_append(&w->out, &part, sizeof part) < 0 ||
	    pk_sink_record(&to_out, rec, &w->scratch) != PK_OK)
		return pk_error_set(err, PK_ERR_NOMEM, "out of memory");
	return out->emit(out->ctx, w->out.data, w->out.len);
}

static void split_consume(void *ctx, struct pk_cli *cli, const char *data,
			  size_t len)
{
	struct split_run *run = ctx;
	size_t part;

	memcpy(&part, data, sizeof part);
	if (pk_cli_emit_to(cli, part, data + sizeof part,
			   len - sizeof part - 1) == 0 && !run->so.shards)
		run->count[part]++;
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct split_run run = {0};
	struct pk_split_opts *so = &run.so;
	struct pk_cli_op op = {
		.ctx = &run, .start = split_start, .record = split_record,
		.stop = split_stop, .consume = split_consume, .parallel = 1,
		.errors_at_record = 1,
	};
	struct pk_splitter *sp;
	struct pk_error err = {0};
	int level, status;
	char **names;
	size_t nparts, k;

	pk_cli_init(&cli, "pref-split", PK_CLI_FIELDS | PK_CLI_SEED | PK_CLI_THREADS);
	cli.help = help;
	opt.cli = &cli;
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, NULL);
	if (opt.has_test == (opt.shards > 0))
		pk_cli_usage_error(&cli, "give one of --test and --shards");
	if (!cli.output || !*cli.output || strcmp(cli.output, "-") == 0)
		pk_cli_usage_error(&cli, "-o PREFIX is needed: the parts are named after it");
	if (cli.output[strlen(cli.output) - 1] == '/')
		pk_cli_usage_error(&cli, "-o %s: a PREFIX is a directory and the start of a name, as in %sdata",
				   cli.output, cli.output);
	nparts = opt.shards ? opt.shards : 2;
	check_files(&cli, nparts);
	level = cli.zstd_level == PK_ZSTD_AUTO ? 0 : cli.zstd_level;
	names = part_names(&cli, &opt, nparts, level ? ".jsonl.zst" : ".jsonl");

	so->test = opt.test;
	so->shards = opt.shards;
	so->seed = cli.seed;
	so->by = opt.by;
	so->prompt_field = cli.prompt_field;
	so->chosen_field = cli.chosen_field;
	/* the options are checked once, before any worker starts */
	if (!(sp = pk_splitter_new(so, &err)))
		pk_cli_fatal(&cli, "%s", err.text);
	pk_splitter_free(sp);

	if (pk_cli_open_outputs(&cli, names, nparts, level) == 0)
		pk_cli_run(&cli, &op);
	if (!opt.shards) {
		pk_cli_count(&cli, "train", run.count[0]);
		pk_cli_count(&cli, "test", run.count[1]);
	}
	status = pk_cli_finish(&cli);
	for (k = 0; k < nparts; k++)
		free(names[k]);
	free(names);
	return status;
}
