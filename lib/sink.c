/* SPDX-License-Identifier: MIT */
/*
 * sink.c - handing the records an operation makes to its caller
 * (struct pk_sink): built in the caller's own buffer when it offers room,
 * else in a scratch buffer and passed to its emit function.
 */
#include "config.h"

#include "pk_private.h"

int pk_sink_obj(const struct pk_sink *s, const struct pk_obj *o,
		const char *extra, size_t n, struct pk_buf *scratch)
{
	size_t bound = pk_obj_write_bound(o) + n + 1;
	char *d;

	if (s->room) {
		if (!(d = s->room(s->ctx, bound)))
			return PK_FATAL;
		return s->commit(s->ctx, d, pk_obj_write_with(o, extra, n, d));
	}
	pk_buf_reset(scratch);
	if (pk_buf_reserve(scratch, bound) < 0)
		return PK_FATAL;
	scratch->len = pk_obj_write_with(o, extra, n, scratch->data);
	return s->emit(s->ctx, scratch->data, scratch->len);
}

int pk_sink_record(const struct pk_sink *s, const struct pk_record *rec,
		   struct pk_buf *scratch)
{
	char *d;

	if (!rec->has_space)
		return s->emit(s->ctx, rec->text, rec->len);
	if (s->room) {
		if (!(d = s->room(s->ctx, rec->len)))
			return PK_FATAL;
		return s->commit(s->ctx, d, pk_record_compact_to(rec, d));
	}
	pk_buf_reset(scratch);
	if (pk_buf_reserve(scratch, rec->len) < 0)
		return PK_FATAL;
	scratch->len = pk_record_compact_to(rec, scratch->data);
	return s->emit(s->ctx, scratch->data, scratch->len);
}
