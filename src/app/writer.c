/* SPDX-License-Identifier: MIT */
/* writer.c - the group-commit thread; see writer.h for the contract. */
#include "app/writer.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/gtime.h"
#include "core/log.h"
#include "core/xalloc.h"

struct gr_writer {
    struct gr_store *st;
    struct gr_bus *bus;
    struct gr_metrics *m;
    size_t batch_max;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct gr_write_job *head, *tail; /* FIFO of waiting jobs */
    bool stopping;
};

/* Runs jobs[0..n) in one transaction. Returns GR_OK if all applied and the commit succeeded. */
static gr_err run_batch(struct gr_writer *w, struct gr_write_job **jobs, size_t n)
{
    gr_err rc = gr_store_begin(w->st);

    for (size_t i = 0; i < n && rc == GR_OK; i++)
        rc = jobs[i]->apply(w->st, jobs[i]);
    if (rc == GR_OK)
        rc = gr_store_commit(w->st);
    if (rc != GR_OK)
        gr_store_rollback(w->st);
    return rc;
}

static void finish(struct gr_writer *w, struct gr_write_job *job, gr_err rc)
{
    struct gr_post *posts = job->posts;
    size_t n = job->nposts;

    /* Publish before done(): done() hands the job (and its posts) back to its owner. */
    if (rc == GR_OK) {
        gr_bus_publish(w->bus, posts, n);
        for (size_t i = 0; i < job->nevents; i++)
            gr_bus_publish_event(w->bus, &job->events[i]);
    }
    job->done(job, rc);
}

static void process(struct gr_writer *w, struct gr_write_job **jobs, size_t n)
{
    int64_t t0 = gr_time_mono_ns();
    unsigned rows = 0;
    gr_err rc;

    rc = run_batch(w, jobs, n);
    if (rc == GR_OK) {
        for (size_t i = 0; i < n; i++)
            rows += (unsigned)jobs[i]->nposts;
        gr_metrics_commit(w->m, (unsigned)n, rows, gr_time_mono_ns() - t0);
        for (size_t i = 0; i < n; i++)
            finish(w, jobs[i], GR_OK);
        return;
    }
    if (n == 1) {
        gr_metrics_commit_failed(w->m);
        gr_log_warn("writer", "commit failed: %s", gr_err_str(rc));
        finish(w, jobs[0], rc);
        return;
    }
    /* Replay one by one so a single bad job fails alone. */
    for (size_t i = 0; i < n; i++) {
        int64_t t1 = gr_time_mono_ns();
        rc = run_batch(w, &jobs[i], 1);
        if (rc == GR_OK) {
            gr_metrics_commit(w->m, 1, (unsigned)jobs[i]->nposts, gr_time_mono_ns() - t1);
        } else {
            gr_metrics_commit_failed(w->m);
            gr_log_warn("writer", "commit failed: %s", gr_err_str(rc));
        }
        finish(w, jobs[i], rc);
    }
}

static void *loop(void *arg)
{
    struct gr_writer *w = arg;
    struct gr_write_job **batch = gr_xcalloc(w->batch_max, sizeof *batch);

    for (;;) {
        size_t n = 0;

        pthread_mutex_lock(&w->mu);
        while (w->head == NULL && !w->stopping)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->head == NULL && w->stopping) {
            pthread_mutex_unlock(&w->mu);
            break;
        }
        while (w->head && n < w->batch_max) {
            batch[n++] = w->head;
            w->head = w->head->next;
        }
        if (w->head == NULL)
            w->tail = NULL;
        pthread_mutex_unlock(&w->mu);
        process(w, batch, n);
    }
    free(batch);
    return NULL;
}

gr_err gr_writer_start(struct gr_store *st, struct gr_bus *bus, struct gr_metrics *m,
                       size_t batch_max, struct gr_writer **out)
{
    struct gr_writer *w = gr_xcalloc(1, sizeof *w);

    w->st = st;
    w->bus = bus;
    w->m = m;
    w->batch_max = batch_max ? batch_max : 512;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->th, NULL, loop, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w);
        *out = NULL;
        return GR_EIO;
    }
    *out = w;
    return GR_OK;
}

gr_err gr_writer_submit(struct gr_writer *w, struct gr_write_job *job)
{
    pthread_mutex_lock(&w->mu);
    if (w->stopping) {
        pthread_mutex_unlock(&w->mu);
        return GR_ECLOSED;
    }
    job->next = NULL;
    if (w->tail)
        w->tail->next = job;
    else
        w->head = job;
    w->tail = job;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return GR_OK;
}

void gr_writer_stop(struct gr_writer *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    gr_store_close(w->st);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}
