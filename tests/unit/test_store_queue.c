/* SPDX-License-Identifier: MIT */
/* test_store_queue.c - the per-hook delivery queue in the store: FIFO, per hook, durable. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static void push(struct gr_store *st, const char *hook, const char *msg)
{
    struct gr_queued q;

    memset(&q, 0, sizeof q);
    snprintf(q.hook_id, sizeof q.hook_id, "%s", hook);
    gr_id_new(q.post.id);
    snprintf(q.post.channel_id, sizeof q.post.channel_id, "chan");
    q.post.message = strdup(msg);
    q.post.props = strdup("{\"from_webhook\":\"true\"}");
    assert_int_equal(gr_store_queue_push(st, &q), GR_OK);
    gr_post_cleanup(&q.post);
}

static void test_fifo_per_hook(void **state)
{
    struct gr_store *st;
    struct gr_queued_list l;
    struct gr_queue_depth *d;
    size_t n;
    char err[256];

    (void)state;
    assert_int_equal(gr_store_open(":memory:", GR_STORE_CREATE, &st, err, sizeof err), GR_OK);
    push(st, "hookA", "a1");
    push(st, "hookB", "b1");
    push(st, "hookA", "a2");
    push(st, "hookA", "a3");
    assert_int_equal(gr_store_queue_peek(st, "hookA", 2, &l), GR_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].post.message, "a1");
    assert_string_equal(l.v[1].post.message, "a2");
    assert_string_equal(l.v[0].post.props, "{\"from_webhook\":\"true\"}");
    assert_true(l.v[0].seq < l.v[1].seq);
    assert_int_equal(gr_store_queue_remove(st, l.v[0].seq), GR_OK);
    assert_int_equal(gr_store_queue_remove(st, l.v[0].seq), GR_ENOTFOUND);
    gr_queued_list_free(&l);
    assert_int_equal(gr_store_queue_depths(st, &d, &n), GR_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(d[i].n, strcmp(d[i].hook_id, "hookA") == 0 ? 2 : 1);
    free(d);
    assert_int_equal(gr_store_queue_peek(st, "hookA", 0, &l), GR_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].post.message, "a2");
    gr_queued_list_free(&l);
    gr_store_close(st);
}

static void test_survives_reopen_and_rollback(void **state)
{
    char dir[] = "/tmp/griot-queue-XXXXXX", path[128], err[256];
    struct gr_store *st;
    struct gr_queued_list l;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "sqlite:%s/q.db", dir);
    assert_int_equal(gr_store_open(path, GR_STORE_CREATE, &st, err, sizeof err), GR_OK);
    assert_int_equal(gr_store_begin(st), GR_OK);
    push(st, "h", "rolled back");
    gr_store_rollback(st);
    assert_int_equal(gr_store_begin(st), GR_OK);
    push(st, "h", "kept");
    assert_int_equal(gr_store_commit(st), GR_OK);
    gr_store_close(st);
    assert_int_equal(gr_store_open(path, 0, &st, err, sizeof err), GR_OK);
    assert_int_equal(gr_store_queue_peek(st, "h", 0, &l), GR_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].post.message, "kept");
    gr_queued_list_free(&l);
    gr_store_close(st);
    snprintf(path, sizeof path, "rm -rf %s", dir);
    assert_int_equal(system(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_fifo_per_hook),
            cmocka_unit_test(test_survives_reopen_and_rollback),
    };
    return cmocka_run_group_tests_name("store_queue", tests, NULL, NULL);
}
