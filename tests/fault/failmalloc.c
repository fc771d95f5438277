/* SPDX-License-Identifier: MIT */
/*
 * failmalloc.c - an LD_PRELOAD shim that fails one allocation, for the
 * allocation-failure tests (tests/fault/alloc.test).
 *
 *   PK_FAIL_AT=N     the Nth allocation (malloc, calloc, realloc,
 *                    posix_memalign, aligned_alloc, memalign; counted
 *                    from 1 after the program's start-up) returns NULL
 *                    with errno ENOMEM; every other one succeeds.  0 or
 *                    unset: none fails.
 *   PK_FAIL_LOG=FILE at exit, "count N" (the allocations made); and for
 *                    the failed one, "site" and the return addresses of
 *                    its callers, each as OBJECT+0xOFFSET for addr2line.
 *
 * It calls glibc's own __libc_* functions, so it needs no dlsym (which
 * allocates).  Not for sanitizer builds, which replace malloc themselves.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t k);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t a, size_t n);
extern void __libc_free(void *p);

void *malloc(size_t n);
void *calloc(size_t n, size_t k);
void *realloc(void *p, size_t n);
void free(void *p);
int posix_memalign(void **out, size_t a, size_t n);
void *aligned_alloc(size_t a, size_t n);
void *memalign(size_t a, size_t n);

static unsigned long long fail_at, count;
static int armed, inside;
#define MAXFRAMES 12
static void *frames[MAXFRAMES];
static int nframes = -1;

static void __attribute__((constructor)) arm(void)
{
	const char *s = getenv("PK_FAIL_AT");
	void *warm[2];

	/* backtrace() loads libgcc_s on its first call: do it now */
	inside = 1;
	backtrace(warm, 2);
	inside = 0;
	fail_at = s ? strtoull(s, NULL, 10) : 0;
	armed = 1;
}

/* Written with write(2): stdio may be what failed. */
static void put(int fd, const char *s)
{
	ssize_t k = write(fd, s, strlen(s));

	(void)k;
}

static void __attribute__((destructor)) report(void)
{
	const char *path = getenv("PK_FAIL_LOG");
	char line[512], exe[400];
	ssize_t k;
	int fd, i;

	armed = 0;
	if (!path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	snprintf(line, sizeof line, "count %llu\n", count);
	put(fd, line);
	k = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[k > 0 ? k : 0] = '\0';
	for (i = 2; i < nframes; i++) { /* 0, 1: fail_now and malloc */
		Dl_info info;

		if (dladdr(frames[i], &info) && info.dli_fname)
			snprintf(line, sizeof line, "site %s+0x%lx\n",
				 strchr(info.dli_fname, '/') || !exe[0]
					 ? info.dli_fname : exe,
				 (unsigned long)((char *)frames[i] -
						 (char *)info.dli_fbase) - 1);
		else
			snprintf(line, sizeof line, "site ?+%p\n", frames[i]);
		put(fd, line);
	}
	close(fd);
}

/* Should this allocation fail? */
static int fail_now(void)
{
	if (!armed || inside)
		return 0;
	if (++count != fail_at)
		return 0;
	inside = 1;
	nframes = backtrace(frames, MAXFRAMES);
	inside = 0;
	errno = ENOMEM;
	return 1;
}

void *malloc(size_t n)
{
	return fail_now() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t k)
{
	return fail_now() ? NULL : __libc_calloc(n, k);
}

void *realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __libc_realloc(p, n);
}

void free(void *p)
{
	__libc_free(p);
}

void *memalign(size_t a, size_t n)
{
	return fail_now() ? NULL : __libc_memalign(a, n);
}

void *aligned_alloc(size_t a, size_t n)
{
	return fail_now() ? NULL : __libc_memalign(a, n);
}

int posix_memalign(void **out, size_t a, size_t n)
{
	void *p;

	if (fail_now())
		return ENOMEM;
	p = __libc_memalign(a, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
