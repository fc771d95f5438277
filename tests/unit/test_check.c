/* SPDX-License-Identifier: MIT */
/*
 * test_check.c - the rules of pref-check (lib/check.c) on hand-written
 * records: each test feeds lines and compares the listed violations with
 * the lines written here by hand; pk_text_trim and pk_prompt_text too.
 * Every test runs twice: with one checker, and with its lines dealt to
 * three workers (pk_check_worker) whose events are replayed in order
 * only after every line is checked (pk_check_replay), as pref-check -j
 * does - the expected lines are the same.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prefkit.h"
#include "test.h"

static struct pk_buf out = PK_BUF_INIT;
/* 0: pk_check_line() on the checker; else lines dealt to this many
 * workers */
static int nworkers;

static int collect(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	pk_buf_append(&out, line, len);
	return pk_buf_putc(&out, '\n');
}

/* The lines of text checked by nworkers workers of ck in turn, each
 * line's events kept (with a length before them), then all replayed in
 * order, and ck finished: 0, or -1 after printing what failed. */
static int run_workers(struct pk_check *ck, const char *text)
{
	struct pk_check *w[8] = {NULL};
	struct pk_buf evs = PK_BUF_INIT;
	struct pk_error err = {0};
	const char *p = text;
	unsigned long long line = 0;
	size_t off, n;
	int i, rc = 0;

	for (i = 0; i < nworkers; i++)
		if (!(w[i] = pk_check_worker(ck, NULL, &err))) {
			printf("# pk_check_worker: %s\n", err.text);
			rc = -1;
			goto out;
		}
	while (*p) {
		const char *e = strchr(p, '\n');
		struct pk_check *wk = w[line % (unsigned)nworkers];
		const void *ev;

		n = e ? (size_t)(e - p) : strlen(p);
		line++;
		if (pk_check_line(wk, line, p, n, &err) < 0) {
			printf("# line %llu: %s\n", line, err.text);
			rc = -1;
		}
		pk_check_events(wk, &ev, &n);
		pk_buf_append(&evs, &n, sizeof n);
		pk_buf_append(&evs, ev, n);
		p = e ? e + 1 : p + strlen(p);
	}
	for (off = 0; off < evs.len; off += sizeof n + n) {
		memcpy(&n, evs.data + off, sizeof n);
		if (pk_check_replay(ck, evs.data + off + sizeof n, n, &err) < 0) {
			printf("# replay: %s\n", err.text);
			rc = -1;
		}
	}
	if (pk_check_finish(ck, &err) < 0) {
		printf("# finish: %s\n", err.text);
		rc = -1;
	}
out:
	for (i = 0; i < nworkers; i++)
		pk_check_free(w[i]);
	pk_buf_free(&evs);
	return rc;
}

/* Check the lines of text (one record each, '\n'-separated) with o as
 * file "t.jsonl"; the listed violations land in out. */
static struct pk_check *run(struct pk_check_opts *o, const char *text,
			    const char *against)
{
	struct pk_error err = {0};
	struct pk_check *ck;
	const char *p = text;
	unsigned long long line = 0;

	pk_buf_reset(&out);
	o->emit = collect;
	ck = pk_check_new(o, &err);
	if (!ck) {
		printf("# pk_check_new: %s\n", err.text);
		return NULL;
	}
	if (against && pk_check_against(ck, against, &err) < 0)
		printf("# against: %s\n", err.text);
	pk_check_begin_file(ck, "t.jsonl", &err);
	if (nworkers)
		return run_workers(ck, text), ck;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		line++;
		if (pk_check_line(ck, line, p, n, &err) < 0)
			printf("# line %llu: %s\n", line, err.text);
		p += n + (e != NULL);
	}
	if (pk_check_finish(ck, &err) < 0)
		printf("# finish: %s\n", err.text);
	return ck;
}

static void expect(struct pk_check_opts *o, const char *text,
		   const char *want)
{
	pk_check_free(run(o, text, NULL));
	CHECK_STR(out.data ? out.data : "", want);
}

static void test_trim(void)
{
	size_t off, len;

	CHECK_INT(pk_text_trim("  ab c \n", 8, &off, &len), 1);
	CHECK_INT(off, 2);
	CHECK_INT(len, 4);
	/* U+00A0 and U+3000 are white space (Python's str.isspace) */
	CHECK_INT(pk_text_trim("\xc2\xa0\xe3\x80\x80 \t", 7, &off, &len), 0);
	CHECK_INT(off + len, 0);
	CHECK_INT(pk_text_trim("", 0, &off, &len), 0);
	CHECK_INT(pk_text_trim("\xc3\xa9\xc2\xa0", 4, &off, &len), 1);
	CHECK_INT(len, 2);
}

static void test_prompt_text(void)
{
	struct pk_buf b = PK_BUF_INIT;
	struct pk_error err = {0};
	const char *m = "[{\"role\":\"system\",\"content\":\"S\"},"
			"{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"U\"}]}]";

	CHECK_INT(pk_prompt_text(m, strlen(m), &b, &err), PK_OK);
	CHECK_STR(b.data, "S\nU");
	pk_buf_reset(&b);
	CHECK_INT(pk_prompt_text("\"a\\nb\"", 6, &b, &err), PK_OK);
	CHECK_STR(b.data, "a\nb");
	CHECK_INT(pk_prompt_text("3", 1, &b, &err), PK_BAD_RECORD);
	CHECK_STR(err.text, "expected a string or a message list, not a number");
	pk_buf_free(&b);
}

static void test_rules_parse(void)
{
	struct pk_check_opts o;
	struct pk_error err = {0};

	pk_check_opts_init(&o);
	CHECK_INT(pk_check_set_rule(&o, "tie=error", &err), PK_OK);
	CHECK_INT(o.level[PK_CHECK_TIE], PK_LEVEL_ERROR);
	CHECK_INT(pk_check_set_rule(&o, "tie=loud", &err), PK_BAD_RECORD);
	CHECK_STR(err.text, "'tie=loud': level 'loud' is not error, warn or off");
	CHECK_INT(pk_check_set_rule(&o, "ties=off", &err), PK_BAD_RECORD);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_INT(pk_check_set_rule(&o, "range=error", &err), PK_OK);
	CHECK(pk_check_new(&o, &err) == NULL);
	CHECK_STR(err.text, "rule range needs --scale");
	CHECK_STR(pk_check_rule_name(PK_CHECK_LENGTH), "length");
}

static void test_pairs(void)
{
	struct pk_check_opts o;

	pk_check_opts_init(&o);
	expect(&o,
	       "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
	       "{\"prompt\":\"p\",\"chosen\":\"a\",\n"
	       "[1]\n"
	       "{\"prompt\":\"p\",\"chosen\":\"a\"}\n"
	       "{\"prompt\":\"p\",\"chosen\":\" \\u00a0\",\"rejected\":\"b\"}\n"
	       "{\"prompt\":\"\",\"chosen\":null,\"rejected\":[]}\n"
	       "{\"prompt\":\"q\",\"chosen\":\" same\\n\",\"rejected\":\"same\"}\n"
	       "{\"prompt\":\"q\",\"chosen\":\"x\",\"rejected\":\"x\"}\n"
	       "{\"prompt\":\"q\",\"chosen\":5,\"rejected\":true}\n"
	       "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"c\",\"score_chosen\":3,\"score_rejected\":7.5}\n"
	       "{\"prompt\":\"r\",\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":4,\"score_rejected\":4.0}\n"
	       "{\"prompt\":\"s\",\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":\"4\",\"score_rejected\":1}\n"
	       "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
	       "{\"chosen\":\"\\n\\nHuman: hi\\n\\nAssistant: a\",\"rejected\":\"\\n\\nHuman: hi\\n\\nAssistant: b\"}\n",
	       "t.jsonl:2: json: invalid JSON: unexpected end of input (column 28)\n"
	       "t.jsonl:3: json: not a JSON object (array)\n"
	       "t.jsonl:4: schema: no 'rejected'\n"
	       "t.jsonl:5: empty: chosen is only white space\n"
	       "t.jsonl:6: empty: prompt is empty\n"
	       "t.jsonl:6: empty: chosen is null\n"
	       "t.jsonl:6: empty: rejected is an empty message list\n"
	       "t.jsonl:7: identical: chosen and rejected are identical after trimming white space\n"
	       "t.jsonl:8: identical: chosen and rejected are identical\n"
	       "t.jsonl:9: schema: chosen is a number, not a string or a message list\n"
	       "t.jsonl:9: schema: rejected is a boolean, not a string or a message list\n"
	       "t.jsonl:10: misordered: score_chosen 3 < score_rejected 7.5\n"
	       "t.jsonl:11: tie: score_chosen = score_rejected = 4\n"
	       "t.jsonl:12: schema: score field 'score_chosen' is not a number (string)\n"
	       "t.jsonl:13: duplicate: same prompt, chosen and rejected as t.jsonl:1\n"
	       "t.jsonl:14: schema: no 'prompt' (hh format? name it with --from hh)\n");
}

static void test_messages(void)
{
	struct pk_check_opts o;

	pk_check_opts_init(&o);
	expect(&o,
	       /* implicit prompt: fine */
	       "{\"chosen\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}],"
	       "\"rejected\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"b\"}]}\n"
	       /* implicit prompts that differ */
	       "{\"chosen\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}],"
	       "\"rejected\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"b\"}]}\n"
	       /* a bad role, a response ending with the user */
	       "{\"prompt\":[{\"role\":\"human\",\"content\":\"q\"}],"
	       "\"chosen\":[{\"role\":\"assistant\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"more\"}],"
	       "\"rejected\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"image\"}]}]}\n"
	       /* assistant text only white space; same assistant text */
	       "{\"prompt\":\"p\",\"chosen\":[{\"role\":\"assistant\",\"content\":\"\\t\"}],"
	       "\"rejected\":[{\"role\":\"assistant\",\"content\":\"z\"}]}\n"
	       "{\"prompt\":\"p\",\"chosen\":[{\"role\":\"assistant\",\"content\":\"z\"}],"
	       "\"rejected\":\"z \"}\n",
	       "t.jsonl:2: schema: no 'prompt', and chosen and rejected differ before their last message\n"
	       "t.jsonl:3: schema: prompt[0]: role \"human\" is not system, user or assistant\n"
	       "t.jsonl:3: schema: chosen does not end with an assistant message\n"
	       "t.jsonl:3: schema: rejected[0]: content part 1 is of type \"image\": only text parts can be read\n"
	       "t.jsonl:4: empty: chosen has no assistant text\n"
	       "t.jsonl:5: identical: chosen and rejected are identical after trimming white space\n");
}

static void test_options(void)
{
	struct pk_check_opts o;
	const char *deny[] = {"(?i)as an ai"};
	struct pk_error err = {0};
	const char *bad[] = {"a(b"};

	pk_check_opts_init(&o);
	o.scale_set = 1;
	o.scale_min = 1;
	o.scale_max = 10;
	o.deny = deny;
	o.ndeny = 1;
	o.max_chars = 5;
	pk_check_set_rule(&o, "tie=off", &err);
	pk_check_set_rule(&o, "duplicate=warn", &err);
	expect(&o,
	       "{\"prompt\":\"p\",\"chosen\":\"ok\",\"rejected\":\"no\",\"score_chosen\":11,\"score_rejected\":0.5}\n"
	       "{\"prompt\":\"p\",\"chosen\":\"\xc3\xa9t\xc3\xa9 As An AI!\",\"rejected\":\"no\"}\n"
	       "{\"prompt\":\"p\",\"chosen\":\"ok3\",\"rejected\":\"no\",\"score_chosen\":4,\"score_rejected\":4}\n"
	       "{\"prompt\":\"p\",\"chosen\":\"ok\",\"rejected\":\"no\"}\n",
	       "t.jsonl:1: range: score_chosen 11 is outside the scale 1:10\n"
	       "t.jsonl:1: range: score_rejected 0.5 is outside the scale 1:10\n"
	       "t.jsonl:2: deny: chosen matches --deny-regex '(?i)as an ai' at character 5: \"As An AI\"\n"
	       "t.jsonl:2: length: chosen has 13 characters (more than 5)\n"
	       "t.jsonl:4: duplicate: same prompt, chosen and rejected as t.jsonl:1\n");
	/* the pattern's own compile error, with its offset */
	pk_check_opts_init(&o);
	o.deny = bad;
	o.ndeny = 1;
	CHECK(pk_check_new(&o, &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_STR(err.text, "--deny-regex 'a(b': pattern offset 3: missing closing parenthesis");
}

/* Literal phrases are looked for before PCRE2 runs (lib/check.c): the
 * same matches as PCRE2 alone, also where the phrase is there but \b
 * fails, and for the two characters outside ASCII that match ASCII
 * letters caselessly (U+017F long s, U+212A Kelvin sign).  '(?i)a.i' has
 * no literal (PCRE2 alone): it matches only "aii" of record 4 (no other
 * "a" or "A" has an "i" or "I" two characters on). */
static void test_deny_literal(void)
{
	struct pk_check_opts o;
	const char *deny[] = {"(?i)\\bas an ai\\b", "(?i)ok", "No", "(?i)a.i"};

	pk_check_opts_init(&o);
	o.deny = deny;
	o.ndeny = 4;
	pk_check_set_rule(&o, "duplicate=off", NULL);
	expect(&o,
	       "{\"prompt\":\"p\",\"chosen\":\"xas an ai\",\"rejected\":\"a\xc5\xbf an AI.\"}\n"
	       "{\"prompt\":\"p\",\"chosen\":\"o\xe2\x84\xaa\",\"rejected\":\"no\"}\n"
	       "{\"prompt\":\"p\",\"chosen\":\"No way\",\"rejected\":\"\xc3\xa9 AS AN AI\"}\n"
	       "{\"prompt\":\"p\",\"chosen\":\"as an aii\",\"rejected\":\"AS\\u0020an ai\"}\n",
	       "t.jsonl:1: deny: rejected matches --deny-regex '(?i)\\bas an ai\\b' at character 1: \"a\xc5\xbf an AI\"\n"
	       "t.jsonl:2: deny: chosen matches --deny-regex '(?i)ok' at character 1: \"o\xe2\x84\xaa\"\n"
	       "t.jsonl:3: deny: chosen matches --deny-regex 'No' at character 1: \"No\"\n"
	       "t.jsonl:3: deny: rejected matches --deny-regex '(?i)\\bas an ai\\b' at character 3: \"AS AN AI\"\n"
	       "t.jsonl:4: deny: chosen matches --deny-regex '(?i)a.i' at character 7: \"aii\"\n"
	       "t.jsonl:4: deny: rejected matches --deny-regex '(?i)\\bas an ai\\b' at character 1: \"AS an ai\"\n");
}

static void test_lists(void)
{
	struct pk_check_opts o;

	pk_check_opts_init(&o);
	expect(&o,
	       "{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\",\"score\":2},{\"text\":\"b\",\"score\":1}]}\n"
	       "{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\",\"score\":2},{\"score\":1}]}\n"
	       "{\"prompt\":\"p\",\"responses\":[{\"text\":\"a \",\"score\":2},{\"text\":\"\",\"score\":3},{\"text\":\"a\",\"score\":1}]}\n"
	       "{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\",\"score\":2},{\"text\":\"b\",\"score\":1}]}\n"
	       "{\"responses\":[{\"text\":\"a\",\"score\":2}]}\n",
	       "t.jsonl:2: schema: responses[1]: no 'text'\n"
	       "t.jsonl:3: empty: responses[1] is empty\n"
	       "t.jsonl:3: identical: responses[2] and responses[0] are identical after trimming white space\n"
	       "t.jsonl:4: duplicate: same prompt and responses as t.jsonl:1\n"
	       "t.jsonl:5: schema: no 'prompt'\n");
}

static void test_limit_summary_json(void)
{
	struct pk_check_opts o;
	struct pk_check *ck;
	struct pk_buf b = PK_BUF_INIT;
	struct pk_error err = {0};
	unsigned long long listed;

	pk_check_opts_init(&o);
	o.limit = 2;
	o.json = 1;
	o.max_violations = 2;
	ck = run(&o, "x\nx\nx\n{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"score_chosen\":1,\"score_rejected\":1}\n", NULL);
	CHECK_STR(out.data,
		  "t.jsonl:1: json: invalid JSON: unexpected character 'x' (column 1)\n"
		  "t.jsonl:2: json: invalid JSON: unexpected character 'x' (column 1)\n"
		  "t.jsonl:4: tie: score_chosen = score_rejected = 1\n");
	CHECK_INT(pk_check_count(ck, PK_CHECK_JSON, &listed), 3);
	CHECK_INT(listed, 2);
	CHECK_INT(pk_check_failed(ck), 1);
	pk_check_summary(ck, &b);
	CHECK_STR(b.data,
		  "rule         level  violations\n"
		  "json         error           3\n"
		  "schema       error           0\n"
		  "empty        error           0\n"
		  "identical    error           0\n"
		  "misordered   error           0\n"
		  "tie          warn            1\n"
		  "duplicate    error           0\n"
		  "4 records: 3 errors, 1 warnings; FAILED\n"
		  "(at most 2 violations of each rule are listed; --limit 0 lists all)\n");
	pk_buf_reset(&b);
	pk_check_json(ck, &b);
	CHECK_STR(b.data,
		  "{\"status\":\"fail\",\"records\":4,\"errors\":3,\"warnings\":1,"
		  "\"max_violations\":2,\"files\":[\"t.jsonl\"],\"rules\":{"
		  "\"json\":{\"level\":\"error\",\"violations\":3,\"listed\":2},"
		  "\"schema\":{\"level\":\"error\",\"violations\":0,\"listed\":0},"
		  "\"empty\":{\"level\":\"error\",\"violations\":0,\"listed\":0},"
		  "\"identical\":{\"level\":\"error\",\"violations\":0,\"listed\":0},"
		  "\"misordered\":{\"level\":\"error\",\"violations\":0,\"listed\":0},"
		  "\"tie\":{\"level\":\"warn\",\"violations\":1,\"listed\":1},"
		  "\"range\":{\"level\":\"off\",\"violations\":0,\"listed\":0},"
		  "\"duplicate\":{\"level\":\"error\",\"violations\":0,\"listed\":0},"
		  "\"leak\":{\"level\":\"off\",\"violations\":0,\"listed\":0},"
		  "\"deny\":{\"level\":\"off\",\"violations\":0,\"listed\":0},"
		  "\"length\":{\"level\":\"off\",\"violations\":0,\"listed\":0}},"
		  "\"violations\":["
		  "{\"file\":\"t.jsonl\",\"line\":1,\"rule\":\"json\",\"level\":\"error\",\"message\":\"invalid JSON: unexpected character 'x' (column 1)\"},"
		  "{\"file\":\"t.jsonl\",\"line\":2,\"rule\":\"json\",\"level\":\"error\",\"message\":\"invalid JSON: unexpected character 'x' (column 1)\"},"
		  "{\"file\":\"t.jsonl\",\"line\":4,\"rule\":\"tie\",\"level\":\"warn\",\"message\":\"score_chosen = score_rejected = 1\"}]}");
	pk_check_free(ck);
	/* clean: nothing listed, no summary, not failed */
	pk_check_opts_init(&o);
	ck = run(&o, "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}\n", NULL);
	CHECK_STR(out.data ? out.data : "", "");
	pk_buf_reset(&b);
	pk_check_summary(ck, &b);
	CHECK_INT(b.len, 0);
	CHECK_INT(pk_check_failed(ck), 0);
	pk_check_free(ck);
	pk_buf_free(&b);
	(void)err;
}

/* Duplicates beyond the memory bound: 2000 records, record i (0-based)
 * has key i % 1500, so lines 1501..2000 repeat lines 1..500.  The table
 * holds 768 keys (1024 slots, 3/4 full) at the smallest memory: the
 * repeats of lines 1..768 are found at once, the others at the end. */
static void test_duplicate_spill(void)
{
	struct pk_check_opts o;
	struct pk_buf in = PK_BUF_INIT, want = PK_BUF_INIT;
	struct pk_check *ck;
	int i;

	for (i = 0; i < 2000; i++)
		pk_buf_printf(&in, "{\"prompt\":\"p%d\",\"chosen\":\"a\",\"rejected\":\"b\"}\n",
			      i % 1500);
	for (i = 1500; i < 2000; i++)
		pk_buf_printf(&want, "t.jsonl:%d: duplicate: same prompt, chosen and rejected as t.jsonl:%d\n",
			      i + 1, i - 1500 + 1);
	pk_check_opts_init(&o);
	o.limit = 0;
	o.memory = 1;
	o.tmpdir = "/tmp";
	ck = run(&o, in.data, NULL);
	CHECK_STR(out.data, want.data);
	CHECK_INT(pk_check_count(ck, PK_CHECK_DUPLICATE, NULL), 500);
	pk_check_free(ck);
	/* 1400 distinct keys over the bound, 600 repeats all found at the end */
	pk_buf_reset(&in);
	pk_buf_reset(&want);
	for (i = 0; i < 2000; i++)
		pk_buf_printf(&in, "{\"prompt\":\"p%d\",\"chosen\":\"a\",\"rejected\":\"b\"}\n",
			      i < 1400 ? i : i - 1400 + 800);
	for (i = 1400; i < 2000; i++)
		pk_buf_printf(&want, "t.jsonl:%d: duplicate: same prompt, chosen and rejected as t.jsonl:%d\n",
			      i + 1, i - 1400 + 800 + 1);
	ck = run(&o, in.data, NULL);
	CHECK_STR(out.data, want.data);
	pk_check_free(ck);
	pk_buf_free(&in);
	pk_buf_free(&want);
}

#define LEAK_PATH "/tmp/test_check.XXXXXX"

/* The fixture of the leak tests: the records ref written to a new
 * temporary file, named in path (the caller unlinks it), and o the
 * default options with leaks checked by runs of 3 words. */
static void leak_fixture(char path[sizeof LEAK_PATH], const char *ref,
			 struct pk_check_opts *o)
{
	int fd;
	FILE *fp;

	memcpy(path, LEAK_PATH, sizeof LEAK_PATH);
	fd = mkstemp(path);
	if (fd < 0 || !(fp = fdopen(fd, "w"))) {
		printf("# cannot create %s\n", path);
		exit(99);
	}
	fputs(ref, fp);
	fclose(fp);
	pk_check_opts_init(o);
	o->leak_ngram = 3;
}

static void test_leak(void)
{
	struct pk_check_opts o;
	char path[sizeof LEAK_PATH];
	struct pk_check *ck;
	char want[1024];

	leak_fixture(path,
		     "{\"prompt\":\"What is the capital of France?\"}\n"
		     "{\"prompt\":\"Name one two three four five six colours\"}\n"
		     "{\"prompt\":\"alpha beta gamma \u00e9t\u00e9\"}\n"
		     "{\"prompt\":\"Stra\u00dfe \u00c9t\u00e9 \u03a9mega_x\"}\n",
		     &o);
	pk_check_set_rule(&o, "leak=warn", NULL);
	ck = run(&o,
		 "{\"prompt\":\"  What is the capital of France?\\n\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		 "{\"prompt\":\"what is the capital of Spain?\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		 "{\"prompt\":\"Please: FOUR, Five six!\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		 "{\"prompt\":\"four five\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		 "{\"prompt\":\"ALPHA-Beta, gamma\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		 "{\"prompt\":\"STRASSE \u00e9T\u00c9 \u03c9MEGA_X\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		 "{\"prompt\":\"strasse ete omega_x\",\"chosen\":\"a\",\"rejected\":\"b\"}\n",
		 path);
	/* the exact match is trimmed; word runs are case folded (line 5
	 * ASCII, its match not; line 6 by full case folding: "stra\u00dfe"
	 * is "strasse"); line 4 has two words only, line 7's words differ */
	snprintf(want, sizeof want,
		 "t.jsonl:1: leak: prompt is also in %s:1\n"
		 "t.jsonl:2: leak: prompt shares a run of 3 words with %s:1\n"
		 "t.jsonl:3: leak: prompt shares a run of 3 words with %s:2\n"
		 "t.jsonl:5: leak: prompt shares a run of 3 words with %s:3\n"
		 "t.jsonl:6: leak: prompt shares a run of 3 words with %s:4\n",
		 path, path, path, path, path);
	CHECK_STR(out.data, want);
	CHECK_INT(pk_check_level(ck, PK_CHECK_LEAK), PK_LEVEL_WARN);
	pk_check_free(ck);
	unlink(path);
}

/* Word runs of pieces with characters outside ASCII, the same pieces
 * again and again (the second time from the checker's cache of pieces):
 * the same words each time, by full case folding ("\u00df" is "ss"). */
static void test_leak_pieces(void)
{
	struct pk_check_opts o;
	char path[sizeof LEAK_PATH];
	struct pk_check *ck;
	char want[1024];

	leak_fixture(path,
		     "{\"prompt\":\"Gr\u00f6\u00dfe der Stra\u00dfe \u00fcberrascht\"}\n",
		     &o);
	ck = run(&o,
		 "{\"prompt\":\"Gr\u00f6\u00dfe der Stra\u00dfe\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		 "{\"prompt\":\"Gr\u00f6\u00dfe der Stra\u00dfe\",\"chosen\":\"a\",\"rejected\":\"c\"}\n"
		 "{\"prompt\":\"GR\u00d6SSE DER STRASSE\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		 "{\"prompt\":\"Gr\u00f6\u00dfe die Stra\u00dfe\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		 "{\"prompt\":\"x Stra\u00dfe \u00fcberrascht\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		 "{\"prompt\":\"der Stra\u00dfe \u00fcberrascht\",\"chosen\":\"a\",\"rejected\":\"b\"}\n",
		 path);
	snprintf(want, sizeof want,
		 "t.jsonl:1: leak: prompt shares a run of 3 words with %s:1\n"
		 "t.jsonl:2: leak: prompt shares a run of 3 words with %s:1\n"
		 "t.jsonl:3: leak: prompt shares a run of 3 words with %s:1\n"
		 "t.jsonl:6: leak: prompt shares a run of 3 words with %s:1\n",
		 path, path, path, path);
	CHECK_STR(out.data, want);
	pk_check_free(ck);
	unlink(path);
}

/* What only workers do: misuse, and a format reader that groups records
 * (its pairs come at the end, from pk_check_finish() on the worker). */
static void test_workers(void)
{
	struct pk_check_opts o;
	struct pk_error err = {0};
	struct pk_format_reader *fr;
	struct pk_check *ck, *w;
	const char *in[] = {
		"{\"prompt\":\"p\",\"completion\":\"a\",\"label\":true}",
		"{\"prompt\":\"p\",\"completion\":\"a\",\"label\":false}",
		"{\"prompt\":\"q\",\"completion\":\"b\",\"label\":3}",
	};
	const void *ev;
	size_t n, i;

	pk_check_opts_init(&o);
	o.emit = collect;
	pk_buf_reset(&out);
	ck = pk_check_new(&o, &err);
	w = pk_check_worker(ck, NULL, &err);
	CHECK(pk_check_worker(w, NULL, &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	/* events that are not a worker's: an unknown one, a short one */
	CHECK_INT(pk_check_replay(ck, "X", 1, &err), PK_FATAL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_INT(pk_check_replay(ck, "L\1", 2, &err), PK_FATAL);
	CHECK_INT(pk_check_replay(ck, "V\1\5\0\0\0ab", 8, &err), PK_FATAL);
	/* a worker counts nothing itself */
	CHECK_INT(pk_check_line(w, 1, "x", 1, &err), PK_OK);
	pk_check_events(w, &ev, &n);
	CHECK(n > 9 && ((const char *)ev)[0] == 'L' && ((const char *)ev)[9] == 'V');
	CHECK_INT(pk_check_count(w, PK_CHECK_JSON, NULL), 0);
	CHECK_STR(out.data ? out.data : "", "");
	pk_check_free(w);
	pk_check_free(ck);

	/* --from unpaired: the pair of p is made at the end (identical); the
	 * label 3 is bad (schema) at once */
	fr = pk_format_reader_new("unpaired", NULL, &err);
	CHECK(fr != NULL);
	CHECK_INT(pk_format_reader_per_record(fr), 0);
	pk_buf_reset(&out);
	ck = pk_check_new(&o, &err);
	pk_check_begin_file(ck, "t.jsonl", &err);
	w = pk_check_worker(ck, fr, &err);
	for (i = 0; i < 3; i++) {
		CHECK_INT(pk_check_line(w, i + 1, in[i], strlen(in[i]), &err), PK_OK);
		pk_check_events(w, &ev, &n);
		CHECK_INT(pk_check_replay(ck, ev, n, &err), PK_OK);
	}
	CHECK_INT(pk_check_finish(w, &err), PK_OK);
	CHECK_INT(pk_check_finish(ck, &err), PK_OK);
	CHECK_STR(out.data, "t.jsonl:3: schema: unpaired: label 'label' is 3, which matches neither --desirable (true) nor --undesirable (false)\n"
			    "t.jsonl:3: identical: chosen and rejected are identical\n");
	CHECK_INT(pk_check_count(ck, PK_CHECK_IDENTICAL, NULL), 1);
	pk_check_free(w);
	pk_check_free(ck);
}

int main(void)
{
	test_trim();
	test_prompt_text();
	test_rules_parse();
	for (nworkers = 0; nworkers <= 3; nworkers += 3) {
		test_pairs();
		test_messages();
		test_options();
		test_deny_literal();
		test_lists();
		test_limit_summary_json();
		test_duplicate_spill();
		test_leak();
		test_leak_pieces();
	}
	test_workers();
	pk_buf_free(&out);
	return pk_test_done();
}
