/* SPDX-License-Identifier: MIT */
/*
 * pref-dedup - keep the first record of each key, in input order (SPEC
 * 3.9).  The key of a record is the XXH3-128 of the canonical JSON of its
 * key fields (pk_dupkey); the records are kept or dropped by pk_dedup,
 * which stays within --memory (key tables and records put aside spill to
 * --tmpdir) and gives the same output for any budget.
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
	struct pk_cli help = {.groups = PK_CLI_FIELDS | PK_CLI_SORT};

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

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct pk_dedup_opts o;
	struct pk_dedup *d;
	struct pk_dedup_stats st;
	struct pk_error err = {0};
	struct pk_sink sink;
	int rc, status;

	memset(&o, 0, sizeof o);
	pk_cli_init(&cli, "pref-dedup", PK_CLI_FIELDS | PK_CLI_SORT);
	opt.cli = &cli;
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);
	o.key.key = opt.key;
	o.key.norm = opt.norm;
	o.key.prompt_field = cli.prompt_field;
	o.key.chosen_field = cli.chosen_field;
	o.key.rejected_field = cli.rejected_field;
	o.memory = cli.memory;
	o.tmpdir = cli.tmpdir;
	if (!(d = pk_dedup_new(&o, &err))) {
		if (err.kind == PK_ERR_USAGE)
			pk_cli_usage_error(&cli, "--key: %s", err.text);
		pk_cli_fatal(&cli, "%s", err.text);
	}

	if (pk_cli_open_output(&cli) == 0) {
		while (pk_cli_next(&cli)) {
			pk_error_clear(&err);
			rc = pk_dedup_record(d, &cli.rec, &err);
			if (rc == PK_DEDUP_KEEP)
				pk_cli_emit_record(&cli);
			else if (rc == PK_BAD_RECORD)
				pk_cli_reject_error(&cli, &err);
			else if (rc < 0)
				pk_cli_error(&cli, "%s", err.text);
		}
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
