/* SPDX-License-Identifier: MIT */
/*
 * output.c - where a command writes: -o and -z through atomic writers,
 * several outputs, the quarantine file, names that must not clash, the
 * records handed to them, and the temporary files that a signal or
 * exit() removes (with the standard descriptors made safe at start-up).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_internal.h"
#include "pk_private.h"

/* Temporary files to remove when a signal or exit() ends the program:
 * the output, the quarantine file and the stats file, and the outputs of
 * pk_cli_open_outputs(). */
static char cleanup_paths[CLI_NTEMP][PATH_MAX];
static char **volatile cleanup_more;
static volatile size_t ncleanup_more;

/* Async-signal-safe: unlink(2) only. */
static void remove_temps(void)
{
	char **more = cleanup_more;
	size_t i, n = ncleanup_more;

	for (i = 0; i < CLI_NTEMP; i++)
		if (cleanup_paths[i][0])
			unlink(cleanup_paths[i]);
	for (i = 0; more && i < n; i++)
		if (more[i])
			unlink(more[i]);
}

void cli_remove_temps(void)
{
	remove_temps();
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

void cli_remember_temp(int slot, const struct pk_writer *w)
{
	const char *p = w ? pk_writer_temp_path(w) : NULL;

	if (p && strlen(p) < PATH_MAX)
		strcpy(cleanup_paths[slot], p);
	else
		cleanup_paths[slot][0] = '\0';
}

/* Signals held while a writer makes its temporary file and it is
 * remembered: one arriving in between would leave the file behind (18
 * runs in 300 did, tests/hostile/run).  Not for a path that is a FIFO or
 * a device: written in place, and opening a FIFO may wait for a reader,
 * which must stay interruptible.  1 when held (old: the mask to put
 * back with release_signals()). */
static int hold_signals(const char *path, sigset_t *old)
{
	struct stat st;
	sigset_t set;
	size_t i;

	if (!path || strcmp(path, "-") == 0 ||
	    (stat(path, &st) == 0 && !S_ISREG(st.st_mode)))
		return 0;
	sigemptyset(&set);
	for (i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		sigaddset(&set, fatal_signals[i]);
	return sigprocmask(SIG_BLOCK, &set, old) == 0;
}

static void release_signals(int held, const sigset_t *old)
{
	if (held)
		sigprocmask(SIG_SETMASK, old, NULL);
}

struct pk_writer *cli_open_temp(int slot, const char *path, int zstd_level,
				struct pk_error *err)
{
	struct pk_writer *w;
	sigset_t old;
	int held = hold_signals(path, &old);

	w = pk_writer_open(path, zstd_level, err);
	cli_remember_temp(slot, w);
	release_signals(held, &old);
	return w;
}

void cli_forget_temp(int slot)
{
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

void cli_start(const char *progname)
{
	size_t i;

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

void cli_report_writer_error(struct pk_cli *cli, const char *what,
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

int pk_cli_same_file(const char *a, const char *b)
{
	struct file_id ia, ib;
	int same;

	if (!a || !b || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return 0;
	file_id_get(&ia, a);
	file_id_get(&ib, b);
	same = strcmp(a, b) == 0 || file_id_same(&ia, &ib);
	free(ia.name);
	free(ib.name);
	return same;
}

int pk_cli_write_file(struct pk_cli *cli, const char *path, const void *data,
		      size_t len)
{
	struct pk_error err = {0};
	struct pk_writer *w = cli_open_temp(CLI_TEMP_SIDE, path, 0, &err);
	int rc = -1;

	if (w) {
		if (pk_writer_write(w, data, len, &err) < 0)
			pk_writer_abort(w);
		else
			rc = pk_writer_commit(w, &err) < 0 ? -1 : 0;
		cli_forget_temp(CLI_TEMP_SIDE);
	}
	if (rc < 0)
		pk_cli_error(cli, "%s: %s", path, err.text);
	return rc;
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
		cli->quarantine = cli_open_temp(CLI_TEMP_QUARANTINE,
						cli->quarantine_path,
						PK_ZSTD_AUTO, &err);
		if (!cli->quarantine) {
			pk_cli_error(cli, "%s: %s", cli->quarantine_path,
				     err.text);
			return -1;
		}
	}
	return 0;
}

int pk_cli_open_output(struct pk_cli *cli)
{
	struct pk_error err = {0};

	check_clashes(cli, &cli->output, 1, 1);
	cli->out = cli_open_temp(CLI_TEMP_OUT, cli->output, cli->zstd_level,
				 &err);
	if (!cli->out) {
		pk_cli_error(cli, "%s: %s", cli->output ? cli->output : "-",
			     err.text);
		return -1;
	}
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
		sigset_t old;
		int held;

		cli->out_paths[k] = strdup(paths[k]);
		held = hold_signals(paths[k], &old);
		cli->outs[k] = pk_writer_open(paths[k], zstd_level, &err);
		tmp = cli->outs[k] ? pk_writer_temp_path(cli->outs[k]) : NULL;
		if (tmp)
			temps[k] = strdup(tmp);
		ncleanup_more = k + 1;
		release_signals(held, &old);
		if (!cli->outs[k]) {
			pk_cli_error(cli, "%s: %s", paths[k], err.text);
			return -1;
		}
		if (!cli->out_paths[k] || (tmp && !temps[k])) {
			pk_cli_error(cli, "out of memory");
			return -1;
		}
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
	sigset_t held_mask;
	int held;

	if (check_clashes(cli, &path, 1, 0) < 0)
		return -1;
	held = hold_signals(path, &held_mask);
	if (!(w = pk_writer_open(path, zstd_level, &err))) {
		release_signals(held, &held_mask);
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
		release_signals(held, &held_mask);
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
	release_signals(held, &held_mask);
	free(old);
	return 0;
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
		cli_report_writer_error(cli, to.name, &err);
		return -1;
	}
	cli->nwritten++;
	return 0;
}

int pk_cli_emit(struct pk_cli *cli, const char *data, size_t len)
{
	return emit_to(cli, main_dest(cli), data, len);
}

int cli_write_records(struct pk_cli *cli, const char *data, size_t len,
		      unsigned long long n)
{
	if (pk_cli_write(cli, data, len) < 0)
		return -1;
	cli->nwritten += n;
	return 0;
}

int pk_cli_write(struct pk_cli *cli, const void *data, size_t len)
{
	struct pk_error err = {0};
	struct dest to = main_dest(cli);

	if (pk_writer_write(to.w, data, len, &err) < 0) {
		cli_report_writer_error(cli, to.name, &err);
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
		cli_report_writer_error(cli, to.name, &err);
	return d;
}

/* Hand over the n bytes built in emit_room()'s space, adding the newline. */
static int emit_done(struct pk_cli *cli, struct dest to, char *d, size_t n)
{
	struct pk_error err = {0};

	d[n] = '\n';
	if (pk_writer_advance(to.w, n + 1, &err) < 0) {
		cli_report_writer_error(cli, to.name, &err);
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

int pk_cli_emit_cb(void *cli, const char *json, size_t len)
{
	return pk_cli_emit(cli, json, len) < 0 ? PK_FATAL : PK_OK;
}

char *cli_room(struct pk_cli *cli, size_t n)
{
	return emit_room(cli, main_dest(cli), n);
}

int cli_commit(struct pk_cli *cli, char *d, size_t n)
{
	return emit_done(cli, main_dest(cli), d, n);
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

/* pk_cli_open_outputs()'s files: all of them, or none. */
static void finish_outputs(struct pk_cli *cli)
{
	struct pk_error err = {0};
	char **temps = cleanup_more;
	int ok = cli->status == PK_EXIT_OK;
	size_t k, renamed = 0;

	for (k = 0; ok && k < cli->nouts; k++)
		if (pk_writer_prepare(cli->outs[k], &err) < 0) {
			cli_report_writer_error(cli, cli->out_paths[k], &err);
			ok = 0;
		}
	for (k = 0; ok && k < cli->nouts; k++) {
		int rc = pk_writer_commit(cli->outs[k], &err);

		cli->outs[k] = NULL;
		if (rc < 0) {
			cli_report_writer_error(cli, cli->out_paths[k], &err);
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

void cli_close_outputs(struct pk_cli *cli)
{
	struct pk_error err = {0};

	if (cli->out) {
		/* Standard output streams what it has; a named file appears
		 * only when the whole run succeeded. */
		if (cli->status == PK_EXIT_OK || !cli->output ||
		    strcmp(cli->output, "-") == 0) {
			int reported = pk_writer_failed(cli->out);

			if (pk_writer_commit(cli->out, &err) < 0 && !reported)
				cli_report_writer_error(cli, cli->output ? cli->output : "-", &err);
		} else {
			pk_writer_abort(cli->out);
		}
		cli->out = NULL;
		cli_forget_temp(CLI_TEMP_OUT);
	}
	if (cli->outs)
		finish_outputs(cli);
	if (cli->quarantine) {
		if (cli->status == PK_EXIT_OK) {
			if (pk_writer_commit(cli->quarantine, &err) < 0)
				cli_report_writer_error(cli, cli->quarantine_path, &err);
		} else {
			pk_writer_abort(cli->quarantine);
		}
		cli->quarantine = NULL;
		cli_forget_temp(CLI_TEMP_QUARANTINE);
	}
}
