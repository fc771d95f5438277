/* SPDX-License-Identifier: MIT */
/*
 * fuzz_obj.c - libFuzzer target for object editing (lib/obj.c): loading
 * (plain and compacted), the paired-field swap of SPEC 1.2, set / delete /
 * rename / move of members at dotted paths, checkpoint and rollback,
 * and writing.
 *
 * Input: the first line is the record; each byte after it is an edit,
 * its argument bytes following it.  After every edit the object written
 * must be a compact object prefkit accepts, and:
 *  - the swap is an involution: swapping twice gives the same value, and
 *    the same bytes once renamed keys are written decoded (a key renamed
 *    by the swap is written anew: "chosen_\u00e9" comes back "chosen_é");
 *  - a value set at a path is read back from that path, compacted;
 *  - a rollback writes what was written at the checkpoint;
 *  - an object loaded compacted writes the compaction of what an object
 *    loaded plainly writes.
 */
#include "config.h"

#include "fuzz.h"
#include "../tests/oracle.h"

#define T "fuzz_obj"

static const char *const paths[] = {
	"chosen", "rejected", "prompt", "score_chosen", "score_rejected",
	"h_w", "h_l", "x", "meta", "meta.score_chosen", "meta.score_rejected",
	"meta.chosen_model", "meta.deep.rejected", "a.b.c", "chosen_rejected",
	"rejected_w", "_w", "_l", "chosenchosen", "",
};
#define NPATHS (sizeof paths / sizeof paths[0])

static const char *const values[] = {
	"1", "-0.5e3", "\"s\"", "\"\\u00e9\\/\"", "null", "true", "[]", "{}",
	"{\"score_chosen\":1,\"rejected\":[2]}", "[{\"chosen\":1}]",
	"{\"h_w\":{\"h_l\":0}}", "123456789012345678901234567890",
};
#define NVALUES (sizeof values / sizeof values[0])

static void written(const struct pk_obj *o, struct pk_buf *b)
{
	pk_buf_reset(b);
	if (pk_obj_write(o, b) < 0)
		fz_fail(T, "pk_obj_write", NULL, 0);
	fz_check_object(T, b->data ? b->data : "", b->len, NULL);
}

static void same(const struct pk_buf *a, const struct pk_buf *b,
		 const char *why)
{
	if (a->len != b->len || memcmp(a->data, b->data, a->len)) {
		fprintf(stderr, "%s: before: %.*s\n", T, (int)a->len, a->data);
		fz_fail(T, why, b->data, b->len);
	}
}

static void swap_twice(struct pk_obj *o, struct pk_buf *out)
{
	if (pk_obj_swap_paired(o) < 0 || pk_obj_swap_paired(o) < 0)
		fz_fail(T, "pk_obj_swap_paired", NULL, 0);
	written(o, out);
}

/* The same JSON value, as jansson reads both (when it can: it refuses
 * numbers beyond its types). */
static void equal_json(const struct pk_buf *a, const struct pk_buf *b)
{
	json_t *x = json_loadb(a->data, a->len, ORACLE_JFLAGS, NULL),
	       *y = json_loadb(b->data, b->len, ORACLE_JFLAGS, NULL);

	if (x && y && !json_equal(x, y)) {
		fprintf(stderr, "%s: before: %.*s\n", T, (int)a->len, a->data);
		fz_fail(T, "swapping twice changed the value", b->data, b->len);
	}
	json_decref(x);
	json_decref(y);
}

/* The name of member k % count, or a path from the table. */
static const char *pick_name(const struct pk_obj *o, unsigned k,
			     struct pk_buf *hold)
{
	size_t n = pk_obj_count(o);

	if ((k & 1) && n) {
		pk_buf_reset(hold);
		pk_buf_puts(hold, pk_obj_key(o, (k >> 1) % n));
		return hold->data ? hold->data : "";
	}
	return paths[(k >> 1) % NPATHS];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = {data, size};
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_obj *o = pk_obj_new(), *oc = pk_obj_new();
	struct pk_buf a = PK_BUF_INIT, b = PK_BUF_INIT, cp = PK_BUF_INIT,
		      name = PK_BUF_INIT, name2 = PK_BUF_INIT, tmp = PK_BUF_INIT;
	const char *line;
	size_t n;
	int have_cp = 0, steps = 0;

	if (!o || !oc)
		fz_fail(T, "out of memory", NULL, 0);
	if (!fz_line(&f, &line, &n) || pk_scan_record(&rec, line, n, NULL) != PK_OK)
		goto out;
	if (pk_obj_load_record(o, &rec) < 0 ||
	    pk_obj_load_record_compact(oc, &rec) < 0)
		fz_fail(T, "load", line, n);
	written(o, &a);
	written(oc, &b);
	pk_buf_reset(&tmp);
	if (pk_compact(&tmp, a.data, a.len) < 0)
		fz_fail(T, "pk_compact", NULL, 0);
	same(&tmp, &b, "loaded compacted writes other bytes");
	while (f.n && steps++ < 64) {
		unsigned op = fz_byte(&f), k = fz_byte(&f), v = fz_byte(&f);
		const char *p = pick_name(o, k, &name), *val;
		size_t vn;
		enum pk_type vt;
		int rc;

		switch (op % 10) {
		case 0: /* swap twice is the identity */
			written(o, &a);
			swap_twice(o, &b);
			equal_json(&a, &b);
			/* a renamed key is written decoded ("chosen_\u00e9"
			 * comes back as "chosen_é"): from then on, bytes */
			swap_twice(o, &a);
			same(&b, &a, "swapping twice changed the record");
			if (v & 1 && pk_obj_swap_paired(o) < 0)
				fz_fail(T, "pk_obj_swap_paired", NULL, 0);
			break;
		case 1: /* set raw, read back */
			rc = pk_obj_set_raw(o, p, values[v % NVALUES],
					    strlen(values[v % NVALUES]));
			if (rc < 0)
				break; /* e.g. a path through a non-object */
			if (!pk_obj_get(o, p, &val, &vn, &vt) ||
			    vn != strlen(values[v % NVALUES]) ||
			    memcmp(val, values[v % NVALUES], vn))
				fz_fail(T, "a value set is not read back", p,
					strlen(p));
			break;
		case 2:
			pk_buf_reset(&tmp);
			pk_buf_putc(&tmp, 'a' + (char)(v % 26));
			if (pk_obj_set_string(o, p, tmp.data, 1) >= 0 &&
			    (!pk_obj_get(o, p, &val, &vn, &vt) ||
			     vt != PK_T_STRING || vn != 3))
				fz_fail(T, "a string set is not read back", p,
					strlen(p));
			break;
		case 3:
			if (pk_obj_set_number(o, p, (double)(int8_t)v / 4) >= 0 &&
			    (!pk_obj_get(o, p, &val, &vn, &vt) ||
			     vt != PK_T_NUMBER))
				fz_fail(T, "a number set is not read back", p,
					strlen(p));
			break;
		case 4:
			rc = pk_obj_delete(o, p);
			if (rc == 1 && pk_obj_get(o, p, &val, &vn, &vt))
				fz_fail(T, "a deleted member is still there", p,
					strlen(p));
			break;
		case 5: {
			const char *to = pick_name(o, v, &name2);

			if (strchr(p, '.') || strchr(to, '.'))
				break;
			rc = pk_obj_rename(o, p, to);
			if (rc == 1 && pk_obj_find(o, to) < 0)
				fz_fail(T, "a renamed member is missing", to,
					strlen(to));
			break;
		}
		case 6:
			if (pk_obj_count(o))
				pk_obj_move_at(o, k % pk_obj_count(o),
					       v % pk_obj_count(o));
			break;
		case 7:
			if (pk_obj_checkpoint(o) < 0)
				fz_fail(T, "pk_obj_checkpoint", NULL, 0);
			written(o, &cp);
			have_cp = 1;
			break;
		case 8:
			if (!have_cp)
				break;
			pk_obj_rollback(o);
			written(o, &a);
			same(&cp, &a, "a rollback writes other bytes");
			have_cp = 0;
			break;
		case 9: {
			/* the write_to / write_with fast paths */
			size_t bound = pk_obj_write_bound(o);
			char *d = malloc(bound + 16);

			if (!d)
				fz_fail(T, "out of memory", NULL, 0);
			written(o, &a);
			n = pk_obj_write_to(o, d);
			if (n != a.len || n > bound || memcmp(d, a.data, n))
				fz_fail(T, "pk_obj_write_to differs", d, n);
			if (pk_obj_find(o, "zz_added") < 0) {
				n = pk_obj_write_with(o, "\"zz_added\":1", 12, d);
				fz_check_object(T, d, n, NULL);
			}
			free(d);
			break;
		}
		}
		written(o, &a);
	}
out:
	pk_obj_free(o);
	pk_obj_free(oc);
	pk_record_free(&rec);
	pk_buf_free(&a);
	pk_buf_free(&b);
	pk_buf_free(&cp);
	pk_buf_free(&name);
	pk_buf_free(&name2);
	pk_buf_free(&tmp);
	return 0;
}
