/* SPDX-License-Identifier: MIT */
/* test_relabel.c - condition-text templates, score reading and the side
 * swap of lib/relabel.c.  Expected texts are written out by hand. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

/* The paper's text (reward_augmentation.py), typed in by hand. */
#define PAPER_HEAD "You are an assistant that generates responses for the " \
	"instruction while implicitly achieving the following target scores " \
	"(on a scale of 1-10, where 1 is lowest and 10 is highest):\n"

static char *render(const char *tpl, double min, double max, double score)
{
	struct pk_error err = {0};
	struct pk_template *t = pk_template_new(tpl, strlen(tpl), min, max, &err);
	struct pk_buf b = PK_BUF_INIT;

	if (!t) {
		printf("# template error: %s\n", err.text);
		return NULL;
	}
	if (pk_template_render(t, score, &b) < 0 || pk_buf_putc(&b, 0) < 0) {
		pk_template_free(t);
		pk_buf_free(&b);
		return NULL;
	}
	pk_template_free(t);
	return pk_buf_take(&b);
}

static void check_render(const char *tpl, double min, double max,
			 double score, const char *want, int line)
{
	char *got = render(tpl, min, max, score);
	int ok = got && strcmp(got, want) == 0;

	pk_test_point(ok, __FILE__, line, "rendered text");
	if (!ok)
		printf("#   got:  \"%s\"\n#   want: \"%s\"\n", got ? got : "(null)", want);
	free(got);
}
#define RENDER(tpl, min, max, score, want) \
	check_render(tpl, min, max, score, want, __LINE__)

/* A template that must be refused with a message starting with want. */
static void check_bad(const char *tpl, size_t n, const char *want, int line)
{
	struct pk_error err = {0};
	struct pk_template *t = pk_template_new(tpl, n, 1, 10, &err);
	int ok = !t && err.kind == PK_ERR_USAGE &&
		 strncmp(err.text, want, strlen(want)) == 0;

	pk_test_point(ok, __FILE__, line, want);
	if (!ok)
		printf("#   got:  \"%s\"\n", t ? "(accepted)" : err.text);
	pk_template_free(t);
}
#define BAD(tpl, want) check_bad(tpl, strlen(tpl), want, __LINE__)

static void test_default(void)
{
	/* SPEC 3.1: integral -> integer, else shortest round trip. */
	RENDER(PK_TEMPLATE_DEFAULT, 1, 10, 8.0, PAPER_HEAD "Overall score: 8.");
	RENDER(PK_TEMPLATE_DEFAULT, 1, 10, 7.5, PAPER_HEAD "Overall score: 7.5.");
	RENDER(PK_TEMPLATE_DEFAULT, 1, 10, 0.1, PAPER_HEAD "Overall score: 0.1.");
	RENDER(PK_TEMPLATE_DEFAULT, 1, 10, 8.25, PAPER_HEAD "Overall score: 8.25.");
	RENDER(PK_TEMPLATE_DEFAULT, 1, 10, 10, PAPER_HEAD "Overall score: 10.");
	RENDER(PK_TEMPLATE_DEFAULT, 1, 10, 6.2, PAPER_HEAD "Overall score: 6.2.");
	/* The scale follows --scale. */
	RENDER(PK_TEMPLATE_DEFAULT, 0, 5, 2.5,
	       "You are an assistant that generates responses for the instruction "
	       "while implicitly achieving the following target scores (on a scale "
	       "of 0-5, where 0 is lowest and 5 is highest):\nOverall score: 2.5.");
	RENDER(PK_TEMPLATE_DEFAULT, 0.5, 1.5, 1,
	       "You are an assistant that generates responses for the instruction "
	       "while implicitly achieving the following target scores (on a scale "
	       "of 0.5-1.5, where 0.5 is lowest and 1.5 is highest):\nOverall score: 1.");
}

static void test_custom(void)
{
	RENDER("{score}", 1, 10, 3, "3");
	RENDER("Goal: {score} of {max} (min {min})", 1, 10, 9.5,
	       "Goal: 9.5 of 10 (min 1)");
	RENDER("{score}{score}", 1, 10, -0.5, "-0.5-0.5");
	RENDER("{{score}} is {score}", 1, 10, 4, "{score} is 4");
	RENDER("}}{{{score}}}{{", 1, 10, 4, "}{4}{");
	RENDER("caf\xc3\xa9 {score}\n", 1, 10, 1e-7, "caf\xc3\xa9 1e-07\n");

	BAD("Goal: {scor}", "unknown placeholder {scor} in template");
	BAD("{Score}", "unknown placeholder {Score}");
	BAD("{}", "unknown placeholder {}");
	BAD("{score", "unterminated placeholder in template at byte 1");
	BAD("{score} }", "single '}' in template at byte 9");
	BAD("no placeholder", "template has no {score} placeholder");
	BAD("{{score}}", "template has no {score} placeholder");
	BAD("", "template has no {score} placeholder");
	BAD("\xff {score}", "template is not valid UTF-8");
	/* A NUL byte inside the text is text like any other. */
	{
		struct pk_error err = {0};
		struct pk_template *t = pk_template_new("a\0{score}", 9, 1, 10, &err);
		struct pk_buf b = PK_BUF_INIT;

		CHECK(t != NULL);
		CHECK(t && pk_template_render(t, 2, &b) == PK_OK);
		CHECK_MEM(b.data, b.len, "a\0" "2", 3);
		pk_template_free(t);
		pk_buf_free(&b);
	}
	/* Non-finite goals are refused. */
	{
		struct pk_error err = {0};
		struct pk_template *t = pk_template_new("{score}", 7, 1, 10, &err);
		struct pk_buf b = PK_BUF_INIT;

		CHECK(pk_template_render(t, 1.0 / 0.0, &b) == PK_FATAL);
		pk_template_free(t);
		pk_buf_free(&b);
	}
	pk_template_free(NULL);
}

static void test_attributes(void)
{
	const char *names[] = {"helpfulness", "instruction_following", "x"};
	double values[] = {4, 3.5, 0};
	struct pk_error err = {0};
	struct pk_template *t;
	struct pk_buf b = PK_BUF_INIT;

	t = pk_template_new(PK_TEMPLATE_DEFAULT_ATTRIBUTES,
			    strlen(PK_TEMPLATE_DEFAULT_ATTRIBUTES), 0, 4, &err);
	CHECK(t != NULL);
	CHECK(pk_template_render_attributes(t, names, values, 3, &b) == PK_OK);
	CHECK_STR(b.data,
		  "You are an assistant that generates responses for the instruction "
		  "while implicitly achieving the following target scores (on a scale "
		  "of 0-4, where 0 is lowest and 4 is highest):\n"
		  "Helpfulness: 4.\nInstruction following: 3.5.\nX: 0.");
	pk_template_free(t);

	pk_buf_reset(&b);
	t = pk_template_new("[{score}]", 9, 0, 4, &err);
	CHECK(pk_template_render_attributes(t, names, values, 1, &b) == PK_OK);
	CHECK_STR(b.data, "[Helpfulness: 4.]");
	pk_template_free(t);

	pk_buf_reset(&b);
	CHECK(pk_attribute_label("correctness", &b) == PK_OK);
	CHECK_STR(b.data, "Correctness");
	pk_buf_reset(&b);
	pk_attribute_label("_a_b_", &b);
	CHECK_STR(b.data, " a b ");
	pk_buf_reset(&b);
	pk_attribute_label("\xc3\xa9t\xc3\xa9", &b); /* non-ASCII stays */
	CHECK_STR(b.data, "\xc3\xa9t\xc3\xa9");
	pk_buf_free(&b);
}

static void test_score(void)
{
	const char *line = "{\"score_chosen\":8.50,\"s\":\"9\",\"t\":true,"
			   "\"m\":{\"score_rejected\":-1e2},\"big\":1e400}";
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err = {0};
	struct pk_value v;
	double x = 0;

	CHECK(pk_scan_record(&rec, line, strlen(line), &err) == PK_OK);
	CHECK(pk_record_score(&rec, "score_chosen", &x, &v, &err) == PK_OK);
	CHECK(x == 8.5);
	CHECK_MEM(rec.text + v.off, v.len, "8.50", 4);
	CHECK(pk_record_score(&rec, "m.score_rejected", &x, NULL, &err) == PK_OK);
	CHECK(x == -100);
	CHECK(pk_record_score(&rec, "nope", &x, NULL, &err) == PK_BAD_RECORD);
	CHECK_STR(err.text, "missing score field 'nope'");
	CHECK(pk_record_score(&rec, "s", &x, NULL, &err) == PK_BAD_RECORD);
	CHECK_STR(err.text, "score field 's' is not a number (string)");
	CHECK(pk_record_score(&rec, "t", &x, NULL, &err) == PK_BAD_RECORD);
	CHECK(strstr(err.text, "is not a number") != NULL);
	CHECK(pk_record_score(&rec, "big", &x, NULL, &err) == PK_BAD_RECORD);
	CHECK_STR(err.text, "score field 'big': 1e400 is out of range");
	CHECK(err.kind == PK_ERR_DATA);
	{
		/* the same through fields, whose hints follow the layout */
		struct pk_field f, g;

		pk_field_init(&f, "score_chosen");
		pk_field_init(&g, "m.score_rejected");
		CHECK(pk_record_score_field(&rec, &f, &x, &v, &err) == PK_OK);
		CHECK(x == 8.5);
		CHECK_MEM(rec.text + v.off, v.len, "8.50", 4);
		CHECK(pk_record_score_field(&rec, &g, &x, NULL, &err) == PK_OK);
		CHECK(x == -100);
		line = "{\"x\":0,\"score_chosen\":\"7\"}";
		CHECK(pk_scan_record(&rec, line, strlen(line), &err) == PK_OK);
		CHECK(pk_record_score_field(&rec, &f, &x, NULL, &err) == PK_BAD_RECORD);
		CHECK_STR(err.text, "score field 'score_chosen' is not a number (string)");
		CHECK(pk_record_score_field(&rec, &g, &x, NULL, &err) == PK_BAD_RECORD);
		CHECK_STR(err.text, "missing score field 'm.score_rejected'");
	}
	pk_record_free(&rec);
}

/* Scan line, swap with names, and compare the written object. */
static void check_swap(const char *line, const char *const *names,
		       const char *want, int lineno)
{
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err = {0};
	struct pk_obj *o = pk_obj_new();
	struct pk_buf b = PK_BUF_INIT;
	int ok = pk_scan_record(&rec, line, strlen(line), &err) == PK_OK &&
		 pk_obj_load_record(o, &rec) == PK_OK &&
		 pk_obj_swap_sides(o, names) == PK_OK &&
		 pk_obj_write(o, &b) == PK_OK && pk_buf_putc(&b, 0) == 0 &&
		 strcmp(b.data, want) == 0;

	pk_test_point(ok, __FILE__, lineno, "swapped object");
	if (!ok)
		printf("#   got:  \"%s\"\n", b.data ? b.data : "(null)");
	pk_obj_free(o);
	pk_record_free(&rec);
	pk_buf_free(&b);
}
#define SWAP(line, names, want) check_swap(line, names, want, __LINE__)

static void test_swap(void)
{
	const char *plain[] = {"chosen", "rejected", NULL};
	const char *labels[] = {"chosen", "rejected", "a", "b", NULL};
	const char *nested[] = {"chosen", "rejected", "m.score_chosen",
				"m.score_rejected", NULL};
	const char *other[] = {"good", "bad", NULL};

	/* Partners: only the paired swap. */
	SWAP("{\"p\":1,\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":1,\"h_l\":0}",
	     plain, "{\"p\":1,\"chosen\":\"B\",\"rejected\":\"A\",\"h_w\":0,\"h_l\":1}");
	/* Unpaired label names trade values too. */
	SWAP("{\"chosen\":\"A\",\"rejected\":\"B\",\"a\":1,\"b\":0}", labels,
	     "{\"chosen\":\"B\",\"rejected\":\"A\",\"a\":0,\"b\":1}");
	/* Nested partners are swapped by the paired swap alone. */
	SWAP("{\"chosen\":\"A\",\"rejected\":\"B\",\"m\":{\"score_chosen\":8.0,\"score_rejected\":7.5}}",
	     nested,
	     "{\"chosen\":\"B\",\"rejected\":\"A\",\"m\":{\"score_chosen\":7.5,\"score_rejected\":8.0}}");
	/* Renamed response fields: values trade, positions stay. */
	SWAP("{\"good\":[1, 2],\"x\":0,\"bad\":\"B\"}", other,
	     "{\"good\":\"B\",\"x\":0,\"bad\":[1,2]}");
	/* One of them missing: it moves to the other name. */
	SWAP("{\"good\":\"A\",\"x\":0}", other, "{\"x\":0,\"bad\":\"A\"}");
	/* No names at all: just the paired swap. */
	SWAP("{\"chosen_model\":\"m\"}", NULL, "{\"rejected_model\":\"m\"}");

	/* Which lists need no explicit swap. */
	CHECK(pk_sides_are_partners(plain));
	CHECK(pk_sides_are_partners(nested));
	CHECK(!pk_sides_are_partners(labels));
	CHECK(!pk_sides_are_partners(other));
	CHECK(pk_sides_are_partners(NULL));
	{
		const char *cross[] = {"chosen", "rejected", "m.score_chosen",
				       "n.score_rejected", NULL};

		CHECK(!pk_sides_are_partners(cross));
	}
}

/* pk_format_rounded: half to even on the exact value, fixed notation,
 * trailing zeros dropped (each value worked out by hand). */
static void test_rounded(void)
{
	char b[PK_ROUNDED_MAX];

	CHECK_INT(pk_format_rounded(b, 3.9552000000053766e-05, 6), 7);
	CHECK_STR(b, "0.00004");
	pk_format_rounded(b, 3.9552000000053766e-05, 7);
	CHECK_STR(b, "0.0000396");
	pk_format_rounded(b, 3.9552000000053766e-05, 4);
	CHECK_STR(b, "0");
	pk_format_rounded(b, 2.5, 0);
	CHECK_STR(b, "2");
	pk_format_rounded(b, 3.5, 0);
	CHECK_STR(b, "4");
	pk_format_rounded(b, 0.125, 2);
	CHECK_STR(b, "0.12");
	pk_format_rounded(b, 2.675, 2); /* 2.67499999999999982... */
	CHECK_STR(b, "2.67");
	pk_format_rounded(b, -0.04, 1);
	CHECK_STR(b, "0");
	pk_format_rounded(b, 7.5, 3);
	CHECK_STR(b, "7.5");
	pk_format_rounded(b, 8, 2);
	CHECK_STR(b, "8");
	pk_format_rounded(b, 0.1, -1); /* no rounding: pk_format_number */
	CHECK_STR(b, "0.1");
	pk_format_rounded(b, 1e20, 2);
	CHECK_STR(b, "1e+20");
	CHECK_INT(pk_format_rounded(b, 0.0 / 0.0, 2), PK_BAD_RECORD);
}

/* The records pk_relabel_record passes on, one per line. */
static int collect(void *ctx, const char *json, size_t len)
{
	struct pk_buf *b = ctx;

	return pk_buf_append(b, json, len) < 0 || pk_buf_putc(b, '\n') < 0
		? PK_FATAL : PK_OK;
}

static int relabel_one(const struct pk_relabel_opts *o, const char *in,
		       struct pk_buf *out, struct pk_error *err)
{
	struct pk_relabel *r = pk_relabel_new(o, err);
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_sink sink = {collect, NULL, NULL, out};
	int rc = PK_FATAL;

	pk_buf_reset(out);
	pk_buf_puts(out, "");
	if (r && pk_scan_record(&rec, in, strlen(in), err) == PK_OK)
		rc = pk_relabel_record(r, &rec, &sink, err);
	pk_record_free(&rec);
	pk_relabel_free(r);
	return rc;
}

/* The operation through a sink without room (an outside caller's). */
static void test_operation(void)
{
	struct pk_relabel_opts o;
	struct pk_error err = {0};
	struct pk_buf out = PK_BUF_INIT;

	pk_relabel_opts_init(&o);
	o.template_text = "Goal {score}.";
	o.template_len = strlen(o.template_text);
	CHECK_INT(relabel_one(&o, "{\"prompt\":\"p\",\"chosen\":\"A\",\"rejected\":\"B\","
				 "\"score_chosen\":8.0,\"score_rejected\":3}", &out, &err), PK_OK);
	CHECK_STR(out.data,
		  "{\"prompt\":\"Goal 8.\\n\\np\",\"chosen\":\"A\",\"rejected\":\"B\",\"score_chosen\":8.0,\"score_rejected\":3,\"goal_score\":8.0}\n"
		  "{\"prompt\":\"Goal 3.\\n\\np\",\"chosen\":\"B\",\"rejected\":\"A\",\"score_chosen\":3,\"score_rejected\":8.0,\"goal_score\":3}\n");
	/* a message-list prompt gets a system message; keep the original
	 * first (compacted); round 0: 7.5 -> 8 (to even), 6.5 -> 6 */
	o.keep_original = 1;
	o.round = 0;
	CHECK_INT(relabel_one(&o, "{\"prompt\": [{\"role\":\"user\",\"content\":\"q\"}],"
				 "\"chosen\":\"A\",\"rejected\":\"B\",\"score_chosen\":7.5,\"score_rejected\":6.5}",
			      &out, &err), PK_OK);
	CHECK_STR(out.data,
		  "{\"prompt\":[{\"role\":\"user\",\"content\":\"q\"}],\"chosen\":\"A\",\"rejected\":\"B\",\"score_chosen\":7.5,\"score_rejected\":6.5}\n"
		  "{\"prompt\":[{\"role\":\"system\",\"content\":\"Goal 8.\"},{\"role\":\"user\",\"content\":\"q\"}],\"chosen\":\"A\",\"rejected\":\"B\",\"score_chosen\":7.5,\"score_rejected\":6.5,\"goal_score\":8}\n"
		  "{\"prompt\":[{\"role\":\"system\",\"content\":\"Goal 6.\"},{\"role\":\"user\",\"content\":\"q\"}],\"chosen\":\"B\",\"rejected\":\"A\",\"score_chosen\":6.5,\"score_rejected\":7.5,\"goal_score\":6}\n");
	/* bad records: nothing passed on */
	o.keep_original = 1;
	CHECK_INT(relabel_one(&o, "{\"prompt\":\"p\",\"chosen\":\"A\",\"rejected\":\"B\","
				 "\"score_chosen\":11,\"score_rejected\":3}", &out, &err), PK_BAD_RECORD);
	CHECK_STR(err.text, "score field 'score_chosen': 11 is outside the scale 1:10");
	CHECK_STR(out.data, "");
	CHECK_INT(relabel_one(&o, "{\"chosen\":\"A\",\"rejected\":\"B\","
				 "\"score_chosen\":1,\"score_rejected\":3}", &out, &err), PK_BAD_RECORD);
	CHECK_STR(err.text, "missing field 'prompt' (and 'chosen' is not a message list with an implicit prompt)");
	CHECK_STR(out.data, "");
	/* the counters as --stats names them: one pair relabeled, then a
	 * tie dropped */
	{
		struct pk_relabel_opts t;
		struct pk_relabel *r;
		struct pk_record rec = PK_RECORD_INIT;
		struct pk_sink sink = {collect, NULL, NULL, &out};
		static const char tie[] = "{\"prompt\":\"p\",\"chosen\":\"A\",\"rejected\":\"B\","
					  "\"score_chosen\":5,\"score_rejected\":5}";
		static const char pair[] = "{\"prompt\":\"p\",\"chosen\":\"A\",\"rejected\":\"B\","
					   "\"score_chosen\":6,\"score_rejected\":5}";
		unsigned long long v = 9;

		pk_relabel_opts_init(&t);
		t.ties = PK_TIES_DROP;
		CHECK((r = pk_relabel_new(&t, &err)) != NULL);
		CHECK_INT(pk_scan_record(&rec, pair, strlen(pair), &err), PK_OK);
		CHECK_INT(pk_relabel_record(r, &rec, &sink, &err), PK_OK);
		CHECK_INT(pk_scan_record(&rec, tie, strlen(tie), &err), PK_OK);
		CHECK_INT(pk_relabel_record(r, &rec, &sink, &err), PK_OK);
		CHECK_STR(pk_relabel_counter(r, 0, &v), "relabeled");
		CHECK_INT(v, 1);
		CHECK_STR(pk_relabel_counter(r, 1, &v), "ties");
		CHECK_INT(v, 1);
		CHECK_STR(pk_relabel_counter(r, 2, &v), "dropped_ties");
		CHECK_INT(v, 1);
		CHECK(pk_relabel_counter(r, 3, &v) == NULL);
		pk_relabel_free(r);
		pk_record_free(&rec);
	}
	/* a string prompt cannot take a system message: a usage error */
	o.placement = PK_PLACE_SYSTEM;
	CHECK_INT(relabel_one(&o, "{\"prompt\":\"p\",\"chosen\":\"A\",\"rejected\":\"B\","
				 "\"score_chosen\":1,\"score_rejected\":3}", &out, &err), PK_FATAL);
	CHECK(err.kind == PK_ERR_USAGE);
	pk_buf_free(&out);
}

int main(void)
{
	test_rounded();
	test_operation();
	test_default();
	test_custom();
	test_attributes();
	test_score();
	test_swap();
	return pk_test_done();
}
