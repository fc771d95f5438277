/* SPDX-License-Identifier: MIT */
/*
 * pref-dedup - keep the first record of each key, in input order (SPEC
 * 3.9).  The key of a record is the XXH3-128 of the canonical JSON of its
 * key fields (pk_dupkey); the records are kept or dropped by pk_dedup,
 * which stays within --memory (key tables and records put aside spill to
 * --tmpdir) and gives the same output for any budget.  The keys are found
 * on the engine's worker threads (-j), each record sent on behind its key
 * (pk_dupkey_emit); this thread decides in input order (pk_dedup_keyed).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefkit.h"
#include "cli.h"

struct options {
	struct pk_cli *cli;
	const char *key;
	unsigned norm;
};

enum {
	OPT_KEY = CHAR_MAX + 1,
	OPT_NORMALIZE,
};

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"key", required_argument, NULL, OPT_KEY},
	{"normalize", required_argument, NULL, OPT_NORMALIZE},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *fp, int status)
{
	struct pk_cli help = {.groups = PK_CLI_FIELDS | PK_CLI_SORT | PK_CLI_THREADS};

	fputs("Usage: pref-dedup [OPTION]... [FILE]...\n"
	      "Keep the first record of each key, in input order; drop the others.\n"
	      "The key is the XXH3-128 hash of the canonical JSON of the key fields.\n"
	      "\n"
	      "Options:\n"
	      "      --key=KEY            pair (default: prompt, chosen and rejected),\n"
	      "                           prompt, chosen, rejected, or field names and\n"
	      "                           dotted paths, several separated by commas\n"
	      "      --normalize=WHAT     compare strings normalized: space (runs of white\n"
	      "                           space as one, none at the ends), case (Unicode\n"
	      "                           case folding), or space,case\n",
	      fp);
	pk_cli_common_help(&help, fp);
	(void)status;
}

static int handle_opt(void *ctx, int opt, const char *arg)
{
	struct options *o = ctx;

	switch (opt) {
	case OPT_KEY:
		o->key = arg;
		break;
	case OPT_NORMALIZE:
		if (pk_normalize_parse(arg, &o->norm) != PK_OK)
			pk_cli_usage_error(o->cli, "--normalize: invalid value '%s' (space, case or space,case)", arg);
		break;
	default:
		return -1;
	}
	return 0;
}

/* The engine's operation. */
struct dedup_run {
	struct pk_dedup_opts o;
	struct pk_dedup *d;
};

static void *dedup_start(void *ctx, struct pk_error *err)
{
	struct dedup_run *run = ctx;

	return pk_dupkey_new(&run->o.key, err);
}

static void dedup_stop(void *k)
{
	pk_dupkey_free(k);
}

static int dedup_record(void *k, const struct pk_record *rec,
			unsigned long long pos, const struct pk_sink *out,
			struct pk_error *err)
{
	(void)pos;
	return pk_dupkey_emit(k, rec, out, err);
}

static void dedup_consume(void *ctx, struct pk_cli *cli, const char *data,
			  size_t len)
{
	struct dedup_run *run = ctx;
	struct pk_error err = {0};
	/* the key, then the record compacted, or nothing when the line is */
	const char *json = len > 17 ? data + 16 : cli->line.data;
	size_t n = len > 17 ? len - 17 : cli->line.len;
	int rc = pk_dedup_keyed(run->d, (const unsigned char *)data, json, n,
				&err);

	if (rc == PK_DEDUP_KEEP)
		pk_cli_emit(cli, json, n);
	else if (rc < 0)
		pk_cli_error(cli, "%s", err.text);
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct dedup_run run;
	struct pk_dedup_opts *o = &run.o;
	struct pk_cli_op op = {
		.ctx = &run, .start = dedup_start, .record = dedup_record,
		.stop = dedup_stop, .consume = dedup_consume, .parallel = 1,
	};
	struct pk_dedup *d;
	struct pk_dedup_stats st;
	struct pk_error err = {0};
	struct pk_sink sink;
	int status;

	memset(&run, 0, sizeof run);
	pk_cli_init(&cli, "pref-dedup", PK_CLI_FIELDS | PK_CLI_SORT | PK_CLI_THREADS);
	opt.cli = &cli;
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);
	o->key.key = opt.key;
	o->key.norm = opt.norm;
	o->key.prompt_field = cli.prompt_field;
	o->key.chosen_field = cli.chosen_field;
	o->key.rejected_field = cli.rejected_field;
	o->memory = cli.memory;
	o->tmpdir = cli.tmpdir;
	if (!(d = run.d = pk_dedup_new(o, &err))) {
		if (err.kind == PK_ERR_USAGE)
			pk_cli_usage_error(&cli, "--key: %s", err.text);
		pk_cli_fatal(&cli, "%s", err.text);
	}

	if (pk_cli_open_output(&cli) == 0) {
		pk_cli_run(&cli, &op);
		/* the records put aside, once every key is known; not after a
		 * bad record under --on-error=abort (nothing more is written) */
		pk_cli_sink(&cli, &sink);
		if (!cli.stop && pk_dedup_finish(d, &sink, &err) != PK_OK &&
		    !cli.stop)
			pk_cli_error(&cli, "%s", err.text);
	}
	pk_dedup_get_stats(d, &st);
	pk_cli_count(&cli, "duplicates", st.dropped);
	pk_cli_count(&cli, "held", st.held);
	pk_cli_count(&cli, "key_tables_spilled", st.key_tables_spilled);
	status = pk_cli_finish(&cli);
	pk_dedup_free(d);
	return status;
}
