/* SPDX-License-Identifier: MIT */
/*
 * test_ches.c - the CHES arithmetic (lib/ches.c) against values worked
 * out by hand: the S+ = [3,6], S- = [4,0] example, identical and
 * disjoint responses, token edit similarity, and whole records (lexical
 * and inline, string and message-list responses, members replaced in
 * place, bad records).
 */
#include "config.h"

#include <math.h>

#include "pk_private.h"
#include "test.h"

#define CHECK_DBL(got, want)                                                 \
	do {                                                                 \
		double g_ = (got), w_ = (want);                              \
		pk_test_point(g_ == w_, __FILE__, __LINE__, #got " == " #want); \
		if (g_ != w_)                                                \
			printf("#   got:  %.17g\n#   want: %.17g\n", g_, w_); \
	} while (0)

static void test_dense(void)
{
	const double sp[2] = {3, 6}, sm[2] = {4, 0};
	const double mp[2] = {1, 2}, mm[2] = {2, 0};
	struct pk_ches_scores s = {0};

	/* S+ = [3,6] (L+ = 3), S- = [4,0] (L- = 2): <S+,S-> = 12,
	 * |S+|^2 = 45, ches = -33; means [1,2], [2,0]: 2 - 5 = -3 */
	pk_ches_dense(sp, sm, 2, 3, 2, 0, &s);
	CHECK_INT(s.have, PK_CHES_HAVE_CHES | PK_CHES_HAVE_LN);
	CHECK_DBL(s.ches, -33);
	CHECK_DBL(s.ln_ches, -3);
	memset(&s, 0, sizeof s);
	pk_ches_dense(mp, mm, 2, 3, 2, 1, &s);
	CHECK_INT(s.have, PK_CHES_HAVE_CHES | PK_CHES_HAVE_LN);
	CHECK_DBL(s.ches, -33);
	CHECK_DBL(s.ln_ches, -3);
	/* no lengths: only what needs none */
	memset(&s, 0, sizeof s);
	pk_ches_dense(sp, sm, 2, 0, 0, 0, &s);
	CHECK_INT(s.have, PK_CHES_HAVE_CHES);
	CHECK_DBL(s.ches, -33);
	memset(&s, 0, sizeof s);
	pk_ches_dense(mp, mm, 2, 0, 0, 1, &s);
	CHECK_INT(s.have, PK_CHES_HAVE_LN);
	CHECK_DBL(s.ln_ches, -3);
	/* identical: 0 */
	memset(&s, 0, sizeof s);
	pk_ches_dense(sp, sp, 2, 3, 3, 0, &s);
	CHECK_DBL(s.ches, 0);
	CHECK_DBL(s.ln_ches, 0);
}

/* xorshift64: the same pseudo-random values on every machine */
static uint64_t rnd_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* A float of every kind a row may hold: ordinary, tiny, huge, and
 * zeros of both signs */
static float rnd_float(void)
{
	uint64_t r = rnd();
	float x = (float)((double)(r >> 40) / 16777216.0 - 0.5);

	switch (r & 7) {
	case 0:
		return ldexpf(x, (int)(r >> 8 & 63) - 40);
	case 1:
		return (r >> 9 & 1) ? 0.0f : -0.0f;
	default:
		return x * 4;
	}
}

static int dd_same(const struct pk_dd *a, const struct pk_dd *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* The sums (dense.c) on the plain C and the SIMD path, from doubles and
 * from float32 rows, bit for bit the same; exact where a plain sum is
 * not; NaN terms sent to the long double fallback. */
static void test_dense_sums(void)
{
	static const size_t lens[] = {0, 1, 3, 15, 16, 17, 31, 33, 64, 100, 255, 1024};
	struct pk_dd s0[2], s1[2], s2[2], s3[2];
	float fa[1024], fb[1024];
	double da[1024], db[1024];
	size_t k, i, d;
	int round, bad = 0, fine = 1;

	for (round = 0; round < 40; round++)
		for (k = 0; k < sizeof(lens) / sizeof(*lens); k++) {
			d = lens[k];
			for (i = 0; i < d; i++) {
				fa[i] = rnd_float();
				/* chosen and rejected alike, as the pairs
				 * that matter: their sums nearly cancel */
				fb[i] = (round & 1) ? fa[i] + rnd_float() / 4096
						    : rnd_float();
				da[i] = fa[i];
				db[i] = fb[i];
			}
			fine &= pk_dense_sums_path(0, NULL, NULL,
						   (unsigned char *)fa,
						   (unsigned char *)fb, d, s0);
			fine &= pk_dense_sums_path(1, NULL, NULL,
						   (unsigned char *)fa,
						   (unsigned char *)fb, d, s1);
			fine &= pk_dense_sums_path(0, da, db, NULL, NULL, d, s2);
			fine &= pk_dense_sums_path(1, da, db, NULL, NULL, d, s3);
			for (i = 0; i < 2; i++)
				if (!dd_same(&s0[i], &s1[i]) ||
				    !dd_same(&s0[i], &s2[i]) ||
				    !dd_same(&s0[i], &s3[i]))
					bad++;
			/* doubles that are not floats: the products' errors
			 * count; plain C against SIMD */
			for (i = 0; i < d; i++) {
				da[i] = ldexp((double)(rnd() >> 11), -53 - (int)(rnd() % 8));
				db[i] = (round & 1) ? da[i] * (1 + 1e-9)
						    : ldexp((double)(rnd() >> 11), -60);
				if (rnd() & 1)
					db[i] = -db[i];
			}
			fine &= pk_dense_sums_path(0, da, db, NULL, NULL, d, s2);
			fine &= pk_dense_sums_path(1, da, db, NULL, NULL, d, s3);
			for (i = 0; i < 2; i++)
				if (!dd_same(&s2[i], &s3[i]))
					bad++;
		}
	CHECK(fine);
	CHECK_INT(bad, 0);
	printf("# the dense sums' SIMD path: %s\n",
	       pk_dense_simd_supported() ? "AVX2" : "none (plain C twice)");

	/* 2^70 + 1 - 2^70: a plain double sum (or a long double one) loses
	 * the 1; 0.1 * 0.1 summed 1000 times: the products' errors kept */
	{
		double a[3] = {ldexp(1, 70), 1, -ldexp(1, 70)}, b[3] = {1, 1, 1};
		double c[1000], e[1000];

		CHECK(pk_dense_sums_path(1, a, b, NULL, NULL, 3, s0));
		CHECK_DBL(s0[0].hi, 1);
		CHECK_DBL(s0[0].lo, 0);
		CHECK_DBL(s0[1].hi, ldexp(1, 141));
		CHECK_DBL(s0[1].lo, 1);
		for (i = 0; i < 1000; i++) {
			c[i] = 0.1;
			e[i] = 0.1;
		}
		/* 1000 * 0.1^2 where 0.1 is the double
		 * 3602879701896397 / 2^55: the exact value has 114 bits */
		CHECK(pk_dense_sums_path(1, c, e, NULL, NULL, 1000, s0));
		CHECK_DBL(s0[0].hi, 10.000000000000001);
		{
			/* exactly: 1000 m^2 / 2^110, m = 3602879701896397;
			 * hi = H / 2^49 */
			unsigned __int128 m = 3602879701896397u;
			__int128 n = (__int128)(m * m * 1000);
			__int128 h = (__int128)ldexp(s0[0].hi, 49) << 61;
			double rest = ldexp((double)(n - h), -110);

			/* hi is the nearest double: the rest within half
			 * an ulp (2^-50); lo is the rest within the bound
			 * of a sum in twice a double's precision: 63
			 * terms a lane, (63 * 2^-53)^2 * 10 < 2^-88 */
			CHECK(fabs(rest) <= ldexp(1, -50));
			CHECK(fabs(s0[0].lo - rest) <= ldexp(1, -88));
		}
	}
	/* beyond a double's range: no double-double, the scores from long
	 * double (identical vectors of 1e200: 0, not NaN) - where long
	 * double is wider than double (not on every CPU, nor under
	 * valgrind, which computes x87 long doubles as doubles) */
	{
		double a[2] = {1e200, -3e199};
		volatile long double big = 1e200, sq;
		struct pk_ches_scores sc = {0};

		CHECK(!pk_dense_sums_path(1, a, a, NULL, NULL, 2, s0));
		pk_ches_dense(a, a, 2, 4, 4, 0, &sc);
		sq = big * big;
		if (sq - sq == 0) {
			CHECK_DBL(sc.ches, 0);
			CHECK_DBL(sc.ln_ches, 0);
		} else {
			printf("# long double is no wider than double here\n");
		}
	}
}

static void test_sparse(void)
{
	/* tokens 1 and 2 as the hashes x and y */
	const uint64_t x = 0x1111, y = 0x2222, z = 0x3333;
	const uint64_t a[9] = {x, y, x, y, y, x, y, y, y};  /* [3,6] */
	const uint64_t b[4] = {x, x, x, x};                 /* [4,0] */
	const uint64_t c[3] = {x, x, y}, d[1] = {z};
	struct pk_buf table = PK_BUF_INIT;
	struct pk_ches_scores s = {0};

	CHECK_INT(pk_ches_sparse(a, 9, b, 4, &table, &s), PK_OK);
	CHECK_INT(s.have, PK_CHES_HAVE_CHES | PK_CHES_HAVE_LN);
	CHECK(s.ches_exact);
	CHECK_INT(s.ches_int, -33);
	/* L+ = 9, L- = 4: means [1/3, 2/3], [1, 0]: 1/3 - 5/9 = -2/9 */
	CHECK_DBL(s.ln_ches, -2.0 / 9.0);
	/* identical responses: 0 */
	memset(&s, 0, sizeof s);
	pk_ches_sparse(c, 3, c, 3, &table, &s);
	CHECK_INT(s.ches_int, 0);
	CHECK_DBL(s.ln_ches, 0);
	/* disjoint: -|c+|^2 = -(2^2 + 1^2), ln: -5/9 */
	memset(&s, 0, sizeof s);
	pk_ches_sparse(c, 3, d, 1, &table, &s);
	CHECK_INT(s.ches_int, -5);
	CHECK_DBL(s.ln_ches, -5.0 / 9.0);
	/* an empty response: ches only */
	memset(&s, 0, sizeof s);
	pk_ches_sparse(c, 3, d, 0, &table, &s);
	CHECK_INT(s.have, PK_CHES_HAVE_CHES);
	CHECK_INT(s.ches_int, -5);
	/* the hash 0 is a token like any other */
	{
		const uint64_t zero[2] = {0, 0};

		memset(&s, 0, sizeof s);
		pk_ches_sparse(zero, 2, zero, 1, &table, &s);
		CHECK_INT(s.ches_int, 2 - 4);
	}
	pk_buf_free(&table);
}

static void test_edit(void)
{
	const uint64_t a[3] = {1, 2, 3}, b[2] = {1, 3};
	/* kitten / sitting as tokens: distance 3, longer 7 */
	const uint64_t k[6] = {'k', 'i', 't', 't', 'e', 'n'};
	const uint64_t s[7] = {'s', 'i', 't', 't', 'i', 'n', 'g'};
	struct pk_buf scratch = PK_BUF_INIT;

	CHECK_DBL(pk_edit_similarity(a, 3, b, 2, &scratch), -1.0 / 3.0);
	CHECK_DBL(pk_edit_similarity(b, 2, a, 3, &scratch), -1.0 / 3.0);
	CHECK_DBL(pk_edit_similarity(a, 3, a, 3, &scratch), 0);
	CHECK_DBL(pk_edit_similarity(a, 3, NULL, 0, &scratch), -1);
	CHECK_DBL(pk_edit_similarity(NULL, 0, NULL, 0, &scratch), 0);
	CHECK_DBL(pk_edit_similarity(k, 6, s, 7, &scratch), -3.0 / 7.0);
	pk_buf_free(&scratch);
}

/* Score and write one record; the output (or "BAD: message") in out. */
static void run(struct pk_ches *c, const char *line, struct pk_buf *out)
{
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err = {0};
	struct pk_ches_scores s;
	int rc;

	pk_buf_reset(out);
	if (pk_scan_record(&rec, line, strlen(line), &err) < 0) {
		pk_buf_printf(out, "SCAN: %s", err.text);
		pk_record_free(&rec);
		return;
	}
	rc = pk_ches_record(c, &rec, 0, &s, &err);
	if (rc == PK_OK)
		rc = pk_ches_write(c, &rec, &s, out, &err);
	if (rc < 0)
		pk_buf_printf(out, "%s: %s", rc == PK_BAD_RECORD ? "BAD" : "FATAL",
			      err.text);
	pk_record_free(&rec);
}

static void test_records(void)
{
	struct pk_ches_opts o;
	struct pk_error err = {0};
	struct pk_buf out = PK_BUF_INIT;
	struct pk_ches *c;

	pk_ches_opts_init(&o);
	c = pk_ches_new(&o, &err);
	CHECK(c != NULL);
	/* tokens "a", " b" and "a", " c": dot 1, |S+|^2 2, ches -1,
	 * ln (2*1 - 2*2) / (2^2 * 2) = -1/4 */
	run(c, "{\"chosen\":\"a b\",\"rejected\":\"a c\"}", &out);
	CHECK_STR(out.data, "{\"chosen\":\"a b\",\"rejected\":\"a c\",\"ches\":-1,\"ln_ches\":-0.25,\"ches_source\":\"lexical\"}");
	/* escapes decoded; spaces outside strings dropped */
	run(c, "{ \"chosen\" : \"a\\u0020b\", \"rejected\": \"a c\" }", &out);
	CHECK_STR(out.data, "{\"chosen\":\"a\\u0020b\",\"rejected\":\"a c\",\"ches\":-1,\"ln_ches\":-0.25,\"ches_source\":\"lexical\"}");
	/* message lists: the assistant content only */
	run(c, "{\"chosen\":[{\"role\":\"user\",\"content\":\"a c\"},{\"role\":\"assistant\",\"content\":\"a b\"}],"
	       "\"rejected\":[{\"role\":\"user\",\"content\":\"zzz\"},{\"role\":\"assistant\",\"content\":\"a c\"}]}", &out);
	CHECK(strstr(out.data, "\"ches\":-1,\"ln_ches\":-0.25,") != NULL);
	/* identical: 0; members of those names replaced in place */
	run(c, "{\"ches\":5,\"chosen\":\"x y\",\"rejected\":\"x y\",\"ches_source\":\"old\",\"n\":1}", &out);
	CHECK_STR(out.data, "{\"ches\":0,\"chosen\":\"x y\",\"rejected\":\"x y\",\"ches_source\":\"lexical\",\"n\":1,\"ln_ches\":0}");
	/* disjoint: -|c+|^2: "a a a" = "a", " a", " a": -(1 + 4) = -5 */
	run(c, "{\"chosen\":\"a a a\",\"rejected\":\"b\"}", &out);
	CHECK(strstr(out.data, "\"ches\":-5,") != NULL);
	/* an empty object key order: {} with fields elsewhere */
	run(c, "{\"chosen\":\"\",\"rejected\":\"x\"}", &out);
	CHECK_STR(out.data, "BAD: the chosen response has no tokens (ln-ches divides by its length)");
	run(c, "{\"chosen\":\"x\"}", &out);
	CHECK_STR(out.data, "BAD: missing field 'rejected'");
	run(c, "{\"chosen\":\"x\",\"rejected\":7}", &out);
	CHECK_STR(out.data, "BAD: field 'rejected': expected a string or a message list, not a number");
	pk_ches_free(c);

	/* --metric ches: empty responses are fine; edit similarity */
	o.metric = PK_CHES_CHES;
	c = pk_ches_new(&o, &err);
	run(c, "{\"chosen\":\"\",\"rejected\":\"x\"}", &out);
	CHECK_STR(out.data, "{\"chosen\":\"\",\"rejected\":\"x\",\"ches\":0,\"ches_source\":\"lexical\"}");
	pk_ches_free(c);
	o.metric = PK_CHES_EDIT;
	c = pk_ches_new(&o, &err);
	/* "a b c" vs "a c": tokens a, " b", " c" / a, " c": distance 1 of 3 */
	run(c, "{\"chosen\":\"a b c\",\"rejected\":\"a c\"}", &out);
	CHECK(strstr(out.data, "\"edit_sim\":-0.3333333333333333,") != NULL);
	run(c, "{\"chosen\":\"a\",\"rejected\":\"a\"}", &out);
	CHECK(strstr(out.data, "\"edit_sim\":0,") != NULL);
	pk_ches_free(c);

	/* inline embeddings */
	pk_ches_opts_init(&o);
	o.source = PK_CHES_INLINE;
	c = pk_ches_new(&o, &err);
	run(c, "{\"chosen\":\"p\",\"rejected\":\"q\",\"emb_chosen\":[3,6],\"emb_rejected\":[4,0.0],\"len_chosen\":3,\"len_rejected\":2}", &out);
	CHECK_STR(out.data, "{\"chosen\":\"p\",\"rejected\":\"q\",\"emb_chosen\":[3,6],\"emb_rejected\":[4,0.0],\"len_chosen\":3,\"len_rejected\":2,\"ches\":-33,\"ln_ches\":-3,\"ches_source\":\"inline\"}");
	run(c, "{\"chosen\":\"p\",\"rejected\":\"q\",\"emb_chosen\":[3,6],\"emb_rejected\":[4],\"len_chosen\":3,\"len_rejected\":2}", &out);
	CHECK_STR(out.data, "BAD: emb_chosen has 2 numbers, emb_rejected 1");
	run(c, "{\"chosen\":\"p\",\"rejected\":\"q\",\"emb_chosen\":[3,\"6\"],\"emb_rejected\":[4,0],\"len_chosen\":3,\"len_rejected\":2}", &out);
	CHECK_STR(out.data, "BAD: emb_chosen[1] is not a number (string)");
	run(c, "{\"chosen\":\"p\",\"rejected\":\"q\",\"emb_chosen\":[3,6],\"emb_rejected\":[4,0]}", &out);
	CHECK_STR(out.data, "BAD: a length is 0 or missing (ln-ches divides by the lengths)");
	run(c, "{\"chosen\":\"p\",\"rejected\":\"q\",\"emb_chosen\":[3,6],\"emb_rejected\":[4,0],\"len_chosen\":2.5,\"len_rejected\":2}", &out);
	CHECK_STR(out.data, "BAD: field 'len_chosen' is not a whole number >= 0");
	/* no tokens are needed, but a response is still a string or a
	 * message list (pref-ches(1): a record is bad when a response is
	 * neither) */
	run(c, "{\"chosen\":\"p\",\"rejected\":{\"a\":1},\"emb_chosen\":[3,6],\"emb_rejected\":[4,0],\"len_chosen\":3,\"len_rejected\":2}", &out);
	CHECK_STR(out.data, "BAD: field 'rejected': expected a string or a message list, not an object");
	run(c, "{\"chosen\":[{\"role\":\"user\"}],\"rejected\":\"q\",\"emb_chosen\":[3,6],\"emb_rejected\":[4,0],\"len_chosen\":3,\"len_rejected\":2}", &out);
	CHECK_STR(out.data, "BAD: field 'chosen': expected a string or a message list, not an array");
	run(c, "{\"chosen\":[{\"role\":\"assistant\",\"content\":\"p\"}],\"rejected\":\"q\",\"emb_chosen\":[3,6],\"emb_rejected\":[4,0],\"len_chosen\":3,\"len_rejected\":2}", &out);
	CHECK(strstr(out.data, "\"ches\":-33,\"ln_ches\":-3,\"ches_source\":\"inline\"}") != NULL);
	pk_ches_free(c);
	o.mean = 1;
	c = pk_ches_new(&o, &err);
	run(c, "{\"chosen\":\"p\",\"rejected\":\"q\",\"emb_chosen\":[1,2],\"emb_rejected\":[2,0],\"len_chosen\":3,\"len_rejected\":2}", &out);
	CHECK(strstr(out.data, "\"ches\":-33,\"ln_ches\":-3,\"ches_source\":\"inline\"}") != NULL);
	run(c, "{\"chosen\":\"p\",\"rejected\":\"q\",\"emb_chosen\":[1,2],\"emb_rejected\":[2,0]}", &out);
	CHECK(strstr(out.data, ",\"ln_ches\":-3,\"ches_source\":\"inline\"}") != NULL);
	CHECK(strstr(out.data, "\"ches\":") == NULL);
	pk_ches_free(c);

	/* options that do not go together; a bad pattern */
	pk_ches_opts_init(&o);
	o.mean = 1;
	CHECK(pk_ches_new(&o, &err) == NULL);
	CHECK_STR(err.text, "--mean goes with inline embeddings only");
	CHECK_INT(err.kind, PK_ERR_USAGE);
	pk_ches_opts_init(&o);
	o.token_regex = "(";
	CHECK(pk_ches_new(&o, &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	pk_buf_free(&out);
}

static struct pk_buf emitted = PK_BUF_INIT;

static int collect(void *ctx, const char *json, size_t len)
{
	(void)ctx;
	pk_buf_append(&emitted, json, len);
	return pk_buf_putc(&emitted, '\n');
}

/* pref-ches's options and its streaming modes on whole records. */
static void test_annotate(void)
{
	struct pk_ches_opts o;
	struct pk_error err = {0};
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_sink out = {collect, NULL, NULL, NULL};
	struct pk_ches *c;
	enum pk_ches_metric m = PK_CHES_LN;
	char *files = NULL;
	const double max = -0.5;
	static const char disjoint[] = "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}";
	static const char same[] = "{\"prompt\":\"p\",\"chosen\":\"a b\",\"rejected\":\"a b\"}";

	pk_ches_opts_init(&o);
	CHECK_INT(pk_ches_parse_source(&o, "npy=c.npy,r.npy,lc.npy,lr.npy", &files, &err), PK_OK);
	CHECK_INT(o.source, PK_CHES_NPY);
	CHECK_STR(o.files[0], "c.npy");
	CHECK_STR(o.files[3], "lr.npy");
	CHECK_INT(pk_ches_parse_source(&o, "safetensors=e.safetensors", &files, &err), PK_OK);
	CHECK_INT(o.source, PK_CHES_SAFETENSORS);
	CHECK_STR(o.files[0], "e.safetensors");
	CHECK(o.files[1] == NULL);
	CHECK_INT(pk_ches_parse_source(&o, "npy=c.npy", &files, &err), PK_FATAL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_INT(pk_ches_parse_source(&o, "safetensors=a,b", &files, &err), PK_FATAL);
	CHECK_INT(pk_ches_parse_source(&o, "safetensors=", &files, &err), PK_FATAL);
	CHECK_INT(pk_ches_parse_source(&o, "word2vec", &files, &err), PK_FATAL);
	CHECK_INT(pk_ches_parse_source(&o, "inline", &files, &err), PK_OK);
	CHECK_INT(o.source, PK_CHES_INLINE);
	CHECK(o.files[0] == NULL);
	CHECK_INT(pk_ches_parse_metric("edit", &m), PK_OK);
	CHECK_INT(m, PK_CHES_EDIT);
	CHECK_INT(pk_ches_parse_metric("ln_ches", &m), PK_FATAL);
	CHECK_INT(m, PK_CHES_EDIT);
	free(files);

	/* lexical: "a" and "b" share no token, ches = ln_ches = -1; "a b"
	 * against itself: 0, above --max -0.5, dropped and counted */
	pk_ches_opts_init(&o);
	CHECK((c = pk_ches_new(&o, &err)) != NULL);
	CHECK_INT(pk_scan_record(&rec, disjoint, strlen(disjoint), &err), PK_OK);
	CHECK_INT(pk_ches_annotate(c, &rec, 0, &max, &out, &err), PK_OK);
	CHECK_INT(pk_scan_record(&rec, same, strlen(same), &err), PK_OK);
	CHECK_INT(pk_ches_annotate(c, &rec, 1, &max, &out, &err), PK_OK);
	CHECK_INT(pk_ches_annotate(c, &rec, 2, NULL, &out, &err), PK_OK);
	CHECK_STR(emitted.data,
		  "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"ches\":-1,\"ln_ches\":-1,\"ches_source\":\"lexical\"}\n"
		  "{\"prompt\":\"p\",\"chosen\":\"a b\",\"rejected\":\"a b\",\"ches\":0,\"ln_ches\":0,\"ches_source\":\"lexical\"}\n");
	CHECK_INT(pk_ches_dropped(c), 1);
	pk_ches_free(c);
	pk_record_free(&rec);
	pk_buf_free(&emitted);
}

int main(void)
{
	test_annotate();
	test_dense();
	test_dense_sums();
	test_sparse();
	test_edit();
	test_records();
	return pk_test_done();
}
