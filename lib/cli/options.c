/* SPDX-License-Identifier: MIT */
/*
 * options.c - the command line every pref-* command shares (SPEC section
 * 2): the common options and their groups, parsing them beside a
 * command's own, the value parsers, --help's common part and --version.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "cli.h"
#include "cli_internal.h"
#include "pk_private.h"

enum {
	OPT_MAX_LINE = PK_CLI_OPT_BASE,
	OPT_ON_ERROR,
	OPT_STATS,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_MEMORY,
	OPT_TMPDIR,
	OPT_SEED,
	OPT_PROMPT_FIELD,
	OPT_CHOSEN_FIELD,
	OPT_REJECTED_FIELD,
	OPT_SCORE_CHOSEN_FIELD,
	OPT_SCORE_REJECTED_FIELD,
	OPT_RESPONSES_FIELD,
	OPT_PAIRS,
	OPT_RANK_BY,
	OPT_TEXT_FIELD,
	OPT_SCORE_FIELD,
	OPT_RANK_FIELD,
	OPT_FROM,
	OPT_FORMAT_SCORE,
	OPT_NO_SYNTHETIC,
	OPT_THREADS,
};

struct common_option {
	struct option opt;
	unsigned group; /* 0 = every command */
};

/* Keep this list sorted by name. */
static const struct common_option common_options[] = {
	{{"chosen-field", required_argument, NULL, OPT_CHOSEN_FIELD}, PK_CLI_FIELDS},
	{{"from", required_argument, NULL, OPT_FROM}, PK_CLI_FORMATS},
	{{"help", no_argument, NULL, 'h'}, 0},
	{{"max-line", required_argument, NULL, OPT_MAX_LINE}, 0},
	{{"memory", required_argument, NULL, OPT_MEMORY}, PK_CLI_SORT},
	{{"no-progress", no_argument, NULL, OPT_NO_PROGRESS}, 0},
	{{"no-synthetic", no_argument, NULL, OPT_NO_SYNTHETIC}, PK_CLI_FORMATS},
	{{"on-error", required_argument, NULL, OPT_ON_ERROR}, 0},
	{{"output", required_argument, NULL, 'o'}, 0},
	{{"pairs", required_argument, NULL, OPT_PAIRS}, PK_CLI_LISTS},
	{{"progress", no_argument, NULL, OPT_PROGRESS}, 0},
	{{"prompt-field", required_argument, NULL, OPT_PROMPT_FIELD}, PK_CLI_FIELDS},
	{{"quiet", no_argument, NULL, 'q'}, 0},
	{{"rank-by", required_argument, NULL, OPT_RANK_BY}, PK_CLI_LISTS},
	{{"rank-field", required_argument, NULL, OPT_RANK_FIELD}, PK_CLI_LISTS},
	{{"rejected-field", required_argument, NULL, OPT_REJECTED_FIELD}, PK_CLI_FIELDS},
	{{"responses-field", required_argument, NULL, OPT_RESPONSES_FIELD}, PK_CLI_FIELDS},
	{{"score", required_argument, NULL, OPT_FORMAT_SCORE}, PK_CLI_FORMATS},
	{{"score-chosen-field", required_argument, NULL, OPT_SCORE_CHOSEN_FIELD}, PK_CLI_FIELDS},
	{{"score-field", required_argument, NULL, OPT_SCORE_FIELD}, PK_CLI_LISTS},
	{{"score-rejected-field", required_argument, NULL, OPT_SCORE_REJECTED_FIELD}, PK_CLI_FIELDS},
	{{"seed", required_argument, NULL, OPT_SEED}, PK_CLI_SEED},
	{{"stats", optional_argument, NULL, OPT_STATS}, 0},
	{{"text-field", required_argument, NULL, OPT_TEXT_FIELD}, PK_CLI_LISTS},
	{{"threads", required_argument, NULL, OPT_THREADS}, PK_CLI_THREADS},
	{{"tmpdir", required_argument, NULL, OPT_TMPDIR}, PK_CLI_SORT},
	{{"version", no_argument, NULL, 'V'}, 0},
	{{"zstd", optional_argument, NULL, 'z'}, 0},
};
#define NCOMMON (sizeof common_options / sizeof common_options[0])
#define COMMON_SHORTOPTS "o:z::qhV"

long long pk_cli_parse_int(struct pk_cli *cli, const char *opt,
			   const char *arg, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max)
		pk_cli_usage_error(cli, "%s: invalid value '%s' (a whole number from %lld to %lld)",
				   opt, arg, min, max);
	return v;
}

double pk_cli_parse_double(struct pk_cli *cli, const char *opt,
			   const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v))
		pk_cli_usage_error(cli, "%s: invalid number '%s'", opt, arg);
	return v;
}

int pk_cli_parse_choice(struct pk_cli *cli, const char *opt, const char *arg,
			const char *const *names)
{
	struct pk_buf list = PK_BUF_INIT;
	size_t i, n;

	for (n = 0; names[n]; n++)
		if (strcmp(arg, names[n]) == 0)
			return (int)n;
	for (i = 0; i < n; i++)
		pk_buf_printf(&list, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
			      names[i]);
	pk_cli_usage_error(cli, "%s: invalid value '%s' (%s)", opt, arg,
			   list.data ? list.data : "");
}

static size_t parse_size_opt(struct pk_cli *cli, const char *opt,
			     const char *arg)
{
	size_t v;

	if (pk_parse_size(arg, &v) < 0 || v == 0)
		pk_cli_usage_error(cli, "%s: invalid size '%s' (e.g. 64K, 256M, 2G)",
				   opt, arg);
	return v;
}

static void print_version(const struct pk_cli *cli)
{
	printf("%s (prefkit) %s\n", cli->progname, PACKAGE_VERSION);
	printf("jansson %s, zstd %s, PCRE2, xxHash%s\n", JANSSON_VERSION,
	       ZSTD_versionString(),
#ifdef HAVE_ZLIB
	       ", zlib"
#else
	       ""
#endif
	);
}

static void handle_common(struct pk_cli *cli, int c, const char *arg,
			  void (*usage)(FILE *, int))
{
	switch (c) {
	case 'o':
		cli->output = arg;
		break;
	case 'z':
		cli->zstd_level = arg ? (int)pk_cli_parse_int(cli, "--zstd", arg, 1, 19)
				      : PK_ZSTD_DEFAULT_LEVEL;
		break;
	case 'q':
		cli->quiet = 1;
		break;
	case 'h':
		if (usage) {
			usage(stdout, PK_EXIT_OK);
		} else {
			fputs(cli->help ? cli->help : "", stdout);
			pk_cli_common_help(cli, stdout);
		}
		pk_cli_exit_stdout(cli);
	case 'V':
		print_version(cli);
		pk_cli_exit_stdout(cli);
	case OPT_MAX_LINE:
		cli->max_line = parse_size_opt(cli, "--max-line", arg);
		break;
	case OPT_ON_ERROR:
		if (strcmp(arg, "abort") == 0) {
			cli->on_error = PK_ON_ERROR_ABORT;
		} else if (strcmp(arg, "skip") == 0) {
			cli->on_error = PK_ON_ERROR_SKIP;
		} else if (strncmp(arg, "quarantine=", 11) == 0 && arg[11]) {
			cli->on_error = PK_ON_ERROR_QUARANTINE;
			cli->quarantine_path = arg + 11;
		} else {
			pk_cli_usage_error(cli, "--on-error: invalid value '%s' (abort, skip or quarantine=FILE)",
					   arg);
		}
		break;
	case OPT_STATS:
		cli->want_stats = 1;
		cli->stats_path = arg && *arg && strcmp(arg, "-") ? arg : NULL;
		break;
	case OPT_PROGRESS:
		cli->progress = 1;
		break;
	case OPT_NO_PROGRESS:
		cli->progress = 0;
		break;
	case 'j':
	case OPT_THREADS:
		cli->threads = (long)pk_cli_parse_int(cli, c == 'j' ? "-j" : "--threads",
						      arg, 1, 256);
		break;
	case OPT_MEMORY:
		cli->memory = parse_size_opt(cli, "--memory", arg);
		break;
	case OPT_TMPDIR:
		cli->tmpdir = arg;
		break;
	case OPT_SEED:
		cli->seed = (unsigned long long)pk_cli_parse_int(cli, "--seed", arg, 0, LLONG_MAX);
		break;
	case OPT_PROMPT_FIELD:
		cli->prompt_field = arg;
		break;
	case OPT_CHOSEN_FIELD:
		cli->chosen_field = arg;
		break;
	case OPT_REJECTED_FIELD:
		cli->rejected_field = arg;
		break;
	case OPT_SCORE_CHOSEN_FIELD:
		cli->score_chosen_field = arg;
		break;
	case OPT_SCORE_REJECTED_FIELD:
		cli->score_rejected_field = arg;
		break;
	case OPT_RESPONSES_FIELD:
		cli->responses_field = arg;
		break;
	case OPT_PAIRS:
		if (pk_pairs_parse(arg, &cli->pairs) < 0)
			pk_cli_usage_error(cli, "--pairs: invalid value '%s' (best-vs-rest, all, adjacent, rest-vs-worst, best-vs-worst or skip=K)",
					   arg);
		cli->pairs_set = 1;
		break;
	case OPT_RANK_BY:
		if (strcmp(arg, "score") == 0)
			cli->rank_by = PK_RANK_BY_SCORE;
		else if (strcmp(arg, "rank") == 0)
			cli->rank_by = PK_RANK_BY_RANK;
		else
			pk_cli_usage_error(cli, "--rank-by: invalid value '%s' (score or rank)", arg);
		cli->rank_by_set = 1;
		break;
	case OPT_TEXT_FIELD:
		cli->text_field = arg;
		cli->list_fields_set = 1;
		break;
	case OPT_SCORE_FIELD:
		cli->score_field = arg;
		cli->list_fields_set = 1;
		break;
	case OPT_RANK_FIELD:
		cli->rank_field = arg;
		cli->list_fields_set = 1;
		break;
	case OPT_FROM:
		if (strcmp(arg, "auto") != 0 && !pk_format_lookup(arg))
			pk_cli_usage_error(cli, "--from: unknown format '%s' (see pref-convert --list-formats)", arg);
		cli->from = arg;
		break;
	case OPT_FORMAT_SCORE:
		cli->format_score = arg;
		break;
	case OPT_NO_SYNTHETIC:
		cli->no_synthetic = 1;
		break;
	}
}

void pk_cli_parse(struct pk_cli *cli, int argc, char **argv,
		  const char *shortopts, const struct option *longopts,
		  int (*handle)(void *ctx, int opt, const char *arg), void *ctx,
		  void (*usage)(FILE *fp, int status))
{
	struct option opts[128];
	char sopts[128];
	const char *stats_operand = NULL;
	size_t n = 0, i;
	int c;

	for (i = 0; longopts && longopts[i].name; i++)
		opts[n++] = longopts[i];
	for (i = 0; i < NCOMMON; i++)
		if (!common_options[i].group ||
		    (common_options[i].group & cli->groups))
			opts[n++] = common_options[i].opt;
	if (cli->groups & PK_CLI_FORMATS)
		n += pk_cli_format_options(&opts[n]);
	memset(&opts[n], 0, sizeof opts[n]);
	snprintf(sopts, sizeof sopts, ":%s%s%s", shortopts ? shortopts : "",
		 COMMON_SHORTOPTS, cli->groups & PK_CLI_THREADS ? "j:" : "");

	opterr = 0;
	while ((c = getopt_long(argc, argv, sopts, opts, NULL)) != -1) {
		const char *word = argv[optind - 1];

		/* "--stats FILE" reads FILE as input: say so */
		if (c == OPT_STATS && !optarg && optind < argc &&
		    argv[optind][0] != '-')
			stats_operand = argv[optind];

		if (c == '?') {
			if (strncmp(word, "--", 2) != 0 && optopt > 0 &&
			    optopt <= CHAR_MAX)
				pk_cli_usage_error(cli, "invalid option -- '%c'", optopt);
			pk_cli_usage_error(cli, "unrecognized option '%s'", word);
		}
		if (c == ':')
			pk_cli_usage_error(cli, "option '%s' needs a value", word);
		if (c >= PK_CLI_FMT_OPT_BASE)
			pk_cli_format_option(cli, c, optarg);
		else if (c >= PK_CLI_OPT_BASE || strchr(COMMON_SHORTOPTS, c) ||
			 (c == 'j' && (cli->groups & PK_CLI_THREADS)))
			handle_common(cli, c, optarg, usage);
		else if (!handle || handle(ctx, c, optarg) < 0)
			pk_cli_usage_error(cli, "invalid option");
	}
	if (stats_operand && !cli->quiet)
		fprintf(stderr, "%s: '%s' after --stats is read as input; write "
			"--stats=%s to name the stats file\n", cli->progname,
			stats_operand, stats_operand);
	/* Options may follow operands (GNU style) but "--" ends them. */
	cli->inputs = argv + optind;
	cli->ninputs = argc - optind;
	if (cli->progress < 0)
		cli->progress = isatty(STDERR_FILENO);
}

void pk_cli_common_help(const struct pk_cli *cli, FILE *fp)
{
	fputs("\nCommon options (see prefkit(7)):\n"
	      "  -o, --output=FILE        write to FILE (atomically) instead of standard output\n"
	      "  -z, --zstd[=LEVEL]       compress the output with zstd (implied by -o NAME.zst)\n"
	      "      --on-error=MODE      abort (default), skip, or quarantine=FILE for bad records\n"
	      "      --stats[=FILE]       write counts as one JSON object to standard error or FILE\n"
	      "      --max-line=SIZE      longest record accepted (default 256M; K, M, G suffixes)\n"
	      "      --progress, --no-progress  force the progress line on or off\n"
	      "  -q, --quiet              no warnings\n",
	      fp);
	if (cli->groups & PK_CLI_FIELDS)
		fputs("      --prompt-field=PATH, --chosen-field=PATH, --rejected-field=PATH,\n"
		      "      --score-chosen-field=PATH, --score-rejected-field=PATH,\n"
		      "      --responses-field=PATH   read fields under other names (dotted paths)\n",
		      fp);
	if (cli->groups & PK_CLI_THREADS)
		fputs("  -j, --threads=N          work on N threads (default: PREFKIT_THREADS or\n"
		      "                           the CPUs); the output is the same for any N\n",
		      fp);
	if (cli->groups & PK_CLI_SORT)
		fputs("      --memory=SIZE        memory for sorting before spilling to disk (default 512M)\n"
		      "      --tmpdir=DIR         where to spill (default $TMPDIR or /tmp)\n",
		      fp);
	if (cli->groups & PK_CLI_LISTS)
		fputs("\nRanked lists (SPEC 1.3; see prefkit(7)):\n"
		      "      --pairs=STRATEGY     best-vs-rest (default), all, adjacent,\n"
		      "                           rest-vs-worst, best-vs-worst or skip=K; tied\n"
		      "                           responses are never paired\n"
		      "      --rank-by=KEY        score (default) or rank, when responses have both\n"
		      "      --text-field=PATH    the text of a response (default text)\n"
		      "      --score-field=PATH   the score of a response (default score)\n"
		      "      --rank-field=PATH    the rank of a response (default rank)\n",
		      fp);
	if (cli->groups & PK_CLI_FORMATS)
		fputs("\nForeign formats (see pref-convert(1)):\n"
		      "      --from=FORMAT        read records of FORMAT (pref-convert --list-formats)\n"
		      "      --score=WHICH        ultrafeedback: overall (default), fine-grained or\n"
		      "                           mean-aspects; helpsteer: the attribute\n"
		      "                           (default helpfulness)\n"
		      "      --no-synthetic       oasst: skip synthetic messages too\n",
		      fp);
	if (cli->groups & PK_CLI_FORMATS)
		pk_cli_format_help(fp);
	if (cli->groups & PK_CLI_SEED)
		fputs("      --seed=N             seed for shuffling and sampling (default 0)\n", fp);
	fputs("  -h, --help               show this help and exit\n"
	      "  -V, --version            show the version and exit\n"
	      "\nExit status: 0 success, 1 bad data, 2 usage, I/O or system error.\n",
	      fp);
}
