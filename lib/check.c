/* SPDX-License-Identifier: MIT */
/*
 * check.c - the rules of pref-check (SPEC 3.7): each input line is
 * scanned once, the values a rule reads are decoded, and every violation
 * is counted, listed up to a limit per rule, and summed up at the end as
 * a table or a JSON report.  Duplicates are found by XXH3-128 keys in a
 * pk_keyset (bounded by --memory, as in pref-dedup); leaks by the prompts,
 * and optionally the word runs, of --against files held in memory.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "pk_private.h"
#include "formats/fmt.h"

static const char *const rule_names[PK_CHECK_NRULES] = {
	"json", "schema", "empty", "identical", "misordered", "tie",
	"range", "duplicate", "leak", "deny", "length",
};

/* Where a record is: input file index and line, packed (never 0) in 63
 * bits, so that a duplicate key's tag can be LOC << 1 | kind. */
#define LOC_LINE_BITS 43
#define LOC_FILE_BITS 20
#define LOC(file, line) ((uint64_t)(file) << LOC_LINE_BITS | (uint64_t)(line))
#define LOC_FILE(loc) ((size_t)((loc) >> LOC_LINE_BITS))
#define LOC_LINENO(loc) ((loc) & (((uint64_t)1 << LOC_LINE_BITS) - 1))

/* Words for --leak-ngram: runs of letters, digits and '_', case folded. */
#define WORD_REGEX "\\w+"
/* Characters of a text quoted in a message. */
#define EXCERPT_CHARS 40
/* The multiplier of word-run hashes (odd). */
#define RUN_P 0x100000001b3ull

/* ---------------------------------------------------------------- */
/* The --against table: 16-byte keys with a 64-bit value each (value 0 =
 * empty), held whole in memory, for lookups (the key set of `duplicate`
 * is struct pk_keyset). */
/* ---------------------------------------------------------------- */

struct kentry {
	unsigned char key[16];
	uint64_t val;
};

struct kset {
	struct kentry *t;
	size_t cap, n;   /* cap: 0 or a power of two */
};

static struct kentry *kset_slot(const struct kset *ks, const unsigned char *key)
{
	uint64_t h;
	size_t i;

	memcpy(&h, key + 8, 8);
	for (i = (size_t)h & (ks->cap - 1);; i = (i + 1) & (ks->cap - 1)) {
		struct kentry *e = &ks->t[i];

		if (!e->val || memcmp(e->key, key, 16) == 0)
			return e;
	}
}

static struct kentry *kset_find(const struct kset *ks, const unsigned char *key)
{
	struct kentry *e;

	if (!ks->cap)
		return NULL;
	e = kset_slot(ks, key);
	return e->val ? e : NULL;
}

/* Insert a key known to be absent: PK_OK, or PK_FATAL when out of memory. */
static int kset_insert(struct kset *ks, const unsigned char *key, uint64_t val)
{
	if ((ks->n + 1) * 4 > ks->cap * 3) {
		size_t ncap = ks->cap ? ks->cap * 2 : 1024, i;
		struct kentry *old = ks->t, *nt;

		if (!(nt = calloc(ncap, sizeof *nt)))
			return PK_FATAL;
		ks->t = nt;
		for (i = 0; i < ks->cap; i++)
			if (old[i].val)
				*kset_slot(&(struct kset){nt, ncap, 0},
					   old[i].key) = old[i];
		ks->cap = ncap;
		free(old);
	}
	{
		struct kentry *e = kset_slot(ks, key);

		memcpy(e->key, key, 16);
		e->val = val;
	}
	ks->n++;
	return PK_OK;
}

static void kset_free(struct kset *ks)
{
	free(ks->t);
	memset(ks, 0, sizeof *ks);
}

/* ---------------------------------------------------------------- */
/* --deny-regex: a literal every match contains                      */
/* ---------------------------------------------------------------- */

/*
 * A pattern that is only literal characters and \b or \B, after an
 * optional leading (?i) - a phrase such as (?i)\bas an ai\b - matches
 * only texts that hold its characters in a row (the assertions take no
 * characters).  So a text without them needs no PCRE2 match at all; one
 * with them is matched as before, from its start, so the report is the
 * same.  Caseless, an ASCII letter matches its other case, and in UTF
 * mode two letters also match a character outside ASCII: s and S match
 * U+017F (long s), k and K U+212A (Kelvin sign); no other ASCII
 * character matches anything but itself (checked against PCRE2 over
 * every code point).  A text that holds one of those two characters,
 * when the literal has that letter, goes to PCRE2 unfiltered.  Any other
 * pattern has no literal here and is matched on every text.
 */
struct deny_lit {
	char *s;        /* the literal, lower case when caseless; NULL none */
	size_t n;
	int caseless;
	int has_s, has_k;
};

static int lit_char(int c)
{
	return c >= 0x20 && c < 0x7f && !strchr("\\^$.|?*+()[]{}#", c);
}

/* The literal of a pattern, if it has one (see above): 1, 0 when it has
 * none, negative when out of memory. */
static int deny_literal(const char *pat, struct deny_lit *l)
{
	size_t n = strlen(pat), i, k = 0;
	char *out;

	memset(l, 0, sizeof *l);
	if (strncmp(pat, "(?i)", 4) == 0) {
		l->caseless = 1;
		pat += 4;
		n -= 4;
	}
	if (!(out = malloc(n + 1)))
		return PK_FATAL;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)pat[i];

		if (c == '\\' && (pat[i + 1] == 'b' || pat[i + 1] == 'B')) {
			i++;
			continue;
		}
		if (!lit_char(c)) {
			free(out);
			return 0;
		}
		if (l->caseless && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		l->has_s |= c == 's' || c == 'S';
		l->has_k |= c == 'k' || c == 'K';
		out[k++] = (char)c;
	}
	if (k == 0) {
		free(out);
		return 0;
	}
	out[k] = 0;
	l->s = out;
	l->n = k;
	return 1;
}

/* Byte c folded as the caseless literal's bytes are: ASCII letters to
 * lower case. */
static inline unsigned char fold_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

static int caseless_at(const unsigned char *p, const char *lit, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fold_ascii(p[i]) != (unsigned char)lit[i])
			return 0;
	return 1;
}

/* Does t[0..len) hold the literal (ASCII letters in either case when
 * caseless)? */
static int has_literal(const struct deny_lit *l, const char *t, size_t len)
{
	const unsigned char *p = (const unsigned char *)t;
	unsigned char c0, c1;
	size_t n = l->n, i = 0, last;

	if (len < n)
		return 0;
	if (!l->caseless)
		return memmem(t, len, l->s, n) != NULL;
	last = len - n; /* the last place the literal may start */
	c0 = (unsigned char)l->s[0];
	c1 = (unsigned char)l->s[n - 1];
#ifdef __SSE2__
	{
		/* first and last byte of the literal at once: OR 0x20 folds
		 * a letter to lower case (and 0x00 to ' ': caseless_at
		 * decides) */
		int l0 = c0 >= 'a' && c0 <= 'z', l1 = c1 >= 'a' && c1 <= 'z';
		const __m128i f0 = _mm_set1_epi8(l0 ? 0x20 : 0),
			      f1 = _mm_set1_epi8(l1 ? 0x20 : 0),
			      v0 = _mm_set1_epi8((char)c0),
			      v1 = _mm_set1_epi8((char)c1);

		for (; i + 16 <= last + 1; i += 16) {
			__m128i a = _mm_loadu_si128((const __m128i *)(p + i));
			__m128i b = _mm_loadu_si128(
				(const __m128i *)(p + i + n - 1));
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
				_mm_cmpeq_epi8(_mm_or_si128(a, f0), v0),
				_mm_cmpeq_epi8(_mm_or_si128(b, f1), v1)));

			while (m) {
				size_t at = i + (size_t)__builtin_ctz(m);

				if (caseless_at(p + at, l->s, n))
					return 1;
				m &= m - 1;
			}
		}
	}
#endif
	for (; i <= last; i++)
		if (fold_ascii(p[i]) == c0 && fold_ascii(p[i + n - 1]) == c1 &&
		    caseless_at(p + i, l->s, n))
			return 1;
	return 0;
}

/* Does t[0..len) hold the UTF-8 sequence u (n bytes, a lead byte then
 * continuation bytes)?  memchr for the lead byte: rare in most text, and
 * faster than memmem for needles this short. */
static int has_seq(const char *t, size_t len, const char *u, size_t n)
{
	const char *p = t, *end = t + len;

	while ((size_t)(end - p) >= n) {
		/* where a whole sequence still fits */
		if (!(p = memchr(p, u[0], (size_t)(end - p) - n + 1)))
			return 0;
		if (memcmp(p + 1, u + 1, n - 1) == 0)
			return 1;
		p++;
	}
	return 0;
}

/* Can the text t match the pattern with literal l?  0 only when it
 * cannot. */
static int may_match(const struct deny_lit *l, const char *t, size_t len)
{
	if (!l->s || has_literal(l, t, len))
		return 1;
	return l->caseless && ((l->has_s && has_seq(t, len, "\xc5\xbf", 2)) ||
			       (l->has_k && has_seq(t, len, "\xe2\x84\xaa", 3)));
}

/* ---------------------------------------------------------------- */
/* The checker                                                       */
/* ---------------------------------------------------------------- */

/* A piece of text with characters outside ASCII (see word_hashes) and the
 * hashes of its words: a cache slot. */
#define WCACHE_SLOTS 1024
#define WCACHE_BYTES 126
#define WCACHE_WORDS 8
struct wcache {
	unsigned char len, nwords;  /* len 0: empty */
	char piece[WCACHE_BYTES];
	uint64_t h[WCACHE_WORDS];
};

struct pk_check {
	struct pk_check_opts o;
	enum pk_check_level level[PK_CHECK_NRULES];
	struct pk_field f_prompt, f_chosen, f_rejected, f_sc, f_sr, f_resp;
	struct pk_regex **deny;
	struct deny_lit *lit;   /* [ndeny]: what a match must contain */
	struct pk_regex *words;
	struct wcache *wcache;  /* [WCACHE_SLOTS], made on first use */

	/* input files (names owned) */
	char **files;
	size_t nfiles;
	size_t cur_file;
	unsigned long long cur_line;

	/* counts */
	unsigned long long count[PK_CHECK_NRULES];
	unsigned long long listed[PK_CHECK_NRULES];
	unsigned long long records, errors, warnings;

	/* duplicate: tags LOC << 1 | kind (0 a pair, 1 a list), never
	 * decreasing */
	struct pk_keyset *dups;
	uint64_t dup_tag;

	/* leak: exact prompts, word runs; against files (names owned) */
	struct kset leak_exact, leak_ngrams;
	/* a one-probe Bloom filter of leak_ngrams (16 bits a run; most
	 * runs of a prompt are not there, and this answers them in cache) */
	uint64_t *bloom;
	unsigned bloom_shift;
	char **against;
	size_t nagainst;

	/* scratch */
	struct pk_record rec, drec;
	struct pk_buf text[3];   /* prompt, chosen, rejected texts */
	struct pk_buf key, msg, line, jv, tmp, fold, hashes;
	struct pk_canon canon;
	struct pk_rank_list list;
	struct pk_error derr;
	int fatal;

	/* a worker (pk_check_worker): what it finds goes to ev as events
	 * (below) for pk_check_replay() on parent, whose --against tables
	 * it reads; it owns its format reader */
	struct pk_check *parent;
	struct pk_buf ev;
};

/* A worker's events, in the order found: a line, a violation, a
 * duplicate key (the rest of each below, integers in native order). */
enum {
	EV_LINE = 'L',      /* lineno (8 bytes) */
	EV_VIOLATION = 'V', /* rule (1), message length (4), message */
	EV_DUP = 'D',       /* kind (1: a pair 0, a list 1), key (16) */
};

void pk_check_opts_init(struct pk_check_opts *o)
{
	memset(o, 0, sizeof *o);
	pk_rank_opts_init(&o->rank);
	o->rank.need_prompt = 1;
	o->limit = 10;
}

const char *pk_check_rule_name(enum pk_check_rule r)
{
	return (unsigned)r < PK_CHECK_NRULES ? rule_names[r] : NULL;
}

const char *pk_check_level_name(enum pk_check_level l)
{
	switch (l) {
	case PK_LEVEL_ERROR: return "error";
	case PK_LEVEL_WARN: return "warn";
	case PK_LEVEL_OFF: return "off";
	default: return "default";
	}
}

int pk_check_set_rule(struct pk_check_opts *o, const char *spec,
		      struct pk_error *err)
{
	const char *eq = strchr(spec, '=');
	enum pk_check_level l;
	size_t r;

	if (!eq)
		return pk_error_set(err, PK_ERR_USAGE,
				    "'%s': expected NAME=error|warn|off", spec),
		       PK_BAD_RECORD;
	if (strcmp(eq + 1, "error") == 0)
		l = PK_LEVEL_ERROR;
	else if (strcmp(eq + 1, "warn") == 0)
		l = PK_LEVEL_WARN;
	else if (strcmp(eq + 1, "off") == 0)
		l = PK_LEVEL_OFF;
	else
		return pk_error_set(err, PK_ERR_USAGE,
				    "'%s': level '%s' is not error, warn or off",
				    spec, eq + 1),
		       PK_BAD_RECORD;
	for (r = 0; r < PK_CHECK_NRULES; r++)
		if (strlen(rule_names[r]) == (size_t)(eq - spec) &&
		    memcmp(rule_names[r], spec, (size_t)(eq - spec)) == 0) {
			o->level[r] = l;
			return PK_OK;
		}
	pk_error_set(err, PK_ERR_USAGE,
		     "'%.*s' is not a rule (json, schema, empty, identical, "
		     "misordered, tie, range, duplicate, leak, deny, length)",
		     (int)(eq - spec), spec);
	return PK_BAD_RECORD;
}

/* Resolve the default levels; a rule set on without its option is misuse. */
static int resolve_levels(struct pk_check *ck, struct pk_error *err)
{
	static const char *const needs[PK_CHECK_NRULES] = {
		[PK_CHECK_RANGE] = "--scale", [PK_CHECK_LEAK] = "--against",
		[PK_CHECK_DENY] = "--deny-regex", [PK_CHECK_LENGTH] = "--max-chars",
	};
	int have[PK_CHECK_NRULES];
	size_t r;

	for (r = 0; r < PK_CHECK_NRULES; r++)
		have[r] = 1;
	have[PK_CHECK_RANGE] = ck->o.scale_set;
	have[PK_CHECK_LEAK] = 1; /* decided by pk_check_against() */
	have[PK_CHECK_DENY] = ck->o.ndeny > 0;
	have[PK_CHECK_LENGTH] = ck->o.max_chars > 0;
	for (r = 0; r < PK_CHECK_NRULES; r++) {
		enum pk_check_level l = ck->o.level[r];

		if (l == PK_LEVEL_DEFAULT)
			l = r == PK_CHECK_TIE ? PK_LEVEL_WARN : PK_LEVEL_ERROR;
		if (!have[r]) {
			if (ck->o.level[r] != PK_LEVEL_DEFAULT &&
			    ck->o.level[r] != PK_LEVEL_OFF)
				return pk_error_set(err, PK_ERR_USAGE,
						    "rule %s needs %s",
						    rule_names[r], needs[r]);
			l = PK_LEVEL_OFF;
		}
		ck->level[r] = l;
	}
	return PK_OK;
}

struct pk_check *pk_check_new(const struct pk_check_opts *o,
			      struct pk_error *err)
{
	struct pk_check *ck = calloc(1, sizeof *ck);
	size_t i;

	if (!ck) {
		pk_nomem(err);
		return NULL;
	}
	ck->o = *o;
	ck->o.prompt_field = o->prompt_field ? o->prompt_field : "prompt";
	ck->o.chosen_field = o->chosen_field ? o->chosen_field : "chosen";
	ck->o.rejected_field = o->rejected_field ? o->rejected_field : "rejected";
	ck->o.score_chosen_field =
		o->score_chosen_field ? o->score_chosen_field : "score_chosen";
	ck->o.score_rejected_field = o->score_rejected_field
					     ? o->score_rejected_field
					     : "score_rejected";
	if (!ck->o.against_field)
		ck->o.against_field = ck->o.prompt_field;
	if (!ck->o.limit)
		ck->o.limit = (unsigned long long)-1;
	pk_field_init(&ck->f_prompt, ck->o.prompt_field);
	pk_field_init(&ck->f_chosen, ck->o.chosen_field);
	pk_field_init(&ck->f_rejected, ck->o.rejected_field);
	pk_field_init(&ck->f_sc, ck->o.score_chosen_field);
	pk_field_init(&ck->f_sr, ck->o.score_rejected_field);
	pk_field_init(&ck->f_resp, ck->o.rank.responses_field);
	if (resolve_levels(ck, err) < 0)
		goto fail;
	/* leak runs only with --against files */
	ck->level[PK_CHECK_LEAK] = PK_LEVEL_OFF;
	if (o->ndeny && (!(ck->deny = calloc(o->ndeny, sizeof *ck->deny)) ||
			 !(ck->lit = calloc(o->ndeny, sizeof *ck->lit)))) {
		pk_nomem(err);
		goto fail;
	}
	for (i = 0; i < o->ndeny; i++)
		if (!(ck->deny[i] = pk_regex_new(o->deny[i], err))) {
			if (err && err->kind == PK_ERR_USAGE) {
				char why[sizeof err->text];

				memcpy(why, err->text, sizeof why);
				pk_error_set(err, PK_ERR_USAGE,
					     "--deny-regex '%s': %s", o->deny[i],
					     why);
			}
			goto fail;
		}
	for (i = 0; i < o->ndeny; i++)
		if (deny_literal(o->deny[i], &ck->lit[i]) < 0) {
			pk_nomem(err);
			goto fail;
		}
	if (o->leak_ngram && !(ck->words = pk_regex_new(WORD_REGEX, err)))
		goto fail;
	if (ck->level[PK_CHECK_DUPLICATE] != PK_LEVEL_OFF) {
		struct pk_keyset_opts ko = {0};

		ko.memory = o->memory;
		ko.tmpdir = o->tmpdir;
		ko.want_first = 1;
		if (!(ck->dups = pk_keyset_new(&ko, err)))
			goto fail;
	}
	return ck;
fail:
	pk_check_free(ck);
	return NULL;
}

void pk_check_free(struct pk_check *ck)
{
	size_t i;

	if (!ck)
		return;
	for (i = 0; ck->deny && i < ck->o.ndeny; i++)
		pk_regex_free(ck->deny[i]);
	for (i = 0; ck->lit && i < ck->o.ndeny; i++)
		free(ck->lit[i].s);
	free(ck->deny);
	free(ck->lit);
	pk_regex_free(ck->words);
	free(ck->wcache);
	for (i = 0; i < ck->nfiles; i++)
		free(ck->files[i]);
	free(ck->files);
	for (i = 0; i < ck->nagainst; i++)
		free(ck->against[i]);
	free(ck->against);
	pk_keyset_free(ck->dups);
	kset_free(&ck->leak_exact);
	kset_free(&ck->leak_ngrams);
	free(ck->bloom);
	pk_record_free(&ck->rec);
	pk_record_free(&ck->drec);
	for (i = 0; i < 3; i++)
		pk_buf_free(&ck->text[i]);
	pk_buf_free(&ck->key);
	pk_buf_free(&ck->msg);
	pk_buf_free(&ck->line);
	pk_buf_free(&ck->jv);
	pk_buf_free(&ck->tmp);
	pk_buf_free(&ck->fold);
	pk_buf_free(&ck->hashes);
	pk_buf_free(&ck->ev);
	if (ck->parent)
		pk_format_reader_free(ck->o.from);
	pk_canon_free(&ck->canon);
	pk_rank_list_free(&ck->list);
	free(ck);
}

static int add_name(char ***names, size_t *n, const char *name)
{
	char **nn = realloc(*names, (*n + 1) * sizeof **names);

	if (!nn)
		return PK_FATAL;
	*names = nn;
	if (!(nn[*n] = strdup(name)))
		return PK_FATAL;
	(*n)++;
	return PK_OK;
}

int pk_check_begin_file(struct pk_check *ck, const char *name,
			struct pk_error *err)
{
	if (ck->nfiles + 1 >= (size_t)1 << LOC_FILE_BITS)
		return pk_error_set(err, PK_ERR_USAGE, "too many input files");
	if (add_name(&ck->files, &ck->nfiles, name) < 0)
		return pk_nomem(err);
	ck->cur_file = ck->nfiles - 1;
	return PK_OK;
}

/* ---------------------------------------------------------------- */
/* Violations                                                        */
/* ---------------------------------------------------------------- */

/* Count a violation of rule at the current line; list it unless the rule
 * is past its limit.  The message is ck->msg.  Returns PK_OK or a
 * negative status (emit failed, out of memory). */
static int violation(struct pk_check *ck, enum pk_check_rule rule)
{
	enum pk_check_level l = ck->level[rule];
	const char *file = ck->nfiles ? ck->files[ck->cur_file] : "-";
	int rc;

	if (l == PK_LEVEL_OFF)
		return PK_OK;
	if (ck->parent) {
		uint32_t n = (uint32_t)ck->msg.len;
		unsigned char h[6] = {EV_VIOLATION, (unsigned char)rule};

		memcpy(h + 2, &n, 4);
		return pk_buf_append(&ck->ev, h, sizeof h) < 0 ||
		       pk_buf_append(&ck->ev, ck->msg.data, ck->msg.len) < 0
			? PK_FATAL : PK_OK;
	}
	ck->count[rule]++;
	if (l == PK_LEVEL_ERROR)
		ck->errors++;
	else
		ck->warnings++;
	if (ck->listed[rule] >= ck->o.limit ||
	    (l == PK_LEVEL_WARN && ck->o.quiet))
		return PK_OK;
	ck->listed[rule]++;
	if (ck->o.json) {
		if ((ck->jv.len && pk_buf_putc(&ck->jv, ',') < 0) ||
		    pk_buf_puts(&ck->jv, "{\"file\":") < 0 ||
		    pk_json_quote(&ck->jv, file, strlen(file)) < 0 ||
		    pk_buf_printf(&ck->jv, ",\"line\":%llu,\"rule\":\"%s\","
				  "\"level\":\"%s\",\"message\":",
				  ck->cur_line, rule_names[rule],
				  pk_check_level_name(l)) < 0 ||
		    pk_json_quote(&ck->jv, ck->msg.data, ck->msg.len) < 0 ||
		    pk_buf_putc(&ck->jv, '}') < 0)
			return PK_FATAL;
	}
	if (!ck->o.emit)
		return PK_OK;
	pk_buf_reset(&ck->line);
	if (pk_buf_printf(&ck->line, "%s:%llu: %s: ", file, ck->cur_line,
			  rule_names[rule]) < 0 ||
	    pk_buf_append(&ck->line, ck->msg.data, ck->msg.len) < 0)
		return PK_FATAL;
	rc = ck->o.emit(ck->o.ctx, ck->line.data, ck->line.len);
	return rc < 0 ? rc : PK_OK;
}

static int vreport(struct pk_check *ck, enum pk_check_rule rule,
		   const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	pk_buf_reset(&ck->msg);
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || pk_buf_reserve(&ck->msg, (size_t)n + 1) < 0)
		return PK_FATAL;
	vsnprintf(ck->msg.data, (size_t)n + 1, fmt, ap);
	ck->msg.len = (size_t)n;
	return violation(ck, rule);
}

static int report(struct pk_check *ck, enum pk_check_rule rule,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int report(struct pk_check *ck, enum pk_check_rule rule,
		  const char *fmt, ...)
{
	va_list ap;
	int rc;

	if (ck->level[rule] == PK_LEVEL_OFF)
		return PK_OK;
	va_start(ap, fmt);
	rc = vreport(ck, rule, fmt, ap);
	va_end(ap);
	return rc;
}

int pk_check_report(struct pk_check *ck, unsigned long long lineno,
		    enum pk_check_rule rule, const char *message,
		    struct pk_error *err)
{
	int rc;

	ck->cur_line = lineno;
	if (rule == PK_CHECK_JSON)
		ck->records++;
	rc = report(ck, rule, "%s", message);
	return rc < 0 ? (rc == PK_FATAL ? pk_nomem(err) : rc) : PK_OK;
}

/* The first EXCERPT_CHARS characters of the UTF-8 text s[0..n) as a JSON
 * string, with "..." when cut, into ck->tmp (NUL-terminated); NULL when
 * out of memory (never a message with its excerpt missing). */
static const char *excerpt(struct pk_check *ck, const char *s, size_t n)
{
	size_t i = 0, chars = 0;

	while (i < n && chars < EXCERPT_CHARS) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	pk_buf_reset(&ck->tmp);
	if (pk_json_quote(&ck->tmp, s, i) < 0 ||
	    (i < n && pk_buf_puts(&ck->tmp, "...") < 0))
		return NULL;
	return ck->tmp.data;
}

/* ---------------------------------------------------------------- */
/* Texts and messages                                                */
/* ---------------------------------------------------------------- */

/* Characters (code points) of the valid UTF-8 text s[0..n): the bytes
 * that are not continuation bytes (10xxxxxx), 8 at a time. */
static size_t utf8_chars(const char *s, size_t n)
{
	size_t i = 0, cont = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		/* bit 7 set and bit 6 clear, byte by byte */
		cont += (size_t)__builtin_popcountll(w & ~(w << 1) &
						     0x8080808080808080ull);
	}
	for (; i < n; i++)
		cont += ((unsigned char)s[i] & 0xc0) == 0x80;
	return n - cont;
}

static int is_role(const char *p, size_t n)
{
	return pk_key_equals(p, n, "user") || pk_key_equals(p, n, "assistant") ||
	       pk_key_equals(p, n, "system");
}

/* Schema of a message list v[0..n) named `what`: every element a message
 * with a valid role and text content; a response ends with an assistant
 * turn.  Reports the first problem (schema) and returns 0 then, else 1. */
static int check_messages(struct pk_check *ck, const char *what,
			  const char *v, size_t n, int response, int *rc)
{
	struct pk_iter it;
	size_t off, len, i = 0;
	enum pk_type t;
	struct pk_member role = {0}, content;
	const char *last_role = NULL;
	size_t last_len = 0;

	pk_iter_init(&it, v, n);
	while (pk_iter_element(&it, &off, &len, &t)) {
		const char *m = v + off;
		struct pk_content ci;
		struct pk_error e = {0};
		size_t coff, clen;
		int k;

		if (t != PK_T_OBJECT) {
			*rc = report(ck, PK_CHECK_SCHEMA,
				     "%s[%zu] is %s, not a message", what, i,
				     pk_fmt_a_type(t));
			return 0;
		}
		if (!pk_object_find(m, len, "role", &role) ||
		    role.type != PK_T_STRING) {
			*rc = report(ck, PK_CHECK_SCHEMA,
				     "%s[%zu] has no 'role' string", what, i);
			return 0;
		}
		if (!is_role(m + role.val_off, role.val_len)) {
			const char *x = excerpt(ck, m + role.val_off + 1,
						role.val_len - 2);

			*rc = x ? report(ck, PK_CHECK_SCHEMA,
					 "%s[%zu]: role %s is not system, user or assistant",
					 what, i, x)
				: PK_FATAL;
			return 0;
		}
		if (!pk_object_find(m, len, "content", &content)) {
			*rc = report(ck, PK_CHECK_SCHEMA,
				     "%s[%zu] has no 'content'", what, i);
			return 0;
		}
		pk_content_init(&ci, m + content.val_off, content.val_len, 0);
		while ((k = pk_content_next(&ci, &coff, &clen, &e)) > 0)
			;
		if (k < 0) {
			*rc = report(ck, PK_CHECK_SCHEMA, "%s[%zu]: %s", what, i,
				     e.text);
			return 0;
		}
		last_role = m + role.val_off;
		last_len = role.val_len;
		i++;
	}
	if (response && i > 0 && !pk_key_equals(last_role, last_len, "assistant")) {
		*rc = report(ck, PK_CHECK_SCHEMA,
			     "%s does not end with an assistant message", what);
		return 0;
	}
	return 1;
}

/* A text value (prompt or response) named `what`: check its type and
 * messages, and decode its text into *out.  Returns 1 when *out holds
 * the text, 0 when the value is not text (reported: null and [] under
 * empty, other types under schema), or a negative status in *rc. */
static int text_value(struct pk_check *ck, const char *what, const char *v,
		      size_t n, enum pk_type t, int response, struct pk_buf *out,
		      int *rc)
{
	struct pk_error e = {0};

	pk_buf_reset(out);
	if (t == PK_T_NULL) {
		*rc = report(ck, PK_CHECK_EMPTY, "%s is null", what);
		return 0;
	}
	if (t == PK_T_ARRAY) {
		struct pk_iter it;
		size_t off, len;
		enum pk_type et;

		pk_iter_init(&it, v, n);
		if (!pk_iter_element(&it, &off, &len, &et)) {
			*rc = report(ck, PK_CHECK_EMPTY,
				     "%s is an empty message list", what);
			return 0;
		}
		if (!check_messages(ck, what, v, n, response, rc))
			return 0;
	} else if (t != PK_T_STRING) {
		*rc = report(ck, PK_CHECK_SCHEMA,
			     "%s is %s, not a string or a message list", what,
			     pk_fmt_a_type(t));
		return 0;
	}
	if ((response ? pk_response_text(v, n, out, &e)
		      : pk_prompt_text(v, n, out, &e)) < 0) {
		*rc = e.kind == PK_ERR_NOMEM ? PK_FATAL
					     : report(ck, PK_CHECK_SCHEMA, "%s: %s",
						      what, e.text);
		return 0;
	}
	return 1;
}

/* empty, deny and length on one decoded text. */
static int text_rules(struct pk_check *ck, const char *what,
		      const struct pk_buf *t, int list_text, int response)
{
	size_t off, len, i;
	int rc = PK_OK;

	if (!pk_text_trim(t->data ? t->data : "", t->len, &off, &len)) {
		if (list_text)
			rc = report(ck, PK_CHECK_EMPTY,
				    "%s has no %s text", what,
				    response ? "assistant" : "message");
		else if (t->len == 0)
			rc = report(ck, PK_CHECK_EMPTY, "%s is empty", what);
		else
			rc = report(ck, PK_CHECK_EMPTY,
				    "%s is only white space", what);
		if (rc < 0)
			return rc;
	}
	if (response && ck->level[PK_CHECK_DENY] != PK_LEVEL_OFF)
		for (i = 0; i < ck->o.ndeny; i++) {
			struct pk_error e = {0};
			struct pk_span m;
			size_t pos = 0;
			int found;

			if (!may_match(&ck->lit[i], t->data ? t->data : "", t->len))
				continue;
			found = pk_regex_next(ck->deny[i], t->data ? t->data : "",
					      t->len, &pos, &m, &e);

			if (found == PK_FATAL)
				return PK_FATAL;
			if (found < 0)
				rc = report(ck, PK_CHECK_DENY, "%s: --deny-regex '%s': %s",
					    what, ck->o.deny[i], e.text);
			else if (found == 1) {
				const char *x = excerpt(ck, t->data + m.off, m.len);

				rc = x ? report(ck, PK_CHECK_DENY,
						"%s matches --deny-regex '%s' at character %zu: %s",
						what, ck->o.deny[i],
						utf8_chars(t->data, m.off) + 1, x)
				       : PK_FATAL;
			}
			if (rc < 0)
				return rc;
		}
	/* a text has at most as many characters as bytes */
	if (ck->level[PK_CHECK_LENGTH] != PK_LEVEL_OFF && t->len > ck->o.max_chars) {
		size_t chars = utf8_chars(t->data, t->len);

		if (chars > ck->o.max_chars)
			rc = report(ck, PK_CHECK_LENGTH,
				    "%s has %zu characters (more than %llu)", what,
				    chars, ck->o.max_chars);
	}
	return rc;
}

/* Are the decoded texts a and b equal after trimming?  2 when equal as
 * they are, 1 when equal only after trimming, 0 when they differ. */
static int same_text(const struct pk_buf *a, const struct pk_buf *b)
{
	size_t ao, al, bo, bl;

	if (a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0))
		return 2;
	pk_text_trim(a->data ? a->data : "", a->len, &ao, &al);
	pk_text_trim(b->data ? b->data : "", b->len, &bo, &bl);
	return al == bl && (al == 0 || memcmp(a->data + ao, b->data + bo, al) == 0);
}

/* ---------------------------------------------------------------- */
/* duplicate                                                         */
/* ---------------------------------------------------------------- */

static const char *const dup_what[2] = {
	"same prompt, chosen and rejected", "same prompt and responses",
};

static int report_dup(struct pk_check *ck, int kind, uint64_t first)
{
	return report(ck, PK_CHECK_DUPLICATE, "%s as %s:%llu", dup_what[kind],
		      ck->files[LOC_FILE(first)],
		      (unsigned long long)LOC_LINENO(first));
}

/* The record of kind (0 a pair, 1 a list) at the current line has key
 * k.  A duplicate found at once is reported now, one the key set can
 * only tell after its merge (past --memory) by dup_finish(). */
static int dup_add(struct pk_check *ck, int kind, const unsigned char k[16],
		   struct pk_error *err)
{
	uint64_t tag = LOC(ck->cur_file, ck->cur_line) << 1 | (uint64_t)kind;
	uint64_t first = 0;
	int rc;

	/* Records of one line (made by a --from reader) share its place;
	 * should a list come before a pair there, the pair keeps the list's
	 * tag (the key set takes equal tags, not decreasing ones). */
	if (tag < ck->dup_tag)
		tag = ck->dup_tag;
	ck->dup_tag = tag;
	rc = pk_keyset_add(ck->dups, k, tag, &first, err);
	if (rc == PK_KEY_DUP)
		return report_dup(ck, kind, first >> 1);
	return rc < 0 ? rc : PK_OK;
}

/* The key in ck->key is the canonical text of the record's key fields:
 * its hash to dup_add(), or for a worker an event. */
static int dup_check(struct pk_check *ck, int kind, struct pk_error *err)
{
	unsigned char ev[18] = {EV_DUP, (unsigned char)kind};

	pk_hash128(ck->key.data, ck->key.len, ev + 2);
	if (!ck->parent)
		return dup_add(ck, kind, ev + 2, err);
	return pk_buf_append(&ck->ev, ev, sizeof ev) < 0 ? pk_nomem(err) : PK_OK;
}

/* Append the canonical text of v (or null) to ck->key. */
static int key_part(struct pk_check *ck, const char *v, size_t n, int more,
		    struct pk_error *err)
{
	int rc = v ? pk_canonical(&ck->key, v, n, 0, &ck->canon, err)
		   : pk_buf_puts(&ck->key, "null");

	if (rc < 0)
		return rc;
	return pk_buf_putc(&ck->key, more ? ',' : ']') < 0 ? pk_nomem(err) : PK_OK;
}

/* The duplicates the key set told only after its merge, in place order. */
static int dup_finish(struct pk_check *ck, struct pk_error *err)
{
	uint64_t tag, first;
	int rc;

	if (!ck->dups)
		return PK_OK;
	if ((rc = pk_keyset_finish(ck->dups, err)) < 0)
		return rc;
	while ((rc = pk_keyset_next_dup(ck->dups, &tag, &first, err)) == PK_OK) {
		ck->cur_file = LOC_FILE(tag >> 1);
		ck->cur_line = LOC_LINENO(tag >> 1);
		if ((rc = report_dup(ck, (int)(tag & 1), first >> 1)) < 0)
			return rc;
	}
	return rc == PK_EOF ? PK_OK : rc;
}

/* ---------------------------------------------------------------- */
/* leak                                                              */
/* ---------------------------------------------------------------- */

/* Bytes by class for the word scan: 0 an ASCII byte that is not a word
 * character, 1 [a-z0-9_], 2 [A-Z], 3 any byte of a non-ASCII character. */
static const unsigned char word_class[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['_'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2,
	['G'] = 2, ['H'] = 2, ['I'] = 2, ['J'] = 2, ['K'] = 2, ['L'] = 2,
	['M'] = 2, ['N'] = 2, ['O'] = 2, ['P'] = 2, ['Q'] = 2, ['R'] = 2,
	['S'] = 2, ['T'] = 2, ['U'] = 2, ['V'] = 2, ['W'] = 2, ['X'] = 2,
	['Y'] = 2, ['Z'] = 2,
	[0x80 ... 0xff] = 3,
};

/* The hashes of the words of a piece p[0..n) with characters outside
 * ASCII, appended to ck->hashes: the piece case folded (pk_normalize) and
 * tokenized by the pattern, or what that gave for the same piece before
 * (the cache: text repeats its words).  The number of words, or a
 * negative status. */
static long piece_hashes(struct pk_check *ck, const char *p, size_t n,
			 struct pk_error *err)
{
	struct wcache *c = NULL;
	size_t before = ck->hashes.len;
	long k;

	if (n <= WCACHE_BYTES) {
		if (!ck->wcache &&
		    !(ck->wcache = calloc(WCACHE_SLOTS, sizeof *ck->wcache)))
			return pk_nomem(err);
		c = &ck->wcache[XXH3_64bits(p, n) & (WCACHE_SLOTS - 1)];
		if (c->len == n && memcmp(c->piece, p, n) == 0) {
			if (pk_buf_append(&ck->hashes, c->h,
					  c->nwords * sizeof c->h[0]) < 0)
				return pk_nomem(err);
			return c->nwords;
		}
	}
	pk_buf_reset(&ck->fold);
	if (pk_normalize(&ck->fold, p, n, PK_NORM_CASE) < 0)
		return pk_nomem(err);
	k = pk_tokenize(ck->words, ck->fold.data, ck->fold.len, NULL,
			&ck->hashes, err);
	if (k < 0 || !c || k > WCACHE_WORDS ||
	    ck->hashes.len - before != (size_t)k * sizeof c->h[0])
		return k;
	c->len = (unsigned char)n;
	c->nwords = (unsigned char)k;
	memcpy(c->piece, p, n);
	memcpy(c->h, ck->hashes.data + before, (size_t)k * sizeof c->h[0]);
	return k;
}

/* The hashes (pk_token_hash) of the words of t into ck->hashes: the
 * matches of WORD_REGEX in the case-folded text.  The text is cut at
 * ASCII bytes that are not word characters (never part of a word, and
 * their own case folding); a piece of ASCII is split and lowercased here
 * (there \w is [A-Za-z0-9_], case folding is lowercasing), a piece with
 * other characters is case folded (pk_normalize) and tokenized by the
 * pattern.  Returns the number of words, or a negative status. */
static long word_hashes(struct pk_check *ck, const struct pk_buf *t,
			struct pk_error *err)
{
	const unsigned char *s = (const unsigned char *)(t->data ? t->data : "");
	size_t i = 0, n = t->len;
	long nw = 0, k;

	pk_buf_reset(&ck->hashes);
	while (i < n) {
		size_t start;
		unsigned cls = 0;

		while (i < n && word_class[s[i]] == 0)
			i++;
		start = i;
		while (i < n && word_class[s[i]] != 0)
			cls |= word_class[s[i++]];
		if (i == start)
			break;
		if (cls < 3) {
			char low[256];
			size_t m = i - start, q;
			uint64_t h;
			const char *w = (const char *)s + start;

			if (cls == 2) { /* lowercase it first */
				if (m > sizeof low) {
					pk_buf_reset(&ck->fold);
					if (pk_normalize(&ck->fold, w, m,
							 PK_NORM_CASE) < 0)
						return pk_nomem(err);
					w = ck->fold.data;
				} else {
					for (q = 0; q < m; q++)
						low[q] = (char)(word_class[s[start + q]] == 2
								? s[start + q] + 32
								: s[start + q]);
					w = low;
				}
			}
			h = XXH3_64bits(w, m); /* pk_token_hash, inlined */
			/* room for 8 bytes and the NUL pk_buf keeps */
			if (ck->hashes.cap - ck->hashes.len <= sizeof h &&
			    pk_buf_reserve(&ck->hashes, (n - i) / 2 * sizeof h +
							   sizeof h) < 0)
				return pk_nomem(err);
			memcpy(ck->hashes.data + ck->hashes.len, &h, sizeof h);
			ck->hashes.len += sizeof h;
			ck->hashes.data[ck->hashes.len] = '\0';
			nw++;
			continue;
		}
		if ((k = piece_hashes(ck, (const char *)s + start, i - start,
				      err)) < 0)
			return k;
		nw += k;
	}
	return nw;
}

/* Hashes of the word runs of text t into ck->hashes (uint64_t each);
 * returns how many, or a negative status. */
static long ngrams(struct pk_check *ck, const struct pk_buf *t,
		   struct pk_error *err)
{
	size_t N = ck->o.leak_ngram, i, nw;
	long n = word_hashes(ck, t, err);
	uint64_t *w;

	if (n < 0)
		return n;
	nw = (size_t)n;
	if (nw < N)
		return 0;
	w = (uint64_t *)(void *)ck->hashes.data;
	/* A run's hash: the polynomial sum over its words' hashes h_j,
	 * sum h_j * P^(N-1-j) mod 2^64, rolled from run to run, then mixed
	 * (pk_split_mix).  In place: run i's hash replaces word i's, which
	 * is read before it is written. */
	{
		uint64_t acc = 0, top = 1;

		for (i = 0; i + 1 < N; i++)
			top *= RUN_P;
		for (i = 0; i < N; i++)
			acc = acc * RUN_P + w[i];
		for (i = 0;; i++) {
			uint64_t first = w[i];

			w[i] = pk_split_mix(acc);
			if (i + N >= nw)
				break;
			acc = (acc - first * top) * RUN_P + w[i + N];
		}
	}
	return (long)(nw - N + 1);
}

static void exact_key(const struct pk_buf *t, unsigned char k[16])
{
	size_t off, len;

	pk_text_trim(t->data ? t->data : "", t->len, &off, &len);
	pk_hash128(t->data ? t->data + off : "", len, k);
}

static void ngram_key(uint64_t h, unsigned char k[16])
{
	memset(k, 0, 16);
	memcpy(k + 8, &h, 8);
}

#define BLOOM_BIT(h, shift) (((h) * 0x9e3779b97f4a7c15ull) >> (shift))

static int bloom_build(struct pk_check *ck)
{
	unsigned lg = 6;
	size_t i;

	while (((size_t)1 << lg) < ck->leak_ngrams.n * 16)
		lg++;
	if (!(ck->bloom = calloc((size_t)1 << (lg - 6), sizeof *ck->bloom)))
		return PK_FATAL;
	ck->bloom_shift = 64 - lg;
	for (i = 0; i < ck->leak_ngrams.cap; i++)
		if (ck->leak_ngrams.t[i].val) {
			uint64_t h, b;

			memcpy(&h, ck->leak_ngrams.t[i].key + 8, 8);
			b = BLOOM_BIT(h, ck->bloom_shift);
			ck->bloom[b >> 6] |= (uint64_t)1 << (b & 63);
		}
	return PK_OK;
}

static int leak_check(struct pk_check *ck, const struct pk_buf *prompt,
		      struct pk_error *err)
{
	/* the tables of the --against files: a worker's parent's */
	const struct pk_check *t = ck->parent ? ck->parent : ck;
	unsigned char k[16];
	struct kentry *e;
	long n, i;

	if (ck->level[PK_CHECK_LEAK] == PK_LEVEL_OFF)
		return PK_OK;
	exact_key(prompt, k);
	if ((e = kset_find(&t->leak_exact, k)))
		return report(ck, PK_CHECK_LEAK, "prompt is also in %s:%llu",
			      t->against[LOC_FILE(e->val)],
			      (unsigned long long)LOC_LINENO(e->val));
	if (!ck->o.leak_ngram || !t->leak_ngrams.n)
		return PK_OK;
	if (!t->bloom && bloom_build(ck) < 0) /* not a worker's */
		return pk_nomem(err);
	if ((n = ngrams(ck, prompt, err)) < 0)
		return (int)n;
	for (i = 0; i < n; i++) {
		uint64_t h = ((uint64_t *)(void *)ck->hashes.data)[i];
		uint64_t b = BLOOM_BIT(h, t->bloom_shift);

		if (!(t->bloom[b >> 6] >> (b & 63) & 1))
			continue;
		ngram_key(h, k);
		if ((e = kset_find(&t->leak_ngrams, k)))
			return report(ck, PK_CHECK_LEAK,
				      "prompt shares a run of %u words with %s:%llu",
				      ck->o.leak_ngram,
				      t->against[LOC_FILE(e->val)],
				      (unsigned long long)LOC_LINENO(e->val));
	}
	return PK_OK;
}

int pk_check_against(struct pk_check *ck, const char *path,
		     struct pk_error *err)
{
	struct pk_reader *r;
	struct pk_line line;
	struct pk_field f;
	struct pk_value v;
	size_t idx = ck->nagainst;
	int rc;

	if (add_name(&ck->against, &ck->nagainst, path) < 0)
		return pk_nomem(err);
	if (!(r = pk_reader_open(path, ck->o.max_line, err))) {
		if (err && err->kind != PK_ERR_NOMEM) {
			char why[sizeof err->text];

			memcpy(why, err->text, sizeof why);
			pk_error_set(err, err->kind, "%s: %s", path, why);
		}
		return PK_FATAL;
	}
	pk_field_init(&f, ck->o.against_field);
	while ((rc = pk_reader_next(r, &line, err)) == PK_OK) {
		const char *pv = NULL;
		size_t pn = 0;
		long n, i;
		unsigned char k[16];
		uint64_t loc = LOC(idx, line.lineno);

		rc = pk_scan_record(&ck->rec, line.data, line.len, err);
		if (rc == PK_OK && pk_record_field(&ck->rec, &f, &v)) {
			pv = ck->rec.text + v.off;
			pn = v.len;
		} else if (rc == PK_OK &&
			   pk_record_field(&ck->rec, &ck->f_chosen, &v) &&
			   v.type == PK_T_ARRAY) {
			rc = pk_implicit_prompt(ck->rec.text + v.off, v.len,
						&ck->key);
			pv = ck->key.data;
			pn = ck->key.len;
		} else if (rc == PK_OK) {
			rc = pk_error_set(err, PK_ERR_DATA, "no '%s'",
					  ck->o.against_field);
		}
		pk_buf_reset(&ck->text[0]);
		if (rc == PK_OK)
			rc = pk_prompt_text(pv, pn, &ck->text[0], err);
		if (rc < 0)
			break;
		exact_key(&ck->text[0], k);
		if (!kset_find(&ck->leak_exact, k) &&
		    kset_insert(&ck->leak_exact, k, loc) < 0) {
			rc = pk_nomem(err);
			break;
		}
		if (!ck->o.leak_ngram)
			continue;
		if ((n = ngrams(ck, &ck->text[0], err)) < 0) {
			rc = (int)n;
			break;
		}
		for (i = 0; i < n; i++) {
			ngram_key(((uint64_t *)(void *)ck->hashes.data)[i], k);
			if (!kset_find(&ck->leak_ngrams, k) &&
			    kset_insert(&ck->leak_ngrams, k, loc) < 0) {
				rc = pk_nomem(err);
				break;
			}
		}
		if (rc < 0)
			break;
	}
	if (rc < 0 && err && err->kind != PK_ERR_NOMEM) {
		char why[sizeof err->text];
		unsigned long col = err->column;
		enum pk_errkind kind = err->kind == PK_ERR_IO ? PK_ERR_IO
							      : PK_ERR_DATA;

		memcpy(why, err->text, sizeof why);
		if (kind == PK_ERR_DATA && col)
			pk_error_set(err, kind, "%s:%llu: %s (column %lu)", path,
				     err->line ? err->line : line.lineno, why, col);
		else if (kind == PK_ERR_DATA)
			pk_error_set(err, kind, "%s:%llu: %s", path,
				     err->line ? err->line : line.lineno, why);
		else
			pk_error_set(err, kind, "%s: %s", path, why);
	}
	pk_reader_close(r);
	if (rc < 0 && rc != PK_EOF)
		return PK_FATAL;
	if (ck->o.level[PK_CHECK_LEAK] != PK_LEVEL_OFF)
		ck->level[PK_CHECK_LEAK] =
			ck->o.level[PK_CHECK_LEAK] == PK_LEVEL_WARN ? PK_LEVEL_WARN
								    : PK_LEVEL_ERROR;
	return PK_OK;
}

/* ---------------------------------------------------------------- */
/* Pairs and lists                                                   */
/* ---------------------------------------------------------------- */

static int want_texts(const struct pk_check *ck)
{
	return ck->level[PK_CHECK_EMPTY] != PK_LEVEL_OFF ||
	       ck->level[PK_CHECK_IDENTICAL] != PK_LEVEL_OFF ||
	       ck->level[PK_CHECK_DENY] != PK_LEVEL_OFF ||
	       ck->level[PK_CHECK_LENGTH] != PK_LEVEL_OFF ||
	       ck->level[PK_CHECK_LEAK] != PK_LEVEL_OFF;
}

/* A hint for a record that looks like a foreign format. */
static const char *format_hint(const struct pk_record *rec, char *buf,
			       size_t n)
{
	const char *f = pk_format_detect(rec);

	if (!f || strcmp(f, "trl") == 0 || strcmp(f, "lists") == 0)
		return "";
	snprintf(buf, n, " (%s format? name it with --from %s)", f, f);
	return buf;
}

/* A score of a pair: 1 with *x when it is there and a number, 0 when
 * absent, or 0 after reporting it (schema). */
static int pair_score(struct pk_check *ck, const struct pk_record *rec,
		      struct pk_field *f, double *x, struct pk_value *v, int *rc)
{
	struct pk_error e = {0};

	if (!pk_record_field(rec, f, v))
		return 0;
	if (pk_record_score_field(rec, f, x, v, &e) < 0) {
		*rc = report(ck, PK_CHECK_SCHEMA, "%s", e.text);
		return 0;
	}
	return 1;
}

static int range_check(struct pk_check *ck, const char *what, double x,
		       const char *raw, size_t n)
{
	if (ck->level[PK_CHECK_RANGE] == PK_LEVEL_OFF ||
	    (x >= ck->o.scale_min && x <= ck->o.scale_max))
		return PK_OK;
	return report(ck, PK_CHECK_RANGE, "%s %.*s is outside the scale %g:%g",
		      what, (int)n, raw, ck->o.scale_min, ck->o.scale_max);
}

static int check_pair(struct pk_check *ck, const struct pk_record *rec,
		      struct pk_error *err)
{
	struct pk_value p, c, r, vsc, vsr;
	int hp, hc, hr, ok[3] = {0, 0, 0}, rc = PK_OK, texts = want_texts(ck);
	int implicit = 0, sc_ok, sr_ok;
	double sc = 0, sr = 0;
	char hint[96];
	const char *pv = NULL;
	size_t pn = 0;

	hp = pk_record_field(rec, &ck->f_prompt, &p);
	hc = pk_record_field(rec, &ck->f_chosen, &c);
	hr = pk_record_field(rec, &ck->f_rejected, &r);
	if (!hc || !hr) {
		rc = report(ck, PK_CHECK_SCHEMA, "no '%s'%s",
			    !hc ? ck->o.chosen_field : ck->o.rejected_field,
			    format_hint(rec, hint, sizeof hint));
		if (rc < 0)
			return rc;
	}
	if (hp) {
		pv = rec->text + p.off;
		pn = p.len;
	} else if (hc && hr && c.type == PK_T_ARRAY && r.type == PK_T_ARRAY) {
		/* SPEC 1.2 implicit prompt: every message but the last */
		implicit = 1;
		if ((rc = pk_implicit_prompt(rec->text + c.off, c.len, &ck->key)) < 0)
			return pk_nomem(err);
		if ((rc = pk_implicit_prompt(rec->text + r.off, r.len, &ck->tmp)) < 0)
			return pk_nomem(err);
		if (ck->key.len != ck->tmp.len ||
		    memcmp(ck->key.data, ck->tmp.data, ck->key.len) != 0) {
			if ((rc = report(ck, PK_CHECK_SCHEMA,
					 "no '%s', and %s and %s differ before their last message",
					 ck->o.prompt_field, ck->o.chosen_field,
					 ck->o.rejected_field)) < 0)
				return rc;
		}
		pv = ck->key.data;
		pn = ck->key.len;
	} else if (hc && hr) {
		if ((rc = report(ck, PK_CHECK_SCHEMA, "no '%s'%s",
				 ck->o.prompt_field,
				 format_hint(rec, hint, sizeof hint))) < 0)
			return rc;
	}

	/* texts (the schema of each value comes with them) */
	if (pv) {
		if (implicit && pn <= 2)
			rc = report(ck, PK_CHECK_EMPTY,
				    "prompt is empty (no message before the last)");
		else
			ok[0] = text_value(ck, ck->o.prompt_field, pv, pn,
					   pk_type_of(pv, pn), 0, &ck->text[0], &rc);
		if (rc < 0)
			return rc;
		if (ok[0] && texts && (rc = text_rules(ck, ck->o.prompt_field,
						       &ck->text[0],
						       pk_type_of(pv, pn) == PK_T_ARRAY,
						       0)) < 0)
			return rc;
	}
	if (hc) {
		ok[1] = text_value(ck, ck->o.chosen_field, rec->text + c.off, c.len,
				   c.type, 1, &ck->text[1], &rc);
		if (rc < 0)
			return rc;
		if (ok[1] && texts &&
		    (rc = text_rules(ck, ck->o.chosen_field, &ck->text[1],
				     c.type == PK_T_ARRAY, 1)) < 0)
			return rc;
	}
	if (hr) {
		ok[2] = text_value(ck, ck->o.rejected_field, rec->text + r.off,
				   r.len, r.type, 1, &ck->text[2], &rc);
		if (rc < 0)
			return rc;
		if (ok[2] && texts &&
		    (rc = text_rules(ck, ck->o.rejected_field, &ck->text[2],
				     r.type == PK_T_ARRAY, 1)) < 0)
			return rc;
	}

	/* identical: texts, or two equal values that are not text */
	if (ck->level[PK_CHECK_IDENTICAL] != PK_LEVEL_OFF && hc && hr) {
		size_t o1, l1;
		int same = 0;

		if (ok[1] && ok[2] &&
		    pk_text_trim(ck->text[1].data ? ck->text[1].data : "",
				 ck->text[1].len, &o1, &l1))
			same = same_text(&ck->text[1], &ck->text[2]);
		if (same == 2)
			rc = report(ck, PK_CHECK_IDENTICAL, "%s and %s are identical",
				    ck->o.chosen_field, ck->o.rejected_field);
		else if (same == 1)
			rc = report(ck, PK_CHECK_IDENTICAL,
				    "%s and %s are identical after trimming white space",
				    ck->o.chosen_field, ck->o.rejected_field);
		else if (!ok[1] && !ok[2] && c.type != PK_T_NULL &&
			 c.type == r.type && c.len == r.len &&
			 memcmp(rec->text + c.off, rec->text + r.off, c.len) == 0 &&
			 (c.type != PK_T_ARRAY || c.len > 2))
			rc = report(ck, PK_CHECK_IDENTICAL,
				    "%s and %s are the same %s", ck->o.chosen_field,
				    ck->o.rejected_field, pk_type_name(c.type));
		if (rc < 0)
			return rc;
	}

	/* scores: misordered, tie, range */
	sc_ok = pair_score(ck, rec, &ck->f_sc, &sc, &vsc, &rc);
	if (rc < 0)
		return rc;
	sr_ok = pair_score(ck, rec, &ck->f_sr, &sr, &vsr, &rc);
	if (rc < 0)
		return rc;
	if (sc_ok && sr_ok) {
		if (sc < sr)
			rc = report(ck, PK_CHECK_MISORDERED, "%s %.*s < %s %.*s",
				    ck->o.score_chosen_field, (int)vsc.len,
				    rec->text + vsc.off, ck->o.score_rejected_field,
				    (int)vsr.len, rec->text + vsr.off);
		else if (sc == sr)
			rc = report(ck, PK_CHECK_TIE, "%s = %s = %.*s",
				    ck->o.score_chosen_field,
				    ck->o.score_rejected_field, (int)vsc.len,
				    rec->text + vsc.off);
		if (rc < 0)
			return rc;
	}
	if (sc_ok && (rc = range_check(ck, ck->o.score_chosen_field, sc,
				       rec->text + vsc.off, vsc.len)) < 0)
		return rc;
	if (sr_ok && (rc = range_check(ck, ck->o.score_rejected_field, sr,
				       rec->text + vsr.off, vsr.len)) < 0)
		return rc;

	if (ok[0] && (rc = leak_check(ck, &ck->text[0], err)) < 0)
		return rc;

	/* duplicate: [prompt, chosen, rejected] as canonical JSON */
	if (ck->level[PK_CHECK_DUPLICATE] != PK_LEVEL_OFF && hc && hr) {
		if (implicit) /* ck->key holds the implicit prompt */
			pv = NULL;
		pk_buf_reset(&ck->key);
		if (pk_buf_putc(&ck->key, '[') < 0)
			return pk_nomem(err);
		if ((rc = key_part(ck, pv, pn, 1, err)) < 0 ||
		    (rc = key_part(ck, rec->text + c.off, c.len, 1, err)) < 0 ||
		    (rc = key_part(ck, rec->text + r.off, r.len, 0, err)) < 0)
			return rc;
		return dup_check(ck, 0, err);
	}
	return PK_OK;
}

static int check_list(struct pk_check *ck, const struct pk_record *rec,
		      struct pk_error *err)
{
	struct pk_rank_list *l = &ck->list;
	struct pk_error e = {0};
	size_t i, j, *order = NULL;
	uint64_t *h = NULL;
	int rc = PK_OK, texts = want_texts(ck), prompt_ok = 0;
	char what[64];
	struct pk_buf *pt = &ck->text[0];

	rc = pk_rank_parse(l, rec, &ck->o.rank, &e);
	if (rc < 0)
		return e.kind == PK_ERR_NOMEM ? pk_nomem(err)
					      : report(ck, PK_CHECK_SCHEMA, "%s", e.text);
	if (l->prompt.type != PK_T_NONE) {
		prompt_ok = text_value(ck, ck->o.rank.prompt_field,
				       l->text + l->prompt.off, l->prompt.len,
				       l->prompt.type, 0, pt, &rc);
		if (rc < 0)
			return rc;
		if (prompt_ok && texts &&
		    (rc = text_rules(ck, ck->o.rank.prompt_field, pt,
				     l->prompt.type == PK_T_ARRAY, 0)) < 0)
			return rc;
	}
	if (l->n && (!(order = malloc(l->n * sizeof *order)) ||
		     !(h = calloc(l->n, sizeof *h)))) {
		free(order);
		return pk_nomem(err);
	}
	/* in input order */
	for (i = 0; i < l->n; i++)
		order[l->items[i].index < l->n ? l->items[i].index : i] = i;
	pk_buf_reset(&ck->hashes); /* trimmed texts, NUL-separated offsets */
	for (j = 0; j < l->n && rc >= 0; j++) {
		const struct pk_rank_item *it = &l->items[order[j]];
		struct pk_buf *t = &ck->text[1];
		int ok;

		snprintf(what, sizeof what, "%s[%zu]", ck->o.rank.responses_field,
			 it->index);
		ok = text_value(ck, what, l->text + it->text.off, it->text.len,
				it->text.type, 1, t, &rc);
		if (rc < 0)
			break;
		if (ok && texts &&
		    (rc = text_rules(ck, what, t, it->text.type == PK_T_ARRAY, 1)) < 0)
			break;
		if (it->score.type == PK_T_NUMBER &&
		    ck->level[PK_CHECK_RANGE] != PK_LEVEL_OFF) {
			double x;
			char sw[80];

			if (pk_parse_number(l->text + it->score.off, it->score.len,
					    &x) == PK_OK) {
				snprintf(sw, sizeof sw, "%s.%s", what,
					 ck->o.rank.score_field);
				if ((rc = range_check(ck, sw, x, l->text + it->score.off,
						      it->score.len)) < 0)
					break;
			}
		}
		/* identical: the trimmed text's hash, then the text itself */
		if (ok && ck->level[PK_CHECK_IDENTICAL] != PK_LEVEL_OFF) {
			size_t off, len, k;

			if (!pk_text_trim(t->data ? t->data : "", t->len, &off, &len))
				continue;
			h[j] = pk_hash64(t->data + off, len, 0) | 1;
			for (k = 0; k < j; k++) {
				const struct pk_rank_item *o2 = &l->items[order[k]];

				if (h[k] != h[j])
					continue;
				pk_buf_reset(&ck->text[2]);
				if (pk_response_text(l->text + o2->text.off,
						     o2->text.len, &ck->text[2],
						     &e) < 0)
					continue;
				if (same_text(&ck->text[2], t)) {
					rc = report(ck, PK_CHECK_IDENTICAL,
						    "%s and %s[%zu] are identical%s",
						    what, ck->o.rank.responses_field,
						    o2->index,
						    same_text(&ck->text[2], t) == 1
							    ? " after trimming white space"
							    : "");
					break;
				}
			}
		}
	}
	free(order);
	free(h);
	if (rc < 0)
		return rc;
	if (prompt_ok && (rc = leak_check(ck, pt, err)) < 0)
		return rc;
	if (ck->level[PK_CHECK_DUPLICATE] != PK_LEVEL_OFF) {
		struct pk_value rv;

		pk_buf_reset(&ck->key);
		if (pk_buf_putc(&ck->key, '[') < 0)
			return pk_nomem(err);
		if (!pk_record_field(rec, &ck->f_resp, &rv))
			return PK_OK;
		if ((rc = key_part(ck, l->prompt.type != PK_T_NONE
					       ? l->text + l->prompt.off
					       : NULL,
				   l->prompt.len, 1, err)) < 0 ||
		    (rc = key_part(ck, rec->text + rv.off, rv.len, 0, err)) < 0)
			return rc;
		return dup_check(ck, 1, err);
	}
	return PK_OK;
}

static int check_scanned(struct pk_check *ck, const struct pk_record *rec,
			 struct pk_error *err)
{
	struct pk_value v;

	if (pk_record_field(rec, &ck->f_resp, &v))
		return check_list(ck, rec, err);
	return check_pair(ck, rec, err);
}

/* A record made by the format reader of --from. */
static int check_derived(void *ctx, const char *json, size_t len)
{
	struct pk_check *ck = ctx;
	int rc;

	rc = pk_scan_record(&ck->drec, json, len, &ck->derr);
	if (rc < 0)
		return rc == PK_BAD_RECORD ? report(ck, PK_CHECK_SCHEMA, "%s",
						    ck->derr.text)
					   : rc;
	return check_scanned(ck, &ck->drec, &ck->derr);
}

int pk_check_line(struct pk_check *ck, unsigned long long lineno,
		  const char *text, size_t len, struct pk_error *err)
{
	struct pk_error e = {0};
	int rc;

	ck->cur_line = lineno;
	ck->records++;
	if (ck->parent) {
		unsigned char ev[9] = {EV_LINE};

		memcpy(ev + 1, &lineno, 8);
		pk_buf_reset(&ck->ev);
		if (pk_buf_append(&ck->ev, ev, sizeof ev) < 0)
			return pk_nomem(err);
	}
	rc = pk_scan_record(&ck->rec, text, len, &e);
	if (rc == PK_BAD_RECORD) {
		if (e.column && strncmp(e.text, "not a JSON object", 17) != 0)
			rc = report(ck, PK_CHECK_JSON, "%s (column %lu)", e.text,
				    e.column);
		else
			rc = report(ck, PK_CHECK_JSON, "%s", e.text);
	} else if (rc < 0) {
		if (err)
			*err = e;
		return rc;
	} else if (ck->o.from) {
		pk_error_clear(&ck->derr);
		rc = pk_format_reader_feed(ck->o.from, &ck->rec, check_derived,
					   ck, &ck->derr);
		if (rc == PK_BAD_RECORD)
			rc = report(ck, PK_CHECK_SCHEMA, "%s", ck->derr.text);
		else if (rc == PK_OK && pk_format_reader_note(ck->o.from))
			/* accepted with a warning (hh: diverges-early,
			 * prefix, identical): a schema violation here */
			rc = report(ck, PK_CHECK_SCHEMA, "%s",
				    pk_format_reader_note(ck->o.from));
		else if (rc < 0 && err)
			*err = ck->derr;
	} else {
		rc = check_scanned(ck, &ck->rec, err);
	}
	if (rc == PK_FATAL && err && err->kind == PK_ERR_NONE)
		pk_nomem(err);
	return rc < 0 ? rc : PK_OK;
}

int pk_check_finish(struct pk_check *ck, struct pk_error *err)
{
	int rc;

	pk_buf_reset(&ck->ev);
	if (ck->o.from) {
		pk_error_clear(&ck->derr);
		rc = pk_format_reader_finish(ck->o.from, check_derived, ck,
					     &ck->derr);
		if (rc < 0) {
			if (err)
				*err = ck->derr;
			if (rc == PK_FATAL && err && err->kind == PK_ERR_NONE)
				pk_nomem(err);
			return rc;
		}
	}
	if (ck->parent) /* a worker's last records count at once */
		return pk_check_replay(ck->parent, ck->ev.data, ck->ev.len, err);
	return dup_finish(ck, err);
}

/* ---------------------------------------------------------------- */
/* Workers                                                           */
/* ---------------------------------------------------------------- */

struct pk_check *pk_check_worker(struct pk_check *ck,
				 struct pk_format_reader *from,
				 struct pk_error *err)
{
	struct pk_check_opts o = ck->o;
	struct pk_check *w;

	if (ck->parent) {
		pk_format_reader_free(from);
		pk_error_set(err, PK_ERR_USAGE, "pk_check_worker: of a worker");
		return NULL;
	}
	/* what leak_check() would build on first use, built before any
	 * worker reads it */
	if (ck->level[PK_CHECK_LEAK] != PK_LEVEL_OFF && ck->o.leak_ngram &&
	    ck->leak_ngrams.n && !ck->bloom && bloom_build(ck) < 0) {
		pk_format_reader_free(from);
		pk_nomem(err);
		return NULL;
	}
	o.from = from;
	o.emit = NULL;
	o.ctx = NULL;
	o.json = 0;
	if (!(w = pk_check_new(&o, err))) {
		pk_format_reader_free(from);
		return NULL;
	}
	/* the levels as the --against files left them; no key set */
	memcpy(w->level, ck->level, sizeof w->level);
	pk_keyset_free(w->dups);
	w->dups = NULL;
	w->parent = ck;
	return w;
}

void pk_check_events(const struct pk_check *w, const void **events,
		     size_t *len)
{
	*events = w->ev.data ? w->ev.data : "";
	*len = w->ev.len;
}

int pk_check_replay(struct pk_check *ck, const void *events, size_t len,
		    struct pk_error *err)
{
	const unsigned char *p = events, *end = p + len;
	unsigned long long lineno;
	uint32_t n;
	int rc = PK_OK;

	while (p < end && rc >= 0) {
		switch (*p++) {
		case EV_LINE:
			if (end - p < 8)
				goto corrupt;
			memcpy(&lineno, p, 8);
			p += 8;
			ck->cur_line = lineno;
			ck->records++;
			break;
		case EV_VIOLATION:
			if (end - p < 5 || p[0] >= PK_CHECK_NRULES)
				goto corrupt;
			memcpy(&n, p + 1, 4);
			if ((size_t)(end - p - 5) < n)
				goto corrupt;
			pk_buf_reset(&ck->msg);
			if (pk_buf_append(&ck->msg, p + 5, n) < 0)
				return pk_nomem(err);
			rc = violation(ck, (enum pk_check_rule)p[0]);
			p += 5 + n;
			break;
		case EV_DUP:
			if (end - p < 17 || p[0] > 1 || !ck->dups)
				goto corrupt;
			rc = dup_add(ck, p[0], p + 1, err);
			p += 17;
			break;
		default:
			goto corrupt;
		}
	}
	if (rc == PK_FATAL && err && err->kind == PK_ERR_NONE)
		pk_nomem(err);
	return rc < 0 ? rc : PK_OK;
corrupt:
	return pk_error_set(err, PK_ERR_USAGE,
			    "pk_check_replay: not the events of a worker");
}

/* ---------------------------------------------------------------- */
/* Results                                                           */
/* ---------------------------------------------------------------- */

enum pk_check_level pk_check_level(const struct pk_check *ck,
				   enum pk_check_rule rule)
{
	return (unsigned)rule < PK_CHECK_NRULES ? ck->level[rule] : PK_LEVEL_OFF;
}

unsigned long long pk_check_count(const struct pk_check *ck,
				  enum pk_check_rule rule,
				  unsigned long long *listed)
{
	if ((unsigned)rule >= PK_CHECK_NRULES)
		return 0;
	if (listed)
		*listed = ck->listed[rule];
	return ck->count[rule];
}

void pk_check_totals(const struct pk_check *ck, unsigned long long *records,
		     unsigned long long *errors, unsigned long long *warnings)
{
	if (records)
		*records = ck->records;
	if (errors)
		*errors = ck->errors;
	if (warnings)
		*warnings = ck->warnings;
}

int pk_check_failed(const struct pk_check *ck)
{
	return ck->errors > ck->o.max_violations;
}

int pk_check_summary(const struct pk_check *ck, struct pk_buf *out)
{
	size_t r;
	int capped = 0;

	if (ck->errors + (ck->o.quiet ? 0 : ck->warnings) == 0)
		return PK_OK;
	if (pk_buf_printf(out, "%-12s %-6s %10s\n", "rule", "level",
			  "violations") < 0)
		return PK_FATAL;
	for (r = 0; r < PK_CHECK_NRULES; r++) {
		if (ck->level[r] == PK_LEVEL_OFF)
			continue;
		if (ck->count[r] > ck->listed[r] &&
		    !(ck->level[r] == PK_LEVEL_WARN && ck->o.quiet))
			capped = 1;
		if (pk_buf_printf(out, "%-12s %-6s %10llu\n", rule_names[r],
				  pk_check_level_name(ck->level[r]),
				  ck->count[r]) < 0)
			return PK_FATAL;
	}
	if (pk_buf_printf(out, "%llu records: %llu errors, %llu warnings; %s\n",
			  ck->records, ck->errors, ck->warnings,
			  pk_check_failed(ck) ? "FAILED" : "passed") < 0)
		return PK_FATAL;
	if (capped && ck->o.limit != (unsigned long long)-1 &&
	    pk_buf_printf(out, "(at most %llu violations of each rule are listed; --limit 0 lists all)\n",
			  ck->o.limit) < 0)
		return PK_FATAL;
	return PK_OK;
}

int pk_check_json(const struct pk_check *ck, struct pk_buf *out)
{
	size_t r;

	if (pk_buf_printf(out, "{\"status\":\"%s\",\"records\":%llu,"
			  "\"errors\":%llu,\"warnings\":%llu,"
			  "\"max_violations\":%llu,\"files\":[",
			  pk_check_failed(ck) ? "fail" : "pass", ck->records,
			  ck->errors, ck->warnings, ck->o.max_violations) < 0)
		return PK_FATAL;
	for (r = 0; r < ck->nfiles; r++)
		if ((r && pk_buf_putc(out, ',') < 0) ||
		    pk_json_quote(out, ck->files[r], strlen(ck->files[r])) < 0)
			return PK_FATAL;
	if (pk_buf_puts(out, "],\"rules\":{") < 0)
		return PK_FATAL;
	for (r = 0; r < PK_CHECK_NRULES; r++)
		if (pk_buf_printf(out, "%s\"%s\":{\"level\":\"%s\",\"violations\":%llu,"
				  "\"listed\":%llu}",
				  r ? "," : "", rule_names[r],
				  pk_check_level_name(ck->level[r]), ck->count[r],
				  ck->listed[r]) < 0)
			return PK_FATAL;
	if (pk_buf_puts(out, "},\"violations\":[") < 0 ||
	    (ck->jv.len && pk_buf_append(out, ck->jv.data, ck->jv.len) < 0) ||
	    pk_buf_puts(out, "]}") < 0)
		return PK_FATAL;
	return PK_OK;
}
