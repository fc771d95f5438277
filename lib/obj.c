/* SPDX-License-Identifier: MIT */
/*
 * obj.c - struct pk_obj, an object under edit.  Members keep their order;
 * an untouched member is still a pair of spans into the source text, so it
 * is written back byte for byte (SPEC section 4).  Only what a command sets
 * is encoded, into the object's arena.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

/* Where a span lives: the source text or the arena. */
enum { IN_SRC = 0, IN_ARENA = 1 };

struct omember {
	unsigned char kwhere, vwhere;
	unsigned char kescaped;  /* the raw key has a backslash escape */
	enum pk_type type;
	size_t koff, klen;
	size_t voff, vlen;
};

struct pk_obj {
	const char *src;
	size_t srclen;
	int src_has_space;   /* source values must be compacted when written */
	int trust_compact;   /* the value being set is known to be compact */
	struct omember *m;
	size_t n, cap;
	struct pk_buf arena;
	struct pk_buf key;   /* pk_obj_key()'s result */
};

struct pk_obj *pk_obj_new(void)
{
	return calloc(1, sizeof(struct pk_obj));
}

void pk_obj_free(struct pk_obj *o)
{
	if (!o)
		return;
	free(o->m);
	pk_buf_free(&o->arena);
	pk_buf_free(&o->key);
	free(o);
}

void pk_obj_clear(struct pk_obj *o)
{
	o->src = NULL;
	o->srclen = 0;
	o->src_has_space = 0;
	o->n = 0;
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
		return -1;
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
	const char *rest = split_path(path, &head);
	long i = head.data ? pk_obj_find(o, head.data) : -1;
	const char *v;
	size_t vlen = 0;
	enum pk_type t = PK_T_NONE;

	pk_buf_free(&head);
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

/* Set a top-level member to raw text (which may live in our own arena:
 * copy it out first so that growing the arena cannot move it). */
static int set_top(struct pk_obj *o, const char *name, const char *raw,
		   size_t n)
{
	long i = pk_obj_find(o, name);
	struct omember *d;
	size_t voff, vlen;
	char *copy = NULL;

	if (o->arena.data && raw >= o->arena.data &&
	    raw < o->arena.data + o->arena.cap) {
		copy = malloc(n ? n : 1);
		if (!copy)
			return PK_FATAL;
		memcpy(copy, raw, n);
		raw = copy;
	}
	if (arena_put(o, raw, n, &voff, &vlen) < 0) {
		free(copy);
		return PK_FATAL;
	}
	free(copy);
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
	d->vwhere = IN_ARENA;
	d->voff = voff;
	d->vlen = vlen;
	d->type = pk_type_of(o->arena.data + voff, vlen);
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

int pk_obj_set_json(struct pk_obj *o, const char *path, const json_t *v)
{
	struct pk_buf b = PK_BUF_INIT;
	int rc = PK_FATAL;

	if (pk_json_encode(&b, v, 0) == 0)
		rc = pk_obj_set_compact(o, path, b.data, b.len);
	pk_buf_free(&b);
	return rc;
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

int pk_obj_rename(struct pk_obj *o, const char *from, const char *to)
{
	long i = pk_obj_find(o, from);

	if (i < 0)
		return 0;
	if (pk_obj_find(o, to) >= 0)
		return PK_FATAL; /* would make a duplicate key */
	return rename_member(o, (size_t)i, to) < 0 ? PK_FATAL : 1;
}

/* Replace every "chosen" with "rejected" and the other way round. */
static int swap_words(const char *name, size_t n, struct pk_buf *out)
{
	size_t i = 0;
	int found = 0;

	size_t run = 0; /* start of the bytes not yet copied */

	while (i < n) {
		if (n - i >= 6 && memcmp(name + i, "chosen", 6) == 0) {
			pk_buf_append(out, name + run, i - run);
			pk_buf_append(out, "rejected", 8);
			i += 6;
			run = i;
			found = 1;
		} else if (n - i >= 8 && memcmp(name + i, "rejected", 8) == 0) {
			pk_buf_append(out, name + run, i - run);
			pk_buf_append(out, "chosen", 6);
			i += 8;
			run = i;
			found = 1;
		} else {
			i++;
		}
	}
	pk_buf_append(out, name + run, n - run);
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
	if (!is_paired_name(name, n))
		return 0;
	pk_buf_reset(out);
	if (swap_words(name, n, out))
		return 1;
	pk_buf_reset(out);
	if (n >= 2 && name[n - 2] == '_' &&
	    (name[n - 1] == 'w' || name[n - 1] == 'l')) {
		pk_buf_append(out, name, n - 1);
		pk_buf_putc(out, name[n - 1] == 'w' ? 'l' : 'w');
		return 1;
	}
	return 0;
}

/* Swap inside the object value of member i; returns the number of fields
 * changed (0 leaves the member's bytes untouched), or PK_FATAL. */
static int swap_nested(struct pk_obj *o, size_t i);

static int swap_all(struct pk_obj *o)
{
	struct pk_buf name = PK_BUF_INIT, partner = PK_BUF_INIT;
	unsigned char done_small[64], *done = done_small;
	size_t i, n = o->n;
	int changed = 0, rc;

	if (n > sizeof done_small && !(done = malloc(n)))
		return PK_FATAL;
	memset(done, 0, n);
	for (i = 0; i < n; i++) {
		const char *key = kptr(o, &o->m[i]);
		size_t klen = o->m[i].klen;
		long j;

		const char *plain = key + 1;
		size_t plen = klen - 2;

		if (done[i])
			continue;
		if (o->m[i].kescaped) {
			pk_buf_reset(&name);
			if (pk_json_unquote(&name, key, klen) < 0)
				goto fail;
			plain = name.data ? name.data : "";
			plen = name.len;
		}
		if (!pk_paired_partner(plain, plen, &partner)) {
			if (o->m[i].type == PK_T_OBJECT) {
				if ((rc = swap_nested(o, i)) < 0)
					goto fail;
				changed += rc;
			}
			continue;
		}
		j = pk_obj_find(o, partner.data);
		if (j < 0) {
			if (rename_member(o, i, partner.data) < 0)
				goto fail;
		} else {
			struct omember a = o->m[i], *b = &o->m[j];

			o->m[i].vwhere = b->vwhere;
			o->m[i].voff = b->voff;
			o->m[i].vlen = b->vlen;
			o->m[i].type = b->type;
			b->vwhere = a.vwhere;
			b->voff = a.voff;
			b->vlen = a.vlen;
			b->type = a.type;
			done[j] = 1;
		}
		changed++;
	}
	if (done != done_small)
		free(done);
	pk_buf_free(&name);
	pk_buf_free(&partner);
	return changed;
fail:
	if (done != done_small)
		free(done);
	pk_buf_free(&name);
	pk_buf_free(&partner);
	return PK_FATAL;
}

/* Could the raw object text hold a paired key, at any depth?  One pass
 * over the bytes (a false "yes" only costs a rebuild that changes
 * nothing), which spares most nested objects (metadata, tool calls) the
 * rebuild. */
static int may_hold_paired(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case '"':
			if (i >= 2 && p[i - 2] == '_' &&
			    (p[i - 1] == 'w' || p[i - 1] == 'l'))
				return 1;
			break;
		case 'c':
			if (n - i >= 6 && memcmp(p + i, "chosen", 6) == 0)
				return 1;
			break;
		case 'r':
			if (n - i >= 8 && memcmp(p + i, "rejected", 8) == 0)
				return 1;
			break;
		case '\\':
			return 1;
		}
	}
	return 0;
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
	rc = swap_all(child);
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
	return swap_all(o) < 0 ? PK_FATAL : PK_OK;
}

int pk_obj_write(const struct pk_obj *o, struct pk_buf *out)
{
	size_t i, need = 2 + o->n * 2;
	char *d;

	for (i = 0; i < o->n; i++)
		need += o->m[i].klen + o->m[i].vlen;
	if (pk_buf_reserve(out, need) < 0)
		return PK_FATAL;
	d = out->data + out->len;
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
			out->len = (size_t)(d - out->data);
			if (pk_compact(out, vptr(o, m), m->vlen) < 0)
				return PK_FATAL;
			d = out->data + out->len;
		}
	}
	*d++ = '}';
	out->len = (size_t)(d - out->data);
	out->data[out->len] = '\0';
	return PK_OK;
}
