/* SPDX-License-Identifier: MIT */
/*
 * test_writer.c - group commit on a real SQLite store: concurrent submitters get batches larger
 * than one, every job's done() runs once after its commit, the bus sees posts in commit order,
 * and a failing job fails alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/admin.h"
#include "app/bus.h"
#include "app/metrics.h"
#include "app/writer.h"
#include "core/id.h"

#define THREADS 8
#define PER_THREAD 200

struct job {
    struct gr_write_job wj;
    struct gr_post post;
    atomic_int *done_ok, *done_fail;
    bool bad;
};

static char channel_id[GR_ID_SIZE];
static struct gr_writer *w;

static gr_err apply(struct gr_store *st, struct gr_write_job *wj)
{
    struct job *j = (struct job *)wj;
    if (j->bad)
        return GR_EINVAL; /* a job that always fails */
    return gr_store_post_insert(st, &j->post);
}

static void done(struct gr_write_job *wj, gr_err rc)
{
    struct job *j = (struct job *)wj;
    atomic_fetch_add(rc == GR_OK ? j->done_ok : j->done_fail, 1);
    free(j->post.message);
    free(j->post.props);
    free(j);
}

static atomic_int ok_count, fail_count;
static char seen_ids[THREADS * PER_THREAD + 8][GR_ID_SIZE];
static atomic_int nseen;

static void on_posts(void *ud, const struct gr_post *posts, size_t n)
{
    (void)ud;
    for (size_t i = 0; i < n; i++) {
        int k = atomic_fetch_add(&nseen, 1);
        memcpy(seen_ids[k], posts[i].id, GR_ID_SIZE);
    }
}

static void *submitter(void *arg)
{
    long t = (long)arg;

    for (int i = 0; i < PER_THREAD; i++) {
        struct job *j = calloc(1, sizeof *j);
        char msg[64];
        gr_id_new_sorted(j->post.id);
        memcpy(j->post.channel_id, channel_id, GR_ID_SIZE);
        snprintf(msg, sizeof msg, "t%ld-%d", t, i);
        j->post.message = strdup(msg);
        j->post.props = strdup("{}");
        j->post.create_at = 1;
        j->done_ok = &ok_count;
        j->done_fail = &fail_count;
        j->bad = (t == 0 && i == 7); /* exactly one bad job */
        j->wj.apply = apply;
        j->wj.done = done;
        if (!j->bad) {
            j->wj.posts = &j->post;
            j->wj.nposts = 1;
        }
        assert_int_equal(gr_writer_submit(w, &j->wj), GR_OK);
    }
    return NULL;
}

static void test_group_commit(void **state)
{
    char dir[] = "/tmp/griot-writer-XXXXXX", url[128], err[256];
    struct gr_store *st, *rd;
    struct gr_bootstrap b;
    struct gr_apperr e;
    struct gr_team t;
    struct gr_channel c;
    struct gr_bus *bus = gr_bus_new();
    struct gr_metrics *m = gr_metrics_new();
    struct gr_post_list l;
    pthread_t th[THREADS];
    struct gr_buf text;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(url, sizeof url, "sqlite:%s/w.db", dir);
    assert_int_equal(gr_store_open(url, GR_STORE_CREATE, &st, err, sizeof err), GR_OK);
    assert_int_equal(gr_admin_bootstrap(st, &b, &e), 0);
    assert_int_equal(gr_admin_team_find(st, "main", &t, &e), 0);
    assert_int_equal(gr_admin_channel_find(st, t.id, "off-topic", &c, &e), 0);
    memcpy(channel_id, c.id, GR_ID_SIZE);
    assert_int_equal(gr_bus_subscribe(bus, on_posts, NULL), GR_OK);
    assert_int_equal(gr_writer_start(st, bus, m, 64, &w), GR_OK);
    for (long i = 0; i < THREADS; i++)
        pthread_create(&th[i], NULL, submitter, (void *)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    gr_writer_stop(w); /* commits everything still queued */

    assert_int_equal(atomic_load(&ok_count), THREADS * PER_THREAD - 1);
    assert_int_equal(atomic_load(&fail_count), 1);
    assert_int_equal(atomic_load(&nseen), THREADS * PER_THREAD - 1);
    assert_int_equal(gr_metrics_rows(m), THREADS * PER_THREAD - 1);

    /* Commit order = store order: the bus saw posts in the order they were inserted. */
    assert_int_equal(gr_store_open(url, 0, &rd, err, sizeof err), GR_OK);
    assert_int_equal(gr_store_post_list(rd, channel_id, 0, &l), GR_OK);
    assert_int_equal(l.n, THREADS * PER_THREAD - 1);
    for (size_t i = 0; i < l.n; i++)
        assert_string_equal(l.v[l.n - 1 - i].id, seen_ids[i]);
    gr_post_list_free(&l);
    gr_store_close(rd);

    /* Concurrent submitters must have been batched. */
    gr_buf_init(&text, GR_BUF_UNBOUNDED);
    assert_int_equal(gr_metrics_render(m, 0, &text), GR_OK);
    const char *p = strstr(text.p, "\ngriot_store_commit_batch_max ");
    assert_non_null(p);
    assert_true(atol(p + strlen("\ngriot_store_commit_batch_max ")) > 1);
    gr_buf_cleanup(&text);
    gr_bus_free(bus);
    gr_metrics_free(m);
    snprintf(url, sizeof url, "rm -rf %s", dir);
    assert_int_equal(system(url), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_group_commit)};
    return cmocka_run_group_tests_name("writer", tests, NULL, NULL);
}
