/* SPDX-License-Identifier: MIT */
/*
 * select.c - pk_cli_select(): keep a fraction of the records by a value,
 * in two passes over the inputs (pk_twopass: files read again, standard
 * input spooled) with the cut found in bounded memory (pk_cut).  The
 * first pass, which scores, runs on the engine's threads (pk_cli_run,
 * consume); the second writes the kept records in input order.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* What pass 1 keeps with each record: its value, then the caller's tag. */
struct kept {
	double value;
	unsigned char tag[PK_CLI_TAG_MAX];
};

struct select_run {
	const struct pk_cli_select *sel;
	struct pk_twopass *tp;
	struct pk_cut *cut;
};

/* A thread's scoring state: the caller's, and the selection. */
struct scorer {
	const struct pk_cli_select *sel;
	void *ws;
};

static void scorer_stop(void *ctx)
{
	struct scorer *w = ctx;

	if (w->ws && w->sel->stop)
		w->sel->stop(w->ws);
	free(w);
}

static void *scorer_start(void *ctx, struct pk_error *err)
{
	const struct select_run *sr = ctx;
	struct scorer *w = calloc(1, sizeof *w);

	if (!w) {
		pk_error_set(err, PK_ERR_NOMEM, "out of memory");
		return NULL;
	}
	w->sel = sr->sel;
	if (!(w->ws = sr->sel->start(sr->sel->ctx, err))) {
		scorer_stop(w);
		return NULL;
	}
	return w;
}

/* Pass 1 on one record: its value and tag as the record's "output". */
static int scorer_record(void *ctx, const struct pk_record *rec,
			 unsigned long long pos, const struct pk_sink *out,
			 struct pk_error *err)
{
	struct scorer *w = ctx;
	struct kept k;
	size_t taglen = 0;
	int rc = w->sel->score(w->ws, rec, pos, &k.value, k.tag, &taglen, err);

	if (rc != PK_OK)
		return rc;
	return out->emit(out->ctx, (const char *)&k,
			 offsetof(struct kept, tag) + taglen);
}

/* In input order: the record and its tag kept for pass 2. */
static void scorer_consume(void *ctx, struct pk_cli *cli, const char *data,
			   size_t len)
{
	struct select_run *sr = ctx;
	struct pk_error err = {0};
	double value;

	memcpy(&value, data, sizeof value);
	if (pk_cli_twopass_add(cli, sr->tp, data, len - 1) == 0 &&
	    pk_cut_add(sr->cut, value, &err) < 0)
		pk_cli_error(cli, "%s", err.text);
}

void pk_cli_select(struct pk_cli *cli, const struct pk_cli_select *sel,
		   uint64_t num, uint64_t den, int drop_top)
{
	struct pk_twopass_opts to = {cli->memory / 2, cli->tmpdir, cli->max_line};
	struct pk_error err = {0};
	struct select_run sr = {sel, pk_twopass_new(&to, &err),
				pk_cut_new(cli->memory / 2, cli->tmpdir, &err)};
	struct pk_cli_op op = {
		.ctx = &sr, .start = scorer_start, .record = scorer_record,
		.stop = scorer_stop, .consume = scorer_consume, .parallel = 1,
		.errors_at_record = 1,
	};
	unsigned long long n, k, seq = 0;
	struct pk_sink out;
	struct kept kept;
	const void *tag;
	size_t len;

	if (!sr.tp || !sr.cut) {
		pk_cli_error(cli, "%s", err.text);
		goto out;
	}
	pk_cli_run(cli, &op);
	if (cli->status)
		goto out;
	n = pk_cut_count(sr.cut);
	k = pk_fraction_floor(num, den, n);
	if (drop_top)
		k = n - k;
	if (pk_cut_lowest(sr.cut, k, &err) < 0) {
		pk_cli_error(cli, "%s", err.text);
		goto out;
	}
	pk_cli_sink(cli, &out);
	while (pk_cli_twopass_next(cli, sr.tp, &tag, &len)) {
		memcpy(&kept, tag, len);
		if (!pk_cut_keeps(sr.cut, kept.value, seq++)) {
			pk_cli_count(cli, "dropped", 1);
			continue;
		}
		pk_error_clear(&err);
		if (sel->write(sel->ctx, &cli->rec, kept.tag,
			       len - offsetof(struct kept, tag), &out, &err) != PK_OK &&
		    err.kind != PK_ERR_PIPE && !cli->stop)
			pk_cli_reject_error(cli, &err);
	}
out:
	pk_twopass_free(sr.tp);
	pk_cut_free(sr.cut);
}
