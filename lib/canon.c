/* SPDX-License-Identifier: MIT */
/*
 * canon.c - the canonical text of a JSON value, the one behind group ids
 * (SPEC 1.4), split decisions and dedup keys (SPEC 3.9): compact, object
 * keys sorted, strings as pk_json_quote writes them - Python's
 * json.dumps(v, sort_keys=True, separators=(",", ":"),
 * ensure_ascii=False) - built straight from the validated text, without a
 * jansson tree.  Dedup keys may first normalize their strings: white space
 * collapsed (as Python's " ".join(s.split())) and case folded (as
 * Python's s.casefold()), both from the Unicode tables of casefold.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "casefold.h"

/* ---------------------------------------------------------------- */
/* Normalization                                                     */
/* ---------------------------------------------------------------- */

static const uint32_t space_list[] = {PK_SPACE_LIST};

static int is_space(uint32_t c)
{
	size_t i;

	if (c < 0x80)
		return c == ' ' || (c >= 0x09 && c <= 0x0d) ||
		       (c >= 0x1c && c <= 0x1f);
	for (i = 0; i < sizeof space_list / sizeof space_list[0]; i++)
		if (space_list[i] == c)
			return 1;
	return 0;
}

/* The folded text of c, or NULL when c folds to itself. */
static const char *fold(uint32_t c)
{
	size_t lo = 0, hi = sizeof casefold_table / sizeof casefold_table[0];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (casefold_table[mid].cp == c)
			return casefold_table[mid].to;
		if (casefold_table[mid].cp < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Decode the code point at s[0..n) (valid UTF-8); its length in *len. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	if (s[0] < 0x80 || n < 2) {
		*len = 1;
		return s[0];
	}
	if (s[0] < 0xe0) {
		*len = 2;
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if (s[0] < 0xf0 || n < 4) {
		*len = 3;
		return (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 |
		       (s[2] & 0x3f);
	}
	*len = 4;
	return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	       (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
}

int pk_normalize(struct pk_buf *out, const char *s, size_t n, unsigned norm)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	int pending = 0, started = 0;

	if (pk_buf_reserve(out, n) < 0)
		return PK_FATAL;
	while (i < n) {
		uint32_t c;
		const char *f;

		if (p[i] >= 'A' && p[i] <= 'Z' && (norm & PK_NORM_CASE)) {
			c = p[i] + 32;
			len = 1;
		} else {
			c = utf8_next(p + i, n - i, &len);
		}
		if ((norm & PK_NORM_SPACE) && is_space(c)) {
			pending = started;
			i += len;
			continue;
		}
		if (pending && pk_buf_putc(out, ' ') < 0)
			return PK_FATAL;
		pending = 0;
		started = 1;
		if (c < 0x80) {
			if (pk_buf_putc(out, (int)c) < 0)
				return PK_FATAL;
		} else if ((norm & PK_NORM_CASE) && (f = fold(c))) {
			if (pk_buf_puts(out, f) < 0)
				return PK_FATAL;
		} else if (pk_buf_append(out, p + i, len) < 0) {
			return PK_FATAL;
		}
		i += len;
	}
	out->data[out->len] = '\0'; /* reserved above, maybe never written */
	return PK_OK;
}

int pk_text_trim(const char *s, size_t n, size_t *off, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = 0, end = n, clen;

	/* only the ends are looked at: from the front, then from the back
	 * (stepping over continuation bytes to the start of a character) */
	while (start < n && is_space(utf8_next(p + start, n - start, &clen)))
		start += clen;
	while (end > start) {
		size_t b = end - 1;

		while (b > start && (p[b] & 0xc0) == 0x80)
			b--;
		if (!is_space(utf8_next(p + b, end - b, &clen)))
			break;
		end = b;
	}
	*off = end > start ? start : 0;
	*len = end - start;
	return *len > 0;
}

int pk_normalize_parse(const char *s, unsigned *norm)
{
	*norm = 0;
	while (*s) {
		size_t n = strcspn(s, ",");

		if (n == 5 && strncmp(s, "space", 5) == 0)
			*norm |= PK_NORM_SPACE;
		else if (n == 4 && strncmp(s, "case", 4) == 0)
			*norm |= PK_NORM_CASE;
		else
			return PK_BAD_RECORD;
		s += n;
		if (*s == ',' && *++s == '\0')
			return PK_BAD_RECORD;
	}
	return *norm ? PK_OK : PK_BAD_RECORD;
}

/* ---------------------------------------------------------------- */
/* Canonical text                                                    */
/* ---------------------------------------------------------------- */

/* A member of an object being written, offsets into the whole text; a key
 * with escapes is compared and written decoded (keys.data + dec). */
struct mref {
	size_t key_off, key_len, val_off, val_len;
	size_t dec, dec_len; /* decoded key, when escaped */
	int escaped;
};

struct canon {
	const char *text;
	struct pk_buf *out;
	struct pk_buf *stack; /* struct mref of the objects being written */
	struct pk_buf *keys;  /* decoded escaped keys */
	struct pk_buf *tmp, *tmp2;
	unsigned norm;
};

static int value(struct canon *c, size_t off, size_t len, enum pk_type t);

static void key_bytes(const struct canon *c, const struct mref *m,
		      const char **p, size_t *n)
{
	if (m->escaped) {
		*p = c->keys->data + m->dec;
		*n = m->dec_len;
	} else {
		*p = c->text + m->key_off + 1;
		*n = m->key_len - 2;
	}
}

static int key_cmp(const struct canon *c, const struct mref *a,
		   const struct mref *b)
{
	const char *pa, *pb;
	size_t na, nb;
	int r;

	key_bytes(c, a, &pa, &na);
	key_bytes(c, b, &pb, &nb);
	r = memcmp(pa, pb, na < nb ? na : nb);
	return r ? r : (na > nb) - (na < nb);
}

/* Sort m[0..n) by key (keys are distinct), using tmp[0..n) as room. */
static void sort_members(const struct canon *c, struct mref *m,
			 struct mref *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	if (n <= 8) {
		for (i = 1; i < n; i++) {
			struct mref x = m[i];

			for (j = i; j > 0 && key_cmp(c, &m[j - 1], &x) > 0; j--)
				m[j] = m[j - 1];
			m[j] = x;
		}
		return;
	}
	sort_members(c, m, tmp, h);
	sort_members(c, m + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = key_cmp(c, &m[i], &m[j]) <= 0 ? m[i++] : m[j++];
	while (i < h)
		tmp[k++] = m[i++];
	while (j < n)
		tmp[k++] = m[j++];
	memcpy(m, tmp, n * sizeof *m);
}

/* Whether a string literal (valid JSON, quotes included) is already what
 * pk_json_quote writes of its value: every escape is one of the short
 * ones it writes (\" \\ \b \t \n \f \r); \/ and \u are not. */
static int canonical_literal(const char *p, size_t n)
{
	const char *e = p + n - 1, *q = p + 1;

	while ((q = memchr(q, '\\', (size_t)(e - q)))) {
		switch (q[1]) {
		case '"': case '\\': case 'b': case 't': case 'n': case 'f':
		case 'r':
			q += 2;
			break;
		default:
			return 0;
		}
	}
	return 1;
}

static int string(struct canon *c, const char *p, size_t n)
{
	if (!c->norm)
		/* copied, its escapes respelled where they are not already
		 * what pk_json_quote writes */
		return pk_json_requote(c->out, p, n) < 0 ? PK_FATAL : PK_OK;
	pk_buf_reset(c->tmp);
	if (pk_json_unquote(c->tmp, p, n) < 0)
		return PK_FATAL;
	pk_buf_reset(c->tmp2);
	if (pk_normalize(c->tmp2, c->tmp->data, c->tmp->len, c->norm) < 0)
		return PK_FATAL;
	return pk_json_quote(c->out, c->tmp2->data ? c->tmp2->data : "",
			     c->tmp2->len);
}

/* An integer as written ("-0" as "0"); any other number as its double
 * prints with pk_format_number; one beyond a double as written. */
static int number(struct canon *c, const char *p, size_t n)
{
	char num[PK_NUMBER_MAX];
	double x;
	int len;

	if (!memchr(p, '.', n) && !memchr(p, 'e', n) && !memchr(p, 'E', n)) {
		if (n == 2 && p[0] == '-' && p[1] == '0')
			return pk_buf_putc(c->out, '0') < 0 ? PK_FATAL : PK_OK;
		return pk_buf_append(c->out, p, n) < 0 ? PK_FATAL : PK_OK;
	}
	if (pk_parse_double(p, n, &x) != PK_OK ||
	    (len = pk_format_number(num, x)) < 0)
		return pk_buf_append(c->out, p, n) < 0 ? PK_FATAL : PK_OK;
	return pk_buf_append(c->out, num, (size_t)len) < 0 ? PK_FATAL : PK_OK;
}

static size_t skip_blank(const char *p, size_t i, size_t n)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
			 p[i] == '\r'))
		i++;
	return i;
}

/* The object at c->text[off..]: len is its length or more (the rest of
 * the array it is in); *end, when end is not NULL, gets its length, up to
 * its closing brace.  Its member values are each walked once. */
static int object(struct canon *c, size_t off, size_t len, size_t *end)
{
	struct pk_iter it;
	struct pk_member m;
	size_t base = c->stack->len, n = 0, i, last = 1;
	int rc = PK_OK;

	pk_iter_init(&it, c->text + off, len);
	while (pk_iter_member(&it, &m)) {
		last = it.pos;
		struct mref r = {off + m.key_off, m.key_len, off + m.val_off,
				 m.val_len, 0, 0, m.key_escaped};

		if (r.escaped) {
			r.dec = c->keys->len;
			if (pk_json_unquote(c->keys, c->text + r.key_off,
					    r.key_len) < 0)
				return PK_FATAL;
			r.dec_len = c->keys->len - r.dec;
		}
		if (pk_buf_append(c->stack, &r, sizeof r) < 0)
			return PK_FATAL;
		n++;
	}
	/* room for the merge sort, then sort in place */
	if (pk_buf_reserve(c->stack, n * sizeof(struct mref)) < 0)
		return PK_FATAL;
	sort_members(c, (struct mref *)(c->stack->data + base),
		     (struct mref *)(c->stack->data + base) + n, n);
	if (pk_buf_putc(c->out, '{') < 0)
		return PK_FATAL;
	for (i = 0; i < n && rc == PK_OK; i++) {
		/* the stack may move while a nested value is written */
		struct mref r = ((struct mref *)(c->stack->data + base))[i];

		if ((i && pk_buf_putc(c->out, ',') < 0) ||
		    (r.escaped
			     ? pk_json_quote(c->out, c->keys->data + r.dec,
					     r.dec_len) < 0
			     : pk_buf_append(c->out, c->text + r.key_off,
					     r.key_len) < 0) ||
		    pk_buf_putc(c->out, ':') < 0)
			return PK_FATAL;
		rc = value(c, r.val_off, r.val_len,
			   pk_type_of(c->text + r.val_off, r.val_len));
	}
	c->stack->len = base;
	if (rc < 0)
		return rc;
	if (end)
		/* past the last member (or the '{'): blank space, then '}' */
		*end = skip_blank(c->text + off, last, len) + 1;
	return pk_buf_putc(c->out, '}') < 0 ? PK_FATAL : PK_OK;
}

/* The array at c->text[off..], len and *end as for object().  An object
 * or array element is written as it is walked, not skipped first: the
 * text of a message list is walked once, not once per level. */
static int array(struct canon *c, size_t off, size_t len, size_t *end)
{
	const char *p = c->text + off;
	struct pk_iter it;
	size_t i = skip_blank(p, 1, len), e, eoff, elen;
	enum pk_type et;
	int rc, first = 1;

	if (pk_buf_putc(c->out, '[') < 0)
		return PK_FATAL;
	pk_iter_init(&it, p, len);
	while (i < len && p[i] != ']') {
		if (!first && pk_buf_putc(c->out, ',') < 0)
			return PK_FATAL;
		et = pk_type_of(p + i, len - i);
		if (et == PK_T_OBJECT) {
			rc = object(c, off + i, len - i, &e);
		} else if (et == PK_T_ARRAY) {
			rc = array(c, off + i, len - i, &e);
		} else {
			/* a scalar: the iterator finds its end, from the
			 * '[' or from the end of the element before */
			if (!pk_iter_element(&it, &eoff, &elen, &et))
				return PK_FATAL;
			rc = value(c, off + eoff, elen, et);
			e = eoff + elen - i;
		}
		if (rc < 0)
			return rc;
		i += e;
		it.pos = i;
		first = 0;
		i = skip_blank(p, i, len);
		if (i < len && p[i] == ',')
			i = skip_blank(p, i + 1, len);
		else
			break;
	}
	if (end)
		*end = i + 1;
	return pk_buf_putc(c->out, ']') < 0 ? PK_FATAL : PK_OK;
}

static int value(struct canon *c, size_t off, size_t len, enum pk_type t)
{
	const char *p = c->text + off;

	switch (t) {
	case PK_T_OBJECT:
		return object(c, off, len, NULL);
	case PK_T_ARRAY:
		return array(c, off, len, NULL);
	case PK_T_STRING:
		return string(c, p, len);
	case PK_T_NUMBER:
		return number(c, p, len);
	case PK_T_TRUE:
		return pk_buf_append(c->out, "true", 4) < 0 ? PK_FATAL : PK_OK;
	case PK_T_FALSE:
		return pk_buf_append(c->out, "false", 5) < 0 ? PK_FATAL : PK_OK;
	case PK_T_NULL:
		return pk_buf_append(c->out, "null", 4) < 0 ? PK_FATAL : PK_OK;
	default:
		return PK_FATAL;
	}
}

/* Skip the white space around a validated value. */
static void trim(const char **v, size_t *n)
{
	while (*n && (**v == ' ' || **v == '\t' || **v == '\n' || **v == '\r')) {
		(*v)++;
		(*n)--;
	}
	while (*n && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\t' ||
		      (*v)[*n - 1] == '\n' || (*v)[*n - 1] == '\r'))
		(*n)--;
}

void pk_canon_free(struct pk_canon *c)
{
	if (!c)
		return;
	pk_buf_free(&c->text);
	pk_buf_free(&c->stack_);
	pk_buf_free(&c->keys_);
	pk_buf_free(&c->tmp_);
	pk_buf_free(&c->tmp2_);
}

int pk_canonical(struct pk_buf *out, const char *v, size_t n, unsigned norm,
		 struct pk_canon *scratch, struct pk_error *err)
{
	struct pk_canon own = PK_CANON_INIT;
	struct pk_canon *s = scratch ? scratch : &own;
	struct canon c;
	size_t len0 = out->len;
	int rc;

	trim(&v, &n);
	c.text = v;
	c.out = out;
	c.norm = norm;
	c.stack = &s->stack_;
	c.keys = &s->keys_;
	c.tmp = &s->tmp_;
	c.tmp2 = &s->tmp2_;
	pk_buf_reset(c.stack);
	pk_buf_reset(c.keys);
	rc = value(&c, 0, n, pk_type_of(v, n));
	pk_canon_free(&own);
	if (rc < 0) {
		if (out->data) {
			out->len = len0;
			out->data[len0] = '\0';
		}
		return pk_nomem(err);
	}
	return PK_OK;
}

int pk_canonical_hash64(const char *v, size_t n, uint64_t seed,
			struct pk_canon *scratch, uint64_t *h,
			struct pk_error *err)
{
	trim(&v, &n);
	if (pk_type_of(v, n) == PK_T_STRING && canonical_literal(v, n)) {
		/* the common case: a prompt string is its own canonical text
		 * (its escapes, if any, the ones pk_json_quote writes) */
		*h = pk_hash64(v, n, seed);
		return PK_OK;
	}
	pk_buf_reset(&scratch->text);
	if (pk_canonical(&scratch->text, v, n, 0, scratch, err) < 0)
		return PK_FATAL;
	*h = pk_hash64(scratch->text.data, scratch->text.len, seed);
	return PK_OK;
}
