/* SPDX-License-Identifier: MIT */
/*
 * rank.c - ranked lists (SPEC 1.3) and the pair strategies of SPEC 3.2,
 * shared by pref-expand and pref-curriculum.
 *
 * A list is read in place: the responses, their texts, scores and ranks
 * stay spans of the record's text, and the records derived from a list
 * are written from those spans, so untouched values are copied byte for
 * byte.  Only the scores and ranks are decoded (to order the list).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

void pk_rank_opts_init(struct pk_rank_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->prompt_field = "prompt";
	o->responses_field = "responses";
	o->text_field = "text";
	o->score_field = "score";
	o->rank_field = "rank";
	o->rank_by = PK_RANK_BY_SCORE;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

/* Find the dotted path inside the validated object text[0..len); the
 * value's offsets are relative to text.  Returns 1 if found. */
static int value_path(const char *text, size_t len, const char *path,
		      struct pk_value *v)
{
	size_t base = 0;
	char name[256];

	for (;;) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		struct pk_member m;

		if (n >= sizeof(name) ||
		    pk_type_of(text + base, len) != PK_T_OBJECT)
			return 0;
		memcpy(name, path, n);
		name[n] = '\0';
		if (!pk_object_find(text + base, len, name, &m))
			return 0;
		base += m.val_off;
		len = m.val_len;
		if (!dot) {
			v->off = base;
			v->len = len;
			v->type = m.type;
			return 1;
		}
		path = dot + 1;
	}
}

/* Is the raw key (quotes included) equal to the first component of the
 * field path when that path is a plain name? */
static int key_is_field(const char *key, size_t n, const char *field)
{
	size_t fn = strlen(field);

	if (n == fn + 2 && memcmp(key + 1, field, fn) == 0)
		return strchr(field, '.') == NULL;
	/* Only a key with an escape is longer than the name it spells. */
	return n > fn + 2 && memchr(key, '\\', n) &&
	       strchr(field, '.') == NULL && pk_key_equals(key, n, field);
}

/* ------------------------------------------------------------------ */
/* Reading a list                                                      */
/* ------------------------------------------------------------------ */

static int bad(struct pk_error *err, const struct pk_rank_opts *o,
	       size_t k, const char *what)
{
	return pk_error_set(err, PK_ERR_DATA, "%s[%zu]%s", o->responses_field,
			    k, what);
}

/* Read a score value: a number, or a boolean as 1/0.  1 = value, 0 =
 * null, negative = bad. */
static int read_score(const char *p, size_t n, enum pk_type t, double *x)
{
	switch (t) {
	case PK_T_NUMBER:
		return pk_parse_number(p, n, x) == PK_OK ? 1 : -2;
	case PK_T_TRUE:
		*x = 1;
		return 1;
	case PK_T_FALSE:
		*x = 0;
		return 1;
	case PK_T_NULL:
		return 0;
	default:
		return PK_BAD_RECORD;
	}
}

/* Read a rank: an integral number.  1 = value, 0 = null, negative = bad. */
static int read_rank(const char *p, size_t n, enum pk_type t, double *x)
{
	if (t == PK_T_NULL)
		return 0;
	if (t != PK_T_NUMBER || pk_parse_number(p, n, x) != PK_OK ||
	    *x != floor(*x))
		return PK_BAD_RECORD;
	return 1;
}

/* Fill item k's text, score and rank spans from the response object at
 * text[off..off+len). */
static int read_item(struct pk_rank_list *l, size_t k, size_t off, size_t len,
		     struct pk_error *err)
{
	const struct pk_rank_opts *o = l->opts_;
	struct pk_rank_item *it = &l->items[k];
	const char *obj = l->text + off;
	struct pk_iter iter;
	struct pk_member m;
	struct pk_value v;

	it->off = off;
	it->len = len;
	it->index = k;
	it->text.type = it->score.type = it->rank.type = PK_T_NONE;
	it->carried_ = l->carried_buf_.len / sizeof(m);
	it->ncarried_ = 0;
	/* One pass over the members for the plain names; the others are
	 * carried to the pairs. */
	pk_iter_init(&iter, obj, len);
	while (pk_iter_member(&iter, &m)) {
		const char *key = obj + m.key_off;
		struct pk_value *dst = NULL;

		if (key_is_field(key, m.key_len, o->text_field))
			dst = &it->text;
		else if (key_is_field(key, m.key_len, o->score_field))
			dst = &it->score;
		else if (key_is_field(key, m.key_len, o->rank_field))
			dst = &it->rank;
		if (dst) {
			dst->off = off + m.val_off;
			dst->len = m.val_len;
			dst->type = m.type;
			continue;
		}
		m.key_off += off;
		m.val_off += off;
		if (pk_buf_append(&l->carried_buf_, &m, sizeof(m)) < 0)
			return pk_nomem(err);
		it->ncarried_++;
	}
	/* Dotted paths, looked up one by one. */
	if (strchr(o->text_field, '.') &&
	    value_path(obj, len, o->text_field, &v)) {
		it->text = v;
		it->text.off += off;
	}
	if (strchr(o->score_field, '.') &&
	    value_path(obj, len, o->score_field, &v)) {
		it->score = v;
		it->score.off += off;
	}
	if (strchr(o->rank_field, '.') &&
	    value_path(obj, len, o->rank_field, &v)) {
		it->rank = v;
		it->rank.off += off;
	}

	if (it->text.type == PK_T_NONE)
		return pk_error_set(err, PK_ERR_DATA, "%s[%zu]: no '%s'",
				    o->responses_field, k, o->text_field);
	if (it->text.type == PK_T_ARRAY) {
		const char *t = l->text + it->text.off;

		if (!pk_is_message_list(t, it->text.len)) {
			struct pk_iter ai;
			size_t eo, el;
			enum pk_type et;
			int strings = o->steps;

			pk_iter_init(&ai, t, it->text.len);
			while (strings && pk_iter_element(&ai, &eo, &el, &et))
				strings = et == PK_T_STRING;
			if (!strings)
				goto badtext;
		}
	} else if (it->text.type != PK_T_STRING) {
		goto badtext;
	}
	return PK_OK;
badtext:
	return pk_error_set(err, PK_ERR_DATA,
			    "%s[%zu].%s: not a string or message list%s",
			    o->responses_field, k, o->text_field,
			    o->steps ? " or array of steps" : "");
}

static int item_cmp(const void *a, const void *b)
{
	const struct pk_rank_item *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Stable sort best first: insertion sort for short lists, else qsort
 * with the input position as the last key. */
static void sort_items(struct pk_rank_item *a, size_t n)
{
	size_t i, j;

	if (n > 24) {
		qsort(a, n, sizeof(*a), item_cmp);
		return;
	}
	for (i = 1; i < n; i++) {
		struct pk_rank_item t = a[i];

		for (j = i; j > 0 && a[j - 1].key < t.key; j--)
			a[j] = a[j - 1];
		a[j] = t;
	}
}

/* Which field orders the list: the preferred one when every response has
 * it (null counts as present), else the other when every one has it. */
static int choose_order(struct pk_rank_list *l, size_t n, struct pk_error *err)
{
	const struct pk_rank_opts *o = l->opts_;
	int want_rank = o->rank_by == PK_RANK_BY_RANK;
	size_t k, miss_pref = n, miss_other = n;

	for (k = 0; k < n; k++) {
		int has_score = l->items[k].score.type != PK_T_NONE;
		int has_rank = l->items[k].rank.type != PK_T_NONE;

		if (!(want_rank ? has_rank : has_score) && miss_pref == n)
			miss_pref = k;
		if (!(want_rank ? has_score : has_rank) && miss_other == n)
			miss_other = k;
	}
	if (miss_pref == n)
		l->by = o->rank_by;
	else if (miss_other == n)
		l->by = want_rank ? PK_RANK_BY_SCORE : PK_RANK_BY_RANK;
	else if (l->items[miss_pref].score.type == PK_T_NONE &&
		 l->items[miss_pref].rank.type == PK_T_NONE)
		return pk_error_set(err, PK_ERR_DATA,
				    "%s[%zu]: no '%s' or '%s'",
				    o->responses_field, miss_pref,
				    o->score_field, o->rank_field);
	else
		return pk_error_set(err, PK_ERR_DATA,
				    "%s[%zu]: no '%s' (other responses "
				    "have one)", o->responses_field, miss_pref,
				    want_rank ? o->rank_field : o->score_field);
	return PK_OK;
}

/* Check both standing fields of every response, set the keys, and drop
 * the responses whose ordering value is null. */
static int read_keys(struct pk_rank_list *l, size_t n, struct pk_error *err)
{
	const struct pk_rank_opts *o = l->opts_;
	size_t k, kept = 0;

	for (k = 0; k < n; k++) {
		struct pk_rank_item *it = &l->items[k];
		double s = 0, r = 0;
		int hs = 1, hr = 1;

		if (it->score.type != PK_T_NONE) {
			hs = read_score(l->text + it->score.off, it->score.len,
					it->score.type, &s);
			if (hs == -2)
				return bad(err, o, it->index,
					   ": score out of range");
			if (hs < 0)
				return pk_error_set(
					err, PK_ERR_DATA,
					"%s[%zu].%s: not a number (%s)",
					o->responses_field, it->index,
					o->score_field,
					pk_type_name(it->score.type));
		}
		if (it->rank.type != PK_T_NONE) {
			hr = read_rank(l->text + it->rank.off, it->rank.len,
				       it->rank.type, &r);
			if (hr < 0)
				return pk_error_set(
					err, PK_ERR_DATA,
					"%s[%zu].%s: not an integer",
					o->responses_field, it->index,
					o->rank_field);
		}
		if (l->by == PK_RANK_BY_SCORE ? hs == 0 : hr == 0) {
			l->ndropped++;
			continue;
		}
		it->key = l->by == PK_RANK_BY_SCORE ? s : -r;
		l->items[kept++] = *it;
	}
	l->n = kept;
	return PK_OK;
}

static int read_prompt(struct pk_rank_list *l, struct pk_error *err)
{
	const struct pk_rank_opts *o = l->opts_;
	const struct pk_record *rec = l->rec_;
	const char *p;
	int rc;

	if (pk_record_path(rec, o->prompt_field, &l->prompt)) {
		p = l->text + l->prompt.off;
		if (l->prompt.type != PK_T_STRING &&
		    !(l->prompt.type == PK_T_ARRAY &&
		      pk_is_message_list(p, l->prompt.len)))
			return pk_error_set(err, PK_ERR_DATA,
					    "'%s': not a string or message "
					    "list (%s)", o->prompt_field,
					    pk_type_name(l->prompt.type));
		return pk_group_id(p, l->prompt.len, l->group_id, err);
	}
	l->prompt.type = PK_T_NONE;
	/* An implicit prompt (SPEC 1.2): the messages of the best response
	 * before its last one. */
	if (o->need_prompt || l->n == 0 ||
	    l->items[0].text.type != PK_T_ARRAY ||
	    !pk_is_message_list(l->text + l->items[0].text.off,
				l->items[0].text.len))
		return pk_error_set(err, PK_ERR_DATA, "no '%s'",
				    o->prompt_field);
	if (pk_implicit_prompt(l->text + l->items[0].text.off,
			    l->items[0].text.len, &l->scratch_) < 0)
		return pk_nomem(err);
	rc = pk_group_id(l->scratch_.data, l->scratch_.len, l->group_id, err);
	return rc;
}

/* The top-level member whose value holds path, or -1. */
static long top_member(const struct pk_record *rec, const char *path)
{
	const char *dot = strchr(path, '.');
	size_t n = dot ? (size_t)(dot - path) : strlen(path), k;
	char name[256];

	if (n >= sizeof(name))
		return -1;
	memcpy(name, path, n);
	name[n] = '\0';
	for (k = 0; k < rec->nmembers; k++) {
		const struct pk_member *m = &rec->members[k];

		if (pk_key_equals(rec->text + m->key_off, m->key_len, name))
			return (long)k;
	}
	return -1;
}

/* The member holding a dotted responses path, without the responses. */
static int make_container(struct pk_rank_list *l, const char *prompt_raw,
			  size_t prompt_len, struct pk_buf *out,
			  struct pk_error *err)
{
	const struct pk_rank_opts *o = l->opts_;
	const struct pk_member *m = &l->rec_->members[l->resp_member_];
	struct pk_obj *obj = pk_obj_new();
	int rc = PK_OK;

	if (!obj)
		return pk_nomem(err);
	if (pk_obj_load(obj, l->text + m->val_off, m->val_len) < 0)
		goto nomem;
	pk_obj_delete(obj, strchr(o->responses_field, '.') + 1);
	if (prompt_raw && l->prompt_member_ == l->resp_member_ &&
	    pk_obj_set_raw(obj, strchr(o->prompt_field, '.') + 1, prompt_raw,
			   prompt_len) < 0)
		goto nomem;
	if (pk_obj_write(obj, out) < 0)
		goto nomem;
	pk_obj_free(obj);
	return rc;
nomem:
	pk_obj_free(obj);
	return pk_nomem(err);
}

int pk_rank_parse(struct pk_rank_list *l, const struct pk_record *rec,
		  const struct pk_rank_opts *opts, struct pk_error *err)
{
	struct pk_value resp;
	struct pk_iter it;
	size_t off, len, n = 0, k;
	enum pk_type type;
	int rc;

	/* Records derived from a list copy its values many times: copy them
	 * from a compacted record rather than compacting every copy. */
	if (rec->has_space) {
		pk_buf_reset(&l->ctext_);
		if (pk_compact(&l->ctext_, rec->text, rec->len) < 0)
			return pk_nomem(err);
		rc = pk_scan_record(&l->crec_, l->ctext_.data, l->ctext_.len,
				    err);
		if (rc != PK_OK)
			return rc;
		rec = &l->crec_;
	}
	l->text = rec->text;
	l->len = rec->len;
	l->rec_ = rec;
	l->opts_ = opts;
	l->n = l->ngroups = l->ndropped = l->npairs = 0;
	l->prompt.type = PK_T_NONE;
	l->group_id[0] = '\0';
	l->by = opts->rank_by;
	pk_buf_reset(&l->items_buf_);
	pk_buf_reset(&l->carried_buf_);

	if (!pk_record_path(rec, opts->responses_field, &resp))
		return pk_error_set(err, PK_ERR_DATA, "no '%s'",
				    opts->responses_field);
	if (resp.type != PK_T_ARRAY)
		return pk_error_set(err, PK_ERR_DATA,
				    "'%s': not an array (%s)",
				    opts->responses_field,
				    pk_type_name(resp.type));
	pk_iter_init(&it, rec->text + resp.off, resp.len);
	while (pk_iter_element(&it, &off, &len, &type)) {
		if (type != PK_T_OBJECT)
			return bad(err, opts, n, ": not an object");
		if (pk_buf_reserve(&l->items_buf_, sizeof(*l->items)) < 0)
			return pk_nomem(err);
		l->items_buf_.len += sizeof(*l->items);
		l->items = (void *)l->items_buf_.data;
		rc = read_item(l, n, resp.off + off, len, err);
		if (rc != PK_OK)
			return rc;
		n++;
	}
	if ((rc = choose_order(l, n, err)) != PK_OK ||
	    (rc = read_keys(l, n, err)) != PK_OK)
		return rc;
	sort_items(l->items, l->n);
	/* Tie groups, and their contiguous copy for pk_pairs_build(). */
	pk_buf_reset(&l->groups_buf_);
	for (k = 0; k < l->n; k++) {
		if (k > 0 && l->items[k].key != l->items[k - 1].key)
			l->ngroups++;
		l->items[k].group = l->ngroups;
		if (pk_buf_append(&l->groups_buf_, &l->ngroups,
				  sizeof(l->ngroups)) < 0)
			return pk_nomem(err);
	}
	if (l->n)
		l->ngroups++;
	if ((rc = read_prompt(l, err)) != PK_OK)
		return rc;

	l->resp_member_ = top_member(rec, opts->responses_field);
	l->prompt_member_ = l->prompt.type != PK_T_NONE
				    ? top_member(rec, opts->prompt_field)
				    : -1;
	pk_buf_reset(&l->container_);
	if (strchr(opts->responses_field, '.') && l->resp_member_ >= 0)
		return make_container(l, NULL, 0, &l->container_, err);
	return PK_OK;
}

void pk_rank_top(struct pk_rank_list *l, size_t k)
{
	size_t i;

	if (k >= l->n)
		return;
	l->n = k;
	l->ngroups = 0;
	for (i = 0; i < k; i++)
		l->ngroups = l->items[i].group + 1;
}

double pk_rank_gap(const struct pk_rank_list *l, size_t i, size_t j)
{
	return l->items[i].key - l->items[j].key;
}

void pk_rank_list_free(struct pk_rank_list *l)
{
	if (!l)
		return;
	pk_buf_free(&l->items_buf_);
	pk_buf_free(&l->pairs_buf_);
	pk_buf_free(&l->groups_buf_);
	pk_buf_free(&l->carried_buf_);
	pk_buf_free(&l->ctext_);
	pk_record_free(&l->crec_);
	pk_buf_free(&l->container_);
	pk_buf_free(&l->block_);
	pk_buf_free(&l->scratch_);
	memset(l, 0, sizeof(*l));
}

/* ------------------------------------------------------------------ */
/* Pair strategies                                                     */
/* ------------------------------------------------------------------ */

int pk_pairs_parse(const char *s, struct pk_pairs_strategy *out)
{
	static const struct {
		const char *name;
		enum pk_pairs_kind kind;
	} names[] = {
		{"all", PK_PAIRS_ALL},
		{"adjacent", PK_PAIRS_ADJACENT},
		{"best-vs-rest", PK_PAIRS_BEST_VS_REST},
		{"rest-vs-worst", PK_PAIRS_REST_VS_WORST},
		{"best-vs-worst", PK_PAIRS_BEST_VS_WORST},
	};
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strcmp(s, names[k].name) == 0) {
			out->kind = names[k].kind;
			out->skip = 0;
			return 0;
		}
	if (strncmp(s, "skip=", 5) == 0 && s[5] >= '0' && s[5] <= '9') {
		char *end;
		unsigned long long v = strtoull(s + 5, &end, 10);

		if (*end == '\0' && v >= 1 && v <= (size_t)-1 / 2) {
			out->kind = PK_PAIRS_SKIP;
			out->skip = (size_t)v;
			return 0;
		}
	}
	return PK_BAD_RECORD;
}

/* Does the strategy pair standing a with the worse standing b (of
 * ngroups)? */
static int pairs_groups(const struct pk_pairs_strategy *s, size_t a, size_t b,
			size_t ngroups)
{
	switch (s->kind) {
	case PK_PAIRS_ALL:
		return 1;
	case PK_PAIRS_ADJACENT:
		return b == a + 1;
	case PK_PAIRS_BEST_VS_REST:
		return a == 0;
	case PK_PAIRS_REST_VS_WORST:
		return b == ngroups - 1;
	case PK_PAIRS_BEST_VS_WORST:
		return a == 0 && b == ngroups - 1;
	case PK_PAIRS_SKIP:
		return b - a == s->skip;
	}
	return 0;
}

long pk_pairs_build(const size_t *group, size_t n,
		    const struct pk_pairs_strategy *s, struct pk_buf *out)
{
	size_t i, j, np = 0, ngroups = n ? group[n - 1] + 1 : 0;

	for (i = 0; i < n; i++) {
		/* best-vs-* pair only the best standing: stop after it. */
		if ((s->kind == PK_PAIRS_BEST_VS_REST ||
		     s->kind == PK_PAIRS_BEST_VS_WORST) &&
		    group[i] != 0)
			break;
		for (j = i + 1; j < n; j++) {
			struct pk_rank_pair p = {i, j};

			if (group[j] == group[i] ||
			    !pairs_groups(s, group[i], group[j], ngroups))
				continue;
			if (pk_buf_append(out, &p, sizeof(p)) < 0)
				return PK_FATAL;
			np++;
		}
	}
	return (long)np;
}

long pk_rank_pairs(struct pk_rank_list *l, const struct pk_pairs_strategy *s,
		   double min_gap, unsigned long long *nbelow)
{
	long np;
	size_t k, kept = 0;

	pk_buf_reset(&l->pairs_buf_);
	np = pk_pairs_build((const size_t *)(void *)l->groups_buf_.data, l->n,
			    s, &l->pairs_buf_);
	l->pairs = (void *)l->pairs_buf_.data;
	l->npairs = 0;
	if (np < 0)
		return PK_FATAL;
	for (k = 0; k < (size_t)np; k++) {
		struct pk_rank_pair p = l->pairs[k];

		if (min_gap > 0 && pk_rank_gap(l, p.i, p.j) < min_gap) {
			if (nbelow)
				(*nbelow)++;
			continue;
		}
		l->pairs[kept++] = p;
	}
	l->npairs = kept;
	return (long)kept;
}

/* ------------------------------------------------------------------ */
/* Writing derived records                                             */
/* ------------------------------------------------------------------ */

/* The keys of a derived record's block, as spans into the block. */
struct keyspan {
	size_t off, len;
	int escaped; /* has a backslash: compare decoded */
};

static int add_key(struct pk_buf *keys, const char *block, size_t off,
		   size_t len)
{
	struct keyspan k = {off, len, memchr(block + off, '\\', len) != NULL};

	return pk_buf_append(keys, &k, sizeof(k));
}

static int decoded_equal(const char *a, size_t an, const char *b, size_t bn)
{
	struct pk_buf x = PK_BUF_INIT, y = PK_BUF_INIT;
	int eq = pk_json_unquote(&x, a, an) == 0 &&
		 pk_json_unquote(&y, b, bn) == 0 && x.len == y.len &&
		 memcmp(x.data, y.data, x.len) == 0;

	pk_buf_free(&x);
	pk_buf_free(&y);
	return eq;
}

/* Is the raw key equal to one of the keys? */
static int in_keys(const char *key, size_t n, const char *block,
		   const struct pk_buf *keys)
{
	const struct keyspan *ks = (const void *)keys->data;
	size_t k, nk = keys->len / sizeof(*ks);
	int escaped = memchr(key, '\\', n) != NULL;

	for (k = 0; k < nk; k++) {
		const char *b = block + ks[k].off;

		if (ks[k].len == n && memcmp(b, key, n) == 0)
			return 1;
		if ((escaped || ks[k].escaped) &&
		    decoded_equal(key, n, b, ks[k].len))
			return 1;
	}
	return 0;
}

/* The members of the object text block (without its braces).  Sets
 * l->block_at_ to where block[0] would be in out. */
static int put_members(struct pk_rank_list *l, struct pk_buf *out,
		       const char *block, size_t n, int *first)
{
	size_t a = 1, b = n - 1;

	while (a < b && (block[a] == ' ' || block[a] == '\n' ||
			 block[a] == '\t' || block[a] == '\r'))
		a++;
	if (a >= b)
		return 0;
	if (!*first && pk_buf_putc(out, ',') < 0)
		return PK_FATAL;
	*first = 0;
	l->block_at_ = (ptrdiff_t)out->len - (ptrdiff_t)a;
	return pk_buf_append(out, block + a, b - a);
}

/* "key": with a comma before it unless first. */
static int put_key(struct pk_buf *out, const char *key, size_t n, int *first)
{
	if (!*first && pk_buf_putc(out, ',') < 0)
		return PK_FATAL;
	*first = 0;
	if (pk_buf_append(out, key, n) < 0)
		return PK_FATAL;
	return pk_buf_putc(out, ':');
}

/* A nested prompt (dotted path): its top-level member with the prompt's
 * value replaced. */
static int put_nested_prompt(struct pk_buf *out, const struct pk_member *m,
			     const struct pk_rank_list *l, const char *raw,
			     size_t n)
{
	struct pk_obj *obj = pk_obj_new();
	int rc = -1;

	if (obj && pk_obj_load(obj, l->text + m->val_off, m->val_len) == 0 &&
	    pk_obj_set_raw(obj, strchr(l->opts_->prompt_field, '.') + 1, raw,
			   n) == 0 &&
	    pk_obj_write(obj, out) == 0)
		rc = 0;
	pk_obj_free(obj);
	return rc;
}

static int write_list(struct pk_rank_list *l, const char *prompt_raw,
		      size_t prompt_len, const char *block, size_t block_len,
		      const struct pk_buf *keys, struct pk_buf *out,
		      struct pk_error *err)
{
	const struct pk_record *rec = l->rec_;
	int dotted_resp = strchr(l->opts_->responses_field, '.') != NULL;
	int first = 1;
	size_t k;

	if (pk_buf_putc(out, '{') < 0)
		return pk_nomem(err);
	for (k = 0; k < rec->nmembers; k++) {
		const struct pk_member *m = &rec->members[k];
		const char *key = rec->text + m->key_off;
		int is_resp = (long)k == l->resp_member_;
		int is_prompt = prompt_raw && (long)k == l->prompt_member_;
		int rc = 0;

		if (is_resp) {
			if (dotted_resp) {
				if (put_key(out, key, m->key_len, &first) < 0)
					return pk_nomem(err);
				if (is_prompt) {
					rc = make_container(l, prompt_raw,
							    prompt_len, out,
							    err);
					if (rc != PK_OK)
						return rc;
				} else {
					rc = pk_buf_append(out,
							   l->container_.data,
							   l->container_.len);
				}
			}
			if (rc < 0 ||
			    put_members(l, out, block, block_len, &first) < 0)
				return pk_nomem(err);
			continue;
		}
		if (in_keys(key, m->key_len, block, keys))
			continue;
		if (put_key(out, key, m->key_len, &first) < 0)
			return pk_nomem(err);
		if (!is_prompt)
			rc = pk_buf_append(out, rec->text + m->val_off,
					   m->val_len);
		else if (!strchr(l->opts_->prompt_field, '.'))
			rc = pk_buf_append(out, prompt_raw, prompt_len);
		else
			rc = put_nested_prompt(out, m, l, prompt_raw,
					       prompt_len);
		if (rc < 0)
			return pk_nomem(err);
	}
	if (l->resp_member_ < 0 &&
	    put_members(l, out, block, block_len, &first) < 0)
		return pk_nomem(err);
	if (pk_buf_putc(out, '}') < 0)
		return pk_nomem(err);
	return PK_OK;
}

int pk_rank_write_list(struct pk_rank_list *l, const char *prompt_raw,
		       size_t prompt_len, const char *block, size_t block_len,
		       struct pk_buf *out, struct pk_error *err)
{
	struct pk_buf keys = PK_BUF_INIT;
	struct pk_iter it;
	struct pk_member m;
	int rc;

	pk_iter_init(&it, block, block_len);
	while (pk_iter_member(&it, &m))
		if (add_key(&keys, block, m.key_off, m.key_len) < 0) {
			pk_buf_free(&keys);
			return pk_nomem(err);
		}
	rc = write_list(l, prompt_raw, prompt_len, block, block_len, &keys,
			out, err);
	pk_buf_free(&keys);
	return rc;
}

/* Start a member of a block: a comma unless it is the first, the key
 * (the raw key qkey, or "<prefix>_" + qkey's contents), recorded in keys,
 * and the colon. */
static int block_key(struct pk_buf *b, struct pk_buf *keys, const char *prefix,
		     const char *qkey, size_t n)
{
	size_t start;

	if (b->len > 1 && pk_buf_putc(b, ',') < 0)
		return PK_FATAL;
	start = b->len;
	if (prefix) {
		if (pk_buf_putc(b, '"') < 0 || pk_buf_puts(b, prefix) < 0 ||
		    pk_buf_putc(b, '_') < 0 ||
		    pk_buf_append(b, qkey + 1, n - 1) < 0)
			return PK_FATAL;
	} else if (pk_buf_append(b, qkey, n) < 0) {
		return PK_FATAL;
	}
	if (add_key(keys, b->data, start, b->len - start) < 0)
		return PK_FATAL;
	return pk_buf_putc(b, ':');
}

#define QKEY(s) s, sizeof(s) - 1

/* A standing field of one side; a boolean score as 1/0.  Nothing when
 * the response does not have the field. */
static int put_standing(struct pk_buf *b, struct pk_buf *keys,
			const char *qkey, size_t n,
			const struct pk_rank_list *l, const struct pk_value *v)
{
	if (v->type == PK_T_NONE)
		return 0;
	if (block_key(b, keys, NULL, qkey, n) < 0)
		return PK_FATAL;
	if (v->type == PK_T_TRUE)
		return pk_buf_putc(b, '1');
	if (v->type == PK_T_FALSE)
		return pk_buf_putc(b, '0');
	return pk_buf_append(b, l->text + v->off, v->len);
}

/* The other fields of a response as "<side>_<key>":value. */
static int put_carried(struct pk_buf *b, struct pk_buf *keys,
		       const struct pk_rank_list *l,
		       const struct pk_rank_item *it, const char *side)
{
	const struct pk_member *m;
	size_t k;

	if (!it->ncarried_) /* carried_buf_ may hold nothing at all */
		return 0;
	m = (const struct pk_member *)(void *)l->carried_buf_.data +
	    it->carried_;
	for (k = 0; k < it->ncarried_; k++)
		if (block_key(b, keys, side, l->text + m[k].key_off,
			      m[k].key_len) < 0 ||
		    pk_buf_append(b, l->text + m[k].val_off, m[k].val_len) <
			    0)
			return PK_FATAL;
	return 0;
}

/* The members of the object text extra, appended to the block. */
static int put_extra(struct pk_buf *b, struct pk_buf *keys, const char *extra,
		     size_t n)
{
	struct pk_iter it;
	struct pk_member m;

	pk_iter_init(&it, extra, n);
	while (pk_iter_member(&it, &m))
		if (block_key(b, keys, NULL, extra + m.key_off, m.key_len) <
			    0 ||
		    pk_compact(b, extra + m.val_off, m.val_len) < 0)
			return PK_FATAL;
	return 0;
}

int pk_rank_write_pair(struct pk_rank_list *l, size_t i, size_t j,
		       const char *extra, size_t extra_len,
		       struct pk_buf *out, struct pk_error *err)
{
	const struct pk_rank_item *c = &l->items[i], *r = &l->items[j];
	struct pk_buf *b = &l->block_, *keys = &l->scratch_;
	size_t xoff = 0;
	int rc;

	pk_buf_reset(b);
	pk_buf_reset(keys);
	l->block_at_ = -1;
	l->extra_at = (size_t)-1;
	if (pk_buf_putc(b, '{') < 0 ||
	    block_key(b, keys, NULL, QKEY("\"chosen\"")) < 0 ||
	    pk_buf_append(b, l->text + c->text.off, c->text.len) < 0 ||
	    block_key(b, keys, NULL, QKEY("\"rejected\"")) < 0 ||
	    pk_buf_append(b, l->text + r->text.off, r->text.len) < 0 ||
	    put_standing(b, keys, QKEY("\"score_chosen\""), l, &c->score) < 0 ||
	    put_standing(b, keys, QKEY("\"score_rejected\""), l, &r->score) <
		    0 ||
	    put_standing(b, keys, QKEY("\"rank_chosen\""), l, &c->rank) < 0 ||
	    put_standing(b, keys, QKEY("\"rank_rejected\""), l, &r->rank) < 0 ||
	    put_carried(b, keys, l, c, "chosen") < 0 ||
	    put_carried(b, keys, l, r, "rejected") < 0 ||
	    (extra && ((xoff = b->len + 1),
		       put_extra(b, keys, extra, extra_len) < 0)) ||
	    block_key(b, keys, NULL, QKEY("\"group_id\"")) < 0 ||
	    pk_buf_putc(b, '"') < 0 || pk_buf_puts(b, l->group_id) < 0 ||
	    pk_buf_puts(b, "\"}") < 0)
		return pk_nomem(err);
	rc = write_list(l, NULL, 0, b->data, b->len, keys, out, err);
	if (rc == PK_OK && xoff && l->block_at_ >= 0)
		l->extra_at = (size_t)l->block_at_ + xoff;
	return rc;
}

int pk_rank_write_pairs(struct pk_rank_list *l, struct pk_buf *out,
			int (*emit)(void *ctx, const char *json, size_t len),
			void *ctx, struct pk_error *err)
{
	size_t k;
	int rc;

	for (k = 0; k < l->npairs; k++) {
		pk_buf_reset(out);
		rc = pk_rank_write_pair(l, l->pairs[k].i, l->pairs[k].j, NULL, 0,
					out, err);
		if (rc == PK_OK)
			rc = emit(ctx, out->data, out->len);
		if (rc != PK_OK)
			return rc;
	}
	return PK_OK;
}
