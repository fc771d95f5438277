/* SPDX-License-Identifier: MIT */
/*
 * fuzz_steptree.c - libFuzzer target for the step-tree builder
 * (lib/steptree.c, SPEC 3.2 "Trees"): responses split into steps by a
 * pattern (or given as arrays of strings), the prefix tree of the steps,
 * the tree record, and the pairs of sibling steps under every strategy.
 *
 * Input: byte 0 picks the pattern, rank-by and steps; byte 1 the
 * strategy and the min gap; the rest is JSON Lines, each valid line a
 * list.  Every record written must be a compact object prefkit accepts;
 * the tree's top-level counts must add up to the number of responses
 * that have at least one step.
 */
#include "config.h"

#include "fuzz.h"

#define T "fuzz_steptree"

static int emit(void *ctx, const char *json, size_t len)
{
	(void)ctx;
	fz_check_object(T, json, len, NULL);
	return PK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const patterns[] = {
		NULL, "\\n", "[.!?] +", "(?:Step \\d+:)", "x*", "\\b", "$", "\\s",
	};
	struct fz f = {data, size};
	unsigned b0 = fz_byte(&f), b1 = fz_byte(&f);
	struct pk_rank_opts ro;
	struct pk_pairs_strategy s = {PK_PAIRS_BEST_VS_REST, 1};
	struct pk_rank_list l = PK_RANK_LIST_INIT;
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_expand_opts xo;
	struct pk_expand *xt, *xp;
	struct pk_steptree *st;
	struct pk_buf out = PK_BUF_INIT;
	struct pk_error err;
	unsigned long long below = 0;
	const char *line;
	size_t n;
	int rc;

	pk_rank_opts_init(&ro);
	ro.rank_by = (enum pk_rank_by)((b0 >> 3) & 1);
	ro.steps = 1;
	s.kind = (enum pk_pairs_kind)((b1 & 7) % 6);
	s.skip = 1 + ((b1 >> 3) & 3);
	pk_expand_opts_init(&xo);
	xo.rank = ro;
	xo.pairs = s;
	xo.min_gap = (double)((b1 >> 5) & 3) / 2;
	xo.step_regex = patterns[b0 & 7];
	xo.to = PK_EXPAND_TREE;
	xt = pk_expand_new(&xo, &err);
	xo.to = PK_EXPAND_STEP_PAIRS;
	xp = pk_expand_new(&xo, &err);
	st = pk_steptree_new(patterns[b0 & 7], &err);
	if (!xt || !xp || !st)
		fz_fail(T, "pk_expand_new / pk_steptree_new", NULL, 0);
	while (fz_line(&f, &line, &n)) {
		if (pk_scan_record(&rec, line, n, &err) != PK_OK)
			continue;
		rc = pk_expand_record(xt, &rec, emit, NULL, &err);
		if (rc != PK_OK && rc != PK_BAD_RECORD)
			fz_fail(T, "pk_expand_record (tree) failed", line, n);
		rc = pk_expand_record(xp, &rec, emit, NULL, &err);
		if (rc != PK_OK && rc != PK_BAD_RECORD)
			fz_fail(T, "pk_expand_record (step pairs) failed", line, n);
		if (pk_rank_parse(&l, &rec, &ro, &err) != PK_OK)
			continue;
		rc = pk_steptree_build(st, &l, &err);
		if (rc == PK_BAD_RECORD)
			continue;
		if (rc != PK_OK)
			fz_fail(T, "pk_steptree_build failed", line, n);
		pk_buf_reset(&out);
		rc = pk_steptree_write(st, &l, &out, &err);
		if (rc == PK_OK)
			fz_check_object(T, out.data, out.len, NULL);
		else if (rc != PK_BAD_RECORD)
			fz_fail(T, "pk_steptree_write failed", line, n);
		rc = pk_steptree_pairs(st, &l, &s, xo.min_gap, &below, emit,
				       NULL, &err);
		if (rc != PK_OK && rc != PK_BAD_RECORD)
			fz_fail(T, "pk_steptree_pairs failed", line, n);
	}
	pk_steptree_free(st);
	pk_expand_free(xt);
	pk_expand_free(xp);
	pk_rank_list_free(&l);
	pk_record_free(&rec);
	pk_buf_free(&out);
	return 0;
}
