/* SPDX-License-Identifier: MIT */
/*
 * flip.c - factuality-aware flipping (SPEC 3.5; F-DPO), the operation of
 * pref-flip: decide each pair from its hallucination labels (or its
 * scores), swap chosen and rejected with every paired field when the
 * chosen response is the hallucinated one, and set "flipped", "delta_h"
 * and "margin".  Only the members that change are rebuilt.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

struct pk_flip {
	struct pk_flip_opts o;
	char *label[2];               /* owned copies of the label paths */
	const char *swap[7];          /* explicit side pairs, NULL-ended */
	const char *const *sides;     /* swap, or NULL when all are partners */
	struct pk_obj *obj;
	struct pk_buf scratch;
	struct pk_flip_counts n;
};

void pk_flip_opts_init(struct pk_flip_opts *o)
{
	memset(o, 0, sizeof *o);
}

static const char *or_default(const char *s, const char *def)
{
	return s ? s : def;
}

struct pk_flip *pk_flip_new(const struct pk_flip_opts *o, struct pk_error *err)
{
	struct pk_flip *f = calloc(1, sizeof *f);

	if (!f) {
		pk_nomem(err);
		return NULL;
	}
	f->o = *o;
	f->o.chosen_field = or_default(o->chosen_field, "chosen");
	f->o.rejected_field = or_default(o->rejected_field, "rejected");
	f->o.score_chosen_field = or_default(o->score_chosen_field, "score_chosen");
	f->o.score_rejected_field =
		or_default(o->score_rejected_field, "score_rejected");
	f->label[0] = strdup(or_default(o->label_fields[0], "h_w"));
	f->label[1] = strdup(or_default(o->label_fields[1], "h_l"));
	f->obj = pk_obj_new();
	if (!f->label[0] || !f->label[1] || !f->obj) {
		pk_flip_free(f);
		pk_nomem(err);
		return NULL;
	}
	if (o->by == PK_FLIP_BY_LABELS && strcmp(f->label[0], f->label[1]) == 0) {
		pk_error_set(err, PK_ERR_USAGE,
			     "the two label fields are the same ('%s')", f->label[0]);
		pk_flip_free(f);
		return NULL;
	}
	f->o.label_fields[0] = f->label[0];
	f->o.label_fields[1] = f->label[1];
	f->swap[0] = f->o.chosen_field;
	f->swap[1] = f->o.rejected_field;
	f->swap[2] = f->o.score_chosen_field;
	f->swap[3] = f->o.score_rejected_field;
	if (o->by == PK_FLIP_BY_LABELS) {
		f->swap[4] = f->label[0];
		f->swap[5] = f->label[1];
	}
	/* pairs that are partners need no explicit swap */
	f->sides = pk_sides_are_partners(f->swap) ? NULL : f->swap;
	return f;
}

void pk_flip_free(struct pk_flip *f)
{
	if (!f)
		return;
	free(f->label[0]);
	free(f->label[1]);
	pk_obj_free(f->obj);
	pk_buf_free(&f->scratch);
	free(f);
}

/* Read the 0/1 label at path as "hallucinated" (1) or not. */
static int read_label(const struct pk_flip *f, const struct pk_record *rec,
		      const char *path, int *h, struct pk_error *err)
{
	struct pk_value v;
	double x;

	if (!pk_record_path(rec, path, &v))
		return pk_error_set(err, PK_ERR_DATA, "missing label field '%s'",
				    path);
	switch (v.type) {
	case PK_T_TRUE:
		*h = 1;
		break;
	case PK_T_FALSE:
		*h = 0;
		break;
	case PK_T_NUMBER:
		if (pk_parse_number(rec->text + v.off, v.len, &x) == PK_OK &&
		    (x == 0 || x == 1)) {
			*h = x == 1;
			break;
		}
		return pk_error_set(err, PK_ERR_DATA,
				    "label field '%s' is %.*s, not 0 or 1", path,
				    v.len > 40 ? 40 : (int)v.len, rec->text + v.off);
	default:
		return pk_error_set(err, PK_ERR_DATA,
				    "label field '%s' is not 0 or 1 (%s)", path,
				    pk_type_name(v.type));
	}
	if (f->o.factual)
		*h = !*h;
	return PK_OK;
}

/* The decision for one record: 1 flip, 0 keep, 2 drop, or a negative
 * status.  *delta gets delta_h after the decision (labels only). */
enum { KEEP = 0, FLIP = 1, DROP = 2 };

static int decide(struct pk_flip *f, const struct pk_record *rec, int *delta,
		  struct pk_error *err)
{
	int hw, hl;

	if (f->o.by == PK_FLIP_BY_SCORE) {
		double sc, sr;

		if (pk_record_score(rec, f->o.score_chosen_field, &sc, NULL, err) < 0 ||
		    pk_record_score(rec, f->o.score_rejected_field, &sr, NULL, err) < 0)
			return PK_BAD_RECORD;
		if (!(sc < sr))
			return KEEP;
		if (f->o.drop_flipped) {
			f->n.dropped_flipped++;
			return DROP;
		}
		return FLIP;
	}
	if (read_label(f, rec, f->label[0], &hw, err) < 0 ||
	    read_label(f, rec, f->label[1], &hl, err) < 0)
		return PK_BAD_RECORD;
	f->n.h[hw][hl]++;
	if (hw && !hl) {
		if (f->o.drop_flipped) {
			f->n.dropped_flipped++;
			return DROP;
		}
		*delta = 1; /* afterwards (h_w, h_l) = (0, 1) */
		return FLIP;
	}
	if (hw && hl && f->o.drop_both) {
		f->n.dropped_both++;
		return DROP;
	}
	*delta = hl - hw;
	return KEEP;
}

int pk_flip_record(struct pk_flip *f, const struct pk_record *rec,
		   const struct pk_sink *out, struct pk_error *err)
{
	int delta = 0, what, rc;
	struct pk_value v;
	struct pk_obj *o = f->obj;

	if (!pk_record_path(rec, f->o.chosen_field, &v))
		return pk_error_set(err, PK_ERR_DATA, "missing field '%s'",
				    f->o.chosen_field);
	if (!pk_record_path(rec, f->o.rejected_field, &v))
		return pk_error_set(err, PK_ERR_DATA, "missing field '%s'",
				    f->o.rejected_field);
	what = decide(f, rec, &delta, err);
	if (what < 0 || what == DROP)
		return what < 0 ? what : PK_OK;
	if (pk_obj_load_record(o, rec) < 0)
		return pk_nomem(err);
	if (what == FLIP) {
		if (pk_obj_swap_sides(o, f->sides) < 0 ||
		    pk_obj_set_bool(o, "flipped", 1) < 0)
			return pk_nomem(err);
	} else if (pk_obj_find(o, "flipped") < 0 &&
		   pk_obj_set_bool(o, "flipped", 0) < 0) {
		return pk_nomem(err);
	}
	if (f->o.by == PK_FLIP_BY_LABELS &&
	    (pk_obj_set_raw(o, "delta_h", delta ? "1" : "0", 1) < 0 ||
	     (f->o.has_lambda &&
	      pk_obj_set_number(o, "margin", delta ? f->o.lambda : 0) < 0)))
		return pk_nomem(err);
	if ((rc = pk_sink_obj(out, o, NULL, 0, &f->scratch)) != PK_OK)
		return rc;
	if (what == FLIP)
		f->n.flipped++;
	else
		f->n.unchanged++;
	return PK_OK;
}

const struct pk_flip_counts *pk_flip_counts(const struct pk_flip *f)
{
	return &f->n;
}

const char *pk_flip_counter(const struct pk_flip *f, size_t i,
			    unsigned long long *value)
{
	static const char *const by_labels[] = {
		"h_00", "h_01", "h_10", "h_11", "flipped", "unchanged",
		"dropped_flipped", "dropped_both_hallucinated", NULL,
	};
	static const char *const by_score[] = {
		"flipped", "unchanged", "dropped_flipped", NULL,
	};
	const struct pk_flip_counts *n = &f->n;
	const unsigned long long v[] = {
		n->h[0][0], n->h[0][1], n->h[1][0], n->h[1][1], n->flipped,
		n->unchanged, n->dropped_flipped, n->dropped_both,
	};

	if (f->o.by == PK_FLIP_BY_SCORE) {
		if (i >= 3)
			return NULL;
		*value = v[4 + i];
		return by_score[i];
	}
	if (i >= 8)
		return NULL;
	*value = v[i];
	return by_labels[i];
}
