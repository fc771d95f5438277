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

int main(int argc, char **argv)
{
	pk_cli_init(&cli, "pref-cat", 0);
	pk_cli_parse(&cli, argc, argv, NULL, NULL, NULL, NULL, usage);
	if (pk_cli_open_output(&cli) == 0)
		while (pk_cli_next(&cli))
			pk_cli_emit_record(&cli);
	return pk_cli_finish(&cli);
}
