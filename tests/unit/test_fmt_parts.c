/* SPDX-License-Identifier: MIT */
/* test_fmt_parts.c - the pieces the new format readers share: label LISTs
 * (match.c), prompt templates (template.c) and the member-clash placing
 * of pk_fmt_place (formats.c).  Every expected value is written by hand
 * from the rules in the files' header comments. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formats/fmt.h"
#include "test.h"

static struct pk_error err;
static struct pk_buf scratch = PK_BUF_INIT;

/* Does the JSON value text v match list? (-2: the list does not parse) */
static int m(const char *list, const char *v)
{
	struct pk_fmt_match mt;
	int r;

	if (pk_fmt_match_parse(&mt, "--x", list, &err) != PK_OK)
		return -2;
	r = pk_fmt_match_test(&mt, &scratch, v, strlen(v));
	pk_fmt_match_free(&mt);
	return r;
}

static void test_values(void)
{
	/* a number item matches numbers and numeric strings of its value */
	CHECK_INT(m("1", "1"), 1);
	CHECK_INT(m("1", "1.0"), 1);
	CHECK_INT(m("1", "\"1\""), 1);
	CHECK_INT(m("1", "\"1.0\""), 1);
	CHECK_INT(m("1", "1e0"), 1);
	CHECK_INT(m("1", "10e-1"), 1);
	CHECK_INT(m("1", "2"), 0);
	CHECK_INT(m("1", "\"01\""), 0);     /* not JSON number grammar */
	CHECK_INT(m("1", "\" 1\""), 0);
	CHECK_INT(m("1", "true"), 0);      /* booleans are not numbers */
	CHECK_INT(m("1.0", "1"), 1);
	CHECK_INT(m("-0", "0"), 1);
	CHECK_INT(m("0", "null"), 0);
	/* strings match their text exactly */
	CHECK_INT(m("model_a", "\"model_a\""), 1);
	CHECK_INT(m("model_a", "\"Model_a\""), 0);
	CHECK_INT(m("model_a", "\"model_a \""), 0);
	CHECK_INT(m("tie,tie (bothbad)", "\"tie (bothbad)\""), 1);
	CHECK_INT(m("tie, tie (bothbad)", "\"tie (bothbad)\""), 1);
	CHECK_INT(m("tie,tie (bothbad)", "\"tie\""), 1);
	CHECK_INT(m("tie,tie (bothbad)", "\"bothbad\""), 0);
	CHECK_INT(m("true", "true"), 1);
	CHECK_INT(m("true", "\"true\""), 1);
	CHECK_INT(m("true", "false"), 0);
	CHECK_INT(m("false", "false"), 1);
	CHECK_INT(m("null", "null"), 1);
	CHECK_INT(m("a\\,b", "\"a,b\""), 1);
	CHECK_INT(m("a\\,b", "\"a\""), 0);
	CHECK_INT(m("\\<1", "\"<1\""), 1);  /* an escaped '<' is text */
	CHECK_INT(m("\\<1", "0"), 0);
	CHECK_INT(m("\\ x", "\" x\""), 1);  /* an escaped space is kept */
	CHECK_INT(m("x\\\\y", "\"x\\\\y\""), 1);
	CHECK_INT(m("\\u00e9", "\"\\u00e9\""), -2); /* \u is not an escape */
	CHECK_INT(m("é", "\"\\u00e9\""), 1); /* the label's text, decoded */
	/* a number label never matches a word that is not a number */
	CHECK_INT(m("1x", "1"), 0);
	/* objects and arrays match nothing */
	CHECK_INT(m("1", "[1]"), 0);
	CHECK_INT(m("1", "{\"a\":1}"), 0);
}

static void test_comparisons(void)
{
	CHECK_INT(m("<1.5", "1"), 1);
	CHECK_INT(m("<1.5", "1.5"), 0);
	CHECK_INT(m("<=1.5", "1.5"), 1);
	CHECK_INT(m(">1.5", "1.5"), 0);
	CHECK_INT(m(">=1.5", "1.5"), 1);
	CHECK_INT(m(">1.5", "2"), 1);
	CHECK_INT(m("<0", "-3"), 1);
	CHECK_INT(m("<0", "\"-0.5\""), 1);  /* a numeric string */
	CHECK_INT(m("<0", "0"), 0);
	CHECK_INT(m(">0", "\"abc\""), 0);   /* text is on no side */
	CHECK_INT(m(">0", "true"), 0);
	CHECK_INT(m(">=2", "2.0"), 1);
	CHECK_INT(m("< 1", "0"), 1);        /* a space after the operator */
	CHECK_INT(m("<1,>2", "3"), 1);
	CHECK_INT(m("<1,>2", "1.5"), 0);
	CHECK_INT(m("<-1e3", "-1001"), 1);
	CHECK_INT(m(">1e400", "5"), -2);    /* the bound is out of range */
	CHECK_INT(m(">1e308", "1e400"), 0); /* a label out of range: no side */
}

static void test_list_errors(void)
{
	CHECK_INT(m("", "1"), -2);
	CHECK(strstr(err.text, "--x: empty item in ''") != NULL);
	CHECK_INT(m("1,,2", "1"), -2);
	CHECK_INT(m("1, ", "1"), -2);
	CHECK_INT(m("<abc", "1"), -2);
	CHECK_STR(err.text,
		  "--x: '<abc' compares with 'abc', which is not a number");
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_INT(m("<", "1"), -2);
	CHECK_INT(m("a\\b", "1"), -2);
	CHECK(strstr(err.text, "unknown escape '\\b'") != NULL);
	{
		struct pk_fmt_match mt;
		CHECK_INT(pk_fmt_match_parse(&mt, "--tie", NULL, &err), PK_OK);
		CHECK_INT(pk_fmt_match_test(&mt, &scratch, "1", 1), 0);
		pk_fmt_match_free(&mt);
	}
}

/* Render template tmpl over the record text rec; returns the status and
 * leaves the text in out. */
static struct pk_buf out = PK_BUF_INIT;

static int t(const char *tmpl, const char *rec)
{
	struct pk_fmt_template *tp = pk_fmt_template_new(tmpl, &err);
	struct pk_record r = PK_RECORD_INIT;
	int rc;

	pk_buf_reset(&out);
	pk_buf_putc(&out, '\0');
	out.len = 0;
	if (!tp)
		return -10;
	rc = pk_scan_record(&r, rec, strlen(rec), &err);
	if (rc == PK_OK)
		rc = pk_fmt_template_render(tp, &r, &out, &err);
	pk_buf_putc(&out, '\0');
	out.len--;
	pk_record_free(&r);
	pk_fmt_template_free(tp);
	return rc;
}

static void test_templates(void)
{
	const char *alpaca = "{\"instruction\":\"Sum\",\"input\":\"1 2\"}";
	const char *noinput = "{\"instruction\":\"Sum\",\"input\":\"\"}";
	const char *nullinput = "{\"instruction\":\"Sum\",\"input\":null}";
	const char *missing = "{\"instruction\":\"Sum\"}";

	CHECK_INT(t("{instruction}[\\n\\n{input}]", alpaca), PK_OK);
	CHECK_STR(out.data, "Sum\n\n1 2");
	CHECK_INT(t("{instruction}[\\n\\n{input}]", noinput), PK_OK);
	CHECK_STR(out.data, "Sum");
	CHECK_INT(t("{instruction}[\\n\\n{input}]", nullinput), PK_OK);
	CHECK_STR(out.data, "Sum");
	CHECK_INT(t("{instruction}[\\n\\n{input}]", missing), PK_OK);
	CHECK_STR(out.data, "Sum");
	/* outside brackets: missing or null is a bad record, empty is fine */
	CHECK_INT(t("{instruction}: {input}", missing), PK_BAD_RECORD);
	CHECK_STR(err.text, "prompt template: no field 'input' (put it "
			    "inside [...] to make it optional)");
	CHECK_INT(t("{instruction}: {input}", nullinput), PK_BAD_RECORD);
	CHECK_STR(err.text, "prompt template: null field 'input' (put it "
			    "inside [...] to make it optional)");
	CHECK_INT(t("{instruction}: {input}.", noinput), PK_OK);
	CHECK_STR(out.data, "Sum: .");
	/* escapes */
	CHECK_INT(t("\\[{instruction}\\]\\t\\{x\\}\\\\", alpaca), PK_OK);
	CHECK_STR(out.data, "[Sum]\t{x}\\");
	/* nested segments: a missing field drops the innermost one only */
	CHECK_INT(t("Q[ ({instruction}[ with {input}][ or {nope}])]", alpaca),
		  PK_OK);
	CHECK_STR(out.data, "Q (Sum with 1 2)");
	CHECK_INT(t("Q[ ({nope}[ with {input}])]", alpaca), PK_OK);
	CHECK_STR(out.data, "Q");
	/* a segment without fields stays */
	CHECK_INT(t("[A]{instruction}", alpaca), PK_OK);
	CHECK_STR(out.data, "ASum");
	/* dotted paths and keys with spaces */
	CHECK_INT(t("{meta.q} / {a b}",
		    "{\"meta\":{\"q\":\"why\"},\"a b\":\"c\"}"),
		  PK_OK);
	CHECK_STR(out.data, "why / c");
	/* numbers as written; escapes in the field decoded */
	CHECK_INT(t("n={n} s={s}", "{\"n\":1.50,\"s\":\"a\\\"b\\u00e9\"}"),
		  PK_OK);
	CHECK_STR(out.data, "n=1.50 s=a\"bé");
	/* other types are bad, even inside brackets */
	CHECK_INT(t("x[{l}]", "{\"l\":[1]}"), PK_BAD_RECORD);
	CHECK_STR(err.text, "prompt template: field 'l' is an array, not "
			    "a string or a number");
	CHECK_INT(t("x[{l}]", "{\"l\":true}"), PK_BAD_RECORD);
	CHECK_STR(err.text, "prompt template: field 'l' is a boolean, not "
			    "a string or a number");
	/* template errors are usage errors */
	CHECK_INT(t("{a", alpaca), -10);
	CHECK_STR(err.text, "--prompt-template: '{' without '}'");
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_INT(t("{}", alpaca), -10);
	CHECK_INT(t("{a[b}", alpaca), -10);
	CHECK_INT(t("a]", alpaca), -10);
	CHECK_STR(err.text, "--prompt-template: ']' without '['");
	CHECK_INT(t("[a", alpaca), -10);
	CHECK_STR(err.text, "--prompt-template: '[' without ']'");
	CHECK_INT(t("a}", alpaca), -10);
	CHECK_INT(t("a\\q", alpaca), -10);
	CHECK(strstr(err.text, "unknown escape '\\q'") != NULL);
	CHECK_INT(t("a\\", alpaca), -10);
	CHECK_INT(t("\xff", alpaca), -10);
	CHECK_STR(err.text, "--prompt-template is not valid UTF-8");
}

/* pk_fmt_place on rec with puts, written to out */
static int place(const char *rec, const struct pk_fmt_put *p, size_t n)
{
	struct pk_format_reader *fr = pk_format_reader_new("trl", NULL, &err);
	struct pk_record r = PK_RECORD_INIT;
	int rc;

	pk_buf_reset(&out);
	rc = pk_scan_record(&r, rec, strlen(rec), &err);
	if (rc == PK_OK && pk_obj_load_record(fr->obj, &r) != PK_OK)
		rc = PK_FATAL;
	if (rc == PK_OK)
		rc = pk_fmt_place(fr, &r, p, n, &err);
	if (rc == PK_OK)
		rc = pk_obj_write(fr->obj, &out);
	pk_buf_putc(&out, '\0');
	out.len--;
	pk_record_free(&r);
	pk_format_reader_free(fr);
	return rc;
}

static void test_place(void)
{
	/* renames in place */
	CHECK_INT(place("{\"q\":\"p\",\"a\":\"x\",\"b\":\"y\",\"z\":1}",
			(struct pk_fmt_put[]){{"q", "prompt", NULL, 0, 0},
					      {"a", "chosen", NULL, 0, 0},
					      {"b", "rejected", NULL, 0, 0}},
			3),
		  PK_OK);
	CHECK_STR(out.data,
		  "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\",\"z\":1}");
	/* the other side's value in each place (B won) */
	CHECK_INT(place("{\"a\":\"x\",\"b\":\"y\"}",
			(struct pk_fmt_put[]){{"a", "chosen", "\"y\"", 3, 0},
					      {"b", "rejected", "\"x\"", 3, 0}},
			2),
		  PK_OK);
	CHECK_STR(out.data, "{\"chosen\":\"y\",\"rejected\":\"x\"}");
	/* sides named the other way round */
	CHECK_INT(place("{\"rejected\":\"x\",\"chosen\":\"y\"}",
			(struct pk_fmt_put[]){
				{"rejected", "chosen", NULL, 0, 0},
				{"chosen", "rejected", NULL, 0, 0}},
			2),
		  PK_OK);
	CHECK_STR(out.data, "{\"chosen\":\"x\",\"rejected\":\"y\"}");
	/* a member already named like the target is replaced in its place */
	CHECK_INT(place("{\"prompt\":\"old\",\"z\":1,\"instruction\":\"new\"}",
			(struct pk_fmt_put[]){
				{"instruction", "prompt", NULL, 0, 0}},
			1),
		  PK_OK);
	CHECK_STR(out.data, "{\"prompt\":\"new\",\"z\":1}");
	/* a nested source inside the member it replaces (chosen.answer) */
	CHECK_INT(place("{\"chosen\":{\"answer\":\"a\",\"n\":2},\"x\":0}",
			(struct pk_fmt_put[]){
				{"chosen.answer", "chosen", NULL, 0, 0}},
			1),
		  PK_OK);
	CHECK_STR(out.data, "{\"chosen\":\"a\",\"x\":0}");
	/* a nested source elsewhere: removed there, added at the end */
	CHECK_INT(place("{\"m\":{\"c\":[1, 2],\"k\":1},\"x\":0}",
			(struct pk_fmt_put[]){{"m.c", "chosen", NULL, 0, 0}},
			1),
		  PK_OK);
	CHECK_STR(out.data, "{\"m\":{\"k\":1},\"x\":0,\"chosen\":[1,2]}");
	/* removal, absent sources, new members first or last */
	CHECK_INT(place("{\"a\":1,\"b\":2}",
			(struct pk_fmt_put[]){
				{"a", NULL, NULL, 0, 0},
				{"nope", "x", NULL, 0, 0},
				{NULL, "prompt", "\"p\"", 3, 1},
				{NULL, "n", "3", 1, 0}},
			4),
		  PK_OK);
	CHECK_STR(out.data, "{\"prompt\":\"p\",\"b\":2,\"n\":3}");
}

/* pk_record_path: a number indexes an array */
static void test_array_paths(void)
{
	const char *t = "{\"p\":[0, 1, [2, {\"k\":\"v\"}]],\"o\":{\"0\":\"zero\"},"
			"\"e\":[]}";
	struct pk_record r = PK_RECORD_INIT;
	struct pk_value v;

	CHECK_INT(pk_scan_record(&r, t, strlen(t), &err), PK_OK);
	CHECK_INT(pk_record_path(&r, "p.0", &v), 1);
	CHECK_MEM(r.text + v.off, v.len, "0", 1);
	CHECK_INT(pk_record_path(&r, "p.1", &v), 1);
	CHECK_MEM(r.text + v.off, v.len, "1", 1);
	CHECK_INT(pk_record_path(&r, "p.2.1.k", &v), 1);
	CHECK_MEM(r.text + v.off, v.len, "\"v\"", 3);
	CHECK_INT(v.type, PK_T_STRING);
	CHECK_INT(pk_record_path(&r, "p.3", &v), 0);  /* past the end */
	CHECK_INT(pk_record_path(&r, "p.01", &v), 0); /* not a plain index */
	CHECK_INT(pk_record_path(&r, "p.-1", &v), 0);
	CHECK_INT(pk_record_path(&r, "p.x", &v), 0);
	CHECK_INT(pk_record_path(&r, "e.0", &v), 0);
	CHECK_INT(pk_record_path(&r, "o.0", &v), 1); /* a key in an object */
	CHECK_MEM(r.text + v.off, v.len, "\"zero\"", 6);
	pk_record_free(&r);
}

/* The text of a message content value (pk_content_text): "" + the error
 * text when it is bad, prefixed "!". */
static const char *content(const char *c, size_t msgno)
{
	static char res[300];

	pk_buf_reset(&scratch);
	if (pk_content_text(c, strlen(c), msgno, &scratch, &err) != PK_OK) {
		snprintf(res, sizeof res, "!%s", err.text);
		return res;
	}
	snprintf(res, sizeof res, "%.*s", (int)scratch.len, scratch.data);
	return res;
}

static void test_content(void)
{
	struct pk_content ci;
	size_t off, len;
	const char *c;

	CHECK_STR(content("\"a\\u0062c\"", 1), "abc");
	CHECK_STR(content("[]", 1), "");
	CHECK_STR(content("[{\"type\":\"text\",\"text\":\"ab\"}]", 1), "ab");
	CHECK_STR(content("[{\"type\":\"text\",\"value\":\"ab\"}]", 1), "ab");
	/* joined with nothing between them; other keys of a part ignored */
	CHECK_STR(content("[{\"type\":\"text\",\"text\":\"a \"},"
			  "{\"value\":\"b\",\"type\":\"text\",\"x\":1}]", 2),
		  "a b");
	/* "text" wins over "value" when a part has both */
	CHECK_STR(content("[{\"type\":\"text\",\"value\":\"v\",\"text\":\"t\"}]",
			  1), "t");
	CHECK_STR(content("[{\"type\":\"text\",\"text\":\"a\"},"
			  "{\"type\":\"image_url\",\"image_url\":{}}]", 3),
		  "!message 3, content part 2 is of type \"image_url\": only "
		  "text parts can be read");
	CHECK_STR(content("[{\"type\":\"audio\"}]", 0),
		  "!content part 1 is of type \"audio\": only text parts can "
		  "be read");
	CHECK_STR(content("null", 4),
		  "!message 4, 'content' is null, not a string or a list of "
		  "parts");
	CHECK_STR(content("{\"text\":\"a\"}", 1),
		  "!message 1, 'content' is an object, not a string or a "
		  "list of parts");
	CHECK_STR(content("[\"a\"]", 1),
		  "!message 1, content part 1 is a string, not an object");
	CHECK_STR(content("[{\"text\":\"a\"}]", 1),
		  "!message 1, content part 1 has no 'type'");
	CHECK_STR(content("[{\"type\":1,\"text\":\"a\"}]", 1),
		  "!message 1, content part 1: 'type' is a number, not a "
		  "string");
	CHECK_STR(content("[{\"type\":\"text\"}]", 1),
		  "!message 1, content part 1 (a text part) has no 'text' or "
		  "'value'");
	CHECK_STR(content("[{\"type\":\"text\",\"text\":null}]", 1),
		  "!message 1, content part 1: the text is null, not a string");

	/* the spans of the literals, for editing in place */
	c = "[{\"type\":\"text\",\"text\":\"x\"}, {\"value\":\"yz\",\"type\":\"text\"}]";
	pk_content_init(&ci, c, strlen(c), 1);
	CHECK_INT(pk_content_next(&ci, &off, &len, &err), 1);
	CHECK_MEM(c + off, len, "\"x\"", 3);
	CHECK_INT(pk_content_next(&ci, &off, &len, &err), 1);
	CHECK_MEM(c + off, len, "\"yz\"", 4);
	CHECK_INT(pk_content_next(&ci, &off, &len, &err), 0);
	c = "\"s\"";
	pk_content_init(&ci, c, 3, 1);
	CHECK_INT(pk_content_next(&ci, &off, &len, &err), 1);
	CHECK_INT((int)off, 0);
	CHECK_INT((int)len, 3);
	CHECK_INT(pk_content_next(&ci, &off, &len, &err), 0);

	/* as a JSON string: a string content as it came, parts requoted */
	pk_buf_reset(&out);
	CHECK_INT(pk_content_quoted("\"a\\/b\"", 6, 1, &out, &scratch, &err),
		  PK_OK);
	CHECK_MEM(out.data, out.len, "\"a\\/b\"", 6);
	pk_buf_reset(&out);
	c = "[{\"type\":\"text\",\"text\":\"a\\\"\"},{\"type\":\"text\",\"value\":\"\\n\"}]";
	CHECK_INT(pk_content_quoted(c, strlen(c), 1, &out, &scratch, &err),
		  PK_OK);
	CHECK_MEM(out.data, out.len, "\"a\\\"\\n\"", 7);

	/* a whole message list; message numbers are 1-based */
	c = "[{\"role\":\"user\",\"content\":\"q\"},"
	    "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"value\":\"v\"}]}]";
	CHECK_INT(pk_messages_check(c, strlen(c), &err), PK_OK);
	pk_buf_reset(&out);
	CHECK_INT(pk_response_text(c, strlen(c), &out, &err), PK_OK);
	CHECK_MEM(out.data, out.len, "v", 1);
	c = "[{\"role\":\"user\",\"content\":\"q\"},"
	    "{\"role\":\"assistant\",\"content\":[{\"type\":\"video\"}]}]";
	CHECK_INT(pk_messages_check(c, strlen(c), &err), PK_BAD_RECORD);
	CHECK_STR(err.text, "message 2, content part 1 is of type \"video\": "
			    "only text parts can be read");
	CHECK_INT(pk_response_text(c, strlen(c), &out, &err), PK_BAD_RECORD);
	CHECK_STR(err.text, "message 2, content part 1 is of type \"video\": "
			    "only text parts can be read");
}

int main(void)
{
	test_content();
	test_array_paths();
	test_values();
	test_comparisons();
	test_list_errors();
	test_templates();
	test_place();
	pk_buf_free(&scratch);
	pk_buf_free(&out);
	return pk_test_done();
}
