/* SPDX-License-Identifier: MIT */
/*
 * obj.c - struct pk_obj, an object under edit.  Members keep their order;
 * an untouched member is still a pair of spans into the source text, so it
 * is written back byte for byte (SPEC section 4).  Only what a command sets
 * is encoded, into the object's arena.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Where a span lives: the source text or the arena. */
enum { IN_SRC = 0, IN_ARENA = 1 };

struct omember {
	unsigned char kwhere, vwhere;
	unsigned char kescaped;  /* the raw key has a backslash escape */
	enum pk_type type;
	size_t koff, klen;
	size_t voff, vlen;
};

/* What the paired-field swap does to one member (SPEC 1.2). */
struct swap_step {
	enum { SWAP_KEEP, SWAP_WITH, SWAP_DONE, SWAP_RENAME } op;
	size_t klen;         /* the key planned for */
	size_t arg, arglen;  /* SWAP_WITH: partner index; SWAP_RENAME: the
				quoted new name in names */
};

#define SWAP_PLANS 32   /* the slot hash below takes 5 bits */

/* The swap worked out for one sequence of keys. */
struct swap_plan {
	size_t n, cap;
	struct swap_step *steps;
	struct pk_buf keys;   /* the raw keys, concatenated */
	struct pk_buf names;
};

struct pk_obj {
	const char *src;
	size_t srclen;
	int src_has_space;   /* source values must be compacted when written */
	int src_compact;     /* the source text itself has no spaces */
	int trust_compact;   /* the value being set is known to be compact */
	struct omember *m;
	size_t n, cap;
	struct pk_buf arena;
	struct pk_buf key;   /* pk_obj_key()'s result */
	struct omember *saved; /* pk_obj_checkpoint()'s members */
	size_t saved_n, saved_cap, saved_arena;
	/* pk_obj_swap_paired's plans (SWAP_PLANS, made on its first call),
	 * by key layout: the records of a file have one layout or a few. */
	struct swap_plan *plan;
};

static void free_plan(struct swap_plan *p)
{
	pk_buf_free(&p->keys);
	pk_buf_free(&p->names);
	free(p->steps);
}

struct pk_obj *pk_obj_new(void)
{
	return calloc(1, sizeof(struct pk_obj));
}

void pk_obj_free(struct pk_obj *o)
{
	size_t i;

	if (!o)
		return;
	free(o->m);
	free(o->saved);
	pk_buf_free(&o->arena);
	pk_buf_free(&o->key);
	for (i = 0; o->plan && i < SWAP_PLANS; i++)
		free_plan(&o->plan[i]);
	free(o->plan);
	free(o);
}

void pk_obj_clear(struct pk_obj *o)
{
	o->src = NULL;
	o->srclen = 0;
	o->src_has_space = 0;
	o->src_compact = 0;
	o->n = 0;
	o->saved_n = 0;
	o->saved_arena = 0;
	pk_buf_reset(&o->arena);
}

static int grow(struct pk_obj *o, size_t want)
{
	struct omember *m;
	size_t cap;

	if (want <= o->cap)
		return 0;
	cap = o->cap ? o->cap * 2 : 16;
	while (cap < want)
		cap *= 2;
	m = realloc(o->m, cap * sizeof *m);
	if (!m)
		return PK_FATAL;
	o->m = m;
	o->cap = cap;
	return 0;
}

static const char *kptr(const struct pk_obj *o, const struct omember *m)
{
	return (m->kwhere == IN_SRC ? o->src : o->arena.data) + m->koff;
}

static const char *vptr(const struct pk_obj *o, const struct omember *m)
{
	return (m->vwhere == IN_SRC ? o->src : o->arena.data) + m->voff;
}

int pk_obj_load_record(struct pk_obj *o, const struct pk_record *rec)
{
	size_t i;

	pk_obj_clear(o);
	if (grow(o, rec->nmembers) < 0)
		return PK_FATAL;
	o->src = rec->text;
	o->srclen = rec->len;
	o->src_has_space = rec->has_space;
	o->src_compact = !rec->has_space;
	for (i = 0; i < rec->nmembers; i++) {
		const struct pk_member *s = &rec->members[i];
		struct omember *d = &o->m[i];

		d->kwhere = d->vwhere = IN_SRC;
		d->type = s->type;
		d->koff = s->key_off;
		d->klen = s->key_len;
		d->kescaped = (unsigned char)s->key_escaped;
		d->voff = s->val_off;
		d->vlen = s->val_len;
	}
	o->n = rec->nmembers;
	return PK_OK;
}

int pk_obj_load_record_compact(struct pk_obj *o, const struct pk_record *rec)
{
	size_t i;

	if (pk_obj_load_record(o, rec) < 0)
		return PK_FATAL;
	if (!rec->has_space)
		return PK_OK;
	/* Scalars hold no whitespace: only arrays and objects move. */
	for (i = 0; i < o->n; i++) {
		struct omember *m = &o->m[i];
		size_t off = o->arena.len;

		if (m->type != PK_T_OBJECT && m->type != PK_T_ARRAY)
			continue;
		if (pk_compact(&o->arena, o->src + m->voff, m->vlen) < 0)
			return PK_FATAL;
		m->vwhere = IN_ARENA;
		m->voff = off;
		m->vlen = o->arena.len - off;
	}
	o->src_has_space = 0;
	return PK_OK;
}

int pk_obj_checkpoint(struct pk_obj *o)
{
	if (o->n > o->saved_cap) {
		struct omember *m = realloc(o->saved, o->n * sizeof *m);

		if (!m)
			return PK_FATAL;
		o->saved = m;
		o->saved_cap = o->n;
	}
	if (o->n)
		memcpy(o->saved, o->m, o->n * sizeof *o->m);
	o->saved_n = o->n;
	o->saved_arena = o->arena.len;
	return PK_OK;
}

void pk_obj_rollback(struct pk_obj *o)
{
	/* Edits only append to the arena, so what the saved members point
	 * to is still there.  grow() cannot fail: the array held this many. */
	if (o->saved_n)
		memcpy(o->m, o->saved, o->saved_n * sizeof *o->m);
	o->n = o->saved_n;
	o->arena.len = o->saved_arena;
	if (o->arena.data)
		o->arena.data[o->arena.len] = '\0';
}

int pk_obj_load(struct pk_obj *o, const char *text, size_t len)
{
	struct pk_iter it;
	struct pk_member mm;

	pk_obj_clear(o);
	o->src = text;
	o->srclen = len;
	o->src_has_space = 1;
	pk_iter_init(&it, text, len);
	while (pk_iter_member(&it, &mm)) {
		struct omember *d;

		if (grow(o, o->n + 1) < 0)
			return PK_FATAL;
		d = &o->m[o->n++];
		d->kwhere = d->vwhere = IN_SRC;
		d->type = mm.type;
		d->koff = mm.key_off;
		d->klen = mm.key_len;
		d->kescaped = (unsigned char)mm.key_escaped;
		d->voff = mm.val_off;
		d->vlen = mm.val_len;
	}
	return PK_OK;
}

size_t pk_obj_count(const struct pk_obj *o)
{
	return o->n;
}

long pk_obj_find(const struct pk_obj *o, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < o->n; i++) {
		const struct omember *m = &o->m[i];

		if (m->kescaped) {
			if (pk_key_equals(kptr(o, m), m->klen, name))
				return (long)i;
		} else if (m->klen == n + 2 &&
			   memcmp(kptr(o, m) + 1, name, n) == 0) {
			return (long)i;
		}
	}
	return -1;
}

const char *pk_obj_value(const struct pk_obj *o, size_t i, size_t *len,
			 enum pk_type *type)
{
	if (i >= o->n)
		return NULL;
	*len = o->m[i].vlen;
	if (type)
		*type = o->m[i].type;
	return vptr(o, &o->m[i]);
}

const char *pk_obj_key(const struct pk_obj *o, size_t i)
{
	struct pk_buf *k = &((struct pk_obj *)o)->key;

	if (i >= o->n)
		return NULL;
	pk_buf_reset(k);
	if (pk_json_unquote(k, kptr(o, &o->m[i]), o->m[i].klen) < 0)
		return NULL;
	return k->data ? k->data : "";
}

/* Split "a.b.c" into the first name (copied into head) and the rest. */
static const char *split_path(const char *path, struct pk_buf *head)
{
	const char *dot = strchr(path, '.');

	pk_buf_reset(head);
	if (!dot) {
		pk_buf_puts(head, path);
		return NULL;
	}
	pk_buf_append(head, path, (size_t)(dot - path));
	return dot + 1;
}

int pk_obj_get(const struct pk_obj *o, const char *path, const char **val,
	       size_t *len, enum pk_type *type)
{
	struct pk_buf head = PK_BUF_INIT;
	const char *rest = NULL, *v;
	long i;
	size_t vlen = 0;
	enum pk_type t = PK_T_NONE;

	if (!strchr(path, '.')) {
		i = pk_obj_find(o, path);
	} else {
		rest = split_path(path, &head);
		i = head.data ? pk_obj_find(o, head.data) : -1;
		pk_buf_free(&head);
	}
	if (i < 0)
		return 0;
	v = pk_obj_value(o, (size_t)i, &vlen, &t);
	while (rest) {
		struct pk_member m;
		const char *next;

		if (t != PK_T_OBJECT) {
			pk_buf_free(&head);
			return 0;
		}
		pk_buf_reset(&head);
		next = split_path(rest, &head);
		if (!head.data || !pk_object_find(v, vlen, head.data, &m)) {
			pk_buf_free(&head);
			return 0;
		}
		v += m.val_off;
		vlen = m.val_len;
		t = m.type;
		rest = next;
	}
	pk_buf_free(&head);
	*val = v;
	*len = vlen;
	if (type)
		*type = t;
	return 1;
}

/* Append text to the arena, compacted; *off gets where it starts. */
static int arena_put(struct pk_obj *o, const char *p, size_t n, size_t *off,
		     size_t *len)
{
	int compact = o->trust_compact ||
		      (!o->src_has_space && o->src && p >= o->src &&
		       p + n <= o->src + o->srclen);

	*off = o->arena.len;
	if (compact ? pk_buf_append(&o->arena, p, n) < 0
		    : pk_compact(&o->arena, p, n) < 0)
		return PK_FATAL;
	*len = o->arena.len - *off;
	return PK_OK;
}

/* Put raw text (which may live in our own arena: copied out first so
 * that growing the arena cannot move it) into the arena as a value:
 * *off, *len. */
static int put_value(struct pk_obj *o, const char *raw, size_t n,
		     size_t *off, size_t *len)
{
	char *copy = NULL;
	int rc;

	if (o->arena.data && raw >= o->arena.data &&
	    raw < o->arena.data + o->arena.cap) {
		copy = malloc(n ? n : 1);
		if (!copy)
			return PK_FATAL;
		memcpy(copy, raw, n);
		raw = copy;
	}
	rc = arena_put(o, raw, n, off, len);
	free(copy);
	return rc;
}

static void set_value(struct pk_obj *o, struct omember *d, size_t voff,
		      size_t vlen)
{
	d->vwhere = IN_ARENA;
	d->voff = voff;
	d->vlen = vlen;
	d->type = pk_type_of(o->arena.data + voff, vlen);
}

/* Set a top-level member to raw text. */
static int set_top(struct pk_obj *o, const char *name, const char *raw,
		   size_t n)
{
	long i = pk_obj_find(o, name);
	struct omember *d;
	size_t voff, vlen;

	if (put_value(o, raw, n, &voff, &vlen) < 0)
		return PK_FATAL;
	if (i < 0) {
		size_t koff = o->arena.len;

		if (grow(o, o->n + 1) < 0 ||
		    pk_json_quote(&o->arena, name, strlen(name)) < 0)
			return PK_FATAL;
		d = &o->m[o->n++];
		d->kwhere = IN_ARENA;
		d->koff = koff;
		d->klen = o->arena.len - koff;
		d->kescaped = memchr(o->arena.data + koff, '\\', d->klen) != NULL;
	} else {
		d = &o->m[i];
	}
	set_value(o, d, voff, vlen);
	return PK_OK;
}

char *pk_obj_room(struct pk_obj *o, size_t n)
{
	if (pk_buf_reserve(&o->arena, n) < 0)
		return NULL;
	return o->arena.data + o->arena.len;
}

void pk_obj_commit_at(struct pk_obj *o, size_t i, size_t len)
{
	size_t voff = o->arena.len;

	o->arena.len += len;
	o->arena.data[o->arena.len] = '\0';
	set_value(o, &o->m[i], voff, len);
}

int pk_obj_append_compact(struct pk_obj *o, const char *qkey, size_t qlen,
			  const char *raw, size_t n)
{
	struct omember *d;
	size_t koff, voff, vlen;

	if (grow(o, o->n + 1) < 0)
		return PK_FATAL;
	/* the value first: raw may point into the arena */
	o->trust_compact = 1;
	if (put_value(o, raw, n, &voff, &vlen) < 0) {
		o->trust_compact = 0;
		return PK_FATAL;
	}
	o->trust_compact = 0;
	koff = o->arena.len;
	if (pk_buf_append(&o->arena, qkey, qlen) < 0)
		return PK_FATAL;
	d = &o->m[o->n++];
	d->kwhere = IN_ARENA;
	d->koff = koff;
	d->klen = qlen;
	d->kescaped = memchr(qkey, '\\', qlen) != NULL;
	set_value(o, d, voff, vlen);
	return PK_OK;
}

int pk_obj_set_compact_at(struct pk_obj *o, size_t i, const char *raw,
			  size_t n)
{
	size_t voff, vlen;
	int rc;

	if (i >= o->n)
		return PK_FATAL;
	o->trust_compact = 1;
	rc = put_value(o, raw, n, &voff, &vlen);
	o->trust_compact = 0;
	if (rc < 0)
		return PK_FATAL;
	set_value(o, &o->m[i], voff, vlen);
	return PK_OK;
}

int pk_obj_set_span_at(struct pk_obj *o, size_t i, const char *raw,
		       size_t n)
{
	struct omember *d;

	if (i >= o->n)
		return PK_FATAL;
	/* A span of the source is written the way the untouched members
	 * are (compacted when the source has spaces), except where
	 * pk_obj_load_record_compact() compacted the source's values. */
	if (!o->src || raw < o->src || raw + n > o->src + o->srclen)
		return pk_obj_set_compact_at(o, i, raw, n);
	if (!o->src_compact && !o->src_has_space &&
	    (*raw == '{' || *raw == '[')) {
		char *p = pk_obj_room(o, n);

		if (!p)
			return PK_FATAL;
		pk_obj_commit_at(o, i, pk_compact_to(p, raw, n));
		return PK_OK;
	}
	d = &o->m[i];
	d->vwhere = IN_SRC;
	d->voff = (size_t)(raw - o->src);
	d->vlen = n;
	d->type = pk_type_of(raw, n);
	return PK_OK;
}

static int set_path(struct pk_obj *o, const char *path, const char *raw,
		    size_t n);

int pk_obj_set_raw(struct pk_obj *o, const char *path, const char *raw,
		   size_t n)
{
	if (!strchr(path, '.'))
		return set_top(o, path, raw, n);
	return set_path(o, path, raw, n);
}

/* pk_obj_set_raw() for a dotted path. */
static int set_path(struct pk_obj *o, const char *path, const char *raw,
		    size_t n)
{
	struct pk_buf head = PK_BUF_INIT, inner = PK_BUF_INIT;
	const char *rest = split_path(path, &head);
	struct pk_obj *child = NULL;
	const char *cur;
	size_t curlen;
	enum pk_type t;
	long i;
	int rc = PK_FATAL;

	if (!head.data)
		goto out;
	if (!rest) {
		rc = set_top(o, head.data, raw, n);
		goto out;
	}
	/* (A plain name never gets here: see pk_obj_set_raw.) */
	/* Nested: rebuild the child object with the change, then set it. */
	i = pk_obj_find(o, head.data);
	child = pk_obj_new();
	if (!child)
		goto out;
	if (i >= 0 && (cur = pk_obj_value(o, (size_t)i, &curlen, &t)) &&
	    t == PK_T_OBJECT) {
		if (pk_buf_append(&inner, cur, curlen) < 0)
			goto out;
	} else if (pk_buf_puts(&inner, "{}") < 0) {
		goto out;
	}
	child->trust_compact = o->trust_compact;
	if (pk_obj_load(child, inner.data, inner.len) < 0 ||
	    pk_obj_set_raw(child, rest, raw, n) < 0)
		goto out;
	{
		struct pk_buf w = PK_BUF_INIT;
		int trust = o->trust_compact;

		o->trust_compact = 1; /* pk_obj_write writes compact text */
		if (pk_obj_write(child, &w) == 0)
			rc = set_top(o, head.data, w.data, w.len);
		o->trust_compact = trust;
		pk_buf_free(&w);
	}
out:
	pk_obj_free(child);
	pk_buf_free(&inner);
	pk_buf_free(&head);
	return rc;
}

int pk_obj_set_compact(struct pk_obj *o, const char *path, const char *raw,
		       size_t n)
{
	int rc;

	o->trust_compact = 1;
	rc = pk_obj_set_raw(o, path, raw, n);
	o->trust_compact = 0;
	return rc;
}

int pk_obj_set_string(struct pk_obj *o, const char *path, const char *s,
		      size_t n)
{
	struct pk_buf b = PK_BUF_INIT;
	int rc = PK_FATAL;

	if (pk_json_quote(&b, s, n) == 0)
		rc = pk_obj_set_compact(o, path, b.data, b.len);
	pk_buf_free(&b);
	return rc;
}

int pk_obj_set_number(struct pk_obj *o, const char *path, double x)
{
	char num[PK_NUMBER_MAX];
	int n = pk_format_number(num, x);

	if (n < 0)
		return PK_FATAL;
	return pk_obj_set_compact(o, path, num, (size_t)n);
}

int pk_obj_set_bool(struct pk_obj *o, const char *path, int b)
{
	return b ? pk_obj_set_raw(o, path, "true", 4)
		 : pk_obj_set_raw(o, path, "false", 5);
}

int pk_obj_delete(struct pk_obj *o, const char *path)
{
	struct pk_buf head = PK_BUF_INIT;
	const char *rest = split_path(path, &head);
	long i = head.data ? pk_obj_find(o, head.data) : -1;
	int rc = 0;

	if (i < 0)
		goto out;
	if (!rest) {
		memmove(&o->m[i], &o->m[i + 1],
			(o->n - (size_t)i - 1) * sizeof o->m[0]);
		o->n--;
		rc = 1;
	} else if (o->m[i].type == PK_T_OBJECT) {
		struct pk_obj *child = pk_obj_new();
		struct pk_buf inner = PK_BUF_INIT, w = PK_BUF_INIT;

		if (child &&
		    pk_buf_append(&inner, vptr(o, &o->m[i]), o->m[i].vlen) == 0 &&
		    pk_obj_load(child, inner.data, inner.len) == 0 &&
		    (rc = pk_obj_delete(child, rest)) == 1 &&
		    pk_obj_write(child, &w) == 0 &&
		    set_top(o, head.data, w.data, w.len) < 0)
			rc = PK_FATAL;
		pk_obj_free(child);
		pk_buf_free(&inner);
		pk_buf_free(&w);
	}
out:
	pk_buf_free(&head);
	return rc;
}

static int rename_member(struct pk_obj *o, size_t i, const char *to)
{
	size_t koff = o->arena.len;

	if (pk_json_quote(&o->arena, to, strlen(to)) < 0)
		return PK_FATAL;
	o->m[i].kwhere = IN_ARENA;
	o->m[i].koff = koff;
	o->m[i].klen = o->arena.len - koff;
	o->m[i].kescaped = memchr(o->arena.data + koff, '\\', o->m[i].klen) != NULL;
	return PK_OK;
}

int pk_obj_rename_at(struct pk_obj *o, size_t i, const char *name)
{
	return i < o->n ? rename_member(o, i, name) : PK_FATAL;
}

void pk_obj_delete_at(struct pk_obj *o, size_t i)
{
	if (i >= o->n)
		return;
	memmove(&o->m[i], &o->m[i + 1], (o->n - i - 1) * sizeof o->m[0]);
	o->n--;
}

void pk_obj_move_at(struct pk_obj *o, size_t i, size_t j)
{
	struct omember m;

	if (i >= o->n || j >= o->n || i == j)
		return;
	m = o->m[i];
	if (i < j)
		memmove(&o->m[i], &o->m[i + 1], (j - i) * sizeof m);
	else
		memmove(&o->m[j + 1], &o->m[j], (i - j) * sizeof m);
	o->m[j] = m;
}

int pk_obj_rename(struct pk_obj *o, const char *from, const char *to)
{
	long i = pk_obj_find(o, from);

	if (i < 0)
		return 0;
	if (pk_obj_find(o, to) >= 0)
		return PK_FATAL; /* would make a duplicate key */
	return rename_member(o, (size_t)i, to) < 0 ? PK_FATAL : 1;
}

/* Replace every "chosen" with "rejected" and the other way round, into
 * out (reset); returns whether there was one, or PK_FATAL. */
static int swap_words(const char *name, size_t n, struct pk_buf *out)
{
	size_t i = 0, run = 0; /* run: start of the bytes not yet copied */
	int found = 0;
	char *d;

	/* each 6-byte "chosen" may grow to 8 bytes */
	if (pk_buf_reserve(out, n + n / 3 + 1) < 0)
		return PK_FATAL;
	d = out->data;
	while (i < n) {
		if (name[i] == 'c' && n - i >= 6 && memcmp(name + i, "chosen", 6) == 0) {
			memcpy(d, name + run, i - run);
			d += i - run;
			memcpy(d, "rejected", 8);
			d += 8;
			i += 6;
			run = i;
			found = 1;
		} else if (name[i] == 'r' && n - i >= 8 &&
			   memcmp(name + i, "rejected", 8) == 0) {
			memcpy(d, name + run, i - run);
			d += i - run;
			memcpy(d, "chosen", 6);
			d += 6;
			i += 8;
			run = i;
			found = 1;
		} else {
			i++;
		}
	}
	memcpy(d, name + run, n - run);
	d += n - run;
	*d = '\0';
	out->len = (size_t)(d - out->data);
	return found;
}

/* SPEC 1.2: does the name contain "chosen" or "rejected", or end in "_w"
 * or "_l"?  (Called for every key of a swapped record: keep it a plain
 * loop over the name.) */
static inline int is_paired_name(const char *name, size_t n)
{
	size_t i;

	if (n >= 2 && name[n - 2] == '_' &&
	    (name[n - 1] == 'w' || name[n - 1] == 'l'))
		return 1;
	for (i = 0; i + 6 <= n; i++) {
		if (name[i] == 'c' && memcmp(name + i, "chosen", 6) == 0)
			return 1;
		if (name[i] == 'r' && i + 8 <= n &&
		    memcmp(name + i, "rejected", 8) == 0)
			return 1;
	}
	return 0;
}

int pk_paired_partner(const char *name, size_t n, struct pk_buf *out)
{
	int rc;

	if (!is_paired_name(name, n))
		return 0;
	if ((rc = swap_words(name, n, out)) != 0)
		return rc;
	/* no chosen/rejected in it: it ends in _w or _l (swap_words copied
	 * it, so only the last byte changes) */
	out->data[n - 1] = name[n - 1] == 'w' ? 'l' : 'w';
	return 1;
}

/* Swap inside the object value of member i; returns the number of fields
 * changed (0 leaves the member's bytes untouched), or PK_FATAL. */
static int swap_nested(struct pk_obj *o, size_t i);

/* Plan the swap for o's keys into p: what happens to each member. */
static int plan_swap(const struct pk_obj *o, struct swap_plan *p)
{
	struct pk_buf name = PK_BUF_INIT, partner = PK_BUF_INIT;
	size_t i, n = o->n;
	int rc = PK_FATAL;

	p->n = 0;
	pk_buf_reset(&p->keys);
	pk_buf_reset(&p->names);
	if (n > p->cap) {
		struct swap_step *st = realloc(p->steps, n * sizeof *st);

		if (!st)
			goto out;
		p->steps = st;
		p->cap = n;
	}
	for (i = 0; i < n; i++) {
		p->steps[i].op = SWAP_KEEP;
		p->steps[i].klen = o->m[i].klen;
		if (pk_buf_append(&p->keys, kptr(o, &o->m[i]), o->m[i].klen) < 0)
			goto out;
	}
	for (i = 0; i < n; i++) {
		const char *key = kptr(o, &o->m[i]);
		const char *plain = key + 1;
		size_t plen = o->m[i].klen - 2;
		struct swap_step *st = &p->steps[i];
		long j;
		int paired;

		if (st->op != SWAP_KEEP)
			continue; /* the partner of an earlier member */
		if (o->m[i].kescaped) {
			pk_buf_reset(&name);
			if (pk_json_unquote(&name, key, o->m[i].klen) < 0)
				goto out;
			plain = name.data ? name.data : "";
			plen = name.len;
		}
		if ((paired = pk_paired_partner(plain, plen, &partner)) < 0)
			goto out;
		if (!paired)
			continue;
		j = pk_obj_find(o, partner.data);
		if (j < 0) {
			st->op = SWAP_RENAME;
			st->arg = p->names.len;
			if (pk_json_quote(&p->names, partner.data, partner.len) < 0)
				goto out;
			st->arglen = p->names.len - st->arg;
		} else {
			st->op = SWAP_WITH;
			st->arg = (size_t)j;
			p->steps[j].op = SWAP_DONE;
		}
	}
	p->n = n;
	rc = PK_OK;
out:
	pk_buf_free(&name);
	pk_buf_free(&partner);
	return rc;
}

/* memcmp(a, b, n) == 0 for short keys, without a call: 8 bytes at a time
 * (the first and the last 8 overlap for 8 < n < 16). */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y, u, v;

	if (n < 8)
		return memcmp(a, b, n) == 0;
	while (n > 16) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
		a += 8;
		b += 8;
		n -= 8;
	}
	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	memcpy(&u, a + n - 8, 8);
	memcpy(&v, b + n - 8, 8);
	return x == y && u == v;
}

/* Does plan p fit o's keys (the same keys in the same order)? */
static int plan_fits(const struct pk_obj *o, const struct swap_plan *p)
{
	const char *k = p->keys.data;
	size_t i;

	if (p->n != o->n || !k)
		return 0;
	for (i = 0; i < o->n; i++) {
		size_t klen = o->m[i].klen;

		if (klen != p->steps[i].klen || !same_bytes(kptr(o, &o->m[i]), k, klen))
			return 0;
		k += klen;
	}
	return 1;
}

/* Carry out plan p on o; returns the number of members changed (0 leaves
 * every byte as it was), or PK_FATAL. */
static int apply_swap(struct pk_obj *o, const struct swap_plan *p)
{
	size_t i;
	int changed = 0, rc;

	for (i = 0; i < p->n; i++) {
		const struct swap_step *st = &p->steps[i];
		struct omember *a = &o->m[i];

		switch (st->op) {
		case SWAP_KEEP:
			if (a->type == PK_T_OBJECT) {
				if ((rc = swap_nested(o, i)) < 0)
					return PK_FATAL;
				changed += rc;
			}
			break;
		case SWAP_WITH: {
			struct omember *b = &o->m[st->arg], t = *a;

			a->vwhere = b->vwhere;
			a->voff = b->voff;
			a->vlen = b->vlen;
			a->type = b->type;
			b->vwhere = t.vwhere;
			b->voff = t.voff;
			b->vlen = t.vlen;
			b->type = t.type;
			changed++;
			break;
		}
		case SWAP_DONE:
			break;
		case SWAP_RENAME:
			a->kwhere = IN_ARENA;
			a->koff = o->arena.len;
			a->klen = st->arglen;
			if (pk_buf_append(&o->arena, p->names.data + st->arg,
					  st->arglen) < 0)
				return PK_FATAL;
			a->kescaped = memchr(o->arena.data + a->koff, '\\',
					     a->klen) != NULL;
			changed++;
			break;
		}
	}
	return changed;
}

/* Swap every paired field of o (SPEC 1.2); with cache (SWAP_PLANS plans),
 * reuse the plan made for a record with the same keys.  Returns the
 * number of members changed, or PK_FATAL. */
static int swap_all(struct pk_obj *o, struct swap_plan *cache)
{
	struct swap_plan local = {0};
	struct swap_plan *p = &local;
	int rc = PK_OK;

	if (cache) {
		/* the slot: a hash of the number of keys and their lengths */
		uint64_t h = o->n;
		size_t i;

		for (i = 0; i < o->n; i++)
			h = (h ^ o->m[i].klen) * 0x100000001b3u;
		p = &cache[(h * 0x9e3779b97f4a7c15u) >> 59];
	}
	if (!cache || !plan_fits(o, p))
		rc = plan_swap(o, p);
	if (rc == PK_OK)
		rc = apply_swap(o, p);
	if (!cache)
		free_plan(&local);
	return rc;
}

/* Does a paired key (or an escape, which could hide one) start at p[k]? */
static inline int paired_at(const char *p, size_t n, size_t k)
{
	switch (p[k]) {
	case '\\':
		return 1;
	case '_':
		return n - k >= 3 && (p[k + 1] == 'w' || p[k + 1] == 'l') &&
		       p[k + 2] == '"';
	case 'c':
		return n - k >= 6 && memcmp(p + k, "chosen", 6) == 0;
	case 'r':
		return n - k >= 8 && memcmp(p + k, "rejected", 8) == 0;
	}
	return 0;
}

/* Could the raw object text hold a paired key, at any depth?  One pass
 * over the bytes (a false "yes" only costs a rebuild that changes
 * nothing), which spares most nested objects (metadata, tool calls) the
 * rebuild.  Every swapped record runs this over its nested objects, so
 * it tests 16 positions at once: a candidate needs both the first and the
 * last byte of "chosen", "rejected" or "_w\"" in place (or a
 * backslash), which few positions of ordinary text have. */
static int may_hold_paired(const char *p, size_t n)
{
#ifdef __SSE2__
	const __m128i c = _mm_set1_epi8('c'), nn = _mm_set1_epi8('n'),
		      r = _mm_set1_epi8('r'), d = _mm_set1_epi8('d'),
		      u = _mm_set1_epi8('_'), q = _mm_set1_epi8('"'),
		      bs = _mm_set1_epi8('\\');
	/* the last bytes, padded with zeros (which match nothing), so that
	 * the tail goes 16 at a time too: it is shorter than 16 + 7 bytes,
	 * and positions 0 and 16 read at most 16 + 7 + 16 bytes */
	char tail[16 + 7 + 16] = {0};
	const char *base = p;
	size_t i = 0, end = n;

	for (;;) {
		const char *s;
		__m128i v0, v2, v5, v7, hit;
		unsigned mask;

		if (base == tail ? i >= end : i + 16 + 7 > n) {
			if (base == tail || i >= n)
				return 0;
			memcpy(tail, p + i, n - i);
			base = tail;
			end = n - i;
			i = 0;
		}
		s = base + i;
		v0 = _mm_loadu_si128((const __m128i *)s);
		v2 = _mm_loadu_si128((const __m128i *)(s + 2));
		v5 = _mm_loadu_si128((const __m128i *)(s + 5));
		v7 = _mm_loadu_si128((const __m128i *)(s + 7));
		hit = _mm_or_si128(
			_mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(v0, c),
						   _mm_cmpeq_epi8(v5, nn)),
				     _mm_and_si128(_mm_cmpeq_epi8(v0, r),
						   _mm_cmpeq_epi8(v7, d))),
			_mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(v0, u),
						   _mm_cmpeq_epi8(v2, q)),
				     _mm_cmpeq_epi8(v0, bs)));
		for (mask = (unsigned)_mm_movemask_epi8(hit); mask;
		     mask &= mask - 1)
			if (paired_at(base, end, i + (size_t)__builtin_ctz(mask)))
				return 1;
		i += 16;
	}
#else
	size_t i;

	for (i = 0; i < n; i++)
		if (paired_at(p, n, i))
			return 1;
	return 0;
#endif
}

static int swap_nested(struct pk_obj *o, size_t i)
{
	struct pk_obj *child;
	struct pk_buf inner = PK_BUF_INIT, w = PK_BUF_INIT;
	int rc = PK_FATAL;

	if (!may_hold_paired(vptr(o, &o->m[i]), o->m[i].vlen))
		return 0;
	child = pk_obj_new();
	if (!child ||
	    pk_buf_append(&inner, vptr(o, &o->m[i]), o->m[i].vlen) < 0 ||
	    pk_obj_load(child, inner.data, inner.len) < 0)
		goto out;
	rc = swap_all(child, NULL);
	if (rc > 0) {
		size_t voff, vlen;

		if (pk_obj_write(child, &w) < 0 ||
		    arena_put(o, w.data, w.len, &voff, &vlen) < 0) {
			rc = PK_FATAL;
			goto out;
		}
		o->m[i].vwhere = IN_ARENA;
		o->m[i].voff = voff;
		o->m[i].vlen = vlen;
	}
out:
	pk_obj_free(child);
	pk_buf_free(&inner);
	pk_buf_free(&w);
	return rc;
}

int pk_obj_swap_paired(struct pk_obj *o)
{
	if (!o->plan && !(o->plan = calloc(SWAP_PLANS, sizeof *o->plan)))
		return PK_FATAL;
	return swap_all(o, o->plan) < 0 ? PK_FATAL : PK_OK;
}

size_t pk_obj_write_bound(const struct pk_obj *o)
{
	size_t i, need = 2 + o->n * 2;

	for (i = 0; i < o->n; i++)
		need += o->m[i].klen + o->m[i].vlen;
	return need;
}

size_t pk_obj_write_to(const struct pk_obj *o, char *dst)
{
	return pk_obj_write_with(o, NULL, 0, dst);
}

size_t pk_obj_write_with(const struct pk_obj *o, const char *extra, size_t n,
			 char *dst)
{
	char *d = dst;
	size_t i;

	*d++ = '{';
	for (i = 0; i < o->n; i++) {
		const struct omember *m = &o->m[i];

		if (i)
			*d++ = ',';
		memcpy(d, kptr(o, m), m->klen);
		d += m->klen;
		*d++ = ':';
		/* Arena values are compact already; source values may not be. */
		if (m->vwhere == IN_ARENA || !o->src_has_space) {
			memcpy(d, vptr(o, m), m->vlen);
			d += m->vlen;
		} else {
			d += pk_value_compact_to(d, vptr(o, m), m->vlen, m->type);
		}
	}
	if (n) {
		if (o->n)
			*d++ = ',';
		memcpy(d, extra, n);
		d += n;
	}
	*d++ = '}';
	return (size_t)(d - dst);
}

int pk_obj_write(const struct pk_obj *o, struct pk_buf *out)
{
	if (pk_buf_reserve(out, pk_obj_write_bound(o)) < 0)
		return PK_FATAL;
	out->len += pk_obj_write_to(o, out->data + out->len);
	out->data[out->len] = '\0';
	return PK_OK;
}

/* ------------------------------------------------------------------ */
/* The member-clash rule for objects written as text                   */
/* ------------------------------------------------------------------ */

struct ukey {
	size_t koff, klen;   /* the raw key, in the object */
	size_t voff, vlen;   /* the raw value */
	size_t name, nlen;   /* the unquoted key: offset in names */
	const char *nm;      /* the same as a pointer, once names is done */
	size_t idx;          /* position in the object */
	size_t written;      /* 1 + its index in written[], or 0 */
};

struct uwritten {
	size_t off, rank;
};

static int ukey_cmp(const void *pa, const void *pb)
{
	const struct ukey *a = pa, *b = pb;
	size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
	int c = memcmp(a->nm, b->nm, n);

	if (c)
		return c;
	if (a->nlen != b->nlen)
		return a->nlen < b->nlen ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int uwritten_cmp(const void *pa, const void *pb)
{
	const struct uwritten *a = pa, *b = pb;

	return a->off < b->off ? -1 : a->off > b->off;
}

int pk_object_unique(struct pk_buf *b, size_t start, const size_t *written,
		     size_t nw, struct pk_error *err)
{
	struct pk_buf names = PK_BUF_INIT, out = PK_BUF_INIT;
	struct ukey *k = NULL;
	struct uwritten *w = NULL;
	size_t *from = NULL, n = 0, cap = 0, i, j;
	int dup = 0, rc = PK_OK;
	struct pk_member m;
	struct pk_iter it;
	const char *t = b->data + start;

	pk_iter_init(&it, t, b->len - start);
	while (pk_iter_member(&it, &m)) {
		if (n == cap) {
			struct ukey *p;

			cap = cap ? 2 * cap : 16;
			p = realloc(k, cap * sizeof *k);
			if (!p)
				goto nomem;
			k = p;
		}
		k[n].koff = m.key_off;
		k[n].klen = m.key_len;
		k[n].voff = m.val_off;
		k[n].vlen = m.val_len;
		k[n].idx = n;
		k[n].written = 0;
		k[n].name = names.len;
		if (pk_json_unquote(&names, t + m.key_off, m.key_len) < 0)
			goto nomem;
		k[n].nlen = names.len - k[n].name;
		n++;
	}
	if (n < 2)
		goto out;
	/* which members the command wrote: a sorted copy of written */
	if (nw) {
		w = malloc(nw * sizeof *w);
		if (!w)
			goto nomem;
		for (i = 0; i < nw; i++) {
			w[i].off = written[i];
			w[i].rank = i + 1;
		}
		qsort(w, nw, sizeof *w, uwritten_cmp);
		for (i = 0, j = 0; i < n && j < nw; i++) {
			while (j < nw && w[j].off < k[i].koff)
				j++;
			/* the last of equal offsets is the strongest */
			while (j + 1 < nw && w[j + 1].off == k[i].koff)
				j++;
			k[i].written = j < nw && w[j].off == k[i].koff
					       ? w[j].rank : 0;
		}
	}
	/* group the equal names (O(n log n) whatever the keys) */
	for (i = 0; i < n; i++)
		k[i].nm = names.data + k[i].name;
	qsort(k, n, sizeof *k, ukey_cmp);
	/* from[idx]: the member whose value goes at idx, or n: dropped */
	from = malloc(n * sizeof *from);
	if (!from)
		goto nomem;
	for (i = 0; i < n; i++)
		from[k[i].idx] = k[i].idx;
	for (i = 0; i < n; i = j) {
		size_t at = n, val = n;

		for (j = i + 1; j < n && k[j].nlen == k[i].nlen &&
				!memcmp(k[j].nm, k[i].nm, k[i].nlen);
		     j++)
			;
		if (j - i < 2)
			continue;
		dup = 1;
		/* the place of the first member that came with the record,
		 * the value of the one written last in written[] */
		for (size_t g = i; g < j; g++) {
			if (!k[g].written && at == n)
				at = g;
			if (k[g].written &&
			    (val == n || k[g].written > k[val].written))
				val = g;
		}
		if (at == n)
			at = i;
		if (val == n)
			val = j - 1;
		for (size_t g = i; g < j; g++)
			from[k[g].idx] = n;
		from[k[at].idx] = k[val].idx;
	}
	if (!dup)
		goto out;
	/* back to object order, then write the kept members */
	{
		struct ukey *byidx = malloc(n * sizeof *byidx);

		if (!byidx)
			goto nomem;
		for (i = 0; i < n; i++)
			byidx[k[i].idx] = k[i];
		free(k);
		k = byidx;
	}
	if (pk_buf_putc(&out, '{') < 0)
		goto nomem;
	for (i = 0; i < n; i++) {
		const struct ukey *v;

		if (from[i] == n)
			continue;
		v = &k[from[i]];
		if ((out.len > 1 && pk_buf_putc(&out, ',') < 0) ||
		    pk_buf_append(&out, t + k[i].koff, k[i].klen) < 0 ||
		    pk_buf_putc(&out, ':') < 0 ||
		    pk_buf_append(&out, t + v->voff, v->vlen) < 0)
			goto nomem;
	}
	if (pk_buf_putc(&out, '}') < 0)
		goto nomem;
	b->len = start;
	if (pk_buf_append(b, out.data, out.len) < 0)
		goto nomem;
	goto out;
nomem:
	rc = pk_nomem(err);
out:
	free(k);
	free(w);
	free(from);
	pk_buf_free(&names);
	pk_buf_free(&out);
	return rc;
}
