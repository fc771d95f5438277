/* SPDX-License-Identifier: MIT */
/*
 * stats.c - what is in a dataset (SPEC 3.8, pref-stats): one pass over the
 * records, each scanned once; only the scores and the texts measured are
 * decoded.  Counts, formats, field presence, distributions (exact
 * quartiles within a memory budget, then a relative-error sketch),
 * duplicates through a pk_keyset (as pref-check and pref-dedup find them).
 * Each record is measured (pk_stats_measure, on any thread) into a list
 * of measurements, which are then added up in input order
 * (pk_stats_add).  The definitions are in prefkit.h; the reports are in
 * stats_report.c.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "pk_private.h"
#include "stats.h"

/* ---------------------------------------------------------------- */
/* The sketch: logarithmic buckets (relative error a)                */
/* ---------------------------------------------------------------- */

static double sk_gamma(void)
{
	return (1 + PK_STATS_SKETCH_ACCURACY) / (1 - PK_STATS_SKETCH_ACCURACY);
}

/* Bucket i holds (gamma^(i-1), gamma^i]. */
static long sk_index(double x)
{
	return (long)ceil(log(x) / log(sk_gamma()));
}

/* The estimate of bucket i: 2 gamma^i / (gamma + 1), within a of every
 * value of the bucket. */
static double sk_value(long i)
{
	double g = sk_gamma();

	return 2 * pow(g, (double)i) / (g + 1);
}

static int store_add(struct pk_stats_store *st, long i,
		     unsigned long long add)
{
	if (st->n == 0) {
		if (!(st->c = calloc(1, sizeof *st->c)))
			return PK_FATAL;
		st->lo = i;
		st->n = 1;
	} else if (i < st->lo || i >= st->lo + (long)st->n) {
		long lo = i < st->lo ? i : st->lo;
		long hi = i >= st->lo + (long)st->n ? i + 1
						    : st->lo + (long)st->n;
		size_t n = (size_t)(hi - lo);
		unsigned long long *c = calloc(n, sizeof *c);

		if (!c)
			return PK_FATAL;
		memcpy(c + (st->lo - lo), st->c, st->n * sizeof *c);
		free(st->c);
		st->c = c;
		st->lo = lo;
		st->n = n;
	}
	st->c[i - st->lo] += add;
	return PK_OK;
}

static int sketch_add(struct pk_stats_sketch *sk, double x)
{
	if (x > 0)
		return store_add(&sk->pos, sk_index(x), 1);
	if (x < 0)
		return store_add(&sk->neg, sk_index(-x), 1);
	sk->zero++;
	return PK_OK;
}

/* Walk the sketch's buckets in ascending order of value: f(ctx, estimate,
 * count) for each non-empty one. */
static void sketch_walk(const struct pk_stats_sketch *sk,
			void (*f)(void *ctx, double v, unsigned long long c),
			void *ctx)
{
	size_t k;

	for (k = sk->neg.n; k-- > 0;)
		if (sk->neg.c[k])
			f(ctx, -sk_value(sk->neg.lo + (long)k), sk->neg.c[k]);
	if (sk->zero)
		f(ctx, 0, sk->zero);
	for (k = 0; k < sk->pos.n; k++)
		if (sk->pos.c[k])
			f(ctx, sk_value(sk->pos.lo + (long)k), sk->pos.c[k]);
}

struct rank_query {
	unsigned long long want, seen;
	double v;
	int found;
};

static void rank_visit(void *ctx, double v, unsigned long long c)
{
	struct rank_query *q = ctx;

	if (!q->found && q->seen + c > q->want) {
		q->v = v;
		q->found = 1;
	}
	q->seen += c;
}

/* ---------------------------------------------------------------- */
/* Distributions                                                     */
/* ---------------------------------------------------------------- */

static const char *const dist_names[PK_SD_COUNT] = {
	"score_chosen", "score_rejected", "gap", "response_score",
	"list_size", "prompt_chars", "chosen_chars", "rejected_chars",
	"response_chars", "prompt_tokens", "chosen_tokens",
	"rejected_tokens", "response_tokens",
};

const char *pk_stats_dist_name(enum pk_stats_dist_id id)
{
	return (unsigned)id < PK_SD_COUNT ? dist_names[id] : NULL;
}

static int to_sketch(struct pk_stats *s, struct pk_stats_acc *a)
{
	size_t k;

	for (k = 0; k < a->nv; k++)
		if (sketch_add(&a->sk, a->v[k]) < 0)
			return PK_FATAL;
	s->held -= a->nv;
	free(a->v);
	a->v = NULL;
	a->nv = a->cap = 0;
	a->sketch = 1;
	return PK_OK;
}

static int add_value(struct pk_stats *s, enum pk_stats_dist_id id, double x,
		     struct pk_error *err)
{
	struct pk_stats_acc *a = &s->acc[id];

	if (a->count == 0 || x < a->min)
		a->min = x;
	if (a->count == 0 || x > a->max)
		a->max = x;
	if (a->count == 0)
		a->integral = 1;
	if (a->integral && !(x == floor(x) && fabs(x) < 9007199254740992.0))
		a->integral = 0;
	a->count++;
	a->sum += x;
	if (!a->sketch && s->held >= s->max_held && to_sketch(s, a) < 0)
		return pk_nomem(err);
	if (a->sketch)
		return sketch_add(&a->sk, x) < 0 ? pk_nomem(err) : PK_OK;
	if (a->nv == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		double *v = realloc(a->v, cap * sizeof *v);

		if (!v)
			return pk_nomem(err);
		a->v = v;
		a->cap = cap;
	}
	a->v[a->nv++] = x;
	s->held++;
	return PK_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void swap_d(double *v, size_t i, size_t j)
{
	double t = v[i];

	v[i] = v[j];
	v[j] = t;
}

/* Rearrange v[lo..hi) (no NaN) so that v[k] is the value of rank k - lo
 * among them, those before it no larger and those after no smaller:
 * quickselect, a median of three as the pivot and three-way partitions
 * (runs of equal values are common: lengths, small integers), sorting
 * what is left once it is small or the partitions go badly. */
static void select_rank(double *v, size_t lo, size_t hi, size_t k)
{
	unsigned rounds = 0;

	while (hi - lo > 16 && ++rounds <= 64) {
		double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi - 1], p;
		size_t lt = lo, i = lo, gt = hi;

		p = a < b ? (b < c ? b : a < c ? c : a)
			  : (a < c ? a : b < c ? c : b);
		while (i < gt) {
			if (v[i] < p)
				swap_d(v, lt++, i++);
			else if (v[i] > p)
				swap_d(v, i, --gt);
			else
				i++;
		}
		/* [lo, lt) < p, [lt, gt) = p, [gt, hi) > p */
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return;
	}
	qsort(v + lo, hi - lo, sizeof *v, cmp_double);
}

/* Put the order statistics the quartiles interpolate in their places
 * (settle), in ascending order of rank, each among the values after
 * the one before: so each v[r] is the value of rank r. */
static void select_quartiles(struct pk_stats_acc *a)
{
	unsigned long long m = a->count - 1;
	size_t ranks[6], n = 0, lo = 0, k;
	unsigned i;

	for (i = 1; i <= 3; i++) {
		unsigned long long j = i * m / 4;

		ranks[n++] = (size_t)j;
		if (i * m - 4 * j)
			ranks[n++] = (size_t)j + 1;
	}
	for (k = 0; k < n; k++) {
		if (k && ranks[k] < lo)
			continue; /* in place already */
		select_rank(a->v, lo, a->nv, ranks[k]);
		lo = ranks[k] + 1;
	}
}

/* The value of rank k (0-based) in ascending order. */
static double order_stat(const struct pk_stats_acc *a, unsigned long long k)
{
	struct rank_query q = {k, 0, 0, 0};

	if (!a->sketch)
		return a->v[k];
	sketch_walk(&a->sk, rank_visit, &q);
	if (q.v < a->min)
		return a->min;
	if (q.v > a->max)
		return a->max;
	return q.v;
}

/* Quartile i (1..3), type 7 as Python's statistics.quantiles computes it. */
static double quartile(const struct pk_stats_acc *a, unsigned i)
{
	unsigned long long m = a->count - 1, j = i * m / 4, d = i * m - 4 * j;

	if (d == 0)
		return order_stat(a, j);
	return (order_stat(a, j) * (double)(4 - d) +
		order_stat(a, j + 1) * (double)d) / 4;
}

static void bin_add(struct pk_stats_dist *d, double x, unsigned long long c)
{
	size_t k = 0;

	if (d->width > 0) {
		double b = floor((x - d->lo) / d->width);

		k = b < 0 ? 0 : b >= d->nbins ? d->nbins - 1 : (size_t)b;
	}
	d->bins[k] += c;
}

static void bin_visit(void *ctx, double v, unsigned long long c)
{
	bin_add(ctx, v, c);
}

static void settle(struct pk_stats_acc *a, struct pk_stats_dist *d)
{
	size_t k;

	memset(d, 0, sizeof *d);
	if (a->count == 0) {
		d->exact = 1;
		return;
	}
	d->n = a->count;
	d->min = a->min;
	d->max = a->max;
	d->mean = (double)(a->sum / (long double)a->count);
	d->exact = !a->sketch;
	if (!a->sketch)
		select_quartiles(a);
	d->q1 = quartile(a, 1);
	d->median = quartile(a, 2);
	d->q3 = quartile(a, 3);
	d->lo = a->min;
	if (a->min == a->max) {
		d->nbins = 1;
		d->width = 0;
	} else if (a->integral && a->max - a->min < PK_STATS_BINS) {
		d->nbins = (unsigned)(a->max - a->min) + 1;
		d->width = 1;
	} else {
		d->nbins = PK_STATS_BINS;
		d->width = (a->max - a->min) / PK_STATS_BINS;
	}
	if (a->sketch)
		sketch_walk(&a->sk, bin_visit, d);
	else
		for (k = 0; k < a->nv; k++)
			bin_add(d, a->v[k], 1);
}

/* ---------------------------------------------------------------- */
/* Counters                                                          */
/* ---------------------------------------------------------------- */

static const char *const counter_names[PK_SC_COUNT] = {
	"read", "records", "bad", "blank", "pairs", "lists", "other",
	"scored_pairs", "ties", "misordered", "scores_invalid",
	"lists_invalid", "list_ties", "texts_invalid", "duplicates",
	"fields_other",
};

const char *pk_stats_counter(const struct pk_stats *s, size_t i,
			     unsigned long long *value)
{
	if (i >= PK_SC_COUNT - 1) /* fields_other is asked for by name */
		return NULL;
	*value = s->count[i];
	return counter_names[i];
}

unsigned long long pk_stats_get(const struct pk_stats *s, const char *name)
{
	size_t i;

	for (i = 0; i < PK_SC_COUNT; i++)
		if (strcmp(counter_names[i], name) == 0)
			return s->count[i];
	return 0;
}

const struct pk_stats_dist *pk_stats_dist(const struct pk_stats *s,
					  enum pk_stats_dist_id id)
{
	return (unsigned)id < PK_SD_COUNT ? &s->dist[id] : NULL;
}

const char *pk_stats_name(const struct pk_stats *s)
{
	return s->name;
}

/* ---------------------------------------------------------------- */
/* Measuring: a record into its measurements                        */
/* ---------------------------------------------------------------- */

/*
 * A meter turns a record into a list of measurements (bytes, for this
 * process only), which pk_stats_add() then adds to the figures in the
 * order they were taken, as if it had measured the record itself: so
 * records measured on any thread and added in input order give the same
 * figures, to the last bit of every mean and the choice of what goes to
 * the sketch.  Each item is a tag byte and its operands:
 *	'c' id                  counter id + 1
 *	'v' id double           a value of distribution id
 *	'f' type size_t name    a top-level member: its type and decoded name
 *	'F' pointer             the detected format's (static) name
 *	'k' 16 bytes            the record's duplicate key
 */
enum { M_COUNT = 'c', M_VALUE = 'v', M_FIELD = 'f', M_FORMAT = 'F',
       M_KEY = 'k' };

struct pk_stats_meter {
	struct pk_field f_prompt, f_chosen, f_rejected, f_sc, f_sr,
		f_responses;
	struct pk_rank_opts ropts;
	struct pk_regex *re;
	struct pk_rank_list list;
	struct pk_canon canon;
	struct pk_buf text, key, dec;
	struct pk_buf *log;      /* where the measurements go */
};

struct pk_stats_meter *pk_stats_meter_new(const struct pk_stats_opts *o,
					  struct pk_error *err)
{
	struct pk_stats_meter *m = calloc(1, sizeof *m);

	if (!m) {
		pk_nomem(err);
		return NULL;
	}
	pk_field_init(&m->f_prompt, o->prompt_field ? o->prompt_field : "prompt");
	pk_field_init(&m->f_chosen, o->chosen_field ? o->chosen_field : "chosen");
	pk_field_init(&m->f_rejected,
		      o->rejected_field ? o->rejected_field : "rejected");
	pk_field_init(&m->f_sc, o->score_chosen_field ? o->score_chosen_field
						      : "score_chosen");
	pk_field_init(&m->f_sr, o->score_rejected_field
					? o->score_rejected_field
					: "score_rejected");
	if (o->rank)
		m->ropts = *o->rank;
	else
		pk_rank_opts_init(&m->ropts);
	pk_field_init(&m->f_responses, m->ropts.responses_field
					       ? m->ropts.responses_field
					       : "responses");
	if (!(m->re = pk_regex_new(PK_TOKEN_REGEX_DEFAULT, err))) {
		free(m);
		return NULL;
	}
	return m;
}

void pk_stats_meter_free(struct pk_stats_meter *m)
{
	if (!m)
		return;
	pk_regex_free(m->re);
	pk_rank_list_free(&m->list);
	pk_canon_free(&m->canon);
	pk_buf_free(&m->text);
	pk_buf_free(&m->key);
	pk_buf_free(&m->dec);
	free(m);
}

static int log_count(struct pk_stats_meter *m, int id)
{
	unsigned char b[2] = {M_COUNT, (unsigned char)id};

	return pk_buf_append(m->log, b, 2);
}

static int log_value(struct pk_stats_meter *m, enum pk_stats_dist_id id,
		     double x)
{
	unsigned char b[2 + sizeof x] = {M_VALUE, (unsigned char)id};

	memcpy(b + 2, &x, sizeof x);
	return pk_buf_append(m->log, b, sizeof b);
}

static int count_format(struct pk_stats_meter *m, const struct pk_record *rec)
{
	const char *name = pk_format_detect(rec);
	unsigned char b[1 + sizeof name] = {M_FORMAT};

	if (!name)
		name = "unknown";
	memcpy(b + 1, &name, sizeof name);
	return pk_buf_append(m->log, b, sizeof b);
}

static int count_fields(struct pk_stats_meter *m, const struct pk_record *rec)
{
	size_t i;

	for (i = 0; i < rec->nmembers; i++) {
		const struct pk_member *mb = &rec->members[i];
		const char *key = rec->text + mb->key_off + 1;
		size_t klen = mb->key_len - 2;
		unsigned char b[2 + sizeof klen] = {M_FIELD,
						    (unsigned char)mb->type};

		if (mb->key_escaped) {
			pk_buf_reset(&m->dec);
			if (pk_json_unquote(&m->dec, rec->text + mb->key_off,
					    mb->key_len) < 0)
				return PK_FATAL;
			key = m->dec.data;
			klen = m->dec.len;
		}
		memcpy(b + 2, &klen, sizeof klen);
		if (pk_buf_append(m->log, b, sizeof b) < 0 ||
		    pk_buf_append(m->log, key, klen) < 0)
			return PK_FATAL;
	}
	return PK_OK;
}

/* Characters (code points) of valid UTF-8: the bytes that are not
 * continuation bytes (10xxxxxx, below -64 as signed bytes), 16 at a time
 * with SSE2 (counted in byte lanes, added up before any lane can reach
 * 256), then 8 at a time. */
static size_t count_chars(const char *p, size_t n)
{
	const uint64_t hi = UINT64_C(0x8080808080808080);
	const uint64_t ones = UINT64_C(0x0101010101010101);
	size_t k = 0, cont = 0;

#ifdef __SSE2__
	while (n - k >= 16) {
		__m128i lanes = _mm_setzero_si128(), sum;
		size_t r = 0;

		for (; r < 255 && n - k >= 16; r++, k += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + k));

			lanes = _mm_sub_epi8(lanes, _mm_cmplt_epi8(v, _mm_set1_epi8(-64)));
		}
		sum = _mm_sad_epu8(lanes, _mm_setzero_si128());
		cont += (size_t)_mm_cvtsi128_si32(sum) +
			(size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
	}
#endif
	for (; n - k >= 8; k += 8) {
		uint64_t x;

		memcpy(&x, p + k, 8);
		/* bit 7 of each byte: set, with bit 6 (moved up) clear */
		x = (x & ~(x << 1) & hi) >> 7;
		cont += (size_t)((x * ones) >> 56);
	}
	for (; k < n; k++)
		cont += ((unsigned char)p[k] & 0xC0) == 0x80;
	return n - cont;
}

/* Measure the text now in m->text as characters and tokens. */
static int measure_text(struct pk_stats_meter *m, enum pk_stats_dist_id chars,
			enum pk_stats_dist_id tokens, struct pk_error *err)
{
	struct pk_error terr = {0};
	const char *t = m->text.data ? m->text.data : "";
	long k;

	if (log_value(m, chars, (double)count_chars(t, m->text.len)) < 0)
		return pk_nomem(err);
	k = pk_tokenize(m->re, t, m->text.len, NULL, NULL, &terr);
	if (k == PK_BAD_RECORD) /* a PCRE2 limit: no token count */
		return log_count(m, PK_SC_TEXTS_INVALID) < 0 ? pk_nomem(err)
							      : PK_OK;
	if (k < 0) {
		*err = terr;
		return (int)k;
	}
	return log_value(m, tokens, (double)k) < 0 ? pk_nomem(err) : PK_OK;
}

/* A prompt or response value: its text measured, or counted as invalid. */
static int measure(struct pk_stats_meter *m, const char *v, size_t n,
		   int prompt, enum pk_stats_dist_id chars,
		   enum pk_stats_dist_id tokens, struct pk_error *err)
{
	enum pk_type t = pk_type_of(v, n);
	int rc;

	pk_buf_reset(&m->text);
	if (t == PK_T_STRING)
		rc = pk_json_unquote(&m->text, v, n) < 0 ? PK_FATAL : PK_OK;
	else if (!pk_is_message_list(v, n))
		rc = PK_BAD_RECORD;
	else if (prompt)
		rc = pk_messages_text(v, n, 0, (size_t)-1, &m->text, NULL,
				      NULL);
	else
		rc = pk_response_text(v, n, &m->text, NULL);
	if (rc == PK_BAD_RECORD)
		return log_count(m, PK_SC_TEXTS_INVALID) < 0 ? pk_nomem(err)
							      : PK_OK;
	if (rc < 0)
		return pk_nomem(err);
	return measure_text(m, chars, tokens, err);
}

/* The messages of a message list but the last (last = 0), or the last
 * one only (last = 1), measured. */
static int measure_msgs(struct pk_stats_meter *m, const char *v, size_t n,
			int last, enum pk_stats_dist_id chars,
			enum pk_stats_dist_id tokens, struct pk_error *err)
{
	size_t k = 0;
	int rc;

	pk_buf_reset(&m->text);
	rc = pk_messages_text(v, n, 0, 0, &m->text, &k, NULL);
	if (rc == PK_OK && k > 0)
		rc = pk_messages_text(v, n, last ? k - 1 : 0, last ? k : k - 1,
				      &m->text, NULL, NULL);
	if (rc == PK_BAD_RECORD) /* a content that is not text */
		return log_count(m, PK_SC_TEXTS_INVALID) < 0 ? pk_nomem(err)
							      : PK_OK;
	if (rc < 0)
		return pk_nomem(err);
	return measure_text(m, chars, tokens, err);
}

/* A score: 1 with *x, 0 when absent, 0 and counted when invalid;
 * PK_FATAL when out of memory. */
static int read_score(struct pk_stats_meter *m, const struct pk_record *rec,
		      struct pk_field *f, double *x)
{
	struct pk_value v;

	if (!pk_record_field(rec, f, &v))
		return 0;
	if (pk_record_score_field(rec, f, x, NULL, NULL) < 0)
		return log_count(m, PK_SC_SCORES_INVALID) < 0 ? PK_FATAL : 0;
	return 1;
}

static int canon_into(struct pk_stats_meter *m, const char *v, size_t n,
		      struct pk_error *err)
{
	return pk_canonical(&m->key, v, n, 0, &m->canon, err);
}

/* The key now in m->key, hashed. */
static int log_key(struct pk_stats_meter *m, struct pk_error *err)
{
	unsigned char b[17] = {M_KEY};

	pk_hash128(m->key.data, m->key.len, b + 1);
	return pk_buf_append(m->log, b, sizeof b) < 0 ? pk_nomem(err) : PK_OK;
}

static int do_pair(struct pk_stats_meter *m, const struct pk_record *rec,
		   const struct pk_value *c, const struct pk_value *r,
		   struct pk_error *err)
{
	const char *t = rec->text;
	struct pk_value p;
	double sc, sr;
	int hc, hr, rc, has_prompt = pk_record_field(rec, &m->f_prompt, &p);

	if (log_count(m, PK_SC_PAIRS) < 0 ||
	    (hc = read_score(m, rec, &m->f_sc, &sc)) < 0 ||
	    (hr = read_score(m, rec, &m->f_sr, &sr)) < 0 ||
	    (hc && log_value(m, PK_SD_SCORE_CHOSEN, sc) < 0) ||
	    (hr && log_value(m, PK_SD_SCORE_REJECTED, sr) < 0))
		return pk_nomem(err);
	if (hc && hr) {
		double gap = sc - sr;

		if (log_count(m, PK_SC_SCORED_PAIRS) < 0 ||
		    (gap == 0 && log_count(m, PK_SC_TIES) < 0) ||
		    (gap < 0 && log_count(m, PK_SC_MISORDERED) < 0) ||
		    (isfinite(gap) && log_value(m, PK_SD_GAP, gap) < 0))
			return pk_nomem(err);
	}

	if (!has_prompt && c->type == PK_T_ARRAY &&
	    pk_is_message_list(t + c->off, c->len)) {
		/* implicit prompt: all but the last message of chosen */
		if ((rc = measure_msgs(m, t + c->off, c->len, 0,
				       PK_SD_PROMPT_CHARS, PK_SD_PROMPT_TOKENS,
				       err)) < 0 ||
		    (rc = measure_msgs(m, t + c->off, c->len, 1,
				       PK_SD_CHOSEN_CHARS, PK_SD_CHOSEN_TOKENS,
				       err)) < 0)
			return rc;
		if (r->type == PK_T_ARRAY &&
		    pk_is_message_list(t + r->off, r->len))
			rc = measure_msgs(m, t + r->off, r->len, 1,
					  PK_SD_REJECTED_CHARS,
					  PK_SD_REJECTED_TOKENS, err);
		else
			rc = measure(m, t + r->off, r->len, 0,
				     PK_SD_REJECTED_CHARS,
				     PK_SD_REJECTED_TOKENS, err);
		if (rc < 0)
			return rc;
	} else {
		if (has_prompt &&
		    (rc = measure(m, t + p.off, p.len, 1, PK_SD_PROMPT_CHARS,
				  PK_SD_PROMPT_TOKENS, err)) < 0)
			return rc;
		if ((rc = measure(m, t + c->off, c->len, 0, PK_SD_CHOSEN_CHARS,
				  PK_SD_CHOSEN_TOKENS, err)) < 0 ||
		    (rc = measure(m, t + r->off, r->len, 0,
				  PK_SD_REJECTED_CHARS, PK_SD_REJECTED_TOKENS,
				  err)) < 0)
			return rc;
	}

	pk_buf_reset(&m->key);
	if (pk_buf_putc(&m->key, '[') < 0 ||
	    (has_prompt ? canon_into(m, t + p.off, p.len, err)
			: pk_buf_puts(&m->key, "null")) < 0 ||
	    pk_buf_putc(&m->key, ',') < 0 ||
	    canon_into(m, t + c->off, c->len, err) < 0 ||
	    pk_buf_putc(&m->key, ',') < 0 ||
	    canon_into(m, t + r->off, r->len, err) < 0 ||
	    pk_buf_putc(&m->key, ']') < 0)
		return pk_nomem(err);
	return log_key(m, err);
}

static int do_list(struct pk_stats_meter *m, const struct pk_record *rec,
		   const struct pk_value *resp, struct pk_error *err)
{
	struct pk_rank_list *l = &m->list;
	struct pk_value p;
	size_t k;
	int rc, has_prompt = pk_record_field(rec, &m->f_prompt, &p);

	if (log_count(m, PK_SC_LISTS) < 0)
		return pk_nomem(err);
	if (pk_rank_parse(l, rec, &m->ropts, NULL) < 0) {
		if (log_count(m, PK_SC_LISTS_INVALID) < 0)
			return pk_nomem(err);
	} else {
		if (log_value(m, PK_SD_LIST_SIZE, (double)l->n) < 0 ||
		    (l->n >= 2 && l->ngroups < l->n &&
		     log_count(m, PK_SC_LIST_TIES) < 0))
			return pk_nomem(err);
		for (k = 0; k < l->n; k++) {
			const struct pk_rank_item *it = &l->items[k];
			double x;

			/* a boolean score counts as 1/0 (SPEC 1.3) */
			if (it->score.type == PK_T_TRUE ||
			    it->score.type == PK_T_FALSE)
				x = it->score.type == PK_T_TRUE;
			else if (it->score.type != PK_T_NUMBER ||
				 pk_parse_number(l->text + it->score.off,
						 it->score.len, &x) < 0)
				x = NAN;
			if (!isnan(x) &&
			    log_value(m, PK_SD_RESPONSE_SCORE, x) < 0)
				return pk_nomem(err);
			if ((rc = measure(m, l->text + it->text.off,
					  it->text.len, 0,
					  PK_SD_RESPONSE_CHARS,
					  PK_SD_RESPONSE_TOKENS, err)) < 0)
				return rc;
		}
	}
	if (has_prompt &&
	    (rc = measure(m, rec->text + p.off, p.len, 1, PK_SD_PROMPT_CHARS,
			  PK_SD_PROMPT_TOKENS, err)) < 0)
		return rc;
	pk_buf_reset(&m->key);
	if (pk_buf_putc(&m->key, '[') < 0 ||
	    (has_prompt ? canon_into(m, rec->text + p.off, p.len, err)
			: pk_buf_puts(&m->key, "null")) < 0 ||
	    pk_buf_putc(&m->key, ',') < 0 ||
	    canon_into(m, rec->text + resp->off, resp->len, err) < 0 ||
	    pk_buf_putc(&m->key, ']') < 0)
		return pk_nomem(err);
	return log_key(m, err);
}

int pk_stats_measure(struct pk_stats_meter *m, const struct pk_record *rec,
		     struct pk_buf *out, struct pk_error *err)
{
	struct pk_value c, r, resp;
	size_t len0 = out->len;
	int rc;

	m->log = out;
	if (log_count(m, PK_SC_RECORDS) < 0 || count_fields(m, rec) < 0 ||
	    count_format(m, rec) < 0) {
		rc = pk_nomem(err);
	} else if (pk_record_field(rec, &m->f_chosen, &c) &&
		   pk_record_field(rec, &m->f_rejected, &r)) {
		rc = do_pair(m, rec, &c, &r, err);
	} else if (pk_record_field(rec, &m->f_responses, &resp)) {
		rc = do_list(m, rec, &resp, err);
	} else {
		pk_buf_reset(&m->key);
		rc = log_count(m, PK_SC_OTHER) < 0 ||
		     canon_into(m, rec->text, rec->len, err) < 0
			     ? pk_nomem(err)
			     : log_key(m, err);
	}
	if (rc < 0 && out->data) {
		/* nothing of a record that failed */
		out->len = len0;
		out->data[len0] = '\0';
	}
	return rc;
}

/* ---------------------------------------------------------------- */
/* Adding up                                                         */
/* ---------------------------------------------------------------- */

struct pk_stats *pk_stats_new(const struct pk_stats_opts *o,
			      struct pk_error *err)
{
	struct pk_stats *s = calloc(1, sizeof *s);
	struct pk_keyset_opts ko = {0};
	size_t memory = o->memory ? o->memory : PK_SORT_MEMORY_DEFAULT;

	if (!s) {
		pk_nomem(err);
		return NULL;
	}
	s->max_held = memory / 2 / sizeof(double);
	ko.memory = memory / 2;
	ko.tmpdir = o->tmpdir;
	if (!(s->name = strdup(o->name ? o->name : "-"))) {
		pk_nomem(err);
		goto fail;
	}
	if (!(s->meter = pk_stats_meter_new(o, err)) ||
	    !(s->keys = pk_keyset_new(&ko, err)))
		goto fail;
	return s;
fail:
	pk_stats_free(s);
	return NULL;
}

void pk_stats_free(struct pk_stats *s)
{
	size_t k;

	if (!s)
		return;
	for (k = 0; k < PK_SD_COUNT; k++) {
		free(s->acc[k].v);
		free(s->acc[k].sk.pos.c);
		free(s->acc[k].sk.neg.c);
	}
	for (k = 0; k < s->nfields; k++)
		free(s->fields[k].name);
	pk_stats_meter_free(s->meter);
	pk_keyset_free(s->keys);
	pk_buf_free(&s->log);
	free(s->name);
	free(s);
}

void pk_stats_input(struct pk_stats *s, unsigned long long bad,
		    unsigned long long blank)
{
	s->count[PK_SC_BAD] += bad;
	s->count[PK_SC_BLANK] += blank;
}

static void add_format(struct pk_stats *s, const char *name)
{
	size_t k;

	for (k = 0; k < s->nformats; k++)
		if (s->formats[k].name == name ||
		    strcmp(s->formats[k].name, name) == 0)
			break;
	if (k == s->nformats) {
		if (k == PK_STATS_MAX_FORMATS)
			return;
		s->formats[k].name = name;
		s->nformats++;
	}
	s->formats[k].count++;
}

/* Member i of a record: its name key[0..klen) and type. */
static int add_field(struct pk_stats *s, size_t i, const char *key,
		     size_t klen, unsigned type, struct pk_error *err)
{
	size_t k;

	/* the records of a file mostly share one layout */
	k = i < s->nfields && s->fields[i].len == klen &&
			    memcmp(s->fields[i].name, key, klen) == 0
		    ? i
		    : s->nfields;
	if (k == s->nfields)
		for (k = 0; k < s->nfields; k++)
			if (s->fields[k].len == klen &&
			    memcmp(s->fields[k].name, key, klen) == 0)
				break;
	if (k == s->nfields) {
		if (k == PK_STATS_MAX_FIELDS) {
			s->count[PK_SC_FIELDS_OTHER]++;
			return PK_OK;
		}
		if (!(s->fields[k].name = malloc(klen + 1)))
			return pk_nomem(err);
		memcpy(s->fields[k].name, key, klen);
		s->fields[k].name[klen] = '\0';
		s->fields[k].len = klen;
		s->nfields++;
	}
	s->fields[k].count++;
	s->fields[k].by_type[type]++;
	return PK_OK;
}

static int add_key(struct pk_stats *s, const unsigned char h[16],
		   struct pk_error *err)
{
	/* counted now, or after the key set's merge (pk_stats_finish) */
	return pk_keyset_add(s->keys, h, ++s->nkeys, NULL, err) < 0 ? PK_FATAL
								   : PK_OK;
}

static int cut_short(struct pk_error *err)
{
	return pk_error_set(err, PK_ERR_USAGE,
			    "measurements of a record cut short");
}

int pk_stats_add(struct pk_stats *s, const void *data, size_t len,
		 struct pk_error *err)
{
	const unsigned char *p = data, *end = p + len;
	size_t member = 0, n;
	const char *name;
	double x;
	int rc;

	while (p < end) {
		switch (*p++) {
		case M_COUNT:
			if (p == end || *p >= PK_SC_COUNT)
				return cut_short(err);
			s->count[*p++]++;
			break;
		case M_VALUE:
			if ((size_t)(end - p) < 1 + sizeof x ||
			    *p >= PK_SD_COUNT)
				return cut_short(err);
			memcpy(&x, p + 1, sizeof x);
			if ((rc = add_value(s, (enum pk_stats_dist_id)*p, x,
					    err)) < 0)
				return rc;
			p += 1 + sizeof x;
			break;
		case M_FIELD:
			if ((size_t)(end - p) < 1 + sizeof n || *p > PK_T_NULL)
				return cut_short(err);
			memcpy(&n, p + 1, sizeof n);
			if ((size_t)(end - p) - 1 - sizeof n < n)
				return cut_short(err);
			if ((rc = add_field(s, member++,
					    (const char *)p + 1 + sizeof n, n,
					    *p, err)) < 0)
				return rc;
			p += 1 + sizeof n + n;
			break;
		case M_FORMAT:
			if ((size_t)(end - p) < sizeof name)
				return cut_short(err);
			memcpy(&name, p, sizeof name);
			add_format(s, name);
			p += sizeof name;
			break;
		case M_KEY:
			if (end - p < 16)
				return cut_short(err);
			if ((rc = add_key(s, p, err)) < 0)
				return rc;
			p += 16;
			break;
		default:
			return cut_short(err);
		}
	}
	return PK_OK;
}

int pk_stats_record(struct pk_stats *s, const struct pk_record *rec,
		    struct pk_error *err)
{
	int rc;

	pk_buf_reset(&s->log);
	if ((rc = pk_stats_measure(s->meter, rec, &s->log, err)) < 0)
		return rc;
	return pk_stats_add(s, s->log.data, s->log.len, err);
}

/* ---------------------------------------------------------------- */
/* Settling                                                          */
/* ---------------------------------------------------------------- */

static int cmp_format(const void *a, const void *b)
{
	const struct pk_stats_format *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

int pk_stats_finish(struct pk_stats *s, struct pk_error *err)
{
	struct pk_keyset_stats ks;
	size_t k;
	int rc;

	if ((rc = pk_keyset_finish(s->keys, err)) < 0)
		return rc;
	pk_keyset_get_stats(s->keys, &ks);
	s->count[PK_SC_DUPLICATES] = ks.duplicates;
	for (k = 0; k < PK_SD_COUNT; k++)
		settle(&s->acc[k], &s->dist[k]);
	qsort(s->formats, s->nformats, sizeof *s->formats, cmp_format);
	s->count[PK_SC_READ] = s->count[PK_SC_RECORDS] + s->count[PK_SC_BAD];
	return PK_OK;
}

const char *pk_stats_format(const struct pk_stats *s, size_t i,
			    unsigned long long *count)
{
	if (i >= s->nformats)
		return NULL;
	*count = s->formats[i].count;
	return s->formats[i].name;
}

const char *pk_stats_field(const struct pk_stats *s, size_t i,
			   unsigned long long *count,
			   const unsigned long long **by_type)
{
	if (i >= s->nfields)
		return NULL;
	*count = s->fields[i].count;
	if (by_type)
		*by_type = s->fields[i].by_type;
	return s->fields[i].name;
}
