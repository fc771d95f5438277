/* SPDX-License-Identifier: MIT */
/* hash.c - XXH3 hashes used for group ids, dedup keys and seeded order. */
#include "config.h"

#include <stdio.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "pk_private.h"

uint64_t pk_hash64(const void *p, size_t n, uint64_t seed)
{
	return XXH3_64bits_withSeed(p, n, seed);
}

void pk_hash128_hex(const void *p, size_t n, char out[33])
{
	XXH128_hash_t h = XXH3_128bits(p, n);

	snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64,
		 (unsigned long long)h.low64);
}

void pk_hash128(const void *p, size_t n, unsigned char out[16])
{
	XXH128_hash_t h = XXH3_128bits(p, n);
	int i;

	for (i = 0; i < 8; i++) {
		out[i] = (unsigned char)(h.high64 >> (56 - 8 * i));
		out[8 + i] = (unsigned char)(h.low64 >> (56 - 8 * i));
	}
}
