/* SPDX-License-Identifier: MIT */
/* test_pair.c - response text (SPEC 1.1) and group ids (SPEC 1.4). */
#include "config.h"

#include <string.h>

#include "pk_private.h"
#include "test.h"

static void check_text(const char *v, const char *want, int want_rc)
{
	struct pk_buf b = PK_BUF_INIT;
	struct pk_error err = {0};
	int rc = pk_response_text(v, strlen(v), &b, &err);

	CHECK_INT(rc, want_rc);
	if (want)
		CHECK_STR(b.data ? b.data : "", want);
	pk_buf_free(&b);
}

static void check_gid(const char *v, const char *want)
{
	char id[17];
	struct pk_error err = {0};

	CHECK_INT(pk_group_id(v, strlen(v), id, &err), PK_OK);
	CHECK_STR(id, want);
}

int main(void)
{
	check_text("\"plain \\u00e9\"", "plain \xc3\xa9", PK_OK);
	check_text("[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a1\"},"
		   "{\"role\":\"user\",\"content\":\"q2\"},{\"role\":\"assistant\",\"content\":\"a2\"}]",
		   "a1a2", PK_OK);
	check_text("[{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"text\",\"text\":\"y\"}]}]",
		   "xy", PK_OK);
	check_text("42", NULL, PK_BAD_RECORD);
	check_text("[1,2]", NULL, PK_BAD_RECORD);

	{
		const char *ok = "[{\"role\":\"user\",\"content\":\"x\"}]";
		const char *no_role = "[{\"content\":\"x\"}]";

		const char *role_num = "[{\"role\":1,\"content\":\"x\"}]";
		const char *second = "[{\"role\":\"user\",\"content\":\"x\"},\"x\"]";
		const char *spaced = "[ { \"content\" : null , \"role\" : \"user\" } ,"
				     " {\"role\":\"assistant\",\"name\":\"n\",\"content\":[]} ]";
		struct pk_iter it;
		struct pk_member role, content;
		size_t off, len;

		CHECK(pk_is_message_list(ok, strlen(ok)));
		CHECK(pk_is_message_list(spaced, strlen(spaced)));
		CHECK(!pk_is_message_list("[]", 2));
		CHECK(!pk_is_message_list("{}", 2));
		CHECK(!pk_is_message_list(no_role, strlen(no_role)));
		CHECK(!pk_is_message_list(role_num, strlen(role_num)));
		CHECK(!pk_is_message_list(second, strlen(second)));

		/* the messages one by one, members relative to each */
		pk_iter_init(&it, spaced, strlen(spaced));
		CHECK_INT(pk_next_message(&it, &off, &len, &role, &content), 1);
		CHECK_MEM(spaced + off + role.val_off, role.val_len, "\"user\"", 6);
		CHECK(content.type == PK_T_NULL);
		CHECK_INT(pk_next_message(&it, &off, &len, &role, &content), 1);
		CHECK_MEM(spaced + off, len,
			  "{\"role\":\"assistant\",\"name\":\"n\",\"content\":[]}", 44);
		CHECK_MEM(spaced + off + content.val_off, content.val_len, "[]", 2);
		CHECK_INT(pk_next_message(&it, &off, &len, &role, &content), 0);
		pk_iter_init(&it, second, strlen(second));
		CHECK_INT(pk_next_message(&it, &off, &len, &role, &content), 1);
		CHECK_INT(pk_next_message(&it, &off, &len, &role, &content), -1);
	}

	/* Expected values: python3 -c 'import json,xxhash;
	 * print(xxhash.xxh3_64_hexdigest(json.dumps(v, sort_keys=True,
	 * separators=(",",":"), ensure_ascii=False)))' gives the same digest
	 * as XXH3-64 of the canonical text; here the canonical texts are
	 * checked to hash alike however the input was spelled. */
	{
		char a[17], b2[17], c[17];
		struct pk_error err = {0};
		const char *s1 = "\"caf\xc3\xa9\"", *s2 = "\"caf\\u00e9\"";
		const char *m1 = "[{\"role\":\"user\",\"content\":\"hi\"}]";
		const char *m2 = "[ {\"content\" : \"hi\", \"role\":\"user\"} ]";

		CHECK_INT(pk_group_id(s1, strlen(s1), a, &err), PK_OK);
		CHECK_INT(pk_group_id(s2, strlen(s2), b2, &err), PK_OK);
		CHECK_STR(a, b2);
		CHECK_INT(pk_group_id(m1, strlen(m1), a, &err), PK_OK);
		CHECK_INT(pk_group_id(m2, strlen(m2), c, &err), PK_OK);
		CHECK_STR(a, c);
		CHECK_INT(strlen(a), 16);
	}
	/* XXH3-64 seed 0 (xxhsum -H3) of the 7 bytes "\"hello\"", and of
	 * [{"content":"hi","role":"user"}] (sorted keys). */
	check_gid("\"hello\"", "7fa86191cb5433a3");
	check_gid("[{\"role\":\"user\",\"content\":\"hi\"}]", "471d68e036f73c27");
	return pk_test_done();
}
