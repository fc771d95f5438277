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

/* input.c */
void cli_close_input(struct pk_cli *cli);

/* report.c */
void cli_progress_tick(struct pk_cli *cli);
void cli_clear_progress(struct pk_cli *cli);
void cli_write_stats(struct pk_cli *cli);

#endif
