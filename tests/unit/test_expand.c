/* SPDX-License-Identifier: MIT */
/*
 * test_expand.c - the list -> pairs operation (lib/expand.c): pairs of a
 * strategy with --top and --min-gap, lists too small to pair, dropped
 * responses, a list given as text, the step tree and step pairs, bad
 * lists, and the counters.  Expected records are written out by hand
 * (group id of the prompt "P": 9d2ac64db9e07d34, as in test_rank.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

#define GID "\"group_id\":\"9d2ac64db9e07d34\""
#define LIST3 "{\"prompt\":\"P\",\"responses\":[{\"text\":\"a\",\"score\":1}," \
	      "{\"text\":\"b\",\"score\":3},{\"text\":\"c\",\"score\":2}]}"

/* The records passed to emit, one per line. */
static int collect(void *ctx, const char *json, size_t len)
{
	struct pk_buf *b = ctx;

	if (pk_buf_append(b, json, len) < 0 || pk_buf_putc(b, '\n') < 0)
		return PK_FATAL;
	return PK_OK;
}

static int refuse(void *ctx, const char *json, size_t len)
{
	(void)ctx;
	(void)json;
	(void)len;
	return PK_EPIPE;
}

/* Expand text with options o; returns the status, output in out. */
static int run(const struct pk_expand_opts *o, const char *text,
	       struct pk_buf *out, struct pk_expand_counts *n,
	       struct pk_error *err)
{
	struct pk_expand *x = pk_expand_new(o, err);
	int rc;

	pk_buf_reset(out);
	if (!x)
		return PK_FATAL;
	rc = pk_expand_text(x, text, strlen(text), collect, out, err);
	if (n)
		*n = *pk_expand_counts(x);
	pk_expand_free(x);
	if (!out->data)
		pk_buf_puts(out, "");
	return rc;
}

static void test_pairs(void)
{
	struct pk_expand_opts o;
	struct pk_expand_counts n;
	struct pk_error err = {0};
	struct pk_buf out = PK_BUF_INIT;

	pk_expand_opts_init(&o);
	/* best-vs-rest (the default): b (3) over c (2), then over a (1) */
	CHECK_INT(run(&o, LIST3, &out, &n, &err), PK_OK);
	CHECK_STR(out.data,
		  "{\"prompt\":\"P\",\"chosen\":\"b\",\"rejected\":\"c\",\"score_chosen\":3,\"score_rejected\":2," GID "}\n"
		  "{\"prompt\":\"P\",\"chosen\":\"b\",\"rejected\":\"a\",\"score_chosen\":3,\"score_rejected\":1," GID "}\n");
	CHECK_INT(n.lists, 1);
	CHECK_INT(n.too_small, 0);

	/* top 2: a is cut, one pair left */
	o.top = 2;
	CHECK_INT(run(&o, LIST3, &out, &n, &err), PK_OK);
	CHECK_STR(out.data,
		  "{\"prompt\":\"P\",\"chosen\":\"b\",\"rejected\":\"c\",\"score_chosen\":3,\"score_rejected\":2," GID "}\n");

	/* min gap 1.5 drops b-c (gap 1) and keeps b-a (gap 2) */
	o.top = 0;
	o.min_gap = 1.5;
	CHECK_INT(run(&o, LIST3, &out, &n, &err), PK_OK);
	CHECK_STR(out.data,
		  "{\"prompt\":\"P\",\"chosen\":\"b\",\"rejected\":\"a\",\"score_chosen\":3,\"score_rejected\":1," GID "}\n");
	CHECK_INT(n.below_gap, 1);

	/* adjacent: b-c, c-a */
	o.min_gap = 0;
	CHECK(pk_pairs_parse("adjacent", &o.pairs) == PK_OK);
	CHECK_INT(run(&o, LIST3, &out, &n, &err), PK_OK);
	CHECK_STR(out.data,
		  "{\"prompt\":\"P\",\"chosen\":\"b\",\"rejected\":\"c\",\"score_chosen\":3,\"score_rejected\":2," GID "}\n"
		  "{\"prompt\":\"P\",\"chosen\":\"c\",\"rejected\":\"a\",\"score_chosen\":2,\"score_rejected\":1," GID "}\n");

	/* one standing left (a tie, a null score dropped): nothing to pair */
	pk_expand_opts_init(&o);
	CHECK_INT(run(&o, "{\"prompt\":\"P\",\"responses\":[{\"text\":\"a\",\"score\":2},"
			  "{\"text\":\"b\",\"score\":2},{\"text\":\"c\",\"score\":null}]}",
		      &out, &n, &err), PK_OK);
	CHECK_STR(out.data, "");
	CHECK_INT(n.lists, 1);
	CHECK_INT(n.too_small, 1);
	CHECK_INT(n.responses_dropped, 1);

	/* other field names, given in the options */
	o.rank.responses_field = "answers";
	o.rank.text_field = "answer";
	o.rank.rank_field = "rank";
	CHECK_INT(run(&o, "{\"prompt\":\"P\",\"answers\":[{\"answer\":\"x\",\"rank\":2},"
			  "{\"answer\":\"y\",\"rank\":1}]}", &out, &n, &err), PK_OK);
	CHECK_STR(out.data,
		  "{\"prompt\":\"P\",\"chosen\":\"y\",\"rejected\":\"x\",\"rank_chosen\":1,\"rank_rejected\":2," GID "}\n");
	pk_buf_free(&out);
}

static void test_bad(void)
{
	struct pk_expand_opts o;
	struct pk_expand *x;
	struct pk_error err = {0};
	struct pk_buf out = PK_BUF_INIT;

	pk_expand_opts_init(&o);
	CHECK_INT(run(&o, "{\"prompt\":\"P\",\"responses\":{}}", &out, NULL, &err),
		  PK_BAD_RECORD);
	CHECK(err.kind == PK_ERR_DATA);
	CHECK_STR(out.data, "");
	CHECK_INT(run(&o, "{\"prompt\":", &out, NULL, &err), PK_BAD_RECORD);
	CHECK(err.kind == PK_ERR_DATA);
	CHECK_INT(run(&o, "[1]", &out, NULL, &err), PK_BAD_RECORD);

	/* emit's own status ends the list */
	x = pk_expand_new(&o, &err);
	CHECK(x != NULL);
	CHECK_INT(pk_expand_text(x, LIST3, strlen(LIST3), refuse, NULL, &err),
		  PK_EPIPE);
	pk_expand_free(x);

	/* a bad step pattern is a usage error */
	o.to = PK_EXPAND_TREE;
	o.step_regex = "(";
	pk_error_clear(&err);
	CHECK(pk_expand_new(&o, &err) == NULL);
	CHECK(err.kind == PK_ERR_USAGE);
	pk_expand_free(NULL);
	pk_buf_free(&out);
}

/* Responses "x\n\ny" (score 3) and "x\n\nz" (score 1) share the step x. */
#define STEPS "{\"prompt\":\"P\",\"responses\":[{\"text\":\"x\\n\\nz\",\"score\":1}," \
	      "{\"text\":\"x\\n\\ny\",\"score\":3}]}"

static void test_steps(void)
{
	struct pk_expand_opts o;
	struct pk_expand_counts n;
	struct pk_error err = {0};
	struct pk_buf out = PK_BUF_INIT;

	pk_expand_opts_init(&o);
	o.rank.steps = 1;
	o.to = PK_EXPAND_TREE;
	CHECK_INT(run(&o, STEPS, &out, &n, &err), PK_OK);
	CHECK_STR(out.data,
		  "{\"prompt\":\"P\"," GID ",\"tree\":{\"children\":["
		  "{\"step\":\"x\",\"score\":3,\"count\":2,\"children\":["
		  "{\"step\":\"y\",\"score\":3,\"count\":1,\"children\":[]},"
		  "{\"step\":\"z\",\"score\":1,\"count\":1,\"children\":[]}]}]}}\n");
	CHECK_INT(n.lists, 1);

	/* step pairs: at the node "x", y over z, the prompt extended by x */
	o.to = PK_EXPAND_STEP_PAIRS;
	o.rank.need_prompt = 1;
	CHECK_INT(run(&o, STEPS, &out, &n, &err), PK_OK);
	CHECK_STR(out.data,
		  "{\"prompt\":\"P\\n\\nx\",\"chosen\":\"y\",\"rejected\":\"z\","
		  "\"score_chosen\":3,\"score_rejected\":1,\"depth\":1," GID "}\n");
	pk_buf_free(&out);
}

/* The counters as --stats names them, after one list of three with a
 * null score: pairs count them all, a tree has no pairs to count. */
static void test_counter(void)
{
	static const char list[] = "{\"prompt\":\"P\",\"responses\":[{\"text\":\"a\",\"score\":1},"
				   "{\"text\":\"b\",\"score\":null},{\"text\":\"c\",\"score\":2}]}";
	struct pk_buf out = PK_BUF_INIT;
	struct pk_expand_opts o;
	struct pk_error err = {0};
	struct pk_expand *x;
	unsigned long long v = 9;

	pk_expand_opts_init(&o);
	CHECK((x = pk_expand_new(&o, &err)) != NULL);
	CHECK_INT(pk_expand_text(x, list, strlen(list), collect, &out, &err), PK_OK);
	CHECK_STR(pk_expand_counter(x, 0, &v), "lists");
	CHECK_INT(v, 1);
	CHECK_STR(pk_expand_counter(x, 1, &v), "lists_too_small");
	CHECK_INT(v, 0);
	CHECK_STR(pk_expand_counter(x, 2, &v), "pairs_below_min_gap");
	CHECK_INT(v, 0);
	CHECK_STR(pk_expand_counter(x, 3, &v), "responses_dropped");
	CHECK_INT(v, 1);
	CHECK(pk_expand_counter(x, 4, &v) == NULL);
	pk_expand_free(x);
	o.to = PK_EXPAND_TREE;
	o.rank.steps = 1;
	CHECK((x = pk_expand_new(&o, &err)) != NULL);
	CHECK_STR(pk_expand_counter(x, 0, &v), "lists");
	CHECK_STR(pk_expand_counter(x, 1, &v), "responses_dropped");
	CHECK(pk_expand_counter(x, 2, &v) == NULL);
	pk_expand_free(x);
	pk_buf_free(&out);
}

int main(void)
{
	test_counter();
	test_pairs();
	test_bad();
	test_steps();
	return pk_test_done();
}
