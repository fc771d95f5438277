/* SPDX-License-Identifier: MIT */
/*
 * pref-cat - read anything (JSON Lines, JSON array files, zstd, gzip) and
 * write canonical compact JSON Lines (SPEC 3.0).  Every record is
 * validated; its bytes are copied as they came, minus the whitespace
 * outside strings.  It is the pass-through ceiling of the other commands.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static struct pk_cli cli;

static void usage(FILE *fp, int status)
{
	fprintf(fp, "Usage: pref-cat [OPTION]... [FILE]...\n");
	if (status != 0)
		return;
	fputs("Concatenate preference data (JSON Lines, JSON array files, zstd or gzip\n"
	      "compressed) into validated compact JSON Lines.  With no FILE, or when\n"
	      "FILE is -, read standard input.\n",
	      fp);
	pk_cli_common_help(&cli, fp);
}

/* The engine's operation: the record as it came, compacted. */
static void *cat_start(void *ctx, struct pk_error *err)
{
	struct pk_buf *scratch = calloc(1, sizeof *scratch);

	(void)ctx;
	if (!scratch)
		pk_error_set(err, PK_ERR_NOMEM, "out of memory");
	return scratch;
}

static int cat_record(void *scratch, const struct pk_record *rec,
		      unsigned long long pos, const struct pk_sink *out,
		      struct pk_error *err)
{
	(void)pos;
	(void)err;
	return pk_sink_record(out, rec, scratch);
}

static void cat_stop(void *scratch)
{
	pk_buf_free(scratch);
	free(scratch);
}

int main(int argc, char **argv)
{
	struct pk_cli_op op = {
		.start = cat_start, .record = cat_record, .stop = cat_stop,
		.parallel = 1,
	};

	pk_cli_init(&cli, "pref-cat", PK_CLI_THREADS);
	pk_cli_parse(&cli, argc, argv, NULL, NULL, NULL, NULL, usage);
	pk_cli_run(&cli, &op);
	return pk_cli_finish(&cli);
}
