/* SPDX-License-Identifier: MIT */
/* test_obj.c - editing records: untouched bytes kept, paired-field swap. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "prefkit.h"
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
static int set_json(struct pk_obj *o)
{
	json_t *v = json_pack("[{s:s},f]", "role", "system", 0.1);
	int rc = pk_obj_set_json(o, "prompt", v);

	json_decref(v);
	return rc;
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
	check_edit("{\"prompt\":\"p\"}", set_json,
		   "{\"prompt\":[{\"role\":\"system\"},0.1]}", "json value encoded, real shortest");

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
	return pk_test_done();
}
