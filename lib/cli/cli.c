/* SPDX-License-Identifier: MIT */
/*
 * cli.c - the conventions every pref-* command shares (SPEC section 2):
 * a command's start (defaults, safe descriptors, signals), its messages
 * and exit codes, and its end.  Unlike libprefkit this code prints, and
 * exits on misuse.  The rest of the command plumbing, by concern:
 * options.c (the command line), input.c (the read loop and --on-error),
 * output.c (outputs, quarantine, temporary files and signals) and
 * report.c (--stats and progress).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_internal.h"
#include "pk_private.h"

void pk_cli_init(struct pk_cli *cli, const char *progname, unsigned groups)
{
	const char *tmp = getenv("TMPDIR");

	memset(cli, 0, sizeof *cli);
	cli->progname = progname;
	cli->groups = groups;
	cli->zstd_level = PK_ZSTD_AUTO;
	cli->max_line = (size_t)256 << 20;
	cli->memory = (size_t)512 << 20;
	cli->tmpdir = tmp && *tmp ? tmp : "/tmp";
	cli->progress = -1;
	cli->prompt_field = "prompt";
	cli->chosen_field = "chosen";
	cli->rejected_field = "rejected";
	cli->score_chosen_field = "score_chosen";
	cli->score_rejected_field = "score_rejected";
	cli->responses_field = "responses";
	cli->pairs.kind = PK_PAIRS_BEST_VS_REST;
	cli->rank_by = PK_RANK_BY_SCORE;
	cli->text_field = "text";
	cli->score_field = "score";
	cli->rank_field = "rank";

	cli_start(progname);
}

static void vmsg(const struct pk_cli *cli, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", cli->progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pk_cli_usage_error(struct pk_cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cli, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n",
		cli->progname);
	exit(PK_EXIT_ERROR);
}

void pk_cli_fatal(struct pk_cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cli, fmt, ap);
	va_end(ap);
	exit(PK_EXIT_ERROR);
}

void pk_cli_error(struct pk_cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cli, fmt, ap);
	va_end(ap);
	cli->status = PK_EXIT_ERROR;
	cli->stop = 1;
}

void pk_cli_warn(struct pk_cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli->quiet)
		return;
	cli_clear_progress(cli);
	fprintf(stderr, "%s: %s:%llu: ", cli->progname,
		cli->input_name ? cli->input_name : "-", cli->line.lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Flush standard output: 0, or -1 after "write error" (and status 2). */
static int flush_stdout(struct pk_cli *cli)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fprintf(stderr, "%s: write error: %s\n", cli->progname,
		strerror(errno));
	cli->status = PK_EXIT_ERROR;
	return -1;
}

void pk_cli_exit_stdout(struct pk_cli *cli)
{
	exit(flush_stdout(cli) < 0 ? PK_EXIT_ERROR : PK_EXIT_OK);
}

int pk_cli_finish(struct pk_cli *cli)
{
	cli_close_input(cli);
	cli_clear_progress(cli);
	if (cli->on_error != PK_ON_ERROR_ABORT &&
	    cli->nreported > PK_CLI_MAX_REPORTS)
		fprintf(stderr, "%s: %u bad records in all (%u not shown)\n",
			cli->progname, cli->nreported,
			cli->nreported - PK_CLI_MAX_REPORTS);
	cli_close_outputs(cli);
	if (cli->want_stats)
		cli_write_stats(cli);
	pk_record_free(&cli->rec);
	pk_buf_free(&cli->held);
	free(cli->input_name_buf);
	cli->input_name_buf = NULL;
	flush_stdout(cli);
	return cli->status;
}
