/* SPDX-License-Identifier: MIT */
/* test_hook_config.c - a hook's source settings: parsing, defaults, event filters, redaction. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "app/hook_config.h"

static void test_defaults_and_lists(void **state)
{
    struct gr_hook_config c;
    struct gr_apperr e;

    (void)state;
    assert_int_equal(gr_hook_config_parse("{}", &c, &e), 0);
    assert_int_equal(c.tolerance_s, 300);
    assert_int_equal(c.dedup_window_s, 86400);
    assert_int_equal(c.nsecrets, 0);
    assert_false(c.auto_create);
    gr_hook_config_cleanup(&c);
    assert_int_equal(gr_hook_config_parse("{\"secrets\":[\"a\",\"b\"],\"allow_ip\":[\"10.0.0.0/8\","
                                          "\"::1\"],\"tolerance\":0,\"auto_create\":true,"
                                          "\"lang\":\"fr\"}",
                                          &c, &e),
                     0);
    assert_int_equal(c.nsecrets, 2);
    assert_string_equal(c.secrets[1], "b");
    assert_int_equal(c.nallow, 2);
    assert_true(gr_cidr_match(&c.allow[0], "10.1.2.3"));
    assert_false(gr_cidr_match(&c.allow[0], "11.1.2.3"));
    assert_true(gr_cidr_match(&c.allow[1], "::1"));
    assert_int_equal(c.tolerance_s, 0);
    assert_true(c.auto_create);
    assert_string_equal(c.lang, "fr");
    gr_hook_config_cleanup(&c);
}

static void test_invalid(void **state)
{
    struct gr_hook_config c;
    struct gr_apperr e;

    (void)state;
    assert_int_equal(gr_hook_config_parse("{\"secrets\":\"x\"}", &c, &e), 400);
    assert_string_equal(e.id, "griot.hook.source_config.invalid");
    assert_int_equal(gr_hook_config_parse("{\"allow_ip\":[\"10.0.0.0/33\"]}", &c, &e), 400);
    assert_int_equal(gr_hook_config_parse("{\"lang\":\"de\"}", &c, &e), 400);
    assert_int_equal(gr_hook_config_parse("{\"tolerance\":-1}", &c, &e), 400);
    assert_int_equal(gr_hook_config_parse("[]", &c, &e), 400);
    assert_int_equal(gr_hook_config_parse("{\"sig_algo\":\"md5\"}", &c, &e), 400);
    assert_int_equal(gr_hook_config_parse("{\"sig_encoding\":\"hexx\"}", &c, &e), 400);
    assert_int_equal(gr_hook_config_parse("{\"sig_content\":\"{ts}\"}", &c, &e), 400);
    assert_int_equal(gr_hook_config_parse("{\"sig_content\":\"{ts}.{body}\"}", &c, &e), 400);
    assert_int_equal(gr_hook_config_parse("{\"sig_content\":\"{ts}.{body}\","
                                          "\"ts_header\":\"X-Ts\"}",
                                          &c, &e),
                     0);
    gr_hook_config_cleanup(&c);
}

static void test_event_filter(void **state)
{
    struct gr_hook_config c;
    struct gr_apperr e;

    (void)state;
    assert_int_equal(gr_hook_config_parse("{\"events\":[\"push\",\"pull_request\",\"issues\","
                                          "\"release.published\"]}",
                                          &c, &e),
                     0);
    assert_true(gr_hook_config_wants(&c, "push", ""));
    assert_true(gr_hook_config_wants(&c, "pull_request_sync", "synchronized"));
    assert_true(gr_hook_config_wants(&c, "issue_label", "label_updated"));
    assert_false(gr_hook_config_wants(&c, "issue_comment", "created"));
    assert_false(gr_hook_config_wants(&c, "pushy", ""));
    assert_true(gr_hook_config_wants(&c, "release", "published"));
    assert_false(gr_hook_config_wants(&c, "release", "deleted"));
    gr_hook_config_cleanup(&c);
    assert_int_equal(gr_hook_config_parse("{}", &c, &e), 0);
    assert_true(gr_hook_config_wants(&c, "anything", NULL));
    gr_hook_config_cleanup(&c);
}

static void test_public_redacts(void **state)
{
    json_t *p;
    char *s;

    (void)state;
    p = gr_hook_config_public("{\"secrets\":[\"s3cret\",\"old\"],\"auth_bearer\":[\"tok\"],"
                              "\"events\":[\"push\"]}");
    s = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
    assert_null(strstr(s, "s3cret"));
    assert_null(strstr(s, "tok\""));
    assert_non_null(strstr(s, "\"secrets\":[\"********\",\"********\"]"));
    assert_non_null(strstr(s, "\"events\":[\"push\"]"));
    free(s);
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_defaults_and_lists),
            cmocka_unit_test(test_invalid),
            cmocka_unit_test(test_event_filter),
            cmocka_unit_test(test_public_redacts),
    };
    return cmocka_run_group_tests_name("hook_config", tests, NULL, NULL);
}
