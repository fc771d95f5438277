/* SPDX-License-Identifier: MIT */
/*
 * test_split.c - the decision of pref-split (split.c): the group key and
 * its hash, the exact test threshold, the shard formula (expected values
 * from Python: mix as documented in prefkit.h, part = (mix(u) * N) >> 64),
 * and bad records.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

static struct pk_splitter *make(double test, unsigned long shards,
				uint64_t seed, const char *by)
{
	struct pk_split_opts o = {test, shards, seed, by, NULL, NULL};
	struct pk_error err = {0};
	struct pk_splitter *s = pk_splitter_new(&o, &err);

	CHECK(s != NULL);
	return s;
}

/* The key hash of the record text. */
static uint64_t key_of(struct pk_splitter *s, const char *text, int want_rc,
		       const char *want_msg)
{
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err = {0};
	uint64_t u = 0;

	CHECK_INT(pk_scan_record(&rec, text, strlen(text), &err), PK_OK);
	CHECK_INT(pk_split_key(s, &rec, &u, &err), want_rc);
	if (want_msg)
		CHECK_STR(err.text, want_msg);
	pk_record_free(&rec);
	return u;
}

int main(void)
{
	struct pk_splitter *s;
	struct pk_error err = {0};
	struct pk_split_opts bad = {1.5, 0, 0, NULL, NULL, NULL};

	/* the mix, against Python's values */
	CHECK(pk_split_mix(0) == 0);
	CHECK(pk_split_mix(1) == 0x5692161d100b05e5ULL);
	CHECK(pk_split_mix(0x7fa86191cb5433a3ULL) == 0x587cc942a150bf75ULL);
	CHECK(pk_split_mix(UINT64_MAX) == 0xb4d055fcf2cbbd7bULL);

	/* shards: (mix(u) * N) >> 64 */
	s = make(0, 3, 0, NULL);
	CHECK_INT(pk_split_part_of(s, 1), 1);
	CHECK_INT(pk_split_part_of(s, UINT64_MAX), 2);
	CHECK_INT(pk_split_part_of(s, 0), 0);
	pk_splitter_free(s);
	s = make(0, 99999, 0, NULL);
	CHECK_INT(pk_split_part_of(s, 1), 33816);
	CHECK_INT(pk_split_part_of(s, 0x7fa86191cb5433a3ULL), 34565);
	CHECK_INT(pk_split_part_of(s, 0x471d68e036f73c27ULL), 47485);
	CHECK_INT(pk_split_part_of(s, UINT64_MAX), 70629);
	pk_splitter_free(s);
	s = make(0, 7, 0, NULL);
	CHECK_INT(pk_split_part_of(s, 0x471d68e036f73c27ULL), 3);
	pk_splitter_free(s);
	s = make(0, 1, 0, NULL);
	CHECK_INT(pk_split_part_of(s, UINT64_MAX), 0);
	pk_splitter_free(s);

	/* test: u < F * 2^64, exactly */
	s = make(0.25, 0, 0, NULL);
	CHECK_INT(pk_split_part_of(s, (1ULL << 62) - 1), 1);
	CHECK_INT(pk_split_part_of(s, 1ULL << 62), 0);
	pk_splitter_free(s);
	s = make(0.5, 0, 0, NULL);
	CHECK_INT(pk_split_part_of(s, 0x7fffffffffffffffULL), 1);
	CHECK_INT(pk_split_part_of(s, 0x8000000000000000ULL), 0);
	pk_splitter_free(s);
	s = make(ldexp(1, -70), 0, 0, NULL); /* F * 2^64 = 1/64 */
	CHECK_INT(pk_split_part_of(s, 0), 1);
	CHECK_INT(pk_split_part_of(s, 1), 0);
	pk_splitter_free(s);
	s = make(0, 0, 0, NULL);
	CHECK_INT(pk_split_part_of(s, 0), 0);
	pk_splitter_free(s);
	s = make(1, 0, 0, NULL);
	CHECK_INT(pk_split_part_of(s, UINT64_MAX), 1);
	pk_splitter_free(s);
	s = make(1 - ldexp(1, -53), 0, 0, NULL); /* threshold 2^64 - 2^11 */
	CHECK_INT(pk_split_part_of(s, UINT64_MAX - 2048), 1);
	CHECK_INT(pk_split_part_of(s, UINT64_MAX - 2047), 0);
	pk_splitter_free(s);
	CHECK(pk_splitter_new(&bad, &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	bad.test = NAN;
	CHECK(pk_splitter_new(&bad, &err) == NULL);

	/* the key: with seed 0 the prompt's group id ("hello": xxhsum -H3
	 * of the 7 bytes "hello" with quotes; the message list: of
	 * [{"content":"hi","role":"user"}]) */
	s = make(0.5, 0, 0, NULL);
	CHECK(key_of(s, "{\"prompt\":\"hello\",\"chosen\":\"a\"}", PK_OK, NULL) ==
	      0x7fa86191cb5433a3ULL);
	CHECK(key_of(s, "{\"chosen\":\"a\", \"prompt\" : \"hell\\u006f\"}", PK_OK,
		     NULL) == 0x7fa86191cb5433a3ULL);
	CHECK(key_of(s, "{\"prompt\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
		     PK_OK, NULL) == 0x471d68e036f73c27ULL);
	/* an implicit prompt: the conversation but its last message */
	CHECK(key_of(s, "{\"chosen\":[{\"content\":\"hi\",\"role\":\"user\"},"
			"{\"role\":\"assistant\",\"content\":\"A\"}],"
			"\"rejected\":[{\"content\":\"hi\",\"role\":\"user\"},"
			"{\"role\":\"assistant\",\"content\":\"B\"}]}",
		     PK_OK, NULL) == 0x471d68e036f73c27ULL);
	key_of(s, "{\"chosen\":\"a\",\"rejected\":\"b\"}", PK_BAD_RECORD,
	       "missing field 'prompt' (and 'chosen' is not a conversation to take "
	       "the prompt from)");
	{
		struct pk_record rec = PK_RECORD_INIT;
		const char *t = "{\"prompt\":\"hello\"}";
		size_t part = 9;

		CHECK_INT(pk_scan_record(&rec, t, strlen(t), &err), PK_OK);
		CHECK_INT(pk_split_record(s, &rec, &part, &err), PK_OK);
		CHECK_INT(part, 1); /* 0x7fa8... < 2^63: test */
		pk_record_free(&rec);
	}
	pk_splitter_free(s);
	/* the seed goes into the hash */
	s = make(0.5, 0, 42, NULL);
	CHECK(key_of(s, "{\"prompt\":\"hello\"}", PK_OK, NULL) ==
	      pk_hash64("\"hello\"", 7, 42));
	pk_splitter_free(s);
	/* --by field=NAME, dotted paths, any value */
	s = make(0.5, 0, 0, "meta.source");
	CHECK(key_of(s, "{\"prompt\":\"x\",\"meta\":{\"source\":\"hello\"}}",
		     PK_OK, NULL) == 0x7fa86191cb5433a3ULL);
	CHECK(key_of(s, "{\"meta\":{\"source\":{\"b\":1,\"a\":2}}}", PK_OK, NULL) ==
	      pk_hash64("{\"a\":2,\"b\":1}", 13, 0));
	key_of(s, "{\"prompt\":\"x\",\"meta\":{}}", PK_BAD_RECORD,
	       "missing field 'meta.source'");
	pk_splitter_free(s);
	return pk_test_done();
}
