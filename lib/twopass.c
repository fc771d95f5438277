/* SPDX-License-Identifier: MIT */
/*
 * twopass.c - two passes over the input in bounded memory: pass 1 keeps
 * each record it wants again with a tag; pass 2 gets them back in order.
 * Records of regular files are read again from the file (only where they
 * are and a hash of their line is kept); records of standard input and
 * pipes are spooled with their line.  Storage is a pk_sort keyed by the
 * order of arrival, so it stays in memory while it fits and spills
 * zstd-compressed nameless runs beyond it.  Also the cut of a quantile
 * filter: keep the k lowest values, ties going to the earlier record.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pk_private.h"

/* An entry: seq (8, the sort key), kind (1), input (4), ordinal (8),
 * lineno (8), hash (8), taglen (4), then the tag and, spooled, the line. */
#define ENTRY_HEAD 41
enum { KIND_REREAD = 0, KIND_SPOOL = 1 };

struct input_info {
	char *path;
	int reread;
};

struct pk_twopass {
	struct pk_twopass_opts o;
	struct pk_sort *sort;
	struct input_info *inputs;
	size_t ninputs;
	struct pk_buf entry;
	struct pk_twopass_stats st;
	int reading;
	/* pass 2: the file being read again */
	struct pk_reader *r;
	size_t r_input;
	unsigned long long r_ordinal; /* records the reader has returned */
};

struct pk_twopass *pk_twopass_new(const struct pk_twopass_opts *o,
				  struct pk_error *err)
{
	struct pk_twopass *tp = calloc(1, sizeof(*tp));
	struct pk_sort_opts so = {0};

	if (!tp) {
		pk_nomem(err);
		return NULL;
	}
	tp->o = *o;
	so.memory = o->memory;
	so.tmpdir = o->tmpdir;
	so.key_len = 8;
	tp->sort = pk_sort_new(&so, err);
	if (!tp->sort) {
		free(tp);
		return NULL;
	}
	return tp;
}

void pk_twopass_free(struct pk_twopass *tp)
{
	size_t i;

	if (!tp)
		return;
	pk_sort_free(tp->sort);
	pk_reader_close(tp->r);
	for (i = 0; i < tp->ninputs; i++)
		free(tp->inputs[i].path);
	free(tp->inputs);
	pk_buf_free(&tp->entry);
	free(tp);
}

/* Remember input k (its path, and whether it can be read again). */
static int see_input(struct pk_twopass *tp, unsigned k, const char *path,
		     struct pk_error *err)
{
	struct stat st;

	if (k < tp->ninputs)
		return PK_OK;
	if (k != tp->ninputs)
		return pk_error_set(err, PK_ERR_USAGE,
				    "twopass: input %u added before input %zu",
				    k, tp->ninputs);
	{
		struct input_info *n = realloc(tp->inputs,
					       (k + 1) * sizeof(*n));

		if (!n)
			return pk_nomem(err);
		tp->inputs = n;
	}
	tp->inputs[k].path = strdup(path);
	if (!tp->inputs[k].path)
		return pk_nomem(err);
	tp->inputs[k].reread = strcmp(path, "-") != 0 &&
			       stat(path, &st) == 0 && S_ISREG(st.st_mode);
	tp->ninputs++;
	return PK_OK;
}

int pk_twopass_add(struct pk_twopass *tp, const char *path, unsigned input,
		   unsigned long long ordinal, unsigned long long lineno,
		   const char *line, size_t len, const void *tag,
		   size_t taglen, struct pk_error *err)
{
	unsigned char *e;
	int rc = see_input(tp, input, path, err), reread;

	if (rc < 0)
		return rc;
	if (tp->reading)
		return pk_error_set(err, PK_ERR_USAGE,
				    "twopass: record added during pass 2");
	reread = tp->inputs[input].reread;
	pk_buf_reset(&tp->entry);
	if (pk_buf_reserve(&tp->entry, ENTRY_HEAD + taglen +
						  (reread ? 0 : len)) < 0)
		return pk_nomem(err);
	e = (unsigned char *)tp->entry.data;
	pk_sort_put_u64(e, tp->st.records);
	e[8] = reread ? KIND_REREAD : KIND_SPOOL;
	pk_sort_put_u32(e + 9, input);
	pk_sort_put_u64(e + 13, ordinal);
	pk_sort_put_u64(e + 21, lineno);
	pk_sort_put_u64(e + 29, reread ? pk_hash64(line, len, 0) : 0);
	pk_sort_put_u32(e + 37, (uint32_t)taglen);
	if (taglen)
		memcpy(e + ENTRY_HEAD, tag, taglen);
	if (!reread && len)
		memcpy(e + ENTRY_HEAD + taglen, line, len);
	rc = pk_sort_add(tp->sort, e, ENTRY_HEAD + taglen + (reread ? 0 : len),
			 err);
	if (rc < 0)
		return rc;
	tp->st.records++;
	if (reread)
		tp->st.reread++;
	else
		tp->st.spooled++;
	return PK_OK;
}

/* Read input k again up to its record `ordinal`. */
static int reread(struct pk_twopass *tp, size_t k, unsigned long long ordinal,
		  uint64_t hash, struct pk_twopass_item *it,
		  struct pk_error *err)
{
	const char *path = tp->inputs[k].path;
	struct pk_line line;
	int rc;

	if (!tp->r || tp->r_input != k || tp->r_ordinal > ordinal) {
		pk_reader_close(tp->r);
		tp->r = pk_reader_open(path, tp->o.max_line, err);
		if (!tp->r)
			return PK_FATAL;
		tp->r_input = k;
		tp->r_ordinal = 0;
	}
	for (;;) {
		struct pk_error e2 = {0};

		rc = pk_reader_next(tp->r, &line, &e2);
		if (rc == PK_EOF)
			return pk_error_set(err, PK_ERR_IO,
					    "%.300s: the file changed between the two passes (it is shorter now)",
					    path);
		if (rc == PK_FATAL) {
			*err = e2;
			return PK_FATAL;
		}
		if (tp->r_ordinal++ == ordinal)
			break;
	}
	if (rc != PK_OK || pk_hash64(line.data, line.len, 0) != hash)
		return pk_error_set(err, PK_ERR_IO,
				    "%.300s:%llu: the file changed between the two passes",
				    path, line.lineno);
	it->line = line.data;
	it->len = line.len;
	return PK_OK;
}

int pk_twopass_next(struct pk_twopass *tp, struct pk_twopass_item *it,
		    struct pk_error *err)
{
	const void *p;
	const unsigned char *e;
	size_t n, taglen;
	unsigned input;
	int rc;

	tp->reading = 1;
	rc = pk_sort_next(tp->sort, &p, &n, err);
	if (rc != PK_OK) {
		if (rc == PK_EOF) {
			pk_reader_close(tp->r);
			tp->r = NULL;
		}
		return rc;
	}
	e = p;
	input = pk_sort_get_u32(e + 9);
	taglen = pk_sort_get_u32(e + 37);
	it->seq = pk_sort_get_u64(e);
	it->lineno = pk_sort_get_u64(e + 21);
	it->tag = e + ENTRY_HEAD;
	it->taglen = taglen;
	it->path = tp->inputs[input].path;
	if (e[8] == KIND_SPOOL) {
		it->line = (const char *)e + ENTRY_HEAD + taglen;
		it->len = n - ENTRY_HEAD - taglen;
		return PK_OK;
	}
	return reread(tp, input, pk_sort_get_u64(e + 13),
		      pk_sort_get_u64(e + 29), it, err);
}

void pk_twopass_get_stats(const struct pk_twopass *tp,
			  struct pk_twopass_stats *st)
{
	struct pk_sort_stats ss;

	*st = tp->st;
	pk_sort_get_stats(tp->sort, &ss);
	st->bytes_spilled = ss.bytes_spilled;
}

/* ------------------------------------------------------------------ */
/* The cut of a quantile filter                                         */
/* ------------------------------------------------------------------ */

struct pk_cut {
	struct pk_sort *sort;
	unsigned long long n;
	int decided, keep_none;
	uint64_t key, seq; /* the last value kept, and its position */
};

struct pk_cut *pk_cut_new(size_t memory, const char *tmpdir,
			  struct pk_error *err)
{
	struct pk_cut *c = calloc(1, sizeof(*c));
	struct pk_sort_opts so = {0};

	if (!c) {
		pk_nomem(err);
		return NULL;
	}
	so.memory = memory;
	so.tmpdir = tmpdir;
	c->sort = pk_sort_new(&so, err);
	if (!c->sort) {
		free(c);
		return NULL;
	}
	return c;
}

void pk_cut_free(struct pk_cut *c)
{
	if (!c)
		return;
	pk_sort_free(c->sort);
	free(c);
}

int pk_cut_add(struct pk_cut *c, double x, struct pk_error *err)
{
	unsigned char k[16];
	int rc;

	pk_sort_put_u64(k, pk_sort_double_key(x));
	pk_sort_put_u64(k + 8, c->n);
	rc = pk_sort_add(c->sort, k, sizeof k, err);
	if (rc == PK_OK)
		c->n++;
	return rc;
}

unsigned long long pk_cut_count(const struct pk_cut *c)
{
	return c->n;
}

int pk_cut_lowest(struct pk_cut *c, unsigned long long k,
		  struct pk_error *err)
{
	const void *p = NULL;
	size_t n;
	unsigned long long i;
	int rc;

	c->decided = 1;
	c->keep_none = k == 0;
	if (k > c->n)
		k = c->n;
	for (i = 0; i < k; i++) {
		rc = pk_sort_next(c->sort, &p, &n, err);
		if (rc != PK_OK)
			return rc == PK_EOF ? pk_error_set(err, PK_ERR_IO,
						  "cut: the sort lost records")
					    : rc;
	}
	if (k) {
		c->key = pk_sort_get_u64(p);
		c->seq = pk_sort_get_u64((const unsigned char *)p + 8);
	}
	return PK_OK;
}

int pk_cut_keeps(const struct pk_cut *c, double x, unsigned long long seq)
{
	uint64_t key = pk_sort_double_key(x);

	if (c->keep_none)
		return 0;
	return key < c->key || (key == c->key && seq <= c->seq);
}

int pk_fraction_parse(const char *s, uint64_t *num, uint64_t *den)
{
	uint64_t n = 0, d = 1;
	int seen_point = 0, digits = 0;

	for (; *s; s++) {
		if (*s == '.' && !seen_point) {
			seen_point = 1;
			continue;
		}
		if (*s < '0' || *s > '9' || digits >= 18)
			return PK_BAD_RECORD;
		n = n * 10 + (uint64_t)(*s - '0');
		if (seen_point)
			d *= 10;
		digits++;
	}
	if (!digits || n > d)
		return PK_BAD_RECORD;
	*num = n;
	*den = d;
	return PK_OK;
}

unsigned long long pk_fraction_floor(uint64_t num, uint64_t den,
				     unsigned long long n)
{
	return (unsigned long long)((unsigned __int128)num * n / den);
}
