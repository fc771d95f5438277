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

static int has_turn(const char *t, size_t n)
{
	const char *role;
	size_t mlen;

	return next_marker(t, n, 0, &role, &mlen) < n;
}

static int get_transcript(const struct pk_record *rec, const char *name,
			  struct pk_value *v, struct pk_error *err)
{
	if (!pk_record_get(rec, name, v))
		return pk_error_set(err, PK_ERR_DATA, "hh: no \"%s\" field",
				    name);
	if (v->type != PK_T_STRING)
		return pk_error_set(err, PK_ERR_DATA,
				    "hh: \"%s\" is %s, not a transcript string",
				    name, pk_type_name(v->type));
	return PK_OK;
}

static int put_response(struct pk_format_reader *fr, const char *t, size_t n,
			struct pk_error *err)
{
	if (fr->opts.conversational)
		return pk_fmt_hh_messages(&fr->out, t, n, "assistant", 0, err);
	if (n && *t == ' ') {
		t++;
		n--;
	}
	return pk_json_quote(&fr->out, t, n) == PK_OK ? PK_OK : pk_nomem(err);
}

static int hh_feed(struct pk_format_reader *fr, const struct pk_record *rec,
		   struct pk_error *err)
{
	const char *cname = fr->opts.chosen_field ? fr->opts.chosen_field
						  : "chosen";
	const char *rname = fr->opts.rejected_field ? fr->opts.rejected_field
						    : "rejected";
	struct pk_value c, r, p;
	const char *cs, *rs;
	size_t cn, rn, d, s, split;
	int kind = -1, rc, found = 0;

	if ((rc = get_transcript(rec, cname, &c, err)) != PK_OK ||
	    (rc = get_transcript(rec, rname, &r, err)) != PK_OK)
		return rc;
	if (pk_record_get(rec, "prompt", &p))
		return pk_error_set(err, PK_ERR_DATA,
				    "hh: the record already has a \"prompt\"");
	pk_buf_reset(&fr->t1);
	pk_buf_reset(&fr->t2);
	if (pk_json_unquote(&fr->t1, rec->text + c.off, c.len) != PK_OK ||
	    pk_json_unquote(&fr->t2, rec->text + r.off, r.len) != PK_OK ||
	    pk_buf_reserve(&fr->t1, 1) || pk_buf_reserve(&fr->t2, 1))
		return pk_nomem(err);
	cs = fr->t1.data;
	cn = fr->t1.len;
	rs = fr->t2.data;
	rn = fr->t2.len;

	d = common_prefix(cs, cn, rs, rn);
	for (s = d >= ASST_LEN ? d - ASST_LEN + 1 : 0; s-- > 0;)
		if (cs[s] == '\n' && !memcmp(cs + s, ASST, ASST_LEN)) {
			found = 1;
			break;
		}
	if (!found)
		return pk_error_set(err, PK_ERR_DATA,
				    "hh: no \"\\n\\nAssistant:\" turn before "
				    "chosen and rejected differ");
	split = s + ASST_LEN;

	if (cn == rn && d == cn)
		kind = C_IDENTICAL;
	else if (d == cn || d == rn)
		kind = C_PREFIX;
	else if (has_turn(cs + split, cn - split) ||
		 has_turn(rs + split, rn - split))
		kind = C_EARLY;
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
	if (fr->opts.conversational) {
		rc = pk_fmt_hh_messages(&fr->out, cs, split, NULL, 1, err);
		if (rc != PK_OK)
			return rc;
	} else if (pk_json_quote(&fr->out, cs, split) != PK_OK) {
		return pk_nomem(err);
	}
	for (size_t i = 0; i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		if (pk_fmt_sep(&fr->out) ||
		    pk_buf_append(&fr->out, rec->text + m->key_off,
				  m->key_len) ||
		    pk_buf_putc(&fr->out, ':'))
			return pk_nomem(err);
		if (m->val_off == c.off)
			rc = put_response(fr, cs + split, cn - split, err);
		else if (m->val_off == r.off)
			rc = put_response(fr, rs + split, rn - split, err);
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
