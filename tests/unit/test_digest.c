/* SPDX-License-Identifier: MIT */
/* test_digest.c - merging queued posts: grouping by target, text and attachments, splitting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/digest.h"
#include "core/utf8.h"

static void row(struct gr_queued *q, const char *chan, const char *msg, const char *props)
{
    memset(q, 0, sizeof *q);
    snprintf(q->post.channel_id, sizeof q->post.channel_id, "%s", chan);
    snprintf(q->post.user_id, sizeof q->post.user_id, "%s", "u1");
    q->post.message = strdup(msg);
    q->post.props = strdup(props);
}

static void free_rows(struct gr_queued *q, size_t n)
{
    for (size_t i = 0; i < n; i++)
        gr_post_cleanup(&q[i].post);
}

static void free_posts(struct gr_post *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        gr_post_cleanup(&p[i]);
    free(p);
}

static void test_run_groups_by_target(void **state)
{
    struct gr_queued q[4];

    (void)state;
    row(&q[0], "c1", "a", "{\"from_webhook\":\"true\",\"override_username\":\"x\"}");
    row(&q[1], "c1", "b", "{\"from_webhook\":\"true\",\"override_username\":\"x\"}");
    row(&q[2], "c1", "c", "{\"from_webhook\":\"true\",\"override_username\":\"y\"}");
    row(&q[3], "c1", "d", "{\"from_webhook\":\"true\",\"override_username\":\"x\"}");
    assert_int_equal(gr_digest_run(q, 4, 100), 2);
    assert_int_equal(gr_digest_run(q, 4, 1), 1);
    assert_int_equal(gr_digest_run(&q[2], 2, 100), 1);
    gr_post_cleanup(&q[1].post);
    row(&q[1], "c2", "b", "{\"from_webhook\":\"true\",\"override_username\":\"x\"}");
    assert_false(gr_digest_same_target(&q[0], &q[1]));
    free_rows(q, 4);
}

static void test_every_text_and_attachment_kept(void **state)
{
    struct gr_queued q[3];
    struct gr_post *p;
    size_t n;
    json_t *props;

    (void)state;
    row(&q[0], "c1", "first", "{\"from_webhook\":\"true\"}");
    row(&q[1], "c1", "", "{\"from_webhook\":\"true\",\"attachments\":[{\"title\":\"A\"}]}");
    row(&q[2], "c1", "third", "{\"from_webhook\":\"true\",\"attachments\":[{\"title\":\"B\"}]}");
    assert_int_equal(gr_digest_build(q, 3, 16383, &p, &n), GR_OK);
    assert_int_equal(n, 1);
    assert_non_null(strstr(p[0].message, "**3 messages**"));
    assert_non_null(strstr(p[0].message, "first"));
    assert_non_null(strstr(p[0].message, "third"));
    assert_true(strstr(p[0].message, "first") < strstr(p[0].message, "third"));
    assert_string_equal(p[0].type, "slack_attachment");
    assert_string_equal(p[0].channel_id, "c1");
    props = json_loads(p[0].props, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(props, "attachments")), 2);
    assert_string_equal(json_string_value(json_object_get(props, "from_webhook")), "true");
    assert_int_equal(json_integer_value(json_object_get(props, "griot_digest_count")), 3);
    json_decref(props);
    free_posts(p, n);
    free_rows(q, 3);
}

static void test_long_digest_is_split(void **state)
{
    enum { N = 30 };
    struct gr_queued q[N];
    char *msgs[N];
    struct gr_post *p;
    size_t n, total = 0;

    (void)state;
    for (int i = 0; i < N; i++) {
        msgs[i] = malloc(1001);
        /* 500 two-byte runes each: splitting must count code points, not bytes. */
        for (int k = 0; k < 500; k++)
            memcpy(msgs[i] + 2 * k, "\xc3\xa9", 2);
        msgs[i][1000] = '\0';
        row(&q[i], "c1", msgs[i], "{\"attachments\":[{\"title\":\"t\"}]}");
    }
    assert_int_equal(gr_digest_build(q, N, 1000, &p, &n), GR_OK);
    assert_true(n > 15);
    for (size_t i = 0; i < n; i++) {
        size_t runes = gr_utf8_count(p[i].message, strlen(p[i].message));
        assert_true(runes <= 1000);
        assert_true(gr_utf8_valid(p[i].message, strlen(p[i].message)));
        total += runes;
        /* attachments ride on the last part only */
        json_t *pr = json_loads(p[i].props, 0, NULL);
        assert_int_equal(json_array_size(json_object_get(pr, "attachments")),
                         i == n - 1 ? N : 0);
        json_decref(pr);
    }
    assert_true(total >= N * 500);
    free_posts(p, n);
    free_rows(q, N);
    for (int i = 0; i < N; i++)
        free(msgs[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_run_groups_by_target),
            cmocka_unit_test(test_every_text_and_attachment_kept),
            cmocka_unit_test(test_long_digest_is_split),
    };
    return cmocka_run_group_tests_name("digest", tests, NULL, NULL);
}
