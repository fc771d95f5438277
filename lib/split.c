/* SPDX-License-Identifier: MIT */
/*
 * split.c - the decision of pref-split (SPEC 3.9): which part a record
 * goes to depends only on its group key and the seed, never on its
 * position or on the other records, so a prompt never lands on two sides
 * and the split is stable as the data grows.
 *
 * u = XXH3-64, seeded with --seed, of the canonical text of the group key
 * (the prompt by default; with seed 0 u is the record's group id, SPEC
 * 1.4).  A test split puts a record in the test part when u < F * 2^64.
 * Shards take floor(mix(u) * N / 2^64), where mix is the SplitMix64
 * finalizer (Steele, Lea and Flood 2014): a bijection whose high bits do
 * not follow u's, so that splitting a train part again into shards with
 * the same seed still fills every shard.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_private.h"

struct pk_splitter {
	unsigned long shards;      /* 0: a test split */
	uint64_t threshold;        /* test iff u < threshold, or */
	int all_test;              /* F = 1: every record */
	uint64_t seed;
	int by_prompt;
	struct pk_field key;       /* the field read: --by field=, or prompt */
	struct pk_field chosen;    /* for an implicit prompt */
	const char *key_name;      /* for messages */
	struct pk_canon canon;
	struct pk_buf implicit;
};

struct pk_splitter *pk_splitter_new(const struct pk_split_opts *o,
				    struct pk_error *err)
{
	struct pk_splitter *s;

	if (o->shards == 0 && !(o->test >= 0 && o->test <= 1)) {
		pk_error_set(err, PK_ERR_USAGE,
			     "the test fraction must be from 0 to 1");
		return NULL;
	}
	if (!(s = calloc(1, sizeof *s))) {
		pk_nomem(err);
		return NULL;
	}
	s->shards = o->shards;
	s->seed = o->seed;
	if (o->shards == 0) {
		/* F * 2^64 is exact in a double; u < F * 2^64 for an integer
		 * u is u < ceil(F * 2^64) */
		double x = ldexp(o->test, 64);

		if (o->test >= 1) {
			s->all_test = 1;
		} else {
			s->threshold = (uint64_t)x;
			if ((double)s->threshold < x)
				s->threshold++;
		}
	}
	s->by_prompt = o->by == NULL;
	s->key_name = o->by ? o->by : o->prompt_field ? o->prompt_field
						       : "prompt";
	pk_field_init(&s->key, s->key_name);
	pk_field_init(&s->chosen, o->chosen_field ? o->chosen_field : "chosen");
	return s;
}

void pk_splitter_free(struct pk_splitter *s)
{
	if (!s)
		return;
	pk_canon_free(&s->canon);
	pk_buf_free(&s->implicit);
	free(s);
}

int pk_split_key(struct pk_splitter *s, const struct pk_record *rec,
		 uint64_t *u, struct pk_error *err)
{
	struct pk_value v, c;

	if (pk_record_field(rec, &s->key, &v))
		return pk_canonical_hash64(rec->text + v.off, v.len, s->seed,
					   &s->canon, u, err);
	if (!s->by_prompt)
		return pk_error_set(err, PK_ERR_DATA, "missing field '%s'",
				    s->key_name);
	/* SPEC 1.2: no prompt, whole conversations in chosen/rejected */
	if (!pk_record_field(rec, &s->chosen, &c) || c.type != PK_T_ARRAY ||
	    !pk_is_message_list(rec->text + c.off, c.len))
		return pk_error_set(err, PK_ERR_DATA,
				    "missing field '%s' (and '%s' is not a "
				    "conversation to take the prompt from)",
				    s->key_name, s->chosen.path);
	if (pk_implicit_prompt(rec->text + c.off, c.len, &s->implicit) < 0)
		return pk_nomem(err);
	return pk_canonical_hash64(s->implicit.data, s->implicit.len, s->seed,
				   &s->canon, u, err);
}

uint64_t pk_split_mix(uint64_t u)
{
	u = (u ^ (u >> 30)) * 0xbf58476d1ce4e5b9ULL;
	u = (u ^ (u >> 27)) * 0x94d049bb133111ebULL;
	return u ^ (u >> 31);
}

/* The high 64 bits of a * b. */
static uint64_t mulhi(uint64_t a, uint64_t b)
{
	uint64_t al = a & 0xffffffffu, ah = a >> 32;
	uint64_t bl = b & 0xffffffffu, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);

	return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

size_t pk_split_part_of(const struct pk_splitter *s, uint64_t u)
{
	if (s->shards)
		return (size_t)mulhi(pk_split_mix(u), s->shards);
	return s->all_test || u < s->threshold;
}

int pk_split_record(struct pk_splitter *s, const struct pk_record *rec,
		    size_t *part, struct pk_error *err)
{
	uint64_t u;
	int rc = pk_split_key(s, rec, &u, err);

	if (rc == PK_OK)
		*part = pk_split_part_of(s, u);
	return rc;
}
