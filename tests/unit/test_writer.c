/* SPDX-License-Identifier: MIT */
/*
 * test_writer.c - struct pk_writer: plain and zstd output, the atomic
 * temporary file (present before commit, gone after commit or abort, the
 * target absent until commit), plain output written in whole blocks, file
 * mode, standard output, and the
 * failures that must be reported: a missing directory, a closed pipe
 * (PK_EPIPE), a full disk (/dev/full).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zstd.h>

#include "pk_private.h"
#include "test.h"

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
	return pk_test_path(tmpdir, name);
}

/* Number of entries in tmpdir (besides . and ..). */
static int count_entries(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Some megabytes of JSON Lines with repetition, so zstd has work. */
static void gen_text(struct pk_buf *b, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		pk_buf_printf(b, "{\"id\":%u,\"prompt\":\"question %u\","
				 "\"chosen\":\"answer %u\"}\n",
			      i, i % 1000, i * 7919u % 100003u);
}

static void test_plain(void)
{
	struct pk_writer *w;
	struct pk_error err;
	const char *path = tmp_path("out.jsonl");
	const char *tmp;
	struct stat st;
	char *got, big[300000];
	size_t len;

	pk_error_clear(&err);
	w = pk_writer_open(path, PK_ZSTD_AUTO, &err);
	CHECK(w != NULL);
	tmp = pk_writer_temp_path(w);
	CHECK(tmp != NULL);
	/* "<dir>/.<base>.XXXXXX" beside the target */
	CHECK(tmp && strncmp(tmp, tmpdir, strlen(tmpdir)) == 0 &&
	      strncmp(tmp + strlen(tmpdir), "/.out.jsonl.", 12) == 0 &&
	      strlen(tmp) == strlen(tmpdir) + 18);
	CHECK(exists(tmp));
	CHECK(!exists(path));
	CHECK_INT(pk_writer_write(w, "{\"a\":1}\n", 8, &err), PK_OK);
	memset(big, 'b', sizeof big);
	CHECK_INT(pk_writer_write(w, big, sizeof big, &err), PK_OK);
	CHECK_INT(pk_writer_write(w, "\n", 1, &err), PK_OK);
	CHECK(!exists(path));
	CHECK_INT(pk_writer_commit(w, &err), PK_OK);
	CHECK(exists(path));
	CHECK_INT(count_entries(), 1);
	got = pk_test_slurp(path, &len);
	CHECK_INT(len, 8 + sizeof big + 1);
	CHECK(got && memcmp(got, "{\"a\":1}\n", 8) == 0 &&
	      memcmp(got + 8, big, sizeof big) == 0 && got[len - 1] == '\n');
	free(got);
	/* umask 027 was set in main */
	CHECK(stat(path, &st) == 0);
	CHECK_INT(st.st_mode & 07777, 0640);

	/* a second run replaces the file */
	w = pk_writer_open(path, 0, &err);
	CHECK(w != NULL);
	CHECK_INT(pk_writer_write(w, "new\n", 4, &err), PK_OK);
	CHECK_INT(pk_writer_commit(w, &err), PK_OK);
	got = pk_test_slurp(path, &len);
	CHECK_MEM(got, len, "new\n", 4);
	free(got);
	CHECK_INT(count_entries(), 1);
	unlink(path);

	/* a relative name without a directory */
	{
		char cwd[512];

		CHECK(getcwd(cwd, sizeof cwd) != NULL);
		CHECK(chdir(tmpdir) == 0);
		w = pk_writer_open("rel.jsonl", PK_ZSTD_AUTO, &err);
		CHECK(w != NULL);
		CHECK(w && strncmp(pk_writer_temp_path(w), ".rel.jsonl.", 11) == 0);
		CHECK_INT(pk_writer_write(w, "x\n", 2, &err), PK_OK);
		CHECK_INT(pk_writer_commit(w, &err), PK_OK);
		CHECK(exists("rel.jsonl"));
		unlink("rel.jsonl");
		CHECK(chdir(cwd) == 0);
	}
	CHECK_INT(count_entries(), 0);
}

static void test_abort(void)
{
	struct pk_writer *w;
	struct pk_error err;
	const char *path = tmp_path("aborted.jsonl");
	char *tmp;

	w = pk_writer_open(path, PK_ZSTD_AUTO, &err);
	CHECK(w != NULL);
	CHECK_INT(pk_writer_write(w, "{\"a\":1}\n", 8, &err), PK_OK);
	tmp = strdup(pk_writer_temp_path(w));
	CHECK(exists(tmp));
	CHECK_INT(count_entries(), 1);
	pk_writer_abort(w);
	CHECK(!exists(tmp));
	CHECK(!exists(path));
	CHECK_INT(count_entries(), 0);
	free(tmp);
	pk_writer_abort(NULL);

	/* the temporary file vanished: commit fails and says why */
	w = pk_writer_open(path, 0, &err);
	CHECK(w != NULL);
	CHECK(unlink(pk_writer_temp_path(w)) == 0);
	CHECK_INT(pk_writer_commit(w, &err), PK_FATAL);
	CHECK_INT(err.kind, PK_ERR_IO);
	CHECK_STR(err.text, "cannot rename temporary file into place: "
			    "No such file or directory");
	CHECK_INT(count_entries(), 0);
}

static char *unzstd(const char *z, size_t zn, size_t cap, size_t *n)
{
	char *out = malloc(cap ? cap : 1);
	size_t rc = ZSTD_decompress(out, cap, z, zn);

	if (ZSTD_isError(rc)) {
		printf("# ZSTD_decompress: %s\n", ZSTD_getErrorName(rc));
		free(out);
		return NULL;
	}
	*n = rc;
	return out;
}

static void test_zstd(void)
{
	struct pk_buf text = PK_BUF_INIT;
	struct pk_writer *w;
	struct pk_error err;
	const char *path = tmp_path("out.jsonl.zst");
	char *z, *plain;
	size_t zn, n, i;
	int ok;

	gen_text(&text, 50000);
	w = pk_writer_open(path, PK_ZSTD_AUTO, &err);
	CHECK(w != NULL);
	/* in small pieces, as records are written */
	for (ok = 1, i = 0; i < text.len; i += 37) {
		size_t k = text.len - i < 37 ? text.len - i : 37;

		ok &= pk_writer_write(w, text.data + i, k, &err) == PK_OK;
	}
	CHECK(ok);
	CHECK_INT(pk_writer_commit(w, &err), PK_OK);
	z = pk_test_slurp(path, &zn);
	CHECK(zn > 4 && memcmp(z, "\x28\xb5\x2f\xfd", 4) == 0);
	CHECK(zn < text.len / 4);
	plain = unzstd(z, zn, text.len + 1, &n);
	CHECK(plain != NULL);
	CHECK_MEM(plain, n, text.data, text.len);
	free(plain);
	free(z);

	/* and back through the reader */
	{
		struct pk_reader *r = pk_reader_open(path, 1 << 24, &err);
		struct pk_line line;
		unsigned long long count = 0;

		CHECK(r != NULL);
		while (pk_reader_next(r, &line, &err) == PK_OK)
			count++;
		CHECK_INT(count, 50000);
		pk_reader_close(r);
	}
	unlink(path);

	/* an explicit level compresses whatever the name */
	path = tmp_path("level.jsonl");
	w = pk_writer_open(path, 19, &err);
	CHECK(w != NULL);
	CHECK_INT(pk_writer_write(w, text.data, text.len, &err), PK_OK);
	CHECK_INT(pk_writer_commit(w, &err), PK_OK);
	z = pk_test_slurp(path, &zn);
	CHECK(zn > 4 && memcmp(z, "\x28\xb5\x2f\xfd", 4) == 0);
	plain = unzstd(z, zn, text.len + 1, &n);
	CHECK(plain != NULL);
	CHECK_MEM(plain, n, text.data, text.len);
	free(plain);
	free(z);
	unlink(path);

	/* level 0 is plain even for a .zst name */
	path = tmp_path("plain.zst");
	w = pk_writer_open(path, 0, &err);
	CHECK_INT(pk_writer_write(w, "{}\n", 3, &err), PK_OK);
	CHECK_INT(pk_writer_commit(w, &err), PK_OK);
	z = pk_test_slurp(path, &zn);
	CHECK_MEM(z, zn, "{}\n", 3);
	free(z);
	unlink(path);

	/* nothing written: still one valid (empty) frame */
	path = tmp_path("empty.jsonl.zst");
	w = pk_writer_open(path, PK_ZSTD_AUTO, &err);
	CHECK_INT(pk_writer_commit(w, &err), PK_OK);
	z = pk_test_slurp(path, &zn);
	CHECK(zn > 4 && memcmp(z, "\x28\xb5\x2f\xfd", 4) == 0);
	plain = unzstd(z, zn, 16, &n);
	CHECK(plain != NULL);
	CHECK_INT(n, 0);
	free(plain);
	free(z);
	unlink(path);

	pk_error_clear(&err);
	CHECK(pk_writer_open(tmp_path("x.zst"), 100, &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	CHECK_STR(err.text, "invalid zstd level 100");
	CHECK_INT(count_entries(), 0);
	pk_buf_free(&text);
}

static void test_open_errors(void)
{
	struct pk_error err;
	char want[256];

	pk_error_clear(&err);
	CHECK(pk_writer_open(tmp_path("nodir/out.jsonl"), 0, &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_IO);
	snprintf(want, sizeof want,
		 "cannot create temporary file in %s/nodir: "
		 "No such file or directory", tmpdir);
	CHECK_STR(err.text, want);

	CHECK(pk_writer_open(tmpdir, 0, &err) == NULL);
	CHECK_STR(err.text, "Is a directory");
	CHECK(pk_writer_open(tmp_path("dir/"), 0, &err) == NULL);
	CHECK_STR(err.text, "Is a directory");
	CHECK(pk_writer_open("", 0, &err) == NULL);
	CHECK_STR(err.text, "No such file or directory");
	CHECK_INT(count_entries(), 0);
}

/* Point fd 1 at fd for a while (TAP output is flushed around it). */
static int stdout_saved = -1;

static void redirect_stdout(int fd)
{
	fflush(stdout);
	stdout_saved = dup(1);
	dup2(fd, 1);
}

static void restore_stdout(void)
{
	dup2(stdout_saved, 1);
	close(stdout_saved);
}

static void test_stdout(void)
{
	const char *path = tmp_path("stdout.jsonl");
	struct pk_writer *w;
	struct pk_error err;
	int fd, rc, ok, still_open;
	const char *tmp;
	char *got;
	size_t len;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	redirect_stdout(fd);
	w = pk_writer_open("-", PK_ZSTD_AUTO, &err);
	tmp = w ? pk_writer_temp_path(w) : "x";
	ok = w && pk_writer_write(w, "{\"a\":1}\n", 8, &err) == PK_OK;
	rc = w ? pk_writer_commit(w, &err) : -99;
	still_open = fcntl(1, F_GETFD) >= 0;
	restore_stdout();
	close(fd);
	CHECK(tmp == NULL);
	CHECK(ok);
	CHECK_INT(rc, PK_OK);
	CHECK(still_open);
	got = pk_test_slurp(path, &len);
	CHECK_MEM(got, len, "{\"a\":1}\n", 8);
	free(got);
	unlink(path);

	/* zstd to standard output */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	redirect_stdout(fd);
	w = pk_writer_open(NULL, 3, &err);
	ok = w && pk_writer_write(w, "{\"b\":2}\n", 8, &err) == PK_OK;
	rc = w ? pk_writer_commit(w, &err) : -99;
	restore_stdout();
	close(fd);
	CHECK(ok);
	CHECK_INT(rc, PK_OK);
	got = pk_test_slurp(path, &len);
	{
		size_t n;
		char *plain = unzstd(got, len, 100, &n);

		CHECK(plain != NULL);
		CHECK_MEM(plain, n, "{\"b\":2}\n", 8);
		free(plain);
	}
	free(got);
	unlink(path);
}

static void test_epipe(void)
{
	static char big[600000];
	struct pk_writer *w;
	struct pk_error err, err2;
	int fds[2], rc1, rc2, rc3;

	signal(SIGPIPE, SIG_IGN);
	CHECK(pipe(fds) == 0);
	close(fds[0]);
	memset(big, 'p', sizeof big);

	/* the error comes at commit, when the buffer is flushed */
	redirect_stdout(fds[1]);
	w = pk_writer_open(NULL, 0, &err);
	rc1 = pk_writer_write(w, "{}\n", 3, &err);
	pk_error_clear(&err);
	rc2 = pk_writer_commit(w, &err);
	restore_stdout();
	CHECK_INT(rc1, PK_OK);
	CHECK_INT(rc2, PK_EPIPE);
	CHECK_INT(err.kind, PK_ERR_PIPE);
	CHECK_STR(err.text, "write error: Broken pipe");

	/* or at a write that fills the buffer, and then it sticks */
	redirect_stdout(fds[1]);
	w = pk_writer_open(NULL, 0, &err);
	pk_error_clear(&err);
	rc1 = pk_writer_write(w, big, sizeof big, &err);
	pk_error_clear(&err2);
	rc2 = pk_writer_write(w, "{}\n", 3, &err2);
	rc3 = pk_writer_commit(w, NULL);
	restore_stdout();
	CHECK_INT(rc1, PK_EPIPE);
	CHECK_INT(err.kind, PK_ERR_PIPE);
	CHECK_INT(rc2, PK_EPIPE);
	CHECK_STR(err2.text, "write error: Broken pipe");
	CHECK_INT(rc3, PK_EPIPE);

	/* compressed output as well: zstd's worker threads may still hold
	 * the data when the write returns, so the broken pipe shows at the
	 * write or, at the latest, at the commit */
	redirect_stdout(fds[1]);
	w = pk_writer_open(NULL, 1, &err);
	rc1 = pk_writer_write(w, big, sizeof big, &err);
	rc2 = pk_writer_commit(w, &err);
	restore_stdout();
	CHECK(rc1 == PK_EPIPE || rc1 == PK_OK);
	CHECK_INT(rc2, PK_EPIPE);
	close(fds[1]);
	signal(SIGPIPE, SIG_DFL);
}

static void test_full(void)
{
	static char big[600000];
	struct pk_writer *w;
	struct pk_error err;
	struct stat st;

	if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode)) {
		int i;

		for (i = 0; i < 9; i++) {
			pk_test_n++;
			printf("ok %d # SKIP no /dev/full\n", pk_test_n);
		}
		return;
	}
	/* a device is written in place, never renamed over */
	w = pk_writer_open("/dev/full", PK_ZSTD_AUTO, &err);
	CHECK(w != NULL);
	CHECK(w && pk_writer_temp_path(w) == NULL);
	CHECK_INT(pk_writer_write(w, "{}\n", 3, &err), PK_OK);
	pk_error_clear(&err);
	CHECK_INT(pk_writer_commit(w, &err), PK_FATAL);
	CHECK_INT(err.kind, PK_ERR_IO);
	CHECK_STR(err.text, "write error: No space left on device");

	/* compressed: at the write, or at the latest at the commit */
	w = pk_writer_open("/dev/full", 5, &err);
	CHECK(pk_writer_write(w, big, sizeof big, &err) != PK_EPIPE);
	CHECK_INT(pk_writer_commit(w, &err), PK_FATAL);
	CHECK(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode));
}

/* Records built in place with pk_writer_room/pk_writer_advance, mixed
 * with pk_writer_write, one of them longer than the buffer; plain and
 * zstd. */
static void test_room(void)
{
	static const char *const names[] = {"room.jsonl", "room.jsonl.zst"};
	size_t big = 700000, k;

	for (k = 0; k < 2; k++) {
		const char *path = tmp_path(names[k]);
		struct pk_writer *w;
		struct pk_error err;
		struct pk_buf want = PK_BUF_INIT;
		char *got, *d;
		size_t len, i;
		int ok = 1;

		pk_error_clear(&err);
		w = pk_writer_open(path, PK_ZSTD_AUTO, &err);
		CHECK(w != NULL);
		for (i = 0; i < 3000 && ok; i++) {
			/* a record of up to 300 bytes, room for 400: advance
			 * takes what was written */
			size_t n = 1 + i % 300, j;

			if (i == 1500)
				n = big; /* the buffer grows for it */
			d = pk_writer_room(w, n + 100, &err);
			if (!d) {
				ok = 0;
				break;
			}
			for (j = 0; j < n; j++)
				d[j] = (char)('a' + (i + j) % 26);
			d[n] = '\n';
			pk_buf_append(&want, d, n + 1);
			if (pk_writer_advance(w, n + 1, &err) != PK_OK)
				ok = 0;
			if (i % 7 == 0) {
				pk_buf_append(&want, "w\n", 2);
				if (pk_writer_write(w, "w\n", 2, &err) != PK_OK)
					ok = 0;
			}
		}
		CHECK(ok);
		CHECK_INT(pk_writer_commit(w, &err), PK_OK);
		if (k == 0) {
			got = pk_test_slurp(path, &len);
		} else {
			struct pk_reader *r = pk_reader_open(path, 1 << 24, &err);
			struct pk_buf all = PK_BUF_INIT;
			struct pk_line line;

			CHECK(r != NULL);
			while (r && pk_reader_next(r, &line, &err) == PK_OK) {
				pk_buf_append(&all, line.data, line.len);
				pk_buf_putc(&all, '\n');
			}
			pk_reader_close(r);
			len = all.len;
			got = pk_buf_take(&all);
		}
		CHECK(got && len == want.len && memcmp(got, want.data, len) == 0);
		free(got);
		pk_buf_free(&want);
		unlink(path);
	}
}

/* One step of the writes of test_blocks and test_pipe: step i adds to w
 * (and to want) a record built in place of 1 to 5000 bytes, now and then
 * a short write, a record longer than a block and its slack, or a big
 * piece (64 KiB and more: a batch of records) of up to several blocks. */
static int feed(struct pk_writer *w, struct pk_buf *want, const char *big,
		size_t i)
{
	const size_t block = 262144;
	struct pk_error err;
	size_t n, j;
	char *d;
	int ok = 1;

	if (i == 10 || i == 2500 || i % 300 == 150) {
		n = i == 10 ? 2 * block + 7 : i == 2500 ? 3 * block + 12345
			: 65536 + i * 7919 % 200000;
		if (i == 10) {
			/* empty the buffer: fill up to the block */
			size_t fill = block - want->len % block;

			ok &= pk_writer_write(w, big, fill, &err) == PK_OK;
			pk_buf_append(want, big, fill);
		}
		ok &= pk_writer_write(w, big + i % 100, n, &err) == PK_OK;
		pk_buf_append(want, big + i % 100, n);
		return ok;
	}
	n = i == 1200 ? block + 100000 : 1 + i * 7919 % 5000;
	if (!(d = pk_writer_room(w, n + 1, &err)))
		return 0;
	for (j = 0; j < n; j++)
		d[j] = (char)('a' + (i + j) % 26);
	d[n] = '\n';
	pk_buf_append(want, d, n + 1);
	ok &= pk_writer_advance(w, n + 1, &err) == PK_OK;
	if (i % 5 == 0) {
		ok &= pk_writer_write(w, "w\n", 2, &err) == PK_OK;
		pk_buf_append(want, "w\n", 2);
	}
	return ok;
}

/* Plain output goes to a file in whole blocks of 256 KiB at offsets that
 * are multiples of it (writer.c: OUTBUF_SIZE), whatever mix of writes,
 * records built in place, records longer than a block and big pieces
 * (the buffered bytes and the head of the piece go in one writev): after
 * T bytes the temporary file holds exactly T - T % 262144 of them, and
 * the committed file all T.  About 14 MB: past WRITE_BEHIND (4 MiB), so
 * the file is also sent to the disk as it grows (sync_file_range). */
static void test_blocks(void)
{
	const size_t block = 262144;
	const char *path = tmp_path("blocks.jsonl");
	struct pk_writer *w;
	struct pk_error err;
	struct pk_buf want = PK_BUF_INIT;
	struct stat st;
	char *big, *got;
	size_t i, len;
	int ok = 1, sizes_ok = 1;

	pk_error_clear(&err);
	big = malloc(3 * block + 12445);
	CHECK(big != NULL);
	if (!big)
		return;
	for (i = 0; i < 3 * block + 12445; i++)
		big[i] = (char)('A' + i % 23);
	w = pk_writer_open(path, 0, &err);
	CHECK(w != NULL);
	if (!w) {
		free(big);
		return;
	}
	for (i = 0; i < 4000 && ok; i++) {
		ok = feed(w, &want, big, i);
		if (stat(pk_writer_temp_path(w), &st) != 0 ||
		    (size_t)st.st_size != want.len - want.len % block)
			sizes_ok = 0;
	}
	CHECK(ok);
	CHECK(sizes_ok);
	CHECK(want.len > 4 * block);
	CHECK_INT(pk_writer_commit(w, &err), PK_OK);
	got = pk_test_slurp(path, &len);
	CHECK(got && len == want.len && memcmp(got, want.data, len) == 0);
	free(got);
	free(big);
	pk_buf_free(&want);
	unlink(path);
}

/* The same writes to standard output as a pipe (big pieces go out as
 * they are, without a copy): a child copies the pipe to a file, which
 * must hold every byte in order. */
static void test_pipe(void)
{
	const char *path = tmp_path("pipe.jsonl");
	struct pk_writer *w;
	struct pk_error err;
	struct pk_buf want = PK_BUF_INIT;
	char *big, *got;
	size_t i, len;
	int fds[2], ok = 1, status = 0;
	pid_t pid;

	big = malloc(3 * 262144 + 12445);
	CHECK(big != NULL && pipe(fds) == 0);
	if (!big)
		return;
	for (i = 0; i < 3 * 262144 + 12445; i++)
		big[i] = (char)('A' + i % 23);
	pid = fork();
	if (pid == 0) {
		char b[65536];
		ssize_t k;
		int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		close(fds[1]);
		while ((k = read(fds[0], b, sizeof b)) > 0)
			if (write(out, b, (size_t)k) != k)
				_exit(1);
		_exit(k < 0 || close(out) < 0);
	}
	close(fds[0]);
	redirect_stdout(fds[1]);
	close(fds[1]);
	w = pk_writer_open("-", 0, &err);
	for (i = 0; w && i < 1000 && ok; i++)
		ok = feed(w, &want, big, i);
	ok = ok && w && pk_writer_commit(w, &err) == PK_OK;
	restore_stdout();
	CHECK(ok);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0);
	got = pk_test_slurp(path, &len);
	CHECK(got && len == want.len && memcmp(got, want.data, len) == 0);
	free(got);
	free(big);
	pk_buf_free(&want);
	unlink(path);
}

int main(void)
{
	umask(027);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/pk_test_writer.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_plain();
	test_room();
	test_blocks();
	test_abort();
	test_zstd();
	test_open_errors();
	test_stdout();
	test_pipe();
	test_epipe();
	test_full();
	rmdir(tmpdir);
	return pk_test_done();
}
