/* SPDX-License-Identifier: MIT */
/*
 * cli.h - the plumbing every pref-* command shares (libpkcli.a, for cmd/
 * only; unlike libprefkit, these functions print and may exit).
 *
 * A command's main() is:
 *
 *	struct pk_cli cli;
 *	pk_cli_init(&cli, "pref-foo", PK_CLI_FIELDS);
 *	pk_cli_parse(&cli, argc, argv, "ab:", longopts, handle_opt, &opts, usage);
 *	... check options, pk_cli_usage_error() on misuse ...
 *	if (pk_cli_open_output(&cli) == 0)
 *		while (pk_cli_next(&cli)) {
 *			... read cli.rec, then pk_cli_emit_*() or pk_cli_reject() ...
 *		}
 *	return pk_cli_finish(&cli);
 *
 * pk_cli_next() walks every input file in turn, scans each line, and deals
 * with bad lines itself as --on-error says; a command calls pk_cli_reject()
 * for a record that parses but does not have what the command needs.  Under
 * --on-error=abort the first bad record ends the loop (exit status 1).
 */
#ifndef PK_CLI_H
#define PK_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "prefkit.h"

/* Exit statuses (SPEC section 2), listed in every man page. */
enum {
	PK_EXIT_OK = 0,    /* success */
	PK_EXIT_DATA = 1,  /* bad data (or pref-check violations) */
	PK_EXIT_ERROR = 2, /* usage, I/O or system error */
};

enum pk_on_error {
	PK_ON_ERROR_ABORT = 0,
	PK_ON_ERROR_SKIP,
	PK_ON_ERROR_QUARANTINE,
};

/* Option groups a command takes besides the ones every command takes
 * (-o, -z, --max-line, --on-error, --stats, --progress, -q, --help,
 * --version). */
enum {
	PK_CLI_FIELDS = 1 << 0, /* --prompt-field ... --responses-field */
	PK_CLI_SORT = 1 << 1,   /* --memory, --tmpdir */
	PK_CLI_SEED = 1 << 2,   /* --seed */
	PK_CLI_LISTS = 1 << 3,  /* --pairs, --rank-by, --text-field,
				 * --score-field, --rank-field */
	PK_CLI_FORMATS = 1 << 4, /* --from, --score, --no-synthetic */
	PK_CLI_THREADS = 1 << 5, /* -j, --threads (commands run by
				  * pk_cli_run()) */
};

/* Option values at or above this are the common options' own; a command's
 * long-only options use values from CHAR_MAX + 1 up to PK_CLI_OPT_BASE - 1. */
#define PK_CLI_OPT_BASE 0x1000
/* The format options (lib/cli/formats.c) use values from here on. */
#define PK_CLI_FMT_OPT_BASE 0x1100

#define PK_CLI_MAX_COUNTERS 32
#define PK_CLI_MAX_REPORTS 10   /* messages printed under skip/quarantine */

struct pk_counter {
	const char *name;
	unsigned long long value;
};

struct pk_cli {
	const char *progname;
	unsigned groups;

	/* common options */
	const char *output;            /* -o FILE, NULL = stdout */
	int zstd_level;                /* PK_ZSTD_AUTO unless -z */
	size_t max_line;               /* --max-line, default 256M */
	size_t memory;                 /* --memory, default 512M */
	const char *tmpdir;            /* --tmpdir, default $TMPDIR or /tmp */
	enum pk_on_error on_error;
	const char *quarantine_path;
	int want_stats;
	const char *stats_path;        /* NULL = standard error */
	int progress;                  /* 1 on, 0 off, -1 when stderr is a tty */
	int quiet;                     /* -q */
	unsigned long long seed;       /* --seed */
	long threads;                  /* -j; 0 = PREFKIT_THREADS or CPUs */

	/* field names (PK_CLI_FIELDS); defaults as in SPEC 1.2 and 1.3 */
	const char *prompt_field;
	const char *chosen_field;
	const char *rejected_field;
	const char *score_chosen_field;
	const char *score_rejected_field;
	const char *responses_field;

	/* ranked lists (PK_CLI_LISTS); SPEC 1.3 and 3.2 */
	struct pk_pairs_strategy pairs;  /* --pairs, default best-vs-rest */
	int pairs_set;
	enum pk_rank_by rank_by;         /* --rank-by */
	int rank_by_set;
	const char *text_field;          /* --text-field, default "text" */
	const char *score_field;         /* --score-field, default "score" */
	const char *rank_field;          /* --rank-field, default "rank" */
	int list_fields_set;             /* any of the three was given */

	/* foreign formats (PK_CLI_FORMATS); SPEC 1.5 */
	const char *from;                /* --from, NULL when not given */
	const char *format_score;        /* --score */
	int no_synthetic;                /* --no-synthetic */
	struct pk_format_opts fmt;       /* the format options of formats.c */
	unsigned long fmt_given;         /* which of them were given */

	/* --help: the command's own text, printed before the common options
	 * when pk_cli_parse() is given no usage function */
	const char *help;

	/* operands */
	char **inputs;
	int ninputs;
	int input_limit;   /* read operands below this index only (0 = all):
			    * a command that reads its inputs one at a time
			    * raises it between pk_cli_next() loops */

	/* the record being processed: valid inside the pk_cli_next() loop */
	struct pk_record rec;
	struct pk_line line;
	const char *input_name;        /* "-" for standard input */
	unsigned long long input_nread; /* records read from this input */

	/* accounting */
	unsigned long long nread, nwritten, nskipped, nquarantined, nblank;
	struct pk_counter counters[PK_CLI_MAX_COUNTERS];
	int ncounters;

	/* state (private to cli.c) */
	int status;
	int stop;
	int input_index;
	unsigned nreported;
	struct pk_reader *reader;
	struct pk_writer *out;
	struct pk_writer **outs;       /* pk_cli_open_outputs() */
	char **out_paths;
	size_t nouts;
	struct pk_writer *quarantine;
	struct pk_buf held;            /* pk_cli_hold(): records, '\n' ended */
	char *pend, *pend_room;        /* pk_cli_hold_sink(): a record in the */
	size_t pend_len;               /* output's buffer, not handed over */
	char *input_name_buf;          /* input_name, kept past the reader */
	double last_progress;
};

/* Set defaults, the program name, SIGPIPE and signal clean-up. */
void pk_cli_init(struct pk_cli *cli, const char *progname, unsigned groups);

/* Parse argv: the command's own options (shortopts, longopts; either may be
 * NULL) and the common ones.  Each of the command's options is passed to
 * handle(ctx, opt, optarg), which returns 0, or -1 after calling
 * pk_cli_usage_error().  --help calls usage(stdout, 0), or when usage is
 * NULL prints cli->help and the common options; a bad option prints
 * a short hint and exits 2; --version prints and exits 0.  The operands
 * become cli->inputs (none = standard input). */
void pk_cli_parse(struct pk_cli *cli, int argc, char **argv,
		  const char *shortopts, const struct option *longopts,
		  int (*handle)(void *ctx, int opt, const char *arg), void *ctx,
		  void (*usage)(FILE *fp, int status));

/* A keyword option: the index of arg in names (NULL-ended), or a usage
 * error "OPT: invalid value 'ARG' (a, b or c)". */
int pk_cli_parse_choice(struct pk_cli *cli, const char *opt, const char *arg,
			const char *const *names);

/* "prog: message" and "Try 'prog --help'" on stderr, exit 2. */
void pk_cli_usage_error(struct pk_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* "prog: message" on stderr, exit 2 (a system error before any output). */
void pk_cli_fatal(struct pk_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* Warning "prog: FILE:LINE: message" for the current record, unless -q. */
void pk_cli_warn(struct pk_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Error "prog: message" on stderr, sets exit status 2 and stops the loop. */
void pk_cli_error(struct pk_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Flush standard output and exit: 0, or 2 after "write error" (for
 * options such as --help that print and exit). */
void pk_cli_exit_stdout(struct pk_cli *cli) __attribute__((noreturn));

/* Parse a number option: whole within [min, max], or a double.  On a bad
 * value: usage error quoting the option and the value. */
long long pk_cli_parse_int(struct pk_cli *cli, const char *opt,
			   const char *arg, long long min, long long max);
double pk_cli_parse_double(struct pk_cli *cli, const char *opt,
			   const char *arg);

/* Open the output (-o, -z).  Returns 0, or prints and returns -1. */
int pk_cli_open_output(struct pk_cli *cli);

/* Several named outputs in place of one (pref-split): open paths[0..n)
 * (copied), each written atomically and compressed at zstd_level (0 =
 * plain), and the quarantine file.  pk_cli_finish() makes them appear
 * together when the run succeeded - every one is flushed and synced
 * before any is renamed into place, and if a rename fails the ones
 * already renamed are removed - and removes them all otherwise; a fatal
 * signal removes their temporary files.  Returns 0, or prints and
 * returns -1. */
int pk_cli_open_outputs(struct pk_cli *cli, char *const *paths, size_t n,
			int zstd_level);
/* One more such output, opened later (after pk_cli_open_outputs(), which
 * may open none: n = 0 opens the quarantine file only): for a command
 * that learns how many it writes as it goes (pref-curriculum's stages).
 * Its index is the number of outputs before it.  0, or prints and
 * returns -1. */
int pk_cli_add_output(struct pk_cli *cli, const char *path, int zstd_level);
/* Write a whole side file (a report) atomically: 0, or -1 after the
 * message (status 2). */
int pk_cli_write_file(struct pk_cli *cli, const char *path, const void *data,
		      size_t len);
/* The whole of a small file (an option's text), NUL-terminated, its
 * length in *n; the caller frees.  A file that cannot be read is a fatal
 * error ("prog: PATH: reason", exit 2). */
char *pk_cli_read_file(struct pk_cli *cli, const char *path, size_t *n);
/* 1 when two paths (neither "-") name one file, existing or to be made. */
int pk_cli_same_file(const char *a, const char *b);
/* Write the current input record unchanged (compacted) to output k. */
int pk_cli_emit_record_to(struct pk_cli *cli, size_t k);
/* Write one record (data, no newline) to output k: counted as written. */
int pk_cli_emit_to(struct pk_cli *cli, size_t k, const char *data,
		   size_t len);

/* Next valid record of the inputs into cli->rec / cli->line: 1, or 0 at the
 * end (or when the loop must stop). */
int pk_cli_next(struct pk_cli *cli);

/* The current record is bad: report "prog: FILE:LINE: message" and skip,
 * quarantine or stop as --on-error says. */
void pk_cli_reject(struct pk_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Same with the message of a library error (and its column, if any). */
void pk_cli_reject_error(struct pk_cli *cli, const struct pk_error *err);

/* Write one output record (data without newline): counted as written. */
int pk_cli_emit(struct pk_cli *cli, const char *data, size_t len);
/* Write the current input record unchanged (compacted). */
int pk_cli_emit_record(struct pk_cli *cli);
/* Write bytes as they are to the output (a report, not records: not
 * counted as written).  0, or -1 after reporting the error. */
int pk_cli_write(struct pk_cli *cli, const void *data, size_t len);
/* Write an edited object. */
int pk_cli_emit_obj(struct pk_cli *cli, const struct pk_obj *o);
/* The same with members added at the end (pk_obj_write_with). */
int pk_cli_emit_obj_with(struct pk_cli *cli, const struct pk_obj *o,
			 const char *extra, size_t n);

/* Outputs derived from one input record can be held until the whole
 * record is known to be good, so that a bad record leaves nothing half
 * written: pk_cli_hold() keeps one output record (compact JSON, no
 * newline); pk_cli_settle() ends the input record: with rc == PK_OK it
 * writes what is held, otherwise it drops it and reports err (a bad
 * record goes by --on-error; an output already failed or a closed pipe
 * says nothing more; anything else is an error, exit 2). */
int pk_cli_hold(struct pk_cli *cli, const char *data, size_t len);
void pk_cli_settle(struct pk_cli *cli, int rc, const struct pk_error *err);

/* Feed the current record to a format reader (SPEC 1.5) and settle it:
 * its derived records go to emit(ctx, ...), which writes or holds them;
 * the reader's note on the record is printed as a warning.  err is the
 * one emit() reports into.  pk_cli_feed_end() at the end of the input
 * flushes the reader's last group and adds its counters to --stats.  Both
 * return the reader's status for the record (PK_OK when it was good). */
int pk_cli_feed(struct pk_cli *cli, struct pk_format_reader *fr,
		int (*emit)(void *ctx, const char *json, size_t len),
		void *ctx, struct pk_error *err);
int pk_cli_feed_end(struct pk_cli *cli, struct pk_format_reader *fr,
		    int (*emit)(void *ctx, const char *json, size_t len),
		    void *ctx, struct pk_error *err);
/* pk_cli_feed() with the reader's records handed to a sink (which may
 * offer room in the output, see pk_cli_hold_sink()). */
int pk_cli_feed_sink(struct pk_cli *cli, struct pk_format_reader *fr,
		     const struct pk_sink *sink, struct pk_error *err);

/* Emit callbacks for library operations (ctx: the struct pk_cli): write
 * each record at once, or hold it until pk_cli_settle().  They return
 * PK_OK, or PK_FATAL after the error has been reported (or, holding, when
 * out of memory: pk_cli_settle() then says so). */
int pk_cli_emit_cb(void *cli, const char *json, size_t len);
int pk_cli_hold_cb(void *cli, const char *json, size_t len);
/* A sink (struct pk_sink) holding records as pk_cli_hold() does, without
 * their copies: the first record of an input record is built straight in
 * the output's buffer and only handed over by pk_cli_settle() (dropped
 * when the record is bad), the next ones are held.  Nothing may write to
 * the output between the first record and pk_cli_settle(). */
void pk_cli_hold_sink(struct pk_cli *cli, struct pk_sink *s);

/* A sink (struct pk_sink) writing each record to the output at once,
 * built in place in the output buffer. */
void pk_cli_sink(struct pk_cli *cli, struct pk_sink *s);

/* The format reader for format name with options fo: a usage error for a
 * bad option value, a fatal one when out of memory. */
struct pk_format_reader *pk_cli_format_reader(struct pk_cli *cli,
					      const char *name,
					      const struct pk_format_opts *fo);

/* Ranked-list options (PK_CLI_LISTS) and field options as pk_rank_opts,
 * and the format options (PK_CLI_FORMATS) as pk_format_opts. */
void pk_cli_rank_opts(const struct pk_cli *cli, struct pk_rank_opts *o);
void pk_cli_format_opts(const struct pk_cli *cli, struct pk_format_opts *o);
/* The pair field options (PK_CLI_FIELDS: --prompt-field ... --score-
 * rejected-field) into pk_format_opts, for readers that take them. */
void pk_cli_pair_field_opts(const struct pk_cli *cli, struct pk_format_opts *o);
/* --from for a command that reads ranked lists: checks --no-synthetic and
 * --score against it and opens the format reader; NULL when there is no
 * --from (or it is "lists" or "auto", which the command reads itself).
 * Misuse (a format that gives pairs) is a usage error: exit 2. */
struct pk_format_reader *pk_cli_open_list_format(struct pk_cli *cli);

/* The format options (group PK_CLI_FORMATS; lib/cli/formats.c): put
 * them in out (room for 32), returning how many; handle option c (-1 when
 * it is not one of them); print their help; and make a usage error of one
 * given with a --from it does not go with (none for "auto" or NULL). */
size_t pk_cli_format_options(struct option *out);
int pk_cli_format_option(struct pk_cli *cli, int c, const char *arg);
void pk_cli_format_help(FILE *fp);
void pk_cli_check_format_opts(struct pk_cli *cli, const char *from);

/* Two passes over the input (pk_twopass): in the pk_cli_next() loop,
 * pk_cli_twopass_add() keeps the current record with tag[0..n); after
 * it, pk_cli_twopass_next() makes each kept record the current one again
 * (cli->rec, cli->line, cli->input_name: so pk_cli_emit_record() and
 * messages work as in pass 1) with its tag: 1, or 0 at the end or on an
 * error (reported, exit status 2).  add returns 0, or -1 after reporting
 * an error. */
int pk_cli_twopass_add(struct pk_cli *cli, struct pk_twopass *tp,
		       const void *tag, size_t n);
int pk_cli_twopass_next(struct pk_cli *cli, struct pk_twopass *tp,
			const void **tag, size_t *n);

/* The parallel engine (lib/cli/engine.c).  A command whose records are
 * independent describes what it does to one record, and pk_cli_run()
 * reads the inputs and calls it for every record: with -j 1 in this
 * thread, one record after the other as a pk_cli_next() loop would;
 * with -j N (N > 1) on N - 1 worker threads and this one, batches of
 * records at a time, while this thread reads the next batches, writes the
 * finished ones in input order, and does a batch itself when it would
 * otherwise wait.  The output, the messages (warnings and bad records,
 * in input order, at most PK_CLI_MAX_REPORTS of them), the quarantine
 * file, --stats and the exit status are the same for every N. */
struct pk_cli_op {
	void *ctx;
	/* The state of one worker (one for -j 1): NULL with err set when it
	 * cannot be made.  Each worker uses its own only. */
	void *(*start)(void *ctx, struct pk_error *err);
	/* One record, the line at 0-based position pos among the lines read
	 * (bad ones too: cli->nread - 1 in a pk_cli_next() loop): its output
	 * records go to out; PK_OK, or PK_BAD_RECORD (or another failure)
	 * with err set, which drops whatever this record wrote (with hold
	 * set; see below). */
	int (*record)(void *ws, const struct pk_record *rec,
		      unsigned long long pos, const struct pk_sink *out,
		      struct pk_error *err);
	/* Optional: a warning about the record just done (PK_OK), or NULL. */
	const char *(*note)(void *ws);
	/* Optional, -j 1 only (see parallel): the end of the input, which
	 * may write more records (records grouped across the input), each
	 * at once. */
	int (*end)(void *ws, const struct pk_sink *out, struct pk_error *err);
	/* Optional: the worker's counter i so far (i = 0, 1, ... until it
	 * returns NULL; names keep their places, new ones may follow as the
	 * run goes on): its name
	 * (static) and *value, as --stats reports them.  With workers it is
	 * read after each batch, and the run counts what each batch added
	 * when the batch is written, so that a run stopped at a record
	 * counts what -j 1 counts. */
	const char *(*counter)(void *ws, size_t i, unsigned long long *value);
	/* Optional: free the worker's state, at the end. */
	void (*stop)(void *ws);
	/* Optional: instead of writing a good record's output, hand it to
	 * consume (ctx, all of its output records, each '\n' ended) in this
	 * thread and in input order, with cli->line, input_name,
	 * input_index and input_nread those of the record; the output is
	 * not opened (the caller does, if it writes). */
	void (*consume)(void *ctx, struct pk_cli *cli, const char *data,
			size_t len);
	/* Records may go to workers: each record's output depends on that
	 * record alone (otherwise the run is -j 1 whatever -j says). */
	int parallel;
	/* A record may fail after writing some of its output records: with
	 * -j 1 they are held until the record is known to be good (the
	 * workers always hold theirs). */
	int hold;
	/* A failure of record() other than bad data (or a closed pipe) is
	 * an error of the run reported at the record, "FILE:LINE: message",
	 * as pk_cli_reject_error() reports it (not as pk_cli_settle()). */
	int errors_at_record;
	/* Optional, for an operation that judges every line itself
	 * (pref-check), with consume: line() in place of record() gets each
	 * line as read, not scanned (pos as record()'s); a line the reader
	 * rejects - one over --max-line, or a JSON array file that is not
	 * valid (err->line and err->column say where; the rest of that file
	 * is skipped) - goes to rejected(), and each input as it opens to
	 * opened() (optional), both in this thread and in input order.
	 * --on-error does not apply. */
	int (*line)(void *ws, const struct pk_line *line,
		    unsigned long long pos, const struct pk_sink *out,
		    struct pk_error *err);
	void (*rejected)(void *ctx, struct pk_cli *cli,
			 const struct pk_error *err);
	void (*opened)(void *ctx, struct pk_cli *cli);
};

/* Open the output and run op over every record of the inputs (as above);
 * returns after the last one, or when the run must stop.  The exit status
 * is pk_cli_finish()'s. */
void pk_cli_run(struct pk_cli *cli, const struct pk_cli_op *op);
/* How many workers pk_cli_run() would use: -j, else PREFKIT_THREADS,
 * else the CPUs online. */
long pk_cli_threads(const struct pk_cli *cli);

/* Keep a fraction of the records by a value, in two passes over the
 * inputs (lib/cli/select.c): the records whose value is among the lowest
 * floor(num/den * n) of the n scored - with drop_top, all but the highest
 * floor(num/den * n) - ties at the cut going by input position, written
 * in input order; the others are counted as "dropped".  Pass 1 scores on
 * the engine's threads (-j): start makes a thread's scoring state, score
 * gives the value of a record (pos as pk_cli_op's) and a tag of at most
 * PK_CLI_TAG_MAX bytes kept with it, stop frees the state.  Pass 2, in
 * this thread, writes each kept record with its tag to out (write, with
 * ctx).  Either returns PK_OK, or a failure with err: bad data goes by
 * --on-error, anything else stops the run. */
#define PK_CLI_TAG_MAX 64
struct pk_cli_select {
	void *ctx;
	void *(*start)(void *ctx, struct pk_error *err);
	int (*score)(void *ws, const struct pk_record *rec,
		     unsigned long long pos, double *value, void *tag,
		     size_t *taglen, struct pk_error *err);
	void (*stop)(void *ws);
	int (*write)(void *ctx, const struct pk_record *rec, const void *tag,
		     size_t taglen, const struct pk_sink *out,
		     struct pk_error *err);
};
void pk_cli_select(struct pk_cli *cli, const struct pk_cli_select *sel,
		   uint64_t num, uint64_t den, int drop_top);

/* pref-check (lib/cli/check.c): check every line of the inputs with ck
 * (after pk_check_against()) on the engine's threads, with a format
 * reader of cli->from and options fo for each thread (fo NULL: no
 * --from), then pk_check_finish(ck); the output must be open.  The
 * violations, counts and reports are those of one pk_check_line() loop
 * in this thread.  A failure stops the run (exit status 2). */
void pk_cli_check(struct pk_cli *cli, struct pk_check *ck,
		  const struct pk_format_opts *fo);

/* Add n to the named counter reported by --stats (name must be static). */
void pk_cli_count(struct pk_cli *cli, const char *name, unsigned long long n);

/* Commit or drop the output, write --stats, close everything; returns the
 * exit status. */
int pk_cli_finish(struct pk_cli *cli);

/* Print the options every command shares, for usage() texts. */
void pk_cli_common_help(const struct pk_cli *cli, FILE *fp);

#endif /* PK_CLI_H */
