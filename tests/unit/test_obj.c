/* SPDX-License-Identifier: MIT */
/* test_obj.c - editing records: untouched bytes kept, paired-field swap. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pk_private.h"
#include "test.h"

/* Scan text, apply edit(), write; compare with want. */
static void check_edit(const char *text, int (*edit)(struct pk_obj *),
		       const char *want, const char *what)
{
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err = {0};
	struct pk_obj *o = pk_obj_new();
	struct pk_buf out = PK_BUF_INIT;
	int ok;

	ok = pk_scan_record(&rec, text, strlen(text), &err) == PK_OK &&
	     pk_obj_load_record(o, &rec) == PK_OK && edit(o) >= 0 &&
	     pk_obj_write(o, &out) == PK_OK;
	pk_test_point(ok && out.data && strcmp(out.data, want) == 0, __FILE__,
		      __LINE__, what);
	if (!ok || !out.data || strcmp(out.data, want) != 0)
		printf("#   got:  %s\n#   want: %s\n", out.data ? out.data : "(null)", want);
	pk_buf_free(&out);
	pk_obj_free(o);
	pk_record_free(&rec);
}

static int nothing(struct pk_obj *o) { (void)o; return 0; }
static int swap(struct pk_obj *o) { return pk_obj_swap_paired(o); }
static int set_goal(struct pk_obj *o) { return pk_obj_set_number(o, "goal_score", 7.5); }
static int set_score(struct pk_obj *o) { return pk_obj_set_raw(o, "score_chosen", "1.50", 4); }
static int set_nested(struct pk_obj *o) { return pk_obj_set_string(o, "meta.note", "a\"b\n", 4); }
static int set_new_nested(struct pk_obj *o) { return pk_obj_set_bool(o, "x.y.z", 1); }
static int del_b(struct pk_obj *o) { return pk_obj_delete(o, "b") == 1 ? 0 : -1; }
static int del_nested(struct pk_obj *o) { return pk_obj_delete(o, "m.k") == 1 ? 0 : -1; }
static int ren(struct pk_obj *o) { return pk_obj_rename(o, "a", "z") == 1 ? 0 : -1; }
/* o written out as a C string (static buffer reused by each call). */
static const char *written(const struct pk_obj *o)
{
	static struct pk_buf out = PK_BUF_INIT;
	size_t bound = pk_obj_write_bound(o), n;

	pk_buf_reset(&out);
	if (pk_buf_reserve(&out, bound) < 0)
		return "(out of memory)";
	n = pk_obj_write_to(o, out.data);
	if (n > bound)
		return "(past pk_obj_write_bound)";
	out.len = n;
	out.data[n] = '\0';
	return out.data;
}

/* Load text into o (rec keeps the scan). */
static int load(struct pk_obj *o, struct pk_record *rec, const char *text,
		int compact)
{
	struct pk_error err = {0};

	if (pk_scan_record(rec, text, strlen(text), &err) != PK_OK)
		return -1;
	return compact ? pk_obj_load_record_compact(o, rec)
		       : pk_obj_load_record(o, rec);
}

/* Compacting on load; checkpoint and rollback; setting members by index
 * and building a value in place. */
static void test_variants(void)
{
	static const char text[] =
		"{ \"prompt\" : [ {\"role\": \"user\", \"content\": \"Q\"} ],"
		" \"chosen\": \"A b\", \"rejected\": \"B\", \"n\": 1.50,"
		" \"meta\": { \"h_w\": 1, \"h_l\": 0 } }";
	static const char flat[] =
		"{\"prompt\":[{\"role\":\"user\",\"content\":\"Q\"}],"
		"\"chosen\":\"A b\",\"rejected\":\"B\",\"n\":1.50,"
		"\"meta\":{\"h_w\":1,\"h_l\":0}}";
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_obj *o = pk_obj_new();
	const char *v;
	size_t n, len;
	char *room;
	long i;

	CHECK(load(o, &rec, text, 1) == PK_OK);
	CHECK_STR(written(o), flat);
	CHECK(pk_obj_get(o, "meta", &v, &n, NULL) == 1);
	CHECK_MEM(v, n, "{\"h_w\":1,\"h_l\":0}", 17);

	/* one edit, then back, then another */
	CHECK(pk_obj_checkpoint(o) == PK_OK);
	CHECK(pk_obj_swap_paired(o) == PK_OK);
	CHECK(pk_obj_append_compact(o, "\"goal\"", 6, "3", 1) == PK_OK);
	CHECK_STR(written(o),
		  "{\"prompt\":[{\"role\":\"user\",\"content\":\"Q\"}],"
		  "\"chosen\":\"B\",\"rejected\":\"A b\",\"n\":1.50,"
		  "\"meta\":{\"h_w\":0,\"h_l\":1},\"goal\":3}");
	pk_obj_rollback(o);
	CHECK_STR(written(o), flat);
	i = pk_obj_find(o, "n");
	CHECK_INT(i, 3);
	CHECK(pk_obj_set_compact_at(o, (size_t)i, "[true]", 6) == PK_OK);
	CHECK(pk_obj_value(o, (size_t)i, &n, NULL) != NULL && n == 6);
	/* prompt rebuilt in place from its own bytes: "[" + new + old rest */
	i = pk_obj_find(o, "prompt");
	pk_obj_value(o, (size_t)i, &len, NULL);
	room = pk_obj_room(o, len + 3);
	CHECK(room != NULL);
	v = pk_obj_value(o, (size_t)i, &len, NULL);
	room[0] = '[';
	memcpy(room + 1, "0,", 2);
	memcpy(room + 3, v + 1, len - 1);
	pk_obj_commit_at(o, (size_t)i, len + 2);
	CHECK_STR(written(o),
		  "{\"prompt\":[0,{\"role\":\"user\",\"content\":\"Q\"}],"
		  "\"chosen\":\"A b\",\"rejected\":\"B\",\"n\":[true],"
		  "\"meta\":{\"h_w\":1,\"h_l\":0}}");
	pk_obj_rollback(o);
	CHECK_STR(written(o), flat);
	CHECK(pk_obj_set_compact_at(o, 99, "1", 1) == PK_FATAL);
	{
		/* members added as the object is written */
		char out[256];
		size_t n2 = pk_obj_write_with(o, "\"g\":8,\"h\":[]", 12, out);

		CHECK(n2 <= pk_obj_write_bound(o) + 12 + 1);
		out[n2] = '\0';
		CHECK_STR(out, "{\"prompt\":[{\"role\":\"user\",\"content\":\"Q\"}],"
			  "\"chosen\":\"A b\",\"rejected\":\"B\",\"n\":1.50,"
			  "\"meta\":{\"h_w\":1,\"h_l\":0},\"g\":8,\"h\":[]}");
		pk_obj_clear(o);
		n2 = pk_obj_write_with(o, "\"g\":8", 5, out);
		CHECK_MEM(out, n2, "{\"g\":8}", 7);
		n2 = pk_obj_write_with(o, NULL, 0, out);
		CHECK_MEM(out, n2, "{}", 2);
		CHECK(load(o, &rec, text, 1) == PK_OK);
		CHECK(pk_obj_checkpoint(o) == PK_OK);
	}

	/* without compacting, a record with whitespace is compacted when
	 * written, the same bytes */
	CHECK(load(o, &rec, text, 0) == PK_OK);
	CHECK_STR(written(o), flat);
	/* loading again drops the checkpoint: rollback gives nothing */
	pk_obj_rollback(o);
	CHECK_STR(written(o), "{}");
	pk_obj_free(o);
	pk_record_free(&rec);
}

/* pk_obj_set_span_at: a value of the loaded record is referenced (no
 * copy) and written as the untouched members are; anything else is a
 * copy.  Expected texts by hand. */
static void test_span(void)
{
	static const char spaced[] =
		"{ \"a\": [ 1, 2 ], \"b\": \"x y\", \"c\": { \"d\": null } }";
	static const char compact[] = "{\"a\":[1,2],\"b\":\"x y\",\"c\":{\"d\":null}}";
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_obj *o = pk_obj_new();
	const char *v;
	size_t n;
	enum pk_type t;

	/* compact text: a and c swap their values, b takes a literal */
	CHECK(load(o, &rec, compact, 0) == PK_OK);
	CHECK(pk_obj_set_span_at(o, 0, compact + 25, 10) == PK_OK);
	CHECK(pk_obj_set_span_at(o, 2, compact + 5, 5) == PK_OK);
	CHECK(pk_obj_set_span_at(o, 1, "true", 4) == PK_OK);
	CHECK_STR(written(o), "{\"a\":{\"d\":null},\"b\":true,\"c\":[1,2]}");
	CHECK(pk_obj_value(o, 0, &n, &t) == compact + 25 && n == 10 &&
	      t == PK_T_OBJECT);
	CHECK(pk_obj_set_span_at(o, 3, "1", 1) == PK_FATAL);

	/* spaced text: the spans are written compacted */
	CHECK(load(o, &rec, spaced, 0) == PK_OK);
	v = strstr(spaced, "{ \"d\"");
	CHECK(pk_obj_set_span_at(o, 0, v, strlen(v) - 2) == PK_OK);
	v = strchr(spaced, '[');
	CHECK(pk_obj_set_span_at(o, 2, v, 8) == PK_OK);
	CHECK_STR(written(o), "{\"a\":{\"d\":null},\"b\":\"x y\",\"c\":[1,2]}");

	/* compacted on load (pk_obj_load_record_compact): the spaced
	 * source's arrays are compacted into a copy */
	CHECK(load(o, &rec, spaced, 1) == PK_OK);
	v = strstr(spaced, "{ \"d\"");
	CHECK(pk_obj_set_span_at(o, 0, v, strlen(v) - 2) == PK_OK);
	v = strchr(spaced, '[');
	CHECK(pk_obj_set_span_at(o, 2, v, 8) == PK_OK);
	CHECK(pk_obj_set_span_at(o, 1, strstr(spaced, "\"x y\""), 5) == PK_OK);
	CHECK_STR(written(o), "{\"a\":{\"d\":null},\"b\":\"x y\",\"c\":[1,2]}");
	pk_obj_free(o);
	pk_record_free(&rec);
}

/* The swap plans kept by key layout give what a plan made afresh gives,
 * whatever came before: more layouts than there are slots, layouts with
 * keys of the same lengths but other names, escaped keys. */
static void test_swap_plans(void)
{
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_obj *kept = pk_obj_new(), *fresh;
	struct pk_buf text = PK_BUF_INIT, want = PK_BUF_INIT;
	int round, k, bad = 0;

	for (round = 0; round < 2; round++)
		for (k = 0; k < 48; k++) {
			/* k picks the layout: an extra key of length k % 40,
			 * before or after the pair, and which name it has */
			size_t pad = (size_t)(k % 40);
			const char *other = k % 3 == 0 ? "chosen_y" :
					    k % 3 == 1 ? "ch\\u006fsen_y" : "xhosen_y";

			pk_buf_reset(&text);
			pk_buf_printf(&text, "{%s\"%.*s\":%d,\"chosen\":\"A\",\"rejected\":\"B\",\"%s\":%d%s}",
				      k & 1 ? "" : "\"h_w\":0,", (int)pad,
				      "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", k,
				      other, round, k & 1 ? ",\"h_l\":1" : "");
			fresh = pk_obj_new();
			CHECK(load(fresh, &rec, text.data, 0) == PK_OK);
			CHECK(pk_obj_swap_paired(fresh) == PK_OK);
			pk_buf_reset(&want);
			pk_buf_puts(&want, written(fresh));
			pk_obj_free(fresh);
			if (load(kept, &rec, text.data, 0) != PK_OK ||
			    pk_obj_swap_paired(kept) != PK_OK ||
			    strcmp(written(kept), want.data) != 0) {
				printf("#   layout %d round %d: got %s want %s\n", k,
				       round, written(kept), want.data);
				bad++;
			}
		}
	CHECK_INT(bad, 0);
	/* and one spot check of what the plan does */
	CHECK(load(kept, &rec, "{\"ch\\u006fsen_y\":1,\"chosen\":\"A\",\"rejected\":\"B\",\"h_w\":0}", 0) == PK_OK);
	CHECK(pk_obj_swap_paired(kept) == PK_OK);
	CHECK_STR(written(kept), "{\"rejected_y\":1,\"chosen\":\"B\",\"rejected\":\"A\",\"h_l\":0}");
	pk_obj_free(kept);
	pk_record_free(&rec);
	pk_buf_free(&text);
	pk_buf_free(&want);
}

/* Nested objects are rebuilt only when they may hold a paired key: one at
 * every offset (through the 16-byte steps and the tail) is found. */
static void test_nested_offsets(void)
{
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_obj *o = pk_obj_new();
	struct pk_buf text = PK_BUF_INIT, want = PK_BUF_INIT;
	size_t pad;
	int bad = 0;

	for (pad = 0; pad < 70; pad++) {
		static const char fill[] =
			"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
		int tail;

		for (tail = 0; tail < 2; tail++) {
			pk_buf_reset(&text);
			pk_buf_reset(&want);
			pk_buf_printf(&text, "{\"m\":{\"%.*s\":1,\"rejected_x\":2%s}}",
				      (int)pad, fill, tail ? ",\"t\":\"chosen\"" : "");
			pk_buf_printf(&want, "{\"m\":{\"%.*s\":1,\"chosen_x\":2%s}}",
				      (int)pad, fill, tail ? ",\"t\":\"chosen\"" : "");
			if (load(o, &rec, text.data, 0) != PK_OK ||
			    pk_obj_swap_paired(o) != PK_OK ||
			    strcmp(written(o), want.data) != 0) {
				printf("#   pad %zu: got %s want %s\n", pad, written(o),
				       want.data);
				bad++;
			}
		}
		/* no paired key: untouched, even with "chosen" in a value */
		pk_buf_reset(&text);
		pk_buf_printf(&text, "{\"m\":{\"%.*s\":\"chosen rejected_w_l\"}}",
			      (int)pad, fill);
		if (load(o, &rec, text.data, 0) != PK_OK ||
		    pk_obj_swap_paired(o) != PK_OK ||
		    strcmp(written(o), text.data) != 0)
			bad++;
	}
	CHECK_INT(bad, 0);
	pk_obj_free(o);
	pk_record_free(&rec);
	pk_buf_free(&text);
	pk_buf_free(&want);
}

/* pk_object_unique over text (prefix + object); written[] are offsets of
 * keys within the object, found as the n-th occurrence of a quoted key. */
static size_t key_at(const char *obj, const char *qkey, int nth)
{
	const char *p = obj;

	for (;;) {
		p = strstr(p, qkey);
		if (!p)
			return (size_t)-1;
		if (nth-- == 0)
			return (size_t)(p - obj);
		p++;
	}
}

static void check_unique(const char *prefix, const char *obj,
			 const size_t *w, size_t nw, const char *want,
			 int line)
{
	struct pk_buf b = PK_BUF_INIT;
	struct pk_error err = {0};
	int ok;

	pk_buf_puts(&b, prefix);
	pk_buf_puts(&b, obj);
	ok = pk_object_unique(&b, strlen(prefix), w, nw, &err) == PK_OK &&
	     strncmp(b.data, prefix, strlen(prefix)) == 0 &&
	     b.len == strlen(prefix) + strlen(want) &&
	     strcmp(b.data + strlen(prefix), want) == 0;
	pk_test_point(ok, __FILE__, line, "pk_object_unique");
	if (!ok)
		printf("#   got:  %s\n#   want: %s%s\n", b.data, prefix, want);
	pk_buf_free(&b);
}

static void test_unique(void)
{
	struct pk_buf b = PK_BUF_INIT;
	struct pk_error err = {0};
	size_t w[4];
	const char *o;
	unsigned i;

	/* no key twice: unchanged */
	o = "{\"a\":1,\"b\":[1,{\"a\":2}],\"c\":\"a\"}";
	w[0] = key_at(o, "\"b\"", 0);
	check_unique("", o, w, 1, o, __LINE__);
	check_unique("", "{}", NULL, 0, "{}", __LINE__);
	/* a written member replaces the record's, in the record's place */
	o = "{\"prompt\":\"p\",\"responses\":[1],\"m\":2,\"responses\":[{\"text\":\"a\"}]}";
	w[0] = key_at(o, "\"responses\"", 1);
	check_unique("xx\n", o, w, 1,
		     "{\"prompt\":\"p\",\"responses\":[{\"text\":\"a\"}],\"m\":2}",
		     __LINE__);
	/* ... also when it was written before it */
	o = "{\"responses\":[9],\"m\":2,\"responses\":[1]}";
	w[0] = key_at(o, "\"responses\"", 0);
	check_unique("", o, w, 1, "{\"m\":2,\"responses\":[9]}", __LINE__);
	/* keys compared decoded; the record's spelling kept */
	o = "{\"\\u0061\":1,\"b\":0,\"a\":2}";
	w[0] = key_at(o, "\"a\"", 0);
	check_unique("", o, w, 1, "{\"\\u0061\":2,\"b\":0}", __LINE__);
	/* of written members, the later in written[] wins (a renamed
	 * field listed before the computed ones), at the first place */
	o = "{\"text\":\"T\",\"score\":1,\"text\":\"R\",\"x\":1,\"x\":2}";
	w[0] = key_at(o, "\"text\"", 1);
	w[1] = key_at(o, "\"x\"", 0);
	w[2] = key_at(o, "\"x\"", 1);
	w[3] = key_at(o, "\"text\"", 0);
	check_unique("", o, w, 4, "{\"text\":\"T\",\"score\":1,\"x\":2}",
		     __LINE__);
	/* nothing written: the last value, at the first place */
	o = "{\"a\":1,\"b\":2,\"a\":3,\"a\":{\"n\":[4]}}";
	check_unique("", o, NULL, 0, "{\"a\":{\"n\":[4]},\"b\":2}", __LINE__);

	/* 20000 keys, every fourth written again at the end: each once */
	pk_buf_putc(&b, '{');
	for (i = 0; i < 20000; i++)
		pk_buf_printf(&b, "%s\"k%u\":%u", i ? "," : "", i, i);
	for (i = 0; i < 20000; i += 4)
		pk_buf_printf(&b, ",\"k%u\":-1", i);
	pk_buf_putc(&b, '}');
	CHECK_INT(pk_object_unique(&b, 0, NULL, 0, &err), PK_OK);
	{
		struct pk_iter it;
		struct pk_member m;
		unsigned n = 0, bad = 0;
		char want[32];

		pk_iter_init(&it, b.data, b.len);
		while (pk_iter_member(&it, &m)) {
			int k = snprintf(want, sizeof want, "\"k%u\"", n);

			if (m.key_len != (size_t)k ||
			    memcmp(b.data + m.key_off, want, (size_t)k) ||
			    (n % 4 == 0 ? memcmp(b.data + m.val_off, "-1", 2)
					: m.val_len == 2 &&
						  b.data[m.val_off] == '-'))
				bad++;
			n++;
		}
		CHECK_INT(n, 20000);
		CHECK_INT(bad, 0);
	}
	pk_buf_free(&b);
}

int main(void)
{
	struct pk_buf b = PK_BUF_INIT;
	struct pk_record rec = PK_RECORD_INIT;
	struct pk_error err = {0};
	struct pk_obj *o;
	const char *v;
	size_t n;
	enum pk_type t;

	/* Untouched members keep their bytes: escapes, number spellings. */
	check_edit("{\"a\":1.50,\"b\":\"\\u00e9\\/\",\"c\":123456789012345678901234567890}",
		   nothing,
		   "{\"a\":1.50,\"b\":\"\\u00e9\\/\",\"c\":123456789012345678901234567890}",
		   "untouched members byte for byte");
	check_edit("{ \"a\" : [ 1 , 2 ] ,\n \"b\" : \"x y\" }", nothing,
		   "{\"a\":[1,2],\"b\":\"x y\"}", "whitespace outside strings dropped");

	/* SPEC 1.2 swap: values move, positions stay. */
	check_edit("{\"prompt\":\"p\",\"chosen\":\"A\",\"rejected\":\"B\",\"score_chosen\":8.5,\"score_rejected\":3}",
		   swap,
		   "{\"prompt\":\"p\",\"chosen\":\"B\",\"rejected\":\"A\",\"score_chosen\":3,\"score_rejected\":8.5}",
		   "swap chosen/rejected and scores");
	check_edit("{\"h_w\":1,\"h_l\":0,\"chosen_model\":\"m1\",\"rejected_model\":\"m2\"}",
		   swap, "{\"h_w\":0,\"h_l\":1,\"chosen_model\":\"m2\",\"rejected_model\":\"m1\"}",
		   "swap _w/_l and chosen_X/rejected_X");
	check_edit("{\"chosen\":\"A\",\"rejected\":\"B\",\"chosen_model\":\"m1\"}", swap,
		   "{\"chosen\":\"B\",\"rejected\":\"A\",\"rejected_model\":\"m1\"}",
		   "a field without its partner moves to the partner's name");
	check_edit("{\"chosen\":\"A\",\"rejected\":\"B\",\"metadata\":{\"score_chosen\":9,\"score_rejected\":2,\"src\":\"x\"}}",
		   swap,
		   "{\"chosen\":\"B\",\"rejected\":\"A\",\"metadata\":{\"score_chosen\":2,\"score_rejected\":9,\"src\":\"x\"}}",
		   "swap inside nested objects");
	check_edit("{\"chosen\":[{\"role\":\"assistant\",\"content\":\"A\"}],\"rejected\":[{\"role\":\"assistant\",\"content\":\"B\"}],\"meta\":{\"id\":1}}",
		   swap,
		   "{\"chosen\":[{\"role\":\"assistant\",\"content\":\"B\"}],\"rejected\":[{\"role\":\"assistant\",\"content\":\"A\"}],\"meta\":{\"id\":1}}",
		   "message lists move whole; unpaired nested objects untouched");

	/* Setting, deleting, renaming. */
	check_edit("{\"a\":1}", set_goal, "{\"a\":1,\"goal_score\":7.5}", "new number appended");
	check_edit("{\"score_chosen\":8,\"b\":2}", set_score, "{\"score_chosen\":1.50,\"b\":2}",
		   "raw value replaced in place");
	check_edit("{\"meta\":{\"k\":1},\"z\":0}", set_nested,
		   "{\"meta\":{\"k\":1,\"note\":\"a\\\"b\\n\"},\"z\":0}", "nested string set");
	check_edit("{\"a\":1}", set_new_nested, "{\"a\":1,\"x\":{\"y\":{\"z\":true}}}",
		   "nested objects created");
	check_edit("{\"a\":1,\"b\":2,\"c\":3}", del_b, "{\"a\":1,\"c\":3}", "delete");
	check_edit("{\"m\":{\"k\":1,\"j\":2}}", del_nested, "{\"m\":{\"j\":2}}", "nested delete");
	check_edit("{\"a\":1,\"b\":2}", ren, "{\"z\":1,\"b\":2}", "rename keeps position");

	/* Lookups. */
	o = pk_obj_new();
	{
		const char *text = "{\"a\":{\"b\":{\"c\":[1, 2]}},\"k\\u0065y\":\"v\"}";

		CHECK(pk_scan_record(&rec, text, strlen(text), &err) == PK_OK);
		CHECK(pk_obj_load_record(o, &rec) == PK_OK);
		CHECK_INT(pk_obj_count(o), 2);
		CHECK(pk_obj_get(o, "a.b.c", &v, &n, &t) == 1);
		CHECK_MEM(v, n, "[1, 2]", 6);
		CHECK_INT(t, PK_T_ARRAY);
		CHECK(pk_obj_get(o, "a.x", &v, &n, &t) == 0);
		CHECK(pk_obj_get(o, "a.b.c.d", &v, &n, &t) == 0);
		CHECK_INT(pk_obj_find(o, "key"), 1);
		CHECK_STR(pk_obj_key(o, 1), "key");
		CHECK(pk_obj_rename(o, "a", "key") < 0);
	}
	pk_obj_free(o);
	pk_record_free(&rec);

	/* Partner names. */
	CHECK(pk_paired_partner("score_chosen", 12, &b) == 1);
	CHECK_STR(b.data, "score_rejected");
	CHECK(pk_paired_partner("rejected_factual", 16, &b) == 1);
	CHECK_STR(b.data, "chosen_factual");
	CHECK(pk_paired_partner("h_w", 3, &b) == 1);
	CHECK_STR(b.data, "h_l");
	CHECK(pk_paired_partner("len_l", 5, &b) == 1);
	CHECK_STR(b.data, "len_w");
	CHECK(pk_paired_partner("prompt", 6, &b) == 0);
	CHECK(pk_paired_partner("flow", 4, &b) == 0);
	pk_buf_free(&b);

	test_variants();
	test_span();
	test_swap_plans();
	test_nested_offsets();
	test_unique();
	return pk_test_done();
}
