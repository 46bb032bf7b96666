/* SPDX-License-Identifier: MIT */
/* test_limiter.c - token buckets: burst, refill, headers, eviction, unlimited. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "app/limiter.h"

#define SEC 1000000000LL

static void test_burst_then_refuse(void **state)
{
    struct gr_limiter *l = gr_limiter_new(100);
    struct gr_limit_info info;
    int ok = 0;

    (void)state;
    for (int i = 0; i < 70; i++)
        ok += gr_limiter_take(l, "hook", 30, 60, 0, &info);
    assert_int_equal(ok, 60);
    assert_int_equal(info.limit, 60);
    assert_int_equal(info.remaining, 0);
    assert_true(info.retry_after >= 1);
    /* After one second at 30/s, 30 more pass. */
    ok = 0;
    for (int i = 0; i < 40; i++)
        ok += gr_limiter_take(l, "hook", 30, 60, SEC, NULL);
    assert_int_equal(ok, 30);
    gr_limiter_free(l);
}

static void test_mattermost_rl2(void **state)
{
    /* RL-2: PerSec=1, MaxBurst=0 -> capacity 1: first allowed, second refused. */
    struct gr_limiter *l = gr_limiter_new(10);
    struct gr_limit_info info;

    (void)state;
    assert_true(gr_limiter_take(l, "1.2.3.4", 1, 1, 0, &info));
    assert_int_equal(info.limit, 1);
    assert_int_equal(info.remaining, 0);
    assert_false(gr_limiter_take(l, "1.2.3.4", 1, 1, SEC / 10, &info));
    assert_int_equal(info.retry_after, 1);
    assert_true(gr_limiter_take(l, "1.2.3.4", 1, 1, SEC + SEC / 10, &info));
    gr_limiter_free(l);
}

static void test_keys_are_separate(void **state)
{
    struct gr_limiter *l = gr_limiter_new(10);

    (void)state;
    assert_true(gr_limiter_take(l, "a", 1, 1, 0, NULL));
    assert_false(gr_limiter_take(l, "a", 1, 1, 0, NULL));
    assert_true(gr_limiter_take(l, "b", 1, 1, 0, NULL));
    gr_limiter_free(l);
}

static void test_empty_key_is_one_bucket(void **state)
{
    struct gr_limiter *l = gr_limiter_new(10);

    (void)state;
    assert_true(gr_limiter_take(l, "", 1, 2, 0, NULL));
    assert_true(gr_limiter_take(l, "", 1, 2, 0, NULL));
    assert_false(gr_limiter_take(l, "", 1, 2, 0, NULL));
    gr_limiter_free(l);
}

static void test_unlimited(void **state)
{
    struct gr_limiter *l = gr_limiter_new(10);

    (void)state;
    for (int i = 0; i < 1000; i++)
        assert_true(gr_limiter_take(l, "x", 0, 1, 0, NULL));
    assert_int_equal(gr_limiter_take_n(l, "x", 0, 1, 77, 0), 77);
    gr_limiter_free(l);
}

static void test_take_n_and_wait(void **state)
{
    struct gr_limiter *l = gr_limiter_new(10);

    (void)state;
    assert_int_equal(gr_limiter_take_n(l, "q", 10, 5, 100, 0), 5);
    assert_int_equal(gr_limiter_take_n(l, "q", 10, 5, 100, 0), 0);
    assert_true(gr_limiter_wait_s(l, "q", 10, 5, 0) > 0.09);
    assert_int_equal(gr_limiter_take_n(l, "q", 10, 5, 100, SEC / 2), 5);
    gr_limiter_free(l);
}

static void test_eviction_bounds_memory(void **state)
{
    struct gr_limiter *l = gr_limiter_new(8);
    char key[32];

    (void)state;
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_true(gr_limiter_take(l, key, 1, 1, i, NULL));
    }
    /* The newest key is still tracked (and exhausted). */
    assert_false(gr_limiter_take(l, "k999", 1, 1, 1000, NULL));
    gr_limiter_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_burst_then_refuse), cmocka_unit_test(test_mattermost_rl2),
            cmocka_unit_test(test_keys_are_separate), cmocka_unit_test(test_unlimited),
            cmocka_unit_test(test_empty_key_is_one_bucket),
            cmocka_unit_test(test_take_n_and_wait),   cmocka_unit_test(test_eviction_bounds_memory),
    };
    return cmocka_run_group_tests_name("limiter", tests, NULL, NULL);
}
