/* SPDX-License-Identifier: MIT */
/*
 * pref-check - validation of preference data for CI (SPEC 3.7).  Every
 * line of every input is checked against the rules of libprefkit's
 * checker (pk_check_*), on -j threads (pk_cli_check); each violation is
 * listed as FILE:LINE: RULE: message, then a summary table, or the JSON
 * report with --json.  Exit 1 when the error-level violations exceed
 * --max-violations.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefkit.h"
#include "cli.h"

#define MAX_LIST 64 /* --deny-regex and --against given at most this often */

struct options {
	struct pk_cli *cli;
	struct pk_check_opts ck;
	const char *deny[MAX_LIST];
	const char *against[MAX_LIST];
	size_t nagainst;
	int json;             /* --json given */
	const char *json_path; /* --json=FILE */
	int leak_set;          /* --rule leak=... given */
};

enum {
	OPT_AGAINST = CHAR_MAX + 1,
	OPT_AGAINST_FIELD,
	OPT_DENY_REGEX,
	OPT_JSON,
	OPT_LEAK_NGRAM,
	OPT_LIMIT,
	OPT_MAX_CHARS,
	OPT_MAX_VIOLATIONS,
	OPT_RULE,
	OPT_SCALE,
};

#define GROUPS (PK_CLI_FIELDS | PK_CLI_LISTS | PK_CLI_FORMATS | PK_CLI_SORT | \
		PK_CLI_THREADS)

/* Keep this list sorted. */
static const struct option longopts[] = {
	{"against", required_argument, NULL, OPT_AGAINST},
	{"against-field", required_argument, NULL, OPT_AGAINST_FIELD},
	{"deny-regex", required_argument, NULL, OPT_DENY_REGEX},
	{"json", optional_argument, NULL, OPT_JSON},
	{"leak-ngram", required_argument, NULL, OPT_LEAK_NGRAM},
	{"limit", required_argument, NULL, OPT_LIMIT},
	{"max-chars", required_argument, NULL, OPT_MAX_CHARS},
	{"max-violations", required_argument, NULL, OPT_MAX_VIOLATIONS},
	{"rule", required_argument, NULL, OPT_RULE},
	{"scale", required_argument, NULL, OPT_SCALE},
	{NULL, 0, NULL, 0},
};

static void usage(FILE *fp, int status)
{
	struct pk_cli help = {.groups = GROUPS};

	fputs("Usage: pref-check [OPTION]... [FILE]...\n"
	      "Check preference data (pairs, ranked lists, or --from FORMAT) and list every\n"
	      "violation as FILE:LINE: RULE: message, then a summary.  Silent when all is well.\n"
	      "\n"
	      "Rules: json schema empty identical misordered tie(warn) duplicate, and with\n"
	      "their option range (--scale) leak (--against) deny (--deny-regex) length\n"
	      "(--max-chars).\n"
	      "      --rule=NAME=LEVEL    set a rule to error, warn or off (repeatable)\n"
	      "      --max-violations=N   tolerate N error-level violations (default 0)\n"
	      "      --limit=N            list at most N violations per rule (default 10,\n"
	      "                           0 = all); all are counted\n"
	      "      --json[=FILE]        write the JSON report (to FILE, else instead of\n"
	      "                           the text on standard output)\n"
	      "      --scale=MIN:MAX      range: scores must lie within MIN..MAX\n"
	      "      --against=FILE       leak: prompts also present in FILE (repeatable)\n"
	      "      --against-field=PATH the prompt field of --against files (default: the\n"
	      "                           prompt field)\n"
	      "      --leak-ngram=N       leak: also any shared run of N words (e.g. 13)\n"
	      "      --deny-regex=PATTERN deny: responses matching the PCRE2 pattern\n"
	      "      --max-chars=N        length: prompts and responses of at most N characters\n"
	      "--memory and --tmpdir bound the duplicate keys (24 bytes per distinct record).\n",
	      fp);
	pk_cli_common_help(&help, fp);
	(void)status;
}

static int handle_opt(void *ctx, int opt, const char *arg)
{
	struct options *o = ctx;
	struct pk_error err = {0};
	char *end;

	switch (opt) {
	case OPT_AGAINST:
		if (o->nagainst == MAX_LIST)
			pk_cli_usage_error(o->cli, "--against: at most %d files", MAX_LIST);
		o->against[o->nagainst++] = arg;
		break;
	case OPT_AGAINST_FIELD:
		o->ck.against_field = arg;
		break;
	case OPT_DENY_REGEX:
		if (o->ck.ndeny == MAX_LIST)
			pk_cli_usage_error(o->cli, "--deny-regex: at most %d patterns", MAX_LIST);
		o->deny[o->ck.ndeny++] = arg;
		break;
	case OPT_JSON:
		o->json = 1;
		o->json_path = arg;
		break;
	case OPT_LEAK_NGRAM:
		o->ck.leak_ngram = (unsigned)pk_cli_parse_int(o->cli, "--leak-ngram", arg, 1, 1000);
		break;
	case OPT_LIMIT:
		o->ck.limit = (unsigned long long)pk_cli_parse_int(o->cli, "--limit", arg, 0, LLONG_MAX);
		break;
	case OPT_MAX_CHARS:
		o->ck.max_chars = (unsigned long long)pk_cli_parse_int(o->cli, "--max-chars", arg, 1, LLONG_MAX);
		break;
	case OPT_MAX_VIOLATIONS:
		o->ck.max_violations = (unsigned long long)pk_cli_parse_int(o->cli, "--max-violations", arg, 0, LLONG_MAX);
		break;
	case OPT_RULE:
		if (pk_check_set_rule(&o->ck, arg, &err) < 0)
			pk_cli_usage_error(o->cli, "--rule %s", err.text);
		if (strncmp(arg, "leak=", 5) == 0)
			o->leak_set = strcmp(arg + 5, "off") != 0;
		break;
	case OPT_SCALE:
		o->ck.scale_min = strtod(arg, &end);
		if (end == arg || *end != ':')
			pk_cli_usage_error(o->cli, "--scale: invalid value '%s' (MIN:MAX)", arg);
		o->ck.scale_max = pk_cli_parse_double(o->cli, "--scale", end + 1);
		if (!(o->ck.scale_min <= o->ck.scale_max))
			pk_cli_usage_error(o->cli, "--scale: invalid value '%s' (MIN:MAX)", arg);
		o->ck.scale_set = 1;
		break;
	default:
		return -1;
	}
	return 0;
}

/* Violation lines go to the output as they are found. */
static int emit_line(void *ctx, const char *line, size_t len)
{
	return pk_cli_emit(ctx, line, len) < 0 ? PK_FATAL : PK_OK;
}

/* The summary (text) or the JSON report, as one output record. */
static void report(struct pk_cli *cli, struct pk_check *ck,
		   const struct options *o)
{
	struct pk_buf b = PK_BUF_INIT;

	/* a report cut short by a failed allocation is never written */
	if (o->json && pk_check_json(ck, &b) < 0)
		pk_cli_fatal(cli, "out of memory");
	if (o->json && o->json_path) {
		if (pk_buf_putc(&b, '\n') < 0)
			pk_cli_fatal(cli, "out of memory");
		pk_cli_write_file(cli, o->json_path, b.data, b.len);
		pk_buf_reset(&b);
	}
	if (!o->json || o->json_path)
		if (pk_check_summary(ck, &b) < 0)
			pk_cli_fatal(cli, "out of memory");
	if (b.len && b.data[b.len - 1] == '\n')
		b.len--;
	if (b.len || (o->json && !o->json_path))
		pk_cli_emit(cli, b.data ? b.data : "", b.len);
	pk_buf_free(&b);
}

int main(int argc, char **argv)
{
	struct pk_cli cli;
	struct options opt;
	struct pk_format_opts fo;
	const struct pk_format_opts *from = NULL;
	struct pk_check *ck;
	struct pk_error err = {0};
	unsigned long long records, errors, warnings;
	size_t i;
	int status;

	memset(&opt, 0, sizeof opt);
	opt.cli = &cli;
	pk_check_opts_init(&opt.ck);
	pk_cli_init(&cli, "pref-check", GROUPS);
	pk_cli_parse(&cli, argc, argv, NULL, longopts, handle_opt, &opt, usage);
	if (cli.on_error != PK_ON_ERROR_ABORT)
		pk_cli_usage_error(&cli, "--on-error does not apply: pref-check checks every record");
	if (opt.leak_set && !opt.nagainst)
		pk_cli_usage_error(&cli, "rule leak needs --against");
	if (opt.ck.leak_ngram && !opt.nagainst)
		pk_cli_usage_error(&cli, "--leak-ngram needs --against");
	/* the report and the output (or stats) would overwrite each other */
	if (opt.json_path && pk_cli_same_file(opt.json_path, cli.output))
		pk_cli_usage_error(&cli, "JSON report file '%s' is also the output",
				   opt.json_path);
	if (opt.json_path && cli.want_stats &&
	    pk_cli_same_file(opt.json_path, cli.stats_path))
		pk_cli_usage_error(&cli, "JSON report file '%s' is also the stats file",
				   opt.json_path);

	if (cli.from && strcmp(cli.from, "lists") != 0) {
		pk_cli_check_format_opts(&cli, cli.from);
		pk_cli_format_opts(&cli, &fo);
		pk_cli_pair_field_opts(&cli, &fo);
		from = &fo; /* a reader per thread; SPEC names in its records */
	} else {
		opt.ck.prompt_field = cli.prompt_field;
		opt.ck.chosen_field = cli.chosen_field;
		opt.ck.rejected_field = cli.rejected_field;
		opt.ck.score_chosen_field = cli.score_chosen_field;
		opt.ck.score_rejected_field = cli.score_rejected_field;
		pk_cli_rank_opts(&cli, &opt.ck.rank);
		opt.ck.rank.need_prompt = 1;
	}
	opt.ck.deny = opt.deny;
	opt.ck.max_line = cli.max_line;
	opt.ck.memory = cli.memory;
	opt.ck.tmpdir = cli.tmpdir;
	opt.ck.quiet = cli.quiet;
	opt.ck.json = opt.json;
	if (!opt.json || opt.json_path) {
		opt.ck.emit = emit_line;
		opt.ck.ctx = &cli;
	}
	if (!(ck = pk_check_new(&opt.ck, &err))) {
		if (err.kind == PK_ERR_USAGE)
			pk_cli_usage_error(&cli, "%s", err.text);
		pk_cli_fatal(&cli, "%s", err.text);
	}
	for (i = 0; i < opt.nagainst; i++)
		if (pk_check_against(ck, opt.against[i], &err) < 0)
			pk_cli_fatal(&cli, "--against %s", err.text);

	if (pk_cli_open_output(&cli) == 0) {
		pk_cli_check(&cli, ck, from);
		if (cli.status == PK_EXIT_OK)
			report(&cli, ck, &opt);
	}
	pk_check_totals(ck, &records, &errors, &warnings);
	pk_cli_count(&cli, "records", records);
	pk_cli_count(&cli, "errors", errors);
	pk_cli_count(&cli, "warnings", warnings);
	/* the report is written whatever it says: exit 1 comes after it */
	status = pk_cli_finish(&cli);
	if (status == PK_EXIT_OK && pk_check_failed(ck))
		status = PK_EXIT_DATA;
	pk_check_free(ck);
	return status;
}
