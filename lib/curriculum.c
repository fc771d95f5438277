/* SPDX-License-Identifier: MIT */
/*
 * curriculum.c - easy-to-hard orderings of preference pairs (SPEC 3.3;
 * Pattnaik et al. 2024, "Curry-DPO: Enhancing Alignment using Curriculum
 * Learning & Ranked Preferences").
 *
 * Each pair is written once, as it will be output but with "stage":0,
 * behind a 24-byte key, and handed to the external sort (extsort.c):
 *
 *	[0, 4)   stage, big-endian (0 while gap stages are not known yet)
 *	[4, 12)  the order within a stage: the seeded hash of the text, or
 *	         the gap descending (--within gap)
 *	[12, 20) the gap descending (pk_sort_double_key, inverted)
 *	[20, 24) where the stage's "0" is in the text
 *	[24, ..) the text
 *
 * With shuffled stages the whole record is compared, so that the order
 * depends on nothing but the pairs; with --within gap only the first 12
 * bytes are, and the sort's stability keeps input order among equal gaps.
 *
 * Gap stages need the gaps of all pairs before any stage is known.  The
 * positive gaps also go to a second, small sort (8 bytes each); at the
 * end one pass over it finds the K - 1 cut values, and a second counts
 * the stages.  Stage is then a function of the gap.  Ordered by gap, the
 * pairs already come out stage by stage; shuffled, the sorted pairs are
 * read once per non-empty stage (pk_sort_rewind), each time keeping that
 * stage's pairs: the runs on disk are read again, not written again.
 *
 * On threads (pref-curriculum -j): a curriculum that only builds
 * (pk_curriculum_build) writes each record's sort records and counts to
 * a sink instead; the one that sorts adds them in input order
 * (pk_curriculum_add_built), so the sort sees exactly what feeding the
 * records would have given it.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

#define KEY_LEN 24
#define K_ORDER 4
#define K_GAP 12
#define K_OFF 20
#define STAGE_MAX 0x7fffffffu

struct counts {
	unsigned long long lists, too_small, responses_dropped;
	unsigned long long ties, misordered; /* dropped */
	unsigned long long positive;         /* pairs with gap > 0 kept */
	unsigned long long nonpositive;      /* gap <= 0 kept */
	unsigned max_stage;
};

struct merge_input;

struct pk_curriculum {
	struct pk_curriculum_opts o;
	struct pk_rank_opts ropts;
	enum pk_curr_input input;
	enum pk_curr_stage_by by;
	unsigned K;
	struct pk_sort *sort;   /* the pairs */
	struct pk_sort *gaps;   /* gap stages: the positive gaps */
	struct pk_rank_list list;
	struct pk_obj *obj;
	struct pk_field f_chosen, f_rejected, f_sc, f_sr;
	int default_scores;     /* rank_chosen / rank_rejected may stand in */
	struct pk_buf rec;      /* the record being built: key and text */
	/* held records (feed_held): u64 length + record, and gap keys */
	int holding;
	struct pk_buf held, held_gaps;
	int resolved;           /* the kind and the stages are known */
	int building;           /* pk_curriculum_build(): no sorts */
	const struct pk_sink *bout; /* the sink of the record being built */
	int bfail;              /* and whether it failed */
	struct pk_record again; /* add_built, feed_held_text: a record scanned */
	struct counts cnt, hcnt; /* settled, held */

	/* output */
	int phase;              /* 0 input, 1 output, 2 done */
	double *cut;            /* gap stages: the K - 1 cut gaps */
	unsigned char *has_cut;
	unsigned long long *stage_count; /* [1..K] */
	unsigned scan;          /* shuffled gap stages: the stage read */
	struct pk_buf out;

	/* merge */
	struct merge_input **inputs;
	size_t ninputs;
	int merging;
	unsigned merge_max_stage;
	unsigned long long merge_read, merge_blank;
};

/* ------------------------------------------------------------------ */
/* Setting up                                                          */
/* ------------------------------------------------------------------ */

struct pk_curriculum *pk_curriculum_new(const struct pk_curriculum_opts *o,
					struct pk_error *err)
{
	struct pk_curriculum *c;

	if (o->stages > STAGE_MAX) {
		pk_error_set(err, PK_ERR_USAGE, "too many stages: %u",
			     o->stages);
		return NULL;
	}
	if (o->input == PK_CURR_PAIRS && o->stage_by == PK_CURR_STAGE_RANK) {
		pk_error_set(err, PK_ERR_USAGE,
			     "--stage-by rank needs ranked lists (pairs carry "
			     "no list to rank in)");
		return NULL;
	}
	if (!(c = calloc(1, sizeof *c)) || !(c->obj = pk_obj_new())) {
		free(c);
		pk_nomem(err);
		return NULL;
	}
	c->o = *o;
	if (o->rank)
		c->ropts = *o->rank;
	else
		pk_rank_opts_init(&c->ropts);
	c->o.rank = NULL;
	c->input = o->input;
	c->K = o->stages ? o->stages : PK_CURR_STAGES_DEFAULT;
	pk_field_init(&c->f_chosen, o->chosen_field ? o->chosen_field : "chosen");
	pk_field_init(&c->f_rejected,
		      o->rejected_field ? o->rejected_field : "rejected");
	pk_field_init(&c->f_sc, o->score_chosen_field ? o->score_chosen_field
						      : "score_chosen");
	pk_field_init(&c->f_sr, o->score_rejected_field
					? o->score_rejected_field
					: "score_rejected");
	c->default_scores = strcmp(c->f_sc.path, "score_chosen") == 0 &&
			    strcmp(c->f_sr.path, "score_rejected") == 0;
	return c;
}

/* The kind a record would make the input: lists when it has the
 * responses field. */
static enum pk_curr_input own_kind(const struct pk_curriculum *c,
				   const struct pk_record *rec)
{
	struct pk_value v;

	return pk_record_path(rec, c->ropts.responses_field, &v)
		       ? PK_CURR_LISTS
		       : PK_CURR_PAIRS;
}

/* Decide the input kind (own: that of the first record) and the stages. */
static int resolve_as(struct pk_curriculum *c, enum pk_curr_input own,
		      struct pk_error *err)
{
	if (c->input == PK_CURR_AUTO)
		c->input = own;
	c->by = c->o.stage_by;
	if (c->by == PK_CURR_STAGE_DEFAULT)
		c->by = c->input == PK_CURR_LISTS ? PK_CURR_STAGE_RANK
						  : PK_CURR_STAGE_GAP;
	if (c->by == PK_CURR_STAGE_RANK && c->input == PK_CURR_PAIRS)
		return pk_error_set(err, PK_ERR_USAGE,
				    "--stage-by rank needs ranked lists (the "
				    "input holds pairs)");
	c->resolved = 1;
	return PK_OK;
}

static int resolve(struct pk_curriculum *c, const struct pk_record *rec,
		   struct pk_error *err)
{
	return resolve_as(c, c->input == PK_CURR_AUTO ? own_kind(c, rec)
						      : c->input, err);
}

static int open_sorts(struct pk_curriculum *c, struct pk_error *err)
{
	struct pk_sort_opts so = {0};
	size_t mem = c->o.memory ? c->o.memory : PK_SORT_MEMORY_DEFAULT;

	so.tmpdir = c->o.tmpdir;
	so.key_len = c->o.within == PK_CURR_WITHIN_GAP ? K_GAP : 0;
	so.memory = mem;
	/* The runs hold every pair's prompt and chosen text again (2.7
	 * times the input for lists of 8), and compressing them was most
	 * of the time, even at zstd's fast -5 (1.3 times as fast as level
	 * 1, to 36% of their size; level 1: 26%): so they are written as
	 * they are while --tmpdir has room (pk_sort_opts.store), which
	 * takes half the CPU time, and only then compressed with -5. */
	so.zstd_level = -5;
	so.store = 1;
	if (c->by == PK_CURR_STAGE_GAP && !c->merging) {
		/* The gaps take a sixteenth: 8 bytes a pair, against the
		 * whole pair in the other. */
		struct pk_sort_opts go = {0};

		go.tmpdir = c->o.tmpdir;
		go.zstd_level = -5;
		go.store = 1;
		go.memory = mem / 16 ? mem / 16 : 1;
		so.memory = mem - go.memory ? mem - go.memory : 1;
		if (!(c->gaps = pk_sort_new(&go, err)))
			return PK_FATAL;
	}
	c->sort = pk_sort_new(&so, err);
	return c->sort ? PK_OK : PK_FATAL;
}

/* ------------------------------------------------------------------ */
/* Building staged pairs                                               */
/* ------------------------------------------------------------------ */

/* The offset of the value of the top-level member "stage" in the compact
 * object text, when it is the placeholder 0; or -1. */
static long find_stage(const char *json, size_t n)
{
	struct pk_iter it;
	struct pk_member m;

	pk_iter_init(&it, json, n);
	while (pk_iter_member(&it, &m))
		if (pk_key_equals(json + m.key_off, m.key_len, "stage"))
			return m.val_len == 1 && json[m.val_off] == '0'
				       ? (long)m.val_off
				       : -1;
	return -1;
}

/* Add the record built in c->rec (key space first, then the text; the
 * stage placeholder at text offset off) with its stage (0 = from the gap)
 * and gap. */
static int add_pair(struct pk_curriculum *c, unsigned stage, double gap,
		    size_t off, struct pk_error *err)
{
	struct counts *k = c->holding ? &c->hcnt : &c->cnt;
	char *key = c->rec.data;
	const char *text = key + KEY_LEN;
	size_t tlen = c->rec.len - KEY_LEN;
	uint64_t gk;

	if (gap <= 0) {
		if (!c->o.keep_ties) {
			if (gap == 0)
				k->ties++;
			else
				k->misordered++;
			return PK_OK;
		}
		k->nonpositive++; /* gap stages: stage K, from the gap */
	} else {
		k->positive++;
	}
	if (off > UINT32_MAX)
		return pk_error_set(err, PK_ERR_DATA, "record too long");
	gk = ~pk_sort_double_key(gap);
	pk_sort_put_u32(key, stage);
	pk_sort_put_u64(key + K_ORDER,
			c->o.within == PK_CURR_WITHIN_GAP
				? gk
				: pk_hash64(text, tlen, c->o.seed));
	pk_sort_put_u64(key + K_GAP, gk);
	pk_sort_put_u32(key + K_OFF, (uint32_t)off);
	if (stage > k->max_stage)
		k->max_stage = stage;
	if (c->bout) { /* building: the length, then the record */
		uint64_t n = c->rec.len;

		if (c->bout->emit(c->bout->ctx, (const char *)&n, sizeof n) !=
			    PK_OK ||
		    c->bout->emit(c->bout->ctx, c->rec.data, c->rec.len) !=
			    PK_OK) {
			c->bfail = 1;
			return pk_nomem(err);
		}
		return PK_OK;
	}
	if (c->holding) {
		uint64_t n = c->rec.len;

		if (pk_buf_append(&c->held, &n, sizeof n) < 0 ||
		    pk_buf_append(&c->held, c->rec.data, c->rec.len) < 0 ||
		    (gap > 0 && c->gaps &&
		     pk_buf_append(&c->held_gaps, key + K_GAP, 8) < 0))
			return pk_nomem(err);
		return PK_OK;
	}
	if (gap > 0 && c->gaps &&
	    pk_sort_add(c->gaps, key + K_GAP, 8, err) != PK_OK)
		return PK_FATAL;
	return pk_sort_add(c->sort, c->rec.data, c->rec.len, err);
}

static int put_gap(struct pk_buf *b, double gap, struct pk_error *err)
{
	char num[PK_NUMBER_MAX];
	int n = pk_format_number(num, gap);

	if (n < 0)
		return pk_error_set(err, PK_ERR_DATA, "gap out of range");
	return pk_buf_append(b, num, (size_t)n) < 0 ? pk_nomem(err) : PK_OK;
}

static int feed_list(struct pk_curriculum *c, const struct pk_record *rec,
		     const struct pk_rank_opts *ropts, struct pk_error *err)
{
	struct pk_rank_list *l = &c->list;
	struct counts *k = c->holding ? &c->hcnt : &c->cnt;
	char extra[PK_NUMBER_MAX + 32];
	size_t p;
	int rc;

	if ((rc = pk_rank_parse(l, rec, ropts, err)) != PK_OK)
		return rc;
	k->lists++;
	k->responses_dropped += l->ndropped;
	if (l->ngroups < 2) {
		k->too_small++;
		return PK_OK;
	}
	if (pk_rank_pairs(l, &c->o.pairs, 0, NULL) < 0)
		return pk_nomem(err);
	/* Every gap first, so that a bad one leaves nothing added. */
	for (p = 0; p < l->npairs; p++)
		if (!isfinite(pk_rank_gap(l, l->pairs[p].i, l->pairs[p].j)))
			return pk_error_set(err, PK_ERR_DATA,
					    "gap out of range");
	for (p = 0; p < l->npairs; p++) {
		size_t i = l->pairs[p].i, j = l->pairs[p].j, glen;
		double gap = pk_rank_gap(l, i, j);
		unsigned stage = 0;
		long off;

		if (c->by == PK_CURR_STAGE_RANK)
			stage = (unsigned)(l->ngroups -
					   (l->items[j].group - l->items[i].group));
		glen = (size_t)pk_format_number(extra + 7, gap);
		memcpy(extra, "{\"gap\":", 7);
		memcpy(extra + 7 + glen, ",\"stage\":0}", 12);
		pk_buf_reset(&c->rec);
		if (pk_buf_reserve(&c->rec, KEY_LEN) < 0)
			return pk_nomem(err);
		c->rec.len = KEY_LEN;
		rc = pk_rank_write_pair(l, i, j, extra, 7 + glen + 11, &c->rec,
					err);
		if (rc != PK_OK)
			return rc;
		/* The placeholder is where the extra members went, or (were
		 * they put elsewhere) wherever the text has it. */
		if (l->extra_at != (size_t)-1 &&
		    l->extra_at + 7 + glen + 10 <= c->rec.len &&
		    memcmp(c->rec.data + l->extra_at, extra + 1, 6 + glen + 10) ==
			    0)
			off = (long)(l->extra_at - KEY_LEN + 6 + glen + 9);
		else
			off = find_stage(c->rec.data + KEY_LEN,
					 c->rec.len - KEY_LEN);
		if (off < 0)
			return pk_error_set(err, PK_ERR_DATA,
					    "cannot place \"stage\"");
		if ((rc = add_pair(c, stage, gap, (size_t)off, err)) != PK_OK)
			return rc;
	}
	return PK_OK;
}

/* A pair's gap: the score difference, or for pairs with ranks only (as
 * pref-expand writes them for lists ordered by rank) the rank difference. */
static int pair_gap(struct pk_curriculum *c, const struct pk_record *rec,
		    double *gap, struct pk_error *err)
{
	struct pk_value v;
	double a, b;
	int rc;

	if (c->default_scores && !pk_record_field(rec, &c->f_sc, &v) &&
	    !pk_record_field(rec, &c->f_sr, &v) &&
	    pk_record_get(rec, "rank_chosen", &v) &&
	    pk_record_get(rec, "rank_rejected", &v)) {
		if ((rc = pk_record_score(rec, "rank_chosen", &a, NULL, err)) ||
		    (rc = pk_record_score(rec, "rank_rejected", &b, NULL, err)))
			return rc;
		*gap = b - a;
	} else {
		if ((rc = pk_record_score_field(rec, &c->f_sc, &a, NULL, err)) ||
		    (rc = pk_record_score_field(rec, &c->f_sr, &b, NULL, err)))
			return rc;
		*gap = a - b;
	}
	if (!isfinite(*gap))
		return pk_error_set(err, PK_ERR_DATA, "gap out of range");
	return PK_OK;
}

static int feed_pair(struct pk_curriculum *c, const struct pk_record *rec,
		     struct pk_error *err)
{
	struct pk_value v;
	double gap;
	long off;
	int rc;

	if (!pk_record_field(rec, &c->f_chosen, &v))
		return pk_error_set(err, PK_ERR_DATA, "missing field '%s'",
				    c->f_chosen.path);
	if (!pk_record_field(rec, &c->f_rejected, &v))
		return pk_error_set(err, PK_ERR_DATA, "missing field '%s'",
				    c->f_rejected.path);
	if ((rc = pair_gap(c, rec, &gap, err)) != PK_OK)
		return rc;
	pk_buf_reset(&c->rec);
	if (pk_buf_reserve(&c->rec, KEY_LEN + rec->len + 64) < 0)
		return pk_nomem(err);
	c->rec.len = KEY_LEN;
	if (!pk_record_get(rec, "gap", &v) && !pk_record_get(rec, "stage", &v)) {
		/* the usual case: both appended */
		if (rec->has_space) {
			c->rec.len += pk_record_compact_to(rec, c->rec.data +
								       KEY_LEN);
		} else {
			memcpy(c->rec.data + KEY_LEN, rec->text, rec->len);
			c->rec.len += rec->len;
		}
		c->rec.len--; /* the closing brace */
		if (pk_buf_puts(&c->rec, ",\"gap\":") < 0)
			return pk_nomem(err);
		if ((rc = put_gap(&c->rec, gap, err)) != PK_OK)
			return rc;
		if (pk_buf_puts(&c->rec, ",\"stage\":0}") < 0)
			return pk_nomem(err);
		off = (long)(c->rec.len - KEY_LEN - 2);
	} else {
		/* replaced where they are */
		char num[PK_NUMBER_MAX];
		int n = pk_format_number(num, gap);

		if (pk_obj_load_record(c->obj, rec) < 0 ||
		    pk_obj_set_compact(c->obj, "gap", num, (size_t)n) < 0 ||
		    pk_obj_set_compact(c->obj, "stage", "0", 1) < 0 ||
		    pk_obj_write(c->obj, &c->rec) < 0)
			return pk_nomem(err);
		off = find_stage(c->rec.data + KEY_LEN, c->rec.len - KEY_LEN);
		if (off < 0)
			return pk_error_set(err, PK_ERR_DATA,
					    "cannot place \"stage\"");
	}
	return add_pair(c, 0, gap, (size_t)off, err);
}

static int feed(struct pk_curriculum *c, const struct pk_record *rec,
		const struct pk_rank_opts *ropts, struct pk_error *err)
{
	int rc;

	if (c->phase != 0 || c->merging || c->building)
		return pk_error_set(err, PK_ERR_USAGE,
				    "pk_curriculum_feed after the output began, "
				    "with a merge or on a builder");
	if (!c->sort) {
		if ((rc = resolve(c, rec, err)) != PK_OK ||
		    (rc = open_sorts(c, err)) != PK_OK)
			return rc;
	}
	if (ropts || c->input == PK_CURR_LISTS)
		return feed_list(c, rec, ropts ? ropts : &c->ropts, err);
	return feed_pair(c, rec, err);
}

int pk_curriculum_feed(struct pk_curriculum *c, const struct pk_record *rec,
		       struct pk_error *err)
{
	return feed(c, rec, NULL, err);
}

int pk_curriculum_feed_held(struct pk_curriculum *c,
			    const struct pk_record *rec,
			    const struct pk_rank_opts *ropts,
			    struct pk_error *err)
{
	int rc;

	if (c->input == PK_CURR_PAIRS)
		return pk_error_set(err, PK_ERR_USAGE,
				    "lists fed to a curriculum of pairs");
	c->input = PK_CURR_LISTS;
	c->holding = 1;
	rc = feed(c, rec, ropts, err);
	c->holding = 0;
	return rc;
}

int pk_curriculum_feed_held_text(struct pk_curriculum *c, const char *json,
				 size_t len, const struct pk_rank_opts *ropts,
				 struct pk_error *err)
{
	int rc = pk_scan_record(&c->again, json, len, err);

	if (rc != PK_OK)
		return rc == PK_BAD_RECORD ? PK_BAD_RECORD : PK_FATAL;
	return pk_curriculum_feed_held(c, &c->again, ropts, err);
}

static void add_counts(struct counts *to, const struct counts *k)
{
	to->lists += k->lists;
	to->too_small += k->too_small;
	to->responses_dropped += k->responses_dropped;
	to->ties += k->ties;
	to->misordered += k->misordered;
	to->positive += k->positive;
	to->nonpositive += k->nonpositive;
	if (k->max_stage > to->max_stage)
		to->max_stage = k->max_stage;
}

int pk_curriculum_settle(struct pk_curriculum *c, int keep,
			 struct pk_error *err)
{
	size_t pos = 0;
	int rc = PK_OK;

	if (keep) {
		add_counts(&c->cnt, &c->hcnt);
		while (rc == PK_OK && pos < c->held.len) {
			uint64_t n;

			memcpy(&n, c->held.data + pos, sizeof n);
			pos += sizeof n;
			rc = pk_sort_add(c->sort, c->held.data + pos, n, err);
			pos += n;
		}
		for (pos = 0; rc == PK_OK && pos < c->held_gaps.len; pos += 8)
			rc = pk_sort_add(c->gaps, c->held_gaps.data + pos, 8, err);
	}
	memset(&c->hcnt, 0, sizeof c->hcnt);
	pk_buf_reset(&c->held);
	pk_buf_reset(&c->held_gaps);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Building on other threads                                           */
/* ------------------------------------------------------------------ */

/* What pk_curriculum_build() made of a record: the last thing it writes
 * to the sink, after the pairs (each as its u64 length, then the sort
 * record).  It never leaves the process: the struct is copied as it is. */
struct built {
	int rc;                   /* what feeding the record returned */
	enum pk_curr_input used;  /* the kind the builder took the input for */
	enum pk_curr_input own;   /* the kind this record would make it */
	struct counts cnt;
	struct pk_error err;      /* rc != PK_OK */
};

int pk_curriculum_build(struct pk_curriculum *c, const struct pk_record *rec,
			const struct pk_sink *out, struct pk_error *err)
{
	struct built b;
	int rc;

	if (c->sort || c->merging || c->phase != 0)
		return pk_error_set(err, PK_ERR_USAGE,
				    "pk_curriculum_build on a curriculum that "
				    "sorts");
	c->building = 1;
	memset(&c->hcnt, 0, sizeof c->hcnt);
	memset(&b, 0, sizeof b);
	b.own = c->o.input == PK_CURR_AUTO ? own_kind(c, rec) : c->o.input;
	c->holding = 1;
	c->bout = out;
	c->bfail = 0;
	rc = c->resolved ? PK_OK : resolve(c, rec, &b.err);
	if (rc == PK_OK)
		rc = c->input == PK_CURR_LISTS
			     ? feed_list(c, rec, &c->ropts, &b.err)
			     : feed_pair(c, rec, &b.err);
	c->holding = 0;
	c->bout = NULL;
	b.rc = rc;
	b.used = c->input;
	b.cnt = c->hcnt;
	if (c->bfail || out->emit(out->ctx, (const char *)&b, sizeof b) != PK_OK)
		return pk_nomem(err);
	return PK_OK;
}

int pk_curriculum_add_built(struct pk_curriculum *c, const char *data,
			    size_t len, const char *line, size_t line_len,
			    struct pk_error *err)
{
	size_t pos = 0, end;
	struct built b;
	int rc;

	if (c->phase != 0 || c->merging || c->building)
		return pk_error_set(err, PK_ERR_USAGE,
				    "pk_curriculum_add_built after the output "
				    "began, with a merge or on a builder");
	if (len < sizeof b + 1 || data[len - 1] != '\n')
		return pk_error_set(err, PK_ERR_USAGE,
				    "pk_curriculum_add_built: not what "
				    "pk_curriculum_build wrote");
	end = len - 1 - sizeof b;
	memcpy(&b, data + end, sizeof b);
	if (!c->sort) {
		if ((rc = resolve_as(c, b.own, err)) != PK_OK ||
		    (rc = open_sorts(c, err)) != PK_OK)
			return rc;
	}
	if (b.used != c->input) { /* taken for the other kind: again here */
		if ((rc = pk_scan_record(&c->again, line, line_len, err)) !=
		    PK_OK)
			return rc;
		return feed(c, &c->again, NULL, err);
	}
	add_counts(&c->cnt, &b.cnt);
	while (pos + sizeof(uint64_t) + 1 <= end) {
		uint64_t n;
		const char *r;

		memcpy(&n, data + pos, sizeof n);
		r = data + pos + sizeof n + 1;
		pos += sizeof n + 1 + n + 1;
		if (pos > end)
			break;
		if (c->gaps &&
		    pk_sort_key_double(~pk_sort_get_u64(r + K_GAP)) > 0 &&
		    (rc = pk_sort_add(c->gaps, r + K_GAP, 8, err)) != PK_OK)
			return rc;
		if ((rc = pk_sort_add(c->sort, r, n, err)) != PK_OK)
			return rc;
	}
	if (b.rc != PK_OK)
		*err = b.err;
	return b.rc;
}

/* ------------------------------------------------------------------ */
/* Merging outputs                                                     */
/* ------------------------------------------------------------------ */

struct merge_input {
	struct pk_curriculum *c;
	char *path;
	size_t max_line;
	struct pk_reader *r;
	struct pk_record rec;
	struct pk_buf text;      /* a spaced record, compacted */
	struct pk_buf cur, prev; /* the record built, the one before */
	int have_prev, done;
};

/* "FILE:LINE: message" as a data error. */
static int merge_bad(struct merge_input *mi, unsigned long long line,
		     const char *msg, struct pk_error *err)
{
	char text[sizeof err->text];

	snprintf(text, sizeof text, "%s", msg);
	pk_error_set(err, PK_ERR_DATA, "%s:%llu: %s",
		     pk_reader_name(mi->r), line, text);
	err->line = line;
	return PK_BAD_RECORD;
}

/* The sort record of one line of pref-curriculum output. */
static int merge_record(struct merge_input *mi, const struct pk_record *rec,
			unsigned long long line, struct pk_error *err)
{
	struct pk_curriculum *c = mi->c;
	struct pk_value st, gv;
	unsigned long long stage = 0;
	double gap;
	size_t k;
	char *key;

	if (!pk_record_get(rec, "stage", &st))
		return merge_bad(mi, line, "missing field 'stage' (not written by "
				 "pref-curriculum?)", err);
	for (k = 0; k < st.len; k++) {
		char d = rec->text[st.off + k];

		if (st.type != PK_T_NUMBER || d < '0' || d > '9' ||
		    stage > STAGE_MAX)
			break;
		stage = stage * 10 + (unsigned)(d - '0');
	}
	if (k < st.len || stage == 0 || stage > STAGE_MAX)
		return merge_bad(mi, line, "\"stage\" is not a stage number",
				 err);
	if (!pk_record_get(rec, "gap", &gv) || gv.type != PK_T_NUMBER ||
	    pk_parse_number(rec->text + gv.off, gv.len, &gap) != PK_OK)
		return merge_bad(mi, line, "no numeric \"gap\"", err);
	pk_buf_reset(&mi->cur);
	if (pk_buf_reserve(&mi->cur, KEY_LEN + rec->len) < 0)
		return pk_nomem(err);
	key = mi->cur.data;
	memcpy(key + KEY_LEN, rec->text, st.off);
	key[KEY_LEN + st.off] = '0';
	memcpy(key + KEY_LEN + st.off + 1, rec->text + st.off + st.len,
	       rec->len - st.off - st.len);
	mi->cur.len = KEY_LEN + rec->len - st.len + 1;
	pk_sort_put_u32(key, (uint32_t)stage);
	pk_sort_put_u64(key + K_GAP, ~pk_sort_double_key(gap));
	pk_sort_put_u64(key + K_ORDER,
			c->o.within == PK_CURR_WITHIN_GAP
				? ~pk_sort_double_key(gap)
				: pk_hash64(key + KEY_LEN,
					    mi->cur.len - KEY_LEN, c->o.seed));
	pk_sort_put_u32(key + K_OFF, (uint32_t)st.off);
	if (stage > c->merge_max_stage)
		c->merge_max_stage = (unsigned)stage;
	return PK_OK;
}

static int merge_next(void *ctx, const void **out, size_t *n,
		      struct pk_error *err)
{
	struct merge_input *mi = ctx;
	struct pk_curriculum *c = mi->c;
	const struct pk_record *rec = &mi->rec;
	struct pk_line line;
	struct pk_buf t;
	int rc;

	if (mi->done)
		return PK_EOF;
	if (!mi->r && !(mi->r = pk_reader_open(mi->path, mi->max_line, err))) {
		char text[sizeof err->text];

		snprintf(text, sizeof text, "%s", err->text);
		return pk_error_set(err, err->kind, "%s: %s", mi->path, text);
	}
	rc = pk_reader_next(mi->r, &line, err);
	if (rc == PK_EOF) {
		c->merge_blank += pk_reader_blank_lines(mi->r);
		pk_reader_close(mi->r);
		mi->r = NULL;
		mi->done = 1;
		return PK_EOF;
	}
	if (rc == PK_FATAL && err->kind != PK_ERR_DATA) {
		char text[sizeof err->text];

		snprintf(text, sizeof text, "%s", err->text);
		return pk_error_set(err, err->kind, "%s: %s",
				    pk_reader_name(mi->r), text);
	}
	if (rc != PK_OK)
		return merge_bad(mi, rc == PK_FATAL ? err->line : line.lineno,
				 err->text, err);
	c->merge_read++;
	if (pk_scan_record(&mi->rec, line.data, line.len, err) != PK_OK)
		return merge_bad(mi, line.lineno, err->text, err);
	if (mi->rec.has_space) {
		pk_buf_reset(&mi->text);
		if (pk_compact(&mi->text, line.data, line.len) < 0)
			return pk_nomem(err);
		if (pk_scan_record(&mi->rec, mi->text.data, mi->text.len, err))
			return merge_bad(mi, line.lineno, err->text, err);
	}
	if ((rc = merge_record(mi, rec, line.lineno, err)) != PK_OK)
		return rc;
	if (mi->have_prev &&
	    pk_sort_compare(c->sort, mi->prev.data, mi->prev.len,
			    mi->cur.data, mi->cur.len) > 0)
		return merge_bad(mi, line.lineno,
				 "out of curriculum order (ordered with other "
				 "options, another --seed or --within?)",
				 err);
	t = mi->prev;
	mi->prev = mi->cur;
	mi->cur = t;
	mi->have_prev = 1;
	*out = mi->prev.data;
	*n = mi->prev.len;
	return PK_OK;
}

int pk_curriculum_merge_file(struct pk_curriculum *c, const char *path,
			     size_t max_line, struct pk_error *err)
{
	struct merge_input *mi, **p;

	if (c->phase != 0 || (c->sort && !c->merging))
		return pk_error_set(err, PK_ERR_USAGE,
				    "a merge takes files only");
	c->merging = 1;
	if (!c->sort) {
		c->by = c->o.stage_by;
		if (open_sorts(c, err) != PK_OK)
			return PK_FATAL;
	}
	p = realloc(c->inputs, (c->ninputs + 1) * sizeof *p);
	if (!p)
		return pk_nomem(err);
	c->inputs = p;
	if (!(mi = calloc(1, sizeof *mi)) || !(mi->path = strdup(path))) {
		free(mi);
		return pk_nomem(err);
	}
	mi->c = c;
	mi->max_line = max_line;
	c->inputs[c->ninputs++] = mi;
	return pk_sort_add_input(c->sort, merge_next, mi, err);
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

/* The stage of a gap: 1 + the cuts above it; K for gaps <= 0. */
static unsigned gap_stage(const struct pk_curriculum *c, double gap)
{
	unsigned s = 1, k;

	if (gap <= 0)
		return c->K;
	for (k = 0; k + 1 < c->K; k++)
		s += c->has_cut[k] && c->cut[k] > gap;
	return s;
}

/* Gap stages: with n positive gaps in descending order v[0..n), stage k
 * (1-based) holds n / K of them, the first n mod K one more; cut k is
 * v[c_k - 1], c_k the pairs in stages 1..k.  A gap is in stage 1 + the
 * number of cuts greater than it: so equal gaps share the stage of the
 * first of them, and the cuts stay at their nominal places. */
static int find_cuts(struct pk_curriculum *c, struct pk_error *err)
{
	unsigned long long n = c->cnt.positive, pos = 0, ck;
	unsigned k = 0, K = c->K;
	const void *p;
	size_t len;
	int rc;

	c->cut = calloc(K, sizeof *c->cut);
	c->has_cut = calloc(K, 1);
	c->stage_count = calloc(K + 1, sizeof *c->stage_count);
	if (!c->cut || !c->has_cut || !c->stage_count)
		return pk_nomem(err);
	ck = n / K + (n % K > 0);
	while (k + 1 < K && ck == 0)
		ck += n / K + (n % K > ++k);
	while ((rc = pk_sort_next(c->gaps, &p, &len, err)) == PK_OK) {
		double g = pk_sort_key_double(~pk_sort_get_u64(p));

		while (k + 1 < K && pos == ck - 1) {
			c->cut[k] = g;
			c->has_cut[k] = 1;
			ck += n / K + (n % K > ++k);
		}
		pos++;
	}
	if (rc != PK_EOF)
		return rc;
	if ((rc = pk_sort_rewind(c->gaps, err)) != PK_OK)
		return rc;
	while ((rc = pk_sort_next(c->gaps, &p, &len, err)) == PK_OK)
		c->stage_count[gap_stage(
			c, pk_sort_key_double(~pk_sort_get_u64(p)))]++;
	if (rc != PK_EOF)
		return rc;
	c->stage_count[K] += c->cnt.nonpositive;
	pk_sort_free(c->gaps);
	c->gaps = NULL;
	return PK_OK;
}

/* The next stage with pairs, from stage s on; K + 1 when none is left. */
static unsigned next_stage(const struct pk_curriculum *c, unsigned s)
{
	while (s <= c->K && c->stage_count[s] == 0)
		s++;
	return s;
}

/* The next sorted pair: its text (stage 0) p[0..len), where the stage
 * goes (p[off] == '0') and its stage. */
static int next_sorted(struct pk_curriculum *c, const char **text,
		       size_t *len, size_t *at, unsigned *stage,
		       struct pk_error *err)
{
	int shuffled_gap = c->by == PK_CURR_STAGE_GAP && !c->merging &&
			   c->o.within == PK_CURR_SHUFFLE;
	const char *p;
	size_t n, off;
	int rc;

	if (c->phase == 2 || (c->phase == 0 && !c->sort)) {
		c->phase = 2;
		return PK_EOF;
	}
	if (c->phase == 0) {
		c->phase = 1;
		if (c->gaps && (rc = find_cuts(c, err)) != PK_OK)
			return rc;
		if (shuffled_gap)
			c->scan = next_stage(c, 1);
	}
	for (;;) {
		unsigned s;

		rc = pk_sort_next(c->sort, (const void **)&p, &n, err);
		if (rc == PK_EOF && shuffled_gap &&
		    (c->scan = next_stage(c, c->scan + 1)) <= c->K) {
			if ((rc = pk_sort_rewind(c->sort, err)) != PK_OK)
				return rc;
			continue;
		}
		if (rc == PK_EOF)
			c->phase = 2;
		if (rc != PK_OK)
			return rc;
		s = pk_sort_get_u32(p);
		if (s == 0) {
			s = gap_stage(c, pk_sort_key_double(
						 ~pk_sort_get_u64(p + K_GAP)));
			if (shuffled_gap && s != c->scan)
				continue;
		}
		off = pk_sort_get_u32(p + K_OFF);
		p += KEY_LEN;
		n -= KEY_LEN;
		if (off >= n || p[off] != '0')
			return pk_error_set(err, PK_ERR_IO,
					    "curriculum: a sorted record "
					    "came back damaged");
		*text = p;
		*len = n;
		*at = off;
		*stage = s;
		return PK_OK;
	}
}

/* The pair p[0..len) with stage s for its '0' at off, into d; its length. */
static size_t put_pair(char *d, const char *p, size_t len, size_t off,
		       unsigned s)
{
	char num[PK_NUMBER_MAX];
	size_t k = (size_t)pk_format_integer(num, s);

	memcpy(d, p, off);
	memcpy(d + off, num, k);
	memcpy(d + off + k, p + off + 1, len - off - 1);
	return len - 1 + k;
}

int pk_curriculum_next(struct pk_curriculum *c, const char **json,
		       size_t *n, unsigned *stage, struct pk_error *err)
{
	const char *p;
	size_t len, off;
	int rc = next_sorted(c, &p, &len, &off, stage, err);

	if (rc != PK_OK)
		return rc;
	pk_buf_reset(&c->out);
	if (pk_buf_reserve(&c->out, len + 16) < 0)
		return pk_nomem(err);
	c->out.len = put_pair(c->out.data, p, len, off, *stage);
	*json = c->out.data;
	*n = c->out.len;
	return PK_OK;
}

int pk_curriculum_next_to(struct pk_curriculum *c, const struct pk_sink *out,
			  unsigned *stage, struct pk_error *err)
{
	const char *p;
	size_t len, off;
	char *d;
	int rc;

	if (!out->room)
		return (rc = pk_curriculum_next(c, &p, &len, stage, err)) != PK_OK
			       ? rc
			       : out->emit(out->ctx, p, len);
	if ((rc = next_sorted(c, &p, &len, &off, stage, err)) != PK_OK)
		return rc;
	if (!(d = out->room(out->ctx, len + 16)))
		return PK_FATAL;
	return out->commit(out->ctx, d, put_pair(d, p, len, off, *stage));
}

unsigned pk_curriculum_stages(const struct pk_curriculum *c)
{
	if (c->merging)
		return c->merge_max_stage;
	if (c->by == PK_CURR_STAGE_GAP)
		return c->K;
	return c->cnt.max_stage;
}

enum pk_curr_input pk_curriculum_input(const struct pk_curriculum *c)
{
	return c->input;
}

const char *pk_curriculum_counter(const struct pk_curriculum *c, size_t i,
				  unsigned long long *value)
{
	struct pk_sort_stats st = {0};
	static const char *const names[] = {
		"stages", "sort_runs", "sort_merge_passes",
		"sort_bytes_spilled", "ties_dropped", "misordered_dropped",
		"lists", "lists_too_small", "responses_dropped",
	};
	size_t n = c->merging ? 4 : c->input == PK_CURR_LISTS ? 9 : 6;

	if (i >= n)
		return NULL;
	if (c->sort)
		pk_sort_get_stats(c->sort, &st);
	switch (i) {
	case 0: *value = pk_curriculum_stages(c); break;
	case 1: *value = st.runs; break;
	case 2: *value = st.merge_passes; break;
	case 3: *value = st.bytes_written; break;
	case 4: *value = c->cnt.ties; break;
	case 5: *value = c->cnt.misordered; break;
	case 6: *value = c->cnt.lists; break;
	case 7: *value = c->cnt.too_small; break;
	default: *value = c->cnt.responses_dropped; break;
	}
	return names[i];
}

void pk_curriculum_merge_lines(const struct pk_curriculum *c,
			       unsigned long long *read,
			       unsigned long long *blank)
{
	*read = c->merge_read;
	*blank = c->merge_blank;
}

void pk_curriculum_free(struct pk_curriculum *c)
{
	size_t i;

	if (!c)
		return;
	pk_sort_free(c->sort);
	pk_sort_free(c->gaps);
	for (i = 0; i < c->ninputs; i++) {
		struct merge_input *mi = c->inputs[i];

		pk_reader_close(mi->r);
		pk_record_free(&mi->rec);
		pk_buf_free(&mi->text);
		pk_buf_free(&mi->cur);
		pk_buf_free(&mi->prev);
		free(mi->path);
		free(mi);
	}
	free(c->inputs);
	pk_rank_list_free(&c->list);
	pk_obj_free(c->obj);
	pk_buf_free(&c->rec);
	pk_buf_free(&c->held);
	pk_buf_free(&c->held_gaps);
	pk_buf_free(&c->out);
	pk_record_free(&c->again);
	free(c->cut);
	free(c->has_cut);
	free(c->stage_count);
	free(c);
}
