/* SPDX-License-Identifier: MIT */
/*
 * select.c - pk_cli_select(): keep a fraction of the records by a value,
 * in two passes over the inputs (pk_twopass: files read again, standard
 * input spooled) with the cut found in bounded memory (pk_cut).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "cli.h"

/* What pass 1 keeps with each record: its value, then the caller's tag. */
struct kept {
	double value;
	unsigned char tag[PK_CLI_TAG_MAX];
};

/* A failure of the caller's callback on the current record: bad data
 * goes by --on-error, anything else stops the run (FILE:LINE: message). */
static int failed(struct pk_cli *cli, const struct pk_error *err)
{
	if (err->kind != PK_ERR_PIPE && !cli->stop)
		pk_cli_reject_error(cli, err);
	return -1;
}

void pk_cli_select(struct pk_cli *cli, const struct pk_cli_select *sel,
		   uint64_t num, uint64_t den, int drop_top)
{
	struct pk_twopass_opts to = {cli->memory / 2, cli->tmpdir, cli->max_line};
	struct pk_error err = {0};
	struct pk_twopass *tp = pk_twopass_new(&to, &err);
	struct pk_cut *cut = pk_cut_new(cli->memory / 2, cli->tmpdir, &err);
	unsigned long long n, k, seq = 0;
	struct pk_sink out;
	struct kept kept;
	const void *tag;
	size_t len;

	if (!tp || !cut) {
		pk_cli_error(cli, "%s", err.text);
		goto out;
	}
	while (pk_cli_next(cli)) {
		size_t taglen = 0;

		pk_error_clear(&err);
		if (sel->score(sel->ctx, &cli->rec, cli->nread - 1, &kept.value,
			       kept.tag, &taglen, &err) != PK_OK) {
			failed(cli, &err);
			continue;
		}
		if (pk_cli_twopass_add(cli, tp, &kept,
				       offsetof(struct kept, tag) + taglen) == 0 &&
		    pk_cut_add(cut, kept.value, &err) < 0)
			pk_cli_error(cli, "%s", err.text);
	}
	if (cli->status)
		goto out;
	n = pk_cut_count(cut);
	k = pk_fraction_floor(num, den, n);
	if (drop_top)
		k = n - k;
	if (pk_cut_lowest(cut, k, &err) < 0) {
		pk_cli_error(cli, "%s", err.text);
		goto out;
	}
	pk_cli_sink(cli, &out);
	while (pk_cli_twopass_next(cli, tp, &tag, &len)) {
		memcpy(&kept, tag, len);
		if (!pk_cut_keeps(cut, kept.value, seq++)) {
			pk_cli_count(cli, "dropped", 1);
			continue;
		}
		pk_error_clear(&err);
		if (sel->write(sel->ctx, &cli->rec, kept.tag,
			       len - offsetof(struct kept, tag), &out, &err) != PK_OK)
			failed(cli, &err);
	}
out:
	pk_twopass_free(tp);
	pk_cut_free(cut);
}
