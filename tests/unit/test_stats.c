/* SPDX-License-Identifier: MIT */
/*
 * test_stats.c - the dataset description of pref-stats (stats.c,
 * stats_report.c): quartiles worked by hand (type 7), histograms, ties,
 * lengths in characters and tokens, implicit prompts, lists, duplicates,
 * the sketch's error bound beyond the memory budget, the JSON report of a
 * one-record dataset written out by hand, sums of --stats objects, and
 * records measured apart and added up (the threads of pref-stats -j)
 * giving the figures of records described one by one.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

static struct pk_stats *make(size_t memory)
{
	struct pk_stats_opts o = {0};
	struct pk_error err = {0};
	struct pk_stats *s;

	o.memory = memory;
	o.name = "t.jsonl";
	s = pk_stats_new(&o, &err);
	CHECK(s != NULL);
	return s;
}

/* Scan and describe one record: 1 when both succeed. */
static int feed_ok(struct pk_stats *s, const char *text)
{
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err = {0};
	int ok = pk_scan_record(&rec, text, strlen(text), &err) == PK_OK &&
		 pk_stats_record(s, &rec, &err) == PK_OK;

	pk_record_free(&rec);
	return ok;
}

static void feed(struct pk_stats *s, const char *text)
{
	pk_test_point(feed_ok(s, text), __FILE__, __LINE__, text);
}

static void finish(struct pk_stats *s)
{
	struct pk_error err = {0};

	CHECK_INT(pk_stats_finish(s, &err), PK_OK);
}

#define D(s, id) pk_stats_dist((s), (id))
#define CHECK_DBL(got, want) CHECK((got) == (want))

static void test_quartiles(void)
{
	struct pk_stats *s = make(0);
	const struct pk_stats_dist *d;
	char line[160];
	int i;
	/* chosen 1..10 (in a shuffled order); rejected 2, 2, 3, 7 on the
	 * first four, absent after */
	static const int sc[10] = {7, 3, 10, 1, 5, 9, 2, 8, 6, 4};
	static const int sr[4] = {7, 2, 3, 2};

	for (i = 0; i < 10; i++) {
		if (i < 4)
			snprintf(line, sizeof line,
				 "{\"prompt\":\"p%d\",\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":%d,\"score_rejected\":%d}",
				 i, sc[i], sr[i]);
		else
			snprintf(line, sizeof line,
				 "{\"prompt\":\"p%d\",\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":%d}",
				 i, sc[i]);
		feed(s, line);
	}
	finish(s);
	/* n = 10: q1 j = 9/4 = 2, d = 1: (3*3 + 4)/4 = 3.25; median j = 4,
	 * d = 2: (5 + 6)/2 = 5.5; q3 j = 6, d = 3: (7 + 8*3)/4 = 7.75 */
	d = D(s, PK_SD_SCORE_CHOSEN);
	CHECK_INT(d->n, 10);
	CHECK_DBL(d->min, 1);
	CHECK_DBL(d->q1, 3.25);
	CHECK_DBL(d->median, 5.5);
	CHECK_DBL(d->q3, 7.75);
	CHECK_DBL(d->max, 10);
	CHECK_DBL(d->mean, 5.5);
	CHECK(d->exact);
	/* whole numbers over a range below 20: one bin per number */
	CHECK_INT(d->nbins, 10);
	CHECK_DBL(d->lo, 1);
	CHECK_DBL(d->width, 1);
	for (i = 0; i < 10; i++)
		CHECK_INT(d->bins[i], 1);
	/* 2, 2, 3, 7: q1 j = 0, d = 3: (2 + 2*3)/4 = 2; median j = 1, d = 2:
	 * 2.5; q3 j = 2, d = 1: (3*3 + 7)/4 = 4; mean 3.5 */
	d = D(s, PK_SD_SCORE_REJECTED);
	CHECK_INT(d->n, 4);
	CHECK_DBL(d->q1, 2);
	CHECK_DBL(d->median, 2.5);
	CHECK_DBL(d->q3, 4);
	CHECK_DBL(d->mean, 3.5);
	CHECK_INT(d->nbins, 6); /* 2..7 */
	CHECK_INT(d->bins[0], 2);
	CHECK_INT(d->bins[1], 1);
	CHECK_INT(d->bins[5], 1);
	/* gaps 7-7=0, 3-2=1, 10-3=7, 1-2=-1: one tie, one misordered */
	d = D(s, PK_SD_GAP);
	CHECK_INT(d->n, 4);
	CHECK_DBL(d->min, -1);
	CHECK_DBL(d->q1, -0.25); /* (-1*3 + 0)/4 */
	CHECK_DBL(d->median, 0.5);
	CHECK_DBL(d->q3, 2.5);   /* (1*3 + 7)/4 */
	CHECK_DBL(d->mean, 1.75);
	CHECK_INT(pk_stats_get(s, "pairs"), 10);
	CHECK_INT(pk_stats_get(s, "scored_pairs"), 4);
	CHECK_INT(pk_stats_get(s, "ties"), 1);
	CHECK_INT(pk_stats_get(s, "misordered"), 1);
	CHECK_INT(pk_stats_get(s, "duplicates"), 0);
	pk_stats_free(s);

	/* one value; and 20 bins of equal width for reals */
	s = make(0);
	feed(s, "{\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":0.5,\"score_rejected\":0}");
	feed(s, "{\"chosen\":\"a\",\"rejected\":\"c\",\"score_chosen\":10.5,\"score_rejected\":0}");
	feed(s, "{\"chosen\":\"a\",\"rejected\":\"d\",\"score_chosen\":3,\"score_rejected\":0}");
	finish(s);
	d = D(s, PK_SD_SCORE_REJECTED);
	CHECK_INT(d->nbins, 1);
	CHECK_DBL(d->width, 0);
	CHECK_INT(d->bins[0], 3);
	CHECK_DBL(d->q1, 0);
	d = D(s, PK_SD_SCORE_CHOSEN);
	CHECK_INT(d->nbins, 20);
	CHECK_DBL(d->width, 0.5);
	CHECK_INT(d->bins[0], 1);
	CHECK_INT(d->bins[5], 1);  /* (3 - 0.5) / 0.5 = 5 */
	CHECK_INT(d->bins[19], 1); /* the maximum: the last bin */
	CHECK_DBL(d->q1, 1.75);    /* (0.5 + 3)/2 */
	CHECK_INT(pk_stats_get(s, "misordered"), 0);
	pk_stats_free(s);
}

static void test_texts(void)
{
	struct pk_stats *s = make(0);
	const struct pk_stats_dist *d;

	/* "héllo wörld": 11 characters, tokens "héllo", " wörld" */
	feed(s, "{\"prompt\":\"h\\u00e9llo w\xc3\xb6rld\",\"chosen\":\"Yes, it's 42.\",\"rejected\":\"\"}");
	/* a message-list prompt: every message's content; chosen the
	 * assistant text of its messages */
	feed(s, "{\"prompt\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}],"
		"\"chosen\":[{\"role\":\"assistant\",\"content\":\"Hello there\"}],\"rejected\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Go\"}]}]}");
	/* implicit prompt: all but the last message */
	feed(s, "{\"chosen\":[{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"}],"
		"\"rejected\":[{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"five\"}]}");
	/* not text */
	feed(s, "{\"prompt\":7,\"chosen\":\"x\",\"rejected\":null}");
	finish(s);
	d = D(s, PK_SD_PROMPT_CHARS);
	CHECK_INT(d->n, 3);
	CHECK_DBL(d->min, 4);    /* "2+2?" */
	CHECK_DBL(d->median, 11);
	CHECK_DBL(d->max, 11);   /* "Be brief.Hi" = 11 too */
	d = D(s, PK_SD_PROMPT_TOKENS);
	/* "héllo"," wörld" = 2; "Be"," brief","."  "Hi" -> "Be brief.Hi":
	 * "Be"," brief",".","Hi"? "." and "Hi" are separate classes = 4;
	 * "2","+","2","?" -> "2","+","2","?" = 4 (digits / symbols runs) */
	CHECK_INT(d->n, 3);
	CHECK_DBL(d->min, 2);
	CHECK_DBL(d->max, 4);
	d = D(s, PK_SD_CHOSEN_CHARS);
	CHECK_INT(d->n, 4); /* 13, 11, 1, 1 */
	CHECK_DBL(d->min, 1);
	CHECK_DBL(d->max, 13);
	CHECK_DBL(d->mean, 6.5);
	d = D(s, PK_SD_CHOSEN_TOKENS);
	/* "Yes", ",", " it", "'s", " 42", "." = 6; "Hello", " there" = 2 */
	CHECK_DBL(d->max, 6);
	CHECK_DBL(d->mean, 2.5); /* (6 + 2 + 1 + 1) / 4 */
	d = D(s, PK_SD_REJECTED_CHARS);
	CHECK_INT(d->n, 3);      /* "", "Go", "five" */
	CHECK_DBL(d->min, 0);
	CHECK_DBL(d->max, 4);
	CHECK_INT(pk_stats_get(s, "texts_invalid"), 2);
	CHECK_INT(pk_stats_get(s, "pairs"), 4);
	pk_stats_free(s);
}

static void test_lists_dups_fields(void)
{
	struct pk_stats *s = make(0);
	const struct pk_stats_dist *d;
	const unsigned long long *bt;
	unsigned long long v;
	const char *name;

	feed(s, "{\"prompt\":\"q\",\"responses\":[{\"text\":\"a\",\"score\":3},{\"text\":\"bb\",\"score\":3},{\"text\":\"c\",\"score\":1}]}");
	feed(s, "{\"prompt\":\"q\",\"responses\":[{\"text\":\"a\",\"rank\":1},{\"text\":\"bb\",\"rank\":2}]}");
	feed(s, "{\"prompt\":\"q\",\"responses\":7}");
	/* the same pair three times: spaces and key order do not matter */
	feed(s, "{\"prompt\":\"p\",\"chosen\":{\"x\":1,\"y\":2},\"rejected\":\"r\"}");
	feed(s, "{ \"prompt\" : \"p\", \"chosen\": {\"y\":2, \"x\":1.0}, \"rejected\":\"r\", \"id\": 5}");
	feed(s, "{\"rejected\":\"r\",\"chosen\":{\"x\":1,\"y\":2},\"prompt\":\"p\"}");
	feed(s, "{\"something\":\"else\"}");
	feed(s, "{\"something\":\"else\"}");
	finish(s);
	CHECK_INT(pk_stats_get(s, "records"), 8);
	CHECK_INT(pk_stats_get(s, "lists"), 3);
	CHECK_INT(pk_stats_get(s, "lists_invalid"), 1);
	CHECK_INT(pk_stats_get(s, "list_ties"), 1);
	CHECK_INT(pk_stats_get(s, "pairs"), 3);
	CHECK_INT(pk_stats_get(s, "other"), 2);
	CHECK_INT(pk_stats_get(s, "duplicates"), 3);
	d = D(s, PK_SD_LIST_SIZE);
	CHECK_INT(d->n, 2);
	CHECK_DBL(d->mean, 2.5);
	d = D(s, PK_SD_RESPONSE_SCORE);
	CHECK_INT(d->n, 3);
	CHECK_DBL(d->median, 3);
	d = D(s, PK_SD_RESPONSE_CHARS);
	CHECK_INT(d->n, 5);
	CHECK_DBL(d->max, 2);
	/* formats, most records first */
	name = pk_stats_format(s, 0, &v);
	CHECK_STR(name, "lists");
	CHECK_INT(v, 3);
	name = pk_stats_format(s, 1, &v);
	CHECK_STR(name, "trl");
	CHECK_INT(v, 3);
	name = pk_stats_format(s, 2, &v);
	CHECK_STR(name, "unknown");
	CHECK_INT(v, 2);
	CHECK(pk_stats_format(s, 3, &v) == NULL);
	/* fields in order of appearance */
	name = pk_stats_field(s, 0, &v, &bt);
	CHECK_STR(name, "prompt");
	CHECK_INT(v, 6);
	CHECK_INT(bt[PK_T_STRING], 6);
	name = pk_stats_field(s, 1, &v, &bt);
	CHECK_STR(name, "responses");
	CHECK_INT(bt[PK_T_ARRAY], 2);
	CHECK_INT(bt[PK_T_NUMBER], 1);
	name = pk_stats_field(s, 2, &v, &bt);
	CHECK_STR(name, "chosen");
	CHECK_INT(bt[PK_T_OBJECT], 3);
	name = pk_stats_field(s, 4, &v, &bt);
	CHECK_STR(name, "id");
	CHECK_INT(v, 1);
	pk_stats_free(s);
}

/* Beyond the memory budget: the sketch, within its documented bound. */
static void test_sketch(void)
{
	struct pk_stats *s = make(1024); /* 64 values held */
	const struct pk_stats_dist *d;
	char line[160];
	int i, failed = 0;

	for (i = 1000; i >= 1; i--) {
		snprintf(line, sizeof line,
			 "{\"chosen\":\"a%d\",\"rejected\":\"b\",\"score_chosen\":%d,\"score_rejected\":-%d.5}",
			 i, i, i);
		failed += !feed_ok(s, line);
	}
	CHECK_INT(failed, 0);
	finish(s);
	d = D(s, PK_SD_SCORE_CHOSEN);
	CHECK(!d->exact);
	CHECK_INT(d->n, 1000);
	CHECK_DBL(d->min, 1);
	CHECK_DBL(d->max, 1000);
	CHECK_DBL(d->mean, 500.5);
	/* exact: q1 = (250 + 251*3)/4 = 250.75, median 500.5, q3 =
	 * (750*3 + 751)/4 = 750.25; bound a * the larger neighbour */
	CHECK(fabs(d->q1 - 250.75) <= PK_STATS_SKETCH_ACCURACY * 251 + 1e-9);
	CHECK(fabs(d->median - 500.5) <= PK_STATS_SKETCH_ACCURACY * 501 + 1e-9);
	CHECK(fabs(d->q3 - 750.25) <= PK_STATS_SKETCH_ACCURACY * 751 + 1e-9);
	d = D(s, PK_SD_SCORE_REJECTED); /* -1000.5 .. -1.5 */
	CHECK(!d->exact);
	CHECK(fabs(d->median + 501) <= PK_STATS_SKETCH_ACCURACY * 501.5 + 1e-9);
	CHECK(fabs(d->q1 + 750.75) <= PK_STATS_SKETCH_ACCURACY * 751.5 + 1e-9);
	{
		unsigned long long total = 0;
		unsigned k;

		for (k = 0; k < d->nbins; k++)
			total += d->bins[k];
		CHECK_INT(total, 1000);
	}
	pk_stats_free(s);
}

static void test_json(void)
{
	struct pk_stats *s = make(0);
	struct pk_buf b = PK_BUF_INIT;

	feed(s, "{\"prompt\":\"Hi\",\"chosen\":\"Yo\",\"rejected\":\"No\",\"score_chosen\":2,\"score_rejected\":2}");
	pk_stats_input(s, 1, 2);
	finish(s);
	CHECK_INT(pk_stats_json(&s, 1, &b), PK_OK);
	CHECK_STR(b.data,
		  "{\"file\":\"t.jsonl\",\"read\":2,\"records\":1,\"bad\":1,\"blank\":2,"
		  "\"pairs\":1,\"lists\":0,\"other\":0,\"scored_pairs\":1,\"ties\":1,"
		  "\"misordered\":0,\"scores_invalid\":0,\"lists_invalid\":0,"
		  "\"list_ties\":0,\"texts_invalid\":0,\"duplicates\":0,"
		  "\"tie_rate\":1,\"duplicate_rate\":0,\"format\":\"trl\","
		  "\"formats\":{\"trl\":1},\"fields\":{"
		  "\"prompt\":{\"count\":1,\"types\":{\"string\":1}},"
		  "\"chosen\":{\"count\":1,\"types\":{\"string\":1}},"
		  "\"rejected\":{\"count\":1,\"types\":{\"string\":1}},"
		  "\"score_chosen\":{\"count\":1,\"types\":{\"number\":1}},"
		  "\"score_rejected\":{\"count\":1,\"types\":{\"number\":1}}},"
		  "\"distributions\":{"
		  "\"score_chosen\":{\"n\":1,\"min\":2,\"q1\":2,\"median\":2,\"q3\":2,\"max\":2,\"mean\":2,\"exact\":true,\"histogram\":{\"lo\":2,\"width\":0,\"counts\":[1]}},"
		  "\"score_rejected\":{\"n\":1,\"min\":2,\"q1\":2,\"median\":2,\"q3\":2,\"max\":2,\"mean\":2,\"exact\":true,\"histogram\":{\"lo\":2,\"width\":0,\"counts\":[1]}},"
		  "\"gap\":{\"n\":1,\"min\":0,\"q1\":0,\"median\":0,\"q3\":0,\"max\":0,\"mean\":0,\"exact\":true,\"histogram\":{\"lo\":0,\"width\":0,\"counts\":[1]}},"
		  "\"response_score\":{\"n\":0},\"list_size\":{\"n\":0},"
		  "\"prompt_chars\":{\"n\":1,\"min\":2,\"q1\":2,\"median\":2,\"q3\":2,\"max\":2,\"mean\":2,\"exact\":true,\"histogram\":{\"lo\":2,\"width\":0,\"counts\":[1]}},"
		  "\"chosen_chars\":{\"n\":1,\"min\":2,\"q1\":2,\"median\":2,\"q3\":2,\"max\":2,\"mean\":2,\"exact\":true,\"histogram\":{\"lo\":2,\"width\":0,\"counts\":[1]}},"
		  "\"rejected_chars\":{\"n\":1,\"min\":2,\"q1\":2,\"median\":2,\"q3\":2,\"max\":2,\"mean\":2,\"exact\":true,\"histogram\":{\"lo\":2,\"width\":0,\"counts\":[1]}},"
		  "\"response_chars\":{\"n\":0},"
		  "\"prompt_tokens\":{\"n\":1,\"min\":1,\"q1\":1,\"median\":1,\"q3\":1,\"max\":1,\"mean\":1,\"exact\":true,\"histogram\":{\"lo\":1,\"width\":0,\"counts\":[1]}},"
		  "\"chosen_tokens\":{\"n\":1,\"min\":1,\"q1\":1,\"median\":1,\"q3\":1,\"max\":1,\"mean\":1,\"exact\":true,\"histogram\":{\"lo\":1,\"width\":0,\"counts\":[1]}},"
		  "\"rejected_tokens\":{\"n\":1,\"min\":1,\"q1\":1,\"median\":1,\"q3\":1,\"max\":1,\"mean\":1,\"exact\":true,\"histogram\":{\"lo\":1,\"width\":0,\"counts\":[1]}},"
		  "\"response_tokens\":{\"n\":0}}}\n");
	pk_buf_free(&b);
	pk_stats_free(s);
}

static void test_sum(void)
{
	struct pk_error err = {0};
	struct pk_statsum *t = pk_statsum_new(&err);
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_buf b = PK_BUF_INIT;
	static const char *const in[] = {
		"{\"read\":3,\"written\":2,\"stages\":3}",
		"{\"read\":18446744073709551610,\"ties\":1,\"stages\":2}",
	};
	const char *bad = "{\"read\":1.5}", *over = "{\"read\":9}";
	size_t k;

	for (k = 0; k < 2; k++) {
		CHECK_INT(pk_scan_record(&rec, in[k], strlen(in[k]), &err), PK_OK);
		CHECK_INT(pk_statsum_add(t, &rec, &err), PK_OK);
	}
	CHECK_INT(pk_statsum_write(t, &b), PK_OK);
	CHECK_STR(b.data, "{\"read\":18446744073709551613,\"written\":2,\"stages\":3,\"ties\":1}");
	CHECK_INT(pk_scan_record(&rec, bad, strlen(bad), &err), PK_OK);
	CHECK_INT(pk_statsum_add(t, &rec, &err), PK_BAD_RECORD);
	CHECK_STR(err.text, "member \"read\" is not a count (a whole number >= 0)");
	CHECK_INT(pk_scan_record(&rec, over, strlen(over), &err), PK_OK);
	CHECK_INT(pk_statsum_add(t, &rec, &err), PK_BAD_RECORD);
	CHECK_STR(err.text, "member \"read\": sum out of range");
	pk_record_free(&rec);
	pk_buf_free(&b);
	pk_statsum_free(t);
}

static void test_display(void)
{
	char t[PK_NUMBER_MAX];

	pk_stats_display(t, 3);
	CHECK_STR(t, "3");
	pk_stats_display(t, -0.0);
	CHECK_STR(t, "0");
	pk_stats_display(t, 3.25);
	CHECK_STR(t, "3.25");
	pk_stats_display(t, 1.0 / 3);
	CHECK_STR(t, "0.333333");
	pk_stats_display(t, 1e15);
	CHECK_STR(t, "1e+15");
}

/* Characters of long texts (16 bytes at a time, lanes added up every
 * 255 steps): lengths around those steps, mixing 1- to 4-byte
 * characters. */
static void test_long_chars(void)
{
	static const char *const unit[] = {"a", "\xc3\xa9", "\xe2\x82\xac",
					   "\xf0\x9f\x98\x80"};
	/* the last: only 4-byte characters, so that 12 of the 16 lanes
	 * see a continuation byte at every step */
	static const size_t lens[] = {15, 16, 17, 4079, 4080, 4081, 9000,
				      8192};
	struct pk_buf line = PK_BUF_INIT;
	size_t li, k, bad = 0;

	for (li = 0; li < sizeof lens / sizeof *lens; li++) {
		struct pk_stats *s = make(0);
		size_t chars = 0, bytes = 0;

		pk_buf_reset(&line);
		pk_buf_puts(&line, "{\"prompt\":\"");
		for (k = 0; bytes < lens[li]; k++) {
			const char *u = li == 7 ? unit[3]
					    : unit[(k * 7 + k / 3) % 4];

			if (bytes + strlen(u) > lens[li])
				u = "b";
			pk_buf_puts(&line, u);
			bytes += strlen(u);
			chars++;
		}
		pk_buf_puts(&line, "\",\"chosen\":\"x\",\"rejected\":\"y\"}");
		bad += !feed_ok(s, line.data);
		finish(s);
		if (D(s, PK_SD_PROMPT_CHARS)->max != (double)chars) {
			bad++;
			printf("# %zu bytes: %g characters, want %zu\n", bytes,
			       D(s, PK_SD_PROMPT_CHARS)->max, chars);
		}
		pk_stats_free(s);
	}
	pk_buf_free(&line);
	CHECK_INT(bad, 0);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Exact quartiles of many values, against a sort done here: sizes
 * around the cut-offs of the selection, values with many ties (small
 * integers) and without (fractions of both signs). */
static void test_quartiles_many(void)
{
	static const size_t sizes[] = {1, 2, 3, 4, 5, 16, 17, 18, 33, 100,
				       1001, 4099};
	uint64_t r = 88172645463325252u;
	size_t si, k, bad = 0;
	int kind;

	for (kind = 0; kind < 3; kind++)
		for (si = 0; si < sizeof sizes / sizeof *sizes; si++) {
			size_t n = sizes[si];
			double *x = malloc(n * sizeof *x);
			struct pk_stats *s = make(0);
			const struct pk_stats_dist *d;
			char line[160];
			unsigned i;

			for (k = 0; k < n; k++) {
				r ^= r << 13, r ^= r >> 7, r ^= r << 17;
				x[k] = kind == 0 ? (double)(r % 7)
				     : kind == 1 ? ((double)(r % 200001) - 100000) / 64
						 : (double)(n - k); /* descending */
				snprintf(line, sizeof line,
					 "{\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":%.17g}",
					 x[k]);
				bad += !feed_ok(s, line);
			}
			finish(s);
			qsort(x, n, sizeof *x, cmp_dbl);
			d = D(s, PK_SD_SCORE_CHOSEN);
			for (i = 1; i <= 3; i++) {
				size_t m = n - 1, j = i * m / 4, e = i * m - 4 * j;
				double q = e ? (x[j] * (double)(4 - e) +
						x[j + 1] * (double)e) / 4
					     : x[j];
				double got = i == 1 ? d->q1
					   : i == 2 ? d->median : d->q3;

				if (got != q) {
					bad++;
					printf("# n %zu kind %d q%u: %g, want %g\n",
					       n, kind, i, got, q);
				}
			}
			bad += d->min != x[0] || d->max != x[n - 1] ||
			       !d->exact;
			pk_stats_free(s);
			free(x);
		}
	CHECK_INT(bad, 0);
}

/* Records measured apart (pk_stats_measure, by several meters, in any
 * order) and added up in input order (pk_stats_add) give the figures of
 * pk_stats_record, to the byte of the JSON report: within the memory
 * budget, and beyond it (sketch and spilled keys). */
static const char *const mixed[] = {
	"{\"prompt\":\"Hi\",\"chosen\":\"Hello there!\",\"rejected\":\"Go.\",\"score_chosen\":7.25,\"score_rejected\":-0.1}",
	"{\"prompt\":\"Hi\",\"chosen\":\"Hello there!\",\"rejected\":\"Go.\",\"score_chosen\":7.25,\"score_rejected\":-0.1}",
	"{\"chosen\":[{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"}],\"rejected\":[{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"five\"}]}",
	"{\"prompt\":\"q\",\"responses\":[{\"text\":\"a\",\"score\":3},{\"text\":\"bb\",\"score\":true},{\"text\":\"c\",\"score\":1.5}]}",
	"{\"prompt\":\"q\",\"responses\":7}",
	"{\"pr\\u006fmpt\":\"esc\",\"x\\ny\":null,\"chosen\":\"a b c\",\"rejected\":\"\\u00e9t\\u00e9 \\ud83d\\ude00\"}",
	"{\"something\":\"else\",\"n\":[1,2.50,{\"b\":1,\"a\":2}]}",
	"{\"prompt\":7,\"chosen\":\"x\",\"rejected\":null,\"score_chosen\":\"high\"}",
	"{\"prompt\":\"p\",\"chosen\":\"y'all don't  stop\\n\\n\",\"rejected\":\"12 345\",\"score_chosen\":1e300,\"score_rejected\":-1e300}",
};
#define NMIXED (sizeof mixed / sizeof *mixed)

static void report_of(struct pk_stats *s, struct pk_buf *out)
{
	struct pk_error err = {0};

	CHECK_INT(pk_stats_finish(s, &err), PK_OK);
	CHECK_INT(pk_stats_json(&s, 1, out), PK_OK);
}

static void test_measure_add(size_t memory, size_t rounds)
{
	struct pk_stats_opts o = {0};
	struct pk_error err = {0};
	struct pk_stats *one, *two;
	struct pk_stats_meter *m[2];
	struct pk_buf *logs, a = PK_BUF_INIT, b = PK_BUF_INIT;
	struct pk_record rec = PK_RECORD_INIT;
	size_t n = NMIXED * rounds, k, same = 0, failed = 0;

	o.memory = memory;
	o.name = "t.jsonl";
	one = pk_stats_new(&o, &err);
	two = pk_stats_new(&o, &err);
	m[0] = pk_stats_meter_new(&o, &err);
	m[1] = pk_stats_meter_new(&o, &err);
	logs = calloc(n, sizeof *logs);
	CHECK(one && two && m[0] && m[1] && logs);
	if (!one || !two || !m[0] || !m[1] || !logs)
		return;
	/* measured last to first, by two meters in turn */
	for (k = n; k-- > 0;) {
		const char *t = mixed[k % NMIXED];

		failed += pk_scan_record(&rec, t, strlen(t), &err) != PK_OK ||
			  pk_stats_measure(m[k % 2], &rec, &logs[k], &err) != PK_OK ||
			  logs[k].len == 0;
	}
	for (k = 0; k < n; k++) {
		const char *t = mixed[k % NMIXED];

		failed += pk_scan_record(&rec, t, strlen(t), &err) != PK_OK ||
			  pk_stats_record(one, &rec, &err) != PK_OK ||
			  pk_stats_add(two, logs[k].data, logs[k].len, &err) != PK_OK;
		/* the same record measures the same by any meter */
		same += k >= NMIXED && logs[k].len == logs[k - NMIXED].len &&
			memcmp(logs[k].data, logs[k - NMIXED].data,
			       logs[k].len) == 0;
	}
	CHECK_INT(failed, 0);
	CHECK_INT(same, n - NMIXED);
	report_of(one, &a);
	report_of(two, &b);
	CHECK_MEM(b.data, b.len, a.data, a.len);
	/* beyond the budget, some distribution was estimated */
	if (memory)
		CHECK(strstr(a.data, "\"exact\":false") != NULL);
	/* the first two records are one; the others differ */
	CHECK_INT(pk_stats_get(one, "duplicates"), n - (NMIXED - 1));
	for (k = 0; k < n; k++)
		pk_buf_free(&logs[k]);
	pk_buf_free(&a);
	pk_buf_free(&b);
	free(logs);
	pk_record_free(&rec);
	pk_stats_meter_free(m[0]);
	pk_stats_meter_free(m[1]);
	pk_stats_free(one);
	pk_stats_free(two);
}

/* Measurements cut short are refused, not read past their end. */
static void test_add_cut_short(void)
{
	struct pk_stats_opts o = {0};
	struct pk_error err = {0};
	struct pk_stats *s = pk_stats_new(&o, &err);
	struct pk_stats_meter *m = pk_stats_meter_new(&o, &err);
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_buf log = PK_BUF_INIT;
	size_t k, refused = 0;

	CHECK(s && m);
	if (!s || !m)
		return;
	CHECK_INT(pk_scan_record(&rec, mixed[5], strlen(mixed[5]), &err), PK_OK);
	CHECK_INT(pk_stats_measure(m, &rec, &log, &err), PK_OK);
	/* every cut inside an item: the last item is the 17-byte key */
	for (k = 1; k < 17; k++)
		refused += pk_stats_add(s, log.data, log.len - k, &err) == PK_FATAL;
	CHECK_INT(refused, 16);
	CHECK_STR(err.text, "measurements of a record cut short");
	CHECK_INT(pk_stats_add(s, "x", 1, &err), PK_FATAL);
	pk_buf_free(&log);
	pk_record_free(&rec);
	pk_stats_meter_free(m);
	pk_stats_free(s);
}

int main(void)
{
	test_quartiles();
	test_texts();
	test_lists_dups_fields();
	test_sketch();
	test_json();
	test_sum();
	test_display();
	test_quartiles_many();
	test_long_chars();
	test_measure_add(0, 3);
	test_measure_add(1024, 40); /* 64 values held, keys spilled */
	test_add_cut_short();
	return pk_test_done();
}
