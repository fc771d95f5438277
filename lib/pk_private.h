/* SPDX-License-Identifier: MIT */
/*
 * pk_private.h - the internal interface of libprefkit: helpers that the
 * library's modules share but that are not part of its public API.  These
 * functions are not exported from the shared library (no PK_API); they
 * are linked into the commands, unit tests and fuzz targets from the
 * static library.  Never included from cmd/ (tests/exports.test checks).
 *
 * THE RULE FOR MODULES (every file in lib/ and lib/formats/, new ones too):
 *  - A module's operations - what a command calls once per record, and
 *    their setup, counters and teardown - are public: declared in
 *    prefkit.h with PK_API, under a banner naming the module, documented
 *    there, and covered by a unit test in tests/unit/.
 *  - Its helpers - hot-path variants, building blocks shared with other
 *    modules, anything an outside program has no use for - are internal:
 *    declared here (or in a header beside the module, such as
 *    formats/fmt.h or zio.h), without PK_API.  Helpers used by one file
 *    only are static.
 *  - Failures follow the convention at the top of prefkit.h, internal
 *    functions included: PK_OK or a negative PK_* status, never a bare -1.
 *  - Every name starts with pk_ (types struct pk_*, macros PK_*).
 */
#ifndef PK_PRIVATE_H
#define PK_PRIVATE_H

#include <jansson.h>

#include "prefkit.h"

#define PK_UNUSED(x) ((void)(x))
#define PK_LIKELY(x) __builtin_expect(!!(x), 1)
#define PK_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Set err to "out of memory" and return PK_FATAL. */
int pk_nomem(struct pk_error *err);

/* ------------------------------------------------------------------ */
/* JSON values with jansson (str.c)                                    */
/* ------------------------------------------------------------------ */

/* Encode a jansson value as compact JSON into out, without ever letting
 * jansson print a real: reals go through pk_format_number, strings through
 * pk_json_quote.  flags: PK_ENC_SORT_KEYS sorts object keys (bytewise).
 * Returns PK_OK, or PK_FATAL for NaN/inf or ENOMEM. */
#define PK_ENC_SORT_KEYS 1
int pk_json_encode(struct pk_buf *out, const json_t *v, int flags);

/* Decode one JSON value of the validated text p[0..n) with jansson, using
 * the flags that match the scanner (JSON_DECODE_ANY | JSON_ALLOW_NUL |
 * JSON_REJECT_DUPLICATES).  Returns a new reference, or NULL with *err set
 * (e.g. "integer out of range").  */
json_t *pk_json_decode(const char *p, size_t n, struct pk_error *err);

/* ------------------------------------------------------------------ */
/* Scanner fast paths (scan.c)                                         */
/* ------------------------------------------------------------------ */

/* pk_iter_element(), finding in the same walk the members names[0..k)
 * (k <= 32) of an object element: bit j of *found is set when names[j] is
 * there, in m[j] (offsets relative to the element). */
int pk_iter_element_members(struct pk_iter *it, size_t *off, size_t *len,
			    enum pk_type *type, const char *const *names,
			    size_t k, struct pk_member *m, unsigned *found);
/* pk_compact() into dst, which has room for len bytes; returns the length
 * written. */
size_t pk_compact_to(char *dst, const char *text, size_t len);
/* The same for one value of the given type (a scalar is just copied). */
size_t pk_value_compact_to(char *dst, const char *text, size_t len,
			   enum pk_type type);
/* The scanned record compacted into dst (room for rec->len bytes): the
 * same bytes as pk_compact_to(dst, rec->text, rec->len), built from the
 * member spans so that strings are copied without being scanned again. */
size_t pk_record_compact_to(const struct pk_record *rec, char *dst);

/* ------------------------------------------------------------------ */
/* Object editing fast paths (obj.c)                                   */
/* ------------------------------------------------------------------ */

/* pk_obj_load_record(), with the arrays and objects of a record that has
 * whitespace compacted now, once: for a record that is written more than
 * once. */
int pk_obj_load_record_compact(struct pk_obj *o, const struct pk_record *rec);
/* Remember o as it is, and later go back to that state: to write several
 * variants of one record without loading it again.  One checkpoint is
 * kept; loading or clearing o drops it. */
int pk_obj_checkpoint(struct pk_obj *o);
void pk_obj_rollback(struct pk_obj *o);
/* pk_obj_set_raw() for raw text known to be compact already (written by
 * pk_json_quote, pk_json_encode, pk_obj_write or pk_compact): it is
 * copied without another pass. */
int pk_obj_set_compact(struct pk_obj *o, const char *path, const char *raw,
		       size_t n);
/* The same for member i (pk_obj_find()'s index), without the lookup. */
int pk_obj_set_compact_at(struct pk_obj *o, size_t i, const char *raw,
			  size_t n);
/* The member-clash rule (prefkit(7) PREFERENCE RECORDS), for an object a
 * command writes as text.  (pk_obj's setters follow the same rule: a set
 * replaces the member of that name in place, else appends.)  b[start..)
 * is a compact JSON object in which a key may appear more than once; the
 * members whose key starts at the offsets written[0..nw) (relative to
 * start, each at the key's opening quote) are the ones the command wrote,
 * the others came with the record; of two written members of one name,
 * the one later in written[] wins (list renamed members before computed
 * ones).  Each key is kept once: at the place of its first member that
 * came with the record (else of its first member), with the value of the
 * winning written member (else of its last member).
 * Keys are compared unquoted ("\u0061" is "a"), in O(n log n).  b is
 * unchanged when no key repeats.  PK_OK, or PK_FATAL out of memory. */
int pk_object_unique(struct pk_buf *b, size_t start, const size_t *written,
		     size_t nw, struct pk_error *err);
/* Append pk_json_quote() of pk_json_unquote() of the validated string
 * literal p[0..n), in one pass: the literal in its canonical spelling
 * (\/ and \u escapes written as the characters, or as the short escapes
 * pk_json_quote writes).  PK_OK or PK_FATAL (out of memory). */
int pk_json_requote(struct pk_buf *out, const char *p, size_t n);
/* Append a member the caller knows is absent: qkey is its key as a JSON
 * string literal (pk_json_quote), raw its compact value. */
int pk_obj_append_compact(struct pk_obj *o, const char *qkey, size_t qlen,
			  const char *raw, size_t n);
/* Build a value in place: pk_obj_room() gives space for up to n bytes (NULL
 * when out of memory), pk_obj_commit_at() makes the len compact bytes
 * written there the value of member i.  Values of o looked up after
 * pk_obj_room() stay where they are until the commit, so the new value
 * may be made from the old one without copying it first. */
char *pk_obj_room(struct pk_obj *o, size_t n);
/* Member i's value becomes raw[0..n): when raw lies in the text o was
 * loaded from, a reference to it (no copy; written compacted when that
 * text has spaces, as the untouched members are), else a copy of the
 * compact value raw (pk_obj_set_compact_at). */
int pk_obj_set_span_at(struct pk_obj *o, size_t i, const char *raw,
		       size_t n);
void pk_obj_commit_at(struct pk_obj *o, size_t i, size_t len);
/* pk_obj_write() into dst, which has room for pk_obj_write_bound(o)
 * bytes; returns the length written. */
size_t pk_obj_write_bound(const struct pk_obj *o);
size_t pk_obj_write_to(const struct pk_obj *o, char *dst);
/* pk_obj_write_to with members added at the end: extra[0..n) is their
 * compact text, '"k":v' joined by commas, keys the object does not have.
 * dst has room for pk_obj_write_bound(o) + n + 1 bytes.  Saves adding a
 * member to o that only one output has. */
size_t pk_obj_write_with(const struct pk_obj *o, const char *extra, size_t n,
			 char *dst);

/* ------------------------------------------------------------------ */
/* Handing records to a sink (sink.c)                                  */
/* ------------------------------------------------------------------ */

/* Write o (with the members extra[0..n) added, as pk_obj_write_with)
 * to s: in s's room when it offers it, else built in scratch and passed
 * to s->emit.  PK_OK, s's own negative status, or PK_FATAL (ENOMEM). */
int pk_sink_obj(const struct pk_sink *s, const struct pk_obj *o,
		const char *extra, size_t n, struct pk_buf *scratch);

/* ------------------------------------------------------------------ */
/* Messages, hashes, input (pair.c, hash.c, reader.c)                  */
/* ------------------------------------------------------------------ */

/* The next element of a message list being walked with it (pk_iter_init
 * on the array): 1 when it is a message, an object with a string "role"
 * and a "content" (both members given, offsets relative to the element at
 * *off); PK_BAD_RECORD when it is not; 0 at the end. */
int pk_next_message(struct pk_iter *it, size_t *off, size_t *len,
		    struct pk_member *role, struct pk_member *content);

/* Put the formatted text before err->text ("'prompt': " + "message 2,
 * ..."); returns the status of err->kind (PK_BAD_RECORD when err is
 * NULL). */
int pk_error_prefix(struct pk_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Message content (pair.c; SPEC 1.5): a string, or a list of parts
 * [{"type": "text", "text"|"value": S}].  Walk it with pk_content_init
 * (c[0..n) the validated content value, msgno the message's 1-based
 * number for messages, 0 for none) and pk_content_next: 1 and the span
 * (relative to c) of the next string literal of text (the string itself,
 * or a part's text), 0 at the end, PK_BAD_RECORD with err naming the
 * message and part (1-based) when content is not a string or a list of
 * text parts: a non-text part (image, audio) names its type. */
struct pk_content {
	struct pk_iter it;
	const char *c;
	size_t n, msgno, part;
	int done;
};
void pk_content_init(struct pk_content *ci, const char *c, size_t n,
		     size_t msgno);
int pk_content_next(struct pk_content *ci, size_t *off, size_t *len,
		    struct pk_error *err);
/* The text of a content value (its parts joined with nothing between
 * them), decoded, appended to out. */
int pk_content_text(const char *c, size_t n, size_t msgno,
		    struct pk_buf *out, struct pk_error *err);
/* The same as a JSON string literal appended to out (a string content is
 * copied as it is; scratch is reset and used for parts). */
int pk_content_quoted(const char *c, size_t n, size_t msgno,
		      struct pk_buf *out, struct pk_buf *scratch,
		      struct pk_error *err);
/* Check that every message of the validated message list v[0..n) has a
 * readable content: PK_OK or PK_BAD_RECORD with err. */
int pk_messages_check(const char *v, size_t n, struct pk_error *err);

/* Append the text (pk_content_text) of the messages from..to-1 (0-based;
 * to = SIZE_MAX for all) of the validated message list v[0..n), every
 * role, joined without separator; *count (may be NULL) gets the number
 * of messages.  PK_OK, PK_BAD_RECORD with err when v is not a message
 * list or a content is not text, PK_FATAL when out of memory.
 * (pref-stats: prompt lengths, and implicit prompts: all messages but
 * the last, and the last.) */
int pk_messages_text(const char *v, size_t n, size_t from, size_t to,
		     struct pk_buf *out, size_t *count, struct pk_error *err);

/* XXH3-128 of bytes as 32 lowercase hex digits (for dedup keys). */
void pk_hash128_hex(const void *p, size_t n, char out[33]);

/* Is the input seekable (a regular, uncompressed file)? */
int pk_reader_seekable(const struct pk_reader *r);

/* Memory-mapped inputs (zio.c).  Mode 0 (the default): every input is
 * read with read(2); 1: a regular file holding plain data, of 64 KiB or
 * more, is mapped instead; 2: the same for any such file that is not
 * empty.  A file cut short while it is mapped raises SIGBUS where its
 * lost bytes are read: only a program that catches it should map. */
void pk_input_map_mode(int mode);
/* The name of the mapped input whose mapping (or the page after it)
 * holds addr, or NULL.  Async-signal-safe, for that SIGBUS handler. */
const char *pk_input_mapped_at(const void *addr);
/* 1 when the lines of r point into a mapping of its file: they stay valid
 * after later calls, until pk_reader_close().  By default the reader
 * gives back the pages behind the line it returns; after pk_reader_keep()
 * only those behind the point the caller gives with pk_reader_release()
 * (no longer needed before p, a line's bytes or its end; NULL: nothing
 * is needed any more, until the next call) as well. */
int pk_reader_mapped(const struct pk_reader *r);
void pk_reader_keep(struct pk_reader *r);
void pk_reader_release(struct pk_reader *r, const char *p);

/* ------------------------------------------------------------------ */
/* Ranked lists and step trees (rank.c, steptree.c)                    */
/* ------------------------------------------------------------------ */

/* Append a record derived from the list: its members in order
 * (compacted), the prompt's value replaced by prompt_raw when not NULL,
 * and the responses member replaced by the members of the object text
 * block[0..block_len) (braces included); a list member with the name of
 * a block member is left out.  pk_rank_write_pair() and the step trees
 * write with it. */
int pk_rank_write_list(struct pk_rank_list *l, const char *prompt_raw,
		       size_t prompt_len, const char *block, size_t block_len,
		       struct pk_buf *out, struct pk_error *err);

/* Split one response text value (raw JSON) into steps, for inspection:
 * the steps are NUL-separated in out (each followed by one NUL); returns
 * the number of steps, or a negative status. */
long pk_steptree_split(struct pk_steptree *t, const char *v, size_t n,
		       struct pk_buf *out, struct pk_error *err);

/* ------------------------------------------------------------------ */
/* Scanner test hook (scan.c)                                          */
/* ------------------------------------------------------------------ */

/* Probe steps the scanner's key tables have taken in this thread so far
 * (duplicate-key checks of objects with many keys): tests compare counts,
 * never times. */
unsigned long long pk_scan_probes(void);

/* How many threads a command may use (prefkit(7) PREFKIT_THREADS): the
 * variable when it is a whole number >= 1, else the CPUs online (zio.c). */
long pk_threads(void);

/* ------------------------------------------------------------------ */
/* Numbers (num.c)                                                     */
/* ------------------------------------------------------------------ */

/* The nearest double to the JSON number p[0..n), as Python's json reads
 * it (1e-400 is 0, integers of any size are rounded): PK_OK, or
 * PK_BAD_RECORD beyond a double's range or for text that is not a JSON
 * number.  For a value's spelling (canon.c); a value a command uses goes
 * through the stricter pk_parse_number. */
int pk_parse_double(const char *p, size_t n, double *out);
/* The elements of the JSON array p[0..n) (text the scanner validated),
 * each a number pk_parse_number accepts, appended to out as doubles in
 * one walk: their count, PK_BAD_RECORD when an element is not such a
 * number (the caller walks the array again to say which and why), or
 * PK_FATAL out of memory. */
long pk_number_array(const char *p, size_t n, struct pk_buf *out);
/* Is p[0..n) the text of a JSON number (RFC 8259 grammar)? */
int pk_is_json_number(const char *p, size_t n);
/* v in decimal, as "%lld" writes it, NUL-terminated: its length. */
int pk_format_integer(char out[PK_NUMBER_MAX], long long v);

/* ------------------------------------------------------------------ */
/* Dense sums (dense.c)                                                */
/* ------------------------------------------------------------------ */

/* The partial sums a dense sum keeps: element i goes to lane i mod 16. */
#define PK_DENSE_LANES 16
/* A double-double: the value hi + lo, |lo| <= half an ulp of hi. */
struct pk_dd {
	double hi, lo;
};
/* pk_ches_dense (prefkit.h) of two rows of d little-endian float32 at any
 * alignment (a side file's map): the same bits as pk_ches_dense of the
 * rows converted to doubles. */
void pk_ches_dense_f32(const unsigned char *a, const unsigned char *b,
		       size_t d, double la, double lb,
		       struct pk_ches_scores *s);
/* For tests: sums[0] = <a,b>, sums[1] = <a,a> of d doubles a, b (or
 * float32 rows fa, fb; the other pair NULL), exact products and
 * compensated sums (see dense.c), on the plain C path (simd 0) or the
 * widest the CPU has (simd 1, a SIMD one when pk_dense_simd_supported).
 * 0 when a sum is beyond a double's range (then pk_ches_dense takes
 * them again in long double). */
int pk_dense_sums_path(int simd, const double *a, const double *b,
		       const unsigned char *fa, const unsigned char *fb,
		       size_t d, struct pk_dd sums[2]);
int pk_dense_simd_supported(void);

/* ------------------------------------------------------------------ */
/* Files (writer.c)                                                    */
/* ------------------------------------------------------------------ */

/* path with its symbolic links followed, even a dangling last one (the
 * name the link would create); malloc'd, NULL when out of memory. */
char *pk_path_resolve(const char *path);

/* pk_sort_opts.store: the free space a run needs in the temporary
 * directory to be written uncompressed (default 1 GiB); for tests, which
 * switch between stored and compressed runs within one sort. */
void pk_sort_set_store_floor(struct pk_sort *s, unsigned long long bytes);

#endif
