/* SPDX-License-Identifier: MIT */
/*
 * check.c - pk_cli_check(): pref-check's checker over every line of the
 * inputs on the engine's threads (pk_cli_run).  The rules of each line
 * run on the workers (pk_check_worker), which hand its events on as the
 * line's output; this thread replays them in input order
 * (pk_check_replay): the counts, the list of violations, the duplicate
 * keys.  The inputs as they open and the lines the reader rejects come
 * here in order too.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

struct check_run {
	struct pk_cli *cli;
	struct pk_check *ck;
	const struct pk_format_opts *fo;  /* --from, or NULL */
};

/* A failure of the checker: the run stops, exit status 2 (a failed write
 * has been reported already). */
static void fail(struct pk_cli *cli, int rc, const struct pk_error *err)
{
	if (!cli->stop && rc == PK_FATAL && err->kind != PK_ERR_NONE)
		pk_cli_error(cli, "%s", err->text);
	cli->stop = 1;
	if (cli->status == PK_EXIT_OK)
		cli->status = PK_EXIT_ERROR;
}

static void *check_start(void *ctx, struct pk_error *err)
{
	struct check_run *run = ctx;
	struct pk_format_reader *fr = NULL;

	if (run->fo)
		fr = pk_cli_format_reader(run->cli, run->cli->from, run->fo);
	return pk_check_worker(run->ck, fr, err);
}

static void check_stop(void *w)
{
	pk_check_free(w);
}

/* On a worker: the line's events are its output. */
static int check_line(void *w, const struct pk_line *l,
		      unsigned long long pos, const struct pk_sink *out,
		      struct pk_error *err)
{
	const void *ev;
	size_t n;
	int rc = pk_check_line(w, l->lineno, l->data, l->len, err);

	(void)pos;
	if (rc < 0)
		return rc;
	pk_check_events(w, &ev, &n);
	return out->emit(out->ctx, ev, n);
}

/* One thread (a format reader that groups records): its last records,
 * counted at once. */
static int check_end(void *w, const struct pk_sink *out,
		     struct pk_error *err)
{
	(void)out;
	return pk_check_finish(w, err);
}

static void check_consume(void *ctx, struct pk_cli *cli, const char *data,
			  size_t len)
{
	struct check_run *run = ctx;
	struct pk_error err = {0};
	int rc = pk_check_replay(run->ck, data, len - 1, &err);

	if (rc < 0)
		fail(cli, rc, &err);
}

/* A line the reader rejected: a violation of rule json. */
static void check_rejected(void *ctx, struct pk_cli *cli,
			   const struct pk_error *e)
{
	struct check_run *run = ctx;
	struct pk_error err = {0};
	char msg[sizeof e->text + 32];
	int rc;

	if (e->column)
		snprintf(msg, sizeof msg, "%s (column %lu)", e->text, e->column);
	else
		snprintf(msg, sizeof msg, "%s", e->text);
	rc = pk_check_report(run->ck, cli->line.lineno, PK_CHECK_JSON, msg,
			     &err);
	if (rc < 0)
		fail(cli, rc, &err);
}

static void check_opened(void *ctx, struct pk_cli *cli)
{
	struct check_run *run = ctx;
	struct pk_error err = {0};
	int rc = pk_check_begin_file(run->ck, cli->input_name, &err);

	if (rc < 0)
		fail(cli, rc, &err);
}

void pk_cli_check(struct pk_cli *cli, struct pk_check *ck,
		  const struct pk_format_opts *fo)
{
	struct check_run run = {cli, ck, fo};
	struct pk_cli_op op = {
		.ctx = &run, .start = check_start, .line = check_line,
		.end = check_end, .stop = check_stop, .consume = check_consume,
		.rejected = check_rejected, .opened = check_opened,
		.parallel = 1,
	};
	struct pk_error err = {0};
	int rc;

	if (fo) {
		/* one reader per worker when records convert one by one */
		struct pk_format_reader *fr =
			pk_cli_format_reader(cli, cli->from, fo);

		op.parallel = pk_format_reader_per_record(fr);
		pk_format_reader_free(fr);
	}
	pk_cli_run(cli, &op);
	if (cli->status == PK_EXIT_OK && (rc = pk_check_finish(ck, &err)) < 0)
		fail(cli, rc, &err);
}
