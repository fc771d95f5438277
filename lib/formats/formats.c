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
	&pk_fmt_lists, &pk_fmt_pairwise, &pk_fmt_arena, &pk_fmt_bon,
	&pk_fmt_unpaired,
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

	if (has(rec, "conversation_a", NULL) && has(rec, "conversation_b", NULL))
		return "arena";
	if (has(rec, "response_a", NULL) && has(rec, "response_b", NULL))
		return "pairwise";
	if (has(rec, "completion", NULL) && has(rec, "label", NULL))
		return "unpaired";
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

/* The fields each format is detected by, for saying which come closest
 * when none matches. */
static const struct {
	const char *name;
	const char *keys[6];
} signatures[] = {
	{"trl", {"prompt", "chosen", "rejected"}},
	{"lists", {"prompt", "responses"}},
	{"pairwise", {"prompt", "response_a", "response_b", "label"}},
	{"arena", {"conversation_a", "conversation_b", "model_a", "model_b",
		   "winner"}},
	{"unpaired", {"prompt", "completion", "label"}},
	{"ultrafeedback", {"instruction", "completions"}},
	{"nectar", {"prompt", "answers"}},
	{"helpsteer", {"prompt", "response", "helpfulness"}},
	{"sharegpt", {"conversations", "chosen", "rejected"}},
	{"oasst", {"message_tree_id", "prompt"}},
};
#define NSIGNATURES (sizeof signatures / sizeof signatures[0])

/* "cannot detect the format": the keys the record has, and the formats
 * that share the most fields with it, with the fields they lack. */
static int undetected(const struct pk_record *rec, struct pk_error *err)
{
	struct pk_buf b = PK_BUF_INIT, name = PK_BUF_INIT;
	struct pk_value v;
	size_t i, k, best = 0, shown = 0;
	int rc;

	pk_buf_puts(&b, "cannot detect the format of this record (");
	for (i = 0; i < rec->nmembers && i < 6; i++) {
		const struct pk_member *m = &rec->members[i];
		pk_buf_reset(&name);
		if (pk_json_unquote(&name, rec->text + m->key_off, m->key_len) ||
		    pk_buf_reserve(&name, 1))
			break;
		pk_buf_printf(&b, "%s'%.*s'", i ? ", " : "keys ",
			      name.len > 30 ? 30 : (int)name.len, name.data);
	}
	if (rec->nmembers > 6)
		pk_buf_printf(&b, " and %zu more", rec->nmembers - 6);
	if (!rec->nmembers)
		pk_buf_puts(&b, "no keys");
	for (i = 0; i < NSIGNATURES; i++) {
		size_t hits = 0;
		for (k = 0; signatures[i].keys[k]; k++)
			hits += (size_t)pk_record_get(rec, signatures[i].keys[k],
						      &v);
		if (hits > best)
			best = hits;
	}
	pk_buf_puts(&b, best ? "); closest:" : "; no format's fields");
	for (i = 0; best && i < NSIGNATURES && shown < 3; i++) {
		size_t hits = 0, miss = 0;
		for (k = 0; signatures[i].keys[k]; k++)
			hits += (size_t)pk_record_get(rec, signatures[i].keys[k],
						      &v);
		if (hits != best)
			continue;
		pk_buf_printf(&b, "%s %s (lacks", shown++ ? "," : "",
			      signatures[i].name);
		for (k = 0; signatures[i].keys[k]; k++)
			if (!pk_record_get(rec, signatures[i].keys[k], &v))
				pk_buf_printf(&b, "%s '%s'", miss++ ? "," : "",
					      signatures[i].keys[k]);
		pk_buf_putc(&b, ')');
	}
	pk_buf_puts(&b, best ? "; name it with --from" : "); name it with --from");
	rc = pk_error_set(err, PK_ERR_DATA, "%s", b.data ? b.data : "");
	pk_buf_free(&b);
	pk_buf_free(&name);
	return rc;
}

int pk_format_reader_feed_sink(struct pk_format_reader *fr,
			       const struct pk_record *rec,
			       const struct pk_sink *sink,
			       struct pk_error *err)
{
	fr->note = NULL;
	fr->sink = *sink;
	if (!fr->ops) {
		const char *name = detect_with_opts(fr, rec);
		int rc;
		if (!name)
			return undetected(rec, err);
		rc = start(fr, find_ops(name), err);
		if (rc != PK_OK) {
			/* init may have made part of its state */
			if (fr->ops->free)
				fr->ops->free(fr);
			fr->state = NULL;
			fr->ops = NULL;
			return rc;
		}
	}
	fr->has_space = rec->has_space;
	return fr->ops->feed(fr, rec, err);
}

int pk_format_reader_feed(struct pk_format_reader *fr,
			  const struct pk_record *rec,
			  int (*emit)(void *ctx, const char *json, size_t len),
			  void *ctx, struct pk_error *err)
{
	struct pk_sink s = {emit, NULL, NULL, ctx};

	return pk_format_reader_feed_sink(fr, rec, &s, err);
}

int pk_format_reader_finish_sink(struct pk_format_reader *fr,
				 const struct pk_sink *sink,
				 struct pk_error *err)
{
	fr->sink = *sink;
	if (!fr->ops || !fr->ops->finish)
		return PK_OK;
	return fr->ops->finish(fr, err);
}

int pk_format_reader_finish(struct pk_format_reader *fr,
			    int (*emit)(void *ctx, const char *json,
					size_t len),
			    void *ctx, struct pk_error *err)
{
	struct pk_sink s = {emit, NULL, NULL, ctx};

	return pk_format_reader_finish_sink(fr, &s, err);
}

int pk_format_reader_per_record(const struct pk_format_reader *fr)
{
	return fr->ops && !fr->ops->finish;
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
	pk_buf_free(&fr->placebuf);
	pk_obj_free(fr->obj);
	free(fr);
}

/* ---------------------------------------------------------------- */
/* Helpers for the modules                                           */
/* ---------------------------------------------------------------- */

int pk_fmt_emit(struct pk_format_reader *fr, const struct pk_buf *b)
{
	return fr->sink.emit(fr->sink.ctx, b->data ? b->data : "", b->len);
}

int pk_fmt_emit_obj(struct pk_format_reader *fr, struct pk_error *err)
{
	const struct pk_sink *s = &fr->sink;
	char *d;

	if (s->room) {
		/* no copy: built where the sink keeps it */
		if (!(d = s->room(s->ctx, pk_obj_write_bound(fr->obj))))
			return pk_nomem(err);
		return s->commit(s->ctx, d, pk_obj_write_to(fr->obj, d));
	}
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
		return PK_FATAL;
	return pk_buf_append(b, "\":", 2);
}

int pk_fmt_raw(struct pk_buf *b, const char *p, size_t n, int spaced)
{
	if (pk_fmt_sep(b))
		return PK_FATAL;
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
		return PK_FATAL;
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

/* A string, or a message list. */
int pk_fmt_check_text(const char *fmt, const char *what, const char *p,
		      size_t n, struct pk_error *err)
{
	enum pk_type t = pk_type_of(p, n);

	int rc;

	if (t == PK_T_STRING)
		return PK_OK;
	if (t == PK_T_ARRAY && pk_is_message_list(p, n)) {
		if ((rc = pk_messages_check(p, n, err)) == PK_OK)
			return rc;
		return pk_error_prefix(err, "%s: '%s': ", fmt, what);
	}
	return pk_error_set(err, PK_ERR_DATA,
			    "%s: '%s' is not a string or a message list (%s)",
			    fmt, what,
			    t == PK_T_ARRAY ? "an array of non-messages"
					    : pk_type_name(t));
}

int pk_fmt_number(struct pk_buf *scratch, const char *p, size_t n,
		  double *x, const char *what, struct pk_error *err)
{
	enum pk_type t = pk_type_of(p, n);
	const char *why = "is not a number";
	int shown = n > 40 ? 40 : (int)n;

	if (t == PK_T_NULL)
		return 0;
	if (t == PK_T_NUMBER) {
		if (pk_parse_number(p, n, x) == PK_OK)
			return 1;
		return pk_error_set(err, PK_ERR_DATA,
				    "%s is out of range (%.*s)", what, shown, p);
	}
	if (t != PK_T_STRING)
		return pk_error_set(err, PK_ERR_DATA, "%s %s (%s)", what, why,
				    pk_type_name(t));
	pk_buf_reset(scratch);
	if (pk_json_unquote(scratch, p, n) != PK_OK)
		return pk_nomem(err);
	if (scratch->len == 3 && memcmp(scratch->data, "N/A", 3) == 0)
		return 0;
	/* the text of a JSON number: not "0x10", "NaN", "inf" or " 7" */
	switch (scratch->len ? pk_parse_number(scratch->data, scratch->len, x)
			     : PK_BAD_RECORD) {
	case PK_OK:
		return 1;
	case PK_FATAL:
		return pk_nomem(err);
	}
	if (pk_is_json_number(scratch->data, scratch->len))
		why = "is out of range";
	return pk_error_set(err, PK_ERR_DATA, "%s %s (string %.*s)", what,
			    why, shown, p);
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
		return PK_FATAL;
	pk_iter_init(&it, t, n);
	while (pk_iter_element(&it, &off, &len, &ty)) {
		if (count++ &&
		    pk_fmt_raw(pre, t + *last_off, *last_len, spaced))
			return PK_FATAL;
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

const char *pk_fmt_a_type(enum pk_type t)
{
	switch (t) {
	case PK_T_OBJECT:
		return "an object";
	case PK_T_ARRAY:
		return "an array";
	case PK_T_STRING:
		return "a string";
	case PK_T_NUMBER:
		return "a number";
	case PK_T_TRUE:
	case PK_T_FALSE:
		return "a boolean";
	case PK_T_NULL:
		return "null";
	default:
		return "nothing";
	}
}

/* ---------------------------------------------------------------- */
/* Placing members (the member-clash rule)                           */
/* ---------------------------------------------------------------- */

#define PLACE_MAX 16

/* raw[0..len) as compact text: spans of a spaced record are compacted
 * into fr->placebuf. */
static int compact_value(struct pk_format_reader *fr,
			 const struct pk_record *rec, const char **raw,
			 size_t *len)
{
	if (!rec->has_space || *raw < rec->text ||
	    *raw >= rec->text + rec->len || (**raw != '{' && **raw != '['))
		return PK_OK;
	pk_buf_reset(&fr->placebuf);
	if (pk_compact(&fr->placebuf, *raw, *len) != PK_OK)
		return PK_FATAL;
	*raw = fr->placebuf.data;
	*len = fr->placebuf.len;
	return PK_OK;
}

static int is_dotted(const char *path)
{
	return path && strchr(path, '.') != NULL;
}

int pk_fmt_place(struct pk_format_reader *fr, const struct pk_record *rec,
		 const struct pk_fmt_put *puts, size_t n,
		 struct pk_error *err)
{
	struct pk_obj *o = fr->obj;
	long fi[PLACE_MAX], ti[PLACE_MAX], del[PLACE_MAX];
	const char *raw[PLACE_MAX];
	size_t len[PLACE_MAX], ndel = 0;

	if (n > PLACE_MAX)
		return pk_error_set(err, PK_ERR_USAGE, "too many members");
	for (size_t k = 0; k < n; k++) {
		const struct pk_fmt_put *p = &puts[k];
		struct pk_value v;

		raw[k] = p->raw;
		len[k] = p->len;
		fi[k] = p->from && !is_dotted(p->from) ? pk_obj_find(o, p->from)
						       : -1;
		if (!raw[k] && fi[k] >= 0)
			raw[k] = pk_obj_value(o, (size_t)fi[k], &len[k], NULL);
		else if (!raw[k] && is_dotted(p->from) &&
			 pk_record_path(rec, p->from, &v)) {
			raw[k] = rec->text + v.off;
			len[k] = v.len;
		}
	}
	/* where each member goes, by the names the record came with */
	for (size_t k = 0; k < n; k++) {
		const struct pk_fmt_put *p = &puts[k];

		ti[k] = -1;
		if (!p->to)
			continue;
		if (p->from && !strcmp(p->from, p->to)) {
			ti[k] = fi[k];
			continue;
		}
		ti[k] = pk_obj_find(o, p->to);
		for (size_t j = 0; j < n && ti[k] >= 0; j++)
			if (fi[j] == ti[k] &&
			    (!puts[j].to || strcmp(puts[j].from, puts[j].to)))
				ti[k] = -1; /* that one moves away */
	}
	/* nested members first: removing them keeps the indices */
	for (size_t k = 0; k < n; k++)
		if (is_dotted(puts[k].from) &&
		    pk_obj_delete(o, puts[k].from) < 0)
			return pk_nomem(err);
	for (size_t k = 0; k < n; k++) {
		const struct pk_fmt_put *p = &puts[k];
		const char *r = raw[k];
		size_t l = len[k];
		long at = ti[k] >= 0 ? ti[k] : fi[k];

		if (!p->to) {
			if (fi[k] >= 0)
				del[ndel++] = fi[k];
			continue;
		}
		if (!r || at < 0)
			continue;
		/* a value of the record is referenced, not copied */
		if ((ti[k] < 0 && strcmp(p->from, p->to) &&
		     pk_obj_rename_at(o, (size_t)at, p->to) != PK_OK) ||
		    pk_obj_set_span_at(o, (size_t)at, r, l) != PK_OK)
			return pk_nomem(err);
		if (ti[k] >= 0 && fi[k] >= 0 && fi[k] != ti[k])
			del[ndel++] = fi[k];
	}
	/* removals, last first */
	for (size_t a = 0; a < ndel; a++)
		for (size_t b = a + 1; b < ndel; b++)
			if (del[b] > del[a]) {
				long t = del[a];
				del[a] = del[b];
				del[b] = t;
			}
	for (size_t a = 0; a < ndel; a++)
		if (!a || del[a] != del[a - 1])
			pk_obj_delete_at(o, (size_t)del[a]);
	/* members that had no place */
	for (size_t k = 0; k < n; k++) {
		const struct pk_fmt_put *p = &puts[k];
		const char *r = raw[k];
		size_t l = len[k];

		if (!p->to || !r || ti[k] >= 0 || fi[k] >= 0)
			continue;
		if (compact_value(fr, rec, &r, &l) != PK_OK ||
		    pk_obj_set_compact(o, p->to, r, l) != PK_OK)
			return pk_nomem(err);
		if (p->first)
			pk_obj_move_at(o, pk_obj_count(o) - 1, 0);
	}
	return PK_OK;
}

int pk_fmt_emit_placed(struct pk_format_reader *fr, const struct pk_record *rec,
		       const struct pk_fmt_put *puts, size_t n,
		       struct pk_error *err)
{
	int rc;

	if (pk_obj_load_record(fr->obj, rec) != PK_OK)
		return pk_nomem(err);
	if ((rc = pk_fmt_place(fr, rec, puts, n, err)) != PK_OK)
		return rc;
	return pk_fmt_emit_obj(fr, err);
}

/* ---------------------------------------------------------------- */
/* Prompts: --prompt-field or --prompt-template                      */
/* ---------------------------------------------------------------- */

int pk_fmt_prompt_init(struct pk_fmt_prompt *p, const struct pk_format_opts *o,
		       const char *default_field, struct pk_error *err)
{
	memset(p, 0, sizeof *p);
	if (o->prompt_template) {
		p->tmpl = pk_fmt_template_new(o->prompt_template, err);
		return p->tmpl ? PK_OK : PK_FATAL;
	}
	p->path = o->prompt_field ? o->prompt_field : default_field;
	if (p->path)
		pk_field_init(&p->field, p->path);
	return PK_OK;
}

void pk_fmt_prompt_free(struct pk_fmt_prompt *p)
{
	pk_fmt_template_free(p->tmpl);
	pk_buf_free(&p->buf);
	pk_buf_free(&p->text);
	memset(p, 0, sizeof *p);
}

int pk_fmt_prompt_get(struct pk_fmt_prompt *p, const char *fmt,
		      const struct pk_record *rec, struct pk_fmt_put *put,
		      struct pk_error *err)
{
	struct pk_value v;
	int rc;

	memset(put, 0, sizeof *put);
	put->to = "prompt";
	if (p->tmpl) {
		pk_buf_reset(&p->text);
		pk_buf_reset(&p->buf);
		if ((rc = pk_fmt_template_render(p->tmpl, rec, &p->text,
						 err)) != PK_OK)
			return rc;
		if (pk_json_quote(&p->buf, p->text.data ? p->text.data : "",
				  p->text.len) != PK_OK)
			return pk_nomem(err);
		put->raw = p->buf.data;
		put->len = p->buf.len;
		put->first = 1;
		return 1;
	}
	if (!p->path || !pk_record_field(rec, &p->field, &v))
		return 0;
	if ((rc = pk_fmt_check_text(fmt, p->path, rec->text + v.off, v.len,
				    err)) != PK_OK)
		return rc;
	put->from = p->path;
	put->raw = rec->text + v.off;
	put->len = v.len;
	return 1;
}
