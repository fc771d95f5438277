/* SPDX-License-Identifier: MIT */
/*
 * unpaired.c - unpaired preference data, TRL's "unpaired preference" form
 * used by KTO (SPEC 1.5 "unpaired"): one completion per record with a
 * label saying whether it is desirable,
 *     {"prompt": P, "completion": C, "label": true|false, ...}
 * or a whole conversation (opts.messages_field) whose last message, an
 * assistant message, is the completion and whose earlier messages are
 * the prompt.  Records are grouped by prompt (its canonical JSON, the
 * text behind the group id of SPEC 1.4), and every desirable completion
 * of a prompt is paired with every undesirable one: the pairs of a
 * prompt are (D1, U1), (D1, U2), ..., (D2, U1), ... in input order,
 * at most opts.max_pairs_per_prompt of them (0: all).  Prompts come out
 * in the order of their first record.  A prompt that has only one kind
 * of completion gives no pair: counted, with its records.
 *
 * A pair is {"prompt": P of D, "chosen": C of D, "rejected": C of U,
 * carried fields..., "group_id"}.  The other fields of D and U are
 * carried in D's order (then U's that D lacks): a field that both have
 * with the same value (compact text) as it is, otherwise D's as
 * chosen_KEY followed by U's as rejected_KEY
 * ("score" and "rank" as score_chosen / score_rejected, rank_chosen /
 * rank_rejected, the canonical names).  "group_id" is added unless it is
 * carried.  So pairs -> unpaired (pk_pair_to_unpaired) -> pairs gives
 * the same pairs back when each prompt's pairs are every chosen against
 * every rejected (one pair per prompt in particular).
 *
 * Grouping works on files larger than memory: the records go through
 * two external sorts (pk_sort, within opts.memory, spilling to
 * opts.tmpdir): by (prompt, input position), which finds each prompt's
 * first position, then by (first position of the prompt, undesirable
 * first, input position).  The undesirable completions of one prompt
 * are held in memory while its desirable ones stream past them.
 * Records are checked when fed (bad records are reported by line); the
 * pairs are written by pk_format_reader_finish().
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

enum {
	C_PROMPTS_NO_DESIRABLE,
	C_PROMPTS_NO_UNDESIRABLE,
	C_RECORDS_UNMATCHED,
	C_PAIRS_OVER_CAP,
};
static const char *const up_counters[] = {
	"prompts_without_desirable", "prompts_without_undesirable",
	"completions_unpaired", "pairs_over_cap", NULL};

struct up_state {
	struct pk_fmt_prompt prompt;
	const char *fcompletion, *flabel, *fmessages;
	struct pk_field completion, label, messages;
	struct pk_fmt_match desirable, undesirable;
	int undesirable_rest;      /* undesirable = every other label */
	unsigned long long max_pairs;
	struct pk_sort *by_prompt; /* stage 1 */
	struct pk_sort_opts sort_opts;
	unsigned long long seq;
	struct pk_canon canon;
	struct pk_buf key, rec, pre, fields, last;
	/* stage 2: the undesirable completions of the current prompt */
	struct pk_buf held;
	size_t *held_off;
	size_t nheld, held_cap;
};

static void up_free(struct pk_format_reader *fr)
{
	struct up_state *st = fr->state;

	if (!st)
		return;
	pk_fmt_prompt_free(&st->prompt);
	pk_fmt_match_free(&st->desirable);
	pk_fmt_match_free(&st->undesirable);
	pk_sort_free(st->by_prompt);
	pk_canon_free(&st->canon);
	pk_buf_free(&st->key);
	pk_buf_free(&st->rec);
	pk_buf_free(&st->pre);
	pk_buf_free(&st->fields);
	pk_buf_free(&st->last);
	pk_buf_free(&st->held);
	free(st->held_off);
	free(st);
	fr->state = NULL;
}

/* Stage 1 order: the prompt's hash, then its canonical text (records
 * are [u64 hash][u32 n][canonical prompt n bytes][payload]). */
static int by_prompt_cmp(void *ctx, const void *a, size_t an, const void *b,
			 size_t bn)
{
	const unsigned char *x = a, *y = b;
	uint32_t xn, yn;
	int c = memcmp(x, y, 8);

	(void)ctx;
	(void)an;
	(void)bn;
	if (c)
		return c;
	xn = pk_sort_get_u32(x + 8);
	yn = pk_sort_get_u32(y + 8);
	c = memcmp(x + 12, y + 12, xn < yn ? xn : yn);
	if (c)
		return c;
	return xn < yn ? -1 : xn > yn;
}

static int up_init(struct pk_format_reader *fr, struct pk_error *err)
{
	const struct pk_format_opts *o = &fr->opts;
	struct up_state *st = calloc(1, sizeof *st);
	int rc;

	if (!st)
		return pk_nomem(err);
	fr->state = st;
	if (o->label_fields && strchr(o->label_fields, ','))
		return pk_error_set(err, PK_ERR_USAGE,
				    "--from unpaired reads one --label-field");
	if (o->messages_field &&
	    (o->prompt_template || o->completion_field ||
	     (o->prompt_field && strcmp(o->prompt_field, "prompt"))))
		return pk_error_set(err, PK_ERR_USAGE,
				    "--messages-field gives the prompt and the "
				    "completion: it does not go with "
				    "--prompt-field, --prompt-template or "
				    "--completion-field");
	st->fcompletion = o->completion_field ? o->completion_field
					      : "completion";
	st->flabel = o->label_fields ? o->label_fields : "label";
	st->fmessages = o->messages_field;
	st->max_pairs = o->max_pairs_per_prompt;
	pk_field_init(&st->completion, st->fcompletion);
	pk_field_init(&st->label, st->flabel);
	if (st->fmessages)
		pk_field_init(&st->messages, st->fmessages);
	if ((rc = pk_fmt_match_parse(&st->desirable, "--desirable",
				     o->desirable ? o->desirable : "true",
				     err)) != PK_OK)
		return rc;
	st->undesirable_rest = o->desirable && !o->undesirable;
	if ((rc = pk_fmt_match_parse(&st->undesirable, "--undesirable",
				     o->undesirable ? o->undesirable
						    : st->undesirable_rest
							      ? NULL
							      : "false",
				     err)) != PK_OK)
		return rc;
	st->sort_opts.memory = o->memory;
	st->sort_opts.tmpdir = o->tmpdir;
	st->sort_opts.cmp = by_prompt_cmp;
	if (!(st->by_prompt = pk_sort_new(&st->sort_opts, err)))
		return PK_FATAL;
	if (st->fmessages)
		return PK_OK;
	return pk_fmt_prompt_init(&st->prompt, o, "prompt", err);
}

/* Up to 60 bytes of a raw value, for messages. */
#define SHOW(v, n) (int)((n) > 60 ? 60 : (n)), (v)

/* 1 desirable, 0 undesirable, or an error. */
static int read_label(struct pk_format_reader *fr, struct up_state *st,
		      const struct pk_record *rec, struct pk_value *v,
		      struct pk_error *err)
{
	const char *lv;
	int d, u;

	if (!pk_record_field(rec, &st->label, v))
		return pk_error_set(err, PK_ERR_DATA,
				    "unpaired: no label field '%s'",
				    st->flabel);
	lv = rec->text + v->off;
	if ((d = pk_fmt_match_test(&st->desirable, &fr->t3, lv, v->len)) < 0)
		return pk_nomem(err);
	if (st->undesirable_rest)
		u = !d && v->type != PK_T_NULL;
	else if ((u = pk_fmt_match_test(&st->undesirable, &fr->t3, lv,
					v->len)) < 0)
		return pk_nomem(err);
	if (d != u)
		return d;
	if (d)
		return pk_error_set(err, PK_ERR_DATA,
				    "unpaired: label '%s' is %.*s, which "
				    "matches both --desirable (%s) and "
				    "--undesirable (%s)",
				    st->flabel, SHOW(lv, v->len),
				    st->desirable.list, st->undesirable.list);
	return pk_error_set(err, PK_ERR_DATA,
			    "unpaired: label '%s' is %.*s, which matches "
			    "neither --desirable (%s) nor --undesirable (%s)",
			    st->flabel, SHOW(lv, v->len), st->desirable.list,
			    st->undesirable_rest ? "every other value but null"
						 : st->undesirable.list);
}

/* The name field `name` of a desirable (side 0) or undesirable (side 1)
 * record takes in a pair. */
static int carried_name(struct pk_buf *out, const char *name, size_t n,
			int side)
{
	const char *word = side ? "rejected" : "chosen";

	pk_buf_reset(out);
	if ((n == 5 && !memcmp(name, "score", 5)) ||
	    (n == 4 && !memcmp(name, "rank", 4)))
		return pk_buf_append(out, name, n) || pk_buf_putc(out, '_') ||
		       pk_buf_puts(out, word) || pk_buf_reserve(out, 1);
	return pk_buf_puts(out, word) || pk_buf_putc(out, '_') ||
	       pk_buf_append(out, name, n) || pk_buf_reserve(out, 1);
}

/* The fields the record carries, as a compact object into st->fields:
 * every member but the prompt, completion, label and messages fields
 * (their top-level members when they are dotted paths: a nested member
 * stays inside its object).  A field named like a member of the pair
 * (chosen, rejected) or whose carried name the record has too is bad. */
static int carried(struct up_state *st, const struct pk_record *rec,
		   const struct pk_value *skip, size_t nskip,
		   struct pk_buf *name, struct pk_buf *alt,
		   struct pk_error *err)
{
	const char *t = rec->text;

	pk_buf_reset(&st->fields);
	if (pk_buf_putc(&st->fields, '{'))
		return pk_nomem(err);
	for (size_t i = 0; i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		struct pk_value v;
		size_t k;

		for (k = 0; k < nskip; k++)
			if (skip[k].off == m->val_off)
				break;
		if (k < nskip)
			continue;
		pk_buf_reset(name);
		if (pk_json_unquote(name, t + m->key_off, m->key_len) ||
		    pk_buf_reserve(name, 1))
			return pk_nomem(err);
		if (!strcmp(name->data, "prompt") ||
		    !strcmp(name->data, "chosen") ||
		    !strcmp(name->data, "rejected"))
			return pk_error_set(err, PK_ERR_DATA,
					    "unpaired: field '%s' would clash "
					    "with the pair's own '%s'",
					    name->data, name->data);
		for (int s = 0; s < 2; s++) {
			if (carried_name(alt, name->data, name->len, s))
				return pk_nomem(err);
			if (pk_record_get(rec, alt->data, &v))
				return pk_error_set(
					err, PK_ERR_DATA,
					"unpaired: field '%s' would be "
					"carried as '%s', which the record "
					"has too", name->data, alt->data);
		}
		if (pk_fmt_sep(&st->fields) ||
		    pk_buf_append(&st->fields, t + m->key_off, m->key_len) ||
		    pk_buf_putc(&st->fields, ':') ||
		    pk_fmt_raw(&st->fields, t + m->val_off, m->val_len,
			       rec->has_space))
			return pk_nomem(err);
	}
	return pk_buf_putc(&st->fields, '}') ? pk_nomem(err) : PK_OK;
}

/* The top-level member a field path starts in. */
static int top_member(const struct pk_record *rec, const char *path,
		      struct pk_value *v)
{
	char name[256];
	const char *dot = strchr(path, '.');
	size_t k = dot ? (size_t)(dot - path) : strlen(path);

	if (k >= sizeof name)
		return 0;
	memcpy(name, path, k);
	name[k] = '\0';
	return pk_record_get(rec, name, v);
}

/* Stage-1 payload after the key: [u8 desirable][u64 seq][u32 n][prompt]
 * [u32 n][completion][u32 n][fields object]. */
static int put_part(struct pk_buf *b, const char *p, size_t n)
{
	char len[4];

	pk_sort_put_u32(len, (uint32_t)n);
	return pk_buf_append(b, len, 4) || pk_buf_append(b, p, n);
}

static int up_feed(struct pk_format_reader *fr, const struct pk_record *rec,
		   struct pk_error *err)
{
	struct up_state *st = fr->state;
	struct pk_value lab, comp, skip[3];
	const char *praw, *craw;
	size_t plen, clen, nskip = 0;
	char num[8];
	uint64_t h;
	int rc, desirable;

	if ((desirable = read_label(fr, st, rec, &lab, err)) < 0)
		return desirable;
	if (st->fmessages) {
		size_t lo = 0, ll = 0;
		if (!pk_record_field(rec, &st->messages, &comp))
			return pk_error_set(err, PK_ERR_DATA,
					    "unpaired: no field '%s'",
					    st->fmessages);
		if ((rc = pk_fmt_check_text("unpaired", st->fmessages,
					    rec->text + comp.off, comp.len,
					    err)) != PK_OK)
			return rc;
		rc = pk_fmt_split_last(rec->text + comp.off, comp.len,
				       rec->has_space, &st->pre, &lo, &ll);
		if (rc < 0)
			return pk_nomem(err);
		if (rc == 0)
			return pk_error_set(err, PK_ERR_DATA,
					    "unpaired: '%s' is not a "
					    "conversation ending with an "
					    "assistant message",
					    st->fmessages);
		pk_buf_reset(&st->last);
		if (pk_buf_putc(&st->last, '[') ||
		    pk_fmt_raw(&st->last, rec->text + comp.off + lo, ll,
			       rec->has_space) ||
		    pk_buf_putc(&st->last, ']'))
			return pk_nomem(err);
		praw = st->pre.data;
		plen = st->pre.len;
		craw = st->last.data;
		clen = st->last.len;
		top_member(rec, st->fmessages, &skip[nskip++]);
	} else {
		struct pk_fmt_put put;
		if ((rc = pk_fmt_prompt_get(&st->prompt, "unpaired", rec, &put,
					    err)) < 0)
			return rc;
		if (rc == 0)
			return pk_error_set(err, PK_ERR_DATA,
					    "unpaired: no prompt field '%s'",
					    st->prompt.path);
		if (!pk_record_field(rec, &st->completion, &comp))
			return pk_error_set(err, PK_ERR_DATA,
					    "unpaired: no completion field "
					    "'%s'", st->fcompletion);
		if ((rc = pk_fmt_check_text("unpaired", st->fcompletion,
					    rec->text + comp.off, comp.len,
					    err)) != PK_OK)
			return rc;
		pk_buf_reset(&st->pre);
		if (pk_fmt_raw(&st->pre, put.raw, put.len, rec->has_space))
			return pk_nomem(err);
		praw = st->pre.data;
		plen = st->pre.len;
		pk_buf_reset(&st->last);
		if (pk_fmt_raw(&st->last, rec->text + comp.off, comp.len,
			       rec->has_space))
			return pk_nomem(err);
		craw = st->last.data;
		clen = st->last.len;
		if (!st->prompt.tmpl)
			top_member(rec, st->prompt.path, &skip[nskip++]);
		top_member(rec, st->fcompletion, &skip[nskip++]);
	}
	top_member(rec, st->flabel, &skip[nskip++]);
	if ((rc = carried(st, rec, skip, nskip, &fr->t1, &fr->t2, err)) !=
	    PK_OK)
		return rc;

	/* the sort record: key, then payload */
	pk_buf_reset(&st->key);
	if (pk_canonical(&st->key, praw, plen, 0, &st->canon, err) != PK_OK)
		return PK_FATAL;
	h = pk_hash64(st->key.data, st->key.len, 0);
	pk_buf_reset(&st->rec);
	pk_sort_put_u64(num, h);
	if (pk_buf_append(&st->rec, num, 8) ||
	    put_part(&st->rec, st->key.data, st->key.len) ||
	    pk_buf_putc(&st->rec, desirable ? 1 : 0))
		return pk_nomem(err);
	pk_sort_put_u64(num, st->seq++);
	if (pk_buf_append(&st->rec, num, 8) ||
	    put_part(&st->rec, praw, plen) || put_part(&st->rec, craw, clen) ||
	    put_part(&st->rec, st->fields.data, st->fields.len))
		return pk_nomem(err);
	return pk_sort_add(st->by_prompt, st->rec.data, st->rec.len, err);
}

/* ---------------------------------------------------------------- */
/* Pairs                                                             */
/* ---------------------------------------------------------------- */

/* A stage-2 record, [u64 first seq][u8 desirable][u64 seq][u32 n]
 * [prompt]... as read back. */
struct entry {
	uint64_t first;
	int desirable;
	const char *prompt, *completion, *fields;
	size_t plen, clen, flen;
};

static const unsigned char *get_part(const unsigned char *p, const char **s,
				     size_t *n)
{
	*n = pk_sort_get_u32(p);
	*s = (const char *)p + 4;
	return p + 4 + *n;
}

static void parse_entry(const void *rec, struct entry *e)
{
	const unsigned char *p = rec;

	e->first = pk_sort_get_u64(p);
	e->desirable = p[8];
	p = get_part(p + 17, &e->prompt, &e->plen);
	p = get_part(p, &e->completion, &e->clen);
	get_part(p, &e->fields, &e->flen);
}

/* Append "name":v, name being field k (raw key text) of side s under
 * its carried name, or as it is when s < 0. */
static int put_field(struct pk_buf *out, const char *k, size_t kn,
		     const struct pk_buf *name, int s, struct pk_buf *cn,
		     const char *v, size_t vn)
{
	if (pk_fmt_sep(out))
		return -1;
	if (s < 0 ? pk_buf_append(out, k, kn)
		  : carried_name(cn, name->data, name->len, s) ||
			    pk_json_quote(out, cn->data, cn->len))
		return -1;
	return pk_buf_putc(out, ':') || pk_buf_append(out, v, vn);
}

/* Append the carried fields of d and u (compact objects): d's in order,
 * each as it is when u has the same, else as chosen_KEY followed by u's
 * rejected_KEY; then u's that d lacks. */
static int carry(struct pk_buf *out, const struct entry *d,
		 const struct entry *u, struct pk_buf *name, struct pk_buf *cn,
		 int *has_group_id)
{
	struct pk_iter it;
	struct pk_member m, o;

	*has_group_id = 0;
	pk_iter_init(&it, d->fields, d->flen);
	while (pk_iter_member(&it, &m)) {
		const char *k = d->fields + m.key_off, *v = d->fields + m.val_off;
		int in_u;
		pk_buf_reset(name);
		if (pk_json_unquote(name, k, m.key_len) ||
		    pk_buf_reserve(name, 1))
			return -1;
		in_u = pk_object_find(u->fields, u->flen, name->data, &o);
		if (in_u && o.val_len == m.val_len &&
		    !memcmp(u->fields + o.val_off, v, m.val_len)) {
			if (!strcmp(name->data, "group_id"))
				*has_group_id = 1;
			if (put_field(out, k, m.key_len, name, -1, cn, v,
				      m.val_len))
				return -1;
			continue;
		}
		if (put_field(out, k, m.key_len, name, 0, cn, v, m.val_len) ||
		    (in_u && put_field(out, k, m.key_len, name, 1, cn,
				       u->fields + o.val_off, o.val_len)))
			return -1;
	}
	pk_iter_init(&it, u->fields, u->flen);
	while (pk_iter_member(&it, &m)) {
		const char *k = u->fields + m.key_off;
		pk_buf_reset(name);
		if (pk_json_unquote(name, k, m.key_len) ||
		    pk_buf_reserve(name, 1))
			return -1;
		if (pk_object_find(d->fields, d->flen, name->data, &o))
			continue;
		if (put_field(out, k, m.key_len, name, 1, cn,
			      u->fields + m.val_off, m.val_len))
			return -1;
	}
	return 0;
}

static int write_pair(struct pk_format_reader *fr, const struct entry *d,
		      const struct entry *u, struct pk_error *err)
{
	struct pk_buf *b = &fr->out;
	int has_gid;

	pk_buf_reset(b);
	if (pk_buf_puts(b, "{\"prompt\":") ||
	    pk_buf_append(b, d->prompt, d->plen) ||
	    pk_buf_puts(b, ",\"chosen\":") ||
	    pk_buf_append(b, d->completion, d->clen) ||
	    pk_buf_puts(b, ",\"rejected\":") ||
	    pk_buf_append(b, u->completion, u->clen) ||
	    carry(b, d, u, &fr->t1, &fr->t2, &has_gid))
		return pk_nomem(err);
	if (!has_gid) {
		char gid[17];
		int rc = pk_group_id(d->prompt, d->plen, gid, err);
		if (rc != PK_OK)
			return rc;
		if (pk_buf_puts(b, ",\"group_id\":\"") || pk_buf_puts(b, gid) ||
		    pk_buf_putc(b, '"'))
			return pk_nomem(err);
	}
	if (pk_buf_putc(b, '}'))
		return pk_nomem(err);
	return pk_fmt_emit(fr, b);
}

/* Hold an undesirable record of the current prompt. */
static int hold(struct up_state *st, const void *rec, size_t n)
{
	if (st->nheld == st->held_cap) {
		size_t cap = st->held_cap ? 2 * st->held_cap : 16;
		size_t *p = realloc(st->held_off, (cap + 1) * sizeof *p);
		if (!p)
			return PK_FATAL;
		st->held_off = p;
		st->held_cap = cap;
	}
	if (!st->nheld) {
		pk_buf_reset(&st->held);
		st->held_off[0] = 0;
	}
	if (pk_buf_append(&st->held, rec, n))
		return PK_FATAL;
	st->held_off[++st->nheld] = st->held.len;
	return PK_OK;
}

/* The end of a prompt's records: count what gave no pair. */
static void end_prompt(struct pk_format_reader *fr, unsigned long long nd)
{
	struct up_state *st = fr->state;

	if (!nd && st->nheld) {
		fr->count[C_PROMPTS_NO_DESIRABLE]++;
		fr->count[C_RECORDS_UNMATCHED] += st->nheld;
	} else if (nd && !st->nheld) {
		fr->count[C_PROMPTS_NO_UNDESIRABLE]++;
		fr->count[C_RECORDS_UNMATCHED] += nd;
	}
	st->nheld = 0;
}

/* Stage 2: pairs, prompt by prompt. */
static int pairs(struct pk_format_reader *fr, struct pk_sort *s,
		 struct pk_error *err)
{
	struct up_state *st = fr->state;
	unsigned long long nd = 0, npairs = 0;
	uint64_t cur = 0;
	const void *rec;
	size_t n;
	int rc, any = 0;

	while ((rc = pk_sort_next(s, &rec, &n, err)) == PK_OK) {
		struct entry e, u;
		if (!any || pk_sort_get_u64(rec) != cur) {
			if (any)
				end_prompt(fr, nd);
			any = 1;
			cur = pk_sort_get_u64(rec);
			nd = npairs = 0;
		}
		parse_entry(rec, &e);
		if (!e.desirable) {
			if (hold(st, rec, n) != PK_OK)
				return pk_nomem(err);
			continue;
		}
		nd++;
		for (size_t i = 0; i < st->nheld; i++) {
			if (st->max_pairs && npairs == st->max_pairs) {
				fr->count[C_PAIRS_OVER_CAP] += st->nheld - i;
				break;
			}
			parse_entry(st->held.data + st->held_off[i], &u);
			if ((rc = write_pair(fr, &e, &u, err)) != PK_OK)
				return rc;
			npairs++;
		}
	}
	if (any)
		end_prompt(fr, nd);
	return rc == PK_EOF ? PK_OK : rc;
}

static int up_finish(struct pk_format_reader *fr, struct pk_error *err)
{
	struct up_state *st = fr->state;
	struct pk_sort_opts o = st->sort_opts;
	struct pk_sort *s2;
	const void *rec;
	size_t n;
	uint64_t first = 0;
	int rc;

	o.cmp = NULL;
	o.key_len = 17; /* first seq, desirable, seq */
	if (!(s2 = pk_sort_new(&o, err)))
		return PK_FATAL;
	/* stage 1 out, stage 2 in: records of one prompt are adjacent, the
	 * first of them at the prompt's first position */
	const unsigned char *prev = NULL;
	while ((rc = pk_sort_next(st->by_prompt, &rec, &n, err)) == PK_OK) {
		const unsigned char *p = rec;
		size_t klen = pk_sort_get_u32(p + 8);
		const unsigned char *pay = p + 12 + klen;
		char num[8];

		if (!prev || by_prompt_cmp(NULL, prev, 0, p, 0) != 0)
			first = pk_sort_get_u64(pay + 1);
		/* keep this record's key for the next comparison */
		pk_buf_reset(&st->key);
		if (pk_buf_append(&st->key, p, 12 + klen)) {
			rc = pk_nomem(err);
			break;
		}
		prev = (const unsigned char *)st->key.data;
		pk_buf_reset(&st->rec);
		pk_sort_put_u64(num, first);
		if (pk_buf_append(&st->rec, num, 8) ||
		    pk_buf_putc(&st->rec, pay[0] ? 1 : 0) ||
		    pk_buf_append(&st->rec, pay + 1, n - 12 - klen - 1)) {
			rc = pk_nomem(err);
			break;
		}
		if ((rc = pk_sort_add(s2, st->rec.data, st->rec.len, err)) !=
		    PK_OK)
			break;
	}
	pk_sort_free(st->by_prompt);
	st->by_prompt = NULL;
	if (rc == PK_EOF)
		rc = pairs(fr, s2, err);
	pk_sort_free(s2);
	return rc;
}

const struct pk_fmt_ops pk_fmt_unpaired = {
	.info = {"unpaired", PK_FORMAT_PAIRS,
		 "{\"prompt\", \"completion\", \"label\"} (TRL unpaired / KTO): "
		 "desirable x undesirable of each prompt"},
	.counters = up_counters,
	.init = up_init,
	.feed = up_feed,
	.finish = up_finish,
	.free = up_free,
};
