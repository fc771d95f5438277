/* SPDX-License-Identifier: MIT */
/*
 * fuzz_scan.c - libFuzzer target: the scanner and jansson must agree on
 * every input (SPEC 4), and the walkers must agree with the scanner on
 * every accepted object.  Aborts on any disagreement.  The two documented
 * differences (see tests/unit/test_agree.c) are allowed only when the
 * input really shows them: out-of-range numbers, which the scanner
 * accepts, and a NUL byte right after a number or literal, which jansson
 * 2.14 silently drops.  Built with -fsanitize=fuzzer, or linked with
 * standalone.c to replay the corpus under `make check`.
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
	check((const char *)data, size, 0);
	return 0;
}
