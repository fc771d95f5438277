/* SPDX-License-Identifier: MIT */
/* test_rank.c - ranked lists and pair strategies (lib/rank.c).  Every
 * expected value below is worked out by hand from SPEC 1.3 and 3.2. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

/* "i-j i-j ..." for the pairs of a strategy over tie groups. */
static const char *pairs_of(const size_t *group, size_t n, const char *strat)
{
	static char text[512];
	struct pk_pairs_strategy s;
	struct pk_buf out = PK_BUF_INIT;
	const struct pk_rank_pair *p;
	size_t k, at = 0;
	long np;

	text[0] = '\0';
	if (pk_pairs_parse(strat, &s) < 0)
		return "(bad strategy)";
	np = pk_pairs_build(group, n, &s, &out);
	p = (const void *)out.data;
	for (k = 0; np > 0 && k < (size_t)np; k++)
		at += (size_t)snprintf(text + at, sizeof(text) - at, "%s%zu-%zu",
				       k ? " " : "", p[k].i, p[k].j);
	CHECK_INT(out.len, (size_t)(np > 0 ? np : 0) * sizeof(*p));
	pk_buf_free(&out);
	return text;
}

static void test_strategies(void)
{
	struct pk_pairs_strategy s;
	/* A, B tied best; C; D, E tied worst. */
	static const size_t tied[] = {0, 0, 1, 2, 2};
	static const size_t untied[] = {0, 1, 2, 3};
	static const size_t one[] = {0, 0, 0};

	CHECK(pk_pairs_parse("all", &s) == 0 && s.kind == PK_PAIRS_ALL);
	CHECK(pk_pairs_parse("skip=3", &s) == 0 && s.kind == PK_PAIRS_SKIP &&
	      s.skip == 3);
	CHECK(pk_pairs_parse("skip=0", &s) < 0);
	CHECK(pk_pairs_parse("skip=", &s) < 0);
	CHECK(pk_pairs_parse("skip=2x", &s) < 0);
	CHECK(pk_pairs_parse("best", &s) < 0);
	CHECK(pk_pairs_parse("", &s) < 0);

	CHECK_STR(pairs_of(untied, 4, "all"), "0-1 0-2 0-3 1-2 1-3 2-3");
	CHECK_STR(pairs_of(untied, 4, "adjacent"), "0-1 1-2 2-3");
	CHECK_STR(pairs_of(untied, 4, "best-vs-rest"), "0-1 0-2 0-3");
	CHECK_STR(pairs_of(untied, 4, "rest-vs-worst"), "0-3 1-3 2-3");
	CHECK_STR(pairs_of(untied, 4, "best-vs-worst"), "0-3");
	CHECK_STR(pairs_of(untied, 4, "skip=2"), "0-2 1-3");
	CHECK_STR(pairs_of(untied, 4, "skip=3"), "0-3");
	CHECK_STR(pairs_of(untied, 4, "skip=4"), "");

	CHECK_STR(pairs_of(tied, 5, "all"),
		  "0-2 0-3 0-4 1-2 1-3 1-4 2-3 2-4");
	CHECK_STR(pairs_of(tied, 5, "adjacent"), "0-2 1-2 2-3 2-4");
	CHECK_STR(pairs_of(tied, 5, "skip=1"), "0-2 1-2 2-3 2-4");
	CHECK_STR(pairs_of(tied, 5, "best-vs-rest"), "0-2 0-3 0-4 1-2 1-3 1-4");
	CHECK_STR(pairs_of(tied, 5, "rest-vs-worst"),
		  "0-3 0-4 1-3 1-4 2-3 2-4");
	CHECK_STR(pairs_of(tied, 5, "best-vs-worst"), "0-3 0-4 1-3 1-4");
	CHECK_STR(pairs_of(tied, 5, "skip=2"), "0-3 0-4 1-3 1-4");

	CHECK_STR(pairs_of(one, 3, "all"), "");
	CHECK_STR(pairs_of(one, 3, "best-vs-worst"), "");
	CHECK_STR(pairs_of(one, 0, "all"), "");
}

struct fixture {
	struct pk_record rec;
	struct pk_rank_opts opts;
	struct pk_rank_list l;
	struct pk_error err;
	struct pk_buf out;
};

static int load(struct fixture *f, const char *json)
{
	pk_error_clear(&f->err);
	if (pk_scan_record(&f->rec, json, strlen(json), &f->err) != PK_OK)
		return -100;
	return pk_rank_parse(&f->l, &f->rec, &f->opts, &f->err);
}

/* The texts of the items in order, e.g. "b a c". */
static const char *order(const struct pk_rank_list *l)
{
	static char text[256];
	size_t k, at = 0;

	text[0] = '\0';
	for (k = 0; k < l->n; k++)
		at += (size_t)snprintf(text + at, sizeof(text) - at, "%s%.*s",
				       k ? " " : "",
				       (int)l->items[k].text.len - 2,
				       l->text + l->items[k].text.off + 1);
	return text;
}

static const char *pair_text(struct fixture *f, size_t i, size_t j)
{
	pk_buf_reset(&f->out);
	if (pk_rank_write_pair(&f->l, i, j, NULL, 0, &f->out, &f->err) != 0)
		return "(error)";
	return f->out.data;
}

static void test_parse(struct fixture *f)
{
	struct pk_pairs_strategy all = {PK_PAIRS_ALL, 0};
	unsigned long long below = 0;

	/* Scores, stable order for ties, groups. */
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"score\":3},"
			  "{\"text\":\"b\",\"score\":5},"
			  "{\"text\":\"c\",\"score\":3},"
			  "{\"text\":\"d\",\"score\":1.5}]}"),
		  PK_OK);
	CHECK_STR(order(&f->l), "b a c d");
	CHECK_INT(f->l.n, 4);
	CHECK_INT(f->l.ngroups, 3);
	CHECK_INT(f->l.items[1].group, 1);
	CHECK_INT(f->l.items[2].group, 1);
	CHECK_INT(f->l.items[2].index, 2);
	CHECK(f->l.by == PK_RANK_BY_SCORE);
	CHECK_STR(f->l.group_id, "9d2ac64db9e07d34"); /* xxhsum -H3 of "P" */
	CHECK(pk_rank_gap(&f->l, 0, 3) == 3.5);
	/* all, ties never paired: b-a b-c b-d a-d c-d */
	CHECK_INT(pk_rank_pairs(&f->l, &all, 0, &below), 5);
	CHECK_INT(f->l.pairs[3].i, 1);
	CHECK_INT(f->l.pairs[3].j, 3);
	/* --min-gap 2: b-a (2) b-c (2) b-d (3.5) kept; a-d, c-d (1.5) not */
	CHECK_INT(pk_rank_pairs(&f->l, &all, 2, &below), 3);
	CHECK_INT(below, 2);

	/* --top 2 keeps b and a (a is first of the tied 3s). */
	pk_rank_top(&f->l, 2);
	CHECK_STR(order(&f->l), "b a");
	CHECK_INT(f->l.ngroups, 2);
	pk_rank_top(&f->l, 5);
	CHECK_INT(f->l.n, 2);

	/* Ranks only: lower is better, 1-based with a gap. */
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"rank\":4},"
			  "{\"text\":\"b\",\"rank\":1},"
			  "{\"text\":\"c\",\"rank\":2.0}]}"),
		  PK_OK);
	CHECK(f->l.by == PK_RANK_BY_RANK);
	CHECK_STR(order(&f->l), "b c a");
	CHECK(pk_rank_gap(&f->l, 0, 2) == 3);

	/* Both: --rank-by chooses. */
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"score\":9,\"rank\":2},"
			  "{\"text\":\"b\",\"score\":1,\"rank\":1}]}"),
		  PK_OK);
	CHECK_STR(order(&f->l), "a b");
	f->opts.rank_by = PK_RANK_BY_RANK;
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"score\":9,\"rank\":2},"
			  "{\"text\":\"b\",\"score\":1,\"rank\":1}]}"),
		  PK_OK);
	CHECK_STR(order(&f->l), "b a");
	/* rank preferred but only scores there: scores order. */
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"score\":1},"
			  "{\"text\":\"b\",\"score\":2}]}"),
		  PK_OK);
	CHECK(f->l.by == PK_RANK_BY_SCORE);
	CHECK_STR(order(&f->l), "b a");
	f->opts.rank_by = PK_RANK_BY_SCORE;

	/* Booleans count as 1/0; a null score drops the response. */
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"score\":false},"
			  "{\"text\":\"b\",\"score\":null},"
			  "{\"text\":\"c\",\"score\":true}]}"),
		  PK_OK);
	CHECK_STR(order(&f->l), "c a");
	CHECK_INT(f->l.ndropped, 1);
	CHECK_STR(pair_text(f, 0, 1),
		  "{\"prompt\":\"P\",\"chosen\":\"c\",\"rejected\":\"a\","
		  "\"score_chosen\":1,\"score_rejected\":0,"
		  "\"group_id\":\"9d2ac64db9e07d34\"}");

	/* Empty list. */
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":[]}"), PK_OK);
	CHECK_INT(f->l.n, 0);
	CHECK_INT(f->l.ngroups, 0);
}

static void test_errors(struct fixture *f)
{
	CHECK_INT(load(f, "{\"prompt\":\"P\"}"), PK_BAD_RECORD);
	CHECK_STR(f->err.text, "no 'responses'");
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":{}}"),
		  PK_BAD_RECORD);
	CHECK_STR(f->err.text, "'responses': not an array (object)");
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":[\"x\"]}"),
		  PK_BAD_RECORD);
	CHECK_STR(f->err.text, "responses[0]: not an object");
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"score\":1},{\"score\":2}]}"),
		  PK_BAD_RECORD);
	CHECK_STR(f->err.text, "responses[1]: no 'text'");
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":3,\"score\":1}]}"),
		  PK_BAD_RECORD);
	CHECK_STR(f->err.text,
		  "responses[0].text: not a string or message list");
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":[\"s1\",\"s2\"],\"score\":1}]}"),
		  PK_BAD_RECORD);
	f->opts.steps = 1;
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":[\"s1\",\"s2\"],\"score\":1}]}"),
		  PK_OK);
	f->opts.steps = 0;
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"rank\":1.5},"
			  "{\"text\":\"b\",\"rank\":2}]}"),
		  PK_BAD_RECORD);
	CHECK_STR(f->err.text, "responses[0].rank: not an integer");
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"rank\":\"1\"}]}"),
		  PK_BAD_RECORD);
	CHECK_STR(f->err.text, "responses[0].rank: not an integer");
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"score\":\"8\"}]}"),
		  PK_BAD_RECORD);
	CHECK_STR(f->err.text, "responses[0].score: not a number (string)");
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"score\":1e400}]}"),
		  PK_BAD_RECORD);
	CHECK_STR(f->err.text, "responses[0]: score out of range");
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"score\":1},{\"text\":\"b\"}]}"),
		  PK_BAD_RECORD);
	CHECK_STR(f->err.text, "responses[1]: no 'score' or 'rank'");
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":["
			  "{\"text\":\"a\",\"score\":1},"
			  "{\"text\":\"b\",\"rank\":1}]}"),
		  PK_BAD_RECORD);
	CHECK_STR(f->err.text,
		  "responses[1]: no 'score' (other responses have one)");
	CHECK_INT(load(f, "{\"responses\":[{\"text\":\"a\",\"score\":1}]}"),
		  PK_BAD_RECORD);
	CHECK_STR(f->err.text, "no 'prompt'");
	CHECK_INT(load(f, "{\"prompt\":7,\"responses\":[]}"), PK_BAD_RECORD);
	CHECK_STR(f->err.text, "'prompt': not a string or message list "
			       "(number)");
}

static void test_write(struct fixture *f)
{
	/* Carried fields, list fields in place, whitespace compacted,
	 * message-list texts copied as they are. */
	CHECK_INT(load(f, "{ \"id\": 7, \"prompt\": \"P\", \"responses\": [ "
			  "{\"text\": \"a\", \"score\": 2.50, \"model\": \"m1\"},"
			  " {\"model\": \"m2\", \"text\": [{\"role\": "
			  "\"assistant\", \"content\": \"b\"}], \"score\": 7,"
			  " \"meta\": {\"x\": [1, 2]}} ], \"src\": \"s\" }"),
		  PK_OK);
	CHECK_STR(pair_text(f, 0, 1),
		  "{\"id\":7,\"prompt\":\"P\",\"chosen\":[{\"role\":"
		  "\"assistant\",\"content\":\"b\"}],\"rejected\":\"a\","
		  "\"score_chosen\":7,\"score_rejected\":2.50,"
		  "\"chosen_model\":\"m2\",\"chosen_meta\":{\"x\":[1,2]},"
		  "\"rejected_model\":\"m1\","
		  "\"group_id\":\"9d2ac64db9e07d34\",\"src\":\"s\"}");

	/* Ranks and scores both written; a list field with the name of a
	 * written field is left out (group_id), one this pair does not write
	 * stays (chosen_model: b has no model); extra members. */
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"group_id\":\"old\","
			  "\"chosen_model\":\"z\",\"responses\":["
			  "{\"text\":\"a\",\"rank\":1,\"score\":null,"
			  "\"model\":\"m1\"},{\"text\":\"b\",\"rank\":0}]}"),
		  PK_OK);
	CHECK(f->l.by == PK_RANK_BY_RANK);
	pk_buf_reset(&f->out);
	CHECK_INT(pk_rank_write_pair(&f->l, 0, 1, "{\"gap\":1, \"stage\":2}",
				     21, &f->out, &f->err),
		  PK_OK);
	CHECK_STR(f->out.data,
		  "{\"prompt\":\"P\",\"chosen_model\":\"z\",\"chosen\":\"b\","
		  "\"rejected\":\"a\",\"score_rejected\":null,\"rank_chosen\":0,"
		  "\"rank_rejected\":1,\"rejected_model\":\"m1\",\"gap\":1,"
		  "\"stage\":2,\"group_id\":\"9d2ac64db9e07d34\"}");
	/* chosen_model of the list is left out when the pair writes one. */
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"chosen_model\":\"z\","
			  "\"responses\":[{\"text\":\"a\",\"rank\":1,"
			  "\"model\":\"m1\"},{\"text\":\"b\",\"rank\":2}]}"),
		  PK_OK);
	CHECK_STR(pair_text(f, 0, 1),
		  "{\"prompt\":\"P\",\"chosen\":\"a\",\"rejected\":\"b\","
		  "\"rank_chosen\":1,\"rank_rejected\":2,"
		  "\"chosen_model\":\"m1\","
		  "\"group_id\":\"9d2ac64db9e07d34\"}");

	/* Keys spelled with escapes are the same names. */
	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":[{\"t\\u0065xt\":"
			  "\"a\",\"sc\\u006fre\":2,\"m\":1},{\"text\":\"b\","
			  "\"score\":1}],\"chosen\\u005fm\":0}"),
		  PK_OK);
	CHECK_STR(pair_text(f, 0, 1),
		  "{\"prompt\":\"P\",\"chosen\":\"a\",\"rejected\":\"b\","
		  "\"score_chosen\":2,\"score_rejected\":1,\"chosen_m\":1,"
		  "\"group_id\":\"9d2ac64db9e07d34\"}");

	/* Other field names, dotted paths. */
	f->opts.responses_field = "data.items";
	f->opts.text_field = "response";
	f->opts.score_field = "eval.factuality";
	f->opts.prompt_field = "q";
	CHECK_INT(load(f, "{\"q\":\"P\",\"data\":{\"n\":2,\"items\":["
			  "{\"response\":\"a\",\"eval\":{\"factuality\":false}},"
			  "{\"response\":\"b\",\"eval\":{\"factuality\":true}}"
			  "]},\"z\":1}"),
		  PK_OK);
	CHECK_STR(order(&f->l), "b a");
	CHECK_STR(pair_text(f, 0, 1),
		  "{\"q\":\"P\",\"data\":{\"n\":2},\"chosen\":\"b\","
		  "\"rejected\":\"a\",\"score_chosen\":1,\"score_rejected\":0,"
		  "\"chosen_eval\":{\"factuality\":true},"
		  "\"rejected_eval\":{\"factuality\":false},"
		  "\"group_id\":\"9d2ac64db9e07d34\",\"z\":1}");
	CHECK_INT(load(f, "{\"q\":\"P\",\"data\":{\"items\":["
			  "{\"response\":\"a\",\"eval\":{\"factuality\":null}}]}}"),
		  PK_OK);
	CHECK_INT(f->l.n, 0);
	CHECK_INT(f->l.ndropped, 1);
	pk_rank_opts_init(&f->opts);

	/* Implicit prompt: the group id is that of the messages before the
	 * last; [{"role":"user","content":"hi"}] (xxhsum -H3 of its sorted
	 * compact JSON {"content":"hi","role":"user"} in a list). */
	CHECK_INT(load(f, "{\"responses\":[{\"text\":[{\"role\":\"user\","
			  "\"content\":\"hi\"},{\"role\":\"assistant\","
			  "\"content\":\"a\"}],\"score\":1},{\"text\":[{\"role\":"
			  "\"user\",\"content\":\"hi\"},{\"role\":\"assistant\","
			  "\"content\":\"b\"}],\"score\":2}]}"),
		  PK_OK);
	CHECK_STR(f->l.group_id, "471d68e036f73c27");
	f->opts.need_prompt = 1;
	CHECK_INT(load(f, "{\"responses\":[{\"text\":[{\"role\":\"user\","
			  "\"content\":\"hi\"},{\"role\":\"assistant\","
			  "\"content\":\"a\"}],\"score\":1}]}"),
		  PK_BAD_RECORD);
	pk_rank_opts_init(&f->opts);

	/* pk_rank_write_list: prompt replaced, block in place. */
	CHECK_INT(load(f, "{\"a\":1,\"prompt\":\"P\",\"responses\":[],"
			  "\"tree\":0,\"b\":2}"),
		  PK_OK);
	pk_buf_reset(&f->out);
	CHECK_INT(pk_rank_write_list(&f->l, "\"Q\"", 3, "{\"tree\":{}}", 11,
				     &f->out, &f->err),
		  PK_OK);
	CHECK_STR(f->out.data, "{\"a\":1,\"prompt\":\"Q\",\"tree\":{},\"b\":2}");
}

/* emit for test_write_pairs: keeps each record, one per line; stops
 * (returns 7) once it holds *limit of them. */
struct collected {
	struct pk_buf text;
	int n, limit;
};

static int collect(void *ctx, const char *json, size_t len)
{
	struct collected *c = ctx;

	pk_buf_append(&c->text, json, len);
	pk_buf_putc(&c->text, '\n');
	return ++c->n == c->limit ? 7 : 0;
}

/* pk_rank_write_pairs: every pair of the strategy, in its order, as
 * pk_rank_write_pair writes it; the first non-zero emit ends it. */
static void test_write_pairs(struct fixture *f)
{
	struct pk_pairs_strategy s;
	struct collected c = {PK_BUF_INIT, 0, 0};
	struct pk_buf want = PK_BUF_INIT;
	size_t k;

	CHECK_INT(load(f, "{\"prompt\":\"P\",\"responses\":[{\"text\":\"a\",\"score\":1},"
			  "{\"text\":\"b\",\"score\":3},{\"text\":\"c\",\"score\":2}]}"),
		  PK_OK);
	CHECK(pk_pairs_parse("all", &s) == 0);
	CHECK_INT(pk_rank_pairs(&f->l, &s, 0, NULL), 3);
	for (k = 0; k < f->l.npairs; k++) {
		pk_buf_puts(&want, pair_text(f, f->l.pairs[k].i, f->l.pairs[k].j));
		pk_buf_putc(&want, '\n');
	}
	CHECK_INT(pk_rank_write_pairs(&f->l, &f->out, collect, &c, &f->err), 0);
	CHECK_INT(c.n, 3);
	CHECK_MEM(c.text.data, c.text.len, want.data, want.len);
	/* best first: b (3) over c (2) is the first pair */
	{
		static const char first[] =
			"{\"prompt\":\"P\",\"chosen\":\"b\",\"rejected\":\"c\","
			"\"score_chosen\":3,\"score_rejected\":2,"
			"\"group_id\":\"9d2ac64db9e07d34\"}\n";

		CHECK(c.text.len > sizeof first - 1 &&
		      memcmp(c.text.data, first, sizeof first - 1) == 0);
	}
	pk_buf_reset(&c.text);
	c.n = 0;
	c.limit = 2;
	CHECK_INT(pk_rank_write_pairs(&f->l, &f->out, collect, &c, &f->err), 7);
	CHECK_INT(c.n, 2);
	pk_buf_free(&c.text);
	pk_buf_free(&want);
}

int main(void)
{
	struct fixture f;

	memset(&f, 0, sizeof(f));
	pk_rank_opts_init(&f.opts);
	test_strategies();
	test_parse(&f);
	test_errors(&f);
	test_write(&f);
	test_write_pairs(&f);
	pk_rank_list_free(&f.l);
	pk_record_free(&f.rec);
	pk_buf_free(&f.out);
	return pk_test_done();
}
