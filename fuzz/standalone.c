/* SPDX-License-Identifier: MIT */
/*
 * standalone.c - a main() for fuzz targets without libFuzzer: feeds every
 * file named on the command line, or every file in a directory argument
 * (in name order), to LLVMFuzzerTestOneInput and prints TAP, so that
 * `make check` replays the fuzz corpus.  A target reports a failure by
 * aborting.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n_run;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL, *p;
	size_t len = 0, cap = 0, got;

	if (!f) {
		printf("not ok %d - %s: cannot open\n", ++n_run, path);
		return 1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			p = realloc(data, cap);
			if (!p) {
				fclose(f);
				free(data);
				printf("not ok %d - %s: out of memory\n", ++n_run,
				       path);
				return 1;
			}
			data = p;
		}
		got = fread(data + len, 1, cap - len, f);
		if (!got)
			break;
		len += got;
	}
	fclose(f);
	/* an exact-size copy, so that ASan sees reads past the end */
	p = malloc(len ? len : 1);
	if (p && len)
		memcpy(p, data, len);
	free(data);
	if (!p) {
		printf("not ok %d - %s: out of memory\n", ++n_run, path);
		return 1;
	}
	fflush(stdout);
	LLVMFuzzerTestOneInput(p, len);
	free(p);
	printf("ok %d - %s\n", ++n_run, path);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, **nn;
	size_t n = 0, k;
	int bad = 0;

	if (!d) {
		printf("not ok %d - %s: cannot open\n", ++n_run, dir);
		return 1;
	}
	while ((de = readdir(d))) {
		char *path;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		path = malloc(strlen(dir) + strlen(de->d_name) + 2);
		nn = realloc(names, (n + 1) * sizeof *names);
		if (!path || !nn) {
			free(path);
			bad = 1;
			break;
		}
		names = nn;
		sprintf(path, "%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			names[n++] = path;
		else
			free(path);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	for (k = 0; k < n; k++) {
		bad |= run_file(names[k]);
		free(names[k]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	int k, bad = 0;

	for (k = 1; k < argc; k++) {
		struct stat st;

		if (stat(argv[k], &st) == 0 && S_ISDIR(st.st_mode))
			bad |= run_dir(argv[k]);
		else
			bad |= run_file(argv[k]);
	}
	printf("1..%d\n", n_run);
	return bad;
}
