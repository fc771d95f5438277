/* SPDX-License-Identifier: MIT */
/*
 * sides.c - the two sides of a pair (SPEC 1.2): reading a side's score,
 * and swapping chosen and rejected with every paired field and every pair
 * of fields renamed by options.  Shared by the rewriting operations
 * (relabel, flip).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

/* The score in v (found, or not: found = 0) for field path. */
static int score_value(const struct pk_record *rec, const char *path,
		       int found, const struct pk_value *v, double *x,
		       struct pk_error *err)
{
	if (!found)
		return pk_error_set(err, PK_ERR_DATA, "missing score field '%s'",
				    path);
	if (v->type != PK_T_NUMBER)
		return pk_error_set(err, PK_ERR_DATA,
				    "score field '%s' is not a number (%s)", path,
				    pk_type_name(v->type));
	if (pk_parse_number(rec->text + v->off, v->len, x) < 0)
		return pk_error_set(err, PK_ERR_DATA,
				    "score field '%s': %.*s is out of range", path,
				    v->len > 40 ? 40 : (int)v->len,
				    rec->text + v->off);
	return PK_OK;
}

int pk_record_score(const struct pk_record *rec, const char *path,
		    double *x, struct pk_value *v, struct pk_error *err)
{
	struct pk_value tmp;

	if (!v)
		v = &tmp;
	return score_value(rec, path, pk_record_path(rec, path, v), v, x, err);
}

int pk_record_score_field(const struct pk_record *rec, struct pk_field *f,
			  double *x, struct pk_value *v, struct pk_error *err)
{
	struct pk_value tmp;

	if (!v)
		v = &tmp;
	return score_value(rec, f->path, pk_record_field(rec, f, v), v, x, err);
}

/* Are the dotted paths a and b each other's paired partners (same parent,
 * last names partners by SPEC 1.2)?  Then pk_obj_swap_paired swaps them. */
static int partners(const char *a, const char *b, struct pk_buf *tmp)
{
	const char *la = strrchr(a, '.'), *lb = strrchr(b, '.');
	size_t pa = la ? (size_t)(la - a) + 1 : 0;
	size_t pb = lb ? (size_t)(lb - b) + 1 : 0;

	if (pa != pb || memcmp(a, b, pa) != 0)
		return 0;
	return pk_paired_partner(a + pa, strlen(a + pa), tmp) > 0 &&
	       strcmp(tmp->data, b + pb) == 0;
}

int pk_sides_are_partners(const char *const *names)
{
	struct pk_buf tmp = PK_BUF_INIT;
	size_t i;
	int all = 1;

	for (i = 0; all && names && names[i] && names[i + 1]; i += 2)
		all = partners(names[i], names[i + 1], &tmp);
	pk_buf_free(&tmp);
	return all;
}

int pk_obj_swap_sides(struct pk_obj *o, const char *const *names)
{
	/* Values of the pairs that need an explicit swap, taken before
	 * pk_obj_swap_paired moves anything: offsets into vals (-1 when
	 * absent); explicit = 0 for pairs that are partners. */
	struct pk_buf vals = PK_BUF_INIT, tmp = PK_BUF_INIT;
	struct saved {
		int explicit;
		long off[2];
		size_t len[2];
	} *saved = NULL;
	size_t npairs = 0, nexplicit = 0, i, k;
	int rc = PK_FATAL;

	while (names && names[2 * npairs] && names[2 * npairs + 1])
		npairs++;
	for (i = 0; i < npairs; i++)
		if (!partners(names[2 * i], names[2 * i + 1], &tmp)) {
			if (!saved && !(saved = calloc(npairs, sizeof *saved)))
				goto out;
			saved[i].explicit = 1;
			nexplicit++;
		}
	for (i = 0; i < npairs && nexplicit; i++) {
		for (k = 0; saved[i].explicit && k < 2; k++) {
			const char *v;
			size_t len;

			saved[i].off[k] = -1;
			if (!pk_obj_get(o, names[2 * i + k], &v, &len, NULL))
				continue;
			saved[i].off[k] = (long)vals.len;
			saved[i].len[k] = len;
			if (pk_buf_append(&vals, v, len) < 0)
				goto out;
		}
	}
	if (pk_obj_swap_paired(o) < 0)
		goto out;
	for (i = 0; i < npairs && nexplicit; i++) {
		for (k = 0; saved[i].explicit && k < 2; k++) {
			const char *dst = names[2 * i + k];
			long off = saved[i].off[1 - k];

			if (off >= 0) {
				if (pk_obj_set_raw(o, dst, vals.data + off,
						   saved[i].len[1 - k]) < 0)
					goto out;
			} else if (pk_obj_delete(o, dst) < 0) {
				goto out;
			}
		}
	}
	rc = PK_OK;
out:
	free(saved);
	pk_buf_free(&vals);
	pk_buf_free(&tmp);
	return rc;
}
