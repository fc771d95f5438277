/* SPDX-License-Identifier: MIT */
/*
 * test_keyset.c - struct pk_keyset (keyset.c): every answer (new, or a
 * duplicate of which first tag) checked against a plain reference (an
 * array from key number to first tag), in memory and with budgets so
 * small that the table is written out hundreds of times; the answers
 * given at once, resolved later or listed by pk_keyset_next_dup must be
 * the same.  The all-zero key, misuse, and no file left behind.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_private.h"
#include "test.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *tmpdir;

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Key number k: all zero for 0, else the XXH3-128 of its decimal text. */
static void key_of(size_t k, unsigned char key[16])
{
	char t[32];
	int n = snprintf(t, sizeof t, "%zu", k);

	if (k == 0)
		memset(key, 0, 16);
	else
		pk_hash128(t, (size_t)n, key);
}

/* Run n adds of keys drawn from nkeys (tags 5 + 3i), with the budget
 * memory; want_first or not.  Every final answer is compared with the
 * reference.  how: 0 resolve the later ones, 1 list them with next_dup. */
static int run(size_t n, size_t nkeys, size_t memory, int want_first,
	       int how, struct pk_keyset_stats *st)
{
	struct pk_keyset_opts o = {.memory = memory, .tmpdir = tmpdir,
				   .want_first = want_first};
	struct pk_error err = {0};
	struct pk_keyset *ks = pk_keyset_new(&o, &err);
	uint64_t *first = calloc(nkeys, sizeof *first);   /* 0 = unseen */
	uint64_t *want = calloc(n, sizeof *want);         /* 0 = new */
	int *answer = calloc(n, sizeof *answer);
	uint64_t *got = calloc(n, sizeof *got);
	size_t i, bad = 0, ndup = 0;
	int rc;

	for (i = 0; i < n; i++) {
		size_t k = (size_t)(rnd() % nkeys);
		uint64_t tag = 5 + 3 * (uint64_t)i, f = 99;
		unsigned char key[16];

		key_of(k, key);
		if (first[k]) {
			want[i] = first[k];
			ndup++;
		} else {
			first[k] = tag;
		}
		rc = pk_keyset_add(ks, key, tag, &f, &err);
		answer[i] = rc;
		got[i] = f;
		if (rc < 0) {
			printf("# pk_keyset_add: %s\n", err.text);
			bad++;
			break;
		}
	}
	if (pk_keyset_finish(ks, &err) != PK_OK) {
		printf("# pk_keyset_finish: %s\n", err.text);
		bad++;
	}
	if (how == 0) {
		for (i = 0; i < n; i++)
			if (answer[i] == PK_KEY_LATER)
				answer[i] = pk_keyset_resolve(
					ks, 5 + 3 * (uint64_t)i, &got[i], &err);
	} else {
		uint64_t t, f;

		while ((rc = pk_keyset_next_dup(ks, &t, &f, &err)) == PK_OK) {
			i = (size_t)((t - 5) / 3);
			if (answer[i] != PK_KEY_LATER)
				bad++;
			answer[i] = PK_KEY_DUP;
			got[i] = f;
		}
		if (rc != PK_EOF)
			bad++;
		for (i = 0; i < n; i++)
			if (answer[i] == PK_KEY_LATER)
				answer[i] = PK_KEY_NEW;
	}
	for (i = 0; i < n; i++) {
		int ok = want[i] ? answer[i] == PK_KEY_DUP
				 : answer[i] == PK_KEY_NEW;

		/* the first tag is known when wanted, else given as 0 */
		if (ok && want[i])
			ok = got[i] == (want_first ? want[i] : 0) ||
			     (!want_first && got[i] == want[i]);
		if (!ok && bad++ < 3)
			printf("# add %zu: answer %d first %llu, want %s %llu\n",
			       i, answer[i], (unsigned long long)got[i],
			       want[i] ? "dup" : "new",
			       (unsigned long long)want[i]);
	}
	pk_keyset_get_stats(ks, st);
	if (st->added != n || st->duplicates != ndup ||
	    st->distinct != n - ndup) {
		printf("# stats: %llu added, %llu dups, %llu distinct\n",
		       st->added, st->duplicates, st->distinct);
		bad++;
	}
	pk_keyset_free(ks);
	free(first);
	free(want);
	free(answer);
	free(got);
	return bad == 0;
}

static void test_answers(void)
{
	struct pk_keyset_stats st;
	int fds = count_entries("/proc/self/fd");

	/* in memory: everything answered at once */
	CHECK(run(50000, 20000, 64 << 20, 1, 0, &st));
	CHECK_INT(st.generations, 0);
	CHECK_INT(st.later, 0);
	CHECK(run(50000, 20000, 64 << 20, 0, 0, &st));
	CHECK_INT(st.generations, 0);

	/* tiny budgets: many tables written out, the same answers */
	CHECK(run(50000, 20000, 8 << 10, 1, 0, &st));
	printf("# want_first, 8K: %llu tables, %llu later, %llu runs\n",
	       st.generations, st.later, st.sort_runs);
	CHECK(st.generations > 20);
	CHECK(st.later > 0);
	CHECK(run(50000, 20000, 8 << 10, 0, 0, &st));
	CHECK(st.generations > 20);
	CHECK(run(50000, 20000, 8 << 10, 1, 1, &st));
	CHECK(run(50000, 20000, 8 << 10, 0, 1, &st));
	/* a budget below any table, few keys, many keys */
	CHECK(run(3000, 40, 100, 1, 0, &st));
	CHECK(st.generations > 10);
	CHECK(run(20000, 1000000, 16 << 10, 1, 1, &st));
	CHECK(run(20000, 1000000, 16 << 10, 0, 0, &st));
	CHECK_INT(count_entries(tmpdir), 0);
	CHECK_INT(count_entries("/proc/self/fd"), fds);
}

static int cmp_pair(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Equal tags (pref-check: the records a --from reader makes of one line):
 * n adds of keys drawn from nkeys, `per` consecutive adds sharing a tag,
 * want_first.  The duplicates answered at once and those listed by
 * pk_keyset_next_dup, as (tag, first tag) pairs, must be the reference's
 * (records of one tag are interchangeable, so the pairs are compared as
 * sorted lists). */
static int run_equal(size_t n, size_t nkeys, size_t per, size_t memory)
{
	struct pk_keyset_opts o = {.memory = memory, .tmpdir = tmpdir,
				   .want_first = 1};
	struct pk_error err = {0};
	struct pk_keyset *ks = pk_keyset_new(&o, &err);
	uint64_t *first = calloc(nkeys, sizeof *first);
	uint64_t *want = calloc(2 * n, sizeof *want);
	uint64_t *got = calloc(2 * n, sizeof *got);
	size_t i, nw = 0, ng = 0, bad = 0;
	uint64_t t, f;
	int rc;

	for (i = 0; i < n; i++) {
		size_t k = (size_t)(rnd() % nkeys);
		uint64_t tag = 5 + 3 * (uint64_t)(i / per);
		unsigned char key[16];

		key_of(k, key);
		if (first[k]) {
			want[2 * nw] = tag;
			want[2 * nw++ + 1] = first[k];
		} else {
			first[k] = tag;
		}
		rc = pk_keyset_add(ks, key, tag, &f, &err);
		if (rc == PK_KEY_DUP) {
			got[2 * ng] = tag;
			got[2 * ng++ + 1] = f;
		} else if (rc < 0) {
			printf("# pk_keyset_add: %s\n", err.text);
			bad++;
			break;
		}
	}
	if (pk_keyset_finish(ks, &err) != PK_OK)
		bad++;
	while ((rc = pk_keyset_next_dup(ks, &t, &f, &err)) == PK_OK &&
	       ng < n) {
		got[2 * ng] = t;
		got[2 * ng++ + 1] = f;
	}
	if (rc != PK_EOF)
		bad++;
	qsort(want, nw, 2 * sizeof *want, cmp_pair);
	qsort(got, ng, 2 * sizeof *got, cmp_pair);
	if (nw != ng || memcmp(want, got, nw * 2 * sizeof *want) != 0) {
		printf("# equal tags: %zu duplicates wanted, %zu got\n", nw, ng);
		bad++;
	}
	pk_keyset_free(ks);
	free(first);
	free(want);
	free(got);
	return bad == 0;
}

static void test_equal_tags(void)
{
	/* in memory, and tables of 12 keys written out over and over */
	CHECK(run_equal(20000, 500, 4, 64 << 20));
	CHECK(run_equal(20000, 40, 4, 100));
	CHECK(run_equal(20000, 500, 7, 100));
	CHECK(run_equal(20000, 5000, 3, 2 << 10));
	CHECK_INT(count_entries(tmpdir), 0);
}

/* The examples of prefkit.h, by hand. */
static void test_by_hand(void)
{
	struct pk_keyset_opts o = {.want_first = 1};
	struct pk_error err = {0};
	struct pk_keyset *ks = pk_keyset_new(&o, &err);
	struct pk_keyset_stats st;
	unsigned char a[16], b[16], z[16] = {0};
	uint64_t f = 7, t;

	key_of(1, a);
	key_of(2, b);
	CHECK_INT(pk_keyset_add(ks, a, 10, &f, &err), PK_KEY_NEW);
	CHECK_INT(f, 0);
	CHECK_INT(pk_keyset_add(ks, z, 11, &f, &err), PK_KEY_NEW);
	CHECK_INT(pk_keyset_add(ks, b, 12, &f, &err), PK_KEY_NEW);
	CHECK_INT(pk_keyset_add(ks, a, 13, &f, &err), PK_KEY_DUP);
	CHECK_INT(f, 10);
	CHECK_INT(pk_keyset_add(ks, z, 20, &f, &err), PK_KEY_DUP);
	CHECK_INT(f, 11);
	CHECK_INT(pk_keyset_add(ks, a, 21, NULL, &err), PK_KEY_DUP);
	/* an equal tag is taken, a smaller one refused */
	CHECK_INT(pk_keyset_add(ks, b, 21, &f, &err), PK_KEY_DUP);
	CHECK_INT(f, 12);
	CHECK_INT(pk_keyset_add(ks, b, 20, &f, &err), PK_FATAL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_STR(err.text, "pk_keyset_add: tags must not decrease");
	pk_keyset_get_stats(ks, &st);
	CHECK_INT(st.added, 7); /* the refused add is not counted */
	CHECK_INT(st.duplicates, 4);
	/* errors stick */
	CHECK_INT(pk_keyset_finish(ks, &err), PK_FATAL);
	pk_keyset_free(ks);

	ks = pk_keyset_new(NULL, &err);
	CHECK_INT(pk_keyset_add(ks, a, 0, &f, &err), PK_KEY_NEW);
	CHECK_INT(pk_keyset_finish(ks, &err), PK_OK);
	CHECK_INT(pk_keyset_next_dup(ks, &t, &f, &err), PK_EOF);
	CHECK_INT(pk_keyset_resolve(ks, 5, &f, &err), PK_KEY_NEW);
	CHECK_INT(pk_keyset_add(ks, a, 9, &f, &err), PK_FATAL);
	CHECK_STR(err.text, "pk_keyset_add after pk_keyset_finish");
	pk_keyset_free(ks);
	pk_keyset_free(NULL);
}

int main(void)
{
	char dir[] = "/tmp/pk-keyset.XXXXXX";

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	tmpdir = dir;
	test_by_hand();
	test_answers();
	test_equal_tags();
	rmdir(dir);
	return pk_test_done();
}
