/* SPDX-License-Identifier: MIT */
/*
 * test_dedup.c - dedup keys and the pref-dedup operation (dedup.c): the
 * key texts written out by hand for each kind of key and normalization,
 * bad records, records kept by hand-made duplicates, and a tiny memory
 * budget giving byte for byte the output of an unbounded one.  The
 * operation's tests run twice: by pk_dedup_record(), and by
 * pk_dupkey_emit() then pk_dedup_keyed() (pref-dedup -j's way).
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_private.h"
#include "test.h"

static const char *tmpdir;
/* 1: records keyed by pk_dupkey_emit(), decided by pk_dedup_keyed() */
static int keyed;

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* The key text of record json under key spec and norm, or the error. */
static const char *text_of(const char *spec, unsigned norm, const char *json)
{
	static char out[512];
	struct pk_dupkey_opts o = {.key = spec, .norm = norm};
	struct pk_error err = {0};
	struct pk_dupkey *k = pk_dupkey_new(&o, &err);
	struct pk_record rec = PK_RECORD_INIT;
	const char *t;
	size_t n;

	if (!k) {
		snprintf(out, sizeof out, "new: %s", err.text);
		return out;
	}
	if (pk_scan_record(&rec, json, strlen(json), &err) != PK_OK)
		snprintf(out, sizeof out, "scan: %s", err.text);
	else if (pk_dupkey_text(k, &rec, &t, &n, &err) != PK_OK)
		snprintf(out, sizeof out, "error: %s", err.text);
	else
		snprintf(out, sizeof out, "%.*s", (int)n, t);
	pk_record_free(&rec);
	pk_dupkey_free(k);
	return out;
}

static void test_keys(void)
{
	const char *r = "{\"prompt\":\" Hi  there\",\"chosen\":\"A\","
			"\"rejected\":\"b\",\"meta\":{\"src\":\"X\",\"n\":1.0}}";
	unsigned char h[16], want[16];
	struct pk_dupkey *k;
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err = {0};

	CHECK_STR(text_of("pair", 0, r), "[\" Hi  there\",\"A\",\"b\"]");
	CHECK_STR(text_of(NULL, 0, r), "[\" Hi  there\",\"A\",\"b\"]");
	CHECK_STR(text_of("prompt", 0, r), "\" Hi  there\"");
	CHECK_STR(text_of("chosen", 0, r), "\"A\"");
	CHECK_STR(text_of("rejected", 0, r), "\"b\"");
	CHECK_STR(text_of("prompt", PK_NORM_SPACE, r), "\"Hi there\"");
	CHECK_STR(text_of("prompt", PK_NORM_CASE, r), "\" hi  there\"");
	CHECK_STR(text_of("pair", PK_NORM_SPACE | PK_NORM_CASE, r),
		  "[\"hi there\",\"a\",\"b\"]");
	/* fields and paths, values canonical (sorted keys, 1.0 as 1) */
	CHECK_STR(text_of("meta", 0, r), "{\"n\":1,\"src\":\"X\"}");
	CHECK_STR(text_of("meta", PK_NORM_CASE, r), "{\"n\":1,\"src\":\"x\"}");
	CHECK_STR(text_of("meta.src,chosen", 0, r), "[\"X\",\"A\"]");
	/* missing fields; the implicit prompt */
	CHECK_STR(text_of("meta.none", 0, r),
		  "error: missing field 'meta.none'");
	CHECK_STR(text_of("pair", 0, "{\"chosen\":\"a\",\"rejected\":\"b\"}"),
		  "error: missing field 'prompt' (and 'chosen' is not a conversation "
		  "to take the prompt from)");
	CHECK_STR(text_of("prompt", 0,
			  "{\"chosen\":[{\"role\":\"user\",\"content\":\"Q\"},"
			  "{\"role\":\"assistant\",\"content\":\"A\"}]}"),
		  "[{\"content\":\"Q\",\"role\":\"user\"}]");
	CHECK_STR(text_of("prompt,,chosen", 0, r),
		  "new: invalid key 'prompt,,chosen' (pair, prompt, chosen, "
		  "rejected or field names, separated by commas)");
	CHECK_STR(text_of("", 0, r),
		  "new: invalid key '' (pair, prompt, chosen, rejected or "
		  "field names, separated by commas)");

	/* the hash is XXH3-128 of that text */
	k = pk_dupkey_new(&(struct pk_dupkey_opts){.key = "prompt"}, &err);
	CHECK_INT(pk_scan_record(&rec, r, strlen(r), &err), PK_OK);
	CHECK_INT(pk_dupkey_hash(k, &rec, h, &err), PK_OK);
	pk_hash128("\" Hi  there\"", 12, want);
	CHECK_MEM(h, 16, want, 16);
	pk_record_free(&rec);
	pk_dupkey_free(k);
}

/* The output of pref-dedup's operation on lines, joined by '\n'. */
struct out {
	struct pk_buf b;
};

static int emit(void *ctx, const char *json, size_t len)
{
	struct out *o = ctx;

	pk_buf_append(&o->b, json, len);
	pk_buf_putc(&o->b, '\n');
	return PK_OK;
}

/* A sink that keeps one record (no newline), offering room or not. */
static int keep(void *ctx, const char *json, size_t len)
{
	struct out *o = ctx;

	return pk_buf_append(&o->b, json, len) < 0 ? PK_FATAL : PK_OK;
}

static char *keep_room(void *ctx, size_t n)
{
	struct out *o = ctx;

	if (pk_buf_reserve(&o->b, n + 1) < 0)
		return NULL;
	return o->b.data + o->b.len;
}

static int keep_commit(void *ctx, char *p, size_t len)
{
	struct out *o = ctx;

	(void)p;
	o->b.len += len;
	return PK_OK;
}

/* pk_dedup_record(d, rec), or with keyed the same through k; a kept
 * record's output text in *text. */
static int decide(struct pk_dedup *d, struct pk_dupkey *k,
		  const struct pk_record *rec, struct out *kb, int room,
		  const char **text, size_t *len, struct pk_error *err)
{
	struct pk_sink s = {keep, room ? keep_room : NULL, keep_commit, kb};
	int rc;

	*text = rec->text;
	*len = rec->len;
	if (!keyed)
		return pk_dedup_record(d, rec, err);
	pk_buf_reset(&kb->b);
	if ((rc = pk_dupkey_emit(k, rec, &s, err)) != PK_OK)
		return rc;
	if (kb->b.len > 16) { /* compacted; else the record as it is */
		*text = kb->b.data + 16;
		*len = kb->b.len - 16;
	}
	return pk_dedup_keyed(d, (const unsigned char *)kb->b.data, *text,
			      *len, err);
}

static char *dedup(const char *const *lines, size_t n, const char *spec,
		   unsigned norm, size_t memory, struct pk_dedup_stats *st)
{
	struct pk_dedup_opts o = {.key = {.key = spec, .norm = norm},
				  .memory = memory, .tmpdir = tmpdir};
	struct pk_error err = {0};
	struct pk_dedup *d = pk_dedup_new(&o, &err);
	struct pk_dupkey *k = pk_dupkey_new(&o.key, &err);
	struct out out = {PK_BUF_INIT}, kb = {PK_BUF_INIT};
	struct pk_sink sink = {emit, NULL, NULL, &out};
	struct pk_record rec = PK_RECORD_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *t;
		size_t len;
		int rc;

		pk_scan_record(&rec, lines[i], strlen(lines[i]), &err);
		rc = decide(d, k, &rec, &kb, (int)(i % 2), &t, &len, &err);
		if (rc == PK_DEDUP_KEEP && !keyed) { /* as pref-dedup writes it */
			pk_buf_reset(&kb.b);
			pk_compact(&kb.b, t, len);
			t = kb.b.data;
			len = kb.b.len;
		}
		if (rc == PK_DEDUP_KEEP)
			emit(&out, t, len);
		else if (rc == PK_BAD_RECORD)
			pk_buf_puts(&out.b, "BAD\n");
		else if (rc < 0)
			printf("# pk_dedup_record: %s\n", err.text);
	}
	if (pk_dedup_finish(d, &sink, &err) != PK_OK)
		printf("# pk_dedup_finish: %s\n", err.text);
	pk_dedup_get_stats(d, st);
	pk_dedup_free(d);
	pk_dupkey_free(k);
	pk_buf_free(&kb.b);
	pk_record_free(&rec);
	if (!out.b.data)
		pk_buf_puts(&out.b, "");
	return pk_buf_take(&out.b);
}

static void test_by_hand(void)
{
	static const char *const in[] = {
		"{\"prompt\":\"Q1\",\"chosen\":\"a\",\"rejected\":\"b\"}",
		"{\"prompt\":\"Q1\",\"chosen\":\"a\",\"rejected\":\"c\"}",
		"{\"prompt\":\" q1 \",\"chosen\":\"a\",\"rejected\":\"b\"}",
		"{\"rejected\":\"b\",\"chosen\":\"a\",\"prompt\":\"Q1\"}",
		"{\"prompt\":\"Q2\",\"chosen\":\"A\",\"rejected\":\"b\"}",
		"{\"prompt\":\"Q1\",\"chosen\":\"a\"}",
	};
	struct pk_dedup_stats st;
	char *got;

	/* pair: lines 4 (same fields in another order) is a duplicate of
	 * 1; line 6 has no rejected */
	got = dedup(in, 6, "pair", 0, 0, &st);
	CHECK_STR(got, "{\"prompt\":\"Q1\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		  "{\"prompt\":\"Q1\",\"chosen\":\"a\",\"rejected\":\"c\"}\n"
		  "{\"prompt\":\" q1 \",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		  "{\"prompt\":\"Q2\",\"chosen\":\"A\",\"rejected\":\"b\"}\n"
		  "BAD\n");
	CHECK_INT(st.kept, 4);
	CHECK_INT(st.dropped, 1);
	free(got);
	/* pair, space and case: line 3 is line 1 too */
	got = dedup(in, 6, "pair", PK_NORM_SPACE | PK_NORM_CASE, 0, &st);
	CHECK_STR(got, "{\"prompt\":\"Q1\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		  "{\"prompt\":\"Q1\",\"chosen\":\"a\",\"rejected\":\"c\"}\n"
		  "{\"prompt\":\"Q2\",\"chosen\":\"A\",\"rejected\":\"b\"}\n"
		  "BAD\n");
	CHECK_INT(st.dropped, 2);
	free(got);
	/* space alone does not fold case: " q1 " -> "q1" != "Q1" */
	got = dedup(in, 6, "prompt", PK_NORM_SPACE, 0, &st);
	CHECK_STR(got, "{\"prompt\":\"Q1\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		  "{\"prompt\":\" q1 \",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		  "{\"prompt\":\"Q2\",\"chosen\":\"A\",\"rejected\":\"b\"}\n");
	CHECK_INT(st.dropped, 3);
	free(got);
	/* chosen, case-folded: "A" of line 5 is "a" */
	got = dedup(in, 6, "chosen", PK_NORM_CASE, 0, &st);
	CHECK_STR(got, "{\"prompt\":\"Q1\",\"chosen\":\"a\",\"rejected\":\"b\"}\n");
	CHECK_INT(st.kept, 1);
	CHECK_INT(st.dropped, 5);
	free(got);
	/* a field list */
	got = dedup(in, 6, "rejected,chosen", 0, 0, &st);
	CHECK_STR(got, "{\"prompt\":\"Q1\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
		  "{\"prompt\":\"Q1\",\"chosen\":\"a\",\"rejected\":\"c\"}\n"
		  "{\"prompt\":\"Q2\",\"chosen\":\"A\",\"rejected\":\"b\"}\n"
		  "BAD\n");
	free(got);
}

/* Generated records with many duplicates: a budget so small that the
 * keys are written out again and again gives the same bytes. */
static void test_tiny_memory(void)
{
	size_t n = 30000, i;
	char **lines = calloc(n, sizeof *lines);
	uint64_t r = 12345;
	struct pk_dedup_stats big, tiny;
	char *a, *b;
	int fds = count_entries("/proc/self/fd");
	static unsigned char seen[16][1500];
	struct pk_buf want = PK_BUF_INIT;

	memset(seen, 0, sizeof seen);
	for (i = 0; i < n; i++) {
		char t[128];
		unsigned q, c;

		r = r * 6364136223846793005ull + 1442695040888963407ull;
		q = (unsigned)(r >> 60);
		c = (unsigned)((r >> 33) % 1500);
		snprintf(t, sizeof t,
			 "{\"prompt\":\"q%u\",\"chosen\":\"c%u\","
			 "\"rejected\":\"r\",\"n\":%zu}", q, c, i);
		/* every third record with white space, written compacted */
		if (i % 3 == 0) {
			char sp[140];

			snprintf(sp, sizeof sp, " %.*s, \"s\" : [ 1 ]}",
				 (int)strlen(t) - 1, t);
			snprintf(t + strlen(t) - 1, sizeof t - strlen(t) + 1,
				 ",\"s\":[1]}");
			lines[i] = strdup(sp);
		} else {
			lines[i] = strdup(t);
		}
		if (!seen[q][c]++) {
			pk_buf_puts(&want, t);
			pk_buf_putc(&want, '\n');
		}
	}
	a = dedup((const char *const *)lines, n, "prompt,chosen", 0, 0, &big);
	b = dedup((const char *const *)lines, n, "prompt,chosen", 0, 4 << 10,
		  &tiny);
	CHECK(strcmp(a, want.data) == 0);
	CHECK(strcmp(a, b) == 0);
	pk_buf_free(&want);
	CHECK_INT(big.held, 0);
	CHECK(tiny.key_tables_spilled > 10);
	CHECK(tiny.held > 1000);
	CHECK_INT(tiny.kept, big.kept);
	CHECK_INT(tiny.dropped, big.dropped);
	CHECK_INT(big.kept + big.dropped, n);
	printf("# %llu kept, %llu dropped; tiny: %llu tables, %llu held\n",
	       big.kept, big.dropped, tiny.key_tables_spilled, tiny.held);
	free(a);
	free(b);
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	CHECK_INT(count_entries(tmpdir), 0);
	CHECK_INT(count_entries("/proc/self/fd"), fds);
}

/* pk_dupkey_emit(): the key (pk_dupkey_hash's), then the record
 * compacted, with the sink's room or without; the key alone for a record
 * that is compact as it stands. */
static void test_keyed(void)
{
	const char *json = "{ \"prompt\" : \"p\", \"chosen\":[ 1, 2 ] ,\"rejected\":\"r s\" }";
	const char *compact = "{\"prompt\":\"p\",\"chosen\":[1,2],\"rejected\":\"r s\"}";
	struct pk_dupkey_opts o = {0};
	struct pk_dedup_opts dopts = {.tmpdir = NULL};
	struct pk_error err = {0};
	struct pk_dupkey *k = pk_dupkey_new(&o, &err);
	struct pk_dedup *d = pk_dedup_new(&dopts, &err);
	struct pk_record rec = PK_RECORD_INIT;
	struct out kb = {PK_BUF_INIT};
	unsigned char key[16];
	int room;

	CHECK_INT(pk_scan_record(&rec, json, strlen(json), &err), PK_OK);
	CHECK_INT(pk_dupkey_hash(k, &rec, key, &err), PK_OK);
	for (room = 0; room < 2; room++) {
		struct pk_sink s = {keep, room ? keep_room : NULL, keep_commit, &kb};

		pk_buf_reset(&kb.b);
		CHECK_INT(pk_dupkey_emit(k, &rec, &s, &err), PK_OK);
		CHECK_INT(kb.b.len, 16 + strlen(compact));
		CHECK(memcmp(kb.b.data, key, 16) == 0);
		CHECK(memcmp(kb.b.data + 16, compact, strlen(compact)) == 0);
		CHECK_INT(pk_dedup_keyed(d, (const unsigned char *)kb.b.data,
					 kb.b.data + 16, kb.b.len - 16, &err),
			  room ? PK_DEDUP_DROP : PK_DEDUP_KEEP);
	}
	CHECK_INT(pk_scan_record(&rec, compact, strlen(compact), &err), PK_OK);
	pk_buf_reset(&kb.b);
	CHECK_INT(pk_dupkey_emit(k, &rec, &(struct pk_sink){keep, keep_room, keep_commit, &kb}, &err),
		  PK_OK);
	CHECK_INT(kb.b.len, 16);
	CHECK(memcmp(kb.b.data, key, 16) == 0);
	/* a record without the key's fields */
	CHECK_INT(pk_scan_record(&rec, "{\"prompt\":\"p\"}", 14, &err), PK_OK);
	CHECK_INT(pk_dupkey_emit(k, &rec, &(struct pk_sink){keep, NULL, NULL, &kb}, &err),
		  PK_BAD_RECORD);
	CHECK_STR(err.text, "missing field 'chosen'");
	pk_buf_free(&kb.b);
	pk_record_free(&rec);
	pk_dupkey_free(k);
	pk_dedup_free(d);
}

int main(void)
{
	char dir[] = "/tmp/pk-dedup.XXXXXX";

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	tmpdir = dir;
	test_keys();
	test_keyed();
	for (keyed = 0; keyed < 2; keyed++) {
		test_by_hand();
		test_tiny_memory();
	}
	rmdir(dir);
	return pk_test_done();
}
