/* SPDX-License-Identifier: MIT */
/*
 * ches.c - CHES and length-normalised CHES similarity of the two responses
 * of a pair (SPEC 3.4; Razin et al. 2024, "Unintentional Unalignment:
 * Likelihood Displacement in Direct Preference Optimization"), and the
 * token edit similarity the paper uses as a baseline.  Embeddings are the
 * responses' tokens as one-hot vectors of their hashes (lexical, exact
 * sparse arithmetic), or summed hidden states given in the record
 * (inline) or in side files (.npy, safetensors; see tensor.c).  Only the
 * values a score needs are decoded; the record is written back with its
 * untouched members byte for byte.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

struct pk_ches {
	struct pk_ches_opts o;
	struct pk_regex *re;
	struct pk_field chosen, rejected;
	struct pk_buf text;           /* a decoded response */
	struct pk_buf ha, hb;         /* token hashes of chosen, rejected */
	struct pk_buf table;          /* scratch of pk_ches_sparse/edit */
	struct pk_buf va, vb;         /* dense vectors (doubles) */
	struct pk_obj *obj;
	/* side files */
	struct pk_tensor_file *tf[4];
	struct pk_tensor t[4];        /* chosen, rejected, lengths (opt.) */
	int has_len_tensors;
	unsigned long long rows_used_by_position; /* records without
						   * emb_index */
	int any_index;
	struct pk_buf annotated;      /* pk_ches_annotate()'s record */
	unsigned long long dropped;   /* by pk_ches_annotate() */
};

static const char *const source_name[] = {
	[PK_CHES_LEXICAL] = "lexical",
	[PK_CHES_INLINE] = "inline",
	[PK_CHES_NPY] = "npy",
	[PK_CHES_SAFETENSORS] = "safetensors",
};

void pk_ches_opts_init(struct pk_ches_opts *o)
{
	memset(o, 0, sizeof(*o));
}

int pk_ches_parse_source(struct pk_ches_opts *o, const char *spec,
			 char **files, struct pk_error *err)
{
	const char *list = NULL;
	char *p, *save = NULL;
	size_t n = 0, most;

	if (strcmp(spec, "lexical") == 0)
		o->source = PK_CHES_LEXICAL;
	else if (strcmp(spec, "inline") == 0)
		o->source = PK_CHES_INLINE;
	else if (strncmp(spec, "npy=", 4) == 0)
		o->source = PK_CHES_NPY, list = spec + 4;
	else if (strncmp(spec, "safetensors=", 12) == 0)
		o->source = PK_CHES_SAFETENSORS, list = spec + 12;
	else
		return pk_error_set(err, PK_ERR_USAGE, "invalid value '%s' (lexical, inline, npy=FILES or safetensors=FILE)",
				    spec);
	memset(o->files, 0, sizeof o->files);
	if (!list)
		return PK_OK;
	free(*files);
	if (!(*files = strdup(list)))
		return pk_nomem(err);
	most = o->source == PK_CHES_NPY ? 4 : 1;
	for (p = strtok_r(*files, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (n == most)
			return pk_error_set(err, PK_ERR_USAGE, "too many files in '%s'", spec);
		o->files[n++] = p;
	}
	if (o->source == PK_CHES_NPY && n != 2 && n != 4)
		return pk_error_set(err, PK_ERR_USAGE, "npy= takes CHOSEN.npy,REJECTED.npy and optionally LENCHOSEN.npy,LENREJECTED.npy, not '%s'",
				    list);
	if (n == 0)
		return pk_error_set(err, PK_ERR_USAGE, "safetensors= needs a file");
	return PK_OK;
}

int pk_ches_parse_metric(const char *name, enum pk_ches_metric *m)
{
	if (strcmp(name, "ln-ches") == 0)
		*m = PK_CHES_LN;
	else if (strcmp(name, "ches") == 0)
		*m = PK_CHES_CHES;
	else if (strcmp(name, "edit") == 0)
		*m = PK_CHES_EDIT;
	else
		return PK_FATAL;
	return PK_OK;
}

/* ------------------------------------------------------------------ */
/* The arithmetic                                                       */
/* ------------------------------------------------------------------ */

/* One distinct token: its hash and how often it is in a and in b. */
struct tok_count {
	uint64_t key;
	uint32_t ca, cb;
};

static size_t pow2_at_least(size_t n)
{
	size_t p = 16;

	while (p < n)
		p <<= 1;
	return p;
}

/* Count the tokens of a and b in an open-addressing table (the hashes
 * are XXH3 values already: their low bits index it). */
static struct tok_count *count_tokens(const uint64_t *a, size_t na,
				      const uint64_t *b, size_t nb,
				      struct pk_buf *table, size_t *capp)
{
	size_t cap = pow2_at_least(2 * (na + nb) + 1), mask = cap - 1, i;
	struct tok_count *t;

	table->len = 0;
	if (pk_buf_reserve(table, cap * sizeof(*t)) < 0)
		return NULL;
	t = (struct tok_count *)table->data;
	memset(t, 0, cap * sizeof(*t));
	for (i = 0; i < na + nb; i++) {
		uint64_t k = i < na ? a[i] : b[i - na];
		size_t j = (size_t)k & mask;

		while ((t[j].ca | t[j].cb) && t[j].key != k)
			j = (j + 1) & mask;
		t[j].key = k;
		if (i < na)
			t[j].ca++;
		else
			t[j].cb++;
	}
	*capp = cap;
	return t;
}

static unsigned __int128 gcd128(unsigned __int128 a, unsigned __int128 b)
{
	while (b) {
		unsigned __int128 r = a % b;

		a = b;
		b = r;
	}
	return a;
}

#define TWO53 ((unsigned __int128)1 << 53)

/* num / den (den > 0) rounded to a double: correctly rounded when both
 * fit in 53 bits after reducing the fraction. */
static double divide128(__int128 num, unsigned __int128 den)
{
	int neg = num < 0;
	unsigned __int128 n = neg ? (unsigned __int128)-num
				  : (unsigned __int128)num;
	unsigned __int128 g = gcd128(n, den);
	double q;

	if (g > 1) {
		n /= g;
		den /= g;
	}
	if (n < TWO53 && den < TWO53)
		q = (double)(uint64_t)n / (double)(uint64_t)den;
	else
		q = (double)((long double)n / (long double)den);
	return neg ? -q : q;
}

int pk_ches_sparse(const uint64_t *a, size_t na, const uint64_t *b,
		   size_t nb, struct pk_buf *table, struct pk_ches_scores *s)
{
	size_t cap, i;
	struct tok_count *t = count_tokens(a, na, b, nb, table, &cap);
	uint64_t dot = 0, sq = 0;

	if (!t)
		return PK_FATAL;
	for (i = 0; i < cap; i++) {
		dot += (uint64_t)t[i].ca * t[i].cb;
		sq += (uint64_t)t[i].ca * t[i].ca;
	}
	s->have |= PK_CHES_HAVE_CHES;
	s->ches_exact = 1;
	s->ches_int = (long long)dot - (long long)sq;
	s->ches = (double)s->ches_int;
	if (na && nb) {
		/* (L+ <S+,S-> - L- |S+|^2) / (L+^2 L-) */
		__int128 num = (__int128)na * dot - (__int128)nb * sq;
		unsigned __int128 den = (unsigned __int128)na * na * nb;

		s->ln_ches = divide128(num, den);
		s->have |= PK_CHES_HAVE_LN;
	}
	return PK_OK;
}

double pk_edit_similarity(const uint64_t *a, size_t na, const uint64_t *b,
			  size_t nb, struct pk_buf *scratch)
{
	uint32_t *row;
	size_t i, j, longer = na > nb ? na : nb;

	if (longer == 0)
		return 0;
	if (na < nb) { /* the row runs along the shorter sequence */
		const uint64_t *t = a;
		size_t tn = na;

		a = b;
		na = nb;
		b = t;
		nb = tn;
	}
	scratch->len = 0;
	if (pk_buf_reserve(scratch, (nb + 1) * sizeof(*row)) < 0)
		return NAN;
	row = (uint32_t *)scratch->data;
	for (j = 0; j <= nb; j++)
		row[j] = (uint32_t)j;
	for (i = 1; i <= na; i++) {
		uint32_t diag = row[0], up;

		row[0] = (uint32_t)i;
		for (j = 1; j <= nb; j++) {
			uint32_t best = diag + (a[i - 1] != b[j - 1]);

			up = row[j];
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return -(double)row[nb] / (double)longer;
}

int pk_ches_metric_value(const struct pk_ches_scores *s,
			 enum pk_ches_metric m, double *x)
{
	switch (m) {
	case PK_CHES_CHES:
		*x = s->ches;
		return !!(s->have & PK_CHES_HAVE_CHES);
	case PK_CHES_LN:
		*x = s->ln_ches;
		return !!(s->have & PK_CHES_HAVE_LN);
	case PK_CHES_EDIT:
		*x = s->edit_sim;
		return !!(s->have & PK_CHES_HAVE_EDIT);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Setting up                                                           */
/* ------------------------------------------------------------------ */

static int open_side_files(struct pk_ches *c, struct pk_error *err)
{
	static const char *const st_names[4] = {"chosen", "rejected",
						"len_chosen", "len_rejected"};
	int i, n = c->o.source == PK_CHES_NPY ? 4 : 1;

	if (!c->o.files[0] || (c->o.source == PK_CHES_NPY && !c->o.files[1]))
		return pk_error_set(err, PK_ERR_USAGE, "%s needs %s",
				    source_name[c->o.source],
				    c->o.source == PK_CHES_NPY
					    ? "CHOSEN.npy,REJECTED.npy"
					    : "a file");
	if (c->o.source == PK_CHES_NPY && !c->o.files[2] != !c->o.files[3])
		return pk_error_set(err, PK_ERR_USAGE,
				    "npy: give both length arrays or neither");
	for (i = 0; i < n; i++) {
		if (!c->o.files[i])
			continue;
		c->tf[i] = c->o.source == PK_CHES_NPY
				   ? pk_tensor_open_npy(c->o.files[i], err)
				   : pk_tensor_open_safetensors(c->o.files[i],
								err);
		if (!c->tf[i])
			return PK_FATAL;
	}
	for (i = 0; i < 4; i++) {
		const struct pk_tensor_file *f =
			c->o.source == PK_CHES_NPY ? c->tf[i] : c->tf[0];
		int rc;

		if (!f)
			continue;
		rc = pk_tensor_get(f, c->o.source == PK_CHES_NPY ? NULL
								 : st_names[i],
				   &c->t[i], err);
		if (rc == PK_EOF && i >= 2)
			continue;
		if (rc == PK_EOF)
			return pk_error_set(err, PK_ERR_USAGE,
					    "%s: no tensor '%s'",
					    pk_tensor_path(f), st_names[i]);
		if (rc < 0)
			return rc;
		if (i >= 2)
			c->has_len_tensors |= 1 << (i - 2);
	}
	if (c->has_len_tensors == 1 || c->has_len_tensors == 2)
		return pk_error_set(err, PK_ERR_USAGE,
				    "%s: tensor '%s' without '%s'",
				    c->o.files[0],
				    st_names[c->has_len_tensors == 1 ? 2 : 3],
				    st_names[c->has_len_tensors == 1 ? 3 : 2]);
	for (i = 0; i < 2; i++)
		if (c->t[i].ndim != 2 || c->t[i].dtype == PK_DT_I32 ||
		    c->t[i].dtype == PK_DT_I64)
			return pk_error_set(err, PK_ERR_USAGE,
					    "%s: the %s embeddings must be a 2-D array of floats (N, D), not %s %dD",
					    c->o.source == PK_CHES_NPY
						    ? c->o.files[i]
						    : c->o.files[0],
					    st_names[i],
					    pk_dtype_name(c->t[i].dtype),
					    c->t[i].ndim);
	if (c->t[0].rows != c->t[1].rows || c->t[0].cols != c->t[1].cols)
		return pk_error_set(err, PK_ERR_USAGE,
				    "shape mismatch: chosen is (%zu, %zu), rejected (%zu, %zu)",
				    c->t[0].rows, c->t[0].cols, c->t[1].rows,
				    c->t[1].cols);
	for (i = 2; i < 4; i++)
		if (c->has_len_tensors &&
		    (c->t[i].ndim != 1 || c->t[i].rows != c->t[0].rows))
			return pk_error_set(err, PK_ERR_USAGE,
					    "shape mismatch: %s must be (%zu,), not %s(%zu%s)",
					    st_names[i], c->t[0].rows,
					    c->t[i].ndim == 1 ? "" : "2-D ",
					    c->t[i].rows,
					    c->t[i].ndim == 1 ? "," : ", ...");
	if (pk_buf_reserve(&c->va, c->t[0].cols * sizeof(double)) < 0 ||
	    pk_buf_reserve(&c->vb, c->t[0].cols * sizeof(double)) < 0)
		return pk_nomem(err);
	return PK_OK;
}

struct pk_ches *pk_ches_new(const struct pk_ches_opts *o,
			    struct pk_error *err)
{
	struct pk_ches *c = calloc(1, sizeof(*c));

	if (!c) {
		pk_nomem(err);
		return NULL;
	}
	c->o = *o;
	if (!c->o.chosen_field)
		c->o.chosen_field = "chosen";
	if (!c->o.rejected_field)
		c->o.rejected_field = "rejected";
	pk_field_init(&c->chosen, c->o.chosen_field);
	pk_field_init(&c->rejected, c->o.rejected_field);
	if (o->mean && o->source != PK_CHES_INLINE) {
		pk_error_set(err, PK_ERR_USAGE,
			     "--mean goes with inline embeddings only");
		goto fail;
	}
	c->obj = pk_obj_new();
	if (!c->obj) {
		pk_nomem(err);
		goto fail;
	}
	if (o->source == PK_CHES_LEXICAL || o->metric == PK_CHES_EDIT) {
		c->re = pk_regex_new(o->token_regex ? o->token_regex
						    : PK_TOKEN_REGEX_DEFAULT,
				     err);
		if (!c->re)
			goto fail;
	}
	if ((o->source == PK_CHES_NPY || o->source == PK_CHES_SAFETENSORS) &&
	    open_side_files(c, err) < 0)
		goto fail;
	return c;
fail:
	pk_ches_free(c);
	return NULL;
}

void pk_ches_free(struct pk_ches *c)
{
	int i;

	if (!c)
		return;
	pk_regex_free(c->re);
	pk_buf_free(&c->text);
	pk_buf_free(&c->ha);
	pk_buf_free(&c->hb);
	pk_buf_free(&c->table);
	pk_buf_free(&c->va);
	pk_buf_free(&c->vb);
	pk_obj_free(c->obj);
	pk_buf_free(&c->annotated);
	for (i = 0; i < 4; i++)
		pk_tensor_close(c->tf[i]);
	free(c);
}

/* ------------------------------------------------------------------ */
/* One record                                                           */
/* ------------------------------------------------------------------ */

/* The tokens of the response at field f into hashes; returns the count
 * or a negative status. */
static long response_tokens(struct pk_ches *c, const struct pk_record *rec,
			    struct pk_field *f, struct pk_buf *hashes,
			    struct pk_error *err)
{
	struct pk_value v;
	const char *s;
	size_t n;
	long rc;

	if (!pk_record_field(rec, f, &v))
		return pk_error_set(err, PK_ERR_DATA, "missing field '%s'",
				    f->path);
	s = rec->text + v.off;
	n = v.len;
	if (v.type == PK_T_STRING && !memchr(s, '\\', n)) {
		s++; /* no escapes: tokenize the literal in place */
		n -= 2;
	} else {
		pk_buf_reset(&c->text);
		rc = pk_response_text(s, n, &c->text, err);
		if (rc < 0) {
			if (err && err->kind == PK_ERR_DATA) {
				char msg[sizeof(err->text)];

				memcpy(msg, err->text, sizeof(msg));
				pk_error_set(err, PK_ERR_DATA, "field '%s': %.200s",
					     f->path, msg);
			}
			return rc;
		}
		s = c->text.data ? c->text.data : "";
		n = c->text.len;
	}
	hashes->len = 0;
	return pk_tokenize(c->re, s, n, NULL, hashes, err);
}

/* Is v[0..n) a message list whose assistant contents are all strings?
 * pk_response_text accepts it then, whatever the strings hold (they are
 * validated JSON): what it would do is decode them, which the dense
 * sources do not need. */
static int assistant_strings(const char *v, size_t n)
{
	struct pk_iter it;
	struct pk_member role, content;
	size_t off, len, count = 0;
	int rc;

	/* pk_is_message_list's walk, the assistant contents looked at in
	 * the same pass */
	if (pk_type_of(v, n) != PK_T_ARRAY)
		return 0;
	pk_iter_init(&it, v, n);
	while ((rc = pk_next_message(&it, &off, &len, &role, &content)) > 0) {
		count++;
		if (content.type != PK_T_STRING &&
		    pk_key_equals(v + off + role.val_off, role.val_len,
				  "assistant"))
			return 0;
	}
	return rc == 0 && count > 0;
}

/* A response that must be text (a string, or a message list; checked,
 * not tokenized, for the dense sources): PK_OK or a bad record naming the
 * field. */
static int response_checked(struct pk_ches *c, const struct pk_record *rec,
			    struct pk_field *f, struct pk_error *err)
{
	struct pk_value v;
	int rc;

	if (!pk_record_field(rec, f, &v) || v.type == PK_T_STRING)
		return PK_OK;
	if (assistant_strings(rec->text + v.off, v.len))
		return PK_OK;
	pk_buf_reset(&c->text);
	rc = pk_response_text(rec->text + v.off, v.len, &c->text, err);
	if (rc < 0 && err && err->kind == PK_ERR_DATA) {
		char msg[sizeof(err->text)];

		memcpy(msg, err->text, sizeof(msg));
		pk_error_set(err, PK_ERR_DATA, "field '%s': %.200s", f->path, msg);
	}
	return rc < 0 ? rc : PK_OK;
}

/* A whole number >= 0 from a record field: 1 with *x, 0 when absent, or
 * PK_BAD_RECORD. */
static int record_count(const struct pk_record *rec, const char *name,
			double *x, struct pk_error *err)
{
	struct pk_value v;

	if (!pk_record_path(rec, name, &v))
		return 0;
	if (v.type != PK_T_NUMBER ||
	    pk_parse_number(rec->text + v.off, v.len, x) < 0 || *x < 0 ||
	    *x != floor(*x) || *x > 9007199254740992.0)
		return pk_error_set(err, PK_ERR_DATA,
				    "field '%s' is not a whole number >= 0",
				    name);
	return 1;
}

/* The array of numbers at name into buf (doubles); the count or a
 * negative status. */
static long record_vector(const struct pk_record *rec, const char *name,
			  struct pk_buf *buf, struct pk_error *err)
{
	struct pk_value v;
	struct pk_iter it;
	size_t off, len;
	enum pk_type t;
	long k = 0;

	if (!pk_record_path(rec, name, &v))
		return pk_error_set(err, PK_ERR_DATA, "missing field '%s'",
				    name);
	if (v.type != PK_T_ARRAY)
		return pk_error_set(err, PK_ERR_DATA,
				    "field '%s' is not an array of numbers (%s)",
				    name, pk_type_name(v.type));
	buf->len = 0;
	k = pk_number_array(rec->text + v.off, v.len, buf);
	if (k >= 0)
		return k;
	if (k == PK_FATAL)
		return pk_nomem(err);
	/* walk it again, element by element, to say what is wrong */
	k = 0;
	buf->len = 0;
	pk_iter_init(&it, rec->text + v.off, v.len);
	while (pk_iter_element(&it, &off, &len, &t)) {
		double x;

		if (t != PK_T_NUMBER)
			return pk_error_set(err, PK_ERR_DATA,
					    "%s[%ld] is not a number (%s)",
					    name, k, pk_type_name(t));
		if (pk_parse_number(rec->text + v.off + off, len, &x) < 0)
			return pk_error_set(err, PK_ERR_DATA,
					    "%s[%ld] is out of range", name, k);
		if (pk_buf_append(buf, &x, sizeof(x)) < 0)
			return pk_nomem(err);
		k++;
	}
	return k;
}

static int inline_scores(struct pk_ches *c, const struct pk_record *rec,
			 struct pk_ches_scores *s, struct pk_error *err)
{
	long da = record_vector(rec, "emb_chosen", &c->va, err), db;
	double la = 0, lb = 0;
	int ra, rb;

	if (da < 0)
		return (int)da;
	db = record_vector(rec, "emb_rejected", &c->vb, err);
	if (db < 0)
		return (int)db;
	if (da != db)
		return pk_error_set(err, PK_ERR_DATA,
				    "emb_chosen has %ld numbers, emb_rejected %ld",
				    da, db);
	ra = record_count(rec, "len_chosen", &la, err);
	if (ra < 0)
		return ra;
	rb = record_count(rec, "len_rejected", &lb, err);
	if (rb < 0)
		return rb;
	if (ra + rb == 1)
		return pk_error_set(err, PK_ERR_DATA, "missing field '%s'",
				    ra ? "len_rejected" : "len_chosen");
	pk_ches_dense((const double *)c->va.data, (const double *)c->vb.data,
		      (size_t)da, la, lb, c->o.mean, s);
	return PK_OK;
}

static int side_scores(struct pk_ches *c, const struct pk_record *rec,
		       unsigned long long index, struct pk_ches_scores *s,
		       struct pk_error *err)
{
	double la = 0, lb = 0, x;
	int ra, rb;
	size_t rows = c->t[0].rows;

	ra = record_count(rec, "emb_index", &x, err);
	if (ra < 0)
		return ra;
	if (ra) {
		if (x >= (double)rows)
			return pk_error_set(err, PK_ERR_DATA,
					    "emb_index %.0f is beyond the %zu rows of the embeddings",
					    x, rows);
		index = (unsigned long long)x;
		c->any_index = 1;
	} else {
		if (index >= rows)
			return pk_error_set(err, PK_ERR_USAGE,
					    "more records than the %zu rows of the embeddings (record %llu has no emb_index)",
					    rows, index + 1);
		c->rows_used_by_position++;
	}
	if (c->has_len_tensors) {
		long long a, b;

		if (pk_tensor_int(&c->t[2], index, &a) < 0 ||
		    pk_tensor_int(&c->t[3], index, &b) < 0 || a < 0 || b < 0)
			return pk_error_set(err, PK_ERR_DATA,
					    "row %llu: the lengths are not whole numbers >= 0",
					    index);
		la = (double)a;
		lb = (double)b;
	} else {
		ra = record_count(rec, "len_chosen", &la, err);
		if (ra < 0)
			return ra;
		rb = record_count(rec, "len_rejected", &lb, err);
		if (rb < 0)
			return rb;
		if (!ra || !rb) {
			if (c->o.metric == PK_CHES_LN)
				return pk_error_set(err, PK_ERR_USAGE,
						    "--metric ln-ches needs the response lengths: give the length arrays, or len_chosen and len_rejected in every record (or use --metric ches)");
			la = lb = 0;
		}
	}
	if (c->t[0].dtype == PK_DT_F32 && c->t[1].dtype == PK_DT_F32) {
		size_t row = (size_t)index * c->t[0].cols * 4;

		pk_ches_dense_f32(c->t[0].data + row, c->t[1].data + row,
				  c->t[0].cols, la, lb, s);
		return PK_OK;
	}
	pk_tensor_row(&c->t[0], index, (double *)c->va.data);
	pk_tensor_row(&c->t[1], index, (double *)c->vb.data);
	pk_ches_dense((const double *)c->va.data, (const double *)c->vb.data,
		      c->t[0].cols, la, lb, 0, s);
	return PK_OK;
}

int pk_ches_record(struct pk_ches *c, const struct pk_record *rec,
		   unsigned long long index, struct pk_ches_scores *s,
		   struct pk_error *err)
{
	long na = 0, nb = 0;
	int rc = PK_OK;
	double x;

	memset(s, 0, sizeof(*s));
	if (c->re) {
		na = response_tokens(c, rec, &c->chosen, &c->ha, err);
		if (na < 0)
			return (int)na;
		nb = response_tokens(c, rec, &c->rejected, &c->hb, err);
		if (nb < 0)
			return (int)nb;
	} else {
		struct pk_value v;

		if (!pk_record_field(rec, &c->chosen, &v) ||
		    !pk_record_field(rec, &c->rejected, &v))
			return pk_error_set(
				err, PK_ERR_DATA, "missing field '%s'",
				pk_record_field(rec, &c->chosen, &v)
					? c->o.rejected_field
					: c->o.chosen_field);
		/* dense sources need no tokens, but a response is still a
		 * string or a message list (pref-ches(1)) */
		rc = response_checked(c, rec, &c->chosen, err);
		if (rc == PK_OK)
			rc = response_checked(c, rec, &c->rejected, err);
		if (rc < 0)
			return rc;
	}
	switch (c->o.source) {
	case PK_CHES_LEXICAL:
		if (pk_ches_sparse((const uint64_t *)c->ha.data, (size_t)na,
				   (const uint64_t *)c->hb.data, (size_t)nb,
				   &c->table, s) < 0)
			return pk_nomem(err);
		break;
	case PK_CHES_INLINE:
		rc = inline_scores(c, rec, s, err);
		break;
	case PK_CHES_NPY:
	case PK_CHES_SAFETENSORS:
		rc = side_scores(c, rec, index, s, err);
		break;
	}
	if (rc < 0)
		return rc;
	if (c->o.metric == PK_CHES_EDIT) {
		s->edit_sim = pk_edit_similarity(
			(const uint64_t *)c->ha.data, (size_t)na,
			(const uint64_t *)c->hb.data, (size_t)nb, &c->table);
		if (isnan(s->edit_sim))
			return pk_nomem(err);
		s->have |= PK_CHES_HAVE_EDIT;
	}
	if (((s->have & PK_CHES_HAVE_CHES) && !isfinite(s->ches)) ||
	    ((s->have & PK_CHES_HAVE_LN) && !isfinite(s->ln_ches)))
		return pk_error_set(err, PK_ERR_DATA,
				    "the embeddings give a score that is not finite");
	if (!pk_ches_metric_value(s, c->o.metric, &x)) {
		if (c->o.metric == PK_CHES_LN && c->o.source == PK_CHES_LEXICAL)
			return pk_error_set(err, PK_ERR_DATA,
					    "the %s response has no tokens (ln-ches divides by its length)",
					    na ? "rejected" : "chosen");
		if (c->o.metric == PK_CHES_LN)
			return pk_error_set(err, PK_ERR_DATA,
					    "a length is 0 or missing (ln-ches divides by the lengths)");
		return pk_error_set(err, PK_ERR_DATA,
				    "missing field 'len_chosen' or 'len_rejected' (needed for ches with --mean)");
	}
	return PK_OK;
}

int pk_ches_finish(struct pk_ches *c, unsigned long long nrecords,
		   struct pk_error *err)
{
	(void)nrecords;
	if ((c->o.source == PK_CHES_NPY || c->o.source == PK_CHES_SAFETENSORS) &&
	    !c->any_index && c->rows_used_by_position < c->t[0].rows)
		return pk_error_set(err, PK_ERR_USAGE,
				    "row count mismatch: the embeddings have %zu rows, the input %llu records",
				    c->t[0].rows, c->rows_used_by_position);
	return PK_OK;
}

void pk_ches_merge(struct pk_ches *c, const struct pk_ches *other)
{
	c->rows_used_by_position += other->rows_used_by_position;
	c->any_index |= other->any_index;
}

static int emit_annotated(struct pk_ches *c, const struct pk_record *rec,
			  const struct pk_ches_scores *s,
			  const struct pk_sink *out, struct pk_error *err);

int pk_ches_annotate(struct pk_ches *c, const struct pk_record *rec,
		     unsigned long long index, const double *max,
		     const struct pk_sink *out, struct pk_error *err)
{
	struct pk_ches_scores s;
	double x = 0;
	int rc = pk_ches_record(c, rec, index, &s, err);

	if (rc != PK_OK)
		return rc;
	if (max) {
		pk_ches_metric_value(&s, c->o.metric, &x);
		if (!(x <= *max)) {
			c->dropped++;
			return PK_OK;
		}
	}
	return emit_annotated(c, rec, &s, out, err);
}

unsigned long long pk_ches_dropped(const struct pk_ches *c)
{
	return c->dropped;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */

static const char *const member_name[4] = {"ches", "ln_ches", "edit_sim",
					   "ches_source"};

/* Room for the annotation members after a record: 4 of at most
 * ,"edit_sim":-1.7976931348623157e+308 */
#define ANNOTATION_MAX 256

/* The raw value of annotation member k into buf (NUL-terminated);
 * returns its length, or 0 when s has no such score. */
static int member_value(const struct pk_ches *c,
			const struct pk_ches_scores *s, int k,
			char buf[PK_NUMBER_MAX + 16])
{
	switch (k) {
	case 0:
		if (!(s->have & PK_CHES_HAVE_CHES))
			return 0;
		if (s->ches_exact)
			return pk_format_integer(buf, s->ches_int);
		return pk_format_number(buf, s->ches);
	case 1:
		if (!(s->have & PK_CHES_HAVE_LN))
			return 0;
		return pk_format_number(buf, s->ln_ches);
	case 2:
		if (!(s->have & PK_CHES_HAVE_EDIT))
			return 0;
		/* -0 (identical) is written 0 */
		return pk_format_number(buf, s->edit_sim == 0 ? 0 : s->edit_sim);
	default: {
		size_t n = strlen(source_name[c->o.source]);

		buf[0] = '"';
		memcpy(buf + 1, source_name[c->o.source], n);
		buf[n + 1] = '"';
		buf[n + 2] = '\0';
		return (int)n + 2;
	}
	}
}

/* The annotation's members: their values and lengths, and whether the
 * record has one of their names already (1), or a negative status. */
static int annotation(const struct pk_ches *c, const struct pk_record *rec,
		      const struct pk_ches_scores *s,
		      char val[4][PK_NUMBER_MAX + 16], int len[4],
		      struct pk_error *err)
{
	struct pk_value v;
	int k, present = 0;

	for (k = 0; k < 4; k++) {
		len[k] = member_value(c, s, k, val[k]);
		if (len[k] < 0)
			return pk_error_set(err, PK_ERR_DATA,
					    "a score is not finite");
		if (pk_record_get(rec, member_name[k], &v))
			present = 1;
	}
	return present;
}

/* The record compacted into d (room for rec->len + ANNOTATION_MAX), its
 * '}' moved after the new members: the length written. */
static size_t write_appended(const struct pk_record *rec,
			     char val[4][PK_NUMBER_MAX + 16], const int len[4],
			     char *d)
{
	size_t at = pk_record_compact_to(rec, d) - 1, nl;
	int k;

	for (k = 0; k < 4; k++) {
		if (!len[k])
			continue;
		if (at > 1)
			d[at++] = ',';
		d[at++] = '"';
		nl = strlen(member_name[k]);
		memcpy(d + at, member_name[k], nl);
		at += nl;
		d[at++] = '"';
		d[at++] = ':';
		memcpy(d + at, val[k], (size_t)len[k]);
		at += (size_t)len[k];
	}
	d[at++] = '}';
	return at;
}

/* The record with the members replaced in place (pk_obj) */
static int write_replaced(struct pk_ches *c, const struct pk_record *rec,
			  char val[4][PK_NUMBER_MAX + 16], const int len[4],
			  struct pk_buf *out, struct pk_error *err)
{
	int k;

	if (pk_obj_load_record(c->obj, rec) < 0)
		return pk_nomem(err);
	for (k = 0; k < 4; k++) {
		if (!len[k])
			continue; /* a member of that name stays as it is */
		if (pk_obj_set_raw(c->obj, member_name[k], val[k],
				   (size_t)len[k]) < 0)
			return pk_nomem(err);
	}
	return pk_obj_write(c->obj, out) < 0 ? pk_nomem(err) : PK_OK;
}

int pk_ches_write(struct pk_ches *c, const struct pk_record *rec,
		  const struct pk_ches_scores *s, struct pk_buf *out,
		  struct pk_error *err)
{
	char val[4][PK_NUMBER_MAX + 16];
	int len[4], present = annotation(c, rec, s, val, len, err);

	if (present < 0)
		return present;
	if (!present) {
		if (pk_buf_reserve(out, rec->len + ANNOTATION_MAX) < 0)
			return pk_nomem(err);
		out->len += write_appended(rec, val, len, out->data + out->len);
		out->data[out->len] = '\0';
		return PK_OK;
	}
	return write_replaced(c, rec, val, len, out, err);
}

/* pk_ches_write straight into the sink's room when it has one */
static int emit_annotated(struct pk_ches *c, const struct pk_record *rec,
			  const struct pk_ches_scores *s,
			  const struct pk_sink *out, struct pk_error *err)
{
	char val[4][PK_NUMBER_MAX + 16], *d;
	int len[4], rc, present = annotation(c, rec, s, val, len, err);

	if (present < 0)
		return present;
	if (!present && out->room) {
		if (!(d = out->room(out->ctx, rec->len + ANNOTATION_MAX)))
			return pk_nomem(err);
		return out->commit(out->ctx, d, write_appended(rec, val, len, d));
	}
	pk_buf_reset(&c->annotated);
	if (!present) {
		if (pk_buf_reserve(&c->annotated, rec->len + ANNOTATION_MAX) < 0)
			return pk_nomem(err);
		c->annotated.len = write_appended(rec, val, len,
						  c->annotated.data);
		c->annotated.data[c->annotated.len] = '\0';
	} else if ((rc = write_replaced(c, rec, val, len, &c->annotated,
					err)) < 0) {
		return rc;
	}
	return out->emit(out->ctx, c->annotated.data, c->annotated.len);
}
