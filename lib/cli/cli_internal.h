/* SPDX-License-Identifier: MIT */
/*
 * cli_internal.h - what the files of the command plumbing (lib/cli) share
 * with each other and with no one else.
 */
#ifndef PK_CLI_INTERNAL_H
#define PK_CLI_INTERNAL_H

#include "cli.h"

/* output.c: the temporary files a signal or exit() removes, one slot
 * each for the output, the quarantine file and a side file being
 * written whole (the stats, a report: pk_cli_write_file); the outputs of
 * pk_cli_open_outputs() have their own list. */
enum { CLI_TEMP_OUT, CLI_TEMP_QUARANTINE, CLI_TEMP_SIDE, CLI_NTEMP };

/* At start-up: /dev/null on closed standard descriptors, the handlers
 * that remove temporary files on a fatal signal and at exit(). */
void cli_start(const char *progname);
void cli_remember_temp(int slot, const struct pk_writer *w);
/* Remove the temporary files now (async-signal-safe: a fault handler). */
void cli_remove_temps(void);
void cli_forget_temp(int slot);
/* pk_writer_open() and cli_remember_temp() with the fatal signals held
 * in between (not for a FIFO or a device). */
struct pk_writer *cli_open_temp(int slot, const char *path, int zstd_level,
				struct pk_error *err);
/* A write error: reported (status 2, stop), or the end by SIGPIPE when
 * nobody reads any more. */
void cli_report_writer_error(struct pk_cli *cli, const char *what,
			     const struct pk_error *err);
/* At the end: each output committed when the run succeeded (standard
 * output always), removed otherwise. */
void cli_close_outputs(struct pk_cli *cli);
/* Room for a record of at most n bytes and its newline in the output's
 * buffer (NULL after reporting the error), and handing over the n bytes
 * written there (0, or -1 after reporting). */
char *cli_room(struct pk_cli *cli, size_t n);
int cli_commit(struct pk_cli *cli, char *d, size_t n);

/* Write len bytes holding n whole output records ('\n' ended) to the
 * output: 0, or -1 after reporting the error. */
int cli_write_records(struct pk_cli *cli, const char *data, size_t len,
		      unsigned long long n);

/* input.c */
void cli_close_input(struct pk_cli *cli);
/* cli_read_line() that leaves the input open at its end (PK_EOF): the
 * lines of a mapped input stay valid until cli_close_input(). */
int cli_read_line_open(struct pk_cli *cli, struct pk_error *err);
/* Open the next input (cli->reader, cli->input_name): 0, or -1 when
 * there is none left or it failed (reported, stop). */
int cli_next_input(struct pk_cli *cli);
/* The next line of the open input into cli->line: PK_OK (counted in
 * nread), PK_BAD_RECORD (a line the reader rejected, err says why;
 * counted; the reader holds the rest of it), PK_EOF at the end of this
 * input (closed), or PK_FATAL (a read error, not reported yet:
 * cli_read_failed() reports it and stops the run). */
int cli_read_line(struct pk_cli *cli, struct pk_error *err);
void cli_read_failed(struct pk_cli *cli, const struct pk_error *err);
/* A bad record (the current cli->line): reported, then skipped,
 * quarantined or fatal as --on-error says.  long_line: the reader still
 * holds the rest of the line. */
void cli_bad_record(struct pk_cli *cli, const char *msg,
		    unsigned long column, int long_line);

/* report.c */
void cli_progress_tick(struct pk_cli *cli);
void cli_clear_progress(struct pk_cli *cli);
void cli_write_stats(struct pk_cli *cli);

#endif
