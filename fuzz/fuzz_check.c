/* SPDX-License-Identifier: MIT */
/*
 * fuzz_check.c - libFuzzer target for the rule engine of pref-check
 * (lib/check.c) on arbitrary records: pairs at the SPEC names or at
 * dotted paths, ranked lists, or the records of a format reader (--from),
 * with every optional rule (range, deny, length, leak with and without
 * word runs against a file of prompts) and the levels set per rule.
 *
 * Input: byte 0 picks the options, byte 1 the limit and a rule to set,
 * byte 2 its level and the format; the rest is JSON Lines, split into two
 * input files at the first line "--".  Every line goes to two checkers:
 * A lists all violations, B lists at most `limit` per rule (quiet or not,
 * with the JSON report); B's lines are checked by a worker of B whose
 * events B replays (pk_check_worker, pk_check_replay: pref-check -j's
 * way), so the checks below also hold the worker path to A's.  Checked:
 *  - every listed line is "FILE:LINE: RULE: message" with the file being
 *    checked, a line fed (or, for a duplicate, any line so far) and a rule
 *    that is not off;
 *  - A and B count the same; A lists every violation of a listed rule,
 *    B's list of each rule is the first `limit` of A's;
 *  - errors and warnings are the sums of the counts by level, records
 *    the lines fed, failed = errors > max_violations;
 *  - without --from, rule json counts exactly the lines the scanner
 *    refuses; a line no longer than max_chars bytes never breaks length;
 *  - the JSON report is a compact object prefkit accepts, with the same
 *    counts; the summary is lines ending in a newline.
 */
#include "config.h"

#include <jansson.h>
#include <unistd.h>

#include "fuzz.h"

#define T "fuzz_check"
#define MAXL 4096 /* listed lines kept per checker */

struct listed {
	char *line[MAXL];
	int rule[MAXL];
	size_t n;
	const char *file;        /* the file being checked */
	unsigned long long last; /* the last line fed */
	const struct pk_check *ck;
};

static int rule_of(const char *s, size_t n)
{
	int r;

	for (r = 0; r < PK_CHECK_NRULES; r++) {
		const char *name = pk_check_rule_name((enum pk_check_rule)r);
		size_t k = strlen(name);

		if (n > k + 1 && memcmp(s, name, k) == 0 && s[k] == ':' &&
		    s[k + 1] == ' ')
			return r;
	}
	return -1;
}

static int emit(void *vc, const char *line, size_t len)
{
	struct listed *l = vc;
	size_t fl = strlen(l->file);
	const char *p = line + fl + 1, *e = line + len;
	unsigned long long ln = 0;
	int r;

	if (memchr(line, '\n', len))
		fz_fail(T, "a listed violation holds a newline", line, len);
	if (len <= fl + 1 || memcmp(line, l->file, fl) != 0 || line[fl] != ':')
		fz_fail(T, "a listed violation does not start with FILE:",
			line, len);
	if (p >= e || *p < '1' || *p > '9')
		fz_fail(T, "a listed violation has no LINE", line, len);
	while (p < e && *p >= '0' && *p <= '9')
		ln = ln * 10 + (unsigned long long)(*p++ - '0');
	if (e - p < 2 || p[0] != ':' || p[1] != ' ')
		fz_fail(T, "no ': ' after LINE", line, len);
	if (ln > l->last)
		fz_fail(T, "a violation at a line not fed yet", line, len);
	p += 2;
	if ((r = rule_of(p, (size_t)(e - p))) < 0)
		fz_fail(T, "a listed violation names no rule", line, len);
	if (pk_check_level(l->ck, (enum pk_check_rule)r) == PK_LEVEL_OFF)
		fz_fail(T, "a violation of a rule that is off", line, len);
	if (l->n == MAXL)
		return PK_OK;
	if (!(l->line[l->n] = malloc(len + 1)))
		abort();
	memcpy(l->line[l->n], line, len);
	l->line[l->n][len] = '\0';
	l->rule[l->n++] = r;
	return PK_OK;
}

/* As the reader sees a line it skips (lib/reader.c). */
static int blank(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++, n--;
	return n == 0;
}

static void listed_free(struct listed *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->line[i]);
}

static char path[4096];

static void remove_against(void)
{
	unlink(path);
}

/* The --against file, written once (removed at exit). */
static const char *against_file(void)
{
	static const char *const lines =
		"{\"prompt\":\"What is the capital of France?\"}\n"
		"{\"prompt\":\"Write a poem about the sea and the salt wind\"}\n"
		"{\"q\":{\"text\":\"x\"},\"prompt\":\"Sum 2 and 2\"}\n"
		"{\"prompt\":[{\"role\":\"user\",\"content\":\"Hello there my dear friend\"}]}\n"
		"{\"prompt\":\"\\u00c9t\\u00e9 \\u00e0 PARIS, caf\\u00e9 cr\\u00e8me\"}\n";
	const char *dir = getenv("TMPDIR");
	int fd;

	if (path[0])
		return path;
	snprintf(path, sizeof path, "%s/fuzz_check.XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, lines, strlen(lines)) != (ssize_t)strlen(lines))
		fz_fail(T, "cannot write the --against file", NULL, 0);
	close(fd);
	atexit(remove_against);
	return path;
}

static struct pk_check *make(const struct pk_check_opts *o, int leak,
			     struct pk_error *err)
{
	struct pk_check *ck = pk_check_new(o, err);

	if (!ck)
		return NULL;
	if (leak && pk_check_against(ck, against_file(), err) < 0)
		fz_fail(T, "pk_check_against", err->text, strlen(err->text));
	return ck;
}

/* The counts of ck agree with its totals and its JSON report. */
static void check_totals(const struct pk_check *ck,
			 const struct pk_check_opts *o,
			 unsigned long long fed)
{
	unsigned long long rec, errs, warns, se = 0, sw = 0, c, listed;
	struct pk_buf b = PK_BUF_INIT;
	json_t *j;
	json_error_t je;
	size_t nl = 0;
	int r;

	pk_check_totals(ck, &rec, &errs, &warns);
	for (r = 0; r < PK_CHECK_NRULES; r++) {
		enum pk_check_level l = pk_check_level(ck, (enum pk_check_rule)r);

		c = pk_check_count(ck, (enum pk_check_rule)r, &listed);
		if (listed > c)
			fz_fail(T, "more listed than counted", NULL, 0);
		if (l == PK_LEVEL_OFF && c)
			fz_fail(T, "a rule that is off counted", NULL, 0);
		if (l == PK_LEVEL_ERROR)
			se += c;
		else if (l == PK_LEVEL_WARN)
			sw += c;
	}
	if (se != errs || sw != warns)
		fz_fail(T, "errors or warnings are not the sums by level", NULL,
			0);
	if (rec != fed)
		fz_fail(T, "records is not the lines fed", NULL, 0);
	if (pk_check_failed(ck) != (errs > o->max_violations))
		fz_fail(T, "failed is not errors > max_violations", NULL, 0);
	if (pk_check_json(ck, &b) != PK_OK)
		fz_fail(T, "pk_check_json", NULL, 0);
	fz_check_object(T, b.data, b.len, NULL);
	if (!(j = json_loadb(b.data, b.len, 0, &je)))
		fz_fail(T, "jansson refuses the JSON report", b.data, b.len);
	for (r = 0; r < PK_CHECK_NRULES; r++) {
		json_t *x = json_object_get(json_object_get(json_object_get(j,
			"rules"), pk_check_rule_name((enum pk_check_rule)r)),
			"violations");

		c = pk_check_count(ck, (enum pk_check_rule)r, &listed);
		if (!json_is_integer(x) ||
		    (unsigned long long)json_integer_value(x) != c)
			fz_fail(T, "the JSON report's count differs", b.data,
				b.len);
		nl += listed;
	}
	if (o->json && json_array_size(json_object_get(j, "violations")) != nl)
		fz_fail(T, "the JSON report does not hold every listed violation",
			b.data, b.len);
	if (json_integer_value(json_object_get(j, "records")) != (json_int_t)fed)
		fz_fail(T, "the JSON report's records differ", b.data, b.len);
	json_decref(j);
	pk_buf_reset(&b);
	if (pk_check_summary(ck, &b) != PK_OK)
		fz_fail(T, "pk_check_summary", NULL, 0);
	if (b.len && (b.data[b.len - 1] != '\n' || memchr(b.data, '\0', b.len)))
		fz_fail(T, "the summary is not lines", b.data, b.len);
	if (!b.len && errs + (o->quiet ? 0 : warns))
		fz_fail(T, "no summary of violations", NULL, 0);
	pk_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const deny[] = {"(?i)as an ai", "^\\s*$", "\\d{4}"};
	static const char *const froms[] = {"hh", "ultrafeedback", "sharegpt",
					    "oasst", "nectar", "trl"};
	struct fz f = {data, size};
	struct pk_check_opts oa, ob;
	struct pk_check *a = NULL, *b = NULL, *wb = NULL;
	const void *ev;
	size_t evn;
	struct pk_format_reader *fra = NULL, *frb = NULL;
	struct pk_format_opts fo;
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err;
	struct listed la, lb;
	unsigned b0 = fz_byte(&f), b1 = fz_byte(&f), b2 = fz_byte(&f);
	unsigned long long fed = 0, lineno = 0, bad = 0;
	unsigned long long ca[PK_CHECK_NRULES];
	const char *files[2] = {"in.jsonl", "second/in.jsonl.zst"};
	const char *line;
	size_t n, i, j, fi = 0;
	int leak = 0, r;
	char spec[40];

	memset(&la, 0, sizeof la);
	memset(&lb, 0, sizeof lb);
	pk_check_opts_init(&oa);
	if (b0 & 1) {
		oa.scale_set = 1;
		oa.scale_min = (b0 & 2) ? -1 : 0;
		oa.scale_max = 5;
	}
	if (b0 & 4) {
		oa.deny = deny;
		oa.ndeny = 1 + (b1 >> 6) % 3;
	}
	if (b0 & 8)
		oa.max_chars = 1 + (b1 & 31);
	if (b0 & 16) {
		leak = 1;
		oa.leak_ngram = (b0 & 32) ? 1 + (b2 >> 6) : 0;
	}
	if ((b0 >> 6) == 1) { /* pairs at dotted paths */
		oa.prompt_field = "q.text";
		oa.chosen_field = "a.0";
		oa.rejected_field = "a.1";
		oa.score_chosen_field = "s.c";
		oa.score_rejected_field = "s.r";
		oa.against_field = "prompt"; /* the --against file's */
	} else if ((b0 >> 6) == 2) { /* a format reader */
		memset(&fo, 0, sizeof fo);
		fo.conversational = b2 & 1;
		fra = pk_format_reader_new(froms[(b2 >> 1) % 6], &fo, &err);
		frb = pk_format_reader_new(froms[(b2 >> 1) % 6], &fo, &err);
		if (!fra || !frb)
			fz_fail(T, "pk_format_reader_new", err.text,
				strlen(err.text));
	} else if ((b0 >> 6) == 3) { /* lists keep their parts elsewhere */
		oa.rank.responses_field = "resp";
		oa.rank.text_field = "t";
		oa.rank.score_field = "s";
	}
	oa.max_violations = b2 & 2;
	/* one rule set by byte 1 (its option given or not) */
	r = (b1 >> 2) % PK_CHECK_NRULES;
	snprintf(spec, sizeof spec, "%s=%s",
		 pk_check_rule_name((enum pk_check_rule)r),
		 (const char *[]){"error", "warn", "off", "error"}[b1 & 3]);
	if (pk_check_set_rule(&oa, spec, &err) != PK_OK)
		fz_fail(T, "pk_check_set_rule", spec, strlen(spec));
	ob = oa;
	oa.limit = 0;
	oa.from = fra;
	oa.emit = emit;
	oa.ctx = &la;
	ob.limit = 1 + (b2 >> 4 & 3);
	ob.quiet = (b2 >> 3) & 1;
	ob.json = 1;
	ob.from = NULL; /* its worker's */
	ob.emit = emit;
	ob.ctx = &lb;
	a = make(&oa, leak, &err);
	if (!a) {
		/* a rule set to error or warn without its option */
		if (err.kind != PK_ERR_USAGE || strstr(err.text, "needs") == NULL)
			fz_fail(T, "pk_check_new", err.text, strlen(err.text));
		goto out;
	}
	if (!(b = make(&ob, leak, &err)))
		fz_fail(T, "pk_check_new (B)", err.text, strlen(err.text));
	wb = pk_check_worker(b, frb, &err);
	frb = NULL; /* the worker's now */
	if (!wb)
		fz_fail(T, "pk_check_worker", err.text, strlen(err.text));
	la.ck = a;
	lb.ck = b;
	la.file = lb.file = files[0];
	if (pk_check_begin_file(a, files[0], &err) != PK_OK ||
	    pk_check_begin_file(b, files[0], &err) != PK_OK)
		fz_fail(T, "pk_check_begin_file", NULL, 0);
	while (fz_line(&f, &line, &n)) {
		if (n == 2 && memcmp(line, "--", 2) == 0 && fi == 0) {
			fi = 1;
			lineno = 0;
			la.file = lb.file = files[1];
			if (pk_check_begin_file(a, files[1], &err) != PK_OK ||
			    pk_check_begin_file(b, files[1], &err) != PK_OK)
				fz_fail(T, "pk_check_begin_file", NULL, 0);
			continue;
		}
		lineno++;
		la.last = lb.last = lineno;
		/* the reader's blank lines never reach the checker */
		if (blank(line, n))
			continue;
		fed++;
		if (pk_scan_record(&rec, line, n, &err) == PK_BAD_RECORD)
			bad++;
		i = la.n;
		if (pk_check_line(a, lineno, line, n, &err) != PK_OK ||
		    pk_check_line(wb, lineno, line, n, &err) != PK_OK)
			fz_fail(T, "pk_check_line failed", line, n);
		pk_check_events(wb, &ev, &evn);
		if (pk_check_replay(b, ev, evn, &err) != PK_OK)
			fz_fail(T, "pk_check_replay failed", line, n);
		for (j = i; oa.max_chars && n <= oa.max_chars && j < la.n; j++)
			if (la.rule[j] == PK_CHECK_LENGTH)
				fz_fail(T, "a length violation in a line of at most max_chars bytes",
					line, n);
	}
	la.last = lb.last = (unsigned long long)-1; /* duplicates spilled */
	if (pk_check_finish(a, &err) != PK_OK ||
	    pk_check_finish(wb, &err) != PK_OK ||
	    pk_check_finish(b, &err) != PK_OK)
		fz_fail(T, "pk_check_finish failed", err.text, strlen(err.text));
	check_totals(a, &oa, fed);
	check_totals(b, &ob, fed);
	if (!fra && pk_check_level(a, PK_CHECK_JSON) != PK_LEVEL_OFF &&
	    pk_check_count(a, PK_CHECK_JSON, NULL) != bad)
		fz_fail(T, "rule json does not count the lines refused", NULL, 0);
	for (r = 0; r < PK_CHECK_NRULES; r++) {
		unsigned long long cb, listed_a, listed_b, want;
		enum pk_check_level l = pk_check_level(b, (enum pk_check_rule)r);

		ca[r] = pk_check_count(a, (enum pk_check_rule)r, &listed_a);
		cb = pk_check_count(b, (enum pk_check_rule)r, &listed_b);
		if (ca[r] != cb || l != pk_check_level(a, (enum pk_check_rule)r))
			fz_fail(T, "the limit or quiet changed a count or level",
				NULL, 0);
		if (listed_a != ca[r])
			fz_fail(T, "limit 0 did not list every violation", NULL,
				0);
		want = (l == PK_LEVEL_WARN && ob.quiet) ? 0
			: ca[r] < ob.limit ? ca[r] : ob.limit;
		if (listed_b != want)
			fz_fail(T, "B did not list min(count, limit)", NULL, 0);
	}
	/* B's lines of each rule are the first of A's */
	if (la.n < MAXL) {
		size_t seen[PK_CHECK_NRULES] = {0};

		for (i = 0; i < lb.n; i++) {
			size_t k = seen[lb.rule[i]]++;

			for (j = 0; j < la.n; j++)
				if (la.rule[j] == lb.rule[i] && k-- == 0)
					break;
			if (j == la.n || strcmp(la.line[j], lb.line[i]) != 0)
				fz_fail(T, "B listed a line that is not A's",
					lb.line[i], strlen(lb.line[i]));
		}
	}
out:
	pk_check_free(a);
	pk_check_free(wb);
	pk_check_free(b);
	pk_format_reader_free(fra);
	pk_format_reader_free(frb);
	pk_record_free(&rec);
	listed_free(&la);
	listed_free(&lb);
	return 0;
}
