/* SPDX-License-Identifier: MIT */
/*
 * test_curriculum.c - lib/curriculum.c: stages and orders worked out by
 * hand for small lists (N = 2, 3, 4, 7; ties; rank only; several
 * strategies) and for gap stages (tie groups at the cuts, empty stages,
 * fewer pairs than stages, ties kept or dropped); the shuffle checked
 * against its definition (XXH3-64 of the pair with stage 0); tiny memory
 * giving the same bytes; members replaced in place; bad records leaving
 * nothing behind; held lists; merging outputs; pairs built apart (the
 * threads of pref-curriculum -j) giving what feeding them gives; whole
 * gaps written as pk_format_number writes them; writing to a sink.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prefkit.h"
#include "test.h"

#define MAXOUT 512

struct out {
	char *line[MAXOUT];
	unsigned stage[MAXOUT];
	int n;
	int rc;           /* of the last call that failed, or PK_EOF */
	struct pk_error err;
	unsigned stages;  /* pk_curriculum_stages() */
	unsigned long long counter[16];
};

static void out_free(struct out *o)
{
	int i;

	for (i = 0; i < o->n; i++)
		free(o->line[i]);
	memset(o, 0, sizeof *o);
}

/* Read everything out of c into o. */
static void drain(struct pk_curriculum *c, struct out *o)
{
	const char *json;
	size_t n, i;
	unsigned stage;
	int rc;

	while ((rc = pk_curriculum_next(c, &json, &n, &stage, &o->err)) ==
		       PK_OK &&
	       o->n < MAXOUT) {
		o->line[o->n] = strndup(json, n);
		o->stage[o->n++] = stage;
	}
	o->rc = rc;
	o->stages = pk_curriculum_stages(c);
	for (i = 0; i < 16; i++) {
		unsigned long long v;

		if (!pk_curriculum_counter(c, i, &v))
			break;
		o->counter[i] = v;
	}
}

/* Feed the lines (NULL-terminated) and read the output. */
static void run(const struct pk_curriculum_opts *opts, const char *const *in,
		struct out *o)
{
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_curriculum *c;

	memset(o, 0, sizeof *o);
	c = pk_curriculum_new(opts, &o->err);
	if (!c) {
		o->rc = PK_FATAL;
		return;
	}
	for (; *in; in++) {
		if (pk_scan_record(&rec, *in, strlen(*in), &o->err) != PK_OK ||
		    (o->rc = pk_curriculum_feed(c, &rec, &o->err)) != PK_OK) {
			printf("# feed: %s\n", o->err.text);
			break;
		}
	}
	if (!*in)
		drain(c, o);
	pk_record_free(&rec);
	pk_curriculum_free(c);
}

/* Does the output equal the expected lines (NULL-terminated)? */
static int same(const struct out *o, const char *const *want)
{
	int i;

	for (i = 0; want[i]; i++)
		if (i >= o->n || strcmp(o->line[i], want[i]) != 0) {
			printf("# line %d:\n#   got:  %s\n#   want: %s\n", i,
			       i < o->n ? o->line[i] : "(none)", want[i]);
			return 0;
		}
	if (i != o->n) {
		printf("# %d lines, want %d\n", o->n, i);
		return 0;
	}
	return o->rc == PK_EOF;
}

static char gid_p[17], gid_q[17], gid_r[17];

/* A pair line in the order pk_rank_write_pair writes it. */
static char *pair(const char *prompt, const char *gid, const char *c,
		  const char *r, const char *sc, const char *sr,
		  const char *field, const char *gap, unsigned stage)
{
	static char buf[64][256];
	static int k;
	char *b = buf[k++ % 64];

	snprintf(b, 256,
		 "{\"prompt\":\"%s\",\"chosen\":\"%s\",\"rejected\":\"%s\","
		 "\"%s_chosen\":%s,\"%s_rejected\":%s,\"gap\":%s,"
		 "\"stage\":%u,\"group_id\":\"%s\"}",
		 prompt, c, r, field, sc, field, sr, gap, stage, gid);
	return b;
}

#define S(p, g, c, r, sc, sr, gap, st) \
	pair(p, g, c, r, sc, sr, "score", gap, st)

static struct pk_curriculum_opts within_gap(void)
{
	struct pk_curriculum_opts o = {0};

	o.within = PK_CURR_WITHIN_GAP;
	return o;
}

/* Curry-DPO's case: 4 responses, best-vs-rest: (R1, R4) is stage 1,
 * (R1, R3) stage 2, (R1, R2) stage 3.  Scores in scrambled order. */
static void test_n4(void)
{
	struct pk_curriculum_opts o = within_gap();
	const char *in[] = {
		"{\"prompt\":\"P\",\"responses\":[{\"text\":\"b\",\"score\":7},"
		"{\"text\":\"d\",\"score\":3},{\"text\":\"a\",\"score\":9},"
		"{\"text\":\"c\",\"score\":5.5}]}",
		NULL};
	const char *want[] = {
		S("P", gid_p, "a", "d", "9", "3", "6", 1),
		S("P", gid_p, "a", "c", "9", "5.5", "3.5", 2),
		S("P", gid_p, "a", "b", "9", "7", "2", 3),
		NULL};
	struct out out;

	run(&o, in, &out);
	CHECK(same(&out, want));
	CHECK_INT(out.stages, 3);
	CHECK_INT(out.stage[0], 1);
	CHECK_INT(out.stage[2], 3);
	out_free(&out);
}

/* N = 2 and N = 3 (--pairs all), and two lists interleaved by stage:
 * stage 1 holds the widest pair of each list, in gap order then input
 * order. */
static void test_n2_n3(void)
{
	struct pk_curriculum_opts o = within_gap();
	const char *in[] = {
		"{\"prompt\":\"Q\",\"responses\":[{\"text\":\"x\",\"score\":1},"
		"{\"text\":\"y\",\"score\":2}]}",
		"{\"prompt\":\"P\",\"responses\":[{\"text\":\"a\",\"score\":3},"
		"{\"text\":\"b\",\"score\":2},{\"text\":\"c\",\"score\":1}]}",
		NULL};
	const char *want[] = {
		S("P", gid_p, "a", "c", "3", "1", "2", 1),
		S("Q", gid_q, "y", "x", "2", "1", "1", 1),
		S("P", gid_p, "a", "b", "3", "2", "1", 2),
		S("P", gid_p, "b", "c", "2", "1", "1", 2),
		NULL};
	const char *want_bvr[] = {
		S("P", gid_p, "a", "c", "3", "1", "2", 1),
		S("Q", gid_q, "y", "x", "2", "1", "1", 1),
		S("P", gid_p, "a", "b", "3", "2", "1", 2),
		NULL};
	struct out out;

	o.pairs.kind = PK_PAIRS_ALL;
	run(&o, in, &out);
	CHECK(same(&out, want));
	out_free(&out);
	o.pairs.kind = PK_PAIRS_BEST_VS_REST;
	run(&o, in, &out);
	CHECK(same(&out, want_bvr));
	out_free(&out);
}

/* N = 7 with ties: scores 5,9,1,8,6,5,8 are 5 standings {9} {8,8} {6}
 * {5,5} {1}; a pair of standings a < b is stage 5 - (b - a). */
static void test_n7_ties(void)
{
	struct pk_curriculum_opts o = within_gap();
	const char *in[] = {
		"{\"prompt\":\"R\",\"responses\":[{\"text\":\"r0\",\"score\":5},"
		"{\"text\":\"r1\",\"score\":9},{\"text\":\"r2\",\"score\":1},"
		"{\"text\":\"r3\",\"score\":8},{\"text\":\"r4\",\"score\":6},"
		"{\"text\":\"r5\",\"score\":5},{\"text\":\"r6\",\"score\":8}]}",
		NULL};
	const char *want_bvr[] = {
		S("R", gid_r, "r1", "r2", "9", "1", "8", 1),
		S("R", gid_r, "r1", "r0", "9", "5", "4", 2),
		S("R", gid_r, "r1", "r5", "9", "5", "4", 2),
		S("R", gid_r, "r1", "r4", "9", "6", "3", 3),
		S("R", gid_r, "r1", "r3", "9", "8", "1", 4),
		S("R", gid_r, "r1", "r6", "9", "8", "1", 4),
		NULL};
	/* rest-vs-worst: standing a against {1} is stage a (1-based) */
	const char *want_rvw[] = {
		S("R", gid_r, "r1", "r2", "9", "1", "8", 1),
		S("R", gid_r, "r3", "r2", "8", "1", "7", 2),
		S("R", gid_r, "r6", "r2", "8", "1", "7", 2),
		S("R", gid_r, "r4", "r2", "6", "1", "5", 3),
		S("R", gid_r, "r0", "r2", "5", "1", "4", 4),
		S("R", gid_r, "r5", "r2", "5", "1", "4", 4),
		NULL};
	/* adjacent: every pair is one standing apart, so all are stage 4;
	 * by gap, equal gaps in the order the pairs were made, (i, j) */
	const char *want_adj[] = {
		S("R", gid_r, "r0", "r2", "5", "1", "4", 4),
		S("R", gid_r, "r5", "r2", "5", "1", "4", 4),
		S("R", gid_r, "r3", "r4", "8", "6", "2", 4),
		S("R", gid_r, "r6", "r4", "8", "6", "2", 4),
		S("R", gid_r, "r1", "r3", "9", "8", "1", 4),
		S("R", gid_r, "r1", "r6", "9", "8", "1", 4),
		S("R", gid_r, "r4", "r0", "6", "5", "1", 4),
		S("R", gid_r, "r4", "r5", "6", "5", "1", 4),
		NULL};
	struct out out;

	run(&o, in, &out);
	CHECK(same(&out, want_bvr));
	CHECK_INT(out.stages, 4);
	out_free(&out);
	o.pairs.kind = PK_PAIRS_REST_VS_WORST;
	run(&o, in, &out);
	CHECK(same(&out, want_rvw));
	out_free(&out);
	o.pairs.kind = PK_PAIRS_ADJACENT;
	run(&o, in, &out);
	CHECK(same(&out, want_adj));
	out_free(&out);
}

/* Lists ordered by rank only: gap = rank(rejected) - rank(chosen). */
static void test_rank_only(void)
{
	struct pk_curriculum_opts o = within_gap();
	const char *in[] = {
		"{\"prompt\":\"R\",\"responses\":[{\"text\":\"p\",\"rank\":3},"
		"{\"text\":\"q\",\"rank\":1},{\"text\":\"s\",\"rank\":2}]}",
		NULL};
	const char *want[] = {
		pair("R", gid_r, "q", "p", "1", "3", "rank", "2", 1),
		pair("R", gid_r, "q", "s", "1", "2", "rank", "1", 2),
		NULL};
	struct out out;

	run(&o, in, &out);
	CHECK(same(&out, want));
	CHECK_INT(out.counter[6], 1); /* lists */
	out_free(&out);
}

/* The text with its "stage":N written as "stage":0. */
static void stage0(const char *line, char *out, size_t cap)
{
	const char *p = strstr(line, "\"stage\":");
	size_t k = (size_t)(p - line) + 8;

	snprintf(out, cap, "%.*s0%s", (int)k, line, p + 8 + strspn(p + 8, "0123456789"));
}

/* The default order within a stage: XXH3-64 (seed) of the pair with stage
 * 0.  Many lists of 5: stage s holds one pair of each. */
static void test_shuffle(void)
{
	struct pk_curriculum_opts o = {0};
	char lines[40][256];
	const char *in[41];
	struct out out, again, other;
	int i, ok = 1;

	for (i = 0; i < 40; i++) {
		snprintf(lines[i], sizeof lines[i],
			 "{\"prompt\":\"q%d\",\"responses\":[{\"text\":\"a\","
			 "\"score\":%d},{\"text\":\"b\",\"score\":4},{\"text\":"
			 "\"c\",\"score\":3},{\"text\":\"d\",\"score\":2},"
			 "{\"text\":\"e\",\"score\":1}]}",
			 i, 5 + i % 3);
		in[i] = lines[i];
	}
	in[40] = NULL;
	o.seed = 7;
	run(&o, in, &out);
	CHECK_INT(out.n, 160);
	for (i = 0; i < out.n; i++) {
		char a[300], b[300];

		ok &= out.stage[i] == 1u + (unsigned)i / 40;
		if (i % 40 == 0)
			continue;
		stage0(out.line[i - 1], a, sizeof a);
		stage0(out.line[i], b, sizeof b);
		ok &= pk_hash64(a, strlen(a), 7) <= pk_hash64(b, strlen(b), 7);
	}
	CHECK(ok);
	run(&o, in, &again);
	for (i = 0, ok = again.n == out.n; ok && i < out.n; i++)
		ok = strcmp(out.line[i], again.line[i]) == 0;
	CHECK(ok); /* same seed, same bytes */
	o.seed = 8;
	run(&o, in, &other);
	for (i = 0, ok = 1; i < 40; i++)
		ok &= strcmp(out.line[i], other.line[i]) == 0;
	CHECK(!ok); /* another seed, another order */
	out_free(&out);
	out_free(&again);
	out_free(&other);
}

static char *pairline(const char *id, const char *sc, const char *sr)
{
	static char buf[64][160];
	static int k;
	char *b = buf[k++ % 64];

	snprintf(b, 160,
		 "{\"id\":\"%s\",\"chosen\":\"c\",\"rejected\":\"r\","
		 "\"score_chosen\":%s,\"score_rejected\":%s}",
		 id, sc, sr);
	return b;
}

static char *staged(const char *id, const char *sc, const char *sr,
		    const char *gap, unsigned stage)
{
	static char buf[64][200];
	static int k;
	char *b = buf[k++ % 64];

	snprintf(b, 200,
		 "{\"id\":\"%s\",\"chosen\":\"c\",\"rejected\":\"r\","
		 "\"score_chosen\":%s,\"score_rejected\":%s,\"gap\":%s,"
		 "\"stage\":%u}",
		 id, sc, sr, gap, stage);
	return b;
}

/* Gap stages of 10 pairs, gaps 9 8 7 7 7 5 4 3 2 1 (fed scrambled).
 * K = 3: nominal sizes 4 3 3; the 7s start in stage 1 and all go there;
 * stage 2 keeps its cut: {5, 4}; stage 3: {3, 2, 1}.  K = 4: sizes
 * 3 3 2 2, cuts after the 3rd, 6th and 8th: {9 8 7 7 7} {5} {4 3} {2 1}. */
static void test_gap_stages(void)
{
	struct pk_curriculum_opts o = within_gap();
	const char *in[] = {
		pairline("g", "7", "0"), pairline("i", "2", "0"),
		pairline("a", "9", "0"), pairline("e", "7.5", "0.5"),
		pairline("h", "3", "0"), pairline("f", "5", "0"),
		pairline("b", "8", "0"), pairline("j", "1", "0"),
		pairline("d", "8", "1"), pairline("k", "4", "0"), NULL};
	const char *want3[] = {
		staged("a", "9", "0", "9", 1), staged("b", "8", "0", "8", 1),
		staged("g", "7", "0", "7", 1), staged("e", "7.5", "0.5", "7", 1),
		staged("d", "8", "1", "7", 1), staged("f", "5", "0", "5", 2),
		staged("k", "4", "0", "4", 2), staged("h", "3", "0", "3", 3),
		staged("i", "2", "0", "2", 3), staged("j", "1", "0", "1", 3),
		NULL};
	const char *want4[] = {
		staged("a", "9", "0", "9", 1), staged("b", "8", "0", "8", 1),
		staged("g", "7", "0", "7", 1), staged("e", "7.5", "0.5", "7", 1),
		staged("d", "8", "1", "7", 1), staged("f", "5", "0", "5", 2),
		staged("k", "4", "0", "4", 3), staged("h", "3", "0", "3", 3),
		staged("i", "2", "0", "2", 4), staged("j", "1", "0", "1", 4),
		NULL};
	struct out out;
	int i, ok = 1;

	run(&o, in, &out);
	CHECK(same(&out, want3));
	CHECK_INT(out.stages, 3);
	out_free(&out);
	o.stages = 4;
	run(&o, in, &out);
	CHECK(same(&out, want4));
	CHECK_INT(out.stages, 4);
	out_free(&out);
	/* Shuffled within stages: the same stages, each stage's pairs in
	 * hash order, stage by stage. */
	o.stages = 3;
	o.within = PK_CURR_SHUFFLE;
	run(&o, in, &out);
	CHECK_INT(out.n, 10);
	for (i = 0; i < out.n; i++) {
		const char *id = strstr(out.line[i], "\"id\":\"") + 6;
		unsigned want = *id <= 'g' && *id != 'f' ? 1
				: *id == 'f' || *id == 'k' ? 2 : 3;

		ok &= out.stage[i] == want;
		if (i > 0 && out.stage[i] == out.stage[i - 1]) {
			char a[300], b[300];

			stage0(out.line[i - 1], a, sizeof a);
			stage0(out.line[i], b, sizeof b);
			ok &= pk_hash64(a, strlen(a), 0) <=
			      pk_hash64(b, strlen(b), 0);
		}
		ok &= i == 0 || out.stage[i] >= out.stage[i - 1];
	}
	CHECK(ok);
	out_free(&out);
}

/* Equal gaps all go to stage 1 (2 and 3 stay empty); fewer pairs than
 * stages; ties and misordered pairs dropped and counted, or kept in the
 * last stage. */
static void test_gap_edges(void)
{
	struct pk_curriculum_opts o = within_gap();
	const char *eq[] = {pairline("a", "3", "1"), pairline("b", "5", "3"),
			    pairline("c", "2", "0"), pairline("d", "4", "2"),
			    NULL};
	const char *eq_want[] = {
		staged("a", "3", "1", "2", 1), staged("b", "5", "3", "2", 1),
		staged("c", "2", "0", "2", 1), staged("d", "4", "2", "2", 1),
		NULL};
	const char *two[] = {pairline("a", "3", "0"), pairline("b", "5", "0"),
			     NULL};
	const char *two_want[] = {staged("b", "5", "0", "5", 1),
				  staged("a", "3", "0", "3", 2), NULL};
	const char *ties[] = {pairline("t", "3", "3"), pairline("a", "3", "0"),
			      pairline("m", "1", "2.5"),
			      pairline("b", "5", "0"), pairline("c", "4", "0"),
			      NULL};
	const char *ties_drop[] = {staged("b", "5", "0", "5", 1),
				   staged("c", "4", "0", "4", 2),
				   staged("a", "3", "0", "3", 3), NULL};
	const char *ties_keep[] = {staged("b", "5", "0", "5", 1),
				   staged("c", "4", "0", "4", 2),
				   staged("a", "3", "0", "3", 3),
				   staged("t", "3", "3", "0", 3),
				   staged("m", "1", "2.5", "-1.5", 3), NULL};
	struct out out;

	run(&o, eq, &out);
	CHECK(same(&out, eq_want));
	CHECK_INT(out.stages, 3);
	out_free(&out);
	run(&o, two, &out);
	CHECK(same(&out, two_want));
	out_free(&out);
	run(&o, ties, &out);
	CHECK(same(&out, ties_drop));
	CHECK_INT(out.counter[4], 1); /* ties_dropped */
	CHECK_INT(out.counter[5], 1); /* misordered_dropped */
	out_free(&out);
	o.keep_ties = 1;
	run(&o, ties, &out);
	CHECK(same(&out, ties_keep));
	CHECK_INT(out.counter[4], 0);
	out_free(&out);
	/* shuffled: the kept ties are read with stage 3 */
	o.within = PK_CURR_SHUFFLE;
	run(&o, ties, &out);
	CHECK_INT(out.n, 5);
	CHECK(out.n == 5 && out.stage[0] == 1 && out.stage[1] == 2 &&
	      out.stage[2] == 3 && out.stage[3] == 3 && out.stage[4] == 3);
	out_free(&out);
}

/* Existing "gap" and "stage" members are replaced where they are; a pair
 * with ranks only uses them; field names (dotted). */
static void test_pair_members(void)
{
	struct pk_curriculum_opts o = within_gap();
	const char *in1[] = {
		"{\"stage\":\"old\",\"prompt\":\"p\",\"chosen\":\"a\","
		"\"rejected\":\"b\",\"gap\":[1],\"score_chosen\":2,"
		"\"score_rejected\":1}",
		NULL};
	const char *want1[] = {
		"{\"stage\":1,\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\","
		"\"gap\":1,\"score_chosen\":2,\"score_rejected\":1}",
		NULL};
	const char *in2[] = {
		"{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\","
		"\"rank_chosen\":1,\"rank_rejected\":4}",
		NULL};
	const char *want2[] = {
		"{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\","
		"\"rank_chosen\":1,\"rank_rejected\":4,\"gap\":3,\"stage\":1}",
		NULL};
	const char *in3[] = {
		"{ \"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\", "
		"\"m\": {\"sc\": 8.5, \"sr\": 2} }",
		NULL};
	const char *want3[] = {
		"{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\","
		"\"m\":{\"sc\":8.5,\"sr\":2},\"gap\":6.5,\"stage\":1}",
		NULL};
	struct out out;

	run(&o, in1, &out);
	CHECK(same(&out, want1));
	out_free(&out);
	run(&o, in2, &out);
	CHECK(same(&out, want2));
	out_free(&out);
	o.score_chosen_field = "m.sc";
	o.score_rejected_field = "m.sr";
	run(&o, in3, &out);
	CHECK(same(&out, want3));
	out_free(&out);
}

/* Bad records leave nothing; a list from a format reader is held. */
static void test_bad_and_held(void)
{
	struct pk_curriculum_opts o = within_gap();
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_rank_opts ro;
	struct pk_error err = {0};
	struct pk_curriculum *c = pk_curriculum_new(&o, &err);
	const char *good = pairline("a", "2", "1");
	const char *noscore =
		"{\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":1}";
	const char *nochosen = "{\"rejected\":\"b\",\"score_chosen\":1}";
	const char *l1 = "{\"prompt\":\"P\",\"responses\":[{\"text\":\"a\","
			 "\"score\":2},{\"text\":\"b\",\"score\":1}]}";
	struct out out;

	pk_scan_record(&rec, good, strlen(good), &err);
	CHECK_INT(pk_curriculum_feed(c, &rec, &err), PK_OK);
	CHECK_INT(pk_curriculum_input(c), PK_CURR_PAIRS);
	pk_scan_record(&rec, noscore, strlen(noscore), &err);
	CHECK_INT(pk_curriculum_feed(c, &rec, &err), PK_BAD_RECORD);
	CHECK_STR(err.text, "missing score field 'score_rejected'");
	pk_scan_record(&rec, nochosen, strlen(nochosen), &err);
	CHECK_INT(pk_curriculum_feed(c, &rec, &err), PK_BAD_RECORD);
	CHECK_STR(err.text, "missing field 'chosen'");
	memset(&out, 0, sizeof out);
	drain(c, &out);
	CHECK_INT(out.n, 1);
	out_free(&out);
	pk_curriculum_free(c);

	/* Pairs cannot be staged by rank. */
	o.stage_by = PK_CURR_STAGE_RANK;
	c = pk_curriculum_new(&o, &err);
	pk_scan_record(&rec, good, strlen(good), &err);
	CHECK_INT(pk_curriculum_feed(c, &rec, &err), PK_FATAL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	pk_curriculum_free(c);
	o.input = PK_CURR_PAIRS;
	CHECK(pk_curriculum_new(&o, &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);

	/* Held lists: dropped, then kept. */
	o.input = PK_CURR_AUTO;
	o.stage_by = PK_CURR_STAGE_DEFAULT;
	c = pk_curriculum_new(&o, &err);
	pk_rank_opts_init(&ro);
	pk_scan_record(&rec, l1, strlen(l1), &err);
	CHECK_INT(pk_curriculum_feed_held(c, &rec, &ro, &err), PK_OK);
	CHECK_INT(pk_curriculum_settle(c, 0, &err), PK_OK);
	CHECK_INT(pk_curriculum_feed_held(c, &rec, &ro, &err), PK_OK);
	CHECK_INT(pk_curriculum_feed_held(c, &rec, &ro, &err), PK_OK);
	CHECK_INT(pk_curriculum_settle(c, 1, &err), PK_OK);
	memset(&out, 0, sizeof out);
	drain(c, &out);
	CHECK_INT(out.n, 2);
	CHECK_INT(out.counter[6], 2); /* lists: the dropped one not counted */
	out_free(&out);
	pk_curriculum_free(c);
	pk_record_free(&rec);
}

/* The same input with 1 KiB of memory (a run per pair or two) gives the
 * same bytes, in every mode. */
static void test_memory(void)
{
	char lines[300][200];
	const char *in[301];
	struct pk_curriculum_opts o = {0};
	struct out a, b;
	int i, mode, ok;

	for (i = 0; i < 300; i++) {
		snprintf(lines[i], sizeof lines[i],
			 "{\"id\":%d,\"chosen\":\"c%d\",\"rejected\":\"r\","
			 "\"score_chosen\":%d,\"score_rejected\":%d}",
			 i, i % 17, i % 11, i % 7);
		in[i] = lines[i];
	}
	in[300] = NULL;
	for (mode = 0; mode < 4; mode++) {
		o.within = mode & 1 ? PK_CURR_WITHIN_GAP : PK_CURR_SHUFFLE;
		o.keep_ties = mode >> 1;
		o.memory = 0;
		run(&o, in, &a);
		o.memory = 1024;
		run(&o, in, &b);
		ok = a.n == b.n && a.n > 100 && a.rc == PK_EOF &&
		     b.rc == PK_EOF && b.counter[1] > 20; /* sort_runs */
		for (i = 0; ok && i < a.n; i++)
			ok = strcmp(a.line[i], b.line[i]) == 0;
		CHECK(ok);
		out_free(&a);
		out_free(&b);
	}
}

/* A sink into a pk_buf, each record followed by a newline (as pk_cli_op's
 * consume receives them): built in its room, or handed to emit. */
static char *sink_room(void *ctx, size_t n)
{
	struct pk_buf *b = ctx;

	return pk_buf_reserve(b, n + 1) < 0 ? NULL : b->data + b->len;
}

static int sink_commit(void *ctx, char *p, size_t len)
{
	struct pk_buf *b = ctx;

	p[len] = '\n';
	b->len += len + 1;
	return PK_OK;
}

static int sink_emit(void *ctx, const char *json, size_t len)
{
	struct pk_buf *b = ctx;

	return pk_buf_append(b, json, len) < 0 || pk_buf_putc(b, '\n') < 0
		       ? PK_FATAL
		       : PK_OK;
}

/* Every record of in fed, the bad ones too (their statuses and messages
 * kept in rc[] and msg[]), then the output read: directly (nb = 0), or
 * through nb builders taking the records in turn, what they write added
 * in input order, as pref-curriculum -j does. */
static void run_all(const struct pk_curriculum_opts *opts,
		    const char *const *in, int nb, struct out *o, int *rc,
		    char (*msg)[80])
{
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_curriculum *c, *b[3];
	struct pk_error err;
	int i, k;

	memset(o, 0, sizeof *o);
	c = pk_curriculum_new(opts, &o->err);
	for (k = 0; k < nb; k++)
		b[k] = pk_curriculum_new(opts, &o->err);
	for (i = 0; in[i]; i++) {
		pk_error_clear(&err);
		CHECK_INT(pk_scan_record(&rec, in[i], strlen(in[i]), &err), PK_OK);
		if (nb) {
			struct pk_buf blob = PK_BUF_INIT;
			struct pk_sink to = {sink_emit, NULL, NULL, &blob};

			CHECK_INT(pk_curriculum_build(b[i % nb], &rec, &to, &err),
				  PK_OK);
			rc[i] = pk_curriculum_add_built(c, blob.data, blob.len,
							in[i], strlen(in[i]),
							&err);
			pk_buf_free(&blob);
		} else {
			rc[i] = pk_curriculum_feed(c, &rec, &err);
		}
		memset(msg[i], 0, 80);
		if (rc[i] != PK_OK)
			memcpy(msg[i], err.text, 79); /* err.text is longer */
	}
	drain(c, o);
	pk_record_free(&rec);
	for (k = 0; k < nb; k++)
		pk_curriculum_free(b[k]);
	pk_curriculum_free(c);
}

/* Built on "threads" (pk_curriculum_build, pk_curriculum_add_built): the
 * same output, statuses, messages and counts as fed directly, for lists
 * (bad ones, ties, too small, a gap out of range after the list was
 * counted), pairs, and input that mixes both, where a builder whose
 * first record is of the other kind than the input's first makes every
 * record of its own go again. */
static void test_built(void)
{
	static const char *lists[] = {
		"{\"prompt\":\"P\",\"responses\":[{\"text\":\"a\",\"score\":3},"
		"{\"text\":\"b\",\"score\":5},{\"text\":\"c\",\"score\":3},"
		"{\"text\":\"d\",\"score\":1}]}",
		"{\"prompt\":\"Q\",\"responses\":[{\"text\":\"x\",\"score\":1}]}",
		"{\"prompt\":\"R\",\"responses\":[{\"text\":\"x\",\"score\":2.5},"
		"{\"text\":\"y\",\"score\":-1},{\"text\":\"z\",\"score\":7}]}",
		"{\"prompt\":\"P\",\"responses\":[{\"text\":\"a\",\"score\":1e308},"
		"{\"text\":\"b\",\"score\":-1e308}]}",
		"{\"prompt\":\"Q\"}",
		"{\"prompt\":\"Q\",\"responses\":[{\"text\":\"u\",\"score\":4},"
		"{\"text\":\"v\",\"score\":4},{\"text\":\"w\",\"score\":9}]}",
		"{\"prompt\":\"R\",\"responses\":[{\"text\":\"x\",\"rank\":2},"
		"{\"text\":\"y\",\"rank\":0},{\"text\":\"z\",\"rank\":1}]}",
		NULL,
	};
	const char *mixed[12];
	const char *const *inputs[3];
	struct pk_curriculum_opts o = {0};
	struct out a, b;
	int rca[12], rcb[12], i, in, mode, nb, ok;
	char msga[12][80], msgb[12][80];

	/* pairs first; builder 1 of 2 gets a list first */
	mixed[0] = pairline("p1", "3", "1");
	mixed[1] = lists[0];
	mixed[2] = pairline("p2", "2", "2");
	mixed[3] = pairline("p3", "1", "4");
	mixed[4] = lists[2];
	mixed[5] = "{\"chosen\":\"c\",\"rejected\":\"r\"}";
	mixed[6] = pairline("p4", "9", "1.5");
	mixed[7] = NULL;
	inputs[0] = lists;
	inputs[1] = mixed;
	inputs[2] = mixed + 1; /* lists first */
	for (in = 0; in < 3; in++)
		for (mode = 0; mode < 8; mode++) {
			o.within = mode & 1 ? PK_CURR_WITHIN_GAP : PK_CURR_SHUFFLE;
			o.keep_ties = (mode >> 1) & 1;
			o.stage_by = mode >> 2 ? PK_CURR_STAGE_GAP
					       : PK_CURR_STAGE_DEFAULT;
			run_all(&o, inputs[in], 0, &a, rca, msga);
			for (nb = 1; nb <= 3; nb++) {
				run_all(&o, inputs[in], nb, &b, rcb, msgb);
				ok = a.n == b.n && a.n > 0 && a.rc == b.rc &&
				     a.stages == b.stages;
				for (i = 0; ok && i < a.n; i++)
					ok = strcmp(a.line[i], b.line[i]) == 0 &&
					     a.stage[i] == b.stage[i];
				for (i = 0; ok && i < 16; i++)
					ok = a.counter[i] == b.counter[i];
				for (i = 0; ok && inputs[in][i]; i++)
					ok = rca[i] == rcb[i] &&
					     strcmp(msga[i], msgb[i]) == 0;
				if (!ok)
					printf("# input %d, mode %d, %d builders\n",
					       in, mode, nb);
				CHECK(ok);
				out_free(&b);
			}
			/* what the cases hold: some bad, some kept */
			if (in == 0 && mode == 0) {
				CHECK_INT(rca[3], PK_BAD_RECORD);
				CHECK_STR(msga[3], "gap out of range");
				CHECK_INT(rca[4], PK_BAD_RECORD);
				CHECK_INT((int)a.counter[6], 6); /* lists */
				CHECK_INT((int)a.counter[7], 1); /* too small */
				CHECK_INT((int)a.counter[4], 0); /* ties */
			}
			if (in == 1 && mode == 0) {
				CHECK_INT(rca[1], PK_BAD_RECORD);
				CHECK_INT(rca[2], PK_OK);
				CHECK_INT((int)a.counter[4], 1); /* ties */
			}
			out_free(&a);
		}
}

/* pk_curriculum_next_to: the pairs of pk_curriculum_next, into a sink
 * with room and into one without. */
static void test_next_to(void)
{
	struct pk_curriculum_opts o = {0};
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err = {0};
	struct pk_buf want = PK_BUF_INIT, got[2] = {PK_BUF_INIT, PK_BUF_INIT};
	struct pk_sink sinks[2] = {{sink_emit, sink_room, sink_commit, &got[0]},
				   {sink_emit, NULL, NULL, &got[1]}};
	int i, k, rc;

	for (k = -1; k < 2; k++) {
		struct pk_curriculum *c = pk_curriculum_new(&o, &err);
		const char *json;
		size_t n;
		unsigned stage, st2;

		for (i = 0; i < 40; i++) {
			const char *line = pairline(i % 3 ? "a" : "b",
						    i % 2 ? "12" : "3", "1");

			pk_scan_record(&rec, line, strlen(line), &err);
			pk_curriculum_feed(c, &rec, &err);
		}
		while (k < 0 && pk_curriculum_next(c, &json, &n, &stage,
						   &err) == PK_OK) {
			pk_buf_append(&want, json, n);
			pk_buf_putc(&want, '\n');
		}
		while (k >= 0 && (rc = pk_curriculum_next_to(c, &sinks[k], &st2,
							     &err)) == PK_OK)
			;
		if (k >= 0)
			CHECK_INT(rc, PK_EOF);
		pk_curriculum_free(c);
	}
	CHECK(want.len > 1000);
	CHECK_MEM(got[0].data, got[0].len, want.data, want.len);
	CHECK_MEM(got[1].data, got[1].len, want.data, want.len);
	pk_buf_free(&want);
	pk_buf_free(&got[0]);
	pk_buf_free(&got[1]);
	pk_record_free(&rec);
}

/* Misuse: a builder does not sort, a sorting curriculum does not build. */
static void test_built_misuse(void)
{
	struct pk_curriculum_opts o = {0};
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err = {0};
	struct pk_curriculum *c = pk_curriculum_new(&o, &err);
	struct pk_curriculum *bld = pk_curriculum_new(&o, &err);
	const char *line = pairline("a", "2", "1");
	struct pk_buf blob = PK_BUF_INIT;
	struct pk_sink to = {sink_emit, NULL, NULL, &blob};

	pk_scan_record(&rec, line, strlen(line), &err);
	CHECK_INT(pk_curriculum_build(bld, &rec, &to, &err), PK_OK);
	CHECK_INT(pk_curriculum_feed(bld, &rec, &err), PK_FATAL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_INT(pk_curriculum_add_built(bld, blob.data, blob.len, line,
					  strlen(line), &err), PK_FATAL);
	CHECK_INT(pk_curriculum_add_built(c, blob.data, 3, line, strlen(line),
					  &err), PK_FATAL);
	CHECK_INT(pk_curriculum_add_built(c, blob.data, blob.len - 1, line,
					  strlen(line), &err), PK_FATAL);
	CHECK_INT(pk_curriculum_feed(c, &rec, &err), PK_OK);
	CHECK_INT(pk_curriculum_build(c, &rec, &to, &err), PK_FATAL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	pk_buf_free(&blob);
	pk_record_free(&rec);
	pk_curriculum_free(c);
	pk_curriculum_free(bld);
}

/* Gaps as written: whole ones by the curriculum itself, the others by
 * pk_format_number (the same digits "%.0f" and "%.17g" give). */
static void test_gap_text(void)
{
	static const char *const sc[] = {
		"123456789012346", "1e15", "2.5", "-3", "0", "-0.0", "1e20",
		"0.1", "4294967297", "-999999999999998", "0.5", "0.0011",
		"0.0001", "0.00001", "1234.125", "7", "99999999999999.5",
		"1.0000001", "0.3"};
	static const char *const sr[] = {
		"1", "-1", "1", "-1", "0", "0", "0", "0.3", "0", "1", "0",
		"0.0001", "0", "0", "0", "7.25", "0", "0", "0.1"};
	static const char *const want[] = {
		"123456789012345", "1000000000000001", "1.5", "-2", "0", "0",
		"1e+20", "-0.19999999999999998", "4294967297",
		"-999999999999999", "0.5", "0.001", "0.0001", "1e-05",
		"1234.125", "-0.25", "99999999999999.5", "1.0000001",
		"0.19999999999999998"};
	const char *in[20];
	char lines[19][160], key[40];
	struct pk_curriculum_opts o = within_gap();
	struct out out;
	int i, k, found, twice;

	for (i = 0; i < 19; i++) {
		snprintf(lines[i], sizeof lines[i], "%s", pairline("x", sc[i], sr[i]));
		in[i] = lines[i];
	}
	in[19] = NULL;
	o.keep_ties = 1;
	run(&o, in, &out);
	CHECK_INT(out.n, 19);
	for (i = 0; i < 19; i++) {
		snprintf(key, sizeof key, "\"gap\":%s,", want[i]);
		for (found = 0, k = 0; k < out.n; k++)
			found += strstr(out.line[k], key) != NULL;
		twice = strcmp(want[i], "0") == 0; /* 0 - 0 and -0.0 - 0 */
		if (found != 1 + twice)
			printf("# gap %s found %d times\n", want[i], found);
		CHECK_INT(found, 1 + twice);
	}
	out_free(&out);
}

static int write_lines(const char *path, struct out *o, int from, int step)
{
	FILE *fp = fopen(path, "w");
	int i;

	if (!fp)
		return -1;
	for (i = from; i < o->n; i += step)
		fprintf(fp, "%s\n", o->line[i]);
	return fclose(fp);
}

/* Shards ordered apart and merged give the bytes of one run. */
static void test_merge(void)
{
	char lines[90][200], dir[] = "/tmp/pk-curr.XXXXXX", p[3][64];
	const char *in[91], *part[3][31];
	struct pk_curriculum_opts o = {0};
	struct pk_curriculum *c;
	struct pk_error err = {0};
	struct out one, shard[3], merged;
	int i, k, ok;

	CHECK(mkdtemp(dir) != NULL);
	for (i = 0; i < 90; i++) {
		snprintf(lines[i], sizeof lines[i],
			 "{\"prompt\":\"q%d\",\"responses\":[{\"text\":\"a\","
			 "\"score\":%d},{\"text\":\"b\",\"score\":2},{\"text\":"
			 "\"c\",\"score\":1}]}",
			 i, 3 + i % 4);
		in[i] = lines[i];
		part[i % 3][i / 3] = lines[i];
	}
	in[90] = NULL;
	o.seed = 11;
	run(&o, in, &one);
	for (k = 0; k < 3; k++) {
		part[k][30] = NULL;
		run(&o, part[k], &shard[k]);
		snprintf(p[k], sizeof p[k], "%s/s%d.jsonl", dir, k);
		write_lines(p[k], &shard[k], 0, 1);
	}
	c = pk_curriculum_new(&o, &err);
	for (k = 2; k >= 0; k--)
		CHECK_INT(pk_curriculum_merge_file(c, p[k], 0, &err), PK_OK);
	memset(&merged, 0, sizeof merged);
	drain(c, &merged);
	ok = merged.n == one.n && one.n == 180 && merged.rc == PK_EOF;
	for (i = 0; ok && i < one.n; i++)
		ok = strcmp(merged.line[i], one.line[i]) == 0;
	CHECK(ok);
	CHECK_INT(merged.stages, 2);
	pk_curriculum_free(c);
	out_free(&merged);

	/* Another seed: the order is not the merge's. */
	o.seed = 12;
	c = pk_curriculum_new(&o, &err);
	pk_curriculum_merge_file(c, p[0], 0, &err);
	memset(&merged, 0, sizeof merged);
	drain(c, &merged);
	CHECK_INT(merged.rc, PK_BAD_RECORD);
	CHECK(strstr(merged.err.text, "s0.jsonl:") != NULL &&
	      strstr(merged.err.text, ": out of curriculum order") != NULL);
	pk_curriculum_free(c);
	out_free(&merged);

	/* Not pref-curriculum output at all. */
	write_lines(p[1], &one, 0, 1000);
	{
		FILE *fp = fopen(p[2], "w");

		fputs("{\"chosen\":\"a\"}\n", fp);
		fclose(fp);
	}
	c = pk_curriculum_new(&o, &err);
	pk_curriculum_merge_file(c, p[1], 0, &err);
	pk_curriculum_merge_file(c, p[2], 0, &err);
	memset(&merged, 0, sizeof merged);
	drain(c, &merged);
	CHECK_INT(merged.rc, PK_BAD_RECORD);
	CHECK(strstr(merged.err.text, "s2.jsonl:1: missing field 'stage'") != NULL);
	pk_curriculum_free(c);
	out_free(&merged);

	for (k = 0; k < 3; k++) {
		unlink(p[k]);
		out_free(&shard[k]);
	}
	rmdir(dir);
	out_free(&one);
}

int main(void)
{
	struct pk_error err;

	pk_group_id("\"P\"", 3, gid_p, &err);
	pk_group_id("\"Q\"", 3, gid_q, &err);
	pk_group_id("\"R\"", 3, gid_r, &err);
	test_n4();
	test_n2_n3();
	test_n7_ties();
	test_rank_only();
	test_shuffle();
	test_gap_stages();
	test_gap_edges();
	test_pair_members();
	test_bad_and_held();
	test_memory();
	test_merge();
	test_built();
	test_built_misuse();
	test_next_to();
	test_gap_text();
	return pk_test_done();
}
