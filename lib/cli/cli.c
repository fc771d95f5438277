/* SPDX-License-Identifier: MIT */
/*
 * cli.c - the conventions every pref-* command shares (SPEC section 2):
 * common options, the read loop over all inputs with --on-error, output
 * with -o/-z, accounting for --stats, progress, messages and exit codes.
 * Unlike libprefkit this code prints, and exits on misuse.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "cli.h"
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
	{{"tmpdir", required_argument, NULL, OPT_TMPDIR}, PK_CLI_SORT},
	{{"version", no_argument, NULL, 'V'}, 0},
	{{"zstd", optional_argument, NULL, 'z'}, 0},
};
#define NCOMMON (sizeof common_options / sizeof common_options[0])
#define COMMON_SHORTOPTS "o:z::qhV"

/* Temporary files to remove when a signal or exit() ends the program:
 * the output, the quarantine file and the stats file, and the outputs of
 * pk_cli_open_outputs(). */
enum { TEMP_OUT, TEMP_QUARANTINE, TEMP_STATS, NTEMP };
static char cleanup_paths[NTEMP][PATH_MAX];
static char **volatile cleanup_more;
static volatile size_t ncleanup_more;

/* Async-signal-safe: unlink(2) only. */
static void remove_temps(void)
{
	char **more = cleanup_more;
	size_t i, n = ncleanup_more;

	for (i = 0; i < NTEMP; i++)
		if (cleanup_paths[i][0])
			unlink(cleanup_paths[i]);
	for (i = 0; more && i < n; i++)
		if (more[i])
			unlink(more[i]);
}

static void on_fatal_signal(int sig)
{
	remove_temps();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The signals that end a process by default, apart from the ones that
 * report a fault in the program itself (SIGSEGV, SIGBUS, ...). */
static const int fatal_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
	SIGXCPU, SIGXFSZ, SIGVTALRM,
};

static void remember_temp(int slot, const struct pk_writer *w)
{
	const char *p = w ? pk_writer_temp_path(w) : NULL;

	if (p && strlen(p) < PATH_MAX)
		strcpy(cleanup_paths[slot], p);
	else
		cleanup_paths[slot][0] = '\0';
}

/* Open /dev/null on a closed standard descriptor, as git and coreutils
 * do, so that no file we open becomes descriptor 0, 1 or 2 by accident.
 * It is opened for the other direction, so that reading a closed
 * standard input or writing a closed standard output still fails
 * (EBADF) as it would have: an error, never an empty input or a lost
 * output. */
static void sanitize_std_fds(const char *progname)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		nfd = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (nfd != fd) {
			fprintf(stderr, "%s: cannot open /dev/null: %s\n",
				progname, strerror(errno));
			_exit(PK_EXIT_ERROR);
		}
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void pk_cli_init(struct pk_cli *cli, const char *progname, unsigned groups)
{
	const char *tmp = getenv("TMPDIR");
	size_t i;

	memset(cli, 0, sizeof *cli);
	cli->progname = progname;
	cli->groups = groups;
	cli->zstd_level = PK_ZSTD_AUTO;
	cli->max_line = (size_t)256 << 20;
	cli->memory = (size_t)512 << 20;
	cli->tmpdir = tmp && *tmp ? tmp : "/tmp";
	cli->progress = -1;
	cli->prompt_field = "prompt";
	cli->chosen_field = "chosen";
	cli->rejected_field = "rejected";
	cli->score_chosen_field = "score_chosen";
	cli->score_rejected_field = "score_rejected";
	cli->responses_field = "responses";
	cli->pairs.kind = PK_PAIRS_BEST_VS_REST;
	cli->rank_by = PK_RANK_BY_SCORE;
	cli->text_field = "text";
	cli->score_field = "score";
	cli->rank_field = "rank";

	sanitize_std_fds(progname);
	/* A signal that ends us removes our temporary files first, then ends
	 * us by the same signal.  A closed pipe ends us quietly, as it ends
	 * cat (git common-init.c), even when the parent ignored SIGPIPE; any
	 * other signal the parent ignored (nohup, a background job's SIGINT)
	 * stays ignored. */
	for (i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
		struct sigaction old;

		if (fatal_signals[i] != SIGPIPE &&
		    sigaction(fatal_signals[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		signal(fatal_signals[i], on_fatal_signal);
	}
	/* and exit() (a usage error, out of memory) removes them too */
	atexit(remove_temps);
}

static void vmsg(const struct pk_cli *cli, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", cli->progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pk_cli_usage_error(struct pk_cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cli, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n",
		cli->progname);
	exit(PK_EXIT_ERROR);
}

void pk_cli_fatal(struct pk_cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cli, fmt, ap);
	va_end(ap);
	exit(PK_EXIT_ERROR);
}

void pk_cli_error(struct pk_cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cli, fmt, ap);
	va_end(ap);
	cli->status = PK_EXIT_ERROR;
	cli->stop = 1;
}

static void clear_progress(struct pk_cli *cli)
{
	if (cli->last_progress > 0) {
		fputs("\r\033[K", stderr);
		cli->last_progress = 0;
	}
}

void pk_cli_warn(struct pk_cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli->quiet)
		return;
	clear_progress(cli);
	fprintf(stderr, "%s: %s:%llu: ", cli->progname,
		cli->input_name ? cli->input_name : "-", cli->line.lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

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

/* Flush standard output: 0, or -1 after "write error" (and status 2). */
static int flush_stdout(struct pk_cli *cli)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fprintf(stderr, "%s: write error: %s\n", cli->progname,
		strerror(errno));
	cli->status = PK_EXIT_ERROR;
	return -1;
}

void pk_cli_exit_stdout(struct pk_cli *cli)
{
	exit(flush_stdout(cli) < 0 ? PK_EXIT_ERROR : PK_EXIT_OK);
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
	snprintf(sopts, sizeof sopts, ":%s%s", shortopts ? shortopts : "",
		 COMMON_SHORTOPTS);

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
		else if (c >= PK_CLI_OPT_BASE || strchr(COMMON_SHORTOPTS, c))
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

static void report_writer_error(struct pk_cli *cli, const char *what,
				const struct pk_error *err)
{
	if (err->kind == PK_ERR_PIPE) {
		/* Nobody reads any more: end as SIGPIPE would. */
		remove_temps();
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
		_exit(PK_EXIT_ERROR);
	}
	pk_cli_error(cli, "%s: %s", what, err->text);
}

/* Do two names (neither "-") name the same file?  By device and inode
 * when both exist (links included), else by the name with symbolic links
 * and the directory resolved.  Character devices (/dev/null) take any
 * number of writers and never clash. */
struct file_id {
	int exists;
	struct stat st;
	char *name;          /* when it does not exist: resolved, malloc'd */
};

static void file_id_get(struct file_id *id, const char *path)
{
	char *real, *slash, *dir;

	memset(id, 0, sizeof *id);
	if (strcmp(path, "-") == 0) {
		id->exists = fstat(0, &id->st) == 0;
		return;
	}
	if (stat(path, &id->st) == 0) {
		id->exists = 1;
		return;
	}
	/* a file to be made: its directory's real name and its own */
	if (!(real = pk_path_resolve(path)))
		return;
	slash = strrchr(real, '/');
	if (slash == real)
		dir = realpath("/", NULL);
	else if (slash) {
		*slash = '\0';
		dir = realpath(real, NULL);
		*slash = '/';
	} else {
		dir = realpath(".", NULL);
	}
	if (dir) {
		const char *base = slash ? slash + 1 : real;
		size_t n = strlen(dir) + strlen(base) + 2;

		if ((id->name = malloc(n)))
			snprintf(id->name, n, "%s/%s", dir, base);
		free(dir);
	}
	free(real);
}

static int file_id_same(const struct file_id *a, const struct file_id *b)
{
	if (a->exists != b->exists)
		return 0;
	if (a->exists)
		return a->st.st_dev == b->st.st_dev &&
		       a->st.st_ino == b->st.st_ino &&
		       !S_ISCHR(a->st.st_mode);
	return a->name && b->name && strcmp(a->name, b->name) == 0;
}

/* A file the command writes (an output: what, path) must not be the
 * quarantine or stats file, nor be written by two of them, and those two
 * must not be an input: one would overwrite the other (issue 8).  Outputs
 * may be inputs (they are written to a temporary file).  Returns 0, or
 * -1 after the message when exit_on_clash is 0 (files are open). */
static int check_clashes(struct pk_cli *cli, const char *const *outs,
			 size_t nouts, int exit_on_clash)
{
	struct named {
		const char *role, *path;
		int input;
		struct file_id id;
	} *f;
	size_t n = 0, i, j, nin = cli->ninputs ? (size_t)cli->ninputs : 1;
	int rc = 0;

	f = calloc(nouts + nin + 2, sizeof *f);
	if (!f)
		return 0; /* nothing is lost by not checking */
	if (cli->on_error == PK_ON_ERROR_QUARANTINE)
		f[n++] = (struct named){"quarantine file", cli->quarantine_path, 0, {0}};
	if (cli->want_stats && cli->stats_path)
		f[n++] = (struct named){"stats file", cli->stats_path, 0, {0}};
	if (n == 0) {
		free(f);
		return 0;
	}
	for (i = 0; i < nouts; i++)
		if (outs[i] && strcmp(outs[i], "-") != 0)
			f[n++] = (struct named){"output", outs[i], 0, {0}};
	for (i = 0; i < nin; i++)
		f[n++] = (struct named){"input", cli->ninputs ? cli->inputs[i] : "-", 1, {0}};
	for (i = 0; i < n; i++)
		file_id_get(&f[i].id, f[i].path);
	/* the first two are the quarantine and/or stats files */
	for (i = 0; i < n && !f[i].input && strcmp(f[i].role, "output") != 0 && !rc; i++)
		for (j = i + 1; j < n && !rc; j++) {
			if (!file_id_same(&f[i].id, &f[j].id))
				continue;
			if (strcmp(f[j].path, "-") == 0)
				pk_cli_error(cli, "%s '%s' is also the standard input",
					     f[i].role, f[i].path);
			else if (strcmp(f[i].path, f[j].path) == 0)
				pk_cli_error(cli, "%s '%s' is also %s %s",
					     f[i].role, f[i].path,
					     f[j].input ? "an" : "the", f[j].role);
			else
				pk_cli_error(cli, "%s '%s' is also %s %s ('%s')",
					     f[i].role, f[i].path,
					     f[j].input ? "an" : "the", f[j].role,
					     f[j].path);
			rc = -1;
		}
	for (i = 0; i < n; i++)
		free(f[i].id.name);
	free(f);
	if (rc < 0 && exit_on_clash) {
		fprintf(stderr, "Try '%s --help' for more information.\n",
			cli->progname);
		exit(PK_EXIT_ERROR);
	}
	return rc;
}

static int open_quarantine(struct pk_cli *cli)
{
	struct pk_error err = {0};

	if (cli->on_error == PK_ON_ERROR_QUARANTINE) {
		cli->quarantine = pk_writer_open(cli->quarantine_path,
						 PK_ZSTD_AUTO, &err);
		if (!cli->quarantine) {
			pk_cli_error(cli, "%s: %s", cli->quarantine_path,
				     err.text);
			return -1;
		}
		remember_temp(TEMP_QUARANTINE, cli->quarantine);
	}
	return 0;
}

int pk_cli_open_output(struct pk_cli *cli)
{
	struct pk_error err = {0};

	check_clashes(cli, &cli->output, 1, 1);
	cli->out = pk_writer_open(cli->output, cli->zstd_level, &err);
	if (!cli->out) {
		pk_cli_error(cli, "%s: %s", cli->output ? cli->output : "-",
			     err.text);
		return -1;
	}
	remember_temp(TEMP_OUT, cli->out);
	return open_quarantine(cli);
}

int pk_cli_open_outputs(struct pk_cli *cli, char *const *paths, size_t n,
			int zstd_level)
{
	struct pk_error err = {0};
	char **temps;
	size_t k;

	check_clashes(cli, (const char *const *)paths, n, 1);
	temps = calloc(n + 1, sizeof *temps);
	cli->outs = calloc(n + 1, sizeof *cli->outs);
	cli->out_paths = calloc(n + 1, sizeof *cli->out_paths);
	if (!temps || !cli->outs || !cli->out_paths) {
		free(temps);
		pk_cli_error(cli, "out of memory");
		return -1;
	}
	cli->nouts = n;
	cleanup_more = temps;
	for (k = 0; k < n; k++) {
		const char *tmp;

		cli->out_paths[k] = strdup(paths[k]);
		cli->outs[k] = pk_writer_open(paths[k], zstd_level, &err);
		if (!cli->outs[k]) {
			pk_cli_error(cli, "%s: %s", paths[k], err.text);
			return -1;
		}
		tmp = pk_writer_temp_path(cli->outs[k]);
		if (!cli->out_paths[k] || (tmp && !(temps[k] = strdup(tmp)))) {
			pk_cli_error(cli, "out of memory");
			return -1;
		}
		ncleanup_more = k + 1;
	}
	return open_quarantine(cli);
}

int pk_cli_add_output(struct pk_cli *cli, const char *path, int zstd_level)
{
	struct pk_error err = {0};
	size_t n = cli->nouts;
	struct pk_writer **outs, *w;
	char **paths, **temps, **old = cleanup_more, *name, *tmp = NULL;
	const char *t;

	if (check_clashes(cli, &path, 1, 0) < 0)
		return -1;
	if (!(w = pk_writer_open(path, zstd_level, &err))) {
		pk_cli_error(cli, "%s: %s", path, err.text);
		return -1;
	}
	t = pk_writer_temp_path(w);
	if ((outs = realloc(cli->outs, (n + 2) * sizeof *outs)))
		cli->outs = outs;
	if ((paths = realloc(cli->out_paths, (n + 2) * sizeof *paths)))
		cli->out_paths = paths;
	temps = calloc(n + 2, sizeof *temps);
	name = strdup(path);
	if (t)
		tmp = strdup(t);
	if (!outs || !paths || !temps || !name || (t && !tmp)) {
		free(temps);
		free(name);
		free(tmp);
		pk_writer_abort(w);
		pk_cli_error(cli, "out of memory");
		return -1;
	}
	if (old)
		memcpy(temps, old, n * sizeof *temps);
	temps[n] = tmp;
	cli->outs[n] = w;
	cli->out_paths[n] = name;
	cli->nouts = n + 1;
	/* a signal sees the old list or the new one, each whole */
	cleanup_more = temps;
	ncleanup_more = n + 1;
	free(old);
	return 0;
}

static void progress_tick(struct pk_cli *cli)
{
	double t;

	if (!cli->progress || (cli->nread & 0x3fff))
		return;
	t = now();
	if (cli->last_progress > 0 && t - cli->last_progress < 0.5)
		return;
	cli->last_progress = t;
	fprintf(stderr, "\r%s: %s: %llu records, %.1f MiB read", cli->progname,
		cli->input_name,  cli->nread,
		cli->reader ? pk_reader_bytes_in(cli->reader) / 1048576.0 : 0.0);
}

static int quarantine_sink(void *ctx, const void *p, size_t n)
{
	struct pk_cli *cli = ctx;
	struct pk_error err = {0};

	if (pk_writer_write(cli->quarantine, p, n, &err) < 0) {
		report_writer_error(cli, cli->quarantine_path, &err);
		return -1;
	}
	return 0;
}

/* An element of a JSON array file may span lines: quarantine it as one
 * line, dropping the whitespace outside strings as it streams past. */
struct compact_sink {
	struct pk_cli *cli;
	int in_string, escaped;
};

static int compacting_sink(void *ctx, const void *p, size_t n)
{
	struct compact_sink *cs = ctx;
	const char *s = p;
	char out[4096];
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (cs->in_string) {
			if (cs->escaped)
				cs->escaped = 0;
			else if (c == '\\')
				cs->escaped = 1;
			else if (c == '"')
				cs->in_string = 0;
		} else if (c == '"') {
			cs->in_string = 1;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			continue;
		}
		out[k++] = c;
		if (k == sizeof out) {
			if (quarantine_sink(cs->cli, out, k) < 0)
				return -1;
			k = 0;
		}
	}
	return k ? quarantine_sink(cs->cli, out, k) : 0;
}

/* A bad record: say so (at most PK_CLI_MAX_REPORTS times unless aborting),
 * then skip, quarantine or stop.  long_line: the reader still holds the
 * rest of the line. */
static void bad_record(struct pk_cli *cli, const char *msg,
		       unsigned long column, int long_line)
{
	struct pk_error err = {0};

	if (cli->on_error == PK_ON_ERROR_ABORT ||
	    cli->nreported < PK_CLI_MAX_REPORTS) {
		clear_progress(cli);
		if (column)
			fprintf(stderr, "%s: %s:%llu: %s (column %lu)\n",
				cli->progname, cli->input_name,
				cli->line.lineno, msg, column);
		else
			fprintf(stderr, "%s: %s:%llu: %s\n", cli->progname,
				cli->input_name, cli->line.lineno, msg);
	}
	cli->nreported++;
	switch (cli->on_error) {
	case PK_ON_ERROR_ABORT:
		cli->status = PK_EXIT_DATA;
		cli->stop = 1;
		break;
	case PK_ON_ERROR_SKIP:
		cli->nskipped++;
		break;
	case PK_ON_ERROR_QUARANTINE: {
		struct compact_sink cs = {cli, 0, 0};
		int array = cli->reader && pk_reader_is_array(cli->reader);
		int (*sink)(void *, const void *, size_t) =
			array ? compacting_sink : quarantine_sink;
		void *ctx = array ? (void *)&cs : (void *)cli;

		if (sink(ctx, cli->line.data, cli->line.len) < 0)
			break;
		if (long_line && cli->reader &&
		    pk_reader_drain(cli->reader, sink, ctx, &err) < 0) {
			if (!cli->stop)
				pk_cli_error(cli, "%s: %s", cli->input_name, err.text);
			break;
		}
		if (quarantine_sink(cli, "\n", 1) < 0)
			break;
		cli->nquarantined++;
		break;
	}
	}
}

void pk_cli_reject(struct pk_cli *cli, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	bad_record(cli, msg, 0, 0);
}

void pk_cli_reject_error(struct pk_cli *cli, const struct pk_error *err)
{
	if (err->kind != PK_ERR_DATA) {
		pk_cli_error(cli, "%s:%llu: %s", cli->input_name,
			     cli->line.lineno, err->text);
		return;
	}
	bad_record(cli, err->text, err->column, 0);
}

/* Open the next input; 0, or -1 when there is none left or it failed. */
static int next_input(struct pk_cli *cli)
{
	struct pk_error err = {0};
	const char *path;

	if (cli->ninputs == 0 && cli->input_index == 0)
		path = "-";
	else if (cli->input_limit && cli->input_index >= cli->input_limit)
		return -1;
	else if (cli->input_index < cli->ninputs)
		path = cli->inputs[cli->input_index];
	else
		return -1;
	cli->input_index++;
	cli->input_nread = 0;
	cli->reader = pk_reader_open(path, cli->max_line, &err);
	if (!cli->reader) {
		pk_cli_error(cli, "%s: %s", path, err.text);
		return -1;
	}
	free(cli->input_name_buf);
	cli->input_name_buf = strdup(pk_reader_name(cli->reader));
	if (!cli->input_name_buf) { /* never report under another name */
		pk_cli_error(cli, "%s: %s", path, strerror(ENOMEM));
		pk_reader_close(cli->reader);
		cli->reader = NULL;
		return -1;
	}
	cli->input_name = cli->input_name_buf;
	return 0;
}

static void close_input(struct pk_cli *cli)
{
	if (!cli->reader)
		return;
	cli->nblank += pk_reader_blank_lines(cli->reader);
	pk_reader_close(cli->reader);
	cli->reader = NULL;
}

int pk_cli_next(struct pk_cli *cli)
{
	struct pk_error err;
	int rc;

	for (;;) {
		if (cli->stop)
			return 0;
		if (!cli->reader && next_input(cli) < 0)
			return 0;
		pk_error_clear(&err);
		rc = pk_reader_next(cli->reader, &cli->line, &err);
		if (rc == PK_EOF) {
			close_input(cli);
			continue;
		}
		if (rc == PK_FATAL) {
			clear_progress(cli);
			if (err.line && err.column)
				fprintf(stderr, "%s: %s:%llu: %s (column %lu)\n",
					cli->progname, cli->input_name, err.line,
					err.text, err.column);
			else if (err.line)
				fprintf(stderr, "%s: %s:%llu: %s\n", cli->progname,
					cli->input_name, err.line, err.text);
			else
				fprintf(stderr, "%s: %s: %s\n", cli->progname,
					cli->input_name, err.text);
			cli->status = err.kind == PK_ERR_DATA ? PK_EXIT_DATA
							      : PK_EXIT_ERROR;
			cli->stop = 1;
			return 0;
		}
		cli->nread++;
		cli->input_nread++;
		if (rc == PK_BAD_RECORD) {
			bad_record(cli, err.text, 0, 1);
			continue;
		}
		rc = pk_scan_record(&cli->rec, cli->line.data, cli->line.len,
				    &err);
		if (rc == PK_BAD_RECORD) {
			bad_record(cli, err.text, err.column, 0);
			continue;
		}
		if (rc < 0) {
			pk_cli_error(cli, "%s", err.text);
			return 0;
		}
		progress_tick(cli);
		return 1;
	}
}

int pk_cli_next_line(struct pk_cli *cli, struct pk_error *err)
{
	int rc;

	for (;;) {
		if (cli->stop)
			return 0;
		if (!cli->reader) {
			if (next_input(cli) < 0)
				return 0;
			return 3;
		}
		pk_error_clear(err);
		rc = pk_reader_next(cli->reader, &cli->line, err);
		if (rc == PK_EOF) {
			close_input(cli);
			continue;
		}
		if (rc == PK_FATAL && err->kind == PK_ERR_DATA) {
			/* a JSON array file that is not an array: that file
			 * is bad data, the next one may be fine */
			cli->nread++;
			cli->line.lineno = err->line;
			close_input(cli);
			return 2;
		}
		if (rc == PK_FATAL) {
			clear_progress(cli);
			fprintf(stderr, "%s: %s: %s\n", cli->progname,
				cli->input_name, err->text);
			cli->status = PK_EXIT_ERROR;
			cli->stop = 1;
			return 0;
		}
		cli->nread++;
		progress_tick(cli);
		return rc == PK_BAD_RECORD ? 2 : 1;
	}
}

int pk_cli_twopass_add(struct pk_cli *cli, struct pk_twopass *tp,
		       const void *tag, size_t n)
{
	struct pk_error err = {0};

	if (pk_twopass_add(tp, cli->input_name, (unsigned)cli->input_index - 1,
			   cli->input_nread - 1, cli->line.lineno,
			   cli->line.data, cli->line.len, tag, n, &err) < 0) {
		pk_cli_error(cli, "%s", err.text);
		return -1;
	}
	return 0;
}

int pk_cli_twopass_next(struct pk_cli *cli, struct pk_twopass *tp,
			const void **tag, size_t *n)
{
	struct pk_twopass_item it;
	struct pk_error err = {0};
	int rc;

	if (cli->stop)
		return 0;
	rc = pk_twopass_next(tp, &it, &err);
	if (rc == PK_EOF)
		return 0;
	if (rc == PK_OK)
		rc = pk_scan_record(&cli->rec, it.line, it.len, &err);
	if (rc < 0) {
		pk_cli_error(cli, "%s", err.text);
		return 0;
	}
	cli->line.data = it.line;
	cli->line.len = it.len;
	cli->line.lineno = it.lineno;
	cli->input_name = it.path;
	*tag = it.tag;
	*n = it.taglen;
	return 1;
}

/* Where records go: the output, or output k of pk_cli_open_outputs(). */
struct dest {
	struct pk_writer *w;
	const char *name;
};

static struct dest main_dest(const struct pk_cli *cli)
{
	struct dest d = {cli->out, cli->output ? cli->output : "-"};

	return d;
}

static int emit_to(struct pk_cli *cli, struct dest to, const char *data,
		   size_t len)
{
	struct pk_error err = {0};

	if (pk_writer_write(to.w, data, len, &err) < 0 ||
	    pk_writer_write(to.w, "\n", 1, &err) < 0) {
		report_writer_error(cli, to.name, &err);
		return -1;
	}
	cli->nwritten++;
	return 0;
}

int pk_cli_emit(struct pk_cli *cli, const char *data, size_t len)
{
	return emit_to(cli, main_dest(cli), data, len);
}

int pk_cli_write(struct pk_cli *cli, const void *data, size_t len)
{
	struct pk_error err = {0};
	struct dest to = main_dest(cli);

	if (pk_writer_write(to.w, data, len, &err) < 0) {
		report_writer_error(cli, to.name, &err);
		return -1;
	}
	return 0;
}

/* Room for one record of at most n bytes and its newline, straight in the
 * writer's buffer; NULL after reporting an error. */
static char *emit_room(struct pk_cli *cli, struct dest to, size_t n)
{
	struct pk_error err = {0};
	char *d = pk_writer_room(to.w, n + 1, &err);

	if (!d)
		report_writer_error(cli, to.name, &err);
	return d;
}

/* Hand over the n bytes built in emit_room()'s space, adding the newline. */
static int emit_done(struct pk_cli *cli, struct dest to, char *d, size_t n)
{
	struct pk_error err = {0};

	d[n] = '\n';
	if (pk_writer_advance(to.w, n + 1, &err) < 0) {
		report_writer_error(cli, to.name, &err);
		return -1;
	}
	cli->nwritten++;
	return 0;
}

static int emit_record_to(struct pk_cli *cli, struct dest to)
{
	char *d;

	if (!cli->rec.has_space)
		return emit_to(cli, to, cli->line.data, cli->line.len);
	if (!(d = emit_room(cli, to, cli->rec.len)))
		return -1;
	return emit_done(cli, to, d, pk_record_compact_to(&cli->rec, d));
}

int pk_cli_emit_record(struct pk_cli *cli)
{
	return emit_record_to(cli, main_dest(cli));
}

int pk_cli_emit_to(struct pk_cli *cli, size_t k, const char *data,
		   size_t len)
{
	struct dest to = {cli->outs[k], cli->out_paths[k]};

	return emit_to(cli, to, data, len);
}

int pk_cli_emit_record_to(struct pk_cli *cli, size_t k)
{
	struct dest to = {cli->outs[k], cli->out_paths[k]};

	return emit_record_to(cli, to);
}

int pk_cli_emit_obj(struct pk_cli *cli, const struct pk_obj *o)
{
	return pk_cli_emit_obj_with(cli, o, NULL, 0);
}

int pk_cli_emit_obj_with(struct pk_cli *cli, const struct pk_obj *o,
			 const char *extra, size_t n)
{
	struct dest to = main_dest(cli);
	char *d = emit_room(cli, to, pk_obj_write_bound(o) + n + 1);

	if (!d)
		return -1;
	return emit_done(cli, to, d, pk_obj_write_with(o, extra, n, d));
}

int pk_cli_hold(struct pk_cli *cli, const char *data, size_t len)
{
	if (pk_buf_append(&cli->held, data, len) < 0 ||
	    pk_buf_putc(&cli->held, '\n') < 0)
		return PK_FATAL;
	return PK_OK;
}

void pk_cli_settle(struct pk_cli *cli, int rc, const struct pk_error *err)
{
	size_t pos = 0;

	if (rc == PK_OK) {
		while (pos < cli->held.len && !cli->stop) {
			const char *nl = memchr(cli->held.data + pos, '\n',
						cli->held.len - pos);
			size_t end = (size_t)(nl - cli->held.data);

			pk_cli_emit(cli, cli->held.data + pos, end - pos);
			pos = end + 1;
		}
		pk_buf_reset(&cli->held);
		return;
	}
	pk_buf_reset(&cli->held);
	if (cli->stop || rc == PK_EPIPE || err->kind == PK_ERR_PIPE)
		return;
	if (rc == PK_BAD_RECORD && err->kind == PK_ERR_DATA)
		pk_cli_reject_error(cli, err);
	else if (err->kind == PK_ERR_USAGE)
		pk_cli_error(cli, "%s", err->text);
	else if (err->kind == PK_ERR_NOMEM || !err->text[0])
		pk_cli_error(cli, "%s", err->text[0] ? err->text : "out of memory");
	else
		pk_cli_error(cli, "%s:%llu: %s", cli->input_name,
			     cli->line.lineno, err->text);
}

int pk_cli_feed(struct pk_cli *cli, struct pk_format_reader *fr,
		int (*emit)(void *ctx, const char *json, size_t len),
		void *ctx, struct pk_error *err)
{
	const char *note;
	int rc;

	pk_error_clear(err);
	rc = pk_format_reader_feed(fr, &cli->rec, emit, ctx, err);
	note = pk_format_reader_note(fr);
	if (rc == PK_OK && note)
		pk_cli_warn(cli, "%s", note);
	pk_cli_settle(cli, rc, err);
	return rc;
}

int pk_cli_feed_end(struct pk_cli *cli, struct pk_format_reader *fr,
		    int (*emit)(void *ctx, const char *json, size_t len),
		    void *ctx, struct pk_error *err)
{
	unsigned long long v;
	const char *name;
	size_t i;
	int rc = PK_OK;

	if (!cli->stop) {
		pk_error_clear(err);
		rc = pk_format_reader_finish(fr, emit, ctx, err);
		pk_cli_settle(cli, rc, err);
	}
	for (i = 0; (name = pk_format_reader_counter(fr, i, &v)); i++)
		pk_cli_count(cli, name, v);
	return rc;
}

int pk_cli_emit_cb(void *cli, const char *json, size_t len)
{
	return pk_cli_emit(cli, json, len) < 0 ? PK_FATAL : PK_OK;
}

int pk_cli_hold_cb(void *cli, const char *json, size_t len)
{
	return pk_cli_hold(cli, json, len);
}

static char *sink_room(void *ctx, size_t n)
{
	return emit_room(ctx, main_dest(ctx), n);
}

static int sink_commit(void *ctx, char *p, size_t len)
{
	return emit_done(ctx, main_dest(ctx), p, len) < 0 ? PK_FATAL : PK_OK;
}

void pk_cli_sink(struct pk_cli *cli, struct pk_sink *s)
{
	s->emit = pk_cli_emit_cb;
	s->room = sink_room;
	s->commit = sink_commit;
	s->ctx = cli;
}

struct pk_format_reader *pk_cli_format_reader(struct pk_cli *cli,
					      const char *name,
					      const struct pk_format_opts *fo)
{
	struct pk_error err = {0};
	struct pk_format_reader *fr = pk_format_reader_new(name, fo, &err);

	if (!fr) {
		if (err.kind == PK_ERR_USAGE)
			pk_cli_usage_error(cli, "%s", err.text);
		pk_cli_fatal(cli, "%s", err.text);
	}
	return fr;
}

void pk_cli_rank_opts(const struct pk_cli *cli, struct pk_rank_opts *o)
{
	pk_rank_opts_init(o);
	o->prompt_field = cli->prompt_field;
	o->responses_field = cli->responses_field;
	o->text_field = cli->text_field;
	o->score_field = cli->score_field;
	o->rank_field = cli->rank_field;
	o->rank_by = cli->rank_by;
}

void pk_cli_format_opts(const struct pk_cli *cli, struct pk_format_opts *o)
{
	*o = cli->fmt;
	o->score = cli->format_score;
	o->no_synthetic = cli->no_synthetic;
}

struct pk_format_reader *pk_cli_open_list_format(struct pk_cli *cli)
{
	struct pk_format_opts fo;
	const char *f = cli->from;

	if (f && (strcmp(f, "lists") == 0 || strcmp(f, "auto") == 0))
		f = cli->from = NULL;
	if (cli->no_synthetic && !(f && strcmp(f, "oasst") == 0))
		pk_cli_usage_error(cli, "--no-synthetic needs --from oasst");
	if (cli->format_score &&
	    !(f && (strcmp(f, "ultrafeedback") == 0 ||
		    strcmp(f, "helpsteer") == 0)))
		pk_cli_usage_error(cli, "--score needs --from ultrafeedback or --from helpsteer");
	if (!f)
		return NULL;
	if (pk_format_lookup(f)->kind != PK_FORMAT_LISTS)
		pk_cli_usage_error(cli, "--from: %s gives pairs, not ranked lists (see pref-convert)", f);
	pk_cli_format_opts(cli, &fo);
	return pk_cli_format_reader(cli, f, &fo);
}

void pk_cli_count(struct pk_cli *cli, const char *name, unsigned long long n)
{
	int i;

	for (i = 0; i < cli->ncounters; i++)
		if (strcmp(cli->counters[i].name, name) == 0) {
			cli->counters[i].value += n;
			return;
		}
	if (cli->ncounters < PK_CLI_MAX_COUNTERS) {
		cli->counters[cli->ncounters].name = name;
		cli->counters[cli->ncounters++].value = n;
	}
}

/* --stats: standard error, or a file written like the output (through a
 * temporary file, so a full disk is an error and leaves no empty or
 * partial file). */
static void write_stats(struct pk_cli *cli)
{
	struct pk_buf b = PK_BUF_INIT;
	struct pk_error err = {0};
	struct pk_writer *w;
	int i, rc;

	rc = pk_buf_printf(&b, "{\"read\":%llu,\"written\":%llu,\"skipped\":%llu,"
			   "\"quarantined\":%llu,\"blank\":%llu",
			   cli->nread, cli->nwritten, cli->nskipped,
			   cli->nquarantined, cli->nblank);
	for (i = 0; i < cli->ncounters && rc == PK_OK; i++)
		rc = pk_buf_printf(&b, ",\"%s\":%llu", cli->counters[i].name,
				   cli->counters[i].value);
	if (rc == PK_OK)
		rc = pk_buf_puts(&b, "}\n");
	if (rc != PK_OK) {
		pk_buf_free(&b);
		fprintf(stderr, "%s: out of memory\n", cli->progname);
		cli->status = PK_EXIT_ERROR;
		return;
	}
	if (!cli->stats_path) {
		fwrite(b.data, 1, b.len, stderr);
		pk_buf_free(&b);
		return;
	}
	w = pk_writer_open(cli->stats_path, 0, &err);
	if (w) {
		remember_temp(TEMP_STATS, w);
		pk_writer_write(w, b.data, b.len, &err);
		rc = pk_writer_commit(w, &err);
		cleanup_paths[TEMP_STATS][0] = '\0';
	}
	pk_buf_free(&b);
	if (!w || rc != PK_OK) {
		fprintf(stderr, "%s: %s: %s\n", cli->progname, cli->stats_path,
			err.text);
		cli->status = PK_EXIT_ERROR;
	}
}

/* pk_cli_open_outputs()'s files: all of them, or none. */
static void finish_outputs(struct pk_cli *cli)
{
	struct pk_error err = {0};
	char **temps = cleanup_more;
	int ok = cli->status == PK_EXIT_OK;
	size_t k, renamed = 0;

	for (k = 0; ok && k < cli->nouts; k++)
		if (pk_writer_prepare(cli->outs[k], &err) < 0) {
			report_writer_error(cli, cli->out_paths[k], &err);
			ok = 0;
		}
	for (k = 0; ok && k < cli->nouts; k++) {
		int rc = pk_writer_commit(cli->outs[k], &err);

		cli->outs[k] = NULL;
		if (rc < 0) {
			report_writer_error(cli, cli->out_paths[k], &err);
			while (renamed > 0)
				unlink(cli->out_paths[--renamed]);
			ok = 0;
		} else {
			renamed++;
		}
	}
	ncleanup_more = 0;
	cleanup_more = NULL;
	for (k = 0; k < cli->nouts; k++) {
		pk_writer_abort(cli->outs[k]);
		free(cli->out_paths[k]);
		free(temps ? temps[k] : NULL);
	}
	free(temps);
	free(cli->outs);
	free(cli->out_paths);
	cli->outs = NULL;
	cli->out_paths = NULL;
	cli->nouts = 0;
}

int pk_cli_finish(struct pk_cli *cli)
{
	struct pk_error err = {0};

	close_input(cli);
	clear_progress(cli);
	if (cli->on_error != PK_ON_ERROR_ABORT &&
	    cli->nreported > PK_CLI_MAX_REPORTS)
		fprintf(stderr, "%s: %u bad records in all (%u not shown)\n",
			cli->progname, cli->nreported,
			cli->nreported - PK_CLI_MAX_REPORTS);
	if (cli->out) {
		/* Standard output streams what it has; a named file appears
		 * only when the whole run succeeded. */
		if (cli->status == PK_EXIT_OK || !cli->output ||
		    strcmp(cli->output, "-") == 0) {
			int reported = pk_writer_failed(cli->out);

			if (pk_writer_commit(cli->out, &err) < 0 && !reported)
				report_writer_error(cli, cli->output ? cli->output : "-", &err);
		} else {
			pk_writer_abort(cli->out);
		}
		cli->out = NULL;
		cleanup_paths[TEMP_OUT][0] = '\0';
	}
	if (cli->outs)
		finish_outputs(cli);
	if (cli->quarantine) {
		if (cli->status == PK_EXIT_OK) {
			if (pk_writer_commit(cli->quarantine, &err) < 0)
				report_writer_error(cli, cli->quarantine_path, &err);
		} else {
			pk_writer_abort(cli->quarantine);
		}
		cli->quarantine = NULL;
		cleanup_paths[TEMP_QUARANTINE][0] = '\0';
	}
	if (cli->want_stats)
		write_stats(cli);
	pk_record_free(&cli->rec);
	pk_buf_free(&cli->held);
	free(cli->input_name_buf);
	cli->input_name_buf = NULL;
	flush_stdout(cli);
	return cli->status;
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
