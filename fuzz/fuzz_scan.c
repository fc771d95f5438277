/* SPDX-License-Identifier: MIT */
/*
 * fuzz_scan.c - libFuzzer target: the scanner and jansson must agree on
 * every input (SPEC 4), and the walkers must agree with the scanner on
 * every accepted object.  Aborts on any disagreement.  The two documented
 * differences (see tests/unit/test_agree.c) are allowed only when the
 * input really shows them: out-of-range numbers, which the scanner
 * accepts, and a NUL byte right after a number or literal, which jansson
 * 2.14 silently drops.  Every code path of the scanner the CPU has
 * (lib/scan_simd.h: scalar, sse2, avx2, avx512) must give the scalar
 * path's verdict, error and spans on every input, and every UTF-8
 * validator the verdict of an independent one (oracle_paths_differ).
 * Built with -fsanitize=fuzzer, or linked with standalone.c to replay the
 * corpus under `make check`.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "../tests/oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why)
{
	fprintf(stderr, "fuzz_scan: %s\n", why);
	abort();
}

/* pk_record_compact_to, and a pk_obj loaded compacted (then rolled back
 * after an edit), write what pk_compact wrote: want[0..wn). */
static void check_compact_ways(const struct pk_record *rec, const char *want,
			       size_t wn)
{
	struct pk_obj *o = pk_obj_new();
	char *d = malloc(rec->len + 1);
	size_t dn;

	if (!o || !d)
		fail("out of memory");
	dn = pk_record_compact_to(rec, d);
	if (dn != wn || memcmp(d, want, wn))
		fail("pk_record_compact_to differs from pk_compact");
	free(d);
	if (pk_obj_load_record_compact(o, rec) < 0 || pk_obj_checkpoint(o) < 0 ||
	    pk_obj_append_compact(o, "\"\"", 2, "0", 1) < 0)
		fail("pk_obj_load_record_compact");
	pk_obj_rollback(o);
	d = malloc(pk_obj_write_bound(o) + 1);
	if (!d)
		fail("out of memory");
	dn = pk_obj_write_to(o, d);
	if (dn > pk_obj_write_bound(o) || dn != wn || memcmp(d, want, wn))
		fail("a compacted pk_obj writes other bytes");
	free(d);
	pk_obj_free(o);
}

/* pk_iter_element_members walks an array as pk_iter_element does, and
 * finds what pk_object_find finds. */
static void check_elements(const char *a, size_t n)
{
	static const char *const names[] = {"role", "content", ""};
	struct pk_iter it, it2;
	size_t off, len, off2, len2, j;
	enum pk_type t, t2;
	struct pk_member m[3], f;
	unsigned found;

	pk_iter_init(&it, a, n);
	pk_iter_init(&it2, a, n);
	while (pk_iter_element(&it, &off, &len, &t)) {
		if (!pk_iter_element_members(&it2, &off2, &len2, &t2, names, 3, m,
					     &found) ||
		    off2 != off || len2 != len || t2 != t)
			fail("pk_iter_element_members walks elsewhere");
		for (j = 0; j < 3; j++) {
			int has = t == PK_T_OBJECT &&
				  pk_object_find(a + off, len, names[j], &f);

			if (has != !!(found & (1u << j)) ||
			    (has && (m[j].val_off != f.val_off ||
				     m[j].val_len != f.val_len)))
				fail("pk_iter_element_members finds other members");
		}
	}
	if (pk_iter_element_members(&it2, &off2, &len2, &t2, names, 3, m, &found))
		fail("pk_iter_element_members finds an extra element");
}

/* On an accepted object: members, walkers, lookups and compaction. */
static void check_record(const char *p, size_t n, int jok)
{
	struct pk_record rec = PK_RECORD_INIT, rec2 = PK_RECORD_INIT;
	struct pk_buf b = PK_BUF_INIT, key = PK_BUF_INIT;
	struct pk_iter it;
	struct pk_member m;
	json_t *v = NULL, *v2 = NULL;
	void *ji = NULL;
	size_t k;

	if (pk_scan_record(&rec, p, n, NULL) != PK_OK)
		fail("pk_scan_record rejects what pk_scan_value accepts");
	if (jok) {
		v = json_loadb(p, n, ORACLE_JFLAGS, NULL);
		if (!v || !json_is_object(v) ||
		    json_object_size(v) != rec.nmembers)
			fail("member count differs from jansson");
		ji = json_object_iter(v);
	}
	pk_iter_init(&it, p, n);
	for (k = 0; k < rec.nmembers; k++) {
		const struct pk_member *r = &rec.members[k];
		struct pk_member f;

		if (!pk_iter_member(&it, &m) || m.key_off != r->key_off ||
		    m.key_len != r->key_len || m.val_off != r->val_off ||
		    m.val_len != r->val_len || m.type != r->type)
			fail("pk_iter_member differs from the scanner");
		if (r->type != pk_type_of(p + r->val_off, r->val_len))
			fail("pk_type_of differs");
		pk_buf_reset(&key);
		if (pk_json_unquote(&key, p + r->key_off, r->key_len) < 0)
			fail("unquote");
		/* keys have no NUL (the scanner rejects those) */
		if (memchr(key.data, '\0', key.len))
			fail("NUL in an accepted key");
		if (!pk_key_equals(p + r->key_off, r->key_len, key.data))
			fail("pk_key_equals(key, unquote(key)) is false");
		if (!pk_object_find(p, n, key.data, &f) ||
		    f.val_off != r->val_off)
			fail("pk_object_find misses a member");
		if (ji) {
			/* jansson 2.14 keeps insertion order */
			if (json_object_iter_key_len(ji) != key.len ||
			    memcmp(json_object_iter_key(ji), key.data, key.len))
				fail("decoded key differs from jansson's");
			ji = json_object_iter_next(v, ji);
		}
	}
	if (pk_iter_member(&it, &m))
		fail("pk_iter_member finds an extra member");

	if (pk_compact(&b, p, n) < 0)
		fail("pk_compact");
	if (pk_scan_record(&rec2, b.data, b.len, NULL) != PK_OK ||
	    rec2.has_space || rec2.nmembers != rec.nmembers)
		fail("compacted text does not scan as compact");
	if (!rec.has_space && (b.len != n || memcmp(b.data, p, n)))
		fail("compacting a compact record changed it");
	if (v) {
		v2 = json_loadb(b.data, b.len, ORACLE_JFLAGS, NULL);
		if (!v2 || !json_equal(v, v2))
			fail("compaction changed the value");
	}
	check_compact_ways(&rec, b.data, b.len);
	for (k = 0; k < rec.nmembers; k++)
		if (rec.members[k].type == PK_T_ARRAY)
			check_elements(p + rec.members[k].val_off,
				       rec.members[k].val_len);
	json_decref(v);
	json_decref(v2);
	pk_buf_free(&b);
	pk_buf_free(&key);
	pk_record_free(&rec);
	pk_record_free(&rec2);
}

static void check(const char *p, size_t n, int depth)
{
	struct pk_buf fixed = PK_BUF_INIT;
	int s = oracle_scanner_ok(p, n), overflow, j = oracle_jansson_ok(p, n, &overflow);
	size_t i = 0;

	while (i < n && oracle_is_ws((unsigned char)p[i]))
		i++;
	if (s && i < n && p[i] == '{') {
		check_record(p, n, j);
	} else {
		struct pk_record rec = PK_RECORD_INIT;
		struct pk_error err;

		if (pk_scan_record(&rec, p, n, &err) != PK_BAD_RECORD)
			fail("pk_scan_record accepts a non-object");
		if (s && strncmp(err.text, "not a JSON object (", 19) != 0)
			fail("wrong message for a valid non-object");
		pk_record_free(&rec);
	}
	if (s == j)
		return;
	if (depth > 0)
		fail("disagreement after removing a documented difference");
	if (s && overflow) {
		if (!oracle_replace_out_of_range(p, n, &fixed))
			fail("jansson overflow without an out-of-range number");
		check(fixed.data, fixed.len, depth + 1);
	} else if (!s && j) {
		if (!oracle_drop_lookahead_nuls(p, n, &fixed))
			fail("jansson accepts what the scanner rejects");
		check(fixed.data ? fixed.data : "", fixed.len, depth + 1);
		if (!oracle_scanner_ok(fixed.data ? fixed.data : "", fixed.len))
			fail("jansson accepts what the scanner rejects");
	} else {
		fail("the scanner accepts what jansson rejects");
	}
	pk_buf_free(&fixed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[200];

	if (oracle_paths_differ((const char *)data, size, why, sizeof why))
		fail(why);
	check((const char *)data, size, 0);
	return 0;
}
