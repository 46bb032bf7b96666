/* SPDX-License-Identifier: MIT */
/* checkpointer.c - see checkpointer.h. */
#include "app/checkpointer.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "store/store.h"

struct gr_checkpointer {
    struct gr_store *st;
    struct gr_metrics *m;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
};

static void *loop(void *arg)
{
    struct gr_checkpointer *c = arg;
    uint64_t seen = 0;

    pthread_mutex_lock(&c->mu);
    while (!c->stopping) {
        struct timespec ts;
        uint64_t rows;

        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&c->cv, &c->mu, &ts);
        rows = gr_metrics_rows(c->m);
        if (rows == seen)
            continue;
        seen = rows;
        pthread_mutex_unlock(&c->mu);
        int pages = 0;
        gr_err rc = gr_store_checkpoint(c->st, false, &pages);
        /* Under a load that never pauses a PASSIVE checkpoint never catches up with the
         * writer, and the WAL only restarts after one that did: past 16384 pages (64 MB), wait
         * for a gap between two commits once. */
        if (rc == GR_OK && pages > 16384)
            rc = gr_store_checkpoint(c->st, true, &pages);
        if (rc != GR_OK)
            gr_log_warn("checkpoint", "WAL checkpoint failed; will retry");
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

gr_err gr_checkpointer_start(const char *db_url, struct gr_metrics *m,
                             struct gr_checkpointer **out)
{
    struct gr_checkpointer *c = gr_xcalloc(1, sizeof *c);
    char err[256];
    gr_err rc;

    *out = NULL;
    rc = gr_store_open(db_url, 0, &c->st, err, sizeof err);
    if (rc != GR_OK) {
        gr_log_error("checkpoint", "%s", err);
        free(c);
        return rc;
    }
    c->m = m;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    if (pthread_create(&c->th, NULL, loop, c) != 0) {
        gr_store_close(c->st);
        free(c);
        return GR_EIO;
    }
    *out = c;
    return GR_OK;
}

void gr_checkpointer_stop(struct gr_checkpointer *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->mu);
    c->stopping = true;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->th, NULL);
    gr_store_checkpoint(c->st, false, NULL);
    gr_store_close(c->st);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
}
