/* SPDX-License-Identifier: MIT */
/*
 * template.c - prompts built from several fields (--prompt-template, SPEC
 * 1.5): "{PATH}" is the text of the field at PATH (a string's text, or a
 * number as written); a "[...]" segment is left out whole when a field
 * inside it is missing, null or an empty string (segments nest: a missing
 * field drops only the innermost segment around it); "\n" "\t" "\\" "\["
 * "\]" "\{" "\}" are escapes.  A field outside any segment that is
 * missing or null, or any field that is not a string or a number, makes
 * the record bad.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

enum seg_kind { SEG_TEXT, SEG_FIELD, SEG_OPEN, SEG_CLOSE };

struct tseg {
	enum seg_kind kind;
	size_t off, len;   /* SEG_TEXT, SEG_FIELD: bytes in t->text */
	size_t close;      /* SEG_OPEN: index of its SEG_CLOSE */
	struct pk_field field;
};

struct pk_fmt_template {
	struct tseg *segs;
	size_t n, cap;
	struct pk_buf text;   /* literal text and field paths, NUL-ended */
};

void pk_fmt_template_free(struct pk_fmt_template *t)
{
	if (!t)
		return;
	free(t->segs);
	pk_buf_free(&t->text);
	free(t);
}

static int add_seg(struct pk_fmt_template *t, enum seg_kind kind, size_t off,
		   size_t len)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		struct tseg *s = realloc(t->segs, cap * sizeof *s);
		if (!s)
			return -1;
		t->segs = s;
		t->cap = cap;
	}
	memset(&t->segs[t->n], 0, sizeof t->segs[0]);
	t->segs[t->n].kind = kind;
	t->segs[t->n].off = off;
	t->segs[t->n].len = len;
	t->n++;
	return 0;
}

/* End the literal text begun at *start (if any) as a segment. */
static int end_text(struct pk_fmt_template *t, size_t *start)
{
	int e = 0;

	if (t->text.len > *start)
		e = add_seg(t, SEG_TEXT, *start, t->text.len - *start) ||
		    pk_buf_putc(&t->text, '\0');
	*start = t->text.len;
	return e;
}

static int parse(struct pk_fmt_template *t, const char *s,
		 struct pk_error *err)
{
	size_t open[64], depth = 0, start = 0;
	const char *p;

	for (p = s; *p; p++) {
		const char *end, *bad;
		size_t off;

		switch (*p) {
		case '\\':
			if (!p[1] || !strchr("nt\\[]{}", p[1]))
				return pk_error_set(
					err, PK_ERR_USAGE,
					"--prompt-template: unknown escape "
					"'\\%.1s' (\\n \\t \\\\ \\[ \\] \\{ \\} "
					"are known)",
					p[1] ? p + 1 : "");
			p++;
			if (pk_buf_putc(&t->text, *p == 'n'   ? '\n'
						  : *p == 't' ? '\t'
							      : *p))
				return pk_nomem(err);
			break;
		case '{':
			end = strchr(p + 1, '}');
			if (!end)
				return pk_error_set(err, PK_ERR_USAGE,
						    "--prompt-template: '{' "
						    "without '}'");
			bad = strpbrk(p + 1, "{[]\\");
			if (end == p + 1 || (bad && bad < end))
				return pk_error_set(
					err, PK_ERR_USAGE,
					"--prompt-template: '{%.*s}' is not a "
					"field path",
					(int)(end - p - 1), p + 1);
			if (end_text(t, &start))
				return pk_nomem(err);
			off = t->text.len;
			if (pk_buf_append(&t->text, p + 1, (size_t)(end - p - 1)) ||
			    pk_buf_putc(&t->text, '\0') ||
			    add_seg(t, SEG_FIELD, off, (size_t)(end - p - 1)))
				return pk_nomem(err);
			start = t->text.len;
			p = end;
			break;
		case '[':
			if (depth == sizeof open / sizeof open[0])
				return pk_error_set(err, PK_ERR_USAGE,
						    "--prompt-template: '[' "
						    "nested too deeply");
			if (end_text(t, &start) || add_seg(t, SEG_OPEN, 0, 0))
				return pk_nomem(err);
			open[depth++] = t->n - 1;
			break;
		case ']':
			if (!depth)
				return pk_error_set(err, PK_ERR_USAGE,
						    "--prompt-template: ']' "
						    "without '['");
			if (end_text(t, &start) || add_seg(t, SEG_CLOSE, 0, 0))
				return pk_nomem(err);
			t->segs[open[--depth]].close = t->n - 1;
			break;
		case '}':
			return pk_error_set(err, PK_ERR_USAGE,
					    "--prompt-template: '}' without "
					    "'{' (write \\} for a brace)");
		default:
			if (pk_buf_putc(&t->text, *p))
				return pk_nomem(err);
		}
	}
	if (depth)
		return pk_error_set(err, PK_ERR_USAGE,
				    "--prompt-template: '[' without ']'");
	return end_text(t, &start) ? pk_nomem(err) : PK_OK;
}

struct pk_fmt_template *pk_fmt_template_new(const char *text,
					    struct pk_error *err)
{
	struct pk_fmt_template *t = calloc(1, sizeof *t);
	json_t *utf8;

	if (!t) {
		pk_nomem(err);
		return NULL;
	}
	/* the text ends up in JSON strings: jansson checks its UTF-8 */
	if (!(utf8 = json_string(text))) {
		pk_error_set(err, PK_ERR_USAGE,
			     "--prompt-template is not valid UTF-8");
		goto fail;
	}
	json_decref(utf8);
	if (parse(t, text, err) != PK_OK)
		goto fail;
	for (size_t i = 0; i < t->n; i++)
		if (t->segs[i].kind == SEG_FIELD)
			pk_field_init(&t->segs[i].field,
				      t->text.data + t->segs[i].off);
	return t;
fail:
	pk_fmt_template_free(t);
	return NULL;
}

/* Render segments [i, end) into out; *dropped is set when a field that
 * drops the enclosing segment (depth > 0) is missing, null or empty. */
static int render(const struct pk_fmt_template *t, size_t i, size_t end,
		  int depth, const struct pk_record *rec, struct pk_buf *out,
		  int *dropped, struct pk_error *err)
{
	for (; i < end; i++) {
		struct tseg *s = &t->segs[i];
		struct pk_value v;
		int found, rc, inner = 0;
		size_t mark;

		switch (s->kind) {
		case SEG_TEXT:
			if (pk_buf_append(out, t->text.data + s->off, s->len))
				return pk_nomem(err);
			break;
		case SEG_OPEN:
			mark = out->len;
			rc = render(t, i + 1, s->close, depth + 1, rec, out,
				    &inner, err);
			if (rc != PK_OK)
				return rc;
			if (inner)
				out->len = mark;
			i = s->close;
			break;
		case SEG_FIELD:
			found = pk_record_field(rec, &s->field, &v);
			if (found && v.type != PK_T_STRING &&
			    v.type != PK_T_NUMBER && v.type != PK_T_NULL)
				return pk_error_set(
					err, PK_ERR_DATA,
					"prompt template: field '%s' is %s, "
					"not a string or a number",
					s->field.path, pk_fmt_a_type(v.type));
			if (!found || v.type == PK_T_NULL ||
			    (v.type == PK_T_STRING && v.len == 2)) {
				if (depth) {
					*dropped = 1;
					return PK_OK;
				}
				if (found && v.type == PK_T_STRING)
					break; /* empty outside [...] */
				return pk_error_set(
					err, PK_ERR_DATA,
					"prompt template: %s field '%s' "
					"(put it inside [...] to make it "
					"optional)",
					found ? "null" : "no", s->field.path);
			}
			if (v.type == PK_T_NUMBER
				    ? pk_buf_append(out, rec->text + v.off, v.len)
				    : pk_json_unquote(out, rec->text + v.off,
						      v.len))
				return pk_nomem(err);
			break;
		case SEG_CLOSE:
			break;
		}
	}
	return PK_OK;
}

int pk_fmt_template_render(const struct pk_fmt_template *t,
			   const struct pk_record *rec, struct pk_buf *out,
			   struct pk_error *err)
{
	int dropped = 0;

	return render(t, 0, t->n, 0, rec, out, &dropped, err);
}
