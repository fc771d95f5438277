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
	CHECK_STR(err.text, "prompt template: no field \"input\" (put it "
			    "inside [...] to make it optional)");
	CHECK_INT(t("{instruction}: {input}", nullinput), PK_BAD_RECORD);
	CHECK_STR(err.text, "prompt template: null field \"input\" (put it "
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
	CHECK_STR(err.text, "prompt template: field \"l\" is an array, not "
			    "a string or a number");
	CHECK_INT(t("x[{l}]", "{\"l\":true}"), PK_BAD_RECORD);
	CHECK_STR(err.text, "prompt template: field \"l\" is a boolean, not "
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

int main(void)
{
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
