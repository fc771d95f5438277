/* SPDX-License-Identifier: MIT */
/*
 * pref-stats - what is in a dataset (SPEC 3.8): counts, formats, fields,
 * score, gap and length distributions, ties, list sizes and duplicates
 * (pk_stats_record per record), as text, --json or --html; two files are
 * shown side by side.  --sum adds up --stats files (issue 14).  Records
 * are measured on the engine's threads (-j) and added up in input order.
 */
#include "config.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefkit.h"
#include "cli.h"

struct options {
	struct pk_cli *cli;
	int json, ascii, sum;
	const char *html;
};

enum {
	OPT_ASCII = CHAR_MAX + 1,
	OPT_HTML,
	OPT_JSON,
	OPT_SUM,
};

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"ascii", no_argument, NULL, OPT_ASCII},
	{"html", required_argument, NULL, OPT_HTML},
	{"json", no_argument, NULL, OPT_JSON},
	{"sum", no_argument, NULL, OPT_SUM},
	{NULL, 0, NULL, 0},
};

#define GROUPS (PK_CLI_FIELDS | PK_CLI_SORT | PK_CLI_LISTS | PK_CLI_THREADS)

static const char help[] =
	"Usage: pref-stats [OPTION]... [FILE]\n"
	"  or:  pref-stats [OPTION]... BEFORE AFTER\n"
	"  or:  pref-stats --sum [STATS-FILE]...\n"
	"Describe a preference dataset: counts, detected format, fields, score and\n"
	"gap distributions, ties, lengths in characters and tokens, list sizes and\n"
	"duplicates.  Two files are shown side by side with their differences.\n"
	"\n"
	"Options:\n"
	"      --json               write the figures as one JSON object\n"
	"      --html=FILE          also write them as one self-contained HTML page\n"
	"      --ascii              draw histograms with ASCII characters (the default\n"
	"                           when the locale's character set is not UTF-8)\n"
	"      --sum                add up --stats objects (one per line) of any\n"
	"                           command into one\n";

static int handle_opt(void *ctx, int opt, const char *arg)
{
	struct options *o = ctx;

	switch (opt) {
	case OPT_ASCII:
		o->ascii = 1;
		break;
	case OPT_HTML:
		if (!*arg || strcmp(arg, "-") == 0)
			pk_cli_usage_error(o->cli, "--html needs a file name");
		o->html = arg;
		break;
	case OPT_JSON:
		o->json = 1;
		break;
	case OPT_SUM:
		o->sum = 1;
		break;
	default:
		return -1;
	}
	return 0;
}

static void write_buf(struct pk_cli *cli, struct pk_buf *b)
{
	if (cli->status == PK_EXIT_OK)
		pk_cli_write(cli, b->data ? b->data : "", b->len);
}

/* --sum: every line of every input is a --stats object. */
static int run_sum(struct pk_cli *cli)
{
	struct pk_error err = {0};
	struct pk_statsum *t = pk_statsum_new(&err);
	struct pk_buf out = PK_BUF_INIT;

	if (!t)
		pk_cli_fatal(cli, "%s", err.text);
	if (pk_cli_open_output(cli) == 0) {
		while (pk_cli_next(cli)) {
			pk_error_clear(&err);
			if (pk_statsum_add(t, &cli->rec, &err) < 0)
				pk_cli_reject_error(cli, &err);
			else
				cli->nwritten++;
		}
		if (pk_statsum_write(t, &out) < 0 || pk_buf_putc(&out, '\n') < 0)
			pk_cli_error(cli, "out of memory");
		write_buf(cli, &out);
	}
	pk_buf_free(&out);
	pk_statsum_free(t);
	return pk_cli_finish(cli);
}

/* The engine's operation: each record measured on a worker thread
 * (pk_stats_measure), its measurements added up in this thread in input
 * order (pk_stats_add), so the figures are the same at any -j. */
struct describe {
	struct pk_stats_opts so;
	struct pk_stats *s;
};

struct meter {
	struct pk_stats_meter *m;
	struct pk_buf out;
};

static void *meter_start(void *ctx, struct pk_error *err)
{
	struct describe *d = ctx;
	struct meter *w = calloc(1, sizeof *w);

	if (!w) {
		pk_error_set(err, PK_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (!(w->m = pk_stats_meter_new(&d->so, err))) {
		free(w);
		return NULL;
	}
	return w;
}

static void meter_stop(void *ws)
{
	struct meter *w = ws;

	pk_stats_meter_free(w->m);
	pk_buf_free(&w->out);
	free(w);
}

static int meter_record(void *ws, const struct pk_record *rec,
			unsigned long long pos, const struct pk_sink *out,
			struct pk_error *err)
{
	struct meter *w = ws;
	int rc;

	(void)pos;
	pk_buf_reset(&w->out);
	if ((rc = pk_stats_measure(w->m, rec, &w->out, err)) < 0)
		return rc;
	return out->emit(out->ctx, w->out.data, w->out.len);
}

static void add_up(void *ctx, struct pk_cli *cli, const char *data,
		   size_t len)
{
	struct describe *d = ctx;
	struct pk_error err = {0};

	/* one output record, '\n' ended */
	if (pk_stats_add(d->s, data, len - 1, &err) < 0)
		pk_cli_reject_error(cli, &err);
	else
		cli->nwritten++; /* described */
}

/* Read input k (or every input when k < 0) into a new pk_stats. */
static struct pk_stats *describe(struct pk_cli *cli, int k)
{
	struct describe d = {{0}, NULL};
	struct pk_cli_op op = {
		.ctx = &d, .start = meter_start, .record = meter_record,
		.stop = meter_stop, .consume = add_up, .parallel = 1,
		.errors_at_record = 1,
	};
	struct pk_stats_opts *so = &d.so;
	struct pk_rank_opts ro;
	struct pk_error err = {0};
	unsigned long long bad0 = cli->nskipped + cli->nquarantined;
	unsigned long long blank0 = cli->nblank;

	pk_cli_rank_opts(cli, &ro);
	so->prompt_field = cli->prompt_field;
	so->chosen_field = cli->chosen_field;
	so->rejected_field = cli->rejected_field;
	so->score_chosen_field = cli->score_chosen_field;
	so->score_rejected_field = cli->score_rejected_field;
	so->rank = &ro;
	so->memory = k < 0 ? cli->memory : cli->memory / 2;
	so->tmpdir = cli->tmpdir;
	so->name = k >= 0 ? cli->inputs[k]
		: cli->ninputs == 1 ? cli->inputs[0] : "-";
	if (!(d.s = pk_stats_new(so, &err)))
		pk_cli_fatal(cli, "%s", err.text);
	cli->input_limit = k + 1;
	pk_cli_run(cli, &op);
	pk_stats_input(d.s, cli->nskipped + cli->nquarantined - bad0,
		       cli->nblank - blank0);
	if (cli->status == PK_EXIT_OK && pk_stats_finish(d.s, &err) < 0)
		pk_cli_error(cli, "%s", err.text);
	return d.s;
}

/* The HTML page, written atomically. */
static void write_html(struct pk_cli *cli, const char *path,
		       struct pk_stats *const *s, size_t n)
{
	struct pk_error err = {0};
	struct pk_buf b = PK_BUF_INIT;
	struct pk_writer *w;

	if (pk_stats_html(s, n, &b) < 0) {
		pk_cli_error(cli, "out of memory");
	} else if (!(w = pk_writer_open(path, 0, &err))) {
		pk_cli_error(cli, "%s: %s", path, err.text);
	} else if (pk_writer_write(w, b.data, b.len, &err) < 0 ||
		   pk_writer_commit(w, &err) < 0) {
		pk_writer_abort(w);
		pk_cli_error(cli, "%s: %s", path, err.text);
	}
	pk_buf_free(&b);
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt = {0};
	struct pk_stats *s[2] = {NULL, NULL};
	struct pk_buf out = PK_BUF_INIT;
	size_t n, k;
	int status;
	unsigned flags = 0;

	setlocale(LC_CTYPE, "");
	pk_cli_init(&cli, "pref-stats", GROUPS);
	cli.help = help;
	opt.cli = &cli;
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, NULL);
	if (opt.sum) {
		if (opt.json || opt.html || opt.ascii)
			pk_cli_usage_error(&cli, "--sum writes one JSON object: it takes no --json, --html or --ascii");
		return run_sum(&cli);
	}
	if (cli.ninputs > 2)
		pk_cli_usage_error(&cli, "give one file, or two to compare (to describe several files as one: cat them into pref-stats)");
	if (opt.ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		flags |= PK_STATS_ASCII;
	n = cli.ninputs == 2 ? 2 : 1;

	if (pk_cli_open_output(&cli) == 0) {
		for (k = 0; k < n && cli.status == PK_EXIT_OK; k++)
			s[k] = describe(&cli, n == 2 ? (int)k : -1);
		if (cli.status == PK_EXIT_OK) {
			if ((opt.json ? pk_stats_json(s, n, &out)
				      : pk_stats_text(s, n, flags, &out)) < 0)
				pk_cli_error(&cli, "out of memory");
			if (opt.html && cli.status == PK_EXIT_OK)
				write_html(&cli, opt.html, s, n);
			write_buf(&cli, &out);
		}
	}
	status = pk_cli_finish(&cli);
	pk_buf_free(&out);
	for (k = 0; k < n; k++)
		pk_stats_free(s[k]);
	return status;
}
