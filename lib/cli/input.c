/* SPDX-License-Identifier: MIT */
/*
 * input.c - the read loop over every input of a command: records one by
 * one (scanned, or as lines for the format readers and two-pass
 * commands), bad records reported and skipped, quarantined or fatal as
 * --on-error says, and the records foreign-format readers make.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_internal.h"
#include "pk_private.h"

static int quarantine_sink(void *ctx, const void *p, size_t n)
{
	struct pk_cli *cli = ctx;
	struct pk_error err = {0};

	if (pk_writer_write(cli->quarantine, p, n, &err) < 0) {
		cli_report_writer_error(cli, cli->quarantine_path, &err);
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
 * then skip, quarantine or stop. */
void cli_bad_record(struct pk_cli *cli, const char *msg,
		    unsigned long column, int long_line)
{
	struct pk_error err = {0};

	if (cli->on_error == PK_ON_ERROR_ABORT ||
	    cli->nreported < PK_CLI_MAX_REPORTS) {
		cli_clear_progress(cli);
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
	cli_bad_record(cli, msg, 0, 0);
}

void pk_cli_reject_error(struct pk_cli *cli, const struct pk_error *err)
{
	if (err->kind != PK_ERR_DATA) {
		pk_cli_error(cli, "%s:%llu: %s", cli->input_name,
			     cli->line.lineno, err->text);
		return;
	}
	cli_bad_record(cli, err->text, err->column, 0);
}

/* --- memory-mapped inputs ------------------------------------------ */

/* The program's name, for the fault handler (which may not call stdio). */
static char map_progname[64];

static void put_str(const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		ssize_t k = write(2, s, n);

		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

/* SIGBUS: a mapped input file was cut short (truncated by another
 * program) and a page past its new end was read.  Said as a read error
 * would be, the temporary outputs removed, exit 2.  Any other SIGBUS is
 * a fault of the program: it ends it as it would have. */
static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	static int once;
	const char *name = pk_input_mapped_at(si->si_addr);

	(void)uc;
	if (si->si_code <= 0 || !name) {
		/* ends the process on return (a fault happens again) */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	/* one thread speaks and ends the process; another one that faults
	 * at the same time waits for that */
	if (__atomic_exchange_n(&once, 1, __ATOMIC_SEQ_CST))
		for (;;)
			pause();
	put_str(map_progname);
	put_str(": ");
	put_str(name);
	put_str(": read error: file truncated while being read\n");
	cli_remove_temps();
	_exit(PK_EXIT_ERROR);
}

/* Map the inputs that are regular plain files (PREFKIT_MMAP: 0 never,
 * 1 from 64 KiB, the default, 2 any size), with the handler above. */
static void start_mapping(const struct pk_cli *cli)
{
	static int done;
	const char *env = getenv("PREFKIT_MMAP");
	int mode = 1;
	struct sigaction sa;

	if (done)
		return;
	done = 1;
	if (env && *env)
		mode = strcmp(env, "0") == 0 ? 0 : strcmp(env, "2") == 0 ? 2 : 1;
	if (!mode)
		return;
	snprintf(map_progname, sizeof map_progname, "%s", cli->progname);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) == 0)
		pk_input_map_mode(mode);
}

int cli_next_input(struct pk_cli *cli)
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
	start_mapping(cli);
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

void cli_close_input(struct pk_cli *cli)
{
	if (!cli->reader)
		return;
	cli->nblank += pk_reader_blank_lines(cli->reader);
	pk_reader_close(cli->reader);
	cli->reader = NULL;
}

int cli_read_line_open(struct pk_cli *cli, struct pk_error *err)
{
	int rc;

	pk_error_clear(err);
	rc = pk_reader_next(cli->reader, &cli->line, err);
	if (rc == PK_OK || rc == PK_BAD_RECORD) {
		cli->nread++;
		cli->input_nread++;
	}
	return rc;
}

int cli_read_line(struct pk_cli *cli, struct pk_error *err)
{
	int rc = cli_read_line_open(cli, err);

	if (rc == PK_EOF)
		cli_close_input(cli);
	return rc;
}

void cli_read_failed(struct pk_cli *cli, const struct pk_error *err)
{
	cli_clear_progress(cli);
	if (err->line && err->column)
		fprintf(stderr, "%s: %s:%llu: %s (column %lu)\n", cli->progname,
			cli->input_name, err->line, err->text, err->column);
	else if (err->line)
		fprintf(stderr, "%s: %s:%llu: %s\n", cli->progname,
			cli->input_name, err->line, err->text);
	else
		fprintf(stderr, "%s: %s: %s\n", cli->progname,
			cli->input_name, err->text);
	cli->status = err->kind == PK_ERR_DATA ? PK_EXIT_DATA : PK_EXIT_ERROR;
	cli->stop = 1;
}

int pk_cli_next(struct pk_cli *cli)
{
	struct pk_error err;
	int rc;

	for (;;) {
		if (cli->stop)
			return 0;
		if (!cli->reader && cli_next_input(cli) < 0)
			return 0;
		rc = cli_read_line(cli, &err);
		if (rc == PK_EOF)
			continue;
		if (rc == PK_FATAL) {
			cli_read_failed(cli, &err);
			return 0;
		}
		if (rc == PK_BAD_RECORD) {
			cli_bad_record(cli, err.text, 0, 1);
			continue;
		}
		rc = pk_scan_record(&cli->rec, cli->line.data, cli->line.len,
				    &err);
		if (rc == PK_BAD_RECORD) {
			cli_bad_record(cli, err.text, err.column, 0);
			continue;
		}
		if (rc < 0) {
			pk_cli_error(cli, "%s", err.text);
			return 0;
		}
		cli_progress_tick(cli);
		return 1;
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

/* The record pk_cli_hold_sink() left in the output's buffer joins the
 * held ones, ahead of them (cli->pend set means nothing is held yet). */
static int unpend(struct pk_cli *cli)
{
	const char *p = cli->pend;

	cli->pend = NULL;
	return pk_cli_hold(cli, p, cli->pend_len);
}

int pk_cli_hold(struct pk_cli *cli, const char *data, size_t len)
{
	if (cli->pend && unpend(cli) != PK_OK)
		return PK_FATAL;
	if (pk_buf_append(&cli->held, data, len) < 0 ||
	    pk_buf_putc(&cli->held, '\n') < 0)
		return PK_FATAL;
	return PK_OK;
}

void pk_cli_settle(struct pk_cli *cli, int rc, const struct pk_error *err)
{
	size_t pos = 0;
	char *pend = cli->pend;

	cli->pend = NULL;
	if (rc == PK_OK) {
		if (pend && !cli->stop)
			cli_commit(cli, pend, cli->pend_len);
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
	struct pk_sink s = {emit, NULL, NULL, ctx};

	return pk_cli_feed_sink(cli, fr, &s, err);
}

int pk_cli_feed_sink(struct pk_cli *cli, struct pk_format_reader *fr,
		     const struct pk_sink *sink, struct pk_error *err)
{
	const char *note;
	int rc;

	pk_error_clear(err);
	rc = pk_format_reader_feed_sink(fr, &cli->rec, sink, err);
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

int pk_cli_hold_cb(void *cli, const char *json, size_t len)
{
	return pk_cli_hold(cli, json, len);
}

/* pk_cli_hold_sink(): the first record in the output's own buffer (left
 * there unhanded, cli->pend), the next ones in cli->held. */
static char *hold_room(void *ctx, size_t n)
{
	struct pk_cli *cli = ctx;

	if (!cli->pend && !cli->held.len)
		return cli->pend_room = cli_room(cli, n);
	if (cli->pend && unpend(cli) != PK_OK)
		return NULL;
	if (pk_buf_reserve(&cli->held, n + 1) < 0)
		return NULL;
	return cli->held.data + cli->held.len;
}

static int hold_commit(void *ctx, char *p, size_t len)
{
	struct pk_cli *cli = ctx;

	if (!cli->pend && !cli->held.len && p == cli->pend_room) {
		cli->pend = p;
		cli->pend_len = len;
		return PK_OK;
	}
	cli->held.len += len;
	return pk_buf_putc(&cli->held, '\n') < 0 ? PK_FATAL : PK_OK;
}

void pk_cli_hold_sink(struct pk_cli *cli, struct pk_sink *s)
{
	s->emit = pk_cli_hold_cb;
	s->room = hold_room;
	s->commit = hold_commit;
	s->ctx = cli;
}

char *pk_cli_read_file(struct pk_cli *cli, const char *path, size_t *n)
{
	struct pk_buf b = PK_BUF_INIT;
	FILE *fp = fopen(path, "rb");
	char chunk[4096];
	size_t got;

	if (!fp)
		pk_cli_fatal(cli, "%s: %s", path, strerror(errno));
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (pk_buf_append(&b, chunk, got) < 0)
			pk_cli_fatal(cli, "out of memory");
	if (ferror(fp))
		pk_cli_fatal(cli, "%s: %s", path, strerror(errno));
	fclose(fp);
	*n = b.len;
	if (pk_buf_putc(&b, '\0') < 0)
		pk_cli_fatal(cli, "out of memory");
	return pk_buf_take(&b);
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

void pk_cli_pair_field_opts(const struct pk_cli *cli, struct pk_format_opts *o)
{
	o->prompt_field = cli->prompt_field;
	o->chosen_field = cli->chosen_field;
	o->rejected_field = cli->rejected_field;
	o->score_chosen_field = cli->score_chosen_field;
	o->score_rejected_field = cli->score_rejected_field;
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
