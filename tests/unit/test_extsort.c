/* SPDX-License-Identifier: MIT */
/*
 * test_extsort.c - struct pk_sort: every order checked against a plain
 * in-memory stable sort of the same records (qsort with the add order as
 * the last key); spills, merge passes, records that straddle blocks or
 * exceed the budget, sorted inputs, rewinding, no temporary file left,
 * and write failures (a file size limit) reported as I/O errors.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk_private.h"
#include "test.h"

static uint64_t rng = 88172645463325252ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A set of records to sort, and the reference order. */
struct rec {
	char *p;
	size_t n;
	size_t seq;
};

static size_t ref_key_len;
static int ref_reverse;

static int ref_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	size_t an = x->n, bn = y->n, m;
	int c;

	if (ref_key_len) {
		an = an < ref_key_len ? an : ref_key_len;
		bn = bn < ref_key_len ? bn : ref_key_len;
	}
	m = an < bn ? an : bn;
	c = memcmp(x->p, y->p, m);
	if (!c)
		c = an < bn ? -1 : an > bn;
	if (ref_reverse)
		c = -c;
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* n records of lengths [minlen, maxlen]: a key of klen bytes drawn from
 * an alphabet of `alpha` letters (so there are ties), then "#seq". */
static struct rec *make(size_t n, size_t minlen, size_t maxlen, size_t klen,
			int alpha)
{
	struct rec *r = calloc(n, sizeof *r);
	size_t i, k;

	for (i = 0; i < n; i++) {
		size_t len = minlen + (size_t)(rnd() % (maxlen - minlen + 1));
		char tail[32];
		int tl = snprintf(tail, sizeof tail, "#%zu", i);

		if (len < klen + (size_t)tl)
			len = klen + (size_t)tl;
		r[i].p = malloc(len);
		r[i].n = len;
		r[i].seq = i;
		for (k = 0; k < klen; k++)
			r[i].p[k] = (char)('a' + rnd() % (uint64_t)alpha);
		memcpy(r[i].p + klen, tail, (size_t)tl);
		for (k = klen + (size_t)tl; k < len; k++)
			r[i].p[k] = (char)(rnd() & 0xff);
	}
	return r;
}

static void drop(struct rec *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(r[i].p);
	free(r);
}

/* Read the sort out and compare with the reference order of r (sorted in
 * place).  Returns 1 when every record matches. */
static int drain_matches(struct pk_sort *s, struct rec *r, size_t n)
{
	struct pk_error err = {0};
	const void *p;
	size_t len, i = 0;
	int rc, ok = 1;

	qsort(r, n, sizeof *r, ref_cmp);
	while ((rc = pk_sort_next(s, &p, &len, &err)) == PK_OK) {
		if (i >= n || len != r[i].n || memcmp(p, r[i].p, len) != 0) {
			if (ok)
				printf("# record %zu differs\n", i);
			ok = 0;
		}
		i++;
	}
	if (rc != PK_EOF) {
		printf("# pk_sort_next: %d %s\n", rc, err.text);
		ok = 0;
	}
	if (i != n) {
		printf("# %zu records out, %zu in\n", i, n);
		ok = 0;
	}
	return ok;
}

static struct pk_sort *sort_of(struct rec *r, size_t n,
			       const struct pk_sort_opts *o)
{
	struct pk_error err = {0};
	struct pk_sort *s = pk_sort_new(o, &err);
	size_t i;

	for (i = 0; s && i < n; i++) {
		r[i].seq = i; /* ties come out in the order added */
		if (pk_sort_add(s, r[i].p, r[i].n, &err) != PK_OK) {
			printf("# pk_sort_add: %s\n", err.text);
			break;
		}
	}
	return s;
}

static void shuffle(struct rec *r, size_t n)
{
	size_t i;

	for (i = n; i > 1; i--) {
		size_t j = (size_t)(rnd() % i);
		struct rec t = r[i - 1];

		r[i - 1] = r[j];
		r[j] = t;
	}
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

static int count_fds(void)
{
	return count_entries("/proc/self/fd");
}

static void test_empty_and_small(void)
{
	struct pk_sort_opts o = {.tmpdir = tmpdir};
	struct pk_error err = {0};
	struct pk_sort *s = pk_sort_new(&o, &err);
	const void *p;
	size_t n;

	CHECK(s != NULL);
	CHECK_INT(pk_sort_next(s, &p, &n, &err), PK_EOF);
	CHECK_INT(pk_sort_next(s, &p, &n, &err), PK_EOF);
	CHECK_INT(pk_sort_add(s, "x", 1, &err), PK_FATAL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	pk_sort_free(s);
	pk_sort_free(NULL);

	/* Bytewise, shorter first, empty records allowed, stable. */
	s = pk_sort_new(&o, &err);
	pk_sort_add(s, "b", 1, &err);
	pk_sort_add(s, "", 0, &err);
	pk_sort_add(s, "ab", 2, &err);
	pk_sort_add(s, "a", 1, &err);
	pk_sort_add(s, "\xff", 1, &err);
	pk_sort_add(s, "a", 1, &err);
	{
		const char *want[] = {"", "a", "a", "ab", "b", "\xff"};
		size_t i;
		int ok = 1;

		for (i = 0; i < 6; i++)
			ok &= pk_sort_next(s, &p, &n, &err) == PK_OK &&
			      n == strlen(want[i]) &&
			      memcmp(p, want[i], n) == 0;
		CHECK(ok);
		CHECK_INT(pk_sort_next(s, &p, &n, &err), PK_EOF);
	}
	pk_sort_free(s);
}

static void test_in_memory(void)
{
	struct pk_sort_opts o = {.tmpdir = tmpdir, .key_len = 3};
	struct rec *r = make(5000, 3, 40, 3, 4);
	struct pk_sort *s = sort_of(r, 5000, &o);
	struct pk_sort_stats st;

	ref_key_len = 3;
	CHECK(drain_matches(s, r, 5000));
	pk_sort_get_stats(s, &st);
	CHECK_INT(st.records, 5000);
	CHECK_INT(st.runs, 0);
	CHECK_INT(st.bytes_written, 0);
	pk_sort_free(s);
	drop(r, 5000);
	ref_key_len = 0;
}

/* Short records of zero bytes and near-zero bytes, many of them prefixes
 * of others: the entries hold the first 16 compared bytes zero-padded, so
 * "a" and "a\0" have equal entry keys and only their lengths tell them
 * apart.  Whole-record keys and prefix keys shorter and longer than 16,
 * in memory and spilled. */
static void test_short_keys(void)
{
	static const size_t key_lens[] = {0, 5, 16, 17, 20};
	size_t n = 4000, i, k, kl;

	for (kl = 0; kl < sizeof key_lens / sizeof *key_lens; kl++)
		for (k = 0; k < 2; k++) {
			struct pk_sort_opts o = {.tmpdir = tmpdir,
						 .key_len = key_lens[kl],
						 .memory = k ? 16 << 10 : 0};
			struct rec *r = calloc(n, sizeof *r);
			struct pk_sort *s;

			for (i = 0; i < n; i++) {
				size_t j, len = (size_t)(rnd() % 25);

				r[i].p = malloc(len ? len : 1);
				r[i].n = len;
				r[i].seq = i;
				for (j = 0; j < len; j++)
					r[i].p[j] = "\0\0\1a"[rnd() % 4];
			}
			s = sort_of(r, n, &o);
			ref_key_len = key_lens[kl];
			CHECK(drain_matches(s, r, n));
			ref_key_len = 0;
			pk_sort_free(s);
			drop(r, n);
		}
}

/* Records added in order (a spool): every spill goes on the one run -
 * no merge, one file - in tiny memory, with records larger than the
 * memory among them and equal keys (stable); then the same records with
 * one out of order halfway: ordinary runs from there on, the same
 * output. */
static void test_in_order(void)
{
	size_t n = 20000, i;
	struct rec *r = make(n, 1, 700, 4, 3);
	struct pk_sort_opts o = {.tmpdir = tmpdir, .memory = 16 << 10,
				 .key_len = 4};
	struct pk_sort *s;
	struct pk_sort_stats st;
	int fds = count_fds();

	for (i = 0; i < n; i += 997) { /* a few records past the memory */
		free(r[i].p);
		r[i].n = (size_t)40000 + i;
		r[i].p = malloc(r[i].n);
		memset(r[i].p, 'a' + (int)(i % 3), r[i].n);
	}
	ref_key_len = 4;
	qsort(r, n, sizeof *r, ref_cmp);
	s = sort_of(r, n, &o);
	pk_sort_get_stats(s, &st);
	CHECK_INT(st.runs, 1);
	CHECK_INT(st.merge_passes, 0);
	CHECK(st.bytes_spilled > 16 << 10);
	CHECK_INT(count_fds(), fds + 1);
	CHECK(drain_matches(s, r, n));
	CHECK_INT(pk_sort_rewind(s, NULL), PK_OK);
	CHECK(drain_matches(s, r, n));
	pk_sort_free(s);

	/* out of order halfway */
	{
		struct rec t = r[n / 2];

		r[n / 2] = r[0];
		r[0] = t;
	}
	s = sort_of(r, n, &o);
	pk_sort_get_stats(s, &st);
	CHECK(st.runs > 2);
	CHECK(drain_matches(s, r, n));
	pk_sort_free(s);
	ref_key_len = 0;
	CHECK_INT(count_fds(), fds);
	CHECK_INT(count_entries(tmpdir), 0);
	drop(r, n);
}

/* Many runs, merge passes, whole-record and prefix keys. */
static void test_spill(void)
{
	size_t n = 20000;
	struct rec *r = make(n, 1, 700, 2, 6);
	struct pk_sort_opts o = {.tmpdir = tmpdir, .memory = 64 << 10};
	struct pk_sort *s;
	struct pk_sort_stats st;
	int fds = count_fds();

	s = sort_of(r, n, &o);
	CHECK_INT(count_entries(tmpdir), 0); /* runs have no names */
	CHECK(drain_matches(s, r, n));
	pk_sort_get_stats(s, &st);
	CHECK(st.runs > 50);
	CHECK(st.bytes_spilled > 64 << 10);
	CHECK(st.bytes_written > 0);
	printf("# %llu runs, %llu merge passes, %llu raw bytes, %llu written\n",
	       st.runs, st.merge_passes, st.bytes_spilled, st.bytes_written);
	CHECK(st.merge_passes >= 1); /* over 50 runs, a fan-in of 16 (the least) */
	pk_sort_free(s);
	CHECK_INT(count_fds(), fds);

	/* A fan-in of 2: many passes; prefix keys, stable.  (drain_matches
	 * left r sorted: shuffled again, or it would be one run.) */
	o.fan_in = 2;
	o.key_len = 2;
	ref_key_len = 2;
	shuffle(r, n);
	s = sort_of(r, n, &o);
	CHECK(drain_matches(s, r, n));
	pk_sort_get_stats(s, &st);
	CHECK(st.merge_passes >= 5);
	pk_sort_free(s);
	ref_key_len = 0;
	CHECK_INT(count_fds(), fds);
	CHECK_INT(count_entries(tmpdir), 0);
	drop(r, n);
}

/* A sort of the records r (made compressible), with opts.store and the
 * free space a stored run needs set to floor1 for the first half of the
 * records and floor2 for the rest; its stats in *st. */
static int store_sort(struct rec *r, size_t n, const struct pk_sort_opts *o,
		      unsigned long long floor1, unsigned long long floor2,
		      struct pk_sort_stats *st)
{
	struct pk_error err = {0};
	struct pk_sort *s = pk_sort_new(o, &err);
	size_t i;
	int ok;

	pk_sort_set_store_floor(s, floor1);
	for (i = 0; i < n; i++) {
		if (i == n / 2)
			pk_sort_set_store_floor(s, floor2);
		r[i].seq = i;
		if (pk_sort_add(s, r[i].p, r[i].n, &err) != PK_OK) {
			printf("# pk_sort_add: %s\n", err.text);
			break;
		}
	}
	ok = drain_matches(s, r, n);
	pk_sort_get_stats(s, st);
	printf("# store: %llu runs, %llu merge passes, %llu raw bytes, "
	       "%llu written\n", st->runs, st->merge_passes,
	       st->bytes_spilled, st->bytes_written);
	pk_sort_free(s);
	return ok;
}

/* opts.store: runs written as they are (8 bytes a block on top), or
 * compressed when the temporary directory lacks the room; stored and
 * compressed runs in one sort, and merged into either kind. */
static void test_store(void)
{
	size_t n = 20000, i, k;
	struct rec *r = make(n, 1, 700, 2, 6);
	struct pk_sort_opts o = {.tmpdir = tmpdir, .memory = 64 << 10,
				 .store = 1};
	struct pk_sort_stats st, zst;
	int fds = count_fds();

	/* compressible: after the key and "#seq", one letter repeated */
	for (i = 0; i < n; i++)
		for (k = 3 + (size_t)snprintf(NULL, 0, "%zu", i); k < r[i].n; k++)
			r[i].p[k] = 'x';
	CHECK(store_sort(r, n, &o, 0, 0, &st)); /* always room */
	CHECK(st.runs > 50 && st.merge_passes >= 1);
	CHECK(st.bytes_written > st.bytes_spilled);
	CHECK(st.bytes_written <= st.bytes_spilled + st.bytes_spilled / 16);
	shuffle(r, n);
	CHECK(store_sort(r, n, &o, ULLONG_MAX, ULLONG_MAX, &zst)); /* never */
	CHECK(zst.bytes_spilled > 0);
	CHECK(zst.bytes_written < zst.bytes_spilled / 4);
	o.store = 0; /* as without opts.store */
	shuffle(r, n);
	CHECK(store_sort(r, n, &o, 0, 0, &st));
	CHECK(st.bytes_written < st.bytes_spilled / 4);
	/* stored, then compressed: both kinds read in one merge, and in
	 * merge passes (a fan-in of 2) that write compressed runs */
	o.store = 1;
	shuffle(r, n);
	CHECK(store_sort(r, n, &o, 0, ULLONG_MAX, &st));
	CHECK(st.bytes_written > zst.bytes_written + st.bytes_spilled / 8);
	CHECK(st.bytes_written < st.bytes_spilled);
	o.fan_in = 2;
	shuffle(r, n);
	CHECK(store_sort(r, n / 5, &o, 0, ULLONG_MAX, &st));
	CHECK(st.merge_passes >= 5);
	/* compressed, then stored */
	shuffle(r, n);
	CHECK(store_sort(r, n / 5, &o, ULLONG_MAX, 0, &st));
	CHECK(st.merge_passes >= 5);
	/* in order: one run, extended */
	o.fan_in = 0;
	qsort(r, n, sizeof *r, ref_cmp);
	CHECK(store_sort(r, n, &o, 0, 0, &st));
	CHECK_INT(st.runs, 1);
	CHECK(st.bytes_written > st.bytes_spilled);
	drop(r, n);

	/* empty records, lengths around the block (4 KiB) and the 1- and
	 * 2-byte lengths, and records over the budget */
	{
		static const size_t lens[] = {0, 1, 127, 128, 129, 4087,
					      4088, 4095, 4096, 4097, 16383,
					      16384, 70000};
		size_t m = 1300, nl = sizeof lens / sizeof *lens;

		r = calloc(m, sizeof *r);
		for (i = 0; i < m; i++) {
			r[i].n = lens[rnd() % nl];
			r[i].p = malloc(r[i].n + 1);
			for (k = 0; k < r[i].n; k++)
				r[i].p[k] = (char)('a' + rnd() % 3);
		}
		CHECK(store_sort(r, m, &o, 0, 0, &st));
		CHECK(st.runs > 10 && st.bytes_written > st.bytes_spilled);
		shuffle(r, m);
		CHECK(store_sort(r, m, &o, 0, ULLONG_MAX, &st));
		drop(r, m);

		/* tiny records: blocks end at STORE_IOV pieces, not 4 KiB */
		m = 20000;
		r = calloc(m, sizeof *r);
		for (i = 0; i < m; i++) {
			r[i].n = (size_t)(rnd() % 4);
			r[i].p = malloc(r[i].n + 1);
			for (k = 0; k < r[i].n; k++)
				r[i].p[k] = (char)('a' + rnd() % 3);
		}
		CHECK(store_sort(r, m, &o, 0, 0, &st));
		/* about 2.5 bytes a record, 127 records (some 320 bytes) a
		 * block: its 8 bytes are over 1/64 of them */
		CHECK(st.bytes_written > st.bytes_spilled + st.bytes_spilled / 64);
		drop(r, m);
	}
	CHECK_INT(count_fds(), fds);
	CHECK_INT(count_entries(tmpdir), 0);
}

/* Records larger than a block (4 KiB here) and than the budget. */
static void test_large_records(void)
{
	size_t n = 60;
	struct rec *r = make(n, 1, 200000, 1, 3);
	struct pk_sort_opts o = {.tmpdir = tmpdir, .memory = 64 << 10};
	struct pk_sort *s = sort_of(r, n, &o);

	CHECK(drain_matches(s, r, n));
	pk_sort_free(s);
	drop(r, n);
}

static int rev_cmp(void *ctx, const void *a, size_t an, const void *b,
		   size_t bn)
{
	size_t m = an < bn ? an : bn;
	int c = memcmp(a, b, m);

	(*(int *)ctx)++;
	if (!c)
		c = an < bn ? -1 : an > bn;
	return -c;
}

static void test_callback(void)
{
	size_t n = 3000;
	int calls = 0;
	struct rec *r = make(n, 1, 100, 1, 3);
	struct pk_sort_opts o = {.tmpdir = tmpdir, .memory = 32 << 10,
				 .cmp = rev_cmp, .ctx = &calls};
	struct pk_sort *s = sort_of(r, n, &o);

	ref_reverse = 1;
	CHECK(drain_matches(s, r, n));
	ref_reverse = 0;
	CHECK(calls > 0);
	pk_sort_free(s);
	drop(r, n);
}

/* Sorted inputs through the same merge. */
struct input {
	struct rec *r;
	size_t n, i;
	int fail_at; /* return an error at this record, -1 never */
};

static int input_next(void *ctx, const void **rec, size_t *n,
		      struct pk_error *err)
{
	struct input *in = ctx;

	if ((int)in->i == in->fail_at)
		return pk_error_set(err, PK_ERR_DATA, "input: bad at %zu",
				    in->i);
	if (in->i == in->n)
		return PK_EOF;
	*rec = in->r[in->i].p;
	*n = in->r[in->i].n;
	in->i++;
	return PK_OK;
}

static void test_inputs(void)
{
	enum { K = 5, N = 700 };
	struct input in[K];
	struct rec *all = calloc(K * N, sizeof *all);
	struct pk_sort_opts o = {.tmpdir = tmpdir, .memory = 64 << 10,
				 .fan_in = 2, .key_len = 1};
	struct pk_error err = {0};
	struct pk_sort *s = pk_sort_new(&o, &err);
	const void *p;
	size_t len, i, k;
	int rc;

	ref_key_len = 1;
	for (k = 0; k < K; k++) {
		in[k].r = make(N, 2, 300, 1, 4);
		in[k].n = N;
		in[k].i = 0;
		in[k].fail_at = -1;
		for (i = 0; i < N; i++)
			in[k].r[i].seq = k * N + i; /* ties: input order */
		qsort(in[k].r, N, sizeof *in[k].r, ref_cmp);
		memcpy(all + k * N, in[k].r, N * sizeof *all);
		CHECK_INT(pk_sort_add_input(s, input_next, &in[k], &err), PK_OK);
	}
	CHECK(drain_matches(s, all, K * N));
	pk_sort_free(s);

	/* An input's error stops the merge with that error. */
	s = pk_sort_new(&o, &err);
	for (k = 0; k < K; k++) {
		in[k].i = 0;
		in[k].fail_at = k == 3 ? 100 : -1;
		pk_sort_add_input(s, input_next, &in[k], &err);
	}
	while ((rc = pk_sort_next(s, &p, &len, &err)) == PK_OK)
		;
	CHECK_INT(rc, PK_BAD_RECORD);
	CHECK_STR(err.text, "input: bad at 100");
	CHECK_INT(pk_sort_next(s, &p, &len, &err), PK_BAD_RECORD);
	CHECK_INT(pk_sort_rewind(s, &err), PK_BAD_RECORD);
	pk_sort_free(s);

	/* Rewinding a merge of inputs is refused. */
	s = pk_sort_new(&o, &err);
	in[0].i = 0;
	in[0].fail_at = -1;
	pk_sort_add_input(s, input_next, &in[0], &err);
	pk_sort_next(s, &p, &len, &err);
	CHECK_INT(pk_sort_rewind(s, &err), PK_FATAL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	pk_sort_free(s);

	for (k = 0; k < K; k++)
		free(in[k].r);
	drop(all, K * N);
	ref_key_len = 0;
}

static void test_rewind(void)
{
	size_t n = 4000, m;
	struct rec *r = make(n, 1, 300, 2, 5);
	struct pk_sort_opts o = {.tmpdir = tmpdir, .memory = 48 << 10};
	struct pk_sort *s = sort_of(r, n, &o);
	struct pk_error err = {0};

	CHECK(drain_matches(s, r, n));
	CHECK_INT(pk_sort_rewind(s, &err), PK_OK);
	CHECK(drain_matches(s, r, n));
	pk_sort_free(s);

	/* In memory, and rewinding half way. */
	o.memory = 0;
	s = sort_of(r, n, &o);
	for (m = 0; m < 10; m++) {
		const void *p;
		size_t len;

		pk_sort_next(s, &p, &len, &err);
	}
	CHECK_INT(pk_sort_rewind(s, &err), PK_OK);
	CHECK(drain_matches(s, r, n));
	pk_sort_free(s);
	drop(r, n);
}

static void test_bad_tmpdir(void)
{
	struct pk_sort_opts o = {.tmpdir = "/nonexistent/prefkit",
				 .memory = 16 << 10};
	struct pk_error err = {0};
	struct pk_sort *s = pk_sort_new(&o, &err);
	char rec[1000];
	int rc = PK_OK, i;

	memset(rec, 'x', sizeof rec);
	for (i = 0; i < 100 && rc == PK_OK; i++)
		rc = pk_sort_add(s, rec, sizeof rec, &err);
	CHECK_INT(rc, PK_FATAL);
	CHECK_INT(err.kind, PK_ERR_IO);
	CHECK_STR(err.text, "cannot create a temporary file in "
			    "/nonexistent/prefkit: No such file or directory");
	pk_error_clear(&err);
	CHECK_INT(pk_sort_add(s, rec, 1, &err), PK_FATAL);
	CHECK_STR(err.text, "cannot create a temporary file in "
			    "/nonexistent/prefkit: No such file or directory");
	pk_sort_free(s);
}

/* A write that fails (here EFBIG under a file size limit, as ENOSPC on a
 * full disk) is an I/O error, never a short output.  Run in a child, so
 * the limit binds nothing else. */
static void test_write_error(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		struct rlimit rl = {32 << 10, 32 << 10};
		struct pk_sort_opts o = {.tmpdir = tmpdir,
					 .memory = 64 << 10};
		struct pk_error err = {0};
		struct pk_sort *s;
		char rec[997];
		const void *p;
		size_t n;
		int rc = PK_OK, i, j;

		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(3);
		s = pk_sort_new(&o, &err);
		/* incompressible records, 2 MB in all */
		for (i = 0; i < 2000 && rc == PK_OK; i++) {
			for (j = 0; j < (int)sizeof rec; j++)
				rec[j] = (char)rnd();
			rc = pk_sort_add(s, rec, sizeof rec, &err);
		}
		if (rc == PK_OK)
			rc = pk_sort_next(s, &p, &n, &err);
		if (rc != PK_FATAL || err.kind != PK_ERR_IO ||
		    strncmp(err.text, "cannot write a temporary file in ",
			    33) != 0 ||
		    !strstr(err.text, strerror(EFBIG)))
			_exit(4);
		if (pk_sort_next(s, &p, &n, &err) != PK_FATAL)
			_exit(5);
		pk_sort_free(s);
		_exit(0);
	}
	CHECK(pid > 0);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st));
	CHECK_INT(WEXITSTATUS(st), 0);
}

/* Far more runs than files may be open (ulimit -n 64): runs are merged
 * while records are added, so the open files stay within the fan-in
 * and the order is still right. */
static void test_many_runs(void)
{
	pid_t pid;
	int st = 0;
	size_t n = 150000;
	struct rec *r = make(n, 1, 120, 3, 5);

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = {64, 64};
		struct pk_sort_opts o = {.tmpdir = tmpdir, .memory = 128 << 10};
		struct pk_error err = {0};
		struct pk_sort_stats ss;
		struct pk_sort *s;
		int fds, most = 0;
		size_t i;

		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			_exit(3);
		fds = count_fds();
		if (!(s = pk_sort_new(&o, &err)))
			_exit(4);
		for (i = 0; i < n; i++) {
			int k = 0;

			r[i].seq = i;
			if (pk_sort_add(s, r[i].p, r[i].n, &err) != PK_OK) {
				printf("# pk_sort_add: %s\n", err.text);
				_exit(5);
			}
			if (i % 64 == 0 && (k = count_fds() - fds) > most)
				most = k;
		}
		pk_sort_get_stats(s, &ss);
		printf("# %llu runs, %llu merges, at most %d files open\n",
		       ss.runs, ss.merge_passes, most);
		fflush(stdout);
		if (ss.runs < 80)
			_exit(6); /* far more runs than the limit */
		if (most > 12)
			_exit(7); /* (64 - 16) / 4: the fan-in */
		if (!drain_matches(s, r, n))
			_exit(8);
		pk_sort_free(s);
		if (count_fds() != fds)
			_exit(9);
		fflush(stdout);
		_exit(0);
	}
	CHECK(pid > 0);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st));
	CHECK_INT(WEXITSTATUS(st), 0);
	CHECK_INT(count_entries(tmpdir), 0);
	drop(r, n);
}

/* pk_sort_add_run: records already in order, written straight out, and
 * placed among equal records between those added before and after. */
static int next_rec(void *ctx, const void **p, size_t *n,
		    struct pk_error *err)
{
	struct rec **cur = ctx;

	(void)err;
	if (!(*cur)->p)
		return PK_EOF;
	*p = (*cur)->p;
	*n = (*cur)->n;
	(*cur)++;
	return PK_OK;
}

static void test_add_run(void)
{
	size_t n = 9000, i, a = 3000, b = 6000;
	struct rec *r = make(n, 1, 60, 2, 3), *run, *cur;
	struct pk_sort_opts o = {.tmpdir = tmpdir, .memory = 64 << 10,
				 .key_len = 2};
	struct pk_error err = {0};
	struct pk_sort *s = pk_sort_new(&o, &err);
	int fds = count_fds();

	ref_key_len = 2;
	for (i = 0; i < n; i++)
		r[i].seq = i;
	/* records [a, b) make the run: sorted (stably) among themselves */
	run = calloc(b - a + 1, sizeof *run);
	memcpy(run, r + a, (b - a) * sizeof *run);
	qsort(run, b - a, sizeof *run, ref_cmp);
	for (i = 0; i < a; i++)
		pk_sort_add(s, r[i].p, r[i].n, &err);
	cur = run;
	CHECK_INT(pk_sort_add_run(s, next_rec, &cur, &err), PK_OK);
	for (i = b; i < n; i++)
		pk_sort_add(s, r[i].p, r[i].n, &err);
	CHECK(drain_matches(s, r, n));
	pk_sort_free(s);
	ref_key_len = 0;
	CHECK_INT(count_fds(), fds);
	free(run);
	drop(r, n);
}

static void test_keys(void)
{
	double xs[] = {-1.0 / 0.0, -1e300, -2.5, -1e-300, 0.0, 1e-300, 0.5,
		       1, 7.25, 1e300, 1.0 / 0.0};
	size_t i, n = sizeof xs / sizeof xs[0];
	int ok = 1;
	unsigned char b[8];

	for (i = 0; i < n; i++) {
		ok &= pk_sort_key_double(pk_sort_double_key(xs[i])) == xs[i];
		if (i + 1 < n)
			ok &= pk_sort_double_key(xs[i]) <
			      pk_sort_double_key(xs[i + 1]);
	}
	CHECK(ok);
	CHECK(pk_sort_double_key(-0.0) == pk_sort_double_key(0.0));
	pk_sort_put_u64(b, 0x0102030405060708ull);
	CHECK_MEM(b, 8, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	CHECK(pk_sort_get_u64(b) == 0x0102030405060708ull);
	pk_sort_put_u32(b, 0xa0b0c0d0u);
	CHECK(pk_sort_get_u32(b) == 0xa0b0c0d0u);
	CHECK_MEM(b, 4, "\xa0\xb0\xc0\xd0", 4);
}

int main(void)
{
	char dir[] = "/tmp/pk-extsort.XXXXXX";

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	tmpdir = dir;
	test_keys();
	test_empty_and_small();
	test_in_memory();
	test_short_keys();
	test_spill();
	test_store();
	test_in_order();
	test_large_records();
	test_callback();
	test_inputs();
	test_rewind();
	test_bad_tmpdir();
	test_write_error();
	test_many_runs();
	test_add_run();
	CHECK_INT(count_entries(tmpdir), 0);
	rmdir(dir);
	return pk_test_done();
}
