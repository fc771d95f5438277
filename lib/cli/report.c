/* SPDX-License-Identifier: MIT */
/*
 * report.c - what a command tells besides its output: the progress line
 * on a terminal, the counters of --stats and the stats object itself
 * (to standard error, or to a file written atomically).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_internal.h"
#include "pk_private.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void cli_clear_progress(struct pk_cli *cli)
{
	if (cli->last_progress > 0) {
		fputs("\r\033[K", stderr);
		cli->last_progress = 0;
	}
}

void cli_progress_tick(struct pk_cli *cli)
{
	double t;

	if (!cli->progress || (cli->nread & 0x3fff))
		return;
	t = now();
	if (cli->last_progress > 0 && t - cli->last_progress < 0.5)
		return;
	cli->last_progress = t;
	fprintf(stderr, "\r%s: %s: %llu records, %.1f MiB read", cli->progname,
		cli->input_name,  cli->nread,
		cli->reader ? pk_reader_bytes_in(cli->reader) / 1048576.0 : 0.0);
}

void pk_cli_count(struct pk_cli *cli, const char *name, unsigned long long n)
{
	int i;

	for (i = 0; i < cli->ncounters; i++)
		if (strcmp(cli->counters[i].name, name) == 0) {
			cli->counters[i].value += n;
			return;
		}
	if (cli->ncounters < PK_CLI_MAX_COUNTERS) {
		cli->counters[cli->ncounters].name = name;
		cli->counters[cli->ncounters++].value = n;
	}
}

/* --stats: standard error, or a file written like the output (through a
 * temporary file, so a full disk is an error and leaves no empty or
 * partial file). */
void cli_write_stats(struct pk_cli *cli)
{
	struct pk_buf b = PK_BUF_INIT;
	int i, rc;

	rc = pk_buf_printf(&b, "{\"read\":%llu,\"written\":%llu,\"skipped\":%llu,"
			   "\"quarantined\":%llu,\"blank\":%llu",
			   cli->nread, cli->nwritten, cli->nskipped,
			   cli->nquarantined, cli->nblank);
	for (i = 0; i < cli->ncounters && rc == PK_OK; i++)
		rc = pk_buf_printf(&b, ",\"%s\":%llu", cli->counters[i].name,
				   cli->counters[i].value);
	if (rc == PK_OK)
		rc = pk_buf_puts(&b, "}\n");
	if (rc != PK_OK) {
		pk_buf_free(&b);
		fprintf(stderr, "%s: out of memory\n", cli->progname);
		cli->status = PK_EXIT_ERROR;
		return;
	}
	if (!cli->stats_path) {
		fwrite(b.data, 1, b.len, stderr);
		pk_buf_free(&b);
		return;
	}
	pk_cli_write_file(cli, cli->stats_path, b.data, b.len);
	pk_buf_free(&b);
}
