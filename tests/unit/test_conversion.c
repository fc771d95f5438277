/* SPDX-License-Identifier: MIT */
/* test_conversion.c - pref-convert's operation on one record (pk_convert,
 * lib/conversion.c).  Expected records are written by hand from SPEC 1.2,
 * 1.3 and 3.6; every case runs twice, through a sink that offers room in
 * the caller's buffer and through one that only takes emitted records. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

static struct pk_buf got = PK_BUF_INIT;
static struct pk_error err;

static int collect(void *ctx, const char *json, size_t len)
{
	(void)ctx;
	pk_buf_append(&got, json, len);
	return pk_buf_putc(&got, '\n');
}

static char *room(void *ctx, size_t n)
{
	(void)ctx;
	return pk_buf_reserve(&got, n + 1) < 0 ? NULL : got.data + got.len;
}

static int commit(void *ctx, char *p, size_t len)
{
	(void)ctx;
	if (p != got.data + got.len)
		return PK_FATAL;
	got.len += len;
	return pk_buf_putc(&got, '\n');
}

/* Convert the one record in, with a room sink or not; got holds the
 * records, each ended by '\n'. */
static int convert(const struct pk_convert_opts *o, const char *in,
		   int with_room, struct pk_convert **keep)
{
	struct pk_convert *c = pk_convert_new(o, &err);
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_sink room_sink = {collect, room, commit, NULL};
	struct pk_sink emit_sink = {collect, NULL, NULL, NULL};
	int rc;

	pk_buf_reset(&got);
	if (!c)
		return PK_FATAL;
	pk_error_clear(&err);
	rc = pk_scan_record(&rec, in, strlen(in), &err);
	if (rc == PK_OK)
		rc = pk_convert_record(c, &rec, with_room ? &room_sink : &emit_sink,
				       &err);
	pk_record_free(&rec);
	if (keep)
		*keep = c;
	else
		pk_convert_free(c);
	return rc;
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char pair[] = "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"id\":7}";

static void pairs(int with_room)
{
	struct pk_convert_opts o;

	pk_convert_opts_init(&o);
	o.from = "trl";
	CHECK_INT(convert(&o, pair, with_room, NULL), PK_OK);
	CHECK_STR(got.data, "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"id\":7}\n");

	/* SPEC 1.2: a string is one user (prompt) or assistant message */
	o.to = PK_CONVERT_CONVERSATIONAL;
	o.format.conversational = 1;
	CHECK_INT(convert(&o, pair, with_room, NULL), PK_OK);
	CHECK_STR(got.data, "{\"prompt\":[{\"role\":\"user\",\"content\":\"p\"}],"
			    "\"chosen\":[{\"role\":\"assistant\",\"content\":\"a\"}],"
			    "\"rejected\":[{\"role\":\"assistant\",\"content\":\"b\"}],\"id\":7}\n");

	/* KTO's unpaired form: chosen labelled true, rejected false */
	pk_convert_opts_init(&o);
	o.from = "trl";
	o.to = PK_CONVERT_UNPAIRED;
	CHECK_INT(convert(&o, pair, with_room, NULL), PK_OK);
	CHECK_STR(got.data, "{\"prompt\":\"p\",\"completion\":\"a\",\"label\":true,\"id\":7}\n"
			    "{\"prompt\":\"p\",\"completion\":\"b\",\"label\":false,\"id\":7}\n");

	/* a two-response list: chosen rank 1, rejected rank 2 */
	o.to = PK_CONVERT_LISTS;
	CHECK_INT(convert(&o, pair, with_room, NULL), PK_OK);
	CHECK_STR(got.data, "{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\",\"rank\":1},"
			    "{\"text\":\"b\",\"rank\":2}],\"id\":7}\n");

	/* no rejected: a bad record, nothing written */
	o.to = PK_CONVERT_NATIVE;
	CHECK_INT(convert(&o, "{\"prompt\":\"p\",\"chosen\":\"a\"}", with_room, NULL),
		  PK_BAD_RECORD);
	CHECK_INT(err.kind, PK_ERR_DATA);
	CHECK_INT(got.len, 0);
}

static void lists(int with_room)
{
	struct pk_convert_opts o;
	struct pk_convert *c = NULL;
	const char *name;
	unsigned long long v;
	char *second;

	pk_convert_opts_init(&o);
	o.from = "lists";
	o.to = PK_CONVERT_PAIRS;
	/* best-vs-rest (SPEC 1.3): x (3) against z (2), then against y (1) */
	CHECK_INT(convert(&o, "{\"prompt\":\"q\",\"responses\":[{\"text\":\"x\",\"score\":3},"
			      "{\"text\":\"y\",\"score\":1},{\"text\":\"z\",\"score\":2}]}",
			  with_room, &c), PK_OK);
	CHECK(starts(got.data, "{\"prompt\":\"q\",\"chosen\":\"x\",\"rejected\":\"z\","
			       "\"score_chosen\":3,\"score_rejected\":2,\"group_id\":\""));
	second = strchr(got.data, '\n');
	CHECK(second && starts(second + 1, "{\"prompt\":\"q\",\"chosen\":\"x\",\"rejected\":\"y\","
					   "\"score_chosen\":3,\"score_rejected\":1,\"group_id\":\""));
	/* the same group id (of the prompt) on both, 16 hex digits */
	CHECK(second && strlen(second + 1) == (size_t)(second - got.data) + 1 &&
	      memcmp(got.data + 90, second + 91, 18) == 0 &&
	      strspn(got.data + 90, "0123456789abcdef") == 16);
	/* the reader's counter, then the expansion's */
	CHECK_STR(pk_convert_counter(c, 0, &v), "responses_dropped");
	CHECK_INT(v, 0);
	CHECK_STR(pk_convert_counter(c, 1, &v), "lists_expanded");
	CHECK_INT(v, 1);
	CHECK_STR(pk_convert_counter(c, 2, &v), "lists_too_small");
	CHECK_STR(pk_convert_counter(c, 3, &v), "list_responses_dropped");
	CHECK((name = pk_convert_counter(c, 4, &v)) == NULL);
	CHECK_INT(pk_convert_per_record(c), 1);
	pk_convert_free(c);
}

int main(void)
{
	struct pk_convert_opts o;
	struct pk_convert *c;
	int with_room;

	for (with_room = 0; with_room < 2; with_room++) {
		pairs(with_room);
		lists(with_room);
	}
	/* what may run one record per thread: not "auto" before its first
	 * record, not formats that group records across the input */
	pk_convert_opts_init(&o);
	CHECK((c = pk_convert_new(&o, &err)) != NULL);
	CHECK_INT(pk_convert_per_record(c), 0);
	pk_convert_free(c);
	o.from = "unpaired";
	CHECK((c = pk_convert_new(&o, &err)) != NULL);
	CHECK_INT(pk_convert_per_record(c), 0);
	pk_convert_free(c);
	o.from = "hh";
	CHECK((c = pk_convert_new(&o, &err)) != NULL);
	CHECK_INT(pk_convert_per_record(c), 1);
	pk_convert_free(c);
	o.from = "no-such-format";
	CHECK(pk_convert_new(&o, &err) == NULL);
	CHECK_INT(err.kind, PK_ERR_USAGE);
	pk_buf_free(&got);
	return pk_test_done();
}
