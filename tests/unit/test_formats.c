/* SPDX-License-Identifier: MIT */
/* test_formats.c - the foreign-format readers (lib/formats/) and the pair
 * conversions.  Expected records are written by hand. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

static struct pk_buf got = PK_BUF_INIT;
static struct pk_error err;

static int collect(void *ctx, const char *json, size_t len)
{
	(void)ctx;
	if (got.len)
		pk_buf_putc(&got, '\n');
	pk_buf_append(&got, json, len);
	return PK_OK;
}

/* The second pass: the readers hand their records to a struct pk_sink
 * whose room is got itself (pk_format_reader_feed_sink), and every
 * expectation must hold just the same. */
static int with_room;

static char *room(void *ctx, size_t n)
{
	(void)ctx;
	if (pk_buf_reserve(&got, n + 1) < 0)
		return NULL;
	return got.data + got.len + (got.len ? 1 : 0);
}

static int commit(void *ctx, char *p, size_t len)
{
	(void)ctx;
	if (p != got.data + got.len + (got.len ? 1 : 0))
		return PK_FATAL;
	if (got.len)
		got.data[got.len++] = '\n';
	got.len += len;
	got.data[got.len] = '\0';
	return PK_OK;
}

/* Feed the JSON Lines text in to a reader of format name; returns the
 * status of the last feed (or of finish); outputs are in got. */
static int run(const char *name, const struct pk_format_opts *opts,
	       const char *in, struct pk_format_reader **keep)
{
	struct pk_format_reader *fr = pk_format_reader_new(name, opts, &err);
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_sink sink = {collect, room, commit, NULL};
	int rc = PK_OK;

	pk_buf_reset(&got);
	pk_buf_putc(&got, '\0');
	got.len = 0;
	if (!fr)
		return PK_FATAL;
	while (*in) {
		const char *nl = strchr(in, '\n');
		size_t n = nl ? (size_t)(nl - in) : strlen(in);
		pk_error_clear(&err);
		rc = pk_scan_record(&rec, in, n, &err);
		if (rc == PK_OK && with_room)
			rc = pk_format_reader_feed_sink(fr, &rec, &sink, &err);
		else if (rc == PK_OK)
			rc = pk_format_reader_feed(fr, &rec, collect, NULL,
						   &err);
		if (rc != PK_OK)
			break;
		in += n + (nl != NULL);
	}
	if (rc == PK_OK && with_room)
		rc = pk_format_reader_finish_sink(fr, &sink, &err);
	else if (rc == PK_OK)
		rc = pk_format_reader_finish(fr, collect, NULL, &err);
	pk_record_free(&rec);
	if (keep)
		*keep = fr;
	else
		pk_format_reader_free(fr);
	return rc;
}

static unsigned long long counter(struct pk_format_reader *fr,
				  const char *name)
{
	unsigned long long v;
	const char *n;

	for (size_t i = 0; (n = pk_format_reader_counter(fr, i, &v)); i++)
		if (!strcmp(n, name))
			return v;
	return ~0ULL;
}

static void test_registry(void)
{
	const struct pk_format_info *f;
	struct pk_format_reader *fr;
	int n = 0;

	for (f = pk_format_list(); f->name; f++)
		n++;
	CHECK_INT(n, 13);
	CHECK(pk_format_lookup("hh")->kind == PK_FORMAT_PAIRS);
	CHECK(pk_format_lookup("nectar")->kind == PK_FORMAT_LISTS);
	CHECK(pk_format_lookup("auto") == NULL);
	fr = pk_format_reader_new("nope", NULL, &err);
	CHECK(fr == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK(strstr(err.text, "unknown format 'nope'") != NULL);
	fr = pk_format_reader_new("ultrafeedback",
				  &(struct pk_format_opts){.score = "best"},
				  &err);
	CHECK(fr == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
}

static void detect(const char *json, const char *want)
{
	struct pk_record rec = PK_RECORD_INIT;
	const char *name;

	CHECK_INT(pk_scan_record(&rec, json, strlen(json), &err), PK_OK);
	name = pk_format_detect(&rec);
	if (want)
		CHECK_STR(name, want);
	else
		CHECK(name == NULL);
	pk_record_free(&rec);
}

static void test_detect(void)
{
	detect("{\"chosen\":\"\\n\\nHuman: a\\n\\nAssistant: b\","
	       "\"rejected\":\"\\n\\nHuman: a\\n\\nAssistant: c\"}", "hh");
	detect("{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}", "trl");
	detect("{\"chosen\":[{\"role\":\"user\",\"content\":\"a\"}],"
	       "\"rejected\":[]}", "trl");
	detect("{\"prompt\":\"p\",\"chosen\":[],\"rejected\":[]}",
	       "ultrafeedback-binarized");
	detect("{\"instruction\":\"i\",\"completions\":[]}", "ultrafeedback");
	detect("{\"message_tree_id\":\"t\",\"prompt\":{}}", "oasst");
	detect("{\"prompt\":\"p\",\"answers\":[]}", "nectar");
	detect("{\"conversations\":[],\"chosen\":{},\"rejected\":{}}",
	       "sharegpt");
	detect("{\"prompt\":\"p\",\"response\":\"r\",\"helpfulness\":3}",
	       "helpsteer");
	detect("{\"prompt\":\"p\",\"responses\":[]}", "lists");
	detect("{\"prompt\":\"p\",\"completion\":\"c\",\"label\":true}",
	       "unpaired");
	detect("{\"question\":\"q\"}", NULL);
}

/* HH: the split rule, the space rule, extra fields, the reported kinds. */
static void test_hh(void)
{
	struct pk_format_reader *fr;
	int rc;

	rc = run("hh", NULL,
		 "{\"id\":7,\"chosen\":\"\\n\\nHuman: Hi\\n\\nAssistant: Hello!"
		 "\\n\\nHuman: Joke?\\n\\nAssistant: No.\",\"rejected\":\"\\n\\n"
		 "Human: Hi\\n\\nAssistant: Hello!\\n\\nHuman: Joke?\\n\\n"
		 "Assistant: Knock knock.\"}",
		 &fr);
	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data,
		  "{\"prompt\":\"\\n\\nHuman: Hi\\n\\nAssistant: Hello!\\n\\n"
		  "Human: Joke?\\n\\nAssistant:\",\"id\":7,\"chosen\":\"No.\","
		  "\"rejected\":\"Knock knock.\"}");
	CHECK(pk_format_reader_note(fr) == NULL);
	pk_format_reader_free(fr);

	/* Responses that share a beginning: the split is still at the
	 * last marker, not where the characters part. */
	rc = run("hh", NULL,
		 "{\"chosen\":\"\\n\\nHuman: Q\\n\\nAssistant: I think so\","
		 "\"rejected\":\"\\n\\nHuman: Q\\n\\nAssistant: I do not\"}",
		 NULL);
	CHECK_STR(got.data, "{\"prompt\":\"\\n\\nHuman: Q\\n\\nAssistant:\","
			    "\"chosen\":\"I think so\",\"rejected\":\"I do "
			    "not\"}");

	/* The same pair with \u escapes (the decoding path) and with a
	 * character spelled two ways. */
	rc = run("hh", NULL,
		 "{\"chosen\":\"\\n\\nHuman: caf\\u00e9\\n\\nAssistant: "
		 "\\u00e9t\\u00e9\",\"rejected\":\"\\n\\nHuman: café\\n\\n"
		 "Assistant: \\u00e9tait\"}",
		 NULL);
	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data, "{\"prompt\":\"\\n\\nHuman: café\\n\\nAssistant:\","
			    "\"chosen\":\"été\",\"rejected\":\"était\"}");

	/* prefix, identical, diverges-early: kept, noted and counted */
	rc = run("hh", NULL,
		 "{\"chosen\":\"\\n\\nHuman: Q\\n\\nAssistant: \",\"rejected\":"
		 "\"\\n\\nHuman: Q\\n\\nAssistant: A\"}",
		 &fr);
	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data, "{\"prompt\":\"\\n\\nHuman: Q\\n\\nAssistant:\","
			    "\"chosen\":\"\",\"rejected\":\"A\"}");
	CHECK_STR(pk_format_reader_note(fr),
		  "hh: prefix: one transcript is a prefix of the other");
	CHECK_INT(counter(fr, "hh_prefix"), 1);
	pk_format_reader_free(fr);

	rc = run("hh", NULL,
		 "{\"chosen\":\"\\n\\nHuman: Q\\n\\nAssistant: A\",\"rejected\":"
		 "\"\\n\\nHuman: Q\\n\\nAssistant: A\"}",
		 &fr);
	CHECK_INT(rc, PK_OK);
	CHECK_INT(counter(fr, "hh_identical"), 1);
	CHECK_STR(got.data, "{\"prompt\":\"\\n\\nHuman: Q\\n\\nAssistant:\","
			    "\"chosen\":\"A\",\"rejected\":\"A\"}");
	pk_format_reader_free(fr);

	rc = run("hh", NULL,
		 "{\"chosen\":\"\\n\\nHuman: Q\\n\\nAssistant: A\\n\\nHuman: R"
		 "\\n\\nAssistant: B\",\"rejected\":\"\\n\\nHuman: Q\\n\\n"
		 "Assistant: C\\n\\nHuman: R\\n\\nAssistant: B\"}",
		 &fr);
	CHECK_INT(rc, PK_OK);
	CHECK_INT(counter(fr, "hh_diverges_early"), 1);
	CHECK_INT(counter(fr, "hh_prefix"), 0);
	CHECK_STR(got.data, "{\"prompt\":\"\\n\\nHuman: Q\\n\\nAssistant:\","
			    "\"chosen\":\"A\\n\\nHuman: R\\n\\nAssistant: B\","
			    "\"rejected\":\"C\\n\\nHuman: R\\n\\nAssistant: "
			    "B\"}");
	pk_format_reader_free(fr);

	/* --strict: the same record is bad */
	rc = run("hh", &(struct pk_format_opts){.strict = 1},
		 "{\"chosen\":\"\\n\\nHuman: Q\\n\\nAssistant: A\",\"rejected\":"
		 "\"\\n\\nHuman: Q\\n\\nAssistant: A\"}",
		 NULL);
	CHECK_INT(rc, PK_BAD_RECORD);
	CHECK_STR(err.text, "hh: identical: chosen and rejected are the same "
			    "transcript");

	rc = run("hh", NULL,
		 "{\"chosen\":\"\\n\\nHuman: A\",\"rejected\":\"\\n\\nHuman: "
		 "B\"}",
		 NULL);
	CHECK_INT(rc, PK_BAD_RECORD);
	CHECK(strstr(err.text, "no \"\\n\\nAssistant:\" turn") != NULL);
	rc = run("hh", NULL, "{\"chosen\":3,\"rejected\":\"x\"}", NULL);
	CHECK_INT(rc, PK_BAD_RECORD);

	/* conversational: turns become messages, the cue is dropped */
	rc = run("hh", &(struct pk_format_opts){.conversational = 1},
		 "{\"chosen\":\"\\n\\nHuman: Hi\\n\\nAssistant: Hello\\n\\n"
		 "Human: Joke?\\n\\nAssistant: No.\",\"rejected\":\"\\n\\n"
		 "Human: Hi\\n\\nAssistant: Hello\\n\\nHuman: Joke?\\n\\n"
		 "Assistant: Yes.\"}",
		 NULL);
	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data,
		  "{\"prompt\":[{\"role\":\"user\",\"content\":\"Hi\"},"
		  "{\"role\":\"assistant\",\"content\":\"Hello\"},"
		  "{\"role\":\"user\",\"content\":\"Joke?\"}],"
		  "\"chosen\":[{\"role\":\"assistant\",\"content\":\"No.\"}],"
		  "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Yes.\"}]}");
}

static void test_nectar(void)
{
	int rc = run("nectar", NULL,
		     "{\"prompt\":\"\\n\\nHuman: Q\\n\\nAssistant:\",\"answers\":"
		     "[{\"answer\":\"worst\",\"model\":\"m3\",\"rank\":3.0},"
		     "{\"answer\":\"best\",\"model\":\"m1\",\"rank\":1}],"
		     "\"turns\":1}",
		     NULL);

	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data,
		  "{\"prompt\":\"\\n\\nHuman: Q\\n\\nAssistant:\",\"responses\":"
		  "[{\"text\":\"worst\",\"model\":\"m3\",\"rank\":3.0},"
		  "{\"text\":\"best\",\"model\":\"m1\",\"rank\":1}],\"turns\":1}");
	rc = run("nectar", NULL,
		 "{\"prompt\":\"p\",\"answers\":[{\"answer\":\"a\",\"rank\":1.5}]}",
		 NULL);
	CHECK_INT(rc, PK_BAD_RECORD);
	CHECK_STR(err.text, "nectar: answer 1: rank 1.5 is not an integer");
	rc = run("nectar", NULL,
		 "{\"prompt\":\"p\",\"answers\":[{\"answer\":\"a\",\"rank\":\"1\"}]}",
		 NULL);
	CHECK_INT(rc, PK_BAD_RECORD);
	rc = run("nectar", &(struct pk_format_opts){.conversational = 1},
		 "{\"prompt\":\"Human: Q\\n\\nAssistant:\",\"answers\":"
		 "[{\"answer\":\"a\",\"rank\":1}]}",
		 NULL);
	CHECK_STR(got.data,
		  "{\"prompt\":[{\"role\":\"user\",\"content\":\"Q\"}],"
		  "\"responses\":[{\"text\":[{\"role\":\"assistant\",\"content\":"
		  "\"a\"}],\"rank\":1}]}");
}

static void test_ultrafeedback(void)
{
	static const char in[] =
		"{\"source\":\"s\",\"instruction\":\"I\",\"models\":[\"a\",\"b\"],"
		"\"completions\":[{\"model\":\"a\",\"response\":\"ra\","
		"\"overall_score\":7.5,\"fine-grained_score\":4.25,"
		"\"annotations\":{\"honesty\":{\"Rating\":\"5\"},"
		"\"helpfulness\":{\"Rating\":\"4\",\"Rationale\":\"x\"}}},"
		"{\"model\":\"b\",\"response\":\"rb\",\"overall_score\":\"N/A\","
		"\"fine-grained_score\":\"2\",\"annotations\":{\"honesty\":"
		"{\"Rating\":\"N/A\"},\"helpfulness\":{\"Rating\":\"2\"}}}]}";
	struct pk_format_reader *fr;
	int rc = run("ultrafeedback", NULL, in, &fr);

	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data,
		  "{\"source\":\"s\",\"prompt\":\"I\",\"models\":[\"a\",\"b\"],"
		  "\"responses\":[{\"text\":\"ra\",\"score\":7.5,\"model\":\"a\"}]}");
	CHECK_INT(counter(fr, "completions_dropped"), 1);
	pk_format_reader_free(fr);
	rc = run("ultrafeedback",
		 &(struct pk_format_opts){.score = "fine-grained"}, in, NULL);
	CHECK_STR(got.data,
		  "{\"source\":\"s\",\"prompt\":\"I\",\"models\":[\"a\",\"b\"],"
		  "\"responses\":[{\"text\":\"ra\",\"score\":4.25,\"model\":\"a\"},"
		  "{\"text\":\"rb\",\"score\":2,\"model\":\"b\"}]}");
	rc = run("ultrafeedback",
		 &(struct pk_format_opts){.score = "mean-aspects"}, in, NULL);
	CHECK_STR(got.data,
		  "{\"source\":\"s\",\"prompt\":\"I\",\"models\":[\"a\",\"b\"],"
		  "\"responses\":[{\"text\":\"ra\",\"score\":4.5,\"model\":\"a\"},"
		  "{\"text\":\"rb\",\"score\":2,\"model\":\"b\"}]}");
}

static void test_ufbinarized(void)
{
	int rc = run("ultrafeedback-binarized", NULL,
		     "{\"prompt\":\"Q\",\"prompt_id\":\"x\",\"chosen\":[{\"role\":"
		     "\"user\",\"content\":\"Q\"},{\"role\":\"assistant\","
		     "\"content\":\"A\"}],\"rejected\":[{\"role\":\"user\","
		     "\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":"
		     "\"B\"}],\"score_chosen\":8.0,\"score_rejected\":3.5}",
		     NULL);

	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data,
		  "{\"prompt\":[{\"role\":\"user\",\"content\":\"Q\"}],"
		  "\"prompt_id\":\"x\",\"chosen\":[{\"role\":\"assistant\","
		  "\"content\":\"A\"}],\"rejected\":[{\"role\":\"assistant\","
		  "\"content\":\"B\"}],\"score_chosen\":8.0,"
		  "\"score_rejected\":3.5}");
	rc = run("ultrafeedback-binarized", NULL,
		 "{\"prompt\":\"Q\",\"chosen\":[{\"role\":\"user\",\"content\":"
		 "\"Q\"},{\"role\":\"assistant\",\"content\":\"A\"}],"
		 "\"rejected\":[{\"role\":\"user\",\"content\":\"Other\"},"
		 "{\"role\":\"assistant\",\"content\":\"B\"}]}",
		 NULL);
	CHECK_INT(rc, PK_BAD_RECORD);
}

static void test_sharegpt(void)
{
	int rc = run("sharegpt", NULL,
		     "{\"conversations\":[{\"from\":\"human\",\"value\":\"Q\"},"
		     "{\"from\":\"gpt\",\"value\":\"A\",\"weight\":0},{\"from\":"
		     "\"human\",\"value\":\"R\"}],\"system\":\"S\",\"chosen\":"
		     "{\"from\":\"gpt\",\"value\":\"good\"},\"rejected\":"
		     "{\"from\":\"gpt\",\"value\":\"bad\"},\"id\":1}",
		     NULL);

	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data,
		  "{\"prompt\":[{\"role\":\"system\",\"content\":\"S\"},"
		  "{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\","
		  "\"content\":\"A\",\"weight\":0},{\"role\":\"user\","
		  "\"content\":\"R\"}],\"chosen\":[{\"role\":\"assistant\","
		  "\"content\":\"good\"}],\"rejected\":[{\"role\":\"assistant\","
		  "\"content\":\"bad\"}],\"id\":1}");
	rc = run("sharegpt", NULL,
		 "{\"conversations\":[{\"from\":\"tool\",\"value\":\"Q\"}],"
		 "\"chosen\":{\"from\":\"gpt\",\"value\":\"a\"},\"rejected\":"
		 "{\"from\":\"gpt\",\"value\":\"b\"}}",
		 NULL);
	CHECK_INT(rc, PK_BAD_RECORD);
	CHECK_STR(err.text,
		  "sharegpt: conversations[0]: unknown 'from' \"tool\"");
}

static void test_helpsteer(void)
{
	struct pk_format_reader *fr;
	int rc = run("helpsteer", NULL,
		     "{\"prompt\":\"P\",\"response\":\"a\",\"helpfulness\":3,"
		     "\"correctness\":4}\n"
		     "{\"prompt\":\"P\",\"response\":\"b\",\"helpfulness\":1,"
		     "\"correctness\":2,\"id\":9}\n"
		     "{\"prompt\":\"P\",\"response\":\"c\",\"helpfulness\":null}\n"
		     "{\"prompt\":\"Q\",\"response\":\"d\",\"helpfulness\":2}",
		     &fr);

	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data,
		  "{\"prompt\":\"P\",\"responses\":[{\"text\":\"a\",\"score\":3,"
		  "\"scores\":{\"helpfulness\":3,\"correctness\":4}},"
		  "{\"text\":\"b\",\"score\":1,\"scores\":{\"helpfulness\":1,"
		  "\"correctness\":2},\"id\":9}]}\n"
		  "{\"prompt\":\"Q\",\"responses\":[{\"text\":\"d\",\"score\":2,"
		  "\"scores\":{\"helpfulness\":2}}]}");
	CHECK_INT(counter(fr, "responses_dropped"), 1);
	pk_format_reader_free(fr);
	rc = run("helpsteer", &(struct pk_format_opts){.score = "correctness"},
		 "{\"prompt\":\"P\",\"response\":\"a\",\"helpfulness\":3}", NULL);
	CHECK_INT(rc, PK_BAD_RECORD);
	CHECK_STR(err.text, "helpsteer: no 'correctness' score");
}

static void test_oasst(void)
{
	/* root P (prompter) -> assistant A1 (rank 1), A0 (rank 0), Ad
	 * (deleted), An (no rank); A0 -> prompter P2 -> assistant B0, B1
	 * (rank 0, 1, B1 synthetic) */
	static const char tree[] =
		"{\"message_tree_id\":\"t\",\"prompt\":{\"message_id\":\"p\","
		"\"role\":\"prompter\",\"text\":\"Q\",\"replies\":["
		"{\"message_id\":\"a1\",\"role\":\"assistant\",\"text\":\"A1\","
		"\"rank\":1,\"replies\":[]},"
		"{\"message_id\":\"a0\",\"role\":\"assistant\",\"text\":\"A0\","
		"\"rank\":0,\"replies\":[{\"message_id\":\"p2\",\"role\":"
		"\"prompter\",\"text\":\"Q2\",\"replies\":["
		"{\"message_id\":\"b0\",\"role\":\"assistant\",\"text\":\"B0\","
		"\"rank\":0},{\"message_id\":\"b1\",\"role\":\"assistant\","
		"\"text\":\"B1\",\"rank\":1,\"synthetic\":true}]}]},"
		"{\"message_id\":\"ad\",\"role\":\"assistant\",\"text\":\"Ad\","
		"\"rank\":2,\"deleted\":true},"
		"{\"message_id\":\"an\",\"role\":\"assistant\",\"text\":\"An\","
		"\"rank\":null}]}}";
	struct pk_format_reader *fr;
	int rc = run("oasst", NULL, tree, &fr);

	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data,
		  "{\"message_tree_id\":\"t\",\"parent_id\":\"p\",\"prompt\":"
		  "[{\"role\":\"user\",\"content\":\"Q\"}],\"responses\":["
		  "{\"text\":[{\"role\":\"assistant\",\"content\":\"A1\"}],"
		  "\"rank\":1,\"message_id\":\"a1\"},{\"text\":[{\"role\":"
		  "\"assistant\",\"content\":\"A0\"}],\"rank\":0,\"message_id\":"
		  "\"a0\"}]}\n"
		  "{\"message_tree_id\":\"t\",\"parent_id\":\"p2\",\"prompt\":"
		  "[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\","
		  "\"content\":\"A0\"},{\"role\":\"user\",\"content\":\"Q2\"}],"
		  "\"responses\":[{\"text\":[{\"role\":\"assistant\",\"content\":"
		  "\"B0\"}],\"rank\":0,\"message_id\":\"b0\"},{\"text\":[{\"role\":"
		  "\"assistant\",\"content\":\"B1\"}],\"rank\":1,\"message_id\":"
		  "\"b1\"}]}");
	CHECK_INT(counter(fr, "oasst_messages_skipped"), 1);
	CHECK_INT(counter(fr, "oasst_replies_unranked"), 1);
	pk_format_reader_free(fr);

	rc = run("oasst", &(struct pk_format_opts){.no_synthetic = 1}, tree,
		 &fr);
	CHECK_INT(rc, PK_OK);
	CHECK(strchr(got.data, '\n') == NULL); /* only the first group */
	CHECK_INT(counter(fr, "oasst_groups_too_small"), 1);
	CHECK_INT(counter(fr, "oasst_messages_skipped"), 2);
	pk_format_reader_free(fr);

	/* malformed: nothing is emitted, even the group before the fault */
	rc = run("oasst", NULL,
		 "{\"prompt\":{\"role\":\"prompter\",\"text\":\"Q\",\"replies\":"
		 "[{\"role\":\"assistant\",\"text\":\"a\",\"rank\":0},{\"role\":"
		 "\"assistant\",\"text\":\"b\",\"rank\":1,\"replies\":[{\"role\":"
		 "\"robot\",\"text\":\"c\"}]}]}}",
		 NULL);
	CHECK_INT(rc, PK_BAD_RECORD);
	CHECK_INT(got.len, 0);
	CHECK_STR(err.text, "oasst: 'role' is not \"prompter\" or "
			    "\"assistant\"");
	rc = run("oasst", NULL,
		 "{\"prompt\":{\"role\":\"prompter\",\"text\":\"Q\",\"replies\":"
		 "[{\"message_id\":\"x\",\"role\":\"assistant\",\"text\":\"a\","
		 "\"rank\":0.5},{\"role\":\"assistant\",\"text\":\"b\",\"rank\":1}"
		 "]}}",
		 NULL);
	CHECK_INT(rc, PK_BAD_RECORD);
	CHECK_STR(err.text, "oasst: message \"x\": 'rank' is not an integer");
}

static void test_trl_and_lists(void)
{
	struct pk_format_reader *fr;
	int rc = run("trl", NULL,
		     "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}",
		     NULL);

	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data, "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}");
	rc = run("trl",
		 &(struct pk_format_opts){.prompt_field = "q",
					  .chosen_field = "good",
					  .score_chosen_field = "m.sg"},
		 "{\"q\":\"p\",\"good\":\"a\",\"rejected\":\"b\",\"m\":{\"sg\":1,"
		 "\"x\":2}}",
		 NULL);
	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data, "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\","
			    "\"m\":{\"x\":2},\"score_chosen\":1}");
	rc = run("trl", NULL, "{\"chosen\":\"a\",\"rejected\":\"b\"}", NULL);
	CHECK_INT(rc, PK_BAD_RECORD);

	rc = run("lists",
		 &(struct pk_format_opts){.responses_field = "rs",
					  .text_field = "response",
					  .score_field = "factuality"},
		 "{\"prompt\":\"p\",\"rs\":[{\"m\":1,\"response\":\"a\","
		 "\"factuality\":true},{\"response\":\"b\",\"factuality\":null},"
		 "{\"response\":\"c\",\"factuality\":false}],\"w\":1}",
		 &fr);
	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data,
		  "{\"prompt\":\"p\",\"responses\":[{\"m\":1,\"text\":\"a\","
		  "\"score\":1},{\"text\":\"c\",\"score\":0}],\"w\":1}");
	CHECK_INT(counter(fr, "responses_dropped"), 1);
	pk_format_reader_free(fr);
	/* spaced input: written compacted */
	rc = run("lists", NULL,
		 "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a b\", "
		 "\"rank\": 2, \"x\": [1, 2]}, {\"rank\": 1, \"text\": \"c\"}]}",
		 NULL);
	CHECK_INT(rc, PK_OK);
	CHECK_STR(got.data, "{\"prompt\":\"p\",\"responses\":[{\"text\":\"a b\","
			    "\"rank\":2,\"x\":[1,2]},{\"rank\":1,\"text\":\"c\"}]}");
	rc = run("lists", NULL,
		 "{\"prompt\":\"p\",\"responses\":[{\"score\":1}]}", NULL);
	CHECK_INT(rc, PK_BAD_RECORD);
}

static void test_auto(void)
{
	struct pk_format_reader *fr;
	int rc = run("auto", NULL,
		     "{\"prompt\":\"p\",\"answers\":[{\"answer\":\"a\",\"rank\":1}]}\n"
		     "{\"prompt\":\"q\",\"answers\":[]}",
		     &fr);

	CHECK_INT(rc, PK_OK);
	CHECK_STR(pk_format_reader_format(fr), "nectar");
	CHECK_INT(pk_format_reader_kind(fr), PK_FORMAT_LISTS);
	pk_format_reader_free(fr);
	rc = run("auto", NULL, "{\"x\":1}", &fr);
	CHECK_INT(rc, PK_BAD_RECORD);
	CHECK(pk_format_reader_format(fr) == NULL);
	pk_format_reader_free(fr);
}

/* Run conversion fn on json; compare with want (NULL: must be bad). */
static void convert(int which, const char *tmpl, const char *json,
		    const char *want)
{
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_buf out = PK_BUF_INIT;
	int rc;

	CHECK_INT(pk_scan_record(&rec, json, strlen(json), &err), PK_OK);
	if (which == 0)
		rc = pk_pair_to_conversational(&rec, &out, &err);
	else if (which == 1)
		rc = pk_pair_to_standard(&rec, tmpl, &out, &err);
	else if (which == 2)
		rc = pk_pair_to_list(&rec, &out, &err);
	else
		rc = pk_pair_to_unpaired(&rec, which - 3, &out, &err);
	if (want) {
		CHECK_INT(rc, PK_OK);
		CHECK_STR(out.data, want);
	} else {
		CHECK_INT(rc, PK_BAD_RECORD);
	}
	pk_buf_free(&out);
	pk_record_free(&rec);
}

static void test_conversions(void)
{
	convert(0, NULL, "{\"id\":1,\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}",
		"{\"id\":1,\"prompt\":[{\"role\":\"user\",\"content\":\"p\"}],"
		"\"chosen\":[{\"role\":\"assistant\",\"content\":\"a\"}],"
		"\"rejected\":[{\"role\":\"assistant\",\"content\":\"b\"}]}");
	convert(1, NULL,
		"{\"prompt\":[{\"role\":\"user\",\"content\":\"p\"}],\"chosen\":"
		"[{\"role\":\"assistant\",\"content\":\"a\"}],\"rejected\":"
		"[{\"role\":\"assistant\",\"content\":\"b\"}],\"s\":2}",
		"{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"s\":2}");
	/* implicit prompt made explicit */
	convert(1, NULL,
		"{\"chosen\":[{\"role\":\"user\",\"content\":\"p\"},{\"role\":"
		"\"assistant\",\"content\":\"a\"}],\"rejected\":[{\"role\":"
		"\"user\",\"content\":\"p\"},{\"role\":\"assistant\","
		"\"content\":\"b\"}]}",
		"{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}");
	/* a system message: refused, or flattened */
	convert(1, NULL,
		"{\"prompt\":[{\"role\":\"system\",\"content\":\"S\"},{\"role\":"
		"\"user\",\"content\":\"p\"}],\"chosen\":\"a\",\"rejected\":\"b\"}",
		NULL);
	convert(1, "<{role}>{content}\\n",
		"{\"prompt\":[{\"role\":\"system\",\"content\":\"S\"},{\"role\":"
		"\"user\",\"content\":\"p\"}],\"chosen\":\"a\",\"rejected\":\"b\"}",
		"{\"prompt\":\"<system>S\\n<user>p\\n\",\"chosen\":\"a\","
		"\"rejected\":\"b\"}");
	convert(2, NULL,
		"{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\","
		"\"score_chosen\":9,\"score_rejected\":2.5,\"chosen_model\":"
		"\"m1\",\"rejected_model\":\"m2\",\"h_w\":0,\"h_l\":1,\"src\":\"x\"}",
		"{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\",\"score\":9,"
		"\"model\":\"m1\",\"h\":0},{\"text\":\"b\",\"score\":2.5,"
		"\"model\":\"m2\",\"h\":1}],\"src\":\"x\"}");
	convert(2, NULL, "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}",
		"{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\",\"rank\":1},"
		"{\"text\":\"b\",\"rank\":2}]}");
}

/* Pairs into unpaired records (pk_pair_to_unpaired: side 0 = 3, 1 = 4). */
static void test_to_unpaired(void)
{
	const char *pair =
		"{\"src\":\"x\",\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":"
		"\"b\",\"score_chosen\":9,\"score_rejected\":2.5,"
		"\"chosen_model\":\"m1\",\"rejected_model\":\"m2\",\"h_w\":0,"
		"\"h_l\":1}";
	const char *implicit =
		"{\"chosen\":[{\"role\":\"user\",\"content\":\"p\"},{\"role\":"
		"\"assistant\",\"content\":\"a\"}],\"rejected\":[{\"role\":"
		"\"user\",\"content\":\"p\"},{\"role\":\"assistant\","
		"\"content\":\"b\"}],\"id\":7}";

	convert(3, NULL, pair,
		"{\"src\":\"x\",\"prompt\":\"p\",\"completion\":\"a\",\"label\":"
		"true,\"score\":9,\"model\":\"m1\",\"h\":0}");
	convert(4, NULL, pair,
		"{\"src\":\"x\",\"prompt\":\"p\",\"completion\":\"b\",\"label\":"
		"false,\"score\":2.5,\"model\":\"m2\",\"h\":1}");
	/* an implicit prompt is written first; completions are the last
	 * messages */
	convert(3, NULL, implicit,
		"{\"prompt\":[{\"role\":\"user\",\"content\":\"p\"}],"
		"\"completion\":[{\"role\":\"assistant\",\"content\":\"a\"}],"
		"\"label\":true,\"id\":7}");
	convert(4, NULL, implicit,
		"{\"prompt\":[{\"role\":\"user\",\"content\":\"p\"}],"
		"\"completion\":[{\"role\":\"assistant\",\"content\":\"b\"}],"
		"\"label\":false,\"id\":7}");
	/* message-list prompts stay message lists */
	convert(4, NULL,
		"{\"prompt\":[{\"role\":\"user\",\"content\":\"p\"}],\"chosen\":"
		"[{\"role\":\"assistant\",\"content\":\"a\"}],\"rejected\":"
		"[{\"role\":\"assistant\",\"content\":\"b\"}]}",
		"{\"prompt\":[{\"role\":\"user\",\"content\":\"p\"}],"
		"\"completion\":[{\"role\":\"assistant\",\"content\":\"b\"}],"
		"\"label\":false}");
	/* a name written that the pair has: replaced in its place (the
	 * member-clash rule), the renamed paired field winning */
	convert(3, NULL,
		"{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"label\":1}",
		"{\"prompt\":\"p\",\"completion\":\"a\",\"label\":true}");
	convert(4, NULL,
		"{\"model\":\"m\",\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\","
		"\"rejected_model\":\"n\",\"completion\":0}",
		"{\"model\":\"n\",\"prompt\":\"p\",\"label\":false,"
		"\"completion\":\"b\"}");
	convert(3, NULL,
		"{\"model\":\"m\",\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\","
		"\"rejected_model\":\"n\",\"completion\":0}",
		"{\"model\":\"m\",\"prompt\":\"p\",\"label\":true,"
		"\"completion\":\"a\"}");
	/* to a list: "responses" replaced in its place; in a response,
	 * "text" and "score" kept over a paired field of that name, and
	 * the later of two renamed fields kept */
	convert(2, NULL,
		"{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"responses\":[1]}",
		"{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\",\"rank\":1},"
		"{\"text\":\"b\",\"rank\":2}]}");
	convert(2, NULL,
		"{\"responses\":0,\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\","
		"\"score_chosen\":3,\"score_rejected\":1,\"text_rejected\":\"T\","
		"\"chosen_score\":7,\"chosen_x\":1,\"x_w\":2,\"rejected_x\":3}",
		"{\"responses\":[{\"text\":\"a\",\"score\":3,\"x\":2},"
		"{\"text\":\"b\",\"score\":1,\"x\":3}],\"prompt\":\"p\"}");
	convert(3, NULL, "{\"prompt\":\"p\",\"chosen\":\"a\"}", NULL);
}

/* Unpaired records into pairs. */
static void test_unpaired(void)
{
	static const char in[] =
		"{\"prompt\":\"p\",\"completion\":\"a\",\"label\":true,\"id\":1}\n"
		"{\"prompt\":\"q\",\"completion\":\"x\",\"label\":false}\n"
		"{\"prompt\":\"p\",\"completion\":\"b\",\"label\":false,\"id\":2}\n"
		"{\"prompt\":\"p\",\"completion\":\"c\",\"label\":true,\"id\":1}\n"
		"{\"prompt\":\"r\",\"completion\":\"y\",\"label\":true}\n"
		"{ \"prompt\" : \"p\", \"completion\":\"d\",\"label\":false,\"id\":1}\n"
		"{\"prompt\":\"q\",\"completion\":\"z\",\"label\":false}\n";
	/* "p": D = a, c; U = b, d; pairs (D, U) in input order; "q" has
	 * no desirable, "r" no undesirable; group ids (SPEC 1.4) checked with xxhsum -H3 of the compact sorted-key text
	 * (the same value the other tests check against Python) */
#define GP ",\"group_id\":\"f8f83c003de52b62\"}"
	static const char want[] =
		"{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"chosen_id\":1,\"rejected_id\":2" GP "\n"
		"{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"d\",\"id\":1" GP "\n"
		"{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"b\",\"chosen_id\":1,\"rejected_id\":2" GP "\n"
		"{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"d\",\"id\":1" GP;
	struct pk_format_opts o = {0};
	struct pk_format_reader *fr;

	CHECK_INT(run("unpaired", &o, in, &fr), PK_OK);
	CHECK_STR(got.data, want);
	CHECK_INT((int)counter(fr, "prompts_without_desirable"), 1);
	CHECK_INT((int)counter(fr, "prompts_without_undesirable"), 1);
	CHECK_INT((int)counter(fr, "completions_unpaired"), 3);
	CHECK_INT((int)counter(fr, "pairs_over_cap"), 0);
	pk_format_reader_free(fr);

	/* the same in a sort of (almost) no memory: every record spilled */
	o.memory = 1;
	CHECK_INT(run("unpaired", &o, in, NULL), PK_OK);
	CHECK_STR(got.data, want);

	/* at most 3 pairs a prompt, the first in input order */
	o.memory = 0;
	o.max_pairs_per_prompt = 3;
	CHECK_INT(run("unpaired", &o, in, &fr), PK_OK);
	CHECK_INT((int)counter(fr, "pairs_over_cap"), 1);
	CHECK(strstr(got.data, "\"chosen\":\"c\",\"rejected\":\"d\"") == NULL);
	CHECK(strstr(got.data, "\"chosen\":\"c\",\"rejected\":\"b\"") != NULL);
	pk_format_reader_free(fr);
	o.max_pairs_per_prompt = 0;

	/* message-list prompts group by their canonical JSON: key order and
	 * spaces do not matter; the pair has D's prompt as it came */
	CHECK_INT(run("unpaired", &o,
		      "{\"prompt\":[{\"role\":\"user\",\"content\":\"hi\"}],\"completion\":\"u\",\"label\":false}\n"
		      "{\"prompt\":[{\"content\":\"hi\", \"role\":\"user\"}],\"completion\":[{\"role\":\"assistant\",\"content\":\"d\"}],\"label\":true}\n",
		      NULL), PK_OK);
	CHECK_STR(got.data,
		  "{\"prompt\":[{\"content\":\"hi\",\"role\":\"user\"}],\"chosen\":"
		  "[{\"role\":\"assistant\",\"content\":\"d\"}],\"rejected\":\"u\","
		  "\"group_id\":\"471d68e036f73c27\"}");

	/* a whole conversation; labels 1 / 0 */
	o.messages_field = "messages";
	o.label_fields = "ok";
	o.desirable = "1";
	CHECK_INT(run("unpaired", &o,
		      "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"yo\"}],\"ok\":1}\n"
		      "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"go\"}],\"ok\":0,\"n\":2}\n",
		      NULL), PK_OK);
	CHECK_STR(got.data,
		  "{\"prompt\":[{\"role\":\"user\",\"content\":\"hi\"}],\"chosen\":"
		  "[{\"role\":\"assistant\",\"content\":\"yo\"}],\"rejected\":"
		  "[{\"role\":\"assistant\",\"content\":\"go\"}],"
		  "\"rejected_n\":2,\"group_id\":\"471d68e036f73c27\"}");
	/* with --desirable alone every other label is undesirable, but
	 * null is neither */
	CHECK_INT(run("unpaired", &o,
		      "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"yo\"}],\"ok\":null}\n",
		      NULL), PK_BAD_RECORD);
	CHECK_STR(err.text, "unpaired: label 'ok' is null, which matches "
			    "neither --desirable (1) nor --undesirable (every "
			    "other value but null)");
	CHECK_INT(run("unpaired", &o,
		      "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"ok\":1}\n",
		      NULL), PK_BAD_RECORD);
	CHECK_STR(err.text, "unpaired: 'messages' is not a conversation "
			    "ending with an assistant message");
	memset(&o, 0, sizeof o);

	/* bad records */
	CHECK_INT(run("unpaired", &o,
		      "{\"prompt\":\"p\",\"completion\":\"a\",\"label\":\"yes\"}\n",
		      NULL), PK_BAD_RECORD);
	CHECK_STR(err.text, "unpaired: label 'label' is \"yes\", which "
			    "matches neither --desirable (true) nor "
			    "--undesirable (false)");
	CHECK_INT(run("unpaired", &o,
		      "{\"prompt\":\"p\",\"label\":true}\n", NULL),
		  PK_BAD_RECORD);
	CHECK_STR(err.text, "unpaired: no completion field 'completion'");
	CHECK_INT(run("unpaired", &o,
		      "{\"completion\":\"c\",\"label\":true}\n", NULL),
		  PK_BAD_RECORD);
	CHECK_STR(err.text, "unpaired: no prompt field 'prompt'");
	CHECK_INT(run("unpaired", &o,
		      "{\"prompt\":\"p\",\"completion\":5,\"label\":true}\n",
		      NULL), PK_BAD_RECORD);
	CHECK_INT(run("unpaired", &o,
		      "{\"prompt\":\"p\",\"completion\":\"c\",\"label\":true,"
		      "\"chosen\":1}\n", NULL), PK_BAD_RECORD);
	CHECK_STR(err.text, "unpaired: field 'chosen' would clash with the "
			    "pair's own 'chosen'");
	CHECK_INT(run("unpaired", &o,
		      "{\"prompt\":\"p\",\"completion\":\"c\",\"label\":true,"
		      "\"model\":1,\"rejected_model\":2}\n", NULL),
		  PK_BAD_RECORD);
	CHECK_STR(err.text, "unpaired: field 'model' would be carried as "
			    "'rejected_model', which the record has too");
	o.desirable = "1";
	o.undesirable = "1,0";
	CHECK_INT(run("unpaired", &o,
		      "{\"prompt\":\"p\",\"completion\":\"c\",\"label\":1}\n",
		      NULL), PK_BAD_RECORD);
	CHECK_STR(err.text, "unpaired: label 'label' is 1, which matches both "
			    "--desirable (1) and --undesirable (1,0)");
	o.undesirable = NULL;
	o.messages_field = "m";
	o.completion_field = "c";
	CHECK(pk_format_reader_new("unpaired", &o, &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
}
#undef GP

int main(void)
{
	for (with_room = 0; with_room < 2; with_room++) {
		test_registry();
		test_to_unpaired();
		test_unpaired();
		test_detect();
		test_hh();
		test_nectar();
		test_ultrafeedback();
		test_ufbinarized();
		test_sharegpt();
		test_helpsteer();
		test_oasst();
		test_trl_and_lists();
		test_auto();
		test_conversions();
	}
	pk_buf_free(&got);
	return pk_test_done();
}
