/* SPDX-License-Identifier: MIT */
/* test_flip.c - the flip operation of lib/flip.c (SPEC 3.5, F-DPO): the
 * decision, the side swap, delta_h / margin, drops, bad records, counters
 * and the two kinds of sink.  Every expected record is written by hand. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

/* A sink that collects the records, each followed by '\n'; with
 * use_room, records are built in place (room + commit); fail_with makes
 * it refuse every record with that status. */
struct collect {
	struct pk_buf out;
	int fail_with;
};

static int c_emit(void *ctx, const char *json, size_t len)
{
	struct collect *c = ctx;

	if (c->fail_with)
		return c->fail_with;
	if (pk_buf_append(&c->out, json, len) < 0 || pk_buf_putc(&c->out, '\n') < 0)
		return PK_FATAL;
	return PK_OK;
}

static char *c_room(void *ctx, size_t n)
{
	struct collect *c = ctx;

	if (c->fail_with || pk_buf_reserve(&c->out, n + 1) < 0)
		return NULL;
	return c->out.data + c->out.len;
}

static int c_commit(void *ctx, char *p, size_t len)
{
	struct collect *c = ctx;

	if (p != c->out.data + c->out.len)
		return PK_FATAL;
	c->out.len += len;
	return pk_buf_putc(&c->out, '\n');
}

/* Flip each line of in (records separated by '\n') with f into a sink;
 * returns what the sink got, and the status of the last record in *rc
 * (the first failing one stops). */
static char *run(struct pk_flip *f, const char *in, int use_room, int *rc,
		 struct pk_error *err)
{
	struct collect c = {PK_BUF_INIT, 0};
	struct pk_sink s = {c_emit, use_room ? c_room : NULL,
			    use_room ? c_commit : NULL, &c};
	struct pk_record rec = PK_RECORD_INIT;
	const char *p = in;

	*rc = PK_OK;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		pk_error_clear(err);
		*rc = pk_scan_record(&rec, p, n, err);
		if (*rc == PK_OK)
			*rc = pk_flip_record(f, &rec, &s, err);
		if (*rc != PK_OK)
			break;
		p += n + (nl != NULL);
	}
	pk_record_free(&rec);
	if (pk_buf_putc(&c.out, '\0') < 0)
		return NULL;
	return pk_buf_take(&c.out);
}

static void check_flip(const struct pk_flip_opts *o, const char *in,
		       const char *want, int line)
{
	struct pk_error err = {0};
	struct pk_flip *f = pk_flip_new(o, &err);
	int rc, room;

	for (room = 0; room <= 1; room++) {
		char *got = f ? run(f, in, room, &rc, &err) : NULL;
		int ok = got && rc == PK_OK && strcmp(got, want) == 0;

		pk_test_point(ok, __FILE__, line, room ? "flipped (in place)" : "flipped");
		if (!ok)
			printf("#   rc %d (%s)\n#   got:  \"%s\"\n#   want: \"%s\"\n",
			       rc, err.text, got ? got : "(null)", want);
		free(got);
	}
	pk_flip_free(f);
}
#define FLIP(o, in, want) check_flip(o, in, want, __LINE__)

/* A record refused with exactly this message; nothing written. */
static void check_bad(const struct pk_flip_opts *o, const char *in,
		      const char *want, int line)
{
	struct pk_error err = {0};
	struct pk_flip *f = pk_flip_new(o, &err);
	int rc = 0;
	char *got = f ? run(f, in, 0, &rc, &err) : NULL;
	int ok = got && !*got && rc == PK_BAD_RECORD && err.kind == PK_ERR_DATA &&
		 strcmp(err.text, want) == 0;

	pk_test_point(ok, __FILE__, line, want);
	if (!ok)
		printf("#   rc %d, got \"%s\" and \"%s\"\n", rc, err.text,
		       got ? got : "(null)");
	free(got);
	pk_flip_free(f);
}
#define BAD(o, in, want) check_bad(o, in, want, __LINE__)

static void test_labels(void)
{
	struct pk_flip_opts o;

	pk_flip_opts_init(&o);
	/* (1, 0): swapped with the labels; delta_h = 1 afterwards */
	FLIP(&o, "{\"prompt\":\"p\",\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":0}",
	     "{\"prompt\":\"p\",\"chosen\":\"B\",\"rejected\":\"A\",\"h_w\":0,\"h_l\":1,"
	     "\"flipped\":true,\"delta_h\":1}\n");
	/* (0, 1), (0, 0), (1, 1): kept; delta_h = h_l - h_w */
	FLIP(&o, "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":0,\"h_l\":1}\n"
		 "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":0,\"h_l\":0}\n"
		 "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":1}",
	     "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":0,\"h_l\":1,\"flipped\":false,\"delta_h\":1}\n"
	     "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":0,\"h_l\":0,\"flipped\":false,\"delta_h\":0}\n"
	     "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":1,\"flipped\":false,\"delta_h\":0}\n");
	/* booleans and 1.0 are labels; every paired field moves, nested too;
	 * a spaced record comes out compact */
	FLIP(&o, "{\"chosen\": \"A\", \"rejected\": \"B\", \"h_w\": true, \"h_l\": 0.0, "
		 "\"score_chosen\": 2, \"score_rejected\": 5, "
		 "\"meta\": {\"chosen_len\": 1, \"rejected_len\": 22}, \"id\": 7}",
	     "{\"chosen\":\"B\",\"rejected\":\"A\",\"h_w\":0.0,\"h_l\":true,"
	     "\"score_chosen\":5,\"score_rejected\":2,"
	     "\"meta\":{\"chosen_len\":22,\"rejected_len\":1},\"id\":7,"
	     "\"flipped\":true,\"delta_h\":1}\n");
	/* a "flipped" member already there is kept when the pair is kept */
	FLIP(&o, "{\"chosen\":\"A\",\"rejected\":\"B\",\"flipped\":true,\"h_w\":0,\"h_l\":0}",
	     "{\"chosen\":\"A\",\"rejected\":\"B\",\"flipped\":true,\"h_w\":0,\"h_l\":0,\"delta_h\":0}\n");
	/* --lambda: margin = lambda * delta_h */
	o.has_lambda = 1;
	o.lambda = 0.25;
	FLIP(&o, "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":0}\n"
		 "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":1}",
	     "{\"chosen\":\"B\",\"rejected\":\"A\",\"h_w\":0,\"h_l\":1,\"flipped\":true,"
	     "\"delta_h\":1,\"margin\":0.25}\n"
	     "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":1,\"flipped\":false,"
	     "\"delta_h\":0,\"margin\":0}\n");
	/* labels meaning factual: (0, 1) read as (1, 0) */
	pk_flip_opts_init(&o);
	o.factual = 1;
	FLIP(&o, "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":0,\"h_l\":1}\n"
		 "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":1}",
	     "{\"chosen\":\"B\",\"rejected\":\"A\",\"h_w\":1,\"h_l\":0,\"flipped\":true,\"delta_h\":1}\n"
	     "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":1,\"flipped\":false,\"delta_h\":0}\n");
}

static void test_renamed(void)
{
	struct pk_flip_opts o;

	/* fields that are not each other's partners trade values all the same */
	pk_flip_opts_init(&o);
	o.chosen_field = "answer.good";
	o.rejected_field = "answer.bad";
	o.label_fields[0] = "lab_a";
	o.label_fields[1] = "lab_b";
	FLIP(&o, "{\"q\":\"x\",\"answer\":{\"good\":\"g\",\"bad\":\"b\"},\"lab_a\":1,\"lab_b\":0}",
	     "{\"q\":\"x\",\"answer\":{\"good\":\"b\",\"bad\":\"g\"},\"lab_a\":0,\"lab_b\":1,"
	     "\"flipped\":true,\"delta_h\":1}\n");
	BAD(&o, "{\"answer\":{\"good\":\"g\"},\"lab_a\":1,\"lab_b\":0}",
	    "missing field 'answer.bad'");
	BAD(&o, "{\"answer\":{\"good\":\"g\",\"bad\":\"b\"},\"lab_b\":0}",
	    "missing label field 'lab_a'");
}

static void test_by_score(void)
{
	struct pk_flip_opts o;

	pk_flip_opts_init(&o);
	o.by = PK_FLIP_BY_SCORE;
	/* below: flipped; equal or above: kept; no labels, no delta_h */
	FLIP(&o, "{\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":1,\"score_rejected\":2.5}\n"
		 "{\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":2,\"score_rejected\":2}",
	     "{\"chosen\":\"b\",\"rejected\":\"a\",\"score_chosen\":2.5,\"score_rejected\":1,\"flipped\":true}\n"
	     "{\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":2,\"score_rejected\":2,\"flipped\":false}\n");
	BAD(&o, "{\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":\"1\",\"score_rejected\":2}",
	    "score field 'score_chosen' is not a number (string)");
	BAD(&o, "{\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":1}",
	    "missing score field 'score_rejected'");
	o.drop_flipped = 1;
	FLIP(&o, "{\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":1,\"score_rejected\":2}\n"
		 "{\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":3,\"score_rejected\":2}",
	     "{\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":3,\"score_rejected\":2,\"flipped\":false}\n");
}

static void test_bad(void)
{
	struct pk_flip_opts o;
	struct pk_error err = {0};

	pk_flip_opts_init(&o);
	BAD(&o, "{\"rejected\":\"B\",\"h_w\":1,\"h_l\":0}", "missing field 'chosen'");
	BAD(&o, "{\"chosen\":\"A\",\"h_w\":1,\"h_l\":0}", "missing field 'rejected'");
	BAD(&o, "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1}", "missing label field 'h_l'");
	BAD(&o, "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":2,\"h_l\":0}",
	    "label field 'h_w' is 2, not 0 or 1");
	BAD(&o, "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":0,\"h_l\":-1e0}",
	    "label field 'h_l' is -1e0, not 0 or 1");
	BAD(&o, "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":\"1\",\"h_l\":0}",
	    "label field 'h_w' is not 0 or 1 (string)");
	BAD(&o, "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":null,\"h_l\":0}",
	    "label field 'h_w' is not 0 or 1 (null)");
	/* the same label field twice is a usage error */
	o.label_fields[0] = o.label_fields[1] = "h";
	CHECK(pk_flip_new(&o, &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_STR(err.text, "the two label fields are the same ('h')");
}

/* Drops, the counters and their order, and a sink that refuses. */
static void test_counters(void)
{
	static const char in[] =
		"{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":0}\n"
		"{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":1}\n"
		"{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":0,\"h_l\":0}\n"
		"{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":1}\n"
		"{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":0,\"h_l\":1}\n"
		"{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":0}";
	static const char *const names[] = {
		"h_00", "h_01", "h_10", "h_11", "flipped", "unchanged",
		"dropped_flipped", "dropped_both_hallucinated",
	};
	const unsigned long long want[] = {1, 1, 2, 2, 0, 2, 2, 2};
	struct pk_flip_opts o;
	struct pk_error err = {0};
	struct pk_flip *f;
	struct pk_record rec = PK_RECORD_INIT;
	struct collect c = {PK_BUF_INIT, PK_EPIPE};
	struct pk_sink s = {c_emit, NULL, NULL, &c};
	unsigned long long v;
	const char *name;
	char *got;
	size_t i;
	int rc;

	pk_flip_opts_init(&o);
	o.drop_flipped = 1;
	o.drop_both = 1;
	f = pk_flip_new(&o, &err);
	got = f ? run(f, in, 0, &rc, &err) : NULL;
	CHECK_STR(got, "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":0,\"h_l\":0,\"flipped\":false,\"delta_h\":0}\n"
		       "{\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":0,\"h_l\":1,\"flipped\":false,\"delta_h\":1}\n");
	free(got);
	for (i = 0; f && (name = pk_flip_counter(f, i, &v)); i++) {
		CHECK(i < 8);
		if (i >= 8)
			break;
		CHECK_STR(name, names[i]);
		CHECK_INT(v, want[i]);
	}
	CHECK_INT(i, 8);
	CHECK_INT(pk_flip_counts(f)->h[1][0], 2);
	/* a sink that refuses: its status comes back, nothing is counted */
	CHECK_INT(pk_scan_record(&rec, in + 92, 45, &err), PK_OK); /* (0, 0) */
	CHECK_INT(pk_flip_record(f, &rec, &s, &err), PK_EPIPE);
	CHECK_INT(pk_flip_counts(f)->unchanged, 2);
	pk_flip_free(f);

	/* by score: three counters */
	pk_flip_opts_init(&o);
	o.by = PK_FLIP_BY_SCORE;
	f = pk_flip_new(&o, &err);
	CHECK_STR(pk_flip_counter(f, 0, &v), "flipped");
	CHECK_STR(pk_flip_counter(f, 2, &v), "dropped_flipped");
	CHECK(pk_flip_counter(f, 3, &v) == NULL);
	pk_flip_free(f);
	pk_record_free(&rec);
}

int main(void)
{
	test_labels();
	test_renamed();
	test_by_score();
	test_bad();
	test_counters();
	return pk_test_done();
}
