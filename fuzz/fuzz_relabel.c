/* SPDX-License-Identifier: MIT */
/*
 * fuzz_relabel.c - libFuzzer target for reward-conditioned relabeling
 * (lib/relabel.c): templates, the placement of the condition (system
 * message, prefix of the prompt text or of its first user message, a
 * field of its own), ties, multi-attribute goals, rounding, and both
 * ways of handing records to the caller (emit, or room + commit).
 *
 * Input: byte 0 and byte 1 pick the options and the template; the rest is
 * JSON Lines, each valid line relabeled.  Every record written must be a
 * compact object prefkit accepts, holding the goal member; a record is
 * written 0 to 3 times, and not at all when it is bad.
 */
#include "config.h"

#include "fuzz.h"

#define T "fuzz_relabel"

struct ctx {
	struct pk_buf room;
	int nout;
};

static void check(struct ctx *c, const char *json, size_t len)
{
	c->nout++;
	fz_check_object(T, json, len, NULL);
}

static int emit(void *vc, const char *json, size_t len)
{
	check(vc, json, len);
	return PK_OK;
}

static char *room(void *vc, size_t n)
{
	struct ctx *c = vc;

	pk_buf_reset(&c->room);
	if (pk_buf_reserve(&c->room, n) < 0)
		return NULL;
	return c->room.data;
}

static int commit(void *vc, char *p, size_t len)
{
	struct ctx *c = vc;

	if (p != c->room.data || len > c->room.cap)
		fz_fail(T, "commit outside the room given", NULL, 0);
	check(c, p, len);
	return PK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const templates[] = {
		NULL, "Goal {score}.", "{{{score}}} of {min}..{max}", "{score}",
		"Score: {score}\nOn {min} to {max}.\n\n",
	};
	static const char *const attrs[] = {"helpfulness", "honesty",
					    "instruction_following"};
	struct fz f = {data, size};
	struct pk_relabel_opts o;
	struct pk_relabel *r;
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err;
	struct ctx c = {PK_BUF_INIT, 0};
	struct pk_sink sink = {emit, NULL, NULL, &c};
	struct pk_buf goal = PK_BUF_INIT;
	unsigned b0 = fz_byte(&f), b1 = fz_byte(&f);
	const char *line;
	size_t n;
	int rc;

	pk_relabel_opts_init(&o);
	o.placement = (enum pk_relabel_placement)(b0 & 3);
	if (o.placement == PK_PLACE_FIELD)
		o.field = (b0 & 4) ? "meta.condition" : "condition";
	o.ties = (enum pk_relabel_ties)(((b0 >> 3) & 3) % 3);
	o.keep_original = (b0 >> 5) & 1;
	if ((b0 >> 6) & 1) {
		o.attributes = attrs;
		o.nattributes = 1 + (b1 >> 6) % 3;
	}
	if ((b0 >> 7) & 1) {
		sink.room = room;
		sink.commit = commit;
	}
	o.template_text = templates[(b1 & 7) % 5];
	o.template_len = o.template_text ? strlen(o.template_text) : 0;
	o.round = ((b1 >> 3) & 7) < 4 ? (int)((b1 >> 3) & 7) : -1;
	if ((b1 >> 5) & 1) {
		o.min = 0;
		o.max = 5;
	}
	r = pk_relabel_new(&o, &err);
	if (!r) {
		if (err.kind != PK_ERR_USAGE)
			fz_fail(T, "pk_relabel_new failed", err.text,
				strlen(err.text));
		goto out;
	}
	if (pk_relabel_goal_text(r, "3", &goal, &err) != PK_OK)
		fz_fail(T, "pk_relabel_goal_text", err.text, strlen(err.text));
	while (fz_line(&f, &line, &n)) {
		if (pk_scan_record(&rec, line, n, &err) != PK_OK)
			continue;
		c.nout = 0;
		rc = pk_relabel_record(r, &rec, &sink, &err);
		if (rc == PK_BAD_RECORD && c.nout)
			fz_fail(T, "a bad record was written", line, n);
		if (rc == PK_FATAL && !(err.kind == PK_ERR_USAGE &&
					o.placement == PK_PLACE_SYSTEM))
			fz_fail(T, "pk_relabel_record failed", line, n);
		if (c.nout > 3)
			fz_fail(T, "more than 3 records for one", line, n);
	}
	pk_relabel_counts(r);
	pk_relabel_free(r);
out:
	pk_record_free(&rec);
	pk_buf_free(&c.room);
	pk_buf_free(&goal);
	return 0;
}
