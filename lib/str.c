/* SPDX-License-Identifier: MIT */
/*
 * str.c - JSON string literals and jansson glue: quoting exactly as
 * Python's json.dumps(ensure_ascii=False) does, decoding validated
 * literals, comparing raw keys with names, and encoding/decoding jansson
 * values in the way the record model needs (reals are never printed by
 * jansson, decoding uses the scanner's flags).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "pk_private.h"

/* 0: copy; otherwise the character after the backslash ('u' = \u00XX). */
static const char quote_esc[256] = {
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	['"'] = '"', ['\\'] = '\\',
};

/* Index of the first byte at or after i that needs an escape, or n. */
static size_t quote_run(const unsigned char *p, size_t n, size_t i)
{
#ifdef __SSE2__
	const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\'),
		      c1f = _mm_set1_epi8(0x1f);

	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		__m128i m = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, b)),
			_mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);

		if (mask)
			return i + (size_t)__builtin_ctz(mask);
		i += 16;
	}
#endif
	while (i < n && !quote_esc[p[i]])
		i++;
	return i;
}

int pk_json_quote(struct pk_buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	/* the common case needs only the quotes */
	if (pk_buf_reserve(out, n + 2) < 0)
		return PK_FATAL;
	out->data[out->len++] = '"';
	if ((i = quote_run(p, n, 0)) == n) {
		memcpy(out->data + out->len, p, n);
		out->len += n;
		out->data[out->len++] = '"';
		out->data[out->len] = '\0';
		return PK_OK;
	}
	while (i < n) {
		char e;

		i = quote_run(p, n, i);
		if (i >= n)
			break;
		e = quote_esc[p[i]];
		if (pk_buf_append(out, p + run, i - run) < 0)
			return PK_FATAL;
		if (e == 'u') {
			static const char hex[] = "0123456789abcdef";
			char u[6] = {'\\', 'u', '0', '0', hex[p[i] >> 4],
				     hex[p[i] & 15]};

			if (pk_buf_append(out, u, 6) < 0)
				return PK_FATAL;
		} else {
			char t[2] = {'\\', e};

			if (pk_buf_append(out, t, 2) < 0)
				return PK_FATAL;
		}
		run = ++i;
	}
	if (pk_buf_append(out, p + run, n - run) < 0 ||
	    pk_buf_putc(out, '"') < 0)
		return PK_FATAL;
	return PK_OK;
}

static int hexdig(unsigned c)
{
	if (c - '0' < 10)
		return (int)(c - '0');
	c |= 0x20;
	if (c - 'a' < 6)
		return (int)(c - 'a' + 10);
	return -1;
}

static long hex4(const unsigned char *p)
{
	int a = hexdig(p[0]), b = hexdig(p[1]), c = hexdig(p[2]),
	    d = hexdig(p[3]);

	if ((a | b | c | d) < 0)
		return -1;
	return (long)(a << 12 | b << 8 | c << 4 | d);
}

static size_t utf8_put(unsigned char *d, unsigned long cp)
{
	if (cp < 0x80) {
		d[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (unsigned char)(0xC0 | cp >> 6);
		d[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (unsigned char)(0xE0 | cp >> 12);
		d[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		d[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (unsigned char)(0xF0 | cp >> 18);
	d[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	d[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	d[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Decode the escape at p[0] == '\\' (p < e).  Writes up to 4 bytes to d
 * and returns how many; *used gets the length of the escape.  Text that
 * is not valid (the caller promised it is) decodes to U+FFFD.
 */
static size_t unescape(const unsigned char *p, const unsigned char *e,
		       unsigned char *d, size_t *used)
{
	long cp, lo;

	*used = 2;
	if (e - p < 2)
		goto bad;
	switch (p[1]) {
	case '"': case '\\': case '/':
		d[0] = p[1];
		return 1;
	case 'b': d[0] = '\b'; return 1;
	case 'f': d[0] = '\f'; return 1;
	case 'n': d[0] = '\n'; return 1;
	case 'r': d[0] = '\r'; return 1;
	case 't': d[0] = '\t'; return 1;
	case 'u':
		break;
	default:
		goto bad;
	}
	if (e - p < 6 || (cp = hex4(p + 2)) < 0)
		goto bad;
	*used = 6;
	if (cp >= 0xD800 && cp <= 0xDBFF && e - p >= 12 && p[6] == '\\' &&
	    p[7] == 'u' && (lo = hex4(p + 8)) >= 0xDC00 && lo <= 0xDFFF) {
		*used = 12;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	} else if (cp >= 0xD800 && cp <= 0xDFFF) {
		cp = 0xFFFD;
	}
	return utf8_put(d, (unsigned long)cp);
bad:
	return utf8_put(d, 0xFFFD);
}

int pk_json_unquote(struct pk_buf *out, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p, *e, *run;
	unsigned char *d;

	if (n < 2)
		return PK_OK;
	e = s + n - 1;
	s++;
	/* decoded text is never longer than the literal */
	if (pk_buf_reserve(out, n) < 0)
		return PK_FATAL;
	d = (unsigned char *)out->data + out->len;
	while (s < e) {
		const unsigned char *bs = memchr(s, '\\', (size_t)(e - s));
		size_t used;

		run = s;
		s = bs ? bs : e;
		memcpy(d, run, (size_t)(s - run));
		d += s - run;
		if (!bs)
			break;
		d += unescape(s, e, d, &used);
		s += used;
	}
	out->len = (size_t)((char *)d - out->data);
	out->data[out->len] = '\0';
	return PK_OK;
}

int pk_json_requote(struct pk_buf *out, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)p, *e;
	unsigned char *d;

	if (n < 2)
		return pk_json_quote(out, "", 0);
	e = s + n - 1;
	s++;
	/* never longer than the literal: \uXXXX gives at most 6 bytes, a
	 * surrogate pair 4, \/ one (a broken escape, which a validated
	 * literal does not have, U+FFFD's 3 bytes for 2) */
	if (pk_buf_reserve(out, n + n / 2 + 4) < 0)
		return PK_FATAL;
	d = (unsigned char *)out->data + out->len;
	*d++ = '"';
	while (s < e) {
		const unsigned char *bs = memchr(s, '\\', (size_t)(e - s));
		unsigned char u[4];
		size_t used, k;

		if (!bs) {
			memcpy(d, s, (size_t)(e - s));
			d += e - s;
			break;
		}
		memcpy(d, s, (size_t)(bs - s));
		d += bs - s;
		s = bs;
		if (e - s >= 2 && s[1] != 'u' && s[1] != '/') {
			/* \" \\ \b \f \n \r \t: as pk_json_quote writes them */
			d[0] = s[0];
			d[1] = s[1];
			d += 2;
			s += 2;
			continue;
		}
		/* \/ and \uXXXX: the character, quoted as pk_json_quote
		 * quotes it */
		k = unescape(s, e, u, &used);
		s += used;
		if (k == 1 && quote_esc[u[0]]) {
			char c = quote_esc[u[0]];

			*d++ = '\\';
			if (c == 'u') {
				memcpy(d, "u00", 3);
				d[3] = (unsigned char)hex[u[0] >> 4];
				d[4] = (unsigned char)hex[u[0] & 15];
				d += 5;
			} else {
				*d++ = (unsigned char)c;
			}
			continue;
		}
		memcpy(d, u, k);
		d += k;
	}
	*d++ = '"';
	out->len = (size_t)((char *)d - out->data);
	out->data[out->len] = '\0';
	return PK_OK;
}

int pk_key_equals(const char *p, size_t n, const char *name)
{
	const unsigned char *s, *e, *a = (const unsigned char *)name;

	if (n < 2)
		return 0;
	s = (const unsigned char *)p + 1;
	e = (const unsigned char *)p + n - 1;
	while (s < e) {
		unsigned char d[4];
		size_t k, j, used;

		if (*s != '\\') {
			/* a NUL in name ends it: *s is never NUL here */
			if (*s != *a)
				return 0;
			s++;
			a++;
			continue;
		}
		k = unescape(s, e, d, &used);
		for (j = 0; j < k; j++)
			if (!a[j] || a[j] != d[j])
				return 0;
		a += k;
		s += used;
	}
	return *a == '\0';
}

/* ------------------------------------------------------------------ */
/* jansson glue                                                        */
/* ------------------------------------------------------------------ */

struct kv {
	const char *key;
	size_t len;
	json_t *val;
};

static int kv_cmp(const void *a, const void *b)
{
	const struct kv *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int r = memcmp(x->key, y->key, n);

	if (r)
		return r;
	return x->len < y->len ? -1 : x->len > y->len;
}

static int encode(struct pk_buf *out, const json_t *v, int flags);

static int encode_member(struct pk_buf *out, const char *key, size_t len,
			 const json_t *val, int flags, int first)
{
	if (!first && pk_buf_putc(out, ',') < 0)
		return PK_FATAL;
	if (pk_json_quote(out, key, len) < 0 || pk_buf_putc(out, ':') < 0)
		return PK_FATAL;
	return encode(out, val, flags);
}

static int encode_object(struct pk_buf *out, const json_t *v, int flags)
{
	const char *key;
	size_t len, n = json_object_size(v), k = 0;
	json_t *val;
	int rc = PK_OK;

	if (pk_buf_putc(out, '{') < 0)
		return PK_FATAL;
	if (!(flags & PK_ENC_SORT_KEYS) || n < 2) {
		/* jansson's iteration API wants a non-const object */
		json_t *o = (json_t *)v;

		json_object_keylen_foreach(o, key, len, val) {
			rc = encode_member(out, key, len, val, flags, k++ == 0);
			if (rc < 0)
				return rc;
		}
	} else {
		struct kv *kv = malloc(n * sizeof *kv);
		json_t *o = (json_t *)v;

		if (!kv)
			return PK_FATAL;
		json_object_keylen_foreach(o, key, len, val) {
			if (k == n)
				break;
			kv[k].key = key;
			kv[k].len = len;
			kv[k].val = val;
			k++;
		}
		qsort(kv, k, sizeof *kv, kv_cmp);
		for (n = 0; n < k && rc == PK_OK; n++)
			rc = encode_member(out, kv[n].key, kv[n].len,
					   kv[n].val, flags, n == 0);
		free(kv);
		if (rc < 0)
			return rc;
	}
	return pk_buf_putc(out, '}') < 0 ? PK_FATAL : PK_OK;
}

static int encode(struct pk_buf *out, const json_t *v, int flags)
{
	char num[PK_NUMBER_MAX];
	size_t k, n;
	int len, rc;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return encode_object(out, v, flags);
	case JSON_ARRAY:
		if (pk_buf_putc(out, '[') < 0)
			return PK_FATAL;
		n = json_array_size(v);
		for (k = 0; k < n; k++) {
			if (k && pk_buf_putc(out, ',') < 0)
				return PK_FATAL;
			rc = encode(out, json_array_get(v, k), flags);
			if (rc < 0)
				return rc;
		}
		return pk_buf_putc(out, ']') < 0 ? PK_FATAL : PK_OK;
	case JSON_STRING:
		return pk_json_quote(out, json_string_value(v),
				     json_string_length(v));
	case JSON_INTEGER:
		len = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
			       json_integer_value(v));
		return pk_buf_append(out, num, (size_t)len) < 0 ? PK_FATAL
							      : PK_OK;
	case JSON_REAL:
		len = pk_format_number(num, json_real_value(v));
		if (len < 0)
			return PK_FATAL; /* NaN or infinity: not JSON */
		return pk_buf_append(out, num, (size_t)len) < 0 ? PK_FATAL
							      : PK_OK;
	case JSON_TRUE:
		return pk_buf_append(out, "true", 4) < 0 ? PK_FATAL : PK_OK;
	case JSON_FALSE:
		return pk_buf_append(out, "false", 5) < 0 ? PK_FATAL : PK_OK;
	case JSON_NULL:
		return pk_buf_append(out, "null", 4) < 0 ? PK_FATAL : PK_OK;
	}
	return PK_FATAL;
}

int pk_json_encode(struct pk_buf *out, const json_t *v, int flags)
{
	size_t len0 = out->len;
	int rc;

	if (!v)
		return PK_FATAL;
	rc = encode(out, v, flags);
	if (rc < 0 && out->data) {
		/* leave nothing half-written behind */
		out->len = len0;
		out->data[len0] = '\0';
	}
	return rc;
}

json_t *pk_json_decode(const char *p, size_t n, struct pk_error *err)
{
	json_error_t je;
	json_t *v;

	v = json_loadb(p, n, JSON_DECODE_ANY | JSON_ALLOW_NUL |
			     JSON_REJECT_DUPLICATES, &je);
	if (v)
		return v;
	switch (json_error_code(&je)) {
	case json_error_out_of_memory:
		pk_nomem(err);
		return NULL;
	case json_error_numeric_overflow:
		if (strstr(je.text, "real"))
			pk_error_set(err, PK_ERR_DATA,
				     "number out of range (beyond a double)");
		else
			pk_error_set(err, PK_ERR_DATA,
				     "number out of range (integer beyond 64 bits)");
		break;
	default:
		pk_error_set(err, PK_ERR_DATA, "invalid JSON: %s", je.text);
		break;
	}
	if (err && je.position > 0)
		err->column = (unsigned long)je.position;
	return NULL;
}
