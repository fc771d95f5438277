/* SPDX-License-Identifier: MIT */
/*
 * formats.c - the table of foreign formats (SPEC 1.5), detection for
 * --from auto, the reader handle every format module plugs into, and the
 * small JSON-writing helpers the modules share.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

static const struct pk_fmt_ops *const formats[] = {
	&pk_fmt_trl, &pk_fmt_ultrafeedback, &pk_fmt_ufbinarized, &pk_fmt_hh,
	&pk_fmt_oasst, &pk_fmt_nectar, &pk_fmt_sharegpt, &pk_fmt_helpsteer,
	&pk_fmt_lists,
};
#define NFORMATS (sizeof formats / sizeof formats[0])

const struct pk_format_info *pk_format_list(void)
{
	static struct pk_format_info list[NFORMATS + 1];

	if (!list[0].name)
		for (size_t i = 0; i < NFORMATS; i++)
			list[i] = formats[i]->info;
	return list;
}

static const struct pk_fmt_ops *find_ops(const char *name)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i]->info.name, name) == 0)
			return formats[i];
	return NULL;
}

const struct pk_format_info *pk_format_lookup(const char *name)
{
	const struct pk_fmt_ops *ops = name ? find_ops(name) : NULL;

	return ops ? &ops->info : NULL;
}

static int has(const struct pk_record *rec, const char *name,
	       struct pk_value *v)
{
	struct pk_value tmp;

	return pk_record_get(rec, name, v ? v : &tmp);
}

/* Does the string literal v start with the (escaped) text lit? */
static int starts_with(const struct pk_record *rec, const struct pk_value *v,
		       const char *lit)
{
	size_t n = strlen(lit);

	return v->type == PK_T_STRING && v->len > n &&
	       memcmp(rec->text + v->off + 1, lit, n) == 0;
}

const char *pk_format_detect(const struct pk_record *rec)
{
	struct pk_value p, c, r;

	if (has(rec, "message_tree_id", NULL))
		return "oasst";
	if (has(rec, "conversations", NULL))
		return "sharegpt";
	if (has(rec, "instruction", NULL) && has(rec, "completions", NULL))
		return "ultrafeedback";
	if (has(rec, "answers", NULL))
		return "nectar";
	if (has(rec, "response", NULL) && has(rec, "helpfulness", NULL))
		return "helpsteer";
	if (has(rec, "responses", NULL))
		return "lists";
	if (has(rec, "chosen", &c) && has(rec, "rejected", &r)) {
		int hp = has(rec, "prompt", &p);
		if (!hp && starts_with(rec, &c, "\\n\\nHuman:") &&
		    starts_with(rec, &r, "\\n\\nHuman:"))
			return "hh";
		if (hp && p.type == PK_T_STRING && c.type == PK_T_ARRAY &&
		    r.type == PK_T_ARRAY)
			return "ultrafeedback-binarized";
		return "trl";
	}
	if (has(rec, "prompt", &p) && p.type == PK_T_OBJECT)
		return "oasst";
	return NULL;
}

/* ---------------------------------------------------------------- */
/* The reader handle                                                 */
/* ---------------------------------------------------------------- */

static int start(struct pk_format_reader *fr, const struct pk_fmt_ops *ops,
		 struct pk_error *err)
{
	fr->ops = ops;
	memset(fr->count, 0, sizeof fr->count);
	return ops->init ? ops->init(fr, err) : PK_OK;
}

struct pk_format_reader *pk_format_reader_new(const char *name,
					      const struct pk_format_opts *opts,
					      struct pk_error *err)
{
	struct pk_format_reader *fr;
	const struct pk_fmt_ops *ops = NULL;

	if (!name)
		name = "auto";
	if (strcmp(name, "auto") != 0 && !(ops = find_ops(name))) {
		struct pk_buf known = PK_BUF_INIT;
		for (size_t i = 0; i < NFORMATS; i++)
			pk_buf_printf(&known, "%s%s", i ? ", " : "",
				      formats[i]->info.name);
		pk_error_set(err, PK_ERR_USAGE,
			     "unknown format '%s' (known: %s, auto)", name,
			     known.data ? known.data : "");
		pk_buf_free(&known);
		return NULL;
	}
	fr = calloc(1, sizeof *fr);
	if (!fr || !(fr->obj = pk_obj_new())) {
		free(fr);
		pk_nomem(err);
		return NULL;
	}
	if (opts)
		fr->opts = *opts;
	if (ops && start(fr, ops, err) != PK_OK) {
		pk_format_reader_free(fr);
		return NULL;
	}
	return fr;
}

/* Under "auto", with --responses-field, a record holding that field is a
 * list of another shape. */
static const char *detect_with_opts(const struct pk_format_reader *fr,
				    const struct pk_record *rec)
{
	struct pk_value v;

	if (fr->opts.responses_field &&
	    pk_record_path(rec, fr->opts.responses_field, &v))
		return "lists";
	return pk_format_detect(rec);
}

int pk_format_reader_feed(struct pk_format_reader *fr,
			  const struct pk_record *rec,
			  int (*emit)(void *ctx, const char *json, size_t len),
			  void *ctx, struct pk_error *err)
{
	fr->note = NULL;
	fr->emit = emit;
	fr->ctx = ctx;
	if (!fr->ops) {
		const char *name = detect_with_opts(fr, rec);
		int rc;
		if (!name)
			return pk_error_set(err, PK_ERR_DATA,
					    "cannot detect the format of this "
					    "record (name it with --from)");
		rc = start(fr, find_ops(name), err);
		if (rc != PK_OK) {
			fr->ops = NULL;
			return rc;
		}
	}
	fr->has_space = rec->has_space;
	return fr->ops->feed(fr, rec, err);
}

int pk_format_reader_finish(struct pk_format_reader *fr,
			    int (*emit)(void *ctx, const char *json,
					size_t len),
			    void *ctx, struct pk_error *err)
{
	fr->emit = emit;
	fr->ctx = ctx;
	if (!fr->ops || !fr->ops->finish)
		return PK_OK;
	return fr->ops->finish(fr, err);
}

const char *pk_format_reader_note(const struct pk_format_reader *fr)
{
	return fr->note;
}

const char *pk_format_reader_format(const struct pk_format_reader *fr)
{
	return fr->ops ? fr->ops->info.name : NULL;
}

enum pk_format_kind pk_format_reader_kind(const struct pk_format_reader *fr)
{
	return fr->ops ? fr->ops->info.kind : (enum pk_format_kind)0;
}

const char *pk_format_reader_counter(const struct pk_format_reader *fr,
				     size_t i, unsigned long long *value)
{
	if (!fr->ops || !fr->ops->counters)
		return NULL;
	for (size_t k = 0; k <= i; k++)
		if (!fr->ops->counters[k])
			return NULL;
	if (value)
		*value = fr->count[i];
	return fr->ops->counters[i];
}

void pk_format_reader_free(struct pk_format_reader *fr)
{
	if (!fr)
		return;
	if (fr->ops && fr->ops->free)
		fr->ops->free(fr);
	pk_buf_free(&fr->out);
	pk_buf_free(&fr->t1);
	pk_buf_free(&fr->t2);
	pk_buf_free(&fr->t3);
	pk_buf_free(&fr->t4);
	pk_obj_free(fr->obj);
	free(fr);
}

/* ---------------------------------------------------------------- */
/* Helpers for the modules                                           */
/* ---------------------------------------------------------------- */

int pk_fmt_emit(struct pk_format_reader *fr, const struct pk_buf *b)
{
	return fr->emit(fr->ctx, b->data ? b->data : "", b->len);
}

int pk_fmt_emit_obj(struct pk_format_reader *fr, struct pk_error *err)
{
	pk_buf_reset(&fr->out);
	if (pk_obj_write(fr->obj, &fr->out) != PK_OK)
		return pk_nomem(err);
	return pk_fmt_emit(fr, &fr->out);
}

void pk_fmt_note(struct pk_format_reader *fr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fr->notebuf, sizeof fr->notebuf, fmt, ap);
	va_end(ap);
	fr->note = fr->notebuf;
}

int pk_fmt_sep(struct pk_buf *b)
{
	char last;

	if (!b->len)
		return 0;
	last = b->data[b->len - 1];
	if (last == '{' || last == '[' || last == ':')
		return 0;
	return pk_buf_putc(b, ',');
}

int pk_fmt_key(struct pk_buf *b, const char *key)
{
	if (pk_fmt_sep(b) || pk_buf_putc(b, '"') || pk_buf_puts(b, key))
		return -1;
	return pk_buf_append(b, "\":", 2);
}

int pk_fmt_raw(struct pk_buf *b, const char *p, size_t n, int spaced)
{
	if (pk_fmt_sep(b))
		return -1;
	if (spaced && (*p == '{' || *p == '['))
		return pk_compact(b, p, n) == PK_OK ? 0 : -1;
	return pk_buf_append(b, p, n);
}

int pk_fmt_message(struct pk_buf *b, const char *role, const char *p,
		   size_t n, int spaced)
{
	if (pk_fmt_sep(b) || pk_buf_puts(b, "{\"role\":\"") ||
	    pk_buf_puts(b, role) || pk_buf_puts(b, "\",\"content\":") ||
	    pk_fmt_raw(b, p, n, spaced))
		return -1;
	return pk_buf_putc(b, '}');
}

int pk_fmt_is_integral(const char *p, size_t n)
{
	double x;

	if (pk_type_of(p, n) != PK_T_NUMBER ||
	    pk_parse_number(p, n, &x) != PK_OK)
		return 0;
	return x == floor(x);
}

int pk_fmt_str_equals(struct pk_buf *b, const char *p, size_t n,
		      const char *s, size_t len)
{
	pk_buf_reset(b);
	if (pk_json_unquote(b, p, n) != PK_OK)
		return 0;
	return b->len == len && memcmp(b->data, s, len) == 0;
}

int pk_fmt_move(struct pk_format_reader *fr, const char *from, const char *to,
		struct pk_error *err)
{
	const char *v;
	size_t n;
	enum pk_type t;

	if (!strcmp(from, to))
		return 0;
	if (!strchr(from, '.')) {
		if (pk_obj_find(fr->obj, from) < 0)
			return 0;
	} else if (!pk_obj_get(fr->obj, from, &v, &n, &t)) {
		return 0;
	}
	if (pk_obj_find(fr->obj, to) >= 0)
		return pk_error_set(err, PK_ERR_DATA,
				    "both \"%s\" and \"%s\" are present", from,
				    to);
	if (!strchr(from, '.'))
		return pk_obj_rename(fr->obj, from, to) < 0 ? pk_nomem(err)
							     : 1;
	pk_buf_reset(&fr->t3);
	if (pk_compact(&fr->t3, v, n) != PK_OK ||
	    pk_obj_set_raw(fr->obj, to, fr->t3.data, fr->t3.len) != PK_OK ||
	    pk_obj_delete(fr->obj, from) < 0)
		return pk_nomem(err);
	return 1;
}

/* A string, or a message list. */
int pk_fmt_check_text(const char *fmt, const char *what, const char *p,
		      size_t n, struct pk_error *err)
{
	enum pk_type t = pk_type_of(p, n);

	if (t == PK_T_STRING || (t == PK_T_ARRAY && pk_is_message_list(p, n)))
		return PK_OK;
	return pk_error_set(err, PK_ERR_DATA,
			    "%s: \"%s\" is not a string or a message list (%s)",
			    fmt, what,
			    t == PK_T_ARRAY ? "an array of non-messages"
					    : pk_type_name(t));
}

int pk_fmt_number(struct pk_buf *scratch, const char *p, size_t n, double *x)
{
	enum pk_type t = pk_type_of(p, n);
	char *end;

	if (t == PK_T_NUMBER)
		return pk_parse_number(p, n, x) == PK_OK ? 1 : -1;
	if (t != PK_T_STRING)
		return 0;
	pk_buf_reset(scratch);
	if (pk_json_unquote(scratch, p, n) != PK_OK ||
	    pk_buf_reserve(scratch, 1) || !scratch->len ||
	    memchr(scratch->data, '\0', scratch->len))
		return 0;
	*x = strtod(scratch->data, &end);
	if (*end || !isfinite(*x) || scratch->data[0] == ' ')
		return 0;
	return 1;
}

int pk_fmt_split_last(const char *t, size_t n, int spaced, struct pk_buf *pre,
		      size_t *last_off, size_t *last_len)
{
	struct pk_iter it;
	struct pk_member role;
	size_t off, len;
	enum pk_type ty;
	int count = 0;

	if (pk_type_of(t, n) != PK_T_ARRAY || !pk_is_message_list(t, n))
		return 0;
	pk_buf_reset(pre);
	if (pk_buf_putc(pre, '['))
		return -1;
	pk_iter_init(&it, t, n);
	while (pk_iter_element(&it, &off, &len, &ty)) {
		if (count++ &&
		    pk_fmt_raw(pre, t + *last_off, *last_len, spaced))
			return -1;
		*last_off = off;
		*last_len = len;
	}
	if (!count ||
	    !pk_object_find(t + *last_off, *last_len, "role", &role) ||
	    !pk_key_equals(t + *last_off + role.val_off, role.val_len,
			   "assistant"))
		return 0;
	return pk_buf_putc(pre, ']') ? -1 : 1;
}
