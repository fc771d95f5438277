/* SPDX-License-Identifier: MIT */
/*
 * engine.c - pk_cli_run(): a command's operation on one record, over
 * every record of the inputs, on this thread (-j 1) or on worker threads.
 *
 * With -j N, N - 1 workers and this thread: it reads lines into batches
 * (copied, as the reader's buffer moves on, unless the input is mapped:
 * then a batch points at the lines in the mapping, which the reader keeps
 * until the batch is written), queues each batch for the first free
 * worker, writes finished batches strictly in input order, and does
 * a queued batch itself when it would otherwise wait for one.  A worker scans each
 * line of its batch and runs the operation on it, keeping the line's
 * output records and, for a bad line, its verdict; the verdicts are acted
 * on here (messages, quarantine, --on-error) when the batch's turn comes,
 * as the one-thread loop would have at that record.  What the reader
 * itself rejects (a line over --max-line), a read error and the end of an
 * input wait until every batch before them is written, and are then dealt
 * with here too: so the messages, the quarantine file and the counts are
 * the same for any number of workers.
 *
 * Memory: RING_PER_WORKER batches per thread are in flight at most, each
 * about BATCH_BYTES of input plus its output (a longer line makes a batch
 * of its own, within --max-line as always).  Of a mapped input, the pages
 * behind the oldest batch in flight are given back as batches are written.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_internal.h"
#include "pk_private.h"

#define BATCH_BYTES (64 * 1024)
#define BATCH_LINES 4096
#define RING_PER_WORKER 3
#define MAX_WORKERS 256

/* What became of one line of a batch. */
enum line_verdict {
	LINE_OK,         /* its output records are in the batch's out */
	LINE_NOTE,       /* the same, with a warning (extra) */
	LINE_SCAN_BAD,   /* not a valid record (extra: the scanner's error) */
	LINE_SCAN_FATAL, /* the scanner failed (out of memory) */
	LINE_FAILED,     /* the operation failed: rc and extra */
};

struct line_result {
	const char *ext;            /* the line in a mapped input, or NULL: */
	size_t in_off, in_len;      /* the line, in the batch's in */
	unsigned long long lineno;
	unsigned long long pos;     /* among the lines read, from 0 */
	unsigned long long in_pos;  /* the same in its input */
	unsigned long long blank;   /* blank lines of the run before it */
	size_t out_end;             /* its output ends here in out */
	unsigned long long nout;    /* how many output records */
	enum line_verdict verdict;
	int rc;                     /* LINE_FAILED: the operation's status */
	size_t extra;               /* index in extras */
};

struct extra {
	struct pk_error err;        /* or the note, in err.text */
};

enum batch_state { BATCH_FREE, BATCH_QUEUED, BATCH_DONE };

struct batch {
	struct pk_buf in;
	size_t bytes;               /* of its lines */
	const char *ext_end;        /* mapped lines: the end of the last */
	struct line_result *lines;
	size_t nlines, cap;
	struct pk_buf out;
	struct extra *extras;
	size_t nextras, extracap;
	char *name;                 /* the input's name, for messages */
	int input_index;
	struct pk_counter counts[PK_CLI_MAX_COUNTERS]; /* the operation's
						       * counters: what the
						       * batch added */
	int ncounts;
	int oom;                    /* the worker ran out of memory */
	enum batch_state state;
};

struct engine;

struct worker {
	struct engine *e;
	void *ws;
	pthread_t tid;
	int running;
	struct pk_record rec;
	struct batch *b;             /* the batch being done */
	unsigned long long nout;     /* records of the current line */
	struct pk_sink sink;
	struct pk_counter tally[PK_CLI_MAX_COUNTERS]; /* the counters after
						       * the last batch */
	int ntally;
};

struct engine {
	struct pk_cli *cli;
	const struct pk_cli_op *op;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct batch *ring;
	size_t nring;
	unsigned long long nqueued, ntaken, nemitted;
	int quit;                    /* no more batches are coming */
	int idle;                    /* workers waiting for a batch */
	int waiting;                 /* this thread waits for a batch */
	int stopped_at_line;         /* a record stopped the run: */
	unsigned long long stop_pos, stop_blank; /* its pos and blank */
	int cancel;                  /* skip the batches still queued */
	struct worker *workers;      /* the last is this thread's own */
	long nworkers;
	size_t batch_lines;
	int mapped;                  /* the input open is mapped */
};

static const char *line_data(const struct batch *b,
			     const struct line_result *r)
{
	return r->ext ? r->ext : b->in.data + r->in_off;
}

long pk_cli_threads(const struct pk_cli *cli)
{
	long n = cli->threads > 0 ? cli->threads : pk_threads();

	if (n < 1)
		n = 1;
	return n > MAX_WORKERS ? MAX_WORKERS : n;
}

/* --- the workers' sink: records appended to the batch's out --------- */

static int batch_emit(void *ctx, const char *json, size_t len)
{
	struct worker *w = ctx;

	if (pk_buf_reserve(&w->b->out, len + 1) < 0)
		return PK_FATAL;
	memcpy(w->b->out.data + w->b->out.len, json, len);
	w->b->out.len += len;
	w->b->out.data[w->b->out.len++] = '\n';
	w->nout++;
	return PK_OK;
}

static char *batch_room(void *ctx, size_t n)
{
	struct worker *w = ctx;

	if (n >= (size_t)-2 || pk_buf_reserve(&w->b->out, n + 1) < 0)
		return NULL;
	return w->b->out.data + w->b->out.len;
}

static int batch_commit(void *ctx, char *p, size_t len)
{
	struct worker *w = ctx;

	p[len] = '\n';
	w->b->out.len += len + 1;
	w->nout++;
	return PK_OK;
}

static int add_extra(struct batch *b, const struct pk_error *err,
		     const char *note, size_t *index)
{
	struct extra *x;

	if (b->nextras == b->extracap) {
		size_t cap = b->extracap ? 2 * b->extracap : 16;

		x = realloc(b->extras, cap * sizeof *x);
		if (!x)
			return -1;
		b->extras = x;
		b->extracap = cap;
	}
	x = &b->extras[b->nextras];
	if (err) {
		x->err = *err;
	} else {
		memset(&x->err, 0, sizeof x->err);
		snprintf(x->err.text, sizeof x->err.text, "%s", note);
	}
	*index = b->nextras++;
	return 0;
}

/* b->counts: what the operation's counters gained in batch b. */
static void tally_batch(struct worker *w, struct batch *b)
{
	const struct pk_cli_op *op = w->e->op;
	struct pk_counter now[PK_CLI_MAX_COUNTERS];
	const char *name;
	int i, k;

	for (i = 0; i < PK_CLI_MAX_COUNTERS &&
		    (name = op->counter(w->ws, (size_t)i, &now[i].value)); i++) {
		unsigned long long before = 0;

		for (k = 0; k < w->ntally; k++)
			if (strcmp(w->tally[k].name, name) == 0)
				before = w->tally[k].value;
		now[i].name = b->counts[i].name = name;
		b->counts[i].value = now[i].value - before;
	}
	b->ncounts = w->ntally = i;
	memcpy(w->tally, now, (size_t)i * sizeof now[0]);
}

/* The operation's failure rc as pk_cli_settle() should report it. */
static int record_failed(const struct pk_cli_op *op, int rc,
			 struct pk_error *err)
{
	if (rc != PK_OK && op->errors_at_record &&
	    err->kind != PK_ERR_DATA && err->kind != PK_ERR_PIPE)
		err->kind = PK_ERR_IO; /* settle's "FILE:LINE: message" */
	return rc;
}

/* Does a line with verdict v stop the run (so the lines after it in its
 * batch are not to be done: they would count)? */
static int stops_run(const struct engine *e, const struct line_result *r,
		     const struct pk_error *err)
{
	if (r->verdict == LINE_OK || r->verdict == LINE_NOTE)
		return 0;
	if (e->cli->on_error == PK_ON_ERROR_ABORT)
		return 1;
	if (r->verdict == LINE_SCAN_BAD)
		return 0;
	return !(r->verdict == LINE_FAILED && r->rc == PK_BAD_RECORD &&
		 err->kind == PK_ERR_DATA);
}

/* The operation on line r of b: the scanned record to record(), or the
 * line to line(). */
static int call_op(struct worker *w, struct batch *b,
		   const struct line_result *r, struct pk_error *err)
{
	const struct pk_cli_op *op = w->e->op;
	struct pk_line l = {line_data(b, r), r->in_len, r->lineno};

	if (op->line)
		return op->line(w->ws, &l, r->pos, &w->sink, err);
	return op->record(w->ws, &w->rec, r->pos, &w->sink, err);
}

/* Scan and transform every line of b. */
static void do_batch(struct worker *w, struct batch *b)
{
	const struct pk_cli_op *op = w->e->op;
	struct pk_error err;
	size_t i;

	w->b = b;
	b->out.len = 0;
	b->nextras = 0;
	b->oom = 0;
	for (i = 0; i < b->nlines; i++) {
		struct line_result *r = &b->lines[i];
		size_t mark = b->out.len;
		const char *note;
		int rc;

		pk_error_clear(&err);
		w->nout = 0;
		r->verdict = LINE_OK;
		rc = op->line ? PK_OK
			      : pk_scan_record(&w->rec, line_data(b, r), r->in_len,
					       &err);
		if (rc != PK_OK) {
			r->verdict = rc == PK_BAD_RECORD ? LINE_SCAN_BAD
							 : LINE_SCAN_FATAL;
		} else {
			rc = record_failed(op, call_op(w, b, r, &err), &err);
			if (rc != PK_OK) {
				r->verdict = LINE_FAILED;
				r->rc = rc;
				b->out.len = mark;
				w->nout = 0;
			} else if (op->note && (note = op->note(w->ws))) {
				r->verdict = LINE_NOTE;
				if (add_extra(b, NULL, note, &r->extra) < 0)
					b->oom = 1;
			}
		}
		if (r->verdict != LINE_OK && r->verdict != LINE_NOTE &&
		    add_extra(b, &err, NULL, &r->extra) < 0)
			b->oom = 1;
		r->out_end = b->out.len;
		r->nout = w->nout;
		if (b->oom || stops_run(w->e, r, &err)) {
			b->nlines = i + 1;
			break;
		}
	}
	if (b->out.data)
		b->out.data[b->out.len] = '\0';
	b->ncounts = 0;
	if (op->counter)
		tally_batch(w, b);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct engine *e = w->e;

	pthread_mutex_lock(&e->mu);
	for (;;) {
		struct batch *b;

		while (e->ntaken == e->nqueued && !e->quit) {
			e->idle++;
			pthread_cond_wait(&e->work, &e->mu);
			e->idle--;
		}
		if (e->ntaken == e->nqueued)
			break;
		b = &e->ring[e->ntaken++ % e->nring];
		if (!e->cancel) {
			pthread_mutex_unlock(&e->mu);
			do_batch(w, b);
			pthread_mutex_lock(&e->mu);
		}
		b->state = BATCH_DONE;
		/* wake-ups cost system calls: only when someone waits */
		if (e->waiting)
			pthread_cond_signal(&e->done);
	}
	pthread_mutex_unlock(&e->mu);
	return NULL;
}

/* --- this thread: batches written in order -------------------------- */

/* Act on batch b as the one-thread loop would have on its records. */
static void emit_batch(struct engine *e, struct batch *b)
{
	struct pk_cli *cli = e->cli;
	const struct pk_cli_op *op = e->op;
	size_t i, run = 0, pos = 0;
	unsigned long long nrun = 0;

	if (b->oom && !cli->stop)
		pk_cli_error(cli, "out of memory");
	for (i = 0; i < b->nlines && !cli->stop; i++) {
		struct line_result *r = &b->lines[i];
		size_t start = i ? b->lines[i - 1].out_end : 0;
		const struct pk_error *x = NULL;

		if (r->verdict == LINE_OK && !op->consume) {
			nrun += r->nout;
			pos = r->out_end;
			continue;
		}
		if (r->verdict != LINE_OK)
			x = &b->extras[r->extra].err;
		/* what this line says comes after the records before it */
		if (pos > run && cli_write_records(cli, b->out.data + run,
						   pos - run, nrun) < 0)
			return;
		run = pos;
		nrun = 0;
		cli->line.data = line_data(b, r);
		cli->line.len = r->in_len;
		cli->line.lineno = r->lineno;
		cli->input_name = b->name;
		cli->input_index = b->input_index;
		cli->input_nread = r->in_pos + 1;
		switch (r->verdict) {
		case LINE_NOTE:
			pk_cli_warn(cli, "%s", x->text);
			/* fall through */
		case LINE_OK:
			if (op->consume) {
				op->consume(op->ctx, cli, b->out.data + start,
					    r->out_end - start);
			} else {
				nrun = r->nout;
				pos = r->out_end;
			}
			break;
		case LINE_SCAN_BAD:
			cli_bad_record(cli, x->text, x->column, 0);
			break;
		case LINE_SCAN_FATAL:
			pk_cli_error(cli, "%s", x->text);
			break;
		case LINE_FAILED:
			pk_cli_settle(cli, r->rc, x);
			break;
		}
		if (cli->stop && !e->stopped_at_line) {
			e->stopped_at_line = 1;
			e->stop_pos = r->pos;
			e->stop_blank = r->blank;
		}
	}
	if (!cli->stop && pos > run)
		cli_write_records(cli, b->out.data + run, pos - run, nrun);
	/* the batch ends at the line that stops the run, if any: these
	 * are the counts of the lines acted on */
	for (i = 0; i < (size_t)b->ncounts; i++)
		pk_cli_count(cli, b->counts[i].name, b->counts[i].value);
}

/* Wait for the oldest batch in flight and write it (or drop it once the
 * run has stopped).  The current line (the reader's) and input name are
 * as they were. */
static void emit_oldest(struct engine *e)
{
	struct batch *b = &e->ring[e->nemitted % e->nring];
	struct pk_line line = e->cli->line;
	int input_index = e->cli->input_index;
	unsigned long long input_nread = e->cli->input_nread;

	pthread_mutex_lock(&e->mu);
	while (b->state != BATCH_DONE) {
		if (e->ntaken < e->nqueued && !e->cancel) {
			/* rather than wait, do the next batch no worker took */
			struct batch *t = &e->ring[e->ntaken++ % e->nring];

			pthread_mutex_unlock(&e->mu);
			do_batch(&e->workers[e->nworkers - 1], t);
			pthread_mutex_lock(&e->mu);
			t->state = BATCH_DONE;
			continue;
		}
		e->waiting = 1;
		pthread_cond_wait(&e->done, &e->mu);
		e->waiting = 0;
	}
	pthread_mutex_unlock(&e->mu);
	if (!e->cli->stop)
		emit_batch(e, b);
	/* the mapped input's pages up to here are done with */
	if (b->ext_end && e->cli->reader && e->mapped &&
	    b->input_index == e->cli->input_index)
		pk_reader_release(e->cli->reader, b->ext_end);
	e->cli->line = line;
	e->cli->input_name = e->cli->input_name_buf;
	e->cli->input_index = input_index;
	e->cli->input_nread = input_nread;
	if (e->cli->stop) {
		pthread_mutex_lock(&e->mu);
		e->cancel = 1;
		pthread_mutex_unlock(&e->mu);
	}
	b->state = BATCH_FREE;
	b->nlines = 0;
	e->nemitted++;
}

/* Write every batch in flight. */
static void emit_all(struct engine *e)
{
	while (e->nemitted < e->nqueued)
		emit_oldest(e);
}

static struct batch *fill_batch(struct engine *e)
{
	return &e->ring[e->nqueued % e->nring];
}

/* Queue the batch being filled, when it holds a line. */
static void queue_batch(struct engine *e)
{
	struct batch *b = fill_batch(e);

	if (!b->nlines)
		return;
	pthread_mutex_lock(&e->mu);
	b->state = BATCH_QUEUED;
	e->nqueued++;
	if (e->idle)
		pthread_cond_signal(&e->work);
	pthread_mutex_unlock(&e->mu);
	if (e->nqueued - e->nemitted == e->nring)
		emit_oldest(e);
}

/* Add the current line to the batch being filled: 0, or -1 (reported). */
static int add_line(struct engine *e)
{
	struct pk_cli *cli = e->cli;
	struct batch *b = fill_batch(e);
	struct line_result *r;

	if (b->nlines && b->input_index != cli->input_index)
		queue_batch(e), b = fill_batch(e);
	if (!b->nlines) {
		b->in.len = 0;
		b->bytes = 0;
		b->ext_end = NULL;
		b->input_index = cli->input_index;
		free(b->name);
		if (!(b->name = strdup(cli->input_name)))
			goto nomem;
	}
	if (b->nlines == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;
		struct line_result *l = realloc(b->lines, cap * sizeof *l);

		if (!l)
			goto nomem;
		b->lines = l;
		b->cap = cap;
	}
	r = &b->lines[b->nlines];
	r->in_off = b->in.len;
	r->in_len = cli->line.len;
	r->lineno = cli->line.lineno;
	r->pos = cli->nread - 1;
	r->in_pos = cli->input_nread - 1;
	r->blank = cli->nblank + pk_reader_blank_lines(cli->reader);
	if (e->mapped) {
		/* the first line in flight: the reader keeps it from now */
		if (e->nemitted == e->nqueued && b->nlines == 0)
			pk_reader_release(cli->reader, cli->line.data);
		r->ext = cli->line.data;
		b->ext_end = r->ext + r->in_len;
	} else {
		r->ext = NULL;
		if (pk_buf_append(&b->in, cli->line.data, cli->line.len) < 0)
			goto nomem;
	}
	b->bytes += r->in_len;
	b->nlines++;
	if (b->bytes >= BATCH_BYTES || b->nlines >= e->batch_lines)
		queue_batch(e);
	return 0;
nomem:
	pk_cli_error(cli, "out of memory");
	return -1;
}

/* An input was opened: are its lines mapped (they stay where they are,
 * and the reader keeps them until this thread releases them)? */
static void input_opened(struct engine *e)
{
	e->mapped = pk_reader_mapped(e->cli->reader);
	if (e->mapped)
		pk_reader_keep(e->cli->reader);
}

/* The next input, which the operation is told of: 0, or -1 (see
 * cli_next_input()). */
static int next_input(struct pk_cli *cli, const struct pk_cli_op *op)
{
	if (cli_next_input(cli) < 0)
		return -1;
	if (op->opened)
		op->opened(op->ctx, cli);
	return 0;
}

/* A line the reader rejected (rc and err from cli_read_line()), for an
 * operation that judges every line: handed to it, 1; 0 when it is a
 * read error or the operation does not take such lines. */
static int line_rejected(struct pk_cli *cli, const struct pk_cli_op *op,
			 int rc, const struct pk_error *err)
{
	if (!op->line || (rc == PK_FATAL && err->kind != PK_ERR_DATA))
		return 0;
	if (rc == PK_FATAL) {
		/* a JSON array file that is not valid: a bad line, and the
		 * end of that file */
		cli->nread++;
		cli->input_nread++;
		cli->line.lineno = err->line;
		cli_close_input(cli);
	}
	op->rejected(op->ctx, cli, err);
	return 1;
}

static void read_all(struct engine *e)
{
	struct pk_cli *cli = e->cli;
	struct pk_error err;
	int rc;

	for (;;) {
		if (cli->stop)
			return;
		if (!cli->reader) {
			/* the next input's messages come after this one's */
			queue_batch(e);
			emit_all(e);
			if (cli->stop || next_input(cli, e->op) < 0)
				return;
			input_opened(e);
		}
		rc = cli_read_line_open(cli, &err);
		if (rc == PK_EOF) {
			/* its batches point into it: written before it closes */
			queue_batch(e);
			emit_all(e);
			cli_close_input(cli);
			continue;
		}
		if (rc == PK_OK) {
			if (add_line(e) < 0)
				return;
			cli_progress_tick(cli);
			continue;
		}
		queue_batch(e);
		emit_all(e);
		if (cli->stop)
			return;
		/* nothing in flight: the pages of the rest of the long line
		 * go as it is drained */
		if (rc == PK_BAD_RECORD && e->mapped)
			pk_reader_release(cli->reader, NULL);
		if (line_rejected(cli, e->op, rc, &err))
			continue;
		if (rc == PK_FATAL) {
			cli_read_failed(cli, &err);
			return;
		}
		cli_bad_record(cli, err.text, 0, 1);
	}
}

/* Add the worker's counters to the run's (zero: only make them exist,
 * when the batches brought the counts), and free its state. */
static void count_and_stop(struct pk_cli *cli, const struct pk_cli_op *op,
			   void *ws, int zero)
{
	unsigned long long v;
	const char *name;
	size_t i;

	for (i = 0; op->counter && (name = op->counter(ws, i, &v)); i++)
		pk_cli_count(cli, name, zero ? 0 : v);
	if (op->stop)
		op->stop(ws);
}

/* A sink that keeps a record's output records ('\n' ended) in b. */
static int held_emit(void *ctx, const char *json, size_t len)
{
	struct pk_buf *b = ctx;

	return pk_buf_append(b, json, len) < 0 || pk_buf_putc(b, '\n') < 0
		? PK_FATAL : PK_OK;
}

static void held_sink(struct pk_sink *s, struct pk_buf *b)
{
	s->emit = held_emit;
	s->room = NULL;
	s->commit = NULL;
	s->ctx = b;
}

/* pk_cli_next() for an operation that judges every line (op->line): 1
 * with the next line in cli->line, 0 at the end or when the run stops. */
static int next_line(struct pk_cli *cli, const struct pk_cli_op *op)
{
	struct pk_error err;
	int rc;

	for (;;) {
		if (cli->stop)
			return 0;
		if (!cli->reader && next_input(cli, op) < 0)
			return 0;
		if (cli->stop)
			return 0;
		rc = cli_read_line(cli, &err);
		if (rc == PK_OK) {
			cli_progress_tick(cli);
			return 1;
		}
		if (rc == PK_EOF || line_rejected(cli, op, rc, &err))
			continue;
		cli_read_failed(cli, &err);
		return 0;
	}
}

/* -j 1: the pk_cli_next() loop. */
static void run_here(struct pk_cli *cli, const struct pk_cli_op *op)
{
	struct pk_buf held = PK_BUF_INIT;
	struct pk_error err = {0};
	struct pk_sink out;
	const char *note;
	void *ws = op->start(op->ctx, &err);
	int rc;

	if (!ws) {
		pk_cli_error(cli, "%s", err.text[0] ? err.text : "out of memory");
		return;
	}
	if (op->consume)
		held_sink(&out, &held);
	else if (op->hold)
		pk_cli_hold_sink(cli, &out);
	else
		pk_cli_sink(cli, &out);
	if (op->consume || pk_cli_open_output(cli) == 0) {
		while (op->line ? next_line(cli, op) : pk_cli_next(cli)) {
			pk_error_clear(&err);
			pk_buf_reset(&held);
			rc = op->line ? op->line(ws, &cli->line, cli->nread - 1,
						 &out, &err)
				      : op->record(ws, &cli->rec, cli->nread - 1,
						   &out, &err);
			rc = record_failed(op, rc, &err);
			if (rc == PK_OK && op->note && (note = op->note(ws)))
				pk_cli_warn(cli, "%s", note);
			if (rc == PK_OK && op->consume)
				op->consume(op->ctx, cli, held.data, held.len);
			else
				pk_cli_settle(cli, rc, &err);
		}
		if (op->end && !cli->stop) {
			/* written at once: the end is no input record */
			pk_error_clear(&err);
			pk_cli_sink(cli, &out);
			pk_cli_settle(cli, op->end(ws, &out, &err), &err);
		}
	}
	count_and_stop(cli, op, ws, 0);
	pk_buf_free(&held);
}

static void free_engine(struct engine *e)
{
	size_t i;

	for (i = 0; e->ring && i < e->nring; i++) {
		struct batch *b = &e->ring[i];

		pk_buf_free(&b->in);
		pk_buf_free(&b->out);
		free(b->lines);
		free(b->extras);
		free(b->name);
	}
	free(e->ring);
	free(e->workers);
	pthread_mutex_destroy(&e->mu);
	pthread_cond_destroy(&e->work);
	pthread_cond_destroy(&e->done);
}

static void run_workers(struct pk_cli *cli, const struct pk_cli_op *op,
			long n)
{
	struct engine e = {0};
	struct pk_error err = {0};
	const char *env = getenv("PREFKIT_BATCH_LINES");
	sigset_t all, old;
	long i;

	e.cli = cli;
	e.op = op;
	e.nworkers = n;
	e.nring = (size_t)n * RING_PER_WORKER;
	e.batch_lines = env && atol(env) > 0 ? (size_t)atol(env) : BATCH_LINES;
	pthread_mutex_init(&e.mu, NULL);
	pthread_cond_init(&e.work, NULL);
	pthread_cond_init(&e.done, NULL);
	e.ring = calloc(e.nring, sizeof *e.ring);
	e.workers = calloc((size_t)n, sizeof *e.workers);
	if (!e.ring || !e.workers) {
		pk_cli_error(cli, "out of memory");
		free_engine(&e);
		return;
	}
	for (i = 0; i < n; i++) {
		struct worker *w = &e.workers[i];

		w->e = &e;
		w->sink.emit = batch_emit;
		w->sink.room = batch_room;
		w->sink.commit = batch_commit;
		w->sink.ctx = w;
		if (!(w->ws = op->start(op->ctx, &err))) {
			pk_cli_error(cli, "%s", err.text[0] ? err.text : "out of memory");
			break;
		}
	}
	/* the output and the first input are opened before any other thread
	 * runs, as with -j 1 (a signal while a FIFO opens finds one thread) */
	if (!cli->stop && (op->consume || pk_cli_open_output(cli) == 0) &&
	    next_input(cli, op) == 0) {
		input_opened(&e);
		/* n threads: n - 1 workers, and this one, which reads,
		 * writes, and does a batch itself whenever it would otherwise
		 * wait.  The workers block every signal: a signal is handled
		 * here, where the clean-up of temporary files and the exit
		 * happen */
		sigfillset(&all);
		/* but a fault is the faulting thread's: SIGBUS from a mapped
		 * input cut short is reported (input.c) */
		sigdelset(&all, SIGBUS);
		sigdelset(&all, SIGSEGV);
		sigdelset(&all, SIGFPE);
		sigdelset(&all, SIGILL);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		for (i = 0; i < n - 1; i++) {
			int rc = pthread_create(&e.workers[i].tid, NULL,
						worker_main, &e.workers[i]);

			if (rc != 0) {
				pk_cli_error(cli, "cannot start a thread: %s",
					     strerror(rc));
				break;
			}
			e.workers[i].running = 1;
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (!cli->stop)
			read_all(&e);
		queue_batch(&e);
		emit_all(&e);
	}
	if (e.stopped_at_line) {
		/* the count of a run that stopped at a record is that of the
		 * one-thread loop, which read no further */
		cli_close_input(cli);
		cli->nread = e.stop_pos + 1;
		cli->nblank = e.stop_blank;
	}
	pthread_mutex_lock(&e.mu);
	e.quit = 1;
	pthread_cond_broadcast(&e.work);
	pthread_mutex_unlock(&e.mu);
	for (i = 0; i < n; i++) {
		struct worker *w = &e.workers[i];

		if (w->running)
			pthread_join(w->tid, NULL);
		if (w->ws)
			/* the counts came with the batches */
			count_and_stop(cli, op, w->ws, 1);
		pk_record_free(&w->rec);
	}
	free_engine(&e);
}

void pk_cli_run(struct pk_cli *cli, const struct pk_cli_op *op)
{
	long n = op->parallel ? pk_cli_threads(cli) : 1;

	if (n <= 1)
		run_here(cli, op);
	else
		run_workers(cli, op, n);
}
