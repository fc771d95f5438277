/* SPDX-License-Identifier: MIT */
/*
 * tokenize.c - PCRE2 patterns compiled once (8-bit, UTF, UCP, JIT when the
 * library has it) and walked match by match, and the tokenizer built on
 * them: a text's tokens are the non-empty matches of a pattern, each
 * identified by its XXH3-64 hash (SPEC 3.4; pref-ches, pref-check
 * --leak-ngram, pref-stats).  Nothing is allocated per match: the match
 * data and the JIT stack belong to the compiled pattern, and tokens go
 * into caller-owned growable buffers.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "pk_private.h"

/* JIT stack: the first 32K and at most 1M (the default, 32K on the
 * machine stack, is small for patterns with nested groups). */
#define JIT_STACK_MIN (32u * 1024u)
#define JIT_STACK_MAX (1024u * 1024u)

struct pk_regex {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *stack;
	int jit;
};

static int no_jit(void)
{
	const char *v = getenv("PREFKIT_NO_JIT");

	return v && *v && strcmp(v, "0") != 0;
}

struct pk_regex *pk_regex_new(const char *pattern, struct pk_error *err)
{
	struct pk_regex *re = calloc(1, sizeof(*re));
	PCRE2_SIZE at;
	int code;

	if (!re) {
		pk_nomem(err);
		return NULL;
	}
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				 PCRE2_UTF | PCRE2_UCP, &code, &at, NULL);
	if (!re->code) {
		PCRE2_UCHAR msg[160];

		pcre2_get_error_message(code, msg, sizeof(msg));
		pk_error_set(err, code == PCRE2_ERROR_NOMEMORY ? PK_ERR_NOMEM
							       : PK_ERR_USAGE,
			     "pattern offset %zu: %s", (size_t)at,
			     (const char *)msg);
		free(re);
		return NULL;
	}
	/* PREFKIT_NO_JIT: PCRE2's interpreter, same matches; memcheck cannot
	 * follow JIT code, which reads whole words past a subject's end */
	re->jit = !no_jit() &&
		  pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (!re->md)
		goto nomem;
	if (re->jit) {
		re->mctx = pcre2_match_context_create(NULL);
		re->stack = pcre2_jit_stack_create(JIT_STACK_MIN,
						   JIT_STACK_MAX, NULL);
		if (!re->mctx || !re->stack)
			goto nomem;
		pcre2_jit_stack_assign(re->mctx, NULL, re->stack);
	}
	return re;
nomem:
	pk_regex_free(re);
	pk_nomem(err);
	return NULL;
}

void pk_regex_free(struct pk_regex *re)
{
	if (!re)
		return;
	pcre2_jit_stack_free(re->stack);
	pcre2_match_context_free(re->mctx);
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re);
}

int pk_regex_jit(const struct pk_regex *re)
{
	return re->jit;
}

/* One match attempt from pos: PCRE2's return code. */
static int match_at(struct pk_regex *re, const char *s, size_t n, size_t pos,
		    uint32_t opts)
{
	if (re->jit)
		return pcre2_jit_match(re->code, (PCRE2_SPTR)s, n, pos, opts,
				       re->md, re->mctx);
	return pcre2_match(re->code, (PCRE2_SPTR)s, n, pos,
			   opts | PCRE2_NO_UTF_CHECK, re->md, NULL);
}

int pk_regex_next(struct pk_regex *re, const char *s, size_t n, size_t *pos,
		  struct pk_span *m, struct pk_error *err)
{
	size_t p = *pos;
	uint32_t opts = 0;

	if (!s)
		s = "";
	while (p <= n) {
		PCRE2_SIZE *ov;
		int rc = match_at(re, s, n, p, opts);

		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			PCRE2_UCHAR msg[160];

			pcre2_get_error_message(rc, msg, sizeof(msg));
			if (rc == PCRE2_ERROR_NOMEMORY)
				return pk_nomem(err);
			return pk_error_set(err, PK_ERR_DATA,
					    "pattern match failed: %s",
					    (const char *)msg);
		}
		ov = pcre2_get_ovector_pointer(re->md);
		if (ov[1] > ov[0]) {
			m->off = ov[0];
			m->len = ov[1] - ov[0];
			*pos = ov[1];
			return 1;
		}
		/* An empty match at q is no token.  Look again from q for a
		 * match that is not empty there: PCRE2 tries q without the
		 * empty match, then goes on character by character (never
		 * into the middle of a UTF-8 sequence), as Python's
		 * re.finditer does.  Each round starts further on, so this
		 * ends. */
		if (opts && ov[0] <= p)
			break; /* cannot happen: PCRE2 honoured the option */
		p = ov[0];
		opts = PCRE2_NOTEMPTY_ATSTART;
	}
	*pos = n;
	return 0;
}

uint64_t pk_token_hash(const char *p, size_t n)
{
	return XXH3_64bits(p, n);
}

long pk_tokenize(struct pk_regex *re, const char *s, size_t n,
		 struct pk_buf *spans, struct pk_buf *hashes,
		 struct pk_error *err)
{
	struct pk_span m;
	size_t pos = 0;
	long count = 0;
	int rc;

	while ((rc = pk_regex_next(re, s, n, &pos, &m, err)) == 1) {
		if (spans && pk_buf_append(spans, &m, sizeof(m)) < 0)
			return pk_nomem(err);
		if (hashes) {
			uint64_t h = XXH3_64bits(s + m.off, m.len);

			if (pk_buf_append(hashes, &h, sizeof(h)) < 0)
				return pk_nomem(err);
		}
		count++;
	}
	return rc < 0 ? rc : count;
}
