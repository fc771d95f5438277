/* SPDX-License-Identifier: MIT */
/*
 * fmt.h - what the foreign-format modules of lib/formats/ share: the table
 * entry of a format, the reader's state, and small helpers for writing
 * compact JSON from raw spans.  Private to libprefkit.
 */
#ifndef PK_FORMATS_FMT_H
#define PK_FORMATS_FMT_H

#include "pk_private.h"

#define PK_FMT_MAX_COUNTERS 8

struct pk_format_reader;

/* One foreign format. */
struct pk_fmt_ops {
	struct pk_format_info info;
	const char *const *counters;   /* NULL-terminated counter names */
	/* Check the options, set up fr->state; PK_OK or an error. */
	int (*init)(struct pk_format_reader *fr, struct pk_error *err);
	/* Convert one record, calling pk_fmt_emit() for each output. */
	int (*feed)(struct pk_format_reader *fr, const struct pk_record *rec,
		    struct pk_error *err);
	int (*finish)(struct pk_format_reader *fr, struct pk_error *err);
	void (*free)(struct pk_format_reader *fr);
};

struct pk_format_reader {
	const struct pk_fmt_ops *ops;   /* NULL until "auto" has decided */
	struct pk_format_opts opts;
	struct pk_sink sink;            /* where the records go */
	const char *note;
	char notebuf[256];
	unsigned long long count[PK_FMT_MAX_COUNTERS];
	int has_space;                  /* the record being fed has spaces */
	struct pk_buf out;              /* the record being built */
	struct pk_buf t1, t2, t3, t4;   /* scratch */
	struct pk_buf placebuf;         /* pk_fmt_place()'s own */
	struct pk_obj *obj;
	int mode;                       /* the format's own option */
	void *state;                    /* the format's own */
};

extern const struct pk_fmt_ops pk_fmt_trl, pk_fmt_ultrafeedback,
	pk_fmt_ufbinarized, pk_fmt_hh, pk_fmt_oasst, pk_fmt_nectar,
	pk_fmt_sharegpt, pk_fmt_helpsteer, pk_fmt_lists, pk_fmt_pairwise,
	pk_fmt_arena, pk_fmt_bon, pk_fmt_unpaired;

/* Pass b's contents to the reader's sink (its emit callback). */
int pk_fmt_emit(struct pk_format_reader *fr, const struct pk_buf *b);
/* Write fr->obj and pass it on: straight into the sink's room when it
 * offers one, else built in fr->out and passed to its emit. */
int pk_fmt_emit_obj(struct pk_format_reader *fr, struct pk_error *err);
/* Record a warning for the record being fed. */
void pk_fmt_note(struct pk_format_reader *fr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Writing compact JSON into a buffer. */
/* A ',' unless b is empty or ends with '{', '[' or ':'. */
int pk_fmt_sep(struct pk_buf *b);
/* sep, then "key": (key is plain ASCII without escapes). */
int pk_fmt_key(struct pk_buf *b, const char *key);
/* sep, then the raw validated value p[0..n), compacted when spaced. */
int pk_fmt_raw(struct pk_buf *b, const char *p, size_t n, int spaced);
/* sep, then {"role":"ROLE","content":RAW} (raw content, compacted). */
int pk_fmt_message(struct pk_buf *b, const char *role, const char *p,
		   size_t n, int spaced);

/* The number a score value p[0..n) holds: a JSON number, or a string
 * holding the text of one ("7.5"), within prefkit(7)'s number rules.
 * Returns 1 with *x set; 0 when there is none (null, "N/A"); or
 * PK_BAD_RECORD with err saying "WHAT is not a number (string \"abc\")",
 * "WHAT is not a number (true)" or "WHAT is out of range (1e400)" for
 * anything else ("0x10", "NaN", "inf", objects, arrays, booleans). */
int pk_fmt_number(struct pk_buf *scratch, const char *p, size_t n,
		  double *x, const char *what, struct pk_error *err);

/* Is the validated number p[0..n) an integer value (2, 2.0, 1e2)? */
int pk_fmt_is_integral(const char *p, size_t n);
/* Decoded string literal p[0..n) equals s[0..len)? (b: scratch) */
int pk_fmt_str_equals(struct pk_buf *b, const char *p, size_t n,
		      const char *s, size_t len);

/* PK_OK when p[0..n) is a string or a message list, else a bad record
 * "FMT: \"WHAT\" is ..., not a string or a message list". */
int pk_fmt_check_text(const char *fmt, const char *what, const char *p,
		      size_t n, struct pk_error *err);

/* Split the message list t[0..n) into its leading messages, written to
 * pre as a compact array, and its last message (*last_off, *last_len,
 * relative to t).  Returns 1, 0 when t is not a non-empty message list
 * whose last message has role "assistant", -1 when out of memory. */
int pk_fmt_split_last(const char *t, size_t n, int spaced, struct pk_buf *pre,
		      size_t *last_off, size_t *last_len);

/* HH transcripts ("\n\nHuman: ...\n\nAssistant: ..."): append a JSON array
 * of messages for text[0..n).  first_role is the role of text before the
 * first marker ("assistant" for a response), or NULL: then the text must
 * start with a marker (a leading "Human:"/"Assistant:" at position 0
 * counts).  A prompt's last, empty "Assistant:" turn (the cue) is dropped
 * when drop_cue.  Each turn loses one leading space. */
int pk_fmt_hh_messages(struct pk_buf *out, const char *text, size_t n,
		       const char *first_role, int drop_cue,
		       struct pk_error *err);

/* "an object", "an array", "a string", "a number", "a boolean", "null":
 * for messages that name the type a value has. */
const char *pk_fmt_a_type(enum pk_type t);

/* Writing members the member-clash way (one rule for every reader): each
 * put writes the top-level member `to`.  Where it goes: in place of a
 * member already named `to` (which is replaced); else in place of the
 * top-level member `from` (renamed); else at the end (at the front when
 * `first`).  The member `from` is removed when its place is not taken
 * (a dotted `from` is removed from its object).  raw[0..len) is the value
 * (a span of the record's text, or compact text); raw NULL keeps from's
 * own value; `to` NULL only removes `from`.  A put whose `from` is absent
 * and whose raw is NULL does nothing.  fr->obj must be freshly loaded
 * from rec. */
struct pk_fmt_put {
	const char *from;
	const char *to;
	const char *raw;
	size_t len;
	int first;
};
int pk_fmt_place(struct pk_format_reader *fr, const struct pk_record *rec,
		 const struct pk_fmt_put *puts, size_t n,
		 struct pk_error *err);
/* Load fr->obj from rec, place puts, and pass the record on. */
int pk_fmt_emit_placed(struct pk_format_reader *fr, const struct pk_record *rec,
		       const struct pk_fmt_put *puts, size_t n,
		       struct pk_error *err);

/* Label LISTs (match.c): comma-separated values and comparisons. */
struct match_item;
struct pk_fmt_match {
	const char *opt;          /* the option, for messages ("--tie") */
	const char *list;         /* as given (NULL: the empty list) */
	struct match_item *items;
	size_t n;
	struct pk_buf texts;
};
/* Parse list (NULL: an empty list).  PK_ERR_USAGE on a bad item. */
int pk_fmt_match_parse(struct pk_fmt_match *m, const char *opt,
		       const char *list, struct pk_error *err);
/* Does the validated value v[0..n) match an item?  1, 0, or -1 when out
 * of memory. */
int pk_fmt_match_test(const struct pk_fmt_match *m, struct pk_buf *scratch,
		      const char *v, size_t n);
/* The same in two steps, for testing one label against several lists:
 * the label read once (0, or -1 out of memory; l->text may point into
 * scratch), then tested against each list (1 or 0). */
struct pk_fmt_label {
	enum pk_type t;
	const char *text;   /* a string's decoded text, else the raw value */
	size_t tlen;
	double x;           /* its number, when numeric */
	int numeric;
};
int pk_fmt_label_read(struct pk_fmt_label *l, struct pk_buf *scratch,
		      const char *v, size_t n);
int pk_fmt_label_matches(const struct pk_fmt_match *m,
			 const struct pk_fmt_label *l);
void pk_fmt_match_free(struct pk_fmt_match *m);

/* Prompt templates (template.c; --prompt-template). */
struct pk_fmt_template;
struct pk_fmt_template *pk_fmt_template_new(const char *text,
					    struct pk_error *err);
/* Append the decoded text of the prompt of rec. */
int pk_fmt_template_render(const struct pk_fmt_template *t,
			   const struct pk_record *rec, struct pk_buf *out,
			   struct pk_error *err);
void pk_fmt_template_free(struct pk_fmt_template *t);

/* The prompt of a reader that takes --prompt-field or --prompt-template. */
struct pk_fmt_prompt {
	struct pk_fmt_template *tmpl;
	struct pk_field field;
	const char *path;          /* NULL: the reader has no prompt field */
	struct pk_buf buf, text;
};
int pk_fmt_prompt_init(struct pk_fmt_prompt *p, const struct pk_format_opts *o,
		       const char *default_field, struct pk_error *err);
void pk_fmt_prompt_free(struct pk_fmt_prompt *p);
/* The prompt of rec: 1 with *raw, *len (the field's value, checked to be
 * a string or a message list; or the template's text as a JSON string)
 * and *put set to write it as "prompt"; 0 when there is no prompt field
 * in rec; or an error (fmt names the format in messages). */
int pk_fmt_prompt_get(struct pk_fmt_prompt *p, const char *fmt,
		      const struct pk_record *rec, struct pk_fmt_put *put,
		      struct pk_error *err);

#endif
