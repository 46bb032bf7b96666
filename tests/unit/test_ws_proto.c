/* SPDX-License-Identifier: MIT */
/*
 * test_ws_proto.c - the pure half of ws/: the RFC 6455 accept key, client action parsing in
 * Mattermost's router order (spec mattermost-compat §6.3, WS-4/5/13), reply and hello
 * envelopes, and splicing a connection's seq into an event serialised once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ws/ws.h"

static void accept_key_rfc_example(void **state)
{
    char out[GR_WS_ACCEPT_SIZE];

    (void)state;
    /* RFC 6455 §1.3 */
    assert_true(gr_ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", out));
    assert_string_equal(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static void accept_key_rejects(void **state)
{
    char out[GR_WS_ACCEPT_SIZE] = "untouched";

    (void)state;
    assert_false(gr_ws_accept_key(NULL, out));
    assert_false(gr_ws_accept_key("", out));
    assert_false(gr_ws_accept_key("dGhlIHNhbXBsZSBub25jZQ=", out));   /* 23 chars */
    assert_false(gr_ws_accept_key("dGhlIHNhbXBsZSBub25jZQ===", out)); /* 25 chars */
    assert_false(gr_ws_accept_key("dGhlIHNhbXBsZSBub25jZ!==", out));  /* not base64 */
    assert_false(gr_ws_accept_key("dGhlIHNhbXBsZSBub25jZQAA", out));  /* not 16 bytes */
    assert_string_equal(out, "untouched");
}

static enum gr_ws_action_status parse(const char *s, struct gr_ws_action *a)
{
    return gr_ws_action_parse(s, strlen(s), a);
}

static void action_ok(void **state)
{
    struct gr_ws_action a;

    (void)state;
    assert_int_equal(
            parse("{\"seq\":2,\"action\":\"user_typing\",\"data\":{\"channel_id\":\"c\"}}", &a),
            GR_WS_ACTION_OK);
    assert_int_equal(a.seq, 2);
    assert_string_equal(a.name, "user_typing");
    assert_string_equal(gr_ws_action_str(&a, "channel_id"), "c");
    assert_null(gr_ws_action_str(&a, "parent_id"));
    gr_ws_action_cleanup(&a);
    /* data may be missing or null */
    assert_int_equal(parse("{\"seq\":1,\"action\":\"ping\"}", &a), GR_WS_ACTION_OK);
    assert_null(a.data);
    assert_null(gr_ws_action_str(&a, "token"));
    gr_ws_action_cleanup(&a);
    assert_int_equal(parse("{\"seq\":1,\"action\":\"ping\",\"data\":null}", &a), GR_WS_ACTION_OK);
    gr_ws_action_cleanup(&a);
}

static void action_router_order(void **state)
{
    struct gr_ws_action a;

    (void)state;
    /* WS-13: no seq -> bad_seq */
    assert_int_equal(parse("{\"action\":\"ping\"}", &a), GR_WS_ACTION_BAD_SEQ);
    gr_ws_action_cleanup(&a);
    assert_int_equal(parse("{\"seq\":0,\"action\":\"ping\"}", &a), GR_WS_ACTION_BAD_SEQ);
    gr_ws_action_cleanup(&a);
    assert_int_equal(parse("{\"seq\":-4,\"action\":\"ping\"}", &a), GR_WS_ACTION_BAD_SEQ);
    gr_ws_action_cleanup(&a);
    /* the missing action is reported before the seq */
    assert_int_equal(parse("{\"seq\":0}", &a), GR_WS_ACTION_NO_ACTION);
    gr_ws_action_cleanup(&a);
    assert_int_equal(parse("{\"seq\":3,\"action\":\"\"}", &a), GR_WS_ACTION_NO_ACTION);
    assert_int_equal(a.seq, 3);
    gr_ws_action_cleanup(&a);
    assert_int_equal(parse("{}", &a), GR_WS_ACTION_NO_ACTION);
    gr_ws_action_cleanup(&a);
}

static void action_invalid(void **state)
{
    static const char *const bad[] = {
            "",
            "not json",
            "[1,2]",
            "\"ping\"",
            "{\"seq\":\"1\",\"action\":\"ping\"}",
            "{\"seq\":1.5,\"action\":\"ping\"}",
            "{\"seq\":1,\"action\":7}",
            "{\"seq\":1,\"action\":\"ping\",\"data\":[]}",
            "{\"seq\":1,\"action\":\"ping\",\"data\":\"x\"}",
            "{\"seq\":1,\"action\":\"ping\"",
    };
    struct gr_ws_action a;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse(bad[i], &a), GR_WS_ACTION_INVALID);
        gr_ws_action_cleanup(&a);
    }
}

static void action_long_name_cut(void **state)
{
    char buf[512];
    struct gr_ws_action a;

    (void)state;
    snprintf(buf, sizeof buf, "{\"seq\":1,\"action\":\"%0200d\"}", 0);
    assert_int_equal(parse(buf, &a), GR_WS_ACTION_OK);
    assert_int_equal(strlen(a.name), sizeof a.name - 1);
    gr_ws_action_cleanup(&a);
}

static void replies(void **state)
{
    struct gr_buf b;
    struct gr_apperr e;
    json_t *d = json_pack("{s:s}", "text", "pong");

    (void)state;
    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    assert_int_equal(gr_ws_reply(&b, 1, NULL, NULL), GR_OK);
    assert_string_equal(gr_buf_str(&b), "{\"status\":\"OK\",\"seq_reply\":1}");
    assert_int_equal(gr_ws_reply(&b, 2, d, NULL), GR_OK);
    assert_string_equal(gr_buf_str(&b),
                        "{\"status\":\"OK\",\"seq_reply\":2,\"data\":{\"text\":\"pong\"}}");
    gr_apperr_set(&e, 401, "api.web_socket_router.not_authenticated.app_error", "nope");
    snprintf(e.detail, sizeof e.detail, "secret detail");
    assert_int_equal(gr_ws_reply(&b, 3, NULL, &e), GR_OK);
    assert_string_equal(gr_buf_str(&b),
                        "{\"status\":\"FAIL\",\"seq_reply\":3,\"error\":{\"id\":\"api.web_socket_"
                        "router.not_authenticated.app_error\",\"message\":\"nope\","
                        "\"detailed_error\":\"\",\"status_code\":401}}");
    /* seq_reply is omitempty: a bad_seq reply to a frame without seq has none */
    assert_int_equal(gr_ws_reply(&b, 0, NULL, &e), GR_OK);
    assert_null(strstr(gr_buf_str(&b), "seq_reply"));
    json_decref(d);
    gr_buf_cleanup(&b);
}

static void hello(void **state)
{
    struct gr_buf b;

    (void)state;
    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    assert_int_equal(gr_ws_hello(&b, "9.11.0.x.false", "cccccccccccccccccccccccccc", "host",
                                 "uuuuuuuuuuuuuuuuuuuuuuuuuu"),
                     GR_OK);
    assert_string_equal(
            gr_buf_str(&b),
            "{\"event\":\"hello\",\"data\":{\"connection_id\":\"cccccccccccccccccccccccccc\","
            "\"server_hostname\":\"host\",\"server_version\":\"9.11.0.x.false\"},"
            "\"broadcast\":{\"omit_users\":null,\"user_id\":\"uuuuuuuuuuuuuuuuuuuuuuuuuu\","
            "\"channel_id\":\"\",\"team_id\":\"\",\"connection_id\":\"\","
            "\"omit_connection_id\":\"\"}}");
    gr_buf_cleanup(&b);
}

static void splice_seq(void **state)
{
    struct gr_buf b;

    (void)state;
    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    assert_int_equal(gr_ws_splice_seq(&b, "{\"event\":\"x\"}", 13, 0), GR_OK);
    assert_string_equal(gr_buf_str(&b), "{\"event\":\"x\",\"seq\":0}");
    assert_int_equal(gr_ws_splice_seq(&b, "{\"event\":\"x\"} \n", 15, 18446744073709551615ULL),
                     GR_OK);
    assert_string_equal(gr_buf_str(&b), "{\"event\":\"x\",\"seq\":18446744073709551615}");
    assert_int_equal(gr_ws_splice_seq(&b, "{}", 2, 7), GR_OK);
    assert_string_equal(gr_buf_str(&b), "{\"seq\":7}");
    assert_int_equal(gr_ws_splice_seq(&b, "{ }", 3, 7), GR_OK);
    assert_string_equal(gr_buf_str(&b), "{\"seq\":7}");
    assert_int_equal(gr_ws_splice_seq(&b, "", 0, 1), GR_EINVAL);
    assert_int_equal(gr_ws_splice_seq(&b, "}", 1, 1), GR_EINVAL);
    assert_int_equal(gr_ws_splice_seq(&b, "[1]", 3, 1), GR_EINVAL);
    assert_int_equal(gr_ws_splice_seq(&b, "{\"a\":1", 6, 1), GR_EINVAL);
    gr_buf_cleanup(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(accept_key_rfc_example),
            cmocka_unit_test(accept_key_rejects),
            cmocka_unit_test(action_ok),
            cmocka_unit_test(action_router_order),
            cmocka_unit_test(action_invalid),
            cmocka_unit_test(action_long_name_cut),
            cmocka_unit_test(replies),
            cmocka_unit_test(hello),
            cmocka_unit_test(splice_seq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
