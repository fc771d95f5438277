/* SPDX-License-Identifier: MIT */
/*
 * prefkit.h - the public interface of libprefkit, the streaming JSON Lines
 * library behind the pref-* commands.  Everything an outside program (a C
 * data loader, a language binding, a new command) needs is here, and
 * nothing else: the library exports exactly the functions declared here
 * with PK_API (tests/exports.test checks it).  An overview with a complete
 * example program is in libprefkit(3); build against the installed
 * library with `pkg-config --cflags --libs prefkit`.
 *
 * Record model (SPEC section 4): every input line is validated once by a
 * scanner that records the byte spans of the record's top-level members.
 * Only the values a caller reads are decoded, only the members it writes
 * are built, and everything else is copied byte for byte.
 *
 * THE FAILURE CONVENTION (one rule for every function here)
 *
 *  - A function that can fail returns a status: PK_OK (0) on success, or
 *    one of the negative statuses below on failure - never a bare -1 or
 *    any other negative value:
 *	PK_BAD_RECORD  the input (a record, a value, an option string) is
 *	               not what the function accepts; the caller may go on
 *	               with the next record;
 *	PK_FATAL       out of memory, an I/O error, or misuse: stop;
 *	PK_EPIPE       the reader of the output went away: stop quietly.
 *    Functions whose result is a count, a length or an index (long,
 *    ssize_t) return it (>= 0) on success and a negative status on
 *    failure, in the same way.
 *  - Out of memory is always PK_FATAL (err->kind PK_ERR_NOMEM).
 *  - When a function takes a struct pk_error *err, it fills err on every
 *    failure: err->kind says what kind of failure (and so which exit
 *    status a command gives), err->text says why.  err may be NULL.
 *  - Lookups and predicates (pk_record_get, pk_obj_get, pk_is_*, *_equals,
 *    iterators) cannot fail: they return 1 (found, true, one more) or 0.
 *    pk_obj_find returns an index, or -1 for "no such member" (not a
 *    status).  Functions returning a pointer return NULL on failure, with
 *    err filled when they take one.
 *  - The library never prints and never exits.
 *
 * Memory: spans are offsets into a text the caller owns; they stay valid
 * as long as that text does.  A line returned by a reader is borrowed: it
 * lives until the next call on that reader.  Records passed to an emit
 * callback are borrowed for the duration of the call.  Every *_free and
 * *_close function accepts NULL.
 */
#ifndef PREFKIT_H
#define PREFKIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the functions the shared library exports (it is built with
 * -fvisibility=hidden: whatever is not marked stays inside). */
#if defined(__GNUC__) && !defined(PK_API)
#define PK_API __attribute__((visibility("default")))
#elif !defined(PK_API)
#define PK_API
#endif

/* ------------------------------------------------------------------ */
/* Status codes and errors                                             */
/* ------------------------------------------------------------------ */

enum {
	PK_OK = 0,
	PK_EOF = 1,          /* no more input (reader) */
	PK_BAD_RECORD = -1,  /* this record is bad; the stream goes on */
	PK_FATAL = -2,       /* the stream or output is dead (I/O, memory) */
	PK_EPIPE = -3,       /* output pipe closed by the reader */
};

enum pk_errkind {
	PK_ERR_NONE = 0,
	PK_ERR_DATA,   /* bad data: exit status 1 */
	PK_ERR_IO,     /* I/O or system error: exit status 2 */
	PK_ERR_NOMEM,  /* out of memory: exit status 2 */
	PK_ERR_USAGE,  /* misuse (bad option value, bad pattern): exit status 2 */
	PK_ERR_PIPE,   /* EPIPE on output: end quietly */
};

struct pk_error {
	enum pk_errkind kind;
	unsigned long long line; /* 1-based input line, 0 = unknown */
	unsigned long column;    /* 1-based byte column, 0 = none */
	char text[256];          /* message without program, file or line */
};

/* Fill *err (err may be NULL).  Returns the status that matches kind:
 * PK_BAD_RECORD for PK_ERR_DATA, PK_EPIPE for PK_ERR_PIPE, else PK_FATAL. */
PK_API int pk_error_set(struct pk_error *err, enum pk_errkind kind,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
PK_API void pk_error_clear(struct pk_error *err);

/* Where an operation sends the records it makes (compact JSON, no
 * newline).  emit is required: it gets each record, borrowed for the
 * call, and returns PK_OK or a negative status that the operation stops
 * on and returns.  room and commit are optional (NULL: not used): room
 * gives space for a record of up to n bytes in the caller's own buffer
 * (NULL on failure), commit hands over the len bytes written there -
 * this saves a copy per record. */
struct pk_sink {
	int (*emit)(void *ctx, const char *json, size_t len);
	char *(*room)(void *ctx, size_t n);
	int (*commit)(void *ctx, char *p, size_t len);
	void *ctx;
};

/* ------------------------------------------------------------------ */
/* Growable byte buffer (buf.c)                                        */
/* ------------------------------------------------------------------ */

struct pk_buf {
	char *data;   /* always NUL-terminated when data != NULL */
	size_t len;
	size_t cap;
};
#define PK_BUF_INIT {NULL, 0, 0}

PK_API int pk_buf_reserve(struct pk_buf *b, size_t extra);  /* PK_FATAL on ENOMEM */
PK_API int pk_buf_append(struct pk_buf *b, const void *p, size_t n);
PK_API int pk_buf_putc(struct pk_buf *b, int c);
PK_API int pk_buf_puts(struct pk_buf *b, const char *s);
PK_API int pk_buf_printf(struct pk_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
PK_API void pk_buf_reset(struct pk_buf *b);                 /* len = 0, keeps memory */
PK_API void pk_buf_free(struct pk_buf *b);
PK_API char *pk_buf_take(struct pk_buf *b);                 /* caller frees */

/* ------------------------------------------------------------------ */
/* Numbers and strings (num.c, str.c)                                  */
/* ------------------------------------------------------------------ */

/* Longest text pk_format_number writes, NUL included. */
#define PK_NUMBER_MAX 32

/* Format a double as the project writes every computed number: an integral
 * value with |x| < 1e17 as an integer ("8", "-3"), anything else in the
 * shortest %.{1..17}g form that reads back to the same double ("7.5",
 * "0.1", "1e+300").  Returns the length, or PK_BAD_RECORD for NaN/infinity. */
PK_API int pk_format_number(char out[PK_NUMBER_MAX], double x);

/* Parse the raw text of a JSON number (already validated), as a value a
 * command uses (prefkit(7) NUMBERS).  Returns PK_OK, or PK_BAD_RECORD when
 * it does not fit: beyond a double (1e400), so small that it would read
 * as 0 (1e-400), or an integer beyond 64 bits (2^63 and up, below
 * -2^63). */
PK_API int pk_parse_number(const char *p, size_t n, double *out);

/* Append the JSON string literal (with quotes) for the UTF-8 bytes s[0..n):
 * escapes '"', '\\' and control characters (\b \f \n \r \t, others as
 * \u00XX), everything else verbatim - the same text as Python's
 * json.dumps(s, ensure_ascii=False).  s must be valid UTF-8. */
PK_API int pk_json_quote(struct pk_buf *out, const char *s, size_t n);

/* Append the decoded contents of the validated JSON string literal p[0..n)
 * (quotes included).  The result may contain NUL bytes. */
PK_API int pk_json_unquote(struct pk_buf *out, const char *p, size_t n);

/* Compare the validated string literal p[0..n) (quotes included) with the
 * NUL-terminated UTF-8 name.  Fast when the literal has no escapes. */
PK_API int pk_key_equals(const char *p, size_t n, const char *name);


/* ------------------------------------------------------------------ */
/* The validating scanner (scan.c)                                     */
/* ------------------------------------------------------------------ */

enum pk_type {
	PK_T_NONE = 0, PK_T_OBJECT, PK_T_ARRAY, PK_T_STRING, PK_T_NUMBER,
	PK_T_TRUE, PK_T_FALSE, PK_T_NULL
};

/* Same limit as jansson 2.14 (JSON_PARSER_MAX_DEPTH): arrays and objects
 * nested deeper than this are rejected by both. */
#define PK_MAX_DEPTH 2048

/* One member of an object: raw key (quotes included) and raw value. */
struct pk_member {
	size_t key_off, key_len;
	size_t val_off, val_len;
	enum pk_type type;
	int key_escaped;   /* the raw key holds a backslash escape */
};

/* A scanned record: the top-level members of one JSON object line.
 * The text itself is not copied; offsets point into it. */
struct pk_record {
	const char *text;
	size_t len;
	struct pk_member *members;
	size_t nmembers;
	size_t cap;
	int has_space;   /* whitespace outside strings: write it compacted */
	/* scratch used by the scanner; callers leave it alone */
	void *scratch;
	size_t scratch_cap;
};
#define PK_RECORD_INIT {NULL, 0, NULL, 0, 0, 0, NULL, 0}

/* Validate text[0..len) as exactly one JSON value (surrounding whitespace
 * allowed): full grammar, UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF), \u escapes (no lone surrogates), nesting up to
 * PK_MAX_DEPTH, no duplicate key in any object.  The value must be an
 * object.  On success fills rec with the top-level members in order.
 * On failure returns PK_BAD_RECORD with err->text such as
 * "invalid JSON: unexpected character 'x'" and err->column set (1-based
 * byte column), or "not a JSON object (array)".
 * This accepts exactly what jansson accepts with JSON_DECODE_ANY |
 * JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES (so a key containing \u0000,
 * which jansson cannot hold, is rejected too), except: numbers beyond
 * jansson's range (integers past 64 bits, 1e400) are valid and accepted,
 * and a NUL byte right after a number or literal, which jansson 2.14
 * silently skips, is rejected. */
PK_API int pk_scan_record(struct pk_record *rec, const char *text, size_t len,
		   struct pk_error *err);
PK_API void pk_record_free(struct pk_record *rec);
/* Hand the scanned record to s as it came (compacted when it has spaces):
 * in s's room when it offers it, else built in scratch when needed.
 * PK_OK, s's own negative status, or PK_FATAL (out of memory). */
PK_API int pk_sink_record(const struct pk_sink *s, const struct pk_record *rec,
			  struct pk_buf *scratch);

/* Validate one JSON value of any type starting at text[*pos] (leading
 * whitespace skipped); on success *pos is just past the value and the
 * value's type is returned in *type (type may be NULL).  Same rules as
 * pk_scan_record; nesting is counted from this value; err->column is the
 * byte offset from text + 1.  *pos is unchanged on failure.  Used by the
 * JSON array reader. */
PK_API int pk_scan_value(const char *text, size_t len, size_t *pos,
		  enum pk_type *type, struct pk_error *err);

/* Iterating already validated text (fast: no validation).  Start with
 * pk_iter_init over an object's or array's raw text (brackets included). */
struct pk_iter {
	const char *text;
	size_t len;
	size_t pos;
};
PK_API void pk_iter_init(struct pk_iter *it, const char *text, size_t len);
/* Next member of an object: 1 and *m filled (offsets relative to the
 * iterator's text), 0 at the end. */
PK_API int pk_iter_member(struct pk_iter *it, struct pk_member *m);
/* Next element of an array: 1 and off, len, type filled, 0 at the end. */
PK_API int pk_iter_element(struct pk_iter *it, size_t *off, size_t *len,
		    enum pk_type *type);
/* Type of a validated value from its first byte (leading whitespace
 * skipped; PK_T_NONE when empty). */
PK_API enum pk_type pk_type_of(const char *p, size_t n);
/* "object", "array", "string", "number", "boolean" (for both PK_T_TRUE
 * and PK_T_FALSE), "null"; "nothing" for PK_T_NONE. */
PK_API const char *pk_type_name(enum pk_type t);

/* Find member `name` of the validated object text[0..len).  Returns 1 and
 * fills *m, or 0. */
PK_API int pk_object_find(const char *text, size_t len, const char *name,
		   struct pk_member *m);

/* A value located in a record: offsets into rec->text. */
struct pk_value {
	size_t off, len;
	enum pk_type type;
};

/* Look up a top-level member. Returns 1 if found. */
PK_API int pk_record_get(const struct pk_record *rec, const char *name,
		  struct pk_value *v);
/* Look up a dotted path ("metadata.score_chosen"); a plain name is a
 * top-level member.  The path is always split at every dot, so a key
 * that itself contains a dot is never reached.  Inside an array, a
 * part that is a number picks that element, from 0 ("preference.0";
 * reading only: editing functions take object paths).  Returns 1 if
 * found. */
PK_API int pk_record_path(const struct pk_record *rec, const char *path,
		   struct pk_value *v);
/* A field looked up in record after record (pk_field_init): the records
 * of a file mostly share one layout, so the index where the last record
 * had it is tried first. */
struct pk_field {
	const char *path;   /* a name or a dotted path */
	size_t len;
	int dotted;
	size_t hint;        /* after a hit on a plain name: its member index */
};
PK_API void pk_field_init(struct pk_field *f, const char *path);
/* pk_record_path() for a field. */
PK_API int pk_record_field(const struct pk_record *rec, struct pk_field *f,
		    struct pk_value *v);

/* Append the record compacted (whitespace outside strings removed, every
 * other byte as it came) to out.  No newline. */
PK_API int pk_compact(struct pk_buf *out, const char *text, size_t len);

/* ------------------------------------------------------------------ */
/* Editing a record: ordered members, untouched ones kept raw (obj.c)  */
/* ------------------------------------------------------------------ */

/* An object under edit.  Members keep their order; untouched members are
 * still spans of the source text, changed or new ones live in the
 * object's own arena.  Writing it copies untouched bytes as they came. */
struct pk_obj;

PK_API struct pk_obj *pk_obj_new(void);
PK_API void pk_obj_free(struct pk_obj *o);
/* Start from a scanned record (rec->text must outlive o's use). */
PK_API int pk_obj_load_record(struct pk_obj *o, const struct pk_record *rec);
/* Start from the validated raw text of an object (must outlive o). */
PK_API int pk_obj_load(struct pk_obj *o, const char *text, size_t len);
/* Start empty. */
PK_API void pk_obj_clear(struct pk_obj *o);

PK_API size_t pk_obj_count(const struct pk_obj *o);
/* Index of the member named name, or -1 (absent). */
PK_API long pk_obj_find(const struct pk_obj *o, const char *name);
/* Raw value of member i; *type set when type != NULL. */
PK_API const char *pk_obj_value(const struct pk_obj *o, size_t i, size_t *len,
			 enum pk_type *type);
/* Decoded key of member i (NUL-terminated, valid until the next edit). */
PK_API const char *pk_obj_key(const struct pk_obj *o, size_t i);
/* Look up name (dotted path allowed); returns 1 and the raw value. */
PK_API int pk_obj_get(const struct pk_obj *o, const char *path, const char **val,
	       size_t *len, enum pk_type *type);

/* Set member `path` (dotted paths edit nested objects, creating them when
 * absent) to the raw JSON text raw[0..n) (copied).  An existing member
 * keeps its position; a new one is appended. */
PK_API int pk_obj_set_raw(struct pk_obj *o, const char *path, const char *raw,
		   size_t n);
PK_API int pk_obj_set_string(struct pk_obj *o, const char *path, const char *s,
		      size_t n);
PK_API int pk_obj_set_number(struct pk_obj *o, const char *path, double x);
PK_API int pk_obj_set_bool(struct pk_obj *o, const char *path, int b);
/* Remove member path; returns 1 if it was there. */
PK_API int pk_obj_delete(struct pk_obj *o, const char *path);
/* Rename top-level member from -> to, keeping position. */
PK_API int pk_obj_rename(struct pk_obj *o, const char *from, const char *to);
/* By index (pk_obj_find()): rename member i to name (the caller keeps
 * keys unique), delete member i, move member i to position j. */
PK_API int pk_obj_rename_at(struct pk_obj *o, size_t i, const char *name);
PK_API void pk_obj_delete_at(struct pk_obj *o, size_t i);
PK_API void pk_obj_move_at(struct pk_obj *o, size_t i, size_t j);

/* SPEC 1.2: swap every paired field (name containing "chosen"/"rejected",
 * or ending in "_w"/"_l") with its partner; values move, positions stay; a
 * field whose partner is missing is renamed to the partner's name.  Done
 * inside nested objects too (the values of unpaired members). */
PK_API int pk_obj_swap_paired(struct pk_obj *o);
/* The partner name of a paired field into out (NUL-terminated); returns 1
 * if name is paired, 0 if not, PK_FATAL when out of memory. */
PK_API int pk_paired_partner(const char *name, size_t n, struct pk_buf *out);

/* Append the object as compact JSON (no newline). */
PK_API int pk_obj_write(const struct pk_obj *o, struct pk_buf *out);

/* ------------------------------------------------------------------ */
/* Preference records (pair.c)                                          */
/* ------------------------------------------------------------------ */

/* SPEC 1.1 "the text of a response": the decoded string, or the
 * concatenated content of the assistant messages of a message list.
 * Appends to out.  PK_BAD_RECORD with err->text when v is neither. */
PK_API int pk_response_text(const char *v, size_t n, struct pk_buf *out,
		     struct pk_error *err);
/* The text of a prompt: the decoded string, or the content of every
 * message of a message list (a string, or the text of its parts) joined
 * by "\n".  Appends to out.  PK_BAD_RECORD with err->text when v is
 * neither. */
PK_API int pk_prompt_text(const char *v, size_t n, struct pk_buf *out,
			  struct pk_error *err);
/* Is the validated value a message list (array of objects each with a
 * string "role" and a "content")? */
PK_API int pk_is_message_list(const char *v, size_t n);

/* SPEC 1.2 implicit prompt: every element of the validated array t[0..n)
 * (a conversation) but the last, as a compact JSON array, into buf (reset
 * first).  PK_OK, or PK_FATAL when out of memory. */
PK_API int pk_implicit_prompt(const char *t, size_t n, struct pk_buf *buf);

/* SPEC 1.4 group id of a prompt value: 16 lowercase hex digits of XXH3-64
 * (seed 0) of the value as compact JSON with sorted keys, written as
 * Python's json.dumps(v, sort_keys=True, separators=(",", ":"),
 * ensure_ascii=False) writes it.  out gets 17 bytes (NUL included). */
PK_API int pk_group_id(const char *v, size_t n, char out[17], struct pk_error *err);

/* XXH3-64 of bytes. */
PK_API uint64_t pk_hash64(const void *p, size_t n, uint64_t seed);

/* XXH3-128 of bytes as 16 bytes, high half first (big-endian), so that
 * memcmp orders keys as the hex digits do. */
PK_API void pk_hash128(const void *p, size_t n, unsigned char out[16]);

/* ------------------------------------------------------------------ */
/* Canonical JSON and text normalization (canon.c)                     */
/* ------------------------------------------------------------------ */

/* The canonical text of a JSON value (group ids, split decisions, dedup
 * keys): compact, object keys sorted bytewise (= by code point), strings
 * as pk_json_quote writes them - for strings, arrays and objects exactly
 * Python's json.dumps(v, sort_keys=True, separators=(",", ":"),
 * ensure_ascii=False).  Numbers: an integer as written ("-0" as "0"),
 * any other number as pk_format_number writes its double (1.0 -> "1",
 * 1e2 -> "100"), one beyond a double as written.  (The same text as
 * pk_json_encode(pk_json_decode(v), PK_ENC_SORT_KEYS) wherever jansson
 * reads the value, built without a jansson tree.) */
struct pk_canon {
	struct pk_buf text;   /* pk_canonical_hash64's last text */
	struct pk_buf stack_, keys_, tmp_, tmp2_;
};
#define PK_CANON_INIT {PK_BUF_INIT, PK_BUF_INIT, PK_BUF_INIT, PK_BUF_INIT, \
		       PK_BUF_INIT}
PK_API void pk_canon_free(struct pk_canon *c);

/* Normalizations of strings (pref-dedup --normalize). */
#define PK_NORM_SPACE 1u /* each run of white space (Python's str.isspace():
			  * U+0009-000D, 001C-001F, 0020, 0085, 00A0, 1680,
			  * 2000-200A, 2028, 2029, 202F, 205F, 3000) becomes
			  * one space, none at either end: " ".join(s.split()) */
#define PK_NORM_CASE 2u  /* Unicode full case folding, character by
			  * character (Python's s.casefold(); Unicode 14.0):
			  * "Straße" -> "strasse", "ΣΑΣ" -> "σασ" */
/* Append the valid UTF-8 text s[0..n) normalized by norm (PK_NORM_*). */
PK_API int pk_normalize(struct pk_buf *out, const char *s, size_t n, unsigned norm);
/* Parse "space", "case", "space,case": PK_OK, or PK_BAD_RECORD for
 * anything else. */
PK_API int pk_normalize_parse(const char *s, unsigned *norm);

/* The valid UTF-8 text s[0..n) without the white space (as PK_NORM_SPACE
 * counts it) at either end: *off and *len give what is left (Python's
 * s.strip()).  Returns 1 when something is left, 0 when s is empty or
 * only white space (then *off = *len = 0). */
PK_API int pk_text_trim(const char *s, size_t n, size_t *off, size_t *len);

/* Append the canonical text of the validated value v[0..n) (surrounding
 * white space ignored), every string in it (object keys excepted) first
 * normalized by norm.  scratch may be NULL (then allocated for the call);
 * a caller that canonicalizes record after record keeps one.  PK_OK, or
 * PK_FATAL when out of memory (nothing appended). */
PK_API int pk_canonical(struct pk_buf *out, const char *v, size_t n, unsigned norm,
		 struct pk_canon *scratch, struct pk_error *err);
/* XXH3-64 with seed of the canonical text of v[0..n) (kept in
 * scratch->text unless v is a string without escapes, which is its own
 * canonical text and is hashed in place). */
PK_API int pk_canonical_hash64(const char *v, size_t n, uint64_t seed,
			struct pk_canon *scratch, uint64_t *h,
			struct pk_error *err);

/* ------------------------------------------------------------------ */
/* The two sides of a pair: scores and the side swap (sides.c)         */
/* ------------------------------------------------------------------ */

/* Read the score at path (dotted paths allowed) of a scanned record: a
 * JSON number (booleans are not scores).  PK_OK with *x and, when v is not
 * NULL, *v (its raw span, for copying); or PK_BAD_RECORD with err->text
 * "missing score field 'P'", "score field 'P' is not a number (string)"
 * or "score field 'P': 1e400 is out of range". */
PK_API int pk_record_score(const struct pk_record *rec, const char *path,
		    double *x, struct pk_value *v, struct pk_error *err);
/* The same for a field (pk_record_field). */
PK_API int pk_record_score_field(const struct pk_record *rec, struct pk_field *f,
			  double *x, struct pk_value *v, struct pk_error *err);

/* Swap chosen and rejected in o (SPEC 1.2) with every paired field, as
 * pk_obj_swap_paired does, and also make each pair of members
 * (names[2i], names[2i + 1]) that are not each other's paired partners
 * trade values (fields renamed by options such as --chosen-field or
 * --label-fields).  names ends with NULL (NULL names: no such pairs);
 * dotted paths allowed; a missing member is created from its partner's
 * value (and the partner deleted). */
PK_API int pk_obj_swap_sides(struct pk_obj *o, const char *const *names);
/* Is every pair of names each other's paired partners, so that
 * pk_obj_swap_paired alone does what pk_obj_swap_sides would?  A loop over
 * records asks once and then passes NULL names, which skips the check. */
PK_API int pk_sides_are_partners(const char *const *names);

/* ------------------------------------------------------------------ */
/* Patterns and tokens (tokenize.c) - SPEC 3.4; shared by pref-ches,    */
/* pref-check --leak-ngram / --deny-regex and pref-stats.               */
/* ------------------------------------------------------------------ */
/*
 * A pattern is compiled once with PCRE2 (8-bit, UTF and UCP, so \p{L},
 * \s and \w are Unicode-aware; JIT-compiled when the library has JIT)
 * and then matched any number of times; its match data is reused, so a
 * match allocates nothing.  A struct pk_regex is used by one thread at a
 * time.  Subjects must be valid UTF-8 (every text decoded from a scanned
 * record is); they may contain NUL bytes.
 *
 * The tokens of a text are the non-empty matches of the pattern, left to
 * right (Python's re.findall without the empty strings).  A token stands
 * for the one-hot vector of its XXH3-64 hash (seed 0), pk_token_hash().
 *
 *	re = pk_regex_new(PK_TOKEN_REGEX_DEFAULT, &err);  NULL: err says why
 *	n = pk_tokenize(re, text, len, NULL, &hashes, &err);  per text
 *	or, token by token:
 *	for (pos = 0; (rc = pk_regex_next(re, text, len, &pos, &m, &err)) == 1;)
 *		use text[m.off .. m.off + m.len)
 *	pk_regex_free(re);
 */

/* The GPT-2 pre-tokenizer pattern (SPEC 3.4): contractions, runs of
 * letters, of digits and of other symbols (each with one optional
 * leading space), and whitespace. */
#define PK_TOKEN_REGEX_DEFAULT \
	"'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+" \
	"|\\s+(?!\\S)|\\s+"

struct pk_regex;

/* A byte range of a subject. */
struct pk_span {
	size_t off, len;
};

/* Compile pattern (NUL-terminated).  NULL with err: PK_ERR_USAGE
 * "pattern offset N: message" (PCRE2's message; N is the byte offset
 * where PCRE2 stopped), or PK_ERR_NOMEM. */
PK_API struct pk_regex *pk_regex_new(const char *pattern, struct pk_error *err);
PK_API void pk_regex_free(struct pk_regex *re);
/* 1 when the pattern runs JIT-compiled. */
PK_API int pk_regex_jit(const struct pk_regex *re);
/* 1 when the pattern is PK_TOKEN_REGEX_DEFAULT and is matched by the
 * library's own lexer (same tokens as PCRE2, faster), 0 when PCRE2
 * matches it (any other pattern, or PREFKIT_TOKENIZER=pcre2). */
PK_API int pk_regex_lexer(const struct pk_regex *re);

/* The next non-empty match of s[0..n) that starts at or after *pos (a
 * character boundary): 1 with *m set and *pos moved past the match, 0
 * when there is none (*pos = n), or a negative status: PK_BAD_RECORD with
 * err "pattern match failed: ..." (a PCRE2 resource limit hit by this
 * subject), PK_FATAL when out of memory.  An empty match is skipped: the
 * search goes on from its position without allowing an empty match
 * there, one character at a time. */
PK_API int pk_regex_next(struct pk_regex *re, const char *s, size_t n, size_t *pos,
		  struct pk_span *m, struct pk_error *err);

/* The tokens of s[0..n): appends a struct pk_span per token to spans
 * and/or its pk_token_hash() as a uint64_t to hashes (either may be
 * NULL; with both NULL the tokens are only counted).  Returns the number
 * of tokens, or a negative status as pk_regex_next(). */
PK_API long pk_tokenize(struct pk_regex *re, const char *s, size_t n,
		 struct pk_buf *spans, struct pk_buf *hashes,
		 struct pk_error *err);
/* XXH3-64 (seed 0) of a token's bytes. */
PK_API uint64_t pk_token_hash(const char *p, size_t n);

/* ------------------------------------------------------------------ */
/* Input: files, stdin, zstd, gzip, JSON arrays (zio.c, reader.c)      */
/* ------------------------------------------------------------------ */

struct pk_reader;

struct pk_line {
	const char *data;          /* borrowed: valid until the next call */
	size_t len;                /* without the line end (\n or \r\n) */
	unsigned long long lineno; /* 1-based line where the record starts */
};

/* Open path ("-" or NULL = standard input).  zstd (concatenated frames,
 * skippable frames) and gzip (when built with zlib) are recognised by
 * their magic number, on files and pipes alike.  max_line bounds one
 * record (0 = no bound). */
PK_API struct pk_reader *pk_reader_open(const char *path, size_t max_line,
				 struct pk_error *err);
/* Next record line.  Blank lines (only whitespace) are skipped and
 * counted; a UTF-8 BOM at the start is dropped; "\r\n" ends a line like
 * "\n".  A file whose first non-blank byte is '[' is read as a JSON array,
 * streamed: its elements are returned one by one (lineno = the line where
 * the element starts), in memory bounded by max_line like lines; a run of
 * blank space (and ',') outside the elements longer than max_line is a
 * PK_FATAL error.
 * Returns PK_OK with *line set, PK_EOF at the end, PK_BAD_RECORD for a
 * line longer than max_line (err->text "line too long (more than N
 * bytes)"; line->data holds its first max_line bytes and the reader moves
 * on to the next line on the next call; an element of a JSON array file
 * longer than max_line is reported the same way, its end found from its
 * strings and brackets alone, its content not checked), or PK_FATAL (I/O error,
 * truncated or corrupt compressed stream, a JSON array file that is not a
 * valid array: kind PK_ERR_DATA with err->line and err->column).  After
 * PK_FATAL every call returns PK_FATAL. */
PK_API int pk_reader_next(struct pk_reader *r, struct pk_line *line,
		   struct pk_error *err);
/* After PK_BAD_RECORD for a long line: pass the rest of that line to sink
 * (or discard it when sink is NULL), without its line end, so that
 * line->data then the drained bytes are the line as it came.  sink
 * returns 0 to go on; a nonzero return stops the drain and is returned
 * (the next pk_reader_next() skips what is left).  PK_OK when there is
 * nothing to drain. */
PK_API int pk_reader_drain(struct pk_reader *r,
		    int (*sink)(void *ctx, const void *p, size_t n),
		    void *ctx, struct pk_error *err);
/* The name used in messages: the path, or "-" for standard input. */
PK_API const char *pk_reader_name(const struct pk_reader *r);
PK_API unsigned long long pk_reader_blank_lines(const struct pk_reader *r);
/* Bytes read from the underlying file so far (compressed), for progress. */
PK_API unsigned long long pk_reader_bytes_in(const struct pk_reader *r);
/* Is the input a JSON array file (its records may span lines)? */
PK_API int pk_reader_is_array(const struct pk_reader *r);
PK_API void pk_reader_close(struct pk_reader *r);

/* ------------------------------------------------------------------ */
/* Output: stdout or atomic file, optional zstd (writer.c)             */
/* ------------------------------------------------------------------ */

struct pk_writer;

/* Open path (NULL or "-" = standard output).  A named file is written to
 * a temporary file beside it and renamed by pk_writer_commit(), so a
 * failed run leaves no partial file.  zstd_level: 0 = plain, 1..19 =
 * zstd at that level, PK_ZSTD_AUTO = zstd (level 3) when path ends in
 * ".zst", else plain. */
#define PK_ZSTD_AUTO (-1000)
#define PK_ZSTD_DEFAULT_LEVEL 3
PK_API struct pk_writer *pk_writer_open(const char *path, int zstd_level,
				 struct pk_error *err);
/* Buffered write.  Errors stick: after one, every call fails the same way.
 * PK_EPIPE when the reader of a pipe went away.  Compressed output is
 * compressed by zstd worker threads (PREFKIT_THREADS): its write errors
 * may show at a later write or at pk_writer_commit. */
PK_API int pk_writer_write(struct pk_writer *w, const void *p, size_t n,
		    struct pk_error *err);
/* Room for n bytes in the output buffer, to be filled in place and then
 * handed over with pk_writer_advance() (which may take fewer than n):
 * saves building a record elsewhere and copying it.  NULL on a (sticky)
 * error or when out of memory. */
PK_API char *pk_writer_room(struct pk_writer *w, size_t n, struct pk_error *err);
PK_API int pk_writer_advance(struct pk_writer *w, size_t n, struct pk_error *err);
/* Flush, end the zstd frame, fsync and close a named file, leaving only
 * the rename for pk_writer_commit(): several files meant to appear
 * together are each prepared first, and committed only when all are
 * ready.  On failure the temporary file is removed (w is kept for
 * pk_writer_abort()).  A second call returns the first one's status. */
PK_API int pk_writer_prepare(struct pk_writer *w, struct pk_error *err);
/* Flush, end the zstd frame, fsync and rename a named file into place
 * (pk_writer_prepare, then the rename); frees w.  On failure the
 * temporary file is removed. */
PK_API int pk_writer_commit(struct pk_writer *w, struct pk_error *err);
/* Drop everything: remove the temporary file; frees w. */
PK_API void pk_writer_abort(struct pk_writer *w);
/* Path of the temporary file (NULL for stdout), for a signal handler. */
PK_API const char *pk_writer_temp_path(const struct pk_writer *w);
/* 1 when a write, flush or sync has failed (the error sticks), else 0. */
PK_API int pk_writer_failed(const struct pk_writer *w);

/* ------------------------------------------------------------------ */
/* Ranked lists and pair strategies (rank.c) - shared by pref-expand   */
/* and pref-curriculum.                                                */
/* ------------------------------------------------------------------ */
/*
 * A ranked list (SPEC 1.3) is read from a scanned record without copying:
 * the response texts, scores and ranks stay spans of the record's text.
 * pk_rank_parse() sorts the responses best first (stable: equal standing
 * keeps input order) and numbers the tie groups; the pair strategies work
 * on positions in that order (R1 = items[0]).  Typical use:
 *
 *	struct pk_rank_list l = PK_RANK_LIST_INIT;
 *	pk_rank_parse(&l, &rec, &opts, &err);     per record
 *	pk_rank_top(&l, k);                        optional
 *	n = pk_rank_pairs(&l, &strategy, min_gap, &nbelow);
 *	pk_rank_write_pairs(&l, &out, emit, ctx, &err);
 *	pk_rank_list_free(&l);                     at the end
 */

enum pk_rank_by {
	PK_RANK_BY_SCORE = 0, /* score, higher is better (the default) */
	PK_RANK_BY_RANK,      /* rank, lower is better */
};

/* Where a list keeps its parts.  Every name may be a dotted path; the
 * response fields are looked up inside each response object. */
struct pk_rank_opts {
	const char *prompt_field;    /* "prompt" */
	const char *responses_field; /* "responses" */
	const char *text_field;      /* "text" */
	const char *score_field;     /* "score" */
	const char *rank_field;      /* "rank" */
	enum pk_rank_by rank_by;     /* preferred when both are present */
	int steps;  /* accept a text that is an array of strings (steps) */
	int need_prompt; /* a missing prompt is bad even for message lists */
};
PK_API void pk_rank_opts_init(struct pk_rank_opts *o);

/* One response.  Spans are offsets into the list's text. */
struct pk_rank_item {
	size_t off, len;        /* the response object */
	struct pk_value text;   /* its text: string, message list, steps */
	struct pk_value score;  /* type PK_T_NONE when absent */
	struct pk_value rank;   /* type PK_T_NONE when absent */
	double key;             /* standing, higher is better: the score, or
				 * minus the rank */
	size_t index;           /* 0-based position in the input list */
	size_t group;           /* tie group: 0 = best standing */
	size_t carried_, ncarried_; /* private: its other members */
};

struct pk_rank_pair {
	size_t i, j; /* positions in items[]; i is better than j */
};

struct pk_rank_list {
	/* filled by pk_rank_parse() */
	const char *text;          /* the record's text (borrowed), or its
				    * compacted copy when it had whitespace */
	size_t len;
	struct pk_value prompt;    /* type PK_T_NONE when absent */
	enum pk_rank_by by;        /* what orders this list */
	struct pk_rank_item *items; /* best first */
	size_t n;
	size_t ngroups;            /* distinct standings among items */
	size_t ndropped;           /* responses dropped: null score or rank */
	char group_id[17];         /* SPEC 1.4, of the prompt */
	/* filled by pk_rank_pairs() */
	struct pk_rank_pair *pairs;
	size_t npairs;
	/* filled by pk_rank_write_pair(): where the members of extra begin
	 * in out (an offset from out->data), or (size_t)-1 when there is no
	 * extra or it is not written in one piece */
	size_t extra_at;
	/* private */
	const struct pk_record *rec_;
	const struct pk_rank_opts *opts_;
	long resp_member_;         /* top-level member holding the responses */
	long prompt_member_;       /* top-level member holding the prompt */
	struct pk_buf container_;  /* that member without the responses */
	struct pk_buf items_buf_;  /* storage of items */
	struct pk_buf pairs_buf_;  /* storage of pairs */
	struct pk_buf groups_buf_; /* items[k].group, contiguous */
	struct pk_buf carried_buf_; /* struct pk_member: carried fields */
	struct pk_buf ctext_;      /* the record compacted, when spaced */
	struct pk_record crec_;    /* ... and scanned */
	struct pk_buf block_;      /* scratch for derived records */
	ptrdiff_t block_at_;       /* where block_[0] went in out, or -1 */
	struct pk_buf scratch_;
};
#define PK_RANK_LIST_INIT {0}

/* Read the ranked list of a scanned record (opts and rec must outlive
 * the list's use): find the responses, read each one's text, score and
 * rank (a boolean score counts as 1/0, a rank must be an integer), drop
 * responses whose ordering value is null (counted in ndropped), sort
 * best first and number the tie groups, and compute the group id.
 * What orders the list: opts->rank_by when every kept response has that
 * field, else the other field when every one has it.  A list with no
 * responses is fine (n = 0).  PK_BAD_RECORD with err->text for a list
 * that is not what SPEC 1.3 describes ("responses[1]: no \"text\""). */
PK_API int pk_rank_parse(struct pk_rank_list *l, const struct pk_record *rec,
		  const struct pk_rank_opts *opts, struct pk_error *err);
/* Keep only the k best responses (the first k in sorted order). */
PK_API void pk_rank_top(struct pk_rank_list *l, size_t k);
/* Standing difference of items i and j: score(i) - score(j), or for
 * lists ordered by rank, rank(j) - rank(i). */
PK_API double pk_rank_gap(const struct pk_rank_list *l, size_t i, size_t j);
PK_API void pk_rank_list_free(struct pk_rank_list *l);

/* Pair strategies (SPEC 3.2).  With ties, a "standing" is a tie group:
 * every strategy is applied to standings and pairs every response of one
 * standing with every response of the other, so without ties it is
 * exactly the table of SPEC 3.2, and tied responses are never paired. */
enum pk_pairs_kind {
	PK_PAIRS_BEST_VS_REST = 0, /* best standing vs every other */
	PK_PAIRS_ALL,              /* every two standings */
	PK_PAIRS_ADJACENT,         /* each standing vs the next worse */
	PK_PAIRS_REST_VS_WORST,    /* every standing vs the worst */
	PK_PAIRS_BEST_VS_WORST,    /* best vs worst */
	PK_PAIRS_SKIP,             /* each standing vs the one K worse */
};
struct pk_pairs_strategy {
	enum pk_pairs_kind kind;
	size_t skip; /* K of skip=K (>= 1) */
};
/* Parse "all", "adjacent", "best-vs-rest", "rest-vs-worst",
 * "best-vs-worst" or "skip=K".  Returns PK_OK, or PK_BAD_RECORD for anything else. */
PK_API int pk_pairs_parse(const char *s, struct pk_pairs_strategy *out);
/* The pairs of n items sorted best first whose tie groups are group[0..n)
 * (non-decreasing, starting at 0), in (i, j) order, appended to out as
 * struct pk_rank_pair values (so out->data holds an array of them).
 * Returns the number appended, or PK_FATAL on ENOMEM. */
PK_API long pk_pairs_build(const size_t *group, size_t n,
		    const struct pk_pairs_strategy *s, struct pk_buf *out);
/* pk_pairs_build() on a list into l->pairs / l->npairs, then drop the
 * pairs whose gap is below min_gap (pass 0 to keep all; the number
 * dropped is added to *nbelow when nbelow != NULL).  Returns npairs or
 * PK_FATAL on ENOMEM. */
PK_API long pk_rank_pairs(struct pk_rank_list *l, const struct pk_pairs_strategy *s,
		   double min_gap, unsigned long long *nbelow);

/* Append the pair record of items i and j (positions) to out, without a
 * newline: the list's members in order, with the responses member
 * replaced by "chosen", "rejected", "score_chosen"/"score_rejected" and
 * "rank_chosen"/"rank_rejected" when the responses have them (raw text;
 * a boolean score as 1/0), every other field of each response as
 * "chosen_<key>"/"rejected_<key>", the members of the object text extra
 * (may be NULL; e.g. {"gap":2,"stage":1}) and "group_id".  Untouched
 * bytes are copied (compacted). */
PK_API int pk_rank_write_pair(struct pk_rank_list *l, size_t i, size_t j,
		       const char *extra, size_t extra_len,
		       struct pk_buf *out, struct pk_error *err);
/* Write every pair of l.pairs (pk_rank_pairs) with pk_rank_write_pair,
 * each built in out (reset first) and passed to emit.  Returns 0, the
 * first non-zero value of emit, or a negative status. */
PK_API int pk_rank_write_pairs(struct pk_rank_list *l, struct pk_buf *out,
			int (*emit)(void *ctx, const char *json, size_t len),
			void *ctx, struct pk_error *err);


/* Step trees (steptree.c, SPEC 3.2 "Trees"): the prefix tree of a list's
 * responses split into steps.  A response's steps are its text's elements
 * when it is an array of strings, else the non-empty pieces of its text
 * (a string, or the assistant text of a message list) between matches of
 * the PCRE2 pattern (compiled once, with JIT when available). */
struct pk_steptree;
#define PK_STEP_REGEX_DEFAULT "\\n\\n+"
/* pattern NULL = PK_STEP_REGEX_DEFAULT; a bad pattern is PK_ERR_USAGE
 * ("pattern offset N: message"). */
PK_API struct pk_steptree *pk_steptree_new(const char *pattern, struct pk_error *err);
PK_API void pk_steptree_free(struct pk_steptree *t);
/* Build the tree of a parsed list (every item, best first). */
PK_API int pk_steptree_build(struct pk_steptree *t, const struct pk_rank_list *l,
		      struct pk_error *err);
/* Append the tree record of the built list: its members with the
 * responses replaced by "group_id" and "tree": {"children": [{"step",
 * "score" (or "rank" for lists ordered by rank: the best through the
 * node), "count", "children"}]}. */
PK_API int pk_steptree_write(struct pk_steptree *t, struct pk_rank_list *l,
		      struct pk_buf *out, struct pk_error *err);
/* Call emit once per step pair of the built list: at each node, the
 * strategy applied to its children ordered by their best standing (ties
 * never paired, gaps below min_gap dropped and added to *nbelow), nodes
 * depth first (pre-order); prompt
 * = the list's prompt and the steps down to the node joined by "\n\n"
 * (for a message-list prompt: one added assistant message, and chosen /
 * rejected as one-message lists), with "depth" (steps shared) and
 * "group_id".  Returns 0, the first non-zero value of emit, or a
 * negative status. */
PK_API int pk_steptree_pairs(struct pk_steptree *t, struct pk_rank_list *l,
		      const struct pk_pairs_strategy *s, double min_gap,
		      unsigned long long *nbelow,
		      int (*emit)(void *ctx, const char *json, size_t len),
		      void *ctx, struct pk_error *err);

/* ------------------------------------------------------------------ */
/* Expanding ranked lists (expand.c) - the operation of pref-expand,   */
/* and of pref-convert for the lists a format gives.                   */
/* ------------------------------------------------------------------ */
/*
 * One call per list: the list is parsed and sorted (pk_rank_parse), cut
 * to its top responses, and written as pairs of a strategy (the default),
 * as the step tree of its responses, or as pairs of sibling steps.
 *
 *	pk_expand_opts_init(&o);  ... set o ...
 *	x = pk_expand_new(&o, &err);               NULL: err says why
 *	for each scanned list rec:
 *		rc = pk_expand_record(x, &rec, emit, ctx, &err);
 *		PK_OK: zero or more records were passed to emit;
 *		PK_BAD_RECORD: err->text says why (records may have been
 *		       passed to emit before it: hold them until the call
 *		       returns when that matters);
 *		else stop (out of memory, or emit's own negative status)
 *	pk_expand_counts(x) for --stats; pk_expand_free(x);
 */
enum pk_expand_to {
	PK_EXPAND_PAIRS = 0,   /* pairs of a strategy (SPEC 3.2) */
	PK_EXPAND_TREE,        /* one tree record per list */
	PK_EXPAND_STEP_PAIRS,  /* pairs of sibling steps */
};

struct pk_expand_opts {
	struct pk_rank_opts rank;        /* where lists keep their parts */
	struct pk_pairs_strategy pairs;  /* default best-vs-rest */
	size_t top;                      /* keep the top best, 0 = all */
	double min_gap;                  /* drop pairs with a smaller gap */
	enum pk_expand_to to;
	const char *step_regex;          /* NULL = PK_STEP_REGEX_DEFAULT */
};

/* What has been expanded so far. */
struct pk_expand_counts {
	unsigned long long lists;             /* lists read */
	unsigned long long too_small;         /* fewer than two standings */
	unsigned long long responses_dropped; /* null score or rank */
	unsigned long long below_gap;         /* pairs dropped by min_gap */
};

struct pk_expand;

PK_API void pk_expand_opts_init(struct pk_expand_opts *o);
/* NULL with err: PK_ERR_USAGE for a bad step_regex, or PK_ERR_NOMEM. */
PK_API struct pk_expand *pk_expand_new(const struct pk_expand_opts *o,
				       struct pk_error *err);
PK_API int pk_expand_record(struct pk_expand *x, const struct pk_record *rec,
			    int (*emit)(void *ctx, const char *json, size_t len),
			    void *ctx, struct pk_error *err);
/* The same for a list given as JSON text (scanned first). */
PK_API int pk_expand_text(struct pk_expand *x, const char *json, size_t len,
			  int (*emit)(void *ctx, const char *json, size_t len),
			  void *ctx, struct pk_error *err);
PK_API const struct pk_expand_counts *pk_expand_counts(const struct pk_expand *x);
/* The same as --stats names them: counter i (i = 0, 1, ... until NULL):
 * "lists", "lists_too_small", "pairs_below_min_gap" (not for trees) and
 * "responses_dropped", and its value. */
PK_API const char *pk_expand_counter(const struct pk_expand *x, size_t i,
				     unsigned long long *value);
PK_API void pk_expand_free(struct pk_expand *x);

/* ------------------------------------------------------------------ */
/* Foreign formats (lib/formats) - SPEC 1.5, shared by pref-convert     */
/* and every --from option.                                            */
/* ------------------------------------------------------------------ */
/*
 * A format reader turns the records of one foreign format (SPEC 1.5) into
 * canonical records: pairs (SPEC 1.2) or ranked lists (SPEC 1.3), written
 * as compact JSON text (no newline).  Untouched values (texts, scores,
 * other fields) are copied from the input byte for byte; new values are
 * built with pk_json_quote / pk_format_number.
 *
 * Formats: "trl", "ultrafeedback", "ultrafeedback-binarized", "hh",
 * "oasst", "nectar", "sharegpt", "helpsteer", and "lists" (ranked lists
 * in other shapes, read with the *_field options of SPEC 1.3), or "auto"
 * (the format is detected from the first record fed, then kept).
 *
 * Use:
 *	fr = pk_format_reader_new("hh", &opts, &err);   NULL: err says why
 *	for each scanned input record rec:
 *		rc = pk_format_reader_feed(fr, &rec, emit, ctx, &err);
 *		PK_OK: zero or more records were passed to emit; if
 *		       pk_format_reader_note(fr) is not NULL the record was
 *		       accepted with a warning to report by line
 *		       (e.g. "diverges-early: ...")
 *		PK_BAD_RECORD: err->text says why; nothing was emitted for it
 *		PK_FATAL / PK_EPIPE: stop (out of memory, or emit failed)
 *	pk_format_reader_finish(fr, emit, ctx, &err);    flush grouped formats
 *	counters: pk_format_reader_counter(fr, i, &value) for the --stats
 *	pk_format_reader_free(fr);
 *
 * emit returns PK_OK, or a negative status that feed/finish return as is.
 * The json it gets is borrowed: valid only during the call.
 */

/* What a format yields. */
enum pk_format_kind {
	PK_FORMAT_PAIRS = 1,  /* pairs, SPEC 1.2 */
	PK_FORMAT_LISTS = 2,  /* ranked lists, SPEC 1.3 */
};

struct pk_format_info {
	const char *name;          /* "hh" */
	enum pk_format_kind kind;  /* what it yields */
	const char *summary;       /* one line, for --help */
};

/* The known formats, in order, ending with an entry whose name is NULL. */
PK_API const struct pk_format_info *pk_format_list(void);
/* The entry for name, or NULL ("auto" is not an entry). */
PK_API const struct pk_format_info *pk_format_lookup(const char *name);
/* Detect the format of a record: a name from pk_format_list(), or NULL
 * when the record looks like none of them. */
PK_API const char *pk_format_detect(const struct pk_record *rec);

struct pk_format_opts {
	/* ultrafeedback: "overall" (default), "fine-grained" or
	 * "mean-aspects"; helpsteer: the attribute (default "helpfulness"). */
	const char *score;
	int no_synthetic;    /* oasst: skip synthetic messages too */
	int strict;          /* hh: diverges-early/prefix/identical are bad */
	/* hh, nectar: write prompt and responses as message lists (the
	 * HH-style prompt's turns become user/assistant messages).  The
	 * other formats ignore it (sharegpt, oasst and
	 * ultrafeedback-binarized always give messages). */
	int conversational;
	/* Field names of the input (dotted paths allowed for the top-level
	 * ones); NULL = the SPEC default.  trl: prompt/chosen/rejected/
	 * score_chosen/score_rejected are renamed to the canonical names.
	 * hh: chosen/rejected name the transcripts.  lists: prompt,
	 * responses; text/score/rank name members of each response object
	 * (read by pk_rank_parse(): booleans count as 1/0, a null ordering
	 * value drops that response, counted). */
	const char *prompt_field;
	const char *chosen_field;
	const char *rejected_field;
	const char *score_chosen_field;
	const char *score_rejected_field;
	const char *responses_field;
	const char *text_field;
	const char *score_field;
	const char *rank_field;
	/* trl, lists, pairwise, bon, unpaired: the prompt built from fields
	 * (SPEC 1.5 --prompt-template), in place of prompt_field. */
	const char *prompt_template;
	/* pairwise, arena: the responses, their models, the label paths
	 * (comma-separated: several are votes) and the label LISTs saying
	 * who won (a_wins and b_wins required for pairwise); keep_ties
	 * writes a tie as a pair with rank_chosen = rank_rejected = 1
	 * instead of dropping it (for --to lists). */
	const char *a_field, *b_field, *model_a_field, *model_b_field;
	const char *label_fields;
	const char *a_wins, *b_wins, *tie;
	int keep_ties;
	/* bon: the best response, the array of losers, and the text and
	 * model members of a response object (text_field above). */
	const char *best_field, *losers_field, *model_field;
	/* unpaired: the completion (default "completion"), or a whole
	 * conversation whose last message is the completion; the label
	 * (label_fields above, one path; default "label") read through the
	 * LISTs desirable (default "true") and undesirable (default "false";
	 * when only desirable is given, every other label but null); at most
	 * max_pairs_per_prompt pairs per prompt (0: all); the grouping sort
	 * keeps within memory bytes (0: PK_SORT_MEMORY_DEFAULT), spilling
	 * to tmpdir (NULL: $TMPDIR, else /tmp). */
	const char *completion_field, *messages_field;
	const char *desirable, *undesirable;
	unsigned long long max_pairs_per_prompt;
	size_t memory;
	const char *tmpdir;
};

struct pk_format_reader;

/* name: a format name or "auto"; opts may be NULL (defaults).  NULL with
 * err (PK_ERR_USAGE) for an unknown format or a bad option value. */
PK_API struct pk_format_reader *pk_format_reader_new(const char *name,
					      const struct pk_format_opts *opts,
					      struct pk_error *err);
PK_API int pk_format_reader_feed(struct pk_format_reader *fr,
			  const struct pk_record *rec,
			  int (*emit)(void *ctx, const char *json, size_t len),
			  void *ctx, struct pk_error *err);
PK_API int pk_format_reader_finish(struct pk_format_reader *fr,
			    int (*emit)(void *ctx, const char *json,
					size_t len),
			    void *ctx, struct pk_error *err);
/* The same with the records handed to a sink: built straight in its room
 * when it offers one (no copy), else passed to its emit. */
PK_API int pk_format_reader_feed_sink(struct pk_format_reader *fr,
				      const struct pk_record *rec,
				      const struct pk_sink *sink,
				      struct pk_error *err);
PK_API int pk_format_reader_finish_sink(struct pk_format_reader *fr,
					const struct pk_sink *sink,
					struct pk_error *err);
/* 1 when each record converts on its own, nothing carried from one record
 * to the next (no grouping across records, and the format is decided -
 * not "auto" before its first record): such records may be converted by
 * several readers at once, one per thread, each given the same options. */
PK_API int pk_format_reader_per_record(const struct pk_format_reader *fr);
/* Warning for the record last fed (accepted), or NULL.  Valid until the
 * next feed.  Only hh notes records ("hh: prefix: ..."). */
PK_API const char *pk_format_reader_note(const struct pk_format_reader *fr);
/* The format being read (resolved from "auto" after the first record;
 * NULL before it), and what it yields (0 before it). */
PK_API const char *pk_format_reader_format(const struct pk_format_reader *fr);
PK_API enum pk_format_kind pk_format_reader_kind(const struct pk_format_reader *fr);
/* Counter i of the reader (i = 0, 1, ... until it returns NULL): its
 * name (static, e.g. "hh_diverges_early", "completions_dropped",
 * "oasst_messages_skipped") and value.  Counters are per format, listed
 * even when zero; NULL at once before "auto" has decided. */
PK_API const char *pk_format_reader_counter(const struct pk_format_reader *fr,
				     size_t i, unsigned long long *value);
PK_API void pk_format_reader_free(struct pk_format_reader *fr);

/* Conversions of canonical pairs (canonical field names), appended to out
 * as compact JSON.  Other fields are kept byte for byte in their place.
 *  - to_conversational: string prompt/chosen/rejected become message
 *    lists ([{"role":"user",...}], [{"role":"assistant",...}]); message
 *    lists stay; an implicit prompt stays implicit.
 *  - to_standard: message lists become strings: prompt = the content of
 *    its one user message (an implicit prompt is made explicit: every
 *    message before the last, which must agree between chosen and
 *    rejected), response = its assistant text (pk_response_text).  A
 *    prompt with several messages (system, multi-turn) is a bad record
 *    unless flatten_template is given: then each message is written as
 *    the template with {role} and {content} replaced (and the escapes
 *    \n, \t and \\ unescaped), concatenated; a prompt of one user
 *    message is still just its content.
 *  - to_list: {"prompt", "responses": [chosen, rejected]} with the
 *    scores when both are present, else "rank" 1 and 2; other fields of
 *    the pair carried (paired ones go into the responses, their
 *    chosen/rejected part removed from the name).  */
PK_API int pk_pair_to_conversational(const struct pk_record *rec, struct pk_buf *out,
			      struct pk_error *err);
PK_API int pk_pair_to_standard(const struct pk_record *rec,
			const char *flatten_template, struct pk_buf *out,
			struct pk_error *err);
PK_API int pk_pair_to_list(const struct pk_record *rec, struct pk_buf *out,
		    struct pk_error *err);
/* SPEC 1.5 --to unpaired: the record of side 0 (chosen: "label": true) or
 * 1 (rejected: "label": false) of a pair: the pair's members in order,
 * with "completion" (the side's response; of an implicit prompt, its
 * last message as a one-message list, and "prompt" the shared messages,
 * put first) and "label" in place of "chosen", "rejected" left out, the
 * side's paired fields under their response names (score_chosen ->
 * score, chosen_model -> model, h_w -> h) and the other side's left out;
 * every other field copied.  A name written twice is a bad record. */
PK_API int pk_pair_to_unpaired(const struct pk_record *rec, int side,
			       struct pk_buf *out, struct pk_error *err);

/* pref-convert's operation (SPEC 3.6), one record at a time: the format
 * reader of o.from turns the record into pairs or ranked lists, which are
 * written as they are (PK_CONVERT_NATIVE) or as o.to says - lists
 * expanded into pairs by o.expand's strategy, pairs converted with the
 * functions above.  Records go to out, straight into its room when it
 * offers one.  A record that gives several records may fail after some
 * were passed on (hold them until it returns PK_OK).
 *
 *	pk_convert_opts_init(&o); o.from = "hh"; ...
 *	c = pk_convert_new(&o, &err);           NULL: err says why
 *	for each scanned record rec:
 *		rc = pk_convert_record(c, &rec, &out, &err);
 *		PK_OK (pk_convert_note(c): a warning, or NULL),
 *		PK_BAD_RECORD with err, or a failure
 *	pk_convert_finish(c, &out, &err);       records grouped across the
 *						input (unpaired, helpsteer)
 *	pk_convert_counter(c, i, &v) for i = 0, 1, ... until NULL
 *	pk_convert_free(c);
 */
enum pk_convert_to {
	PK_CONVERT_NATIVE,          /* what the format gives */
	PK_CONVERT_PAIRS,           /* lists expanded into pairs */
	PK_CONVERT_LISTS,           /* pairs as two-response lists */
	PK_CONVERT_STANDARD,        /* string pairs (o.flatten: prompt text) */
	PK_CONVERT_CONVERSATIONAL,  /* message-list pairs */
	PK_CONVERT_UNPAIRED,        /* two {prompt, completion, label} */
};

struct pk_convert_opts {
	const char *from;                 /* a format name or "auto" */
	struct pk_format_opts format;
	struct pk_expand_opts expand;     /* lists into pairs */
	enum pk_convert_to to;
	const char *flatten;              /* PK_CONVERT_STANDARD's template */
};

struct pk_convert;
PK_API void pk_convert_opts_init(struct pk_convert_opts *o);
PK_API struct pk_convert *pk_convert_new(const struct pk_convert_opts *o,
					 struct pk_error *err);
PK_API int pk_convert_record(struct pk_convert *c, const struct pk_record *rec,
			     const struct pk_sink *out, struct pk_error *err);
PK_API const char *pk_convert_note(const struct pk_convert *c);
PK_API int pk_convert_finish(struct pk_convert *c, const struct pk_sink *out,
			     struct pk_error *err);
/* 1 when each record converts on its own (pk_format_reader_per_record). */
PK_API int pk_convert_per_record(const struct pk_convert *c);
/* The format reader's counters, then - once a list was expanded -
 * "lists_expanded", "lists_too_small", "list_responses_dropped". */
PK_API const char *pk_convert_counter(const struct pk_convert *c, size_t i,
				      unsigned long long *value);
PK_API void pk_convert_free(struct pk_convert *c);

/* ------------------------------------------------------------------ */
/* Reward-conditioned templates (relabel.c)                            */
/* ------------------------------------------------------------------ */

/* The condition text of Zhang et al. 2024 (reward_augmentation.py in
 * shenao-zhang/reward-augmented-preference), with the scale as
 * placeholders: two lines, no trailing newline.  Rendered with the scale
 * 1:10 it is the paper's text byte for byte. */
#define PK_TEMPLATE_HEADER                                                   \
	"You are an assistant that generates responses for the instruction " \
	"while implicitly achieving the following target scores (on a "     \
	"scale of {min}-{max}, where {min} is lowest and {max} is highest):"
#define PK_TEMPLATE_DEFAULT PK_TEMPLATE_HEADER "\nOverall score: {score}."
/* The default for multi-attribute goals: {score} stands for the attribute
 * lines ("Helpfulness: 4.\nCorrectness: 3."), in place of the
 * "Overall score" line. */
#define PK_TEMPLATE_DEFAULT_ATTRIBUTES PK_TEMPLATE_HEADER "\n{score}"

/* A parsed template: literal text and the placeholders {score}, {min} and
 * {max}; "{{" and "}}" stand for literal braces (as in Python's
 * str.format, which the paper's code uses). */
struct pk_template;

/* Parse text[0..n) for the scale [min, max] ({min} and {max} are written
 * with pk_format_number).  Returns a new template, or NULL with err set
 * (kind PK_ERR_USAGE) for an unknown placeholder ("unknown placeholder
 * {foo} ..."), an unterminated '{', a single '}', a template without
 * {score}, or text that is not valid UTF-8; PK_ERR_NOMEM when out of
 * memory. */
PK_API struct pk_template *pk_template_new(const char *text, size_t n, double min,
				    double max, struct pk_error *err);
PK_API void pk_template_free(struct pk_template *t);

/* Append the condition text for goal score (as pk_format_number writes
 * it: 8.0 -> "8", 7.5 -> "7.5") to out, unquoted.  PK_FATAL for a
 * non-finite score or ENOMEM. */
PK_API int pk_template_render(const struct pk_template *t, double score,
		       struct pk_buf *out);

/* Multi-attribute goals: {score} becomes one line per attribute,
 * "Label: value." joined by "\n", where Label is pk_attribute_label() of
 * names[i] and value is values[i] formatted as above. */
PK_API int pk_template_render_attributes(const struct pk_template *t,
				  const char *const *names,
				  const double *values, size_t n,
				  struct pk_buf *out);

/* Append the display form of an attribute name: first letter upper case
 * (ASCII), '_' as ' ' ("instruction_following" -> "Instruction
 * following"). */
PK_API int pk_attribute_label(const char *name, struct pk_buf *out);

/* Longest text pk_format_rounded writes, NUL included, and the most
 * decimals it rounds to. */
#define PK_ROUNDED_MAX 48
#define PK_ROUND_MAX_DECIMALS 17
/* x rounded to `decimals` places, half to even (Python's round(x, n):
 * the exact binary value, ties to even), written in fixed notation with
 * trailing zeros and a trailing point removed: 3.9552000000053766e-05 to
 * 6 places is "0.00004", 2.5 to 0 places "2", 0.125 to 2 places "0.12";
 * "-0" is written "0".  decimals < 0, or |x| >= 1e17: as
 * pk_format_number.  Returns the length, or PK_BAD_RECORD for NaN or
 * infinity. */
PK_API int pk_format_rounded(char out[PK_ROUNDED_MAX], double x, int decimals);
/* Render {score} rounded to `decimals` places (pk_format_rounded; < 0:
 * as pk_format_number, the default). */
PK_API void pk_template_round(struct pk_template *t, int decimals);

/* ------------------------------------------------------------------ */
/* Reward-conditioned relabeling (relabel.c) - the operation of        */
/* pref-relabel (SPEC 3.1)                                             */
/* ------------------------------------------------------------------ */
/*
 * Each pair (x, y_w, y_l, r_w, r_l) becomes two pairs: one conditioned on
 * the goal r_w that keeps the order, and one conditioned on r_l with
 * chosen and rejected (and every paired field) swapped.  The condition
 * text goes into a system message, before the prompt, or into a field of
 * its own; "goal_score" ("goal_scores" with attributes) is set.  Only the
 * members that change are rebuilt.
 *
 *	pk_relabel_opts_init(&o);  ... set o ...
 *	r = pk_relabel_new(&o, &err);                  NULL: err says why
 *	for each scanned pair rec:
 *		rc = pk_relabel_record(r, &rec, &sink, &err);
 *		PK_OK: 0 to 3 records went to sink (--keep-original, pair 1,
 *		       pair 2); PK_BAD_RECORD: nothing went, err says why;
 *		a record with a string prompt under PK_PLACE_SYSTEM is
 *		PK_FATAL with err->kind PK_ERR_USAGE; else stop.
 *	pk_relabel_counts(r); pk_relabel_free(r);
 */
#define PK_RELABEL_MAX_ATTRIBUTES 64

enum pk_relabel_placement {
	PK_PLACE_AUTO = 0,  /* system message for message lists, else prefix */
	PK_PLACE_SYSTEM,    /* a system message (message-list prompts only) */
	PK_PLACE_PREFIX,    /* before the prompt text (or first user message) */
	PK_PLACE_FIELD,     /* a member of its own: opts.field */
};
enum pk_relabel_ties {
	PK_TIES_KEEP = 0,   /* both pairs */
	PK_TIES_DROP,       /* nothing written (counted) */
	PK_TIES_FIRST,      /* pair 1 only */
};

struct pk_relabel_opts {
	/* field names (dotted paths allowed); defaults as SPEC 1.2 */
	const char *prompt_field, *chosen_field, *rejected_field;
	const char *score_chosen_field, *score_rejected_field;
	/* template text (NULL: PK_TEMPLATE_DEFAULT, or
	 * PK_TEMPLATE_DEFAULT_ATTRIBUTES with attributes) */
	const char *template_text;
	size_t template_len;
	double min, max;                   /* the scale, default 1:10 */
	enum pk_relabel_placement placement;
	const char *field;                 /* PK_PLACE_FIELD: its name */
	enum pk_relabel_ties ties;
	int keep_original;                 /* also write the input pair */
	/* multi-attribute goals from the score objects (default names
	 * scores_chosen / scores_rejected) */
	const char *const *attributes;
	size_t nattributes;
	int round;                         /* decimals of goals, -1 = none */
};

struct pk_relabel_counts {
	unsigned long long relabeled, ties, dropped_ties;
};

struct pk_relabel;

PK_API void pk_relabel_opts_init(struct pk_relabel_opts *o);
/* NULL with err: PK_ERR_USAGE for a bad template (pk_template_new) or
 * options, PK_ERR_NOMEM. */
PK_API struct pk_relabel *pk_relabel_new(const struct pk_relabel_opts *o,
					 struct pk_error *err);
PK_API int pk_relabel_record(struct pk_relabel *r, const struct pk_record *rec,
			     const struct pk_sink *out, struct pk_error *err);
/* Append the condition text for a goal to out (for inference): goal is
 * a score ("8.5"; with attributes, every attribute's), or with attributes
 * "A=S,B=S" naming each one.  PK_FATAL with PK_ERR_USAGE for a goal that
 * does not parse or lies outside the scale. */
PK_API int pk_relabel_goal_text(struct pk_relabel *r, const char *goal,
				struct pk_buf *out, struct pk_error *err);
PK_API const struct pk_relabel_counts *pk_relabel_counts(const struct pk_relabel *r);
/* The same as --stats names them: counter i (i = 0, 1, ... until NULL):
 * "relabeled", "ties", "dropped_ties", and its value. */
PK_API const char *pk_relabel_counter(const struct pk_relabel *r, size_t i,
				      unsigned long long *value);
PK_API void pk_relabel_free(struct pk_relabel *r);

/* ------------------------------------------------------------------ */
/* Factuality-aware flipping (flip.c) - the operation of pref-flip     */
/* (SPEC 3.5, F-DPO)                                                   */
/* ------------------------------------------------------------------ */
/*
 * Each pair carries two labels, 1 when that response is hallucinated
 * (true/false read as 1/0; with opts.factual, 1 means factual).  A pair
 * (h_w, h_l) = (1, 0) has chosen and rejected swapped with every paired
 * field (pk_obj_swap_sides, the label fields too) and gets "flipped":
 * true; every other pair gets "flipped": false unless it has a "flipped"
 * member already.  Every pair gets "delta_h" = h_l - h_w after the flip,
 * and with has_lambda "margin" = lambda * delta_h.  With
 * PK_FLIP_BY_SCORE a pair whose chosen score is below its rejected score
 * is flipped instead (no labels, no delta_h).  drop_flipped drops the
 * pairs that would be flipped, drop_both the (1, 1) pairs (labels).
 *
 *	pk_flip_opts_init(&o);  ... set o ...
 *	f = pk_flip_new(&o, &err);                  NULL: err says why
 *	for each scanned pair rec:
 *		rc = pk_flip_record(f, &rec, &sink, &err);
 *		PK_OK: 0 or 1 record went to sink; PK_BAD_RECORD: nothing
 *		went, err says why ("missing label field 'h_w'"); else stop.
 *	pk_flip_counter(f, i, &v) for --stats; pk_flip_free(f);
 */
enum pk_flip_by {
	PK_FLIP_BY_LABELS = 0,  /* the hallucination labels */
	PK_FLIP_BY_SCORE,       /* score_chosen < score_rejected */
};

struct pk_flip_opts {
	/* field names (dotted paths allowed); NULL = the SPEC 1.2 names */
	const char *chosen_field, *rejected_field;
	const char *score_chosen_field, *score_rejected_field;
	const char *label_fields[2];  /* NULL = "h_w", "h_l" */
	enum pk_flip_by by;
	int factual;                  /* labels: 1 means factual */
	int has_lambda;               /* write "margin" = lambda * delta_h */
	double lambda;
	int drop_flipped;             /* drop instead of flipping */
	int drop_both;                /* drop (1, 1) pairs */
};

struct pk_flip_counts {
	unsigned long long h[2][2];   /* pairs by (h_w, h_l) as read */
	unsigned long long flipped, unchanged;
	unsigned long long dropped_flipped, dropped_both;
};

struct pk_flip;

PK_API void pk_flip_opts_init(struct pk_flip_opts *o);
/* NULL with err: PK_ERR_USAGE when the two label fields are the same
 * (labels), PK_ERR_NOMEM. */
PK_API struct pk_flip *pk_flip_new(const struct pk_flip_opts *o,
				   struct pk_error *err);
/* One pair.  PK_BAD_RECORD with err->text: "missing field 'chosen'",
 * "missing label field 'h_w'", "label field 'h_w' is 2, not 0 or 1",
 * "label field 'h_w' is not 0 or 1 (string)", or a score message of
 * pk_record_score (by score).  A negative status of the sink is returned
 * as it is. */
PK_API int pk_flip_record(struct pk_flip *f, const struct pk_record *rec,
			  const struct pk_sink *out, struct pk_error *err);
PK_API const struct pk_flip_counts *pk_flip_counts(const struct pk_flip *f);
/* Counter i (0, 1, ... until NULL): a static name and its value, in the
 * order --stats lists them: labels "h_00", "h_01", "h_10", "h_11",
 * "flipped", "unchanged", "dropped_flipped",
 * "dropped_both_hallucinated"; by score "flipped", "unchanged",
 * "dropped_flipped".  A pair counts as flipped or unchanged once the
 * sink took it. */
PK_API const char *pk_flip_counter(const struct pk_flip *f, size_t i,
				   unsigned long long *value);
PK_API void pk_flip_free(struct pk_flip *f);

/* ------------------------------------------------------------------ */
/* External sort in bounded memory (extsort.c)                         */
/* ------------------------------------------------------------------ */
/*
 * A stable sort of records of any size - opaque byte strings - within a
 * memory budget (SPEC 2 "Limits": --memory, --tmpdir).  Records are held
 * in memory up to opts.memory; beyond it, the records held are sorted
 * and spilled as a run to a temporary file in opts.tmpdir, zstd-compressed.
 * The file has no name from the moment it is created (O_TMPFILE, or
 * mkstemp() and unlink() at once), so nothing is ever left behind: not on
 * an error, SIGINT, SIGTERM, nor even SIGKILL.  At the end the runs are
 * merged by a heap; with more runs than the fan-in they are first merged
 * in passes.  Runs are merged while records are added, too, once they
 * reach the fan-in (the newest runs of one level into one), so that at
 * most fan_in temporary files are open at any time, however much data
 * comes.
 *
 * Order: opts.cmp when given; else bytewise (memcmp) over the first
 * opts.key_len bytes of each record (0 = the whole record; a record that
 * is a prefix of another comes first).  Put a sort key first in each
 * record, numbers as fixed-width big-endian bytes (pk_sort_put_u64,
 * pk_sort_double_key), and the payload after it.  Stable: records that
 * compare equal come out in the order they were added.
 *
 * Memory: every record held costs its length plus PK_SORT_ENTRY_OVERHEAD
 * bytes; the merge reads each run through one block (4 KiB to 128 KiB,
 * memory / 64) and keeps the fan-in within memory / 2 of blocks, but
 * not under 16 (unless opts.fan_in asks for fewer): a budget under
 * 128 KiB has up to 16 blocks of 4 KiB on top of it while merging.  A
 * single record larger than the budget is written out as a run of its
 * own.  About 1 MiB for the zstd contexts comes on top.
 *
 *	struct pk_sort_opts o = {.memory = 64 << 20, .tmpdir = dir};
 *	struct pk_sort *s = pk_sort_new(&o, &err);
 *	pk_sort_add(s, rec, n, &err);               for each record
 *	while ((rc = pk_sort_next(s, &rec, &n, &err)) == PK_OK)
 *		use rec[0..n): borrowed until the next call on s
 *	rc: PK_EOF at the end, or PK_FATAL with err set
 *	pk_sort_free(s);
 *
 * Errors: a failed write of a temporary file (a full disk: ENOSPC, a file
 * size limit: EFBIG) or read is PK_FATAL with kind PK_ERR_IO ("cannot
 * write a temporary file in /tmp: No space left on device"); out of
 * memory is PK_ERR_NOMEM.  Errors stick: every later call returns the
 * same status and error.  A sort never stops with records silently
 * missing.
 *
 * Merging inputs that are each sorted already (e.g. files written in
 * this order before): pk_sort_add_input() adds one as a callback; the
 * inputs go through the same merge as the runs, after the records added
 * with pk_sort_add (so equal records come first from those, then from
 * the inputs in the order they were added).  Only the inputs being
 * merged are read at a time: an input may open its file at its first
 * call and close it at its end, which keeps the open files within the
 * fan-in.  The sort does not check that an input is in order.
 */
#define PK_SORT_MEMORY_DEFAULT ((size_t)512 << 20)
#define PK_SORT_ENTRY_OVERHEAD 32

struct pk_sort;

struct pk_sort_opts {
	size_t memory;       /* bytes; 0 = PK_SORT_MEMORY_DEFAULT */
	const char *tmpdir;  /* NULL = $TMPDIR, else /tmp */
	size_t key_len;      /* memcmp over this prefix; 0 = whole record */
	/* Or a comparison of two records (< 0, 0, > 0); ctx is passed to it. */
	int (*cmp)(void *ctx, const void *a, size_t an, const void *b,
		   size_t bn);
	void *ctx;
	unsigned fan_in;     /* runs merged at once; 0 = 64 (fewer when the
			      * memory is small, but not under 16, or when a
			      * quarter of the open-file limit less 16 is
			      * fewer); at least 2 */
	int zstd_level;      /* of the runs; 0 = 1 */
	/* Nonzero: runs are written uncompressed (faster to write and read,
	 * but as large as the records) while the temporary directory has
	 * room: when a run begins, at least 1 GiB free and at least as much
	 * as all runs so far took; else that run is compressed. */
	int store;
};

struct pk_sort_stats {
	unsigned long long records;       /* added with pk_sort_add */
	unsigned long long runs;          /* runs spilled while adding */
	unsigned long long merge_passes;  /* merges before the last one */
	unsigned long long bytes_spilled; /* raw bytes written to runs */
	unsigned long long bytes_written; /* compressed bytes written */
};

/* NULL with err set when out of memory.  The temporary directory is not
 * checked until the first run is spilled. */
PK_API struct pk_sort *pk_sort_new(const struct pk_sort_opts *opts,
			    struct pk_error *err);
/* Copy one record into the sort (may spill a run). */
PK_API int pk_sort_add(struct pk_sort *s, const void *rec, size_t n,
		struct pk_error *err);
/* Add an input that is sorted already.  next(ctx, &rec, &n, err) returns
 * PK_OK with its next record (borrowed until its next call), PK_EOF at
 * its end, or a negative status with err set, which the sort passes on
 * as it is (so an input may stop the merge with PK_BAD_RECORD). */
PK_API int pk_sort_add_input(struct pk_sort *s,
		      int (*next)(void *ctx, const void **rec, size_t *n,
				  struct pk_error *err),
		      void *ctx, struct pk_error *err);
/* Add records that are in order already (as s orders them; not checked)
 * as a run of their own, written straight to a temporary file without
 * being held in memory: next() as for pk_sort_add_input, read to its end
 * during the call.  Among equal records, those added before come first,
 * then these, then those added after. */
PK_API int pk_sort_add_run(struct pk_sort *s,
		    int (*next)(void *ctx, const void **rec, size_t *n,
				struct pk_error *err),
		    void *ctx, struct pk_error *err);
/* The next record in order.  The first call ends adding.  PK_OK with
 * *rec, *n; PK_EOF at the end (and at every call after it). */
PK_API int pk_sort_next(struct pk_sort *s, const void **rec, size_t *n,
		 struct pk_error *err);
/* Start reading from the first record again (after pk_sort_next; not
 * with inputs, which cannot be read twice): for a caller that needs
 * several passes over the sorted records.  Runs are read again, not
 * written again. */
PK_API int pk_sort_rewind(struct pk_sort *s, struct pk_error *err);
PK_API void pk_sort_get_stats(const struct pk_sort *s, struct pk_sort_stats *st);
/* Compare two records as s orders them (< 0, 0, > 0; equal ones keep
 * their order): e.g. to check that an input is sorted. */
PK_API int pk_sort_compare(const struct pk_sort *s, const void *a, size_t an,
			   const void *b, size_t bn);
PK_API void pk_sort_free(struct pk_sort *s);

/* Keys: big-endian bytes, so that memcmp orders them as numbers. */
PK_API void pk_sort_put_u32(void *p, uint32_t v);
PK_API void pk_sort_put_u64(void *p, uint64_t v);
PK_API uint32_t pk_sort_get_u32(const void *p);
PK_API uint64_t pk_sort_get_u64(const void *p);
/* A double as a key that orders like the number (-0.0 as 0.0; NaN above
 * +inf, or below -inf when its sign bit is set); ~key orders descending.
 * pk_sort_key_double() gives the double back. */
PK_API uint64_t pk_sort_double_key(double x);
PK_API double pk_sort_key_double(uint64_t k);

/* ------------------------------------------------------------------ */
/* Splits and shards (split.c) - SPEC 3.9, pref-split                  */
/* ------------------------------------------------------------------ */
/*
 * The part of a record depends only on its group key and the seed:
 *   u = XXH3-64 (seed = opts.seed) of the canonical text (pk_canonical)
 *       of the key: the prompt (opts.prompt_field), or when the record
 *       has none, the implicit prompt (pk_implicit_prompt) of a
 *       conversation in opts.chosen_field; or the field opts.by.
 *       With seed 0 and the prompt, u is the group id (SPEC 1.4).
 *   test split (shards == 0): part 1 (test) when u < test * 2^64 (exact),
 *       else part 0 (train); raising the fraction only moves records
 *       from train to test.
 *   shards: part floor(pk_split_mix(u) * shards / 2^64).
 */
struct pk_split_opts {
	double test;              /* test fraction, 0..1 (shards == 0) */
	unsigned long shards;     /* number of shards, or 0 */
	uint64_t seed;
	const char *by;           /* key field (dotted path), NULL = prompt */
	const char *prompt_field; /* NULL = "prompt" */
	const char *chosen_field; /* NULL = "chosen" */
};
struct pk_splitter;
/* NULL with err (PK_ERR_USAGE) for a fraction outside 0..1. */
PK_API struct pk_splitter *pk_splitter_new(const struct pk_split_opts *o,
				    struct pk_error *err);
PK_API void pk_splitter_free(struct pk_splitter *s);
/* The part of a scanned record: PK_OK and *part (0 train, 1 test; or the
 * shard), or PK_BAD_RECORD ("missing field 'NAME'", "no \"prompt\" (and
 * ...)") or PK_FATAL (out of memory). */
PK_API int pk_split_record(struct pk_splitter *s, const struct pk_record *rec,
		    size_t *part, struct pk_error *err);
/* The two steps of pk_split_record: the key hash u, and its part. */
PK_API int pk_split_key(struct pk_splitter *s, const struct pk_record *rec,
		 uint64_t *u, struct pk_error *err);
PK_API size_t pk_split_part_of(const struct pk_splitter *s, uint64_t u);
/* The SplitMix64 finalizer: z ^= z >> 30; z *= 0xbf58476d1ce4e5b9;
 * z ^= z >> 27; z *= 0x94d049bb133111eb; z ^= z >> 31. */
PK_API uint64_t pk_split_mix(uint64_t u);

/* ------------------------------------------------------------------ */
/* Key sets (keyset.c) - pref-dedup, pref-check's duplicate rule,      */
/* pref-stats' duplicate rate                                          */
/* ------------------------------------------------------------------ */
/*
 * Which 16-byte keys (XXH3-128 hashes: pk_hash128, pk_dedup_key) were
 * seen before, in bounded memory.  Each key comes with a tag that the
 * caller chooses - a record number, or (file << 40 | line) - and tags must
 * not decrease from one call to the next (equal tags: records of one
 * place; pk_keyset_resolve needs increasing ones); a key's "first" is the
 * tag it came with first.
 *
 * While the keys fit in opts.memory (16 bytes a key, 24 with want_first,
 * in a hash table at most 3/4 full), pk_keyset_add() answers each one at
 * once: PK_KEY_NEW, or PK_KEY_DUP with *first (the first tag when
 * want_first, else 0).  Beyond the budget, the table is written out
 * sorted to a temporary file in opts.tmpdir and starts again; from then
 * on a key that is new to the current table is answered PK_KEY_LATER:
 * only the merge of every table, in pk_keyset_finish(), tells.  (A key
 * found in the current table is still answered PK_KEY_DUP at once, unless
 * want_first: its first tag may lie in an earlier table.)  After
 * pk_keyset_finish(), the later answers come in tag order, from either
 *  - pk_keyset_resolve(ks, tag, &first): for each PK_KEY_LATER tag in
 *    increasing order (others may be skipped): PK_KEY_NEW or PK_KEY_DUP;
 *  - pk_keyset_next_dup(ks, &tag, &first): every later tag that is a
 *    duplicate, in increasing order: PK_OK, then PK_EOF.
 * So any amount of data gets the same answers as an unbounded memory:
 * only their time differs.  Typical use:
 *
 *	ks = pk_keyset_new(&(struct pk_keyset_opts){.memory = m}, &err);
 *	for each record i: rc = pk_keyset_add(ks, key, i, &first, &err);
 *	    PK_KEY_NEW: keep it; PK_KEY_DUP: a duplicate (of first);
 *	    PK_KEY_LATER: set it aside (with i)
 *	pk_keyset_finish(ks, &err);
 *	for each record i set aside, in order:
 *	    rc = pk_keyset_resolve(ks, i, &first, &err);
 *
 * Memory: the table takes the whole budget until it is first written out,
 * then 3/4 of it, the sorts the rest.  Failures (PK_FATAL: out of memory,
 * a temporary file that cannot be written, tags out of order) stick.
 */
enum {
	PK_KEY_NEW = 0,    /* not seen before */
	PK_KEY_DUP = 1,    /* seen before */
	PK_KEY_LATER = 2,  /* known after pk_keyset_finish() */
};
struct pk_keyset_opts {
	size_t memory;       /* bytes; 0 = PK_SORT_MEMORY_DEFAULT */
	const char *tmpdir;  /* NULL = $TMPDIR, else /tmp */
	int want_first;      /* keep first tags (for a report of them) */
};
struct pk_keyset_stats {
	unsigned long long added;       /* keys added */
	unsigned long long duplicates;  /* answered, or resolved, dup */
	unsigned long long distinct;    /* added - duplicates (final only
					 * after pk_keyset_finish) */
	unsigned long long later;       /* answered PK_KEY_LATER */
	unsigned long long generations; /* tables written out */
	unsigned long long sort_runs;   /* runs of the merge's sort */
	unsigned long long bytes_written; /* to temporary files */
};
struct pk_keyset;
PK_API struct pk_keyset *pk_keyset_new(const struct pk_keyset_opts *o,
				       struct pk_error *err);
/* PK_KEY_NEW, PK_KEY_DUP or PK_KEY_LATER; PK_FATAL on a failure.  first
 * may be NULL. */
PK_API int pk_keyset_add(struct pk_keyset *ks, const unsigned char key[16],
			 uint64_t tag, uint64_t *first, struct pk_error *err);
/* End adding and decide the later keys.  PK_OK or PK_FATAL. */
PK_API int pk_keyset_finish(struct pk_keyset *ks, struct pk_error *err);
PK_API int pk_keyset_resolve(struct pk_keyset *ks, uint64_t tag,
			     uint64_t *first, struct pk_error *err);
PK_API int pk_keyset_next_dup(struct pk_keyset *ks, uint64_t *tag,
			      uint64_t *first, struct pk_error *err);
PK_API void pk_keyset_get_stats(const struct pk_keyset *ks,
				struct pk_keyset_stats *st);
PK_API void pk_keyset_free(struct pk_keyset *ks);

/* ------------------------------------------------------------------ */
/* Dedup keys and pref-dedup (dedup.c) - SPEC 3.9                      */
/* ------------------------------------------------------------------ */
/*
 * A record's dedup key: XXH3-128 (pk_hash128) of the canonical text
 * (pk_canonical, every string normalized by opts.norm) of its key fields
 * - the value itself for one field, the JSON array of the values for
 * several.  opts.key is a comma-separated list of items: "pair" (=
 * prompt,chosen,rejected: pref-check's duplicate rule), "prompt",
 * "chosen", "rejected" (the fields named by the *_field options), or any
 * other field name or dotted path.  A missing prompt is the implicit
 * prompt of a conversation in chosen (SPEC 1.2); any other missing field
 * makes the record bad ("missing field 'NAME'").
 */
struct pk_dupkey_opts {
	const char *key;            /* NULL = "pair" */
	unsigned norm;              /* PK_NORM_* */
	const char *prompt_field;   /* NULL = "prompt" */
	const char *chosen_field;   /* NULL = "chosen" */
	const char *rejected_field; /* NULL = "rejected" */
};
struct pk_dupkey;
/* NULL with err: PK_ERR_USAGE for an empty item ("a,,b"), or no memory. */
PK_API struct pk_dupkey *pk_dupkey_new(const struct pk_dupkey_opts *o,
				       struct pk_error *err);
PK_API void pk_dupkey_free(struct pk_dupkey *k);
/* The key of a scanned record: PK_OK, PK_BAD_RECORD or PK_FATAL. */
PK_API int pk_dupkey_hash(struct pk_dupkey *k, const struct pk_record *rec,
			  unsigned char key[16], struct pk_error *err);
/* The text that is hashed (borrowed until the next call on k). */
PK_API int pk_dupkey_text(struct pk_dupkey *k, const struct pk_record *rec,
			  const char **text, size_t *len,
			  struct pk_error *err);
/* The record keyed, as one output record to out (for pk_dedup_keyed(), on
 * another thread): its key (16 bytes), then its compact JSON when the
 * record has white space to remove - without it, the record's text as it
 * stands is its compact JSON.  PK_OK, a failure of pk_dupkey_hash(), or
 * out's. */
PK_API int pk_dupkey_emit(struct pk_dupkey *k, const struct pk_record *rec,
			  const struct pk_sink *out, struct pk_error *err);

/*
 * pref-dedup: keep the first record of each key, in input order, in
 * bounded memory (pk_keyset with 3/4 of opts.memory; records it cannot
 * decide at once are put aside, compacted, in a spool with the other
 * quarter that spills zstd-compressed to opts.tmpdir).  Per record:
 * pk_dedup_record() says PK_DEDUP_KEEP (write it now, compacted),
 * PK_DEDUP_DROP (a duplicate) or PK_DEDUP_HELD (put aside); at the end
 * pk_dedup_finish() writes the records put aside that are first of their
 * key, in order, to sink.  The output is the same, byte for byte, for
 * any memory budget.
 */
enum {
	PK_DEDUP_KEEP = 0,
	PK_DEDUP_DROP = 1,
	PK_DEDUP_HELD = 2,
};
struct pk_dedup_opts {
	struct pk_dupkey_opts key;
	size_t memory;             /* 0 = PK_SORT_MEMORY_DEFAULT */
	const char *tmpdir;        /* NULL = $TMPDIR, else /tmp */
};
struct pk_dedup_stats {
	unsigned long long kept;      /* written (at once or at the end) */
	unsigned long long dropped;   /* duplicates */
	unsigned long long held;      /* put aside (some kept, some dropped) */
	unsigned long long key_tables_spilled; /* key tables written out */
};
struct pk_dedup;
PK_API struct pk_dedup *pk_dedup_new(const struct pk_dedup_opts *o,
				     struct pk_error *err);
/* PK_DEDUP_KEEP, PK_DEDUP_DROP, PK_DEDUP_HELD; PK_BAD_RECORD (no key:
 * the record is neither kept nor counted) or PK_FATAL. */
PK_API int pk_dedup_record(struct pk_dedup *d, const struct pk_record *rec,
			   struct pk_error *err);
/* The same for a record of key (pk_dupkey_emit()'s) whose compact JSON
 * is json[0..len): with a pk_dupkey on each thread, the keys are found on
 * many threads, and the records go to pk_dedup_keyed() in input order,
 * which decides as pk_dedup_record() would (and puts json aside when
 * held). */
PK_API int pk_dedup_keyed(struct pk_dedup *d, const unsigned char key[16],
			  const char *json, size_t len, struct pk_error *err);
/* Write the records put aside that are kept: sink->emit's failure is
 * returned as it is. */
PK_API int pk_dedup_finish(struct pk_dedup *d, const struct pk_sink *sink,
			   struct pk_error *err);
PK_API void pk_dedup_get_stats(const struct pk_dedup *d,
			       struct pk_dedup_stats *st);
PK_API void pk_dedup_free(struct pk_dedup *d);

/* ------------------------------------------------------------------ */
/* Curriculum orderings (curriculum.c) - SPEC 3.3, Curry-DPO            */
/* ------------------------------------------------------------------ */
/*
 * Pairs ordered easy to hard (Pattnaik et al. 2024, Curry-DPO): every
 * pair gets "gap" (score(chosen) - score(rejected); for lists ordered by
 * rank, rank(rejected) - rank(chosen)) and "stage" (1 = easiest), and the
 * pairs come out ordered by stage, within a stage by a seeded shuffle or
 * by gap.  Built on pk_sort, so it runs in bounded memory.
 *
 *	c = pk_curriculum_new(&opts, &err);
 *	for each input record:  pk_curriculum_feed(c, &rec, &err);
 *	   (lists from a format reader: pk_curriculum_feed_held() for each,
 *	    then pk_curriculum_settle(c, keep, &err) once per input record)
 *	or, to merge outputs:   pk_curriculum_merge_file(c, path, ...)
 *	while (pk_curriculum_next(c, &json, &n, &stage, &err) == PK_OK)
 *		write json[0..n) (borrowed until the next call)
 *	pk_curriculum_counter(c, i, &value) for --stats
 *	pk_curriculum_free(c);
 *
 * Stages (SPEC 3.3).  --stage-by rank: a pair of standings a < b (tie
 * groups, 0-based, G in the list) is in stage G - (b - a), so the widest
 * pair of every list is stage 1.  --stage-by gap: the pairs with gap > 0,
 * n of them, sorted by gap descending, are cut into K stages of n / K
 * (the first n mod K one more); a group of equal gaps goes wholly to the
 * stage its first pair is in, the cuts stay where they are (a stage may
 * be empty).  Pairs with gap <= 0 are dropped and counted, or with
 * keep_ties put in stage K (rank: lists never pair tied responses).
 *
 * Order within a stage: by gap descending, then input order (within gap);
 * or (shuffle, the default) by the XXH3-64 hash, seeded with seed, of the
 * pair as written with its stage taken as 0, then the pair's gap and text:
 * a seeded shuffle that depends only on the pairs themselves, so shards
 * ordered apart and merged (pk_curriculum_merge_file) give the same
 * output as one run, and pairs keep their relative order when data is
 * added.
 *
 * Members written ("gap", "stage") replace members of those names in
 * place.  A pair is held in the sort as a 24-byte key (stage, order, gap,
 * where its stage digit is) and its text, written with stage 0; the stage
 * is put in as it comes out (with gap stages it is known only then).
 */
struct pk_curriculum;

enum pk_curr_input { PK_CURR_AUTO = 0, PK_CURR_LISTS, PK_CURR_PAIRS };
enum pk_curr_stage_by {
	PK_CURR_STAGE_DEFAULT = 0, /* rank for lists, gap for pairs */
	PK_CURR_STAGE_RANK,
	PK_CURR_STAGE_GAP,
};
enum pk_curr_within { PK_CURR_SHUFFLE = 0, PK_CURR_WITHIN_GAP };
#define PK_CURR_STAGES_DEFAULT 3

struct pk_curriculum_opts {
	enum pk_curr_input input;   /* AUTO: lists when the first record has
				     * the responses field */
	enum pk_curr_stage_by stage_by;
	unsigned stages;            /* K of gap stages; 0 = 3 */
	enum pk_curr_within within;
	uint64_t seed;
	int keep_ties;
	struct pk_pairs_strategy pairs;        /* lists (best-vs-rest = 0) */
	const struct pk_rank_opts *rank;       /* lists; NULL = defaults */
	/* pairs: field names (dotted paths); NULL = the SPEC names.  A pair
	 * without scores but with rank_chosen / rank_rejected (as pref-expand
	 * writes for lists ordered by rank) uses those. */
	const char *chosen_field, *rejected_field;
	const char *score_chosen_field, *score_rejected_field;
	size_t memory;              /* of the sort; 0 = 512M */
	const char *tmpdir;         /* NULL = $TMPDIR or /tmp */
};

/* NULL with err set (PK_ERR_USAGE for options that do not go together:
 * stage_by rank with input pairs, stages of 0 or more than 2^31). */
PK_API struct pk_curriculum *pk_curriculum_new(const struct pk_curriculum_opts *o,
					struct pk_error *err);
/* One input record: a ranked list (its pairs are built with opts.pairs)
 * or a pair.  All or nothing: PK_BAD_RECORD (err says why) leaves nothing
 * of the record in the curriculum.  PK_FATAL: out of memory, a temporary
 * file could not be written (PK_ERR_IO), or with kind PK_ERR_USAGE the
 * input is pairs and stage_by is rank. */
PK_API int pk_curriculum_feed(struct pk_curriculum *c, const struct pk_record *rec,
		       struct pk_error *err);
/* A list read with ropts (e.g. made by a format reader), held until
 * pk_curriculum_settle(): for input records that give several lists. */
PK_API int pk_curriculum_feed_held(struct pk_curriculum *c,
			    const struct pk_record *rec,
			    const struct pk_rank_opts *ropts,
			    struct pk_error *err);
/* The same for a list given as its text (scanned first). */
PK_API int pk_curriculum_feed_held_text(struct pk_curriculum *c,
					const char *json, size_t len,
					const struct pk_rank_opts *ropts,
					struct pk_error *err);
/* keep: add what is held (and its counts); else drop it. */
PK_API int pk_curriculum_settle(struct pk_curriculum *c, int keep,
			 struct pk_error *err);
/* Building pairs on other threads (pref-curriculum -j N): a curriculum
 * made with the same opts, one per thread, never sorts; it writes each
 * input record's pairs, counts and status to out as a few output
 * records (emit only; binary, not JSON), taking each record's kind from
 * the first record it saw.  Those records, each followed by '\n' and put
 * together in the order written (as pk_cli_op's consume receives them),
 * handed in input order to pk_curriculum_add_built() of the curriculum
 * that sorts with the record's text (line), give what
 * pk_curriculum_feed() of the record gives: its status, err and pairs.
 * (When the builder took the input for the other kind - mixed input -
 * the record is scanned from line and fed again there.)  build returns
 * PK_OK (the record's own status goes to out), or a failure when out
 * fails (out of memory) or on misuse. */
PK_API int pk_curriculum_build(struct pk_curriculum *c,
			       const struct pk_record *rec,
			       const struct pk_sink *out, struct pk_error *err);
PK_API int pk_curriculum_add_built(struct pk_curriculum *c, const char *data,
				   size_t len, const char *line,
				   size_t line_len, struct pk_error *err);
/* Merge mode: add a file written by pref-curriculum with the same seed and
 * within (path "-" = standard input; opened at its turn in the merge).
 * Its records are not ordered again, but each one is checked: a record
 * without a whole "stage" >= 1 and a numeric "gap", or out of order, ends
 * the merge with PK_BAD_RECORD and err->text "FILE:LINE: message". */
PK_API int pk_curriculum_merge_file(struct pk_curriculum *c, const char *path,
			     size_t max_line, struct pk_error *err);
/* The next pair in curriculum order, as compact JSON (no newline),
 * borrowed until the next call, and its stage.  The first call ends the
 * input.  PK_OK, PK_EOF, or a negative status. */
PK_API int pk_curriculum_next(struct pk_curriculum *c, const char **json,
		       size_t *n, unsigned *stage, struct pk_error *err);
/* The same written to out (in its room when it offers some, without a
 * copy): PK_OK, PK_EOF, a negative status, or the sink's failure (PK_FATAL
 * with err untouched: the sink has reported it). */
PK_API int pk_curriculum_next_to(struct pk_curriculum *c,
				 const struct pk_sink *out, unsigned *stage,
				 struct pk_error *err);
/* The number of stages: K for gap stages, the largest stage for rank
 * stages and for a merge (after the first pk_curriculum_next; a merge
 * knows it at the end). */
PK_API unsigned pk_curriculum_stages(const struct pk_curriculum *c);
/* The input kind, once known (AUTO before the first record). */
PK_API enum pk_curr_input pk_curriculum_input(const struct pk_curriculum *c);
/* Counter i (0, 1, ... until NULL): a static name and its value:
 * "lists", "lists_too_small", "responses_dropped" (lists), "ties_dropped",
 * "misordered_dropped", "stages", "sort_runs", "sort_merge_passes",
 * "sort_bytes_spilled"; merge mode: "stages" and the sort's only. */
PK_API const char *pk_curriculum_counter(const struct pk_curriculum *c, size_t i,
				  unsigned long long *value);
/* Lines read and blank lines skipped by a merge, for the accounting. */
PK_API void pk_curriculum_merge_lines(const struct pk_curriculum *c,
			       unsigned long long *read,
			       unsigned long long *blank);
PK_API void pk_curriculum_free(struct pk_curriculum *c);

/* ------------------------------------------------------------------ */
/* What is in a dataset (stats.c, stats_report.c) - SPEC 3.8,          */
/* pref-stats                                                          */
/* ------------------------------------------------------------------ */
/*
 * One struct pk_stats describes one dataset: every record is fed once
 * (pk_stats_record, no jansson tree: only the scores and texts are
 * decoded), then pk_stats_finish() settles the figures, which the
 * report functions write as text, JSON or HTML.
 *
 *	s = pk_stats_new(&opts, &err);           NULL: err says why
 *	for each scanned record rec:  pk_stats_record(s, &rec, &err);
 *	(or on threads: pk_stats_measure() there, pk_stats_add() here)
 *	pk_stats_input(s, bad, blank);           lines the reader refused
 *	pk_stats_finish(s, &err);
 *	pk_stats_json(&s, 1, &out); pk_stats_free(s);
 *
 * What a record is: a pair when it has the chosen and rejected fields,
 * else a ranked list when it has the responses field (pk_rank_parse),
 * else "other" (counted, its fields and format still described).
 *  - Scores (pairs): score_chosen, score_rejected read as
 *    pk_record_score_field reads them; a pair with both is "scored", its
 *    gap is chosen - rejected, a tie when the gap is 0, misordered when
 *    below 0.  A score field present but not a number (or out of range)
 *    is counted in scores_invalid, not used.
 *  - Lists: the number of responses kept (list_size), every numeric
 *    or boolean (1/0) score (response_score), a tie when two responses have equal
 *    standing (pk_rank_list.ngroups < n).
 *  - Lengths of the prompt, chosen, rejected and list responses, in
 *    characters (Unicode code points of the decoded text) and tokens
 *    (pk_tokenize with PK_TOKEN_REGEX_DEFAULT).  The text of a response
 *    is SPEC 1.1's; of a message-list prompt, the content of all its
 *    messages; a pair without prompt whose chosen is a message list has
 *    the implicit prompt (SPEC 1.2): every message but the last, and the
 *    last message is the response.
 *  - Duplicates: records whose key equals an earlier record's; the key is
 *    XXH3-128 of the canonical JSON (pk_canonical) of [prompt, chosen,
 *    rejected] for a pair (null for an absent prompt), [prompt,
 *    responses] for a list, the record for any other.  The keys are
 *    counted with pk_sort in half of opts.memory (16 bytes plus
 *    PK_SORT_ENTRY_OVERHEAD per record, spilled beyond it).
 *
 * Distributions: count, min, max and mean (a long double sum) are
 * exact.  Quartiles are exact while the values held (8 bytes each, all
 * distributions together) fit in the other half of opts.memory:
 * q_i (i = 1, 2, 3) of the sorted values x[0..n) is linear
 * interpolation (Hyndman and Fan type 7, Python's
 * statistics.quantiles(method="inclusive")): j = floor(i (n - 1) / 4),
 * d = i (n - 1) - 4 j, q_i = (x[j] (4 - d) + x[j + 1] d) / 4.  When a
 * value would go beyond that budget, the distribution it belongs to
 * moves into a sketch: logarithmic buckets of ratio
 * gamma = (1 + a) / (1 - a) with a = PK_STATS_SKETCH_ACCURACY, so
 * that each order statistic is estimated within a relative error of a
 * (|estimate - x| <= a |x|; 0 exactly), and so each quartile within
 * a times the larger magnitude of the two values it interpolates.  The
 * sketch is at most a few hundred kilobytes whatever the data.
 *
 * Histograms: PK_STATS_BINS bins of equal width over [min, max]
 * (lo = min, width = (max - min) / PK_STATS_BINS, a value x in bin
 * floor((x - lo) / width), max in the last); when every value is an
 * integer and max - min < PK_STATS_BINS, one bin per integer (width 1);
 * one bin when min = max (width 0).  In a sketch, each bucket's count
 * goes to the bin of its estimate.
 */
#define PK_STATS_BINS 20
#define PK_STATS_SKETCH_ACCURACY 0.005

enum pk_stats_dist_id {
	PK_SD_SCORE_CHOSEN = 0, PK_SD_SCORE_REJECTED, PK_SD_GAP,
	PK_SD_RESPONSE_SCORE, PK_SD_LIST_SIZE,
	PK_SD_PROMPT_CHARS, PK_SD_CHOSEN_CHARS, PK_SD_REJECTED_CHARS,
	PK_SD_RESPONSE_CHARS,
	PK_SD_PROMPT_TOKENS, PK_SD_CHOSEN_TOKENS, PK_SD_REJECTED_TOKENS,
	PK_SD_RESPONSE_TOKENS,
	PK_SD_COUNT
};

/* A distribution, settled by pk_stats_finish().  With n = 0 the other
 * members are 0. */
struct pk_stats_dist {
	unsigned long long n;
	double min, q1, median, q3, max, mean;
	int exact;                /* quartiles exact (not from the sketch) */
	unsigned nbins;           /* 0 when n = 0 */
	double lo, width;         /* bin k: [lo + k width, lo + (k+1) width) */
	unsigned long long bins[PK_STATS_BINS];
};

struct pk_stats_opts {
	/* field names (dotted paths); NULL = the SPEC names */
	const char *prompt_field, *chosen_field, *rejected_field;
	const char *score_chosen_field, *score_rejected_field;
	const struct pk_rank_opts *rank;  /* lists; NULL = defaults */
	size_t memory;        /* 0 = 512M: half for quartiles, half keys */
	const char *tmpdir;   /* NULL = $TMPDIR or /tmp */
	const char *name;     /* the dataset's name in reports (copied) */
};

struct pk_stats;

/* NULL with err (PK_ERR_NOMEM). */
PK_API struct pk_stats *pk_stats_new(const struct pk_stats_opts *o,
				     struct pk_error *err);
/* Describe one record.  PK_OK, or PK_FATAL (out of memory, a temporary
 * file that cannot be written: err says which).  A record is never bad
 * for pref-stats: what it lacks is counted. */
PK_API int pk_stats_record(struct pk_stats *s, const struct pk_record *rec,
			   struct pk_error *err);
/* The same in two steps, for records measured on other threads: a meter
 * (one per thread, made with the same opts; memory, tmpdir and name are
 * not used) measures a record into out (appended: bytes for this
 * process only, never empty), and pk_stats_add() adds the measurements
 * of one record to s.  Measurements added in input order give the
 * figures pk_stats_record() gives, to the last bit.  Both return PK_OK,
 * or PK_FATAL with err (out of memory; a temporary file of the key set
 * that cannot be written); a record that fails to be measured leaves
 * nothing in out. */
struct pk_stats_meter;
PK_API struct pk_stats_meter *pk_stats_meter_new(const struct pk_stats_opts *o,
						 struct pk_error *err);
PK_API int pk_stats_measure(struct pk_stats_meter *m,
			    const struct pk_record *rec, struct pk_buf *out,
			    struct pk_error *err);
PK_API int pk_stats_add(struct pk_stats *s, const void *data, size_t len,
			struct pk_error *err);
PK_API void pk_stats_meter_free(struct pk_stats_meter *m);
/* Lines of the input that were not records: bad ones (skipped or
 * quarantined by the reader's caller) and blank ones. */
PK_API void pk_stats_input(struct pk_stats *s, unsigned long long bad,
			   unsigned long long blank);
/* Settle the figures (counts the duplicates, sorts the values).  After
 * it, only the accessors and reports below.  PK_OK or PK_FATAL. */
PK_API int pk_stats_finish(struct pk_stats *s, struct pk_error *err);
PK_API void pk_stats_free(struct pk_stats *s);

/* Settled figures.  Counter i (0, 1, ... until NULL): its name (static)
 * and value: "read" (records + bad), "records", "bad", "blank",
 * "pairs", "lists", "other", "scored_pairs", "ties", "misordered",
 * "scores_invalid", "lists_invalid", "list_ties", "texts_invalid",
 * "duplicates". */
PK_API const char *pk_stats_counter(const struct pk_stats *s, size_t i,
				    unsigned long long *value);
/* The value of a named counter (0 when unknown). */
PK_API unsigned long long pk_stats_get(const struct pk_stats *s,
				       const char *name);
PK_API const struct pk_stats_dist *pk_stats_dist(const struct pk_stats *s,
						 enum pk_stats_dist_id id);
/* "score_chosen", "score_rejected", "gap", "response_score",
 * "list_size", "prompt_chars", ... "response_tokens". */
PK_API const char *pk_stats_dist_name(enum pk_stats_dist_id id);
/* Detected formats (pk_format_detect; "unknown" for none), most records
 * first (then by name): i-th name and count, NULL after the last. */
PK_API const char *pk_stats_format(const struct pk_stats *s, size_t i,
				   unsigned long long *count);
/* Top-level fields in order of first appearance: i-th name (decoded),
 * how many records have it, and of which JSON type (counts indexed by
 * enum pk_type); NULL after the last.  At most PK_STATS_MAX_FIELDS
 * names; the members of further names are counted in
 * pk_stats_get(s, "fields_other"). */
#define PK_STATS_MAX_FIELDS 64
PK_API const char *pk_stats_field(const struct pk_stats *s, size_t i,
				  unsigned long long *count,
				  const unsigned long long **by_type);
PK_API const char *pk_stats_name(const struct pk_stats *s);

/* Reports of n settled datasets (1, or 2 = before and after, shown side
 * by side with their differences).
 * pk_stats_json: one JSON object and "\n": for one dataset its figures;
 * for two {"before": ..., "after": ..., "diff": {counter: after -
 * before}}.  Numbers as pk_format_number writes them; rates (ties /
 * scored_pairs, duplicates / records) are null when undefined.
 * pk_stats_text: the aligned text report; flags PK_STATS_ASCII draws the
 * histograms with ASCII characters instead of Unicode blocks.
 * pk_stats_html: one self-contained HTML page (inline SVG histograms, no
 * script, nothing external) with the figures of the text report. */
#define PK_STATS_ASCII 1u
PK_API int pk_stats_json(struct pk_stats *const *s, size_t n,
			 struct pk_buf *out);
PK_API int pk_stats_text(struct pk_stats *const *s, size_t n, unsigned flags,
			 struct pk_buf *out);
PK_API int pk_stats_html(struct pk_stats *const *s, size_t n,
			 struct pk_buf *out);
/* How the reports write a figure for people (text and HTML): an
 * integral value below 1e15 as an integer, anything else as printf
 * "%.6g".  Returns the length. */
PK_API int pk_stats_display(char out[PK_NUMBER_MAX], double x);

/* Adding up --stats files (pref-stats --sum, issue 14): every member of
 * each object must be a whole number >= 0; the members are added by name
 * (the largest is kept for "stages", which is not a count), in the order
 * they first appear. */
struct pk_statsum;
PK_API struct pk_statsum *pk_statsum_new(struct pk_error *err);
/* Add one --stats object (a scanned record).  PK_BAD_RECORD with err for
 * a member that is not a whole number >= 0 or a sum beyond 2^64 - 1. */
PK_API int pk_statsum_add(struct pk_statsum *t, const struct pk_record *rec,
			  struct pk_error *err);
/* The sum as one compact JSON object (no newline) appended to out. */
PK_API int pk_statsum_write(const struct pk_statsum *t, struct pk_buf *out);
PK_API void pk_statsum_free(struct pk_statsum *t);
/* Validation (check.c) - the operation of pref-check (SPEC 3.7)        */
/* ------------------------------------------------------------------ */
/*
 * Every input line is checked against the rules below; a violation is
 * reported as "FILE:LINE: RULE: message" through opts.emit (at most
 * opts.limit per rule; all are counted), and the summary and the JSON
 * report are built at the end.  A checker never stops at a bad record:
 * a line that is not a JSON object is a violation of rule "json".
 *
 *	pk_check_opts_init(&o);  ... set o, pk_check_set_rule() ...
 *	ck = pk_check_new(&o, &err);              NULL: err says why
 *	pk_check_against(ck, path, &err);         --against files, first
 *	for each input file:  pk_check_begin_file(ck, name, &err);
 *	    for each line:    pk_check_line(ck, lineno, text, len, &err);
 *	    a line the reader rejected: pk_check_report(ck, lineno,
 *	                      PK_CHECK_JSON, message, &err);
 *	pk_check_finish(ck, &err);                duplicates spilled to disk
 *	pk_check_summary(ck, &buf); pk_check_json(ck, &buf);
 *	pk_check_failed(ck) -> exit status 1; pk_check_free(ck);
 *
 * Records are pairs (SPEC 1.2), or ranked lists (SPEC 1.3) when they
 * have the responses field, or with opts.from the records a format
 * reader makes of each input record (SPEC 1.5).  Only the values a rule
 * reads are decoded.  Cost per record: one scan, the decoded texts of
 * prompt and responses (for empty, identical, deny, length and leak),
 * and for duplicate the canonical text of the key (pk_canonical) hashed
 * with XXH3-128 and looked up in a table of 24 bytes per distinct record
 * (a 16-byte key and where it was first seen), which grows up to
 * memory / 2 (at most 3/4 full); beyond it every new key goes through
 * pk_sort (key_len 16, memory / 2) and the duplicates among those are
 * found and reported at pk_check_finish(), in input order.
 */
enum pk_check_rule {
	PK_CHECK_JSON = 0,   /* parses, is an object */
	PK_CHECK_SCHEMA,     /* fields and types, message roles */
	PK_CHECK_EMPTY,      /* empty or white-space-only prompt or response */
	PK_CHECK_IDENTICAL,  /* chosen = rejected (after trimming) */
	PK_CHECK_MISORDERED, /* score_chosen < score_rejected */
	PK_CHECK_TIE,        /* score_chosen = score_rejected */
	PK_CHECK_RANGE,      /* a score outside the scale */
	PK_CHECK_DUPLICATE,  /* the same record again */
	PK_CHECK_LEAK,       /* prompt also in an --against file */
	PK_CHECK_DENY,       /* a response matches a deny pattern */
	PK_CHECK_LENGTH,     /* a text longer than max_chars characters */
	PK_CHECK_NRULES
};

enum pk_check_level {
	PK_LEVEL_DEFAULT = 0, /* error (tie: warn); off for range, leak,
			       * deny and length without their option */
	PK_LEVEL_OFF,
	PK_LEVEL_WARN,
	PK_LEVEL_ERROR,
};

struct pk_check_opts {
	enum pk_check_level level[PK_CHECK_NRULES];
	/* pairs: field names, dotted paths allowed (NULL = SPEC 1.2) */
	const char *prompt_field, *chosen_field, *rejected_field;
	const char *score_chosen_field, *score_rejected_field;
	/* lists: where they keep their parts (pk_rank_opts_init) */
	struct pk_rank_opts rank;
	/* the format reader of --from (borrowed), or NULL */
	struct pk_format_reader *from;
	/* range: scores within [scale_min, scale_max] */
	int scale_set;
	double scale_min, scale_max;
	/* deny: PCRE2 patterns matched against every response text */
	const char *const *deny;
	size_t ndeny;
	/* length: most characters of a prompt or response (0 = no rule) */
	unsigned long long max_chars;
	/* leak: runs of this many words also count (0 = exact prompts only);
	 * the field read from --against files (NULL = prompt_field) */
	unsigned leak_ngram;
	const char *against_field;
	size_t max_line;        /* of --against files; 0 = no bound */
	/* duplicate: memory for the keys (0 = 512M) and where to spill */
	size_t memory;
	const char *tmpdir;
	/* reporting */
	unsigned long long limit;          /* listed per rule, 0 = all (10) */
	unsigned long long max_violations; /* errors tolerated */
	int quiet;   /* warnings are counted but not listed */
	int json;    /* keep the listed violations for pk_check_json() */
	/* gets each listed violation line (no newline); may be NULL */
	int (*emit)(void *ctx, const char *line, size_t len);
	void *ctx;
};

struct pk_check;

PK_API void pk_check_opts_init(struct pk_check_opts *o);
/* The rule's name ("json", ... "length"), or NULL. */
PK_API const char *pk_check_rule_name(enum pk_check_rule r);
/* "error", "warn" or "off" */
PK_API const char *pk_check_level_name(enum pk_check_level l);
/* Apply "NAME=error|warn|off" to o.  PK_OK, or PK_BAD_RECORD with err
 * (PK_ERR_USAGE) naming what is wrong. */
PK_API int pk_check_set_rule(struct pk_check_opts *o, const char *spec,
			     struct pk_error *err);

/* NULL with err: PK_ERR_USAGE for a deny pattern that does not compile
 * ("--deny-regex 'P': pattern offset N: message") or a rule set to
 * error or warn without its option; PK_ERR_NOMEM. */
PK_API struct pk_check *pk_check_new(const struct pk_check_opts *o,
				     struct pk_error *err);
/* Read the prompts of an --against file (opts.against_field; a pair
 * without it gives its implicit prompt) into memory: 24 bytes per
 * prompt, and per word run with leak_ngram.  PK_FATAL with err: kind
 * PK_ERR_IO (cannot read) or PK_ERR_DATA ("FILE:LINE: message"). */
PK_API int pk_check_against(struct pk_check *ck, const char *path,
			    struct pk_error *err);
/* Start the next input file (name as reports show it). */
PK_API int pk_check_begin_file(struct pk_check *ck, const char *name,
			       struct pk_error *err);
/* Check one input line (its text without line end).  PK_OK whatever the
 * record holds (violations are counted and listed), or a negative status
 * when out of memory, a spill failed, or emit failed (its status). */
PK_API int pk_check_line(struct pk_check *ck, unsigned long long lineno,
			 const char *text, size_t len, struct pk_error *err);
/* Count a violation found by the caller (a line too long: rule json). */
PK_API int pk_check_report(struct pk_check *ck, unsigned long long lineno,
			   enum pk_check_rule rule, const char *message,
			   struct pk_error *err);
/* End of input: flush the format reader, report spilled duplicates. */
PK_API int pk_check_finish(struct pk_check *ck, struct pk_error *err);
/* The level a rule runs at (PK_LEVEL_OFF when it does not run). */
PK_API enum pk_check_level pk_check_level(const struct pk_check *ck,
					  enum pk_check_rule rule);
/* Violations of a rule counted so far, and how many were listed. */
PK_API unsigned long long pk_check_count(const struct pk_check *ck,
					 enum pk_check_rule rule,
					 unsigned long long *listed);
/* Records checked, error-level and warn-level violations. */
PK_API void pk_check_totals(const struct pk_check *ck,
			    unsigned long long *records,
			    unsigned long long *errors,
			    unsigned long long *warnings);
/* 1 when the errors exceed max_violations (exit status 1). */
PK_API int pk_check_failed(const struct pk_check *ck);
/* Append the summary table (lines ending in "\n"); nothing when no
 * violation was counted (or, quiet, no error). */
PK_API int pk_check_summary(const struct pk_check *ck, struct pk_buf *out);
/* Append the JSON report (one line, no newline; schema in pref-check(1)). */
PK_API int pk_check_json(const struct pk_check *ck, struct pk_buf *out);
PK_API void pk_check_free(struct pk_check *ck);

/*
 * Checking on several threads (pref-check -j): the rules of a record
 * need that record alone, so workers check the lines, and the checker
 * they came from counts and lists what they found, in input order:
 *
 *	w = pk_check_worker(ck, from, &err);   one per thread, after
 *	                                       pk_check_against()
 *	on the worker's thread, for a line:
 *	    pk_check_line(w, lineno, text, len, &err);
 *	    pk_check_events(w, &ev, &n);       copy them: valid until the
 *	                                       next call on w
 *	in input order, on one thread (with pk_check_begin_file() and
 *	pk_check_report() as before):
 *	    pk_check_replay(ck, ev, n, &err);
 *	at the end, on that thread: pk_check_finish(w, &err) when w's
 *	format reader groups records (its last records, counted in ck at
 *	once), then pk_check_finish(ck, &err) as before.
 *
 * A worker counts and lists nothing itself: its pk_check_line() leaves
 * the line, the violations and the duplicate keys (hashed, not looked
 * up) as events, and pk_check_replay() does with them what
 * pk_check_line() on ck would have done: the output, counts and reports
 * are the same.  A worker reads ck's --against tables (ck must not
 * change while workers run) and has its own compiled patterns and format
 * reader `from` (the format and options of --from, taken over: freed
 * with the worker, or at once when it fails; NULL without --from).
 * PK_ERR_USAGE for events that are not a worker's. */
PK_API struct pk_check *pk_check_worker(struct pk_check *ck,
					struct pk_format_reader *from,
					struct pk_error *err);
PK_API void pk_check_events(const struct pk_check *w, const void **events,
			    size_t *len);
PK_API int pk_check_replay(struct pk_check *ck, const void *events,
			   size_t len, struct pk_error *err);

/* ------------------------------------------------------------------ */
/* Tensors from side files: .npy and safetensors (tensor.c)            */
/* ------------------------------------------------------------------ */
/*
 * A side file is memory-mapped and its header checked once; rows are then
 * read as doubles (f16 and bf16 exactly, f32 and f64 as they are).
 *
 *	f = pk_tensor_open_npy(path, &err);          or _safetensors
 *	pk_tensor_get(f, NULL, &t, &err);            npy: its one array
 *	pk_tensor_get(f, "chosen", &t, &err);        safetensors: by name
 *	pk_tensor_row(&t, i, row);                   row: t.cols doubles
 *	pk_tensor_int(&t, i, &v);                    1-D integer arrays
 *	pk_tensor_close(f);
 *
 * Accepted: .npy versions 1.0, 2.0 and 3.0, descr '<f2', '<f4', '<f8'
 * (and '<i4', '<i8' for length arrays; '|' and '=' byte orders are taken
 * as little-endian for one-byte and native types on this little-endian
 * build), fortran_order False, a shape of one or two dimensions.
 * safetensors: an 8-byte little-endian header length, a JSON header of at
 * most PK_SAFETENSORS_HEADER_MAX bytes, tensors of dtype F16, BF16, F32,
 * F64, I32 or I64 whose data_offsets match their shape.
 * Errors (PK_FATAL, kind PK_ERR_USAGE for what is wrong with the file,
 * PK_ERR_IO for a failed open or read; text names the problem: "not a
 * .npy file (bad magic)", "object arrays are not supported",
 * "Fortran-order arrays are not supported", "big-endian data is not
 * supported (descr '>f4')", "truncated: the header says 96 bytes of data,
 * the file has 64", "header of 70000 bytes is over the limit of 65536").
 */
#define PK_NPY_HEADER_MAX 65536
#define PK_SAFETENSORS_HEADER_MAX ((size_t)100 << 20)

enum pk_dtype {
	PK_DT_F16 = 1, PK_DT_BF16, PK_DT_F32, PK_DT_F64, PK_DT_I32, PK_DT_I64,
};
struct pk_tensor_file;
/* One array of a side file: rows x cols (cols = 1 for a 1-D array, ndim
 * says which), data borrowed from the mapping of its file. */
struct pk_tensor {
	enum pk_dtype dtype;
	int ndim;               /* 1 or 2 */
	size_t rows, cols;
	const unsigned char *data;
	const char *name;       /* "" for .npy; borrowed from the file */
};
PK_API struct pk_tensor_file *pk_tensor_open_npy(const char *path,
						 struct pk_error *err);
PK_API struct pk_tensor_file *pk_tensor_open_safetensors(const char *path,
							 struct pk_error *err);
/* Find a tensor: name NULL for a .npy file.  PK_OK; PK_EOF when a
 * safetensors file has no tensor of that name; PK_FATAL (PK_ERR_USAGE)
 * for a tensor of more than two dimensions. */
PK_API int pk_tensor_get(const struct pk_tensor_file *f, const char *name,
			 struct pk_tensor *t, struct pk_error *err);
/* The path the file was opened from. */
PK_API const char *pk_tensor_path(const struct pk_tensor_file *f);
/* Row i (< t->rows) of a floating-point tensor as t->cols doubles. */
PK_API void pk_tensor_row(const struct pk_tensor *t, size_t i, double *out);
/* Element i of an integer tensor (I32/I64) of one dimension; a float one
 * is accepted when the value is whole.  PK_OK, or PK_BAD_RECORD. */
PK_API int pk_tensor_int(const struct pk_tensor *t, size_t i, long long *v);
/* "F16", "BF16", ... */
PK_API const char *pk_dtype_name(enum pk_dtype d);
/* IEEE half and bfloat16 bit patterns as doubles (exact). */
PK_API double pk_half_to_double(uint16_t h);
PK_API double pk_bf16_to_double(uint16_t h);
PK_API void pk_tensor_close(struct pk_tensor_file *f);

/* ------------------------------------------------------------------ */
/* CHES similarity (ches.c) - SPEC 3.4, pref-ches                       */
/* ------------------------------------------------------------------ */
/*
 * Razin et al. 2024, "Unintentional Unalignment": for summed response
 * embeddings S+ (chosen), S- (rejected) and lengths L+, L- (tokens)
 *	ches    = <S+, S-> - |S+|^2
 *	ln_ches = <S+/L+, S-/L-> - |S+/L+|^2
 *	edit_sim = - Levenshtein(tokens+, tokens-) / max(L+, L-)
 * Higher is more similar.
 *
 * Arithmetic.  Lexical (sparse) scores are exact: counts and dot products
 * in 64-bit integers, ches written as that integer, ln_ches as the one
 * fraction (L+ <S+,S-> - L- |S+|^2) / (L+^2 L-) in 128-bit integers,
 * reduced, then divided once (correctly rounded while numerator and
 * denominator stay below 2^53).  edit_sim is one division of integers.
 * Dense scores (inline, npy, safetensors) sum the products of the
 * doubles in long double and round once at the end, so the same vectors
 * give the same bits whatever file they came from.
 *
 *	pk_ches_opts_init(&o);  ... set o ...
 *	c = pk_ches_new(&o, &err);              NULL: err says why
 *	for each scanned pair rec, index = its 0-based input position:
 *		rc = pk_ches_record(c, &rec, index, &s, &err);
 *		PK_OK: s holds the scores; PK_BAD_RECORD: err says why;
 *		PK_FATAL: stop (out of memory; with PK_ERR_USAGE a side file
 *		that does not fit the input: more records than rows, or an
 *		ln-ches metric without lengths)
 *		pk_ches_write(c, &rec, &s, &out, &err): the record annotated
 *	pk_ches_finish(c, nrecords, &err): side files with more rows than
 *		records (and no emb_index) are an error
 *	pk_ches_free(c);
 */
enum pk_ches_source {
	PK_CHES_LEXICAL = 0, PK_CHES_INLINE, PK_CHES_NPY, PK_CHES_SAFETENSORS,
};
enum pk_ches_metric { PK_CHES_LN = 0, PK_CHES_CHES, PK_CHES_EDIT };

struct pk_ches_opts {
	enum pk_ches_source source;
	enum pk_ches_metric metric;   /* needs: ln_ches lengths, edit tokens */
	const char *token_regex;      /* NULL = PK_TOKEN_REGEX_DEFAULT */
	int mean;                     /* inline arrays are S/L already */
	/* NPY: paths of chosen, rejected and optionally both length arrays
	 * (NULL); SAFETENSORS: files[0] */
	const char *files[4];
	/* record fields (dotted paths); NULL = "chosen", "rejected" */
	const char *chosen_field, *rejected_field;
};
/* The scores of one pair; PK_CHES_HAVE_* bits say which are set. */
#define PK_CHES_HAVE_CHES 1u
#define PK_CHES_HAVE_LN 2u
#define PK_CHES_HAVE_EDIT 4u
struct pk_ches_scores {
	unsigned have;
	double ches, ln_ches, edit_sim;
	int ches_exact;      /* ches is the integer ches_int (lexical) */
	long long ches_int;
};
struct pk_ches;
PK_API void pk_ches_opts_init(struct pk_ches_opts *o);
/* The embeddings option's value: "lexical", "inline",
 * "npy=CHOSEN,REJECTED[,LENCHOSEN,LENREJECTED]" or "safetensors=FILE" into
 * o->source and o->files, which point into *files (a copy of the list the
 * caller frees; NULL at first).  PK_OK, or PK_ERR_USAGE saying what is
 * wrong (or PK_ERR_NOMEM). */
PK_API int pk_ches_parse_source(struct pk_ches_opts *o, const char *spec,
				char **files, struct pk_error *err);
/* "ln-ches", "ches" or "edit" into *m: PK_OK, or PK_FATAL for another
 * name. */
PK_API int pk_ches_parse_metric(const char *name, enum pk_ches_metric *m);
/* NULL with err: PK_ERR_USAGE for a bad pattern, a side file that cannot
 * be read or does not fit (pk_tensor_*: shapes of chosen and rejected
 * differ, lengths not (N,)), options that do not go together;
 * PK_ERR_NOMEM. */
PK_API struct pk_ches *pk_ches_new(const struct pk_ches_opts *o,
				   struct pk_error *err);
PK_API int pk_ches_record(struct pk_ches *c, const struct pk_record *rec,
			  unsigned long long index, struct pk_ches_scores *s,
			  struct pk_error *err);
/* The value of metric m in s: 1 and *x, or 0 when s lacks it. */
PK_API int pk_ches_metric_value(const struct pk_ches_scores *s,
				enum pk_ches_metric m, double *x);
/* Append rec (compacted) with the members "ches", "ln_ches", "edit_sim"
 * (those s has) and "ches_source" ("lexical", "inline", "npy",
 * "safetensors"): members of those names already there are replaced in
 * place, the others added at the end. */
PK_API int pk_ches_write(struct pk_ches *c, const struct pk_record *rec,
			 const struct pk_ches_scores *s, struct pk_buf *out,
			 struct pk_error *err);
PK_API int pk_ches_finish(struct pk_ches *c, unsigned long long nrecords,
			  struct pk_error *err);
/* Records scored by several instances made with the same options (one
 * per thread): add what the instance other has seen to c, before
 * pk_ches_finish(c). */
PK_API void pk_ches_merge(struct pk_ches *c, const struct pk_ches *other);
/* pref-ches's streaming modes on one record: scored (pk_ches_record,
 * index as there), then written annotated (pk_ches_write) to out - or,
 * when max is not NULL and the record's value of the metric is above
 * *max (or not a number), dropped and counted (pk_ches_dropped). */
PK_API int pk_ches_annotate(struct pk_ches *c, const struct pk_record *rec,
			    unsigned long long index, const double *max,
			    const struct pk_sink *out, struct pk_error *err);
PK_API unsigned long long pk_ches_dropped(const struct pk_ches *c);
PK_API void pk_ches_free(struct pk_ches *c);

/* The arithmetic on its own.  Lexical scores of two token sequences given
 * as hashes (pk_tokenize); table is scratch kept by the caller (an empty
 * PK_BUF_INIT the first time, pk_buf_free at the end).  PK_OK or PK_FATAL
 * (out of memory).  ln_ches is set only when both lengths are > 0. */
PK_API int pk_ches_sparse(const uint64_t *a, size_t na, const uint64_t *b,
			  size_t nb, struct pk_buf *table,
			  struct pk_ches_scores *s);
/* Dense scores of S+ = a, S- = b (d doubles each): the exact values
 * rounded once (exact products, compensated sums in double-double; see
 * dense.c).  mean: a and b are S/L already.  la, lb: the lengths, or 0 when unknown (then only what
 * can be computed is set). */
PK_API void pk_ches_dense(const double *a, const double *b, size_t d,
			  double la, double lb, int mean,
			  struct pk_ches_scores *s);
/* - Levenshtein distance / max(na, nb) of two token sequences (0 when
 * both are empty); scratch as for pk_ches_sparse. */
PK_API double pk_edit_similarity(const uint64_t *a, size_t na,
				 const uint64_t *b, size_t nb,
				 struct pk_buf *scratch);

/* ------------------------------------------------------------------ */
/* Two passes over the input (twopass.c): pref-ches quantile modes,    */
/* and any command that must see every record before writing one.      */
/* ------------------------------------------------------------------ */
/*
 * Pass 1 hands each record it keeps to pk_twopass_add() with a tag (the
 * caller's bytes, e.g. its score); pass 2 gets them back in the same
 * order with their tags from pk_twopass_next().  A record read from a
 * regular file (any compression) is not stored: only where it is (the
 * input's number and the record's ordinal in it, counted as
 * pk_reader_next() returns records, long lines included) and the XXH3-64
 * of its line; pass 2 reads the file again and checks the line (a file
 * changed between the passes is an error).  A record from anything else
 * (standard input, a pipe) is stored with its line.  What is stored goes
 * through a pk_sort (in memory up to opts.memory, then zstd-compressed
 * nameless temporary files in opts.tmpdir).
 *
 *	tp = pk_twopass_new(&o, &err);
 *	pass 1: pk_twopass_add(tp, path, input, ordinal, lineno, line, len,
 *			       tag, taglen, &err);
 *	pass 2: while ((rc = pk_twopass_next(tp, &item, &err)) == PK_OK) ...
 *		rc: PK_EOF at the end, else PK_FATAL with err
 *	pk_twopass_free(tp);
 */
struct pk_twopass_opts {
	size_t memory;       /* 0 = PK_SORT_MEMORY_DEFAULT */
	const char *tmpdir;  /* NULL = $TMPDIR, else /tmp */
	size_t max_line;     /* of the readers of pass 2 (0 = no bound) */
};
struct pk_twopass_item {
	const char *line;    /* the record's line, borrowed until the next
			      * call */
	size_t len;
	const void *tag;     /* the tag given to pk_twopass_add (borrowed) */
	size_t taglen;
	const char *path;    /* the input it came from */
	unsigned long long lineno;
	unsigned long long seq; /* 0-based: the order of pk_twopass_add */
};
struct pk_twopass_stats {
	unsigned long long records;   /* added */
	unsigned long long spooled;   /* of them stored with their line */
	unsigned long long reread;    /* of them read again from files */
	unsigned long long bytes_spilled; /* to temporary files (raw) */
};
struct pk_twopass;
PK_API struct pk_twopass *pk_twopass_new(const struct pk_twopass_opts *o,
					 struct pk_error *err);
/* One record of pass 1: path ("-" = standard input) and input (the
 * 0-based number of the input, so that one file given twice is read
 * twice), ordinal (0-based, within that input), lineno (for messages),
 * the line and the tag (copied).  PK_OK or PK_FATAL. */
PK_API int pk_twopass_add(struct pk_twopass *tp, const char *path,
			  unsigned input, unsigned long long ordinal,
			  unsigned long long lineno, const char *line,
			  size_t len, const void *tag, size_t taglen,
			  struct pk_error *err);
/* The first call ends pass 1. */
PK_API int pk_twopass_next(struct pk_twopass *tp, struct pk_twopass_item *it,
			   struct pk_error *err);
PK_API void pk_twopass_get_stats(const struct pk_twopass *tp,
				 struct pk_twopass_stats *st);
PK_API void pk_twopass_free(struct pk_twopass *tp);

/* The cut of a quantile filter: values added in input order (their
 * position = the order of pk_cut_add), then pk_cut_lowest(k) decides to
 * keep the k lowest, ties at the cut going to the earlier position; then
 * pk_cut_keeps(x, position) says whether a value is kept (exactly k are).
 * The values go through a pk_sort (memory, tmpdir as for pk_sort_opts). */
struct pk_cut;
PK_API struct pk_cut *pk_cut_new(size_t memory, const char *tmpdir,
				 struct pk_error *err);
PK_API int pk_cut_add(struct pk_cut *c, double x, struct pk_error *err);
PK_API unsigned long long pk_cut_count(const struct pk_cut *c);
PK_API int pk_cut_lowest(struct pk_cut *c, unsigned long long k,
			 struct pk_error *err);
PK_API int pk_cut_keeps(const struct pk_cut *c, double x,
			unsigned long long position);
PK_API void pk_cut_free(struct pk_cut *c);
/* A fraction from 0 to 1 written as a decimal ("0.05", "1", ".5", at most
 * 18 digits) as num / den exactly: PK_OK, or PK_BAD_RECORD for anything
 * else.  pk_fraction_floor() is floor(num / den * n), exactly. */
PK_API int pk_fraction_parse(const char *s, uint64_t *num, uint64_t *den);
PK_API unsigned long long pk_fraction_floor(uint64_t num, uint64_t den,
					    unsigned long long n);

/* ------------------------------------------------------------------ */
/* Sizes                                                               */
/* ------------------------------------------------------------------ */

/* Parse "512", "64K", "256M", "2G" (powers of 1024).  Returns PK_OK, or PK_BAD_RECORD for anything else. */
PK_API int pk_parse_size(const char *s, size_t *out);

#ifdef __cplusplus
}
#endif
#endif /* PREFKIT_H */
