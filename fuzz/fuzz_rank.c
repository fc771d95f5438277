/* SPDX-License-Identifier: MIT */
/*
 * fuzz_rank.c - libFuzzer target for ranked lists and pair strategies
 * (lib/rank.c, lib/expand.c): parsing a list (SPEC 1.3), its sort and tie
 * groups, the top-k cut, every pair strategy, the min-gap filter and the
 * writing of pairs.
 *
 * Input: byte 0 picks the options (rank-by, steps, need_prompt, field
 * names), byte 1 the strategy, top k and min gap; the rest is JSON Lines,
 * each valid line a list.  Checked against independent computations:
 *  - items are sorted best first by a finite key; tie groups number the
 *    distinct keys from 0; ngroups is their count;
 *  - the pairs are exactly those of SPEC 3.2's table over standings:
 *    their number is the sum over the qualifying standings (a, b) of
 *    size(a) * size(b), each pair qualifies, none is tied or repeated,
 *    and they come in (i, j) order;
 *  - every pair has a gap >= min gap, and the dropped ones are counted;
 *  - every pair written, and every record pk_expand_record writes, is a
 *    compact object prefkit accepts.
 */
#include "config.h"

#include <math.h>

#include "fuzz.h"

#define T "fuzz_rank"

static int emit(void *ctx, const char *json, size_t len)
{
	(void)ctx;
	fz_check_object(T, json, len, NULL);
	return PK_OK;
}

/* Does the strategy pair standings a < b out of g?  (SPEC 3.2) */
static int qualifies(const struct pk_pairs_strategy *s, size_t a, size_t b,
		     size_t g)
{
	switch (s->kind) {
	case PK_PAIRS_BEST_VS_REST:
		return a == 0;
	case PK_PAIRS_ALL:
		return 1;
	case PK_PAIRS_ADJACENT:
		return b == a + 1;
	case PK_PAIRS_REST_VS_WORST:
		return b == g - 1;
	case PK_PAIRS_BEST_VS_WORST:
		return a == 0 && b == g - 1;
	case PK_PAIRS_SKIP:
		return b == a + s->skip;
	}
	return 0;
}

static void check_list(const struct pk_rank_list *l, const char *line,
		       size_t n)
{
	size_t k;

	for (k = 0; k < l->n; k++) {
		const struct pk_rank_item *it = &l->items[k];

		if (!isfinite(it->key))
			fz_fail(T, "a response with a key that is not finite",
				line, n);
		if (k == 0 ? it->group != 0
			   : (it->key > l->items[k - 1].key ||
			      it->group != l->items[k - 1].group +
						   (it->key < l->items[k - 1].key)))
			fz_fail(T, "responses not sorted, or groups wrong", line,
				n);
		if (k > 0 && it->key == l->items[k - 1].key &&
		    it->index < l->items[k - 1].index)
			fz_fail(T, "the sort is not stable", line, n);
	}
	if (l->ngroups != (l->n ? l->items[l->n - 1].group + 1 : 0))
		fz_fail(T, "ngroups is wrong", line, n);
}

static void check_pairs(const struct pk_rank_list *l,
			const struct pk_pairs_strategy *s, double min_gap,
			unsigned long long below, const char *line, size_t n)
{
	size_t want = 0, a, b, k, *size = calloc(l->ngroups + 1, sizeof *size);

	if (!size)
		fz_fail(T, "out of memory", NULL, 0);
	for (k = 0; k < l->n; k++)
		size[l->items[k].group]++;
	for (a = 0; a < l->ngroups; a++)
		for (b = a + 1; b < l->ngroups; b++)
			if (qualifies(s, a, b, l->ngroups))
				want += size[a] * size[b];
	free(size);
	if (l->npairs + below != want)
		fz_fail(T, "the number of pairs is not the strategy's", line, n);
	for (k = 0; k < l->npairs; k++) {
		const struct pk_rank_pair *p = &l->pairs[k];

		if (p->i >= l->n || p->j >= l->n || p->i >= p->j ||
		    l->items[p->i].group >= l->items[p->j].group ||
		    !qualifies(s, l->items[p->i].group, l->items[p->j].group,
			       l->ngroups))
			fz_fail(T, "a pair the strategy does not make", line, n);
		if (k > 0 && (l->pairs[k - 1].i > p->i ||
			      (l->pairs[k - 1].i == p->i &&
			       l->pairs[k - 1].j >= p->j)))
			fz_fail(T, "pairs out of order or repeated", line, n);
		if (!(pk_rank_gap(l, p->i, p->j) >= min_gap) ||
		    !(pk_rank_gap(l, p->i, p->j) > 0))
			fz_fail(T, "a pair below the minimum gap", line, n);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = {data, size};
	unsigned b0 = fz_byte(&f), b1 = fz_byte(&f);
	struct pk_rank_opts ro;
	struct pk_pairs_strategy s = {PK_PAIRS_BEST_VS_REST, 1};
	struct pk_rank_list l = PK_RANK_LIST_INIT;
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_expand_opts xo;
	struct pk_expand *x;
	struct pk_buf out = PK_BUF_INIT;
	struct pk_error err;
	double min_gap = (double)((b1 >> 5) & 3) / 2;
	size_t top = (b1 >> 7) & 1 ? 2 + (b0 >> 6) : 0;
	const char *line;
	size_t n;
	int rc;

	pk_rank_opts_init(&ro);
	ro.rank_by = (enum pk_rank_by)(b0 & 1);
	ro.steps = (b0 >> 1) & 1;
	ro.need_prompt = (b0 >> 2) & 1;
	if ((b0 >> 3) & 1) {
		ro.responses_field = "meta.answers";
		ro.text_field = "r.text";
		ro.score_field = "rating";
	}
	if ((b0 >> 4) & 1)
		ro.prompt_field = "meta.prompt";
	s.kind = (enum pk_pairs_kind)((b1 & 7) % 6);
	s.skip = 1 + ((b1 >> 3) & 3);
	pk_expand_opts_init(&xo);
	xo.rank = ro;
	xo.pairs = s;
	xo.top = top;
	xo.min_gap = min_gap;
	x = pk_expand_new(&xo, &err);
	if (!x)
		fz_fail(T, "pk_expand_new", NULL, 0);
	while (fz_line(&f, &line, &n)) {
		unsigned long long below = 0;

		if (pk_scan_record(&rec, line, n, &err) != PK_OK)
			continue;
		rc = pk_rank_parse(&l, &rec, &ro, &err);
		if (rc == PK_OK) {
			check_list(&l, line, n);
			if (top)
				pk_rank_top(&l, top);
			check_list(&l, line, n);
			if (pk_rank_pairs(&l, &s, min_gap, &below) < 0)
				fz_fail(T, "pk_rank_pairs", line, n);
			check_pairs(&l, &s, min_gap, below, line, n);
			rc = pk_rank_write_pairs(&l, &out, emit, NULL, &err);
			if (rc != PK_OK)
				fz_fail(T, "pk_rank_write_pairs failed", line, n);
		} else if (rc != PK_BAD_RECORD) {
			fz_fail(T, "pk_rank_parse failed", line, n);
		}
		rc = pk_expand_record(x, &rec, emit, NULL, &err);
		if (rc != PK_OK && rc != PK_BAD_RECORD)
			fz_fail(T, "pk_expand_record failed", line, n);
	}
	pk_expand_counts(x);
	pk_expand_free(x);
	pk_rank_list_free(&l);
	pk_record_free(&rec);
	pk_buf_free(&out);
	return 0;
}
