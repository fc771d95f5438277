/* SPDX-License-Identifier: MIT */
/* test_steptree.c - step splitting, prefix trees and step pairs
 * (lib/steptree.c).  Expected trees are worked out by hand. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

static struct pk_error err;

/* The steps of a raw JSON text value joined by "|", or "(error)". */
static const char *split(struct pk_steptree *t, const char *v)
{
	static char text[256];
	struct pk_buf out = PK_BUF_INIT;
	long n = pk_steptree_split(t, v, strlen(v), &out, &err);
	size_t k;

	if (n < 0) {
		pk_buf_free(&out);
		return "(error)";
	}
	text[0] = '\0';
	for (k = 0; k < out.len && k < sizeof(text) - 1; k++)
		text[k] = out.data[k] ? out.data[k] : '|';
	text[k] = '\0';
	pk_buf_free(&out);
	return text;
}

static void test_split(void)
{
	struct pk_steptree *t = pk_steptree_new(NULL, &err);

	CHECK(t != NULL);
	CHECK_STR(split(t, "\"a\\n\\nb\\n\\n\\nc\""), "a|b|c|");
	CHECK_STR(split(t, "\"a\\nb\""), "a\nb|");
	/* Empty pieces (leading, trailing separators) are left out. */
	CHECK_STR(split(t, "\"\\n\\na\\n\\n\""), "a|");
	CHECK_STR(split(t, "\"\""), "");
	/* An array of strings is its steps, as they are. */
	CHECK_STR(split(t, "[\"x\\n\\ny\",\"\",\"z\"]"), "x\n\ny||z|");
	/* A message list: the assistant text. */
	CHECK_STR(split(t, "[{\"role\":\"user\",\"content\":\"u\\n\\nv\"},"
			   "{\"role\":\"assistant\",\"content\":\"a\\n\\nb\"}]"),
		  "a|b|");
	CHECK_STR(split(t, "[1]"), "(error)");
	CHECK_STR(err.text, "a step is not a string (number)");
	pk_steptree_free(t);

	/* A custom pattern; an empty match separates nothing. */
	t = pk_steptree_new("(?m)^Step \\d+: ", &err);
	CHECK(t != NULL);
	CHECK_STR(split(t, "\"Step 1: a\\nStep 2: b\""), "a\n|b|");
	pk_steptree_free(t);
	t = pk_steptree_new("x*", &err);
	CHECK(t != NULL);
	CHECK_STR(split(t, "\"axxbéx\""), "a|bé|");
	pk_steptree_free(t);
	/* Unicode-aware classes (PCRE2_UCP). */
	t = pk_steptree_new("\\s+", &err);
	CHECK_STR(split(t, "\"a\\u00a0b\""), "a|b|");
	pk_steptree_free(t);

	CHECK(pk_steptree_new("(", &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_STR(err.text, "pattern offset 1: missing closing parenthesis");
}

struct fixture {
	struct pk_record rec;
	struct pk_rank_opts opts;
	struct pk_rank_list l;
	struct pk_steptree *t;
	struct pk_buf out;
};

static int load(struct fixture *f, const char *json)
{
	pk_error_clear(&err);
	if (pk_scan_record(&f->rec, json, strlen(json), &err) != PK_OK ||
	    pk_rank_parse(&f->l, &f->rec, &f->opts, &err) != PK_OK)
		return -1;
	return pk_steptree_build(f->t, &f->l, &err);
}

static const char *tree(struct fixture *f)
{
	pk_buf_reset(&f->out);
	if (pk_steptree_write(f->t, &f->l, &f->out, &err) != PK_OK)
		return "(error)";
	return f->out.data;
}

static int collect(void *ctx, const char *json, size_t len)
{
	struct pk_buf *b = ctx;

	if (pk_buf_append(b, json, len) < 0 || pk_buf_putc(b, '\n') < 0)
		return PK_FATAL;
	return 0;
}

static const char *step_pairs(struct fixture *f, const char *strategy,
			      double min_gap, unsigned long long *below)
{
	struct pk_pairs_strategy s;

	pk_buf_reset(&f->out);
	if (pk_pairs_parse(strategy, &s) < 0 ||
	    pk_steptree_pairs(f->t, &f->l, &s, min_gap, below, collect,
			      &f->out, &err) != PK_OK)
		return "(error)";
	return f->out.data ? f->out.data : "";
}

/* Four responses: B (5) s1 s2 x3, D (4) z1 z2 as an array, A (3)
 * s1 s2 s3, C (1) s1 y2.  Inserted best first: B, D, A, C. */
#define LIST4                                                               \
	"{\"prompt\":\"Q\",\"responses\":["                                 \
	"{\"text\":\"s1\\n\\ns2\\n\\ns3\",\"score\":3},"                    \
	"{\"text\":\"s1\\n\\ns2\\n\\nx3\",\"score\":5},"                    \
	"{\"text\":\"s1\\n\\ny2\",\"score\":1},"                            \
	"{\"text\":[\"z1\",\"z2\"],\"score\":4}],\"id\":9}"
#define GID "\"group_id\":\"98050ebc82a5d470\"" /* xxhsum -H3 of "Q" */

static void test_tree(struct fixture *f)
{
	unsigned long long below = 0;

	CHECK_INT(load(f, LIST4), PK_OK);
	CHECK_STR(tree(f),
		  "{\"prompt\":\"Q\"," GID ",\"tree\":{\"children\":["
		  "{\"step\":\"s1\",\"score\":5,\"count\":3,\"children\":["
		  "{\"step\":\"s2\",\"score\":5,\"count\":2,\"children\":["
		  "{\"step\":\"x3\",\"score\":5,\"count\":1,\"children\":[]},"
		  "{\"step\":\"s3\",\"score\":3,\"count\":1,\"children\":[]}]},"
		  "{\"step\":\"y2\",\"score\":1,\"count\":1,\"children\":[]}]},"
		  "{\"step\":\"z1\",\"score\":4,\"count\":1,\"children\":["
		  "{\"step\":\"z2\",\"score\":4,\"count\":1,\"children\":[]}]}"
		  "]},\"id\":9}");
	/* Pre-order: root (s1 vs z1), s1 (s2 vs y2), s2 (x3 vs s3). */
	CHECK_STR(step_pairs(f, "all", 0, &below),
		  "{\"prompt\":\"Q\",\"chosen\":\"s1\",\"rejected\":\"z1\","
		  "\"score_chosen\":5,\"score_rejected\":4,\"depth\":0," GID
		  ",\"id\":9}\n"
		  "{\"prompt\":\"Q\\n\\ns1\",\"chosen\":\"s2\",\"rejected\":\"y2\","
		  "\"score_chosen\":5,\"score_rejected\":1,\"depth\":1," GID
		  ",\"id\":9}\n"
		  "{\"prompt\":\"Q\\n\\ns1\\n\\ns2\",\"chosen\":\"x3\","
		  "\"rejected\":\"s3\",\"score_chosen\":5,\"score_rejected\":3,"
		  "\"depth\":2," GID ",\"id\":9}\n");
	/* --min-gap 2 drops s1 vs z1 (gap 1). */
	CHECK_STR(step_pairs(f, "all", 2, &below),
		  "{\"prompt\":\"Q\\n\\ns1\",\"chosen\":\"s2\",\"rejected\":\"y2\","
		  "\"score_chosen\":5,\"score_rejected\":1,\"depth\":1," GID
		  ",\"id\":9}\n"
		  "{\"prompt\":\"Q\\n\\ns1\\n\\ns2\",\"chosen\":\"x3\","
		  "\"rejected\":\"s3\",\"score_chosen\":5,\"score_rejected\":3,"
		  "\"depth\":2," GID ",\"id\":9}\n");
	CHECK_INT(below, 1);

	/* Siblings of equal score are never paired; three siblings with
	 * best-vs-rest. */
	CHECK_INT(load(f, "{\"prompt\":\"Q\",\"responses\":["
			  "{\"text\":\"a\\n\\nb\",\"score\":2},"
			  "{\"text\":\"a\\n\\nc\",\"score\":2},"
			  "{\"text\":\"a\\n\\nd\",\"score\":1},"
			  "{\"text\":\"e\",\"score\":2}]}"),
		  PK_OK);
	CHECK_STR(step_pairs(f, "best-vs-rest", 0, NULL),
		  "{\"prompt\":\"Q\\n\\na\",\"chosen\":\"b\",\"rejected\":\"d\","
		  "\"score_chosen\":2,\"score_rejected\":1,\"depth\":1," GID
		  "}\n"
		  "{\"prompt\":\"Q\\n\\na\",\"chosen\":\"c\",\"rejected\":\"d\","
		  "\"score_chosen\":2,\"score_rejected\":1,\"depth\":1," GID
		  "}\n");

	/* Ranks: the node keeps the best (lowest) rank; message-list
	 * prompt gets one assistant message. */
	CHECK_INT(load(f, "{\"prompt\":[{\"role\":\"user\",\"content\":\"hi\"}],"
			  "\"responses\":[{\"text\":\"a\\n\\nb\",\"rank\":2},"
			  "{\"text\":\"a\\n\\nc\",\"rank\":1}]}"),
		  PK_OK);
	CHECK_STR(tree(f),
		  "{\"prompt\":[{\"role\":\"user\",\"content\":\"hi\"}],"
		  "\"group_id\":\"471d68e036f73c27\",\"tree\":{\"children\":["
		  "{\"step\":\"a\",\"rank\":1,\"count\":2,\"children\":["
		  "{\"step\":\"c\",\"rank\":1,\"count\":1,\"children\":[]},"
		  "{\"step\":\"b\",\"rank\":2,\"count\":1,\"children\":[]}]}]}}");
	CHECK_STR(step_pairs(f, "all", 0, NULL),
		  "{\"prompt\":[{\"role\":\"user\",\"content\":\"hi\"},"
		  "{\"role\":\"assistant\",\"content\":\"a\"}],"
		  "\"chosen\":[{\"role\":\"assistant\",\"content\":\"c\"}],"
		  "\"rejected\":[{\"role\":\"assistant\",\"content\":\"b\"}],"
		  "\"rank_chosen\":1,\"rank_rejected\":2,\"depth\":1,"
		  "\"group_id\":\"471d68e036f73c27\"}\n");

	/* An empty list is an empty tree. */
	CHECK_INT(load(f, "{\"prompt\":\"Q\",\"responses\":[]}"), PK_OK);
	CHECK_STR(tree(f), "{\"prompt\":\"Q\"," GID
			   ",\"tree\":{\"children\":[]}}");
	CHECK_STR(step_pairs(f, "all", 0, NULL), "");

	/* A step that is not a string: the list itself is refused. */
	CHECK_INT(load(f, "{\"prompt\":\"Q\",\"responses\":["
			  "{\"text\":[\"a\",2],\"score\":1}]}"),
		  -1);
	CHECK_STR(err.text, "responses[0].text: not a string or message list "
			    "or array of steps");
}

int main(void)
{
	struct fixture f;

	memset(&f, 0, sizeof(f));
	test_split();
	pk_rank_opts_init(&f.opts);
	f.opts.steps = 1;
	f.t = pk_steptree_new(NULL, &err);
	test_tree(&f);
	pk_steptree_free(f.t);
	pk_rank_list_free(&f.l);
	pk_record_free(&f.rec);
	pk_buf_free(&f.out);
	return pk_test_done();
}
