/* SPDX-License-Identifier: MIT */
/*
 * stats_report.c - the reports of pref-stats (SPEC 3.8): JSON, an aligned
 * text report with small histograms, and one self-contained HTML page
 * with inline SVG histograms; each for one dataset or two side by side
 * (before and after one pipeline step) with their differences.  Also the
 * sum of --stats objects (pref-stats --sum).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "stats.h"

int pk_stats_display(char out[PK_NUMBER_MAX], double x)
{
	if (isfinite(x) && x == floor(x) && fabs(x) < 1e15)
		return snprintf(out, PK_NUMBER_MAX, "%.0f", x == 0 ? 0.0 : x);
	return snprintf(out, PK_NUMBER_MAX, "%.6g", x);
}

/* A number as JSON (null when it is not finite). */
static int put_num(struct pk_buf *b, double x)
{
	char t[PK_NUMBER_MAX];
	int n = pk_format_number(t, x);

	return n < 0 ? pk_buf_puts(b, "null") : pk_buf_append(b, t, (size_t)n);
}

static double rate(unsigned long long a, unsigned long long b)
{
	return b ? (double)a / (double)b : NAN;
}

/* The formats' count of records with the most common format. */
static const char *top_format(const struct pk_stats *s)
{
	return s->nformats ? s->formats[0].name : NULL;
}

/* ---------------------------------------------------------------- */
/* JSON                                                              */
/* ---------------------------------------------------------------- */

static int json_dist(struct pk_buf *b, const struct pk_stats_dist *d)
{
	unsigned k;
	int rc = pk_buf_printf(b, "{\"n\":%llu", d->n);

	if (d->n == 0)
		return rc < 0 ? rc : pk_buf_puts(b, "}");
	rc |= pk_buf_puts(b, ",\"min\":");
	rc |= put_num(b, d->min);
	rc |= pk_buf_puts(b, ",\"q1\":");
	rc |= put_num(b, d->q1);
	rc |= pk_buf_puts(b, ",\"median\":");
	rc |= put_num(b, d->median);
	rc |= pk_buf_puts(b, ",\"q3\":");
	rc |= put_num(b, d->q3);
	rc |= pk_buf_puts(b, ",\"max\":");
	rc |= put_num(b, d->max);
	rc |= pk_buf_puts(b, ",\"mean\":");
	rc |= put_num(b, d->mean);
	rc |= pk_buf_printf(b, ",\"exact\":%s,\"histogram\":{\"lo\":",
			    d->exact ? "true" : "false");
	rc |= put_num(b, d->lo);
	rc |= pk_buf_puts(b, ",\"width\":");
	rc |= put_num(b, d->width);
	rc |= pk_buf_puts(b, ",\"counts\":[");
	for (k = 0; k < d->nbins; k++)
		rc |= pk_buf_printf(b, "%s%llu", k ? "," : "", d->bins[k]);
	rc |= pk_buf_puts(b, "]}}");
	return rc < 0 ? PK_FATAL : PK_OK;
}

static int json_one(struct pk_buf *b, const struct pk_stats *s)
{
	static const char *const types[] = {NULL, "object", "array", "string",
					    "number", "true", "false", "null"};
	const char *name;
	unsigned long long v;
	const unsigned long long *bt;
	size_t i;
	int rc = pk_buf_puts(b, "{\"file\":");

	rc |= pk_json_quote(b, s->name, strlen(s->name));
	for (i = 0; (name = pk_stats_counter(s, i, &v)); i++)
		rc |= pk_buf_printf(b, ",\"%s\":%llu", name, v);
	if (s->count[PK_SC_FIELDS_OTHER])
		rc |= pk_buf_printf(b, ",\"fields_other\":%llu",
				    s->count[PK_SC_FIELDS_OTHER]);
	rc |= pk_buf_puts(b, ",\"tie_rate\":");
	rc |= put_num(b, rate(s->count[PK_SC_TIES], s->count[PK_SC_SCORED_PAIRS]));
	rc |= pk_buf_puts(b, ",\"duplicate_rate\":");
	rc |= put_num(b, rate(s->count[PK_SC_DUPLICATES], s->count[PK_SC_RECORDS]));
	rc |= pk_buf_puts(b, ",\"format\":");
	if (top_format(s))
		rc |= pk_buf_printf(b, "\"%s\"", top_format(s));
	else
		rc |= pk_buf_puts(b, "null");
	rc |= pk_buf_puts(b, ",\"formats\":{");
	for (i = 0; (name = pk_stats_format(s, i, &v)); i++)
		rc |= pk_buf_printf(b, "%s\"%s\":%llu", i ? "," : "", name, v);
	rc |= pk_buf_puts(b, "},\"fields\":{");
	for (i = 0; (name = pk_stats_field(s, i, &v, &bt)); i++) {
		int t, first = 1;

		rc |= pk_buf_puts(b, i ? "," : "");
		rc |= pk_json_quote(b, name, strlen(name));
		rc |= pk_buf_printf(b, ":{\"count\":%llu,\"types\":{", v);
		for (t = PK_T_OBJECT; t <= PK_T_NULL; t++)
			if (bt[t]) {
				rc |= pk_buf_printf(b, "%s\"%s\":%llu",
						    first ? "" : ",", types[t],
						    bt[t]);
				first = 0;
			}
		rc |= pk_buf_puts(b, "}}");
	}
	rc |= pk_buf_puts(b, "},\"distributions\":{");
	for (i = 0; i < PK_SD_COUNT; i++) {
		rc |= pk_buf_printf(b, "%s\"%s\":", i ? "," : "",
				    pk_stats_dist_name((enum pk_stats_dist_id)i));
		rc |= json_dist(b, &s->dist[i]);
	}
	rc |= pk_buf_puts(b, "}}");
	return rc < 0 ? PK_FATAL : PK_OK;
}

int pk_stats_json(struct pk_stats *const *s, size_t n, struct pk_buf *out)
{
	const char *name;
	unsigned long long a, b;
	size_t i;
	int rc = 0;

	if (n == 1) {
		rc = json_one(out, s[0]);
		return rc < 0 ? rc : pk_buf_putc(out, '\n');
	}
	rc |= pk_buf_puts(out, "{\"before\":");
	rc |= json_one(out, s[0]);
	rc |= pk_buf_puts(out, ",\"after\":");
	rc |= json_one(out, s[1]);
	rc |= pk_buf_puts(out, ",\"diff\":{");
	for (i = 0; (name = pk_stats_counter(s[0], i, &a)); i++) {
		pk_stats_counter(s[1], i, &b);
		rc |= pk_buf_printf(out, "%s\"%s\":%s%llu", i ? "," : "", name,
				    b < a ? "-" : "", b < a ? a - b : b - a);
	}
	rc |= pk_buf_puts(out, "}}\n");
	return rc < 0 ? PK_FATAL : PK_OK;
}

/* ---------------------------------------------------------------- */
/* Text                                                              */
/* ---------------------------------------------------------------- */

static const char *const blocks[9] = {" ", "\u2581", "\u2582", "\u2583",
				      "\u2584", "\u2585", "\u2586", "\u2587",
				      "\u2588"};
static const char ascii_ramp[] = " .:-=+*#@";

/* The histogram as one character per bin, height 0..8 (0 = empty). */
static int sparkline(struct pk_buf *b, const struct pk_stats_dist *d,
		     unsigned flags)
{
	unsigned long long top = 0;
	unsigned k;
	int rc = 0;

	for (k = 0; k < d->nbins; k++)
		if (d->bins[k] > top)
			top = d->bins[k];
	for (k = 0; k < d->nbins; k++) {
		unsigned h = d->bins[k] == 0 ? 0
			: (unsigned)((d->bins[k] * 8 + top - 1) / top);

		if (flags & PK_STATS_ASCII)
			rc |= pk_buf_putc(b, ascii_ramp[h]);
		else
			rc |= pk_buf_puts(b, blocks[h]);
	}
	return rc;
}

static int cell(struct pk_buf *b, double x)
{
	char t[PK_NUMBER_MAX];

	pk_stats_display(t, x);
	return pk_buf_printf(b, " %11s", t);
}

static int cell_diff(struct pk_buf *b, double x)
{
	char t[PK_NUMBER_MAX + 1];

	t[0] = '+';
	pk_stats_display(t + 1, x);
	return pk_buf_printf(b, " %11s", x > 0 ? t : t + 1);
}

/* A percentage for people: "11.1%", "-" when undefined. */
static void percent(char out[32], unsigned long long a, unsigned long long b)
{
	if (!b)
		snprintf(out, 32, "-");
	else
		snprintf(out, 32, "%.1f%%", 100.0 * (double)a / (double)b);
}

static int text_counts(struct pk_buf *b, struct pk_stats *const *s, size_t n)
{
	const char *name;
	unsigned long long v[2];
	size_t i, k;
	int rc = 0;

	for (i = 0; (name = pk_stats_counter(s[0], i, &v[0])); i++) {
		if (n == 2)
			pk_stats_counter(s[1], i, &v[1]);
		rc |= pk_buf_printf(b, "%-16s", name);
		for (k = 0; k < n; k++)
			rc |= pk_buf_printf(b, " %11llu", v[k]);
		if (n == 2)
			rc |= cell_diff(b, (double)v[1] - (double)v[0]);
		rc |= pk_buf_puts(b, "\n");
	}
	for (i = 0; i < 2; i++) {
		char p[32];

		rc |= pk_buf_printf(b, "%-16s", i ? "duplicate_rate" : "tie_rate");
		for (k = 0; k < n; k++) {
			if (i)
				percent(p, s[k]->count[PK_SC_DUPLICATES],
					s[k]->count[PK_SC_RECORDS]);
			else
				percent(p, s[k]->count[PK_SC_TIES],
					s[k]->count[PK_SC_SCORED_PAIRS]);
			rc |= pk_buf_printf(b, " %11s", p);
		}
		rc |= pk_buf_puts(b, "\n");
	}
	return rc;
}

static int text_lists(struct pk_buf *b, const struct pk_stats *s)
{
	const char *name;
	unsigned long long v;
	size_t i;
	int rc = pk_buf_printf(b, "%-16s", "formats");

	for (i = 0; (name = pk_stats_format(s, i, &v)); i++)
		rc |= pk_buf_printf(b, "%s %s %llu", i ? "," : "", name, v);
	rc |= pk_buf_printf(b, "\n%-16s", "fields");
	for (i = 0; (name = pk_stats_field(s, i, &v, NULL)); i++)
		rc |= pk_buf_printf(b, "%s %s %llu", i ? "," : "", name, v);
	if (s->count[PK_SC_FIELDS_OTHER])
		rc |= pk_buf_printf(b, ", (other fields) %llu",
				    s->count[PK_SC_FIELDS_OTHER]);
	return rc | pk_buf_puts(b, "\n");
}

static int text_dist_row(struct pk_buf *b, const char *label,
			 const struct pk_stats_dist *d, unsigned flags)
{
	int rc = pk_buf_printf(b, "%-16s %11llu", label, d->n);

	if (d->n) {
		rc |= cell(b, d->min);
		rc |= cell(b, d->q1);
		rc |= cell(b, d->median);
		rc |= cell(b, d->q3);
		rc |= cell(b, d->max);
		rc |= cell(b, d->mean);
		rc |= pk_buf_printf(b, "%s ", d->exact ? " " : "~");
		rc |= sparkline(b, d, flags);
	}
	return rc | pk_buf_puts(b, "\n");
}

int pk_stats_text(struct pk_stats *const *s, size_t n, unsigned flags,
		  struct pk_buf *out)
{
	size_t i, k;
	int rc = 0, approx = 0;

	if (n == 2) {
		rc |= pk_buf_printf(out, "%-16s %s\n%-16s %s\n\n", "before",
				    s[0]->name, "after", s[1]->name);
		rc |= pk_buf_printf(out, "%-16s %11s %11s %11s\n", "", "before",
				    "after", "change");
	} else {
		rc |= pk_buf_printf(out, "%-16s %s\n", "file", s[0]->name);
	}
	rc |= text_counts(out, s, n);
	for (k = 0; k < n; k++) {
		if (n == 2)
			rc |= pk_buf_printf(out, "[%s]\n", k ? "after" : "before");
		rc |= text_lists(out, s[k]);
	}
	rc |= pk_buf_printf(out, "\n%-16s %11s %11s %11s %11s %11s %11s %11s  %s\n",
			    "distribution", "n", "min", "q1", "median", "q3",
			    "max", "mean", "histogram (min to max)");
	for (i = 0; i < PK_SD_COUNT; i++) {
		const struct pk_stats_dist *d0 = &s[0]->dist[i];
		const struct pk_stats_dist *d1 = &s[n - 1]->dist[i];
		const char *name = pk_stats_dist_name((enum pk_stats_dist_id)i);

		if (d0->n == 0 && d1->n == 0)
			continue;
		approx |= !d0->exact || !d1->exact;
		if (n == 1) {
			rc |= text_dist_row(out, name, d0, flags);
			continue;
		}
		rc |= pk_buf_printf(out, "%s\n", name);
		rc |= text_dist_row(out, "  before", d0, flags);
		rc |= text_dist_row(out, "  after", d1, flags);
		rc |= pk_buf_printf(out, "%-16s", "  change");
		rc |= cell_diff(out, (double)d1->n - (double)d0->n);
		if (d0->n && d1->n) {
			rc |= cell_diff(out, d1->min - d0->min);
			rc |= cell_diff(out, d1->q1 - d0->q1);
			rc |= cell_diff(out, d1->median - d0->median);
			rc |= cell_diff(out, d1->q3 - d0->q3);
			rc |= cell_diff(out, d1->max - d0->max);
			rc |= cell_diff(out, d1->mean - d0->mean);
		}
		rc |= pk_buf_puts(out, "\n");
	}
	if (approx)
		rc |= pk_buf_printf(out, "~ quartiles estimated within %g%% (more values than --memory holds)\n",
				    100 * PK_STATS_SKETCH_ACCURACY);
	return rc < 0 ? PK_FATAL : PK_OK;
}

/* ---------------------------------------------------------------- */
/* HTML                                                              */
/* ---------------------------------------------------------------- */

static int html_escape(struct pk_buf *b, const char *s)
{
	int rc = 0;

	for (; *s; s++)
		switch (*s) {
		case '&': rc |= pk_buf_puts(b, "&amp;"); break;
		case '<': rc |= pk_buf_puts(b, "&lt;"); break;
		case '>': rc |= pk_buf_puts(b, "&gt;"); break;
		case '"': rc |= pk_buf_puts(b, "&quot;"); break;
		case '\'': rc |= pk_buf_puts(b, "&#39;"); break;
		default: rc |= pk_buf_putc(b, *s);
		}
	return rc;
}

/* A table cell holding figure key (prefix.key) = x. */
static int html_cell(struct pk_buf *b, const char *prefix, const char *key,
		     double x)
{
	char disp[PK_NUMBER_MAX], raw[PK_NUMBER_MAX];
	int rc;

	pk_stats_display(disp, x);
	if (pk_format_number(raw, x) < 0)
		snprintf(raw, sizeof raw, "null");
	rc = pk_buf_printf(b, "<td data-key=\"%s%s\" data-value=\"%s\">%s</td>",
			   prefix, key, raw, disp);
	return rc;
}

static int html_svg(struct pk_buf *b, const char *prefix, const char *name,
		    const struct pk_stats_dist *d)
{
	unsigned long long top = 1;
	unsigned k;
	double w = 240.0 / (d->nbins ? d->nbins : 1);
	int rc = pk_buf_puts(b, "<td><svg width=\"240\" height=\"48\" viewBox=\"0 0 240 48\" role=\"img\">");

	for (k = 0; k < d->nbins; k++)
		if (d->bins[k] > top)
			top = d->bins[k];
	for (k = 0; k < d->nbins; k++) {
		double h = 46.0 * (double)d->bins[k] / (double)top;
		char lo[PK_NUMBER_MAX], hi[PK_NUMBER_MAX];

		pk_stats_display(lo, d->lo + k * d->width);
		pk_stats_display(hi, d->lo + (k + 1) * d->width);
		rc |= pk_buf_printf(b, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" data-key=\"%sdistributions.%s.bins.%u\" data-value=\"%llu\"><title>",
				    k * w + 0.5, 47 - h, w - 1, h, prefix, name,
				    k, d->bins[k]);
		if (d->width == 1 || d->width == 0)
			rc |= pk_buf_printf(b, "%s: %llu", lo, d->bins[k]);
		else
			rc |= pk_buf_printf(b, "%s to %s: %llu", lo, hi, d->bins[k]);
		rc |= pk_buf_puts(b, "</title></rect>");
	}
	return rc | pk_buf_puts(b, "<line x1=\"0\" y1=\"47.5\" x2=\"240\" y2=\"47.5\"/></svg></td>");
}

static int html_dist_row(struct pk_buf *b, const char *label,
			 const char *prefix, const char *name,
			 const struct pk_stats_dist *d)
{
	char key[64];
	int rc = pk_buf_printf(b, "<tr><th>%s</th>", label);

	snprintf(key, sizeof key, "distributions.%s.n", name);
	rc |= html_cell(b, prefix, key, (double)d->n);
	if (d->n) {
		static const char *const f[] = {"min", "q1", "median", "q3",
						"max", "mean"};
		const double x[] = {d->min, d->q1, d->median, d->q3, d->max,
				    d->mean};
		for (size_t k = 0; k < 6; k++) {
			snprintf(key, sizeof key, "distributions.%s.%s", name,
				 f[k]);
			rc |= html_cell(b, prefix, key, x[k]);
		}
		rc |= html_svg(b, prefix, name, d);
		rc |= pk_buf_printf(b, "<td>%s</td>", d->exact ? "exact" : "estimated");
	}
	return rc | pk_buf_puts(b, "</tr>\n");
}

int pk_stats_html(struct pk_stats *const *s, size_t n, struct pk_buf *out)
{
	static const char *const pre[2][2] = {{"", ""}, {"before.", "after."}};
	const char *name;
	unsigned long long v;
	size_t i, k;
	int rc = 0;

	rc |= pk_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>pref-stats: ");
	rc |= html_escape(out, s[0]->name);
	if (n == 2) {
		rc |= pk_buf_puts(out, " and ");
		rc |= html_escape(out, s[1]->name);
	}
	rc |= pk_buf_puts(out, "</title>\n<style>\n"
		"body{font-family:sans-serif;margin:2em;color:#222}\n"
		"table{border-collapse:collapse;margin:1em 0}\n"
		"th,td{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}\n"
		"th{text-align:left;font-weight:normal}\n"
		"thead th{font-weight:bold}\n"
		"rect{fill:#4a78b0}\nline{stroke:#888}\n"
		".names td{text-align:left}\n"
		"</style>\n</head>\n<body>\n<h1>pref-stats</h1>\n");
	rc |= pk_buf_puts(out, "<h2>Counts</h2>\n<table>\n<thead><tr><th></th>");
	for (k = 0; k < n; k++) {
		rc |= pk_buf_puts(out, "<th>");
		rc |= html_escape(out, s[k]->name);
		rc |= pk_buf_puts(out, "</th>");
	}
	rc |= pk_buf_puts(out, n == 2 ? "<th>change</th></tr></thead>\n"
				      : "</tr></thead>\n");
	for (i = 0; (name = pk_stats_counter(s[0], i, &v)); i++) {
		rc |= pk_buf_printf(out, "<tr><th>%s</th>", name);
		for (k = 0; k < n; k++) {
			pk_stats_counter(s[k], i, &v);
			rc |= html_cell(out, pre[n - 1][k], name, (double)v);
		}
		if (n == 2) {
			unsigned long long a = s[0]->count[i], b = s[1]->count[i];
			char key[48];

			snprintf(key, sizeof key, "diff.%s", name);
			rc |= html_cell(out, "", key, (double)b - (double)a);
		}
		rc |= pk_buf_puts(out, "</tr>\n");
	}
	for (i = 0; i < 2; i++) {
		const char *r = i ? "duplicate_rate" : "tie_rate";

		rc |= pk_buf_printf(out, "<tr><th>%s</th>", r);
		for (k = 0; k < n; k++) {
			double x = i ? rate(s[k]->count[PK_SC_DUPLICATES],
					    s[k]->count[PK_SC_RECORDS])
				     : rate(s[k]->count[PK_SC_TIES],
					    s[k]->count[PK_SC_SCORED_PAIRS]);
			if (isnan(x))
				rc |= pk_buf_puts(out, "<td>-</td>");
			else
				rc |= html_cell(out, pre[n - 1][k], r, x);
		}
		rc |= pk_buf_puts(out, "</tr>\n");
	}
	rc |= pk_buf_puts(out, "</table>\n<h2>Formats and fields</h2>\n");
	for (k = 0; k < n; k++) {
		char key[PK_STATS_MAX_FIELDS + 64];

		rc |= pk_buf_puts(out, "<table class=\"names\">\n<thead><tr><th colspan=\"2\">");
		rc |= html_escape(out, s[k]->name);
		rc |= pk_buf_puts(out, "</th></tr></thead>\n");
		for (i = 0; (name = pk_stats_format(s[k], i, &v)); i++) {
			snprintf(key, sizeof key, "formats.%s", name);
			rc |= pk_buf_printf(out, "<tr><th>format %s</th>", name);
			rc |= html_cell(out, pre[n - 1][k], key, (double)v);
			rc |= pk_buf_puts(out, "</tr>\n");
		}
		for (i = 0; (name = pk_stats_field(s[k], i, &v, NULL)); i++) {
			rc |= pk_buf_puts(out, "<tr><th>field ");
			rc |= html_escape(out, name);
			rc |= pk_buf_printf(out, "</th><td data-field=\"%zu\" data-key=\"%sfields#%zu.count\" data-value=\"%llu\">%llu</td></tr>\n",
					    i, pre[n - 1][k], i, v, v);
		}
		rc |= pk_buf_puts(out, "</table>\n");
	}
	rc |= pk_buf_puts(out, "<h2>Distributions</h2>\n<table>\n<thead><tr><th></th><th>n</th><th>min</th><th>q1</th><th>median</th><th>q3</th><th>max</th><th>mean</th><th>histogram (min to max)</th><th>quartiles</th></tr></thead>\n");
	for (i = 0; i < PK_SD_COUNT; i++) {
		const char *dn = pk_stats_dist_name((enum pk_stats_dist_id)i);

		if (s[0]->dist[i].n == 0 && s[n - 1]->dist[i].n == 0)
			continue;
		if (n == 1) {
			rc |= html_dist_row(out, dn, "", dn, &s[0]->dist[i]);
			continue;
		}
		rc |= pk_buf_printf(out, "<tr><th colspan=\"10\"><b>%s</b></th></tr>\n", dn);
		rc |= html_dist_row(out, "before", "before.", dn, &s[0]->dist[i]);
		rc |= html_dist_row(out, "after", "after.", dn, &s[1]->dist[i]);
	}
	rc |= pk_buf_printf(out, "</table>\n<p>Quartiles: linear interpolation (type 7); estimated ones are within %g%% (see pref-stats(1)).</p>\n</body>\n</html>\n",
			    100 * PK_STATS_SKETCH_ACCURACY);
	return rc < 0 ? PK_FATAL : PK_OK;
}

/* ---------------------------------------------------------------- */
/* Sums of --stats objects                                           */
/* ---------------------------------------------------------------- */

struct pk_statsum_item {
	char *name;
	unsigned long long value;
};

struct pk_statsum {
	struct pk_statsum_item *items;
	size_t n, cap;
	struct pk_buf key;
};

struct pk_statsum *pk_statsum_new(struct pk_error *err)
{
	struct pk_statsum *t = calloc(1, sizeof *t);

	if (!t)
		pk_nomem(err);
	return t;
}

void pk_statsum_free(struct pk_statsum *t)
{
	size_t k;

	if (!t)
		return;
	for (k = 0; k < t->n; k++)
		free(t->items[k].name);
	free(t->items);
	pk_buf_free(&t->key);
	free(t);
}

int pk_statsum_add(struct pk_statsum *t, const struct pk_record *rec,
		   struct pk_error *err)
{
	size_t i, k;

	/* check every member first: all or nothing */
	for (i = 0; i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		const char *v = rec->text + m->val_off;
		size_t j;

		for (j = 0; j < m->val_len && v[j] >= '0' && v[j] <= '9'; j++)
			;
		if (m->type != PK_T_NUMBER || j != m->val_len)
			return pk_error_set(err, PK_ERR_DATA,
					    "member %.*s is not a count (a whole number >= 0)",
					    (int)m->key_len, rec->text + m->key_off);
	}
	for (i = 0; i < rec->nmembers; i++) {
		const struct pk_member *m = &rec->members[i];
		unsigned long long x = 0;
		struct pk_statsum_item *it;
		size_t j;

		for (j = 0; j < m->val_len; j++) {
			unsigned d = (unsigned)(rec->text[m->val_off + j] - '0');

			if (x > (~0ULL - d) / 10)
				return pk_error_set(err, PK_ERR_DATA,
						    "member %.*s: count out of range",
						    (int)m->key_len,
						    rec->text + m->key_off);
			x = x * 10 + d;
		}
		pk_buf_reset(&t->key);
		if (pk_json_unquote(&t->key, rec->text + m->key_off,
				    m->key_len) < 0)
			return pk_nomem(err);
		for (k = 0; k < t->n; k++)
			if (strcmp(t->items[k].name, t->key.data) == 0)
				break;
		if (k == t->n) {
			if (t->n == t->cap) {
				size_t cap = t->cap ? 2 * t->cap : 16;
				void *p = realloc(t->items, cap * sizeof *t->items);

				if (!p)
					return pk_nomem(err);
				t->items = p;
				t->cap = cap;
			}
			if (!(t->items[k].name = strdup(t->key.data)))
				return pk_nomem(err);
			t->items[k].value = 0;
			t->n++;
		}
		it = &t->items[k];
		if (strcmp(it->name, "stages") == 0) {
			if (x > it->value)
				it->value = x;
		} else if (it->value > ~0ULL - x) {
			return pk_error_set(err, PK_ERR_DATA,
					    "member \"%s\": sum out of range",
					    it->name);
		} else {
			it->value += x;
		}
	}
	return PK_OK;
}

int pk_statsum_write(const struct pk_statsum *t, struct pk_buf *out)
{
	size_t k;
	int rc = pk_buf_putc(out, '{');

	for (k = 0; k < t->n; k++) {
		rc |= pk_buf_puts(out, k ? "," : "");
		rc |= pk_json_quote(out, t->items[k].name, strlen(t->items[k].name));
		rc |= pk_buf_printf(out, ":%llu", t->items[k].value);
	}
	rc |= pk_buf_putc(out, '}');
	return rc < 0 ? PK_FATAL : PK_OK;
}
