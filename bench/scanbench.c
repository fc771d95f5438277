/* SPDX-License-Identifier: MIT */
/*
 * scanbench.c - the scanner alone, on each of its code paths: reads FILE
 * into memory, then scans every line with pk_scan_record ROUNDS times per
 * path (default 5) and prints the best CPU time and the bytes per second,
 * and the time of the path's UTF-8 validator alone over the same lines.
 * No I/O, no output: what the SIMD paths change, without what they do
 * not (reading, compaction, writing).  Built on demand:
 *     make bench/scanbench && bench/scanbench FILE [ROUNDS]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pk_private.h"
#include "scan_simd.h"

static double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct pk_record rec = PK_RECORD_INIT;
	size_t n = 0, cap = 1 << 20, got;
	char *d = malloc(cap);
	FILE *f;
	int rounds = argc > 2 ? atoi(argv[2]) : 5, p, r;

	if (argc < 2 || !d || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: scanbench FILE [ROUNDS]\n");
		return 2;
	}
	while ((got = fread(d + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap && !(d = realloc(d, cap *= 2)))
			return 2;
	}
	fclose(f);
	printf("| path | scan CPU s (best of %d) | MB/s | UTF-8 validator alone, CPU s |\n"
	       "|---|---|---|---|\n", rounds);
	for (p = PK_SCAN_SCALAR; p < PK_SCAN_PATHS; p++) {
		double best = 1e30, t, u;
		size_t bad = 0;
		char *s, *e = d + n, *nl;

		if (pk_scan_set_path((enum pk_scan_path)p) != PK_OK)
			continue;
		for (r = 0; r < rounds; r++) {
			t = cpu_now();
			for (s = d; s < e; s = nl + 1) {
				nl = memchr(s, '\n', (size_t)(e - s));
				if (!nl)
					nl = e;
				if (pk_scan_record(&rec, s, (size_t)(nl - s), NULL) != PK_OK)
					bad++;
			}
			t = cpu_now() - t;
			if (t < best)
				best = t;
		}
		u = cpu_now();
		for (s = d; s < e; s = nl + 1) {
			nl = memchr(s, '\n', (size_t)(e - s));
			if (!nl)
				nl = e;
			pk_utf8_valid_path((enum pk_scan_path)p,
					   (const unsigned char *)s, (size_t)(nl - s));
		}
		u = cpu_now() - u;
		if (p == PK_SCAN_SCALAR)
			printf("| %s | %.3f | %.0f | none (checked in strings) |\n",
			       pk_scan_path_name((enum pk_scan_path)p), best,
			       (double)n / best / 1e6);
		else
			printf("| %s | %.3f | %.0f | %.3f |\n",
			       pk_scan_path_name((enum pk_scan_path)p), best,
			       (double)n / best / 1e6, u);
		if (bad)
			printf("(%zu lines rejected per round)\n", bad / (size_t)rounds);
	}
	pk_record_free(&rec);
	free(d);
	return 0;
}
