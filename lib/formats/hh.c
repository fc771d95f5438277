/* SPDX-License-Identifier: MIT */
/*
 * hh.c - Anthropic HH-RLHF transcripts (SPEC 1.5 "hh").
 *
 * {"chosen": "\n\nHuman: ...\n\nAssistant: A", "rejected": "...: B"} is
 * split into a pair: prompt = the longest common prefix of the two
 * transcripts that ends with the last "\n\nAssistant:" before they differ;
 * chosen/rejected = the rest of each, with its single leading space
 * removed (so transcript = prompt + " " + response whenever the rest began
 * with a space, as it does throughout the released data).
 *
 * Pairs the rule cannot split cleanly are never split silently: when one
 * transcript is a prefix of the other ("prefix"), when both are the same
 * ("identical"), or when they differ before their last turn so that a
 * response holds several turns ("diverges-early"), the record is counted
 * and noted (a warning by line), or with opts.strict rejected.
 */
#include "config.h"

#include <string.h>

#include "fmt.h"

#define HUMAN "\n\nHuman:"
#define HUMAN_LEN 8
#define ASST "\n\nAssistant:"
#define ASST_LEN 12

enum { C_EARLY, C_PREFIX, C_IDENTICAL };
static const char *const hh_counters[] = {
	"hh_diverges_early", "hh_prefix", "hh_identical", NULL,
};

/* Find the next turn marker at or after pos: its offset (n if none), its
 * role and its length. */
static size_t next_marker(const char *t, size_t n, size_t pos,
			  const char **role, size_t *mlen)
{
	while (pos + 1 < n) {
		const char *q = memchr(t + pos, '\n', n - pos - 1);
		size_t i;
		if (!q)
			break;
		i = (size_t)(q - t);
		if (t[i + 1] == '\n') {
			if (n - i >= HUMAN_LEN && !memcmp(t + i, HUMAN, HUMAN_LEN)) {
				*role = "user";
				*mlen = HUMAN_LEN;
				return i;
			}
			if (n - i >= ASST_LEN && !memcmp(t + i, ASST, ASST_LEN)) {
				*role = "assistant";
				*mlen = ASST_LEN;
				return i;
			}
		}
		pos = i + 1;
	}
	*mlen = 0;
	return n;
}

int pk_fmt_hh_messages(struct pk_buf *out, const char *text, size_t n,
		       const char *first_role, int drop_cue,
		       struct pk_error *err)
{
	const char *role = first_role, *next_role = NULL;
	size_t pos = 0, mlen;

	if (!role) {
		size_t m = next_marker(text, n, 0, &role, &mlen);
		if (m == 0 && mlen) {
			pos = mlen;
		} else if (n >= 6 && !memcmp(text, "Human:", 6)) {
			role = "user";
			pos = 6;
		} else if (n >= 10 && !memcmp(text, "Assistant:", 10)) {
			role = "assistant";
			pos = 10;
		} else {
			return pk_error_set(err, PK_ERR_DATA,
					    "the transcript does not start "
					    "with a Human: or Assistant: turn");
		}
	}
	if (pk_fmt_sep(out) || pk_buf_putc(out, '['))
		return pk_nomem(err);
	for (;;) {
		size_t m = next_marker(text, n, pos, &next_role, &mlen);
		size_t s = pos;
		if (s < m && text[s] == ' ')
			s++;
		if (!(drop_cue && m == n && s == m && pos > 0 &&
		      !strcmp(role, "assistant"))) {
			if (pk_fmt_sep(out) ||
			    pk_buf_puts(out, "{\"role\":\"") ||
			    pk_buf_puts(out, role) ||
			    pk_buf_puts(out, "\",\"content\":") ||
			    pk_json_quote(out, text + s, m - s) != PK_OK ||
			    pk_buf_putc(out, '}'))
				return pk_nomem(err);
		}
		if (m == n)
			break;
		role = next_role;
		pos = m + mlen;
	}
	return pk_buf_putc(out, ']') ? pk_nomem(err) : PK_OK;
}

static size_t common_prefix(const char *a, size_t an, const char *b,
			    size_t bn)
{
	size_t n = an < bn ? an : bn, i = 0;

	while (i + 8 <= n && !memcmp(a + i, b + i, 8))
		i += 8;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/*
 * The two transcripts are compared either decoded, or - the fast path -
 * as the raw contents of their string literals.  Raw bytes stand for the
 * texts as long as both spell each character the same way, which the fast
 * path checks where it matters:
 *  - at the first raw difference d, the characters holding byte d must
 *    differ as characters (not be one character spelled two ways, as "é"
 *    and "\u00e9");
 *  - a marker is found raw ("\\n\\nAssistant:", its first backslash not
 *    itself escaped), so between the split and d and in the responses
 *    there must be no \u escape of an ASCII character (a marker spelled
 *    "\u000a...").
 * When a check fails the record is decoded and compared again.
 */
struct view {
	const char *c, *r;
	size_t cn, rn;
	int raw;
};

#define RAW_HUMAN "\\n\\nHuman:"
#define RAW_HUMAN_LEN 10
#define RAW_ASST "\\n\\nAssistant:"
#define RAW_ASST_LEN 14

/* Is t[i] an escaping backslash (preceded by an even run of them)? */
static int escape_starts(const char *t, size_t i)
{
	size_t k = 0;

	while (k < i && t[i - 1 - k] == '\\')
		k++;
	return k % 2 == 0;
}

static int raw_marker_at(const char *t, size_t n, size_t i, int asst_only)
{
	if (n - i >= RAW_ASST_LEN && !memcmp(t + i, RAW_ASST, RAW_ASST_LEN))
		return escape_starts(t, i);
	if (!asst_only && n - i >= RAW_HUMAN_LEN &&
	    !memcmp(t + i, RAW_HUMAN, RAW_HUMAN_LEN))
		return escape_starts(t, i);
	return 0;
}

/* A \u escape of an ASCII character at t[i] (an escape start)? */
static int ascii_u_escape(const char *t, size_t n, size_t i)
{
	return i + 5 < n && t[i + 1] == 'u' && t[i + 2] == '0' &&
	       t[i + 3] == '0' && t[i + 4] >= '0' && t[i + 4] <= '7';
}

/* Does t[0..n) (starting on a character) hold a turn marker?  1, 0, or
 * -1 when the raw text cannot tell. */
static int has_turn(const char *t, size_t n, int raw)
{
	const char *role, *q;
	size_t mlen, i = 0;

	if (!raw)
		return next_marker(t, n, 0, &role, &mlen) < n;
	while (i < n && (q = memchr(t + i, '\\', n - i))) {
		i = (size_t)(q - t);
		if (raw_marker_at(t, n, i, 0))
			return 1;
		if (ascii_u_escape(t, n, i))
			return -1;
		i += 2; /* past this escape */
	}
	return 0;
}

/* End of the last "Assistant:" marker wholly inside t[0..d), or 0. */
static size_t last_assistant(const char *t, size_t d, int raw)
{
	size_t len = raw ? RAW_ASST_LEN : ASST_LEN;

	for (size_t s = d >= len ? d - len + 1 : 0; s-- > 0;) {
		if (raw ? t[s] == '\\' && raw_marker_at(t, d, s, 1)
			: t[s] == '\n' && !memcmp(t + s, ASST, ASST_LEN))
			return s + len;
	}
	return 0;
}

static unsigned long hex4(const char *p)
{
	unsigned long v = 0;

	for (int i = 0; i < 4; i++) {
		int c = p[i];
		v = v * 16 + (unsigned long)(c <= '9' ? c - '0'
					     : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static int is_high_surrogate(const char *t, size_t n, size_t i)
{
	unsigned long c;

	if (i + 6 > n || t[i] != '\\' || t[i + 1] != 'u' ||
	    !escape_starts(t, i))
		return 0;
	c = hex4(t + i + 2);
	return c >= 0xD800 && c < 0xDC00;
}

/* The code point of the character at t[k] of raw (validated) string
 * contents t[0..n). */
static unsigned long raw_char(const char *t, size_t n, size_t k)
{
	const unsigned char *u = (const unsigned char *)t + k;
	unsigned long c;
	int len;

	if (*u == '\\') {
		switch (u[1]) {
		case 'n': return '\n';
		case 't': return '\t';
		case 'r': return '\r';
		case 'b': return '\b';
		case 'f': return '\f';
		case 'u':
			c = hex4(t + k + 2);
			if (is_high_surrogate(t, n, k) && k + 12 <= n)
				c = 0x10000 + ((c - 0xD800) << 10) +
				    (hex4(t + k + 8) - 0xDC00);
			return c;
		default: return u[1]; /* " \ / */
		}
	}
	if (*u < 0x80)
		return *u;
	len = *u >= 0xF0 ? 4 : *u >= 0xE0 ? 3 : 2;
	c = *u & (0x7Fu >> len);
	for (int i = 1; i < len && k + (size_t)i < n; i++)
		c = (c << 6) | (u[i] & 0x3F);
	return c;
}

/* Start of the character of raw string contents t[0..n) that holds byte
 * d. */
static size_t char_start(const char *t, size_t n, size_t d)
{
	for (size_t j = 0; j <= 5 && j <= d; j++) {
		size_t i = d - j;
		if (t[i] != '\\' || !escape_starts(t, i))
			continue;
		if (i + (t[i + 1] == 'u' ? 6 : 2) <= d)
			break; /* the nearest escape ends before d */
		/* a low surrogate belongs to the high one before it */
		if (t[i + 1] == 'u' && i >= 6 && is_high_surrogate(t, n, i - 6))
			return i - 6;
		return i;
	}
	while (d > 0 && ((unsigned char)t[d] & 0xC0) == 0x80)
		d--;
	return d;
}

enum { KIND_NONE = -1 };

/* Find the split of the pair and its kind.  Returns 1, 0 when there is
 * no "Assistant:" turn before they differ, or -1 when the raw text cannot
 * tell (decode and try again). */
static int analyze(const struct view *v, size_t *split, int *kind)
{
	size_t d = common_prefix(v->c, v->cn, v->r, v->rn), k = d;
	int tc, tr;

	if (v->raw && d < v->cn && d < v->rn) {
		k = char_start(v->c, v->cn, d);
		if (raw_char(v->c, v->cn, k) == raw_char(v->r, v->rn, k))
			return -1;
	}
	if (!(*split = last_assistant(v->c, d, v->raw)))
		return 0;
	if (v->raw)
		for (size_t i = *split; i < k; i++)
			if (v->c[i] == '\\' && ascii_u_escape(v->c, v->cn, i))
				return -1;
	*kind = KIND_NONE;
	if (v->cn == v->rn && d == v->cn) {
		*kind = C_IDENTICAL;
	} else if (d == v->cn || d == v->rn) {
		*kind = C_PREFIX;
	} else {
		tc = has_turn(v->c + *split, v->cn - *split, v->raw);
		tr = has_turn(v->r + *split, v->rn - *split, v->raw);
		if (tc < 0 || tr < 0)
			return -1;
		if (tc || tr)
			*kind = C_EARLY;
	}
	return 1;
}

static int get_transcript(const struct pk_record *rec, const char *name,
			  struct pk_value *v, struct pk_error *err)
{
	if (!pk_record_get(rec, name, v))
		return pk_error_set(err, PK_ERR_DATA, "hh: no '%s' field",
				    name);
	if (v->type != PK_T_STRING)
		return pk_error_set(err, PK_ERR_DATA,
				    "hh: '%s' is not a transcript string (%s)",
				    name, pk_type_name(v->type));
	return PK_OK;
}

static int put_text(struct pk_format_reader *fr, const struct view *v,
		    const char *t, size_t n, struct pk_error *err)
{
	if (!v->raw)
		return pk_json_quote(&fr->out, t, n) == PK_OK ? PK_OK
							     : pk_nomem(err);
	if (pk_buf_reserve(&fr->out, n + 2))
		return pk_nomem(err);
	pk_buf_putc(&fr->out, '"');
	pk_buf_append(&fr->out, t, n);
	return pk_buf_putc(&fr->out, '"') ? pk_nomem(err) : PK_OK;
}

static int put_response(struct pk_format_reader *fr, const struct view *v,
			const char *t, size_t n, struct pk_error *err)
{
	if (fr->opts.conversational)
		return pk_fmt_hh_messages(&fr->out, t, n, "assistant", 0, err);
	if (n && *t == ' ') {
		t++;
		n--;
	}
	return put_text(fr, v, t, n, err);
}

static int hh_feed(struct pk_format_reader *fr, const struct pk_record *rec,
		   struct pk_error *err)
{
	const char *cname = fr->opts.chosen_field ? fr->opts.chosen_field
						  : "chosen";
	const char *rname = fr->opts.rejected_field ? fr->opts.rejected_field
						    : "rejected";
	struct pk_value c, r, p;
	struct view v;
	size_t split = 0;
	int kind = KIND_NONE, rc, found = 0;

	if ((rc = get_transcript(rec, cname, &c, err)) != PK_OK ||
	    (rc = get_transcript(rec, rname, &r, err)) != PK_OK)
		return rc;
	if (pk_record_get(rec, "prompt", &p))
		return pk_error_set(err, PK_ERR_DATA,
				    "hh: the record already has a 'prompt'");
	v.c = rec->text + c.off + 1;
	v.cn = c.len - 2;
	v.r = rec->text + r.off + 1;
	v.rn = r.len - 2;
	v.raw = !fr->opts.conversational;
	if (!v.raw || (found = analyze(&v, &split, &kind)) < 0) {
		v.raw = 0;
		pk_buf_reset(&fr->t1);
		pk_buf_reset(&fr->t2);
		if (pk_json_unquote(&fr->t1, rec->text + c.off, c.len) ||
		    pk_json_unquote(&fr->t2, rec->text + r.off, r.len) ||
		    pk_buf_reserve(&fr->t1, 1) || pk_buf_reserve(&fr->t2, 1))
			return pk_nomem(err);
		v.c = fr->t1.data;
		v.cn = fr->t1.len;
		v.r = fr->t2.data;
		v.rn = fr->t2.len;
		found = analyze(&v, &split, &kind);
	}
	if (!found)
		return pk_error_set(err, PK_ERR_DATA,
				    "hh: no \"\\n\\nAssistant:\" turn before "
				    "chosen and rejected differ");
	if (kind >= 0) {
		static const char *const what[] = {
			"diverges-early: chosen and rejected differ before "
			"their last turn (the responses hold several turns)",
			"prefix: one transcript is a prefix of the other",
			"identical: chosen and rejected are the same "
			"transcript",
		};
		if (fr->opts.strict)
			return pk_error_set(err, PK_ERR_DATA, "hh: %s",
					    what[kind]);
		fr->count[kind]++;
		pk_fmt_note(fr, "hh: %s", what[kind]);
	}

	pk_buf_reset(&fr->out);
	if (pk_buf_puts(&fr->out, "{\"prompt\":"))
		return pk_nomem(err);
	if (fr->opts.conversational)
		rc = pk_fmt_hh_messages(&fr->out, v.c, split, NULL, 1, err);
	else
		rc = put_text(fr, &v, v.c, split, err);
	if (rc != PK_OK)
		return rc;
	for (size_t i = 0; i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		if (pk_fmt_sep(&fr->out) ||
		    pk_buf_append(&fr->out, rec->text + m->key_off,
				  m->key_len) ||
		    pk_buf_putc(&fr->out, ':'))
			return pk_nomem(err);
		if (m->val_off == c.off)
			rc = put_response(fr, &v, v.c + split, v.cn - split,
					  err);
		else if (m->val_off == r.off)
			rc = put_response(fr, &v, v.r + split, v.rn - split,
					  err);
		else
			rc = pk_fmt_raw(&fr->out, rec->text + m->val_off,
					m->val_len, fr->has_space)
				     ? pk_nomem(err)
				     : PK_OK;
		if (rc != PK_OK)
			return rc;
	}
	if (pk_buf_putc(&fr->out, '}'))
		return pk_nomem(err);
	return pk_fmt_emit(fr, &fr->out);
}

const struct pk_fmt_ops pk_fmt_hh = {
	.info = {"hh", PK_FORMAT_PAIRS,
		 "Anthropic HH-RLHF transcripts {chosen, rejected}"},
	.counters = hh_counters,
	.feed = hh_feed,
};
