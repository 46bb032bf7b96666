/* SPDX-License-Identifier: MIT */
/*
 * pacer.c - see pacer.h.
 *
 * State: one entry per hook that has messages waiting (usually none), in a small array under
 * one mutex; the token buckets live in a gr_limiter. Lock order: the pacer mutex may be held
 * while submitting to the writer (which takes its own mutex briefly); the writer calls drain
 * callbacks without holding its mutex, and they take the pacer mutex. So there is no cycle.
 */
#include "app/pacer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/app_int.h"
#include "app/digest.h"
#include "core/gtime.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "mm/incoming.h"

#define DRAIN_MAX 256     /* rows moved per drain transaction (normal mode) */
#define DIGEST_MAX 1000   /* rows merged into one digest at most */

struct entry {
    char hook_id[GR_ID_SIZE];
    size_t depth;   /* rows committed to the queue */
    size_t pending; /* rows admitted whose enqueue has not committed yet */
    bool inflight;
    bool known;   /* rate/capacity below came from the hook (else: to be looked up) */
    double rate, cap;
};

struct gr_pacer {
    struct gr_app *app;
    struct gr_pacer_defaults d;
    struct gr_limiter *lim;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    bool stopping;
    bool running;
    struct entry *v;
    size_t n, cap;
    size_t total_depth;
    int inflight;
};

struct drain {
    struct gr_write_job job;
    struct gr_pacer *p;
    char hook_id[GR_ID_SIZE];
    size_t want;
    bool digest;
    size_t removed;
    size_t merged; /* rows that went into digests */
};

static struct entry *find(struct gr_pacer *p, const char *id)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].hook_id, id) == 0)
            return &p->v[i];
    return NULL;
}

static struct entry *add(struct gr_pacer *p, const char *id)
{
    struct entry *e;

    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->v = gr_xrealloc(p->v, p->cap * sizeof *p->v);
    }
    e = &p->v[p->n++];
    memset(e, 0, sizeof *e);
    memcpy(e->hook_id, id, GR_ID_SIZE);
    return e;
}

static void drop(struct gr_pacer *p, struct entry *e)
{
    *e = p->v[--p->n];
}

static void settings(const struct gr_pacer *p, const struct gr_hook *h, double *rate, double *cap,
                     int *policy)
{
    *rate = h && h->rate >= 0 ? h->rate : p->d.rate;
    *cap = h && h->burst > 0 ? h->burst : p->d.burst;
    *policy = h && h->over_limit >= 0 ? h->over_limit : p->d.over_limit;
}

enum gr_admit gr_pacer_admit(struct gr_pacer *p, const struct gr_hook *h, size_t nposts,
                             struct gr_limit_info *info, bool *has_info)
{
    double rate, cap;
    int policy;
    struct entry *e;
    enum gr_admit a;
    int64_t now = gr_time_mono_ns();

    *has_info = false;
    settings(p, h, &rate, &cap, &policy);
    if (rate <= 0)
        return GR_ADMIT_DIRECT;
    pthread_mutex_lock(&p->mu);
    e = find(p, h->id);
    if (e == NULL || e->depth + e->pending == 0) {
        bool ok = gr_limiter_take(p->lim, h->id, rate, cap, now, info);
        *has_info = policy == GR_OVER_LIMIT_REJECT;
        if (ok) {
            a = GR_ADMIT_DIRECT;
            goto out;
        }
    }
    if (policy == GR_OVER_LIMIT_REJECT) {
        if (!*has_info)
            gr_limiter_take(p->lim, h->id, rate, cap, now, info);
        *has_info = true;
        a = GR_ADMIT_REJECT;
        goto out;
    }
    if ((e ? e->depth + e->pending : 0) + nposts > p->d.queue_max) {
        /* The queue is full: answer like the limiter, with the wait for one token. */
        info->limit = (long)cap;
        info->remaining = 0;
        info->retry_after = (long)(gr_limiter_wait_s(p->lim, h->id, rate, cap, now) + 1);
        info->reset_s = (long)(cap / rate + 1);
        *has_info = true;
        a = GR_ADMIT_REJECT;
        goto out;
    }
    if (e == NULL)
        e = add(p, h->id);
    e->pending += nposts;
    e->rate = rate;
    e->cap = cap;
    e->known = true;
    p->total_depth += nposts;
    a = GR_ADMIT_QUEUE;
out:
    pthread_mutex_unlock(&p->mu);
    return a;
}

void gr_pacer_queued(struct gr_pacer *p, const char *hook_id, size_t nposts)
{
    struct entry *e;

    pthread_mutex_lock(&p->mu);
    e = find(p, hook_id);
    if (e) {
        size_t k = nposts < e->pending ? nposts : e->pending;
        e->pending -= k;
        e->depth += k;
    }
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void gr_pacer_unadmit(struct gr_pacer *p, const char *hook_id, size_t nposts)
{
    struct entry *e;

    pthread_mutex_lock(&p->mu);
    e = find(p, hook_id);
    if (e) {
        size_t k = nposts < e->pending ? nposts : e->pending;
        e->pending -= k;
        p->total_depth -= k;
        if (e->depth + e->pending == 0 && !e->inflight)
            drop(p, e);
    }
    pthread_mutex_unlock(&p->mu);
}

size_t gr_pacer_depth(struct gr_pacer *p)
{
    size_t n;

    pthread_mutex_lock(&p->mu);
    n = p->total_depth;
    pthread_mutex_unlock(&p->mu);
    return n;
}

/* ---- draining (runs on the writer thread) ------------------------------------------------ */

static void free_posts(struct drain *d)
{
    for (size_t i = 0; i < d->job.nposts; i++)
        gr_post_cleanup(&d->job.posts[i]);
    free(d->job.posts);
    d->job.posts = NULL;
    d->job.nposts = 0;
}

static gr_err target(struct gr_store *st, struct gr_queued *q)
{
    if (q->dm_user_id[0] == '\0')
        return GR_OK;
    return gr_app__dm_channel(st, q->post.user_id, q->dm_user_id, q->post.channel_id);
}

static gr_err drain_apply(struct gr_store *st, struct gr_write_job *wj)
{
    struct drain *d = (struct drain *)wj;
    struct gr_queued_list l = {0};
    int64_t now = gr_time_now_ms();
    size_t take;
    gr_err rc;

    free_posts(d); /* a replay after a batch rollback starts again */
    d->removed = d->merged = 0;
    rc = gr_store_queue_peek(st, d->hook_id, d->digest ? DIGEST_MAX : d->want, &l);
    if (rc != GR_OK || l.n == 0)
        goto out;
    if (d->digest) {
        take = gr_digest_run(l.v, l.n, DIGEST_MAX);
        rc = target(st, &l.v[0]);
        if (rc == GR_OK) {
            for (size_t i = 1; i < take; i++)
                memcpy(l.v[i].post.channel_id, l.v[0].post.channel_id, GR_ID_SIZE);
            rc = gr_digest_build(l.v, take, GR_MM_MAX_POST_RUNES, &d->job.posts,
                                 &d->job.nposts);
        }
        d->merged = take;
    } else {
        take = l.n;
        d->job.posts = gr_xcalloc(take, sizeof *d->job.posts);
        for (size_t i = 0; i < take && rc == GR_OK; i++) {
            rc = target(st, &l.v[i]);
            d->job.posts[i] = l.v[i].post; /* moves message and props */
            memset(&l.v[i].post, 0, sizeof l.v[i].post);
            d->job.nposts++;
        }
    }
    for (size_t i = 0; i < d->job.nposts && rc == GR_OK; i++) {
        d->job.posts[i].create_at = d->job.posts[i].update_at = now;
        rc = gr_store_post_insert(st, &d->job.posts[i]);
    }
    for (size_t i = 0; i < take && rc == GR_OK; i++)
        rc = gr_store_queue_remove(st, l.v[i].seq);
    if (rc == GR_OK)
        d->removed = take;
out:
    gr_queued_list_free(&l);
    return rc;
}

static void drain_done(struct gr_write_job *wj, gr_err rc)
{
    struct drain *d = (struct drain *)wj;
    struct gr_pacer *p = d->p;
    struct entry *e;

    if (rc != GR_OK) {
        gr_log_warn("pacer", "drain failed: %s (will retry)", gr_err_str(rc));
        d->removed = 0;
    } else if (d->merged) {
        gr_metrics_hook_digest(p->app->metrics, d->merged);
    }
    pthread_mutex_lock(&p->mu);
    e = find(p, d->hook_id);
    if (e) {
        size_t k = d->removed < e->depth ? d->removed : e->depth;
        /* depth counts committed rows only, so a drain that found none means they are gone
         * (removed by hand, say): trust the store. */
        if (rc == GR_OK && d->removed == 0)
            k = e->depth;
        e->depth -= k;
        p->total_depth -= k;
        e->inflight = false;
        if (e->depth + e->pending == 0)
            drop(p, e);
    }
    p->inflight--;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    free_posts(d);
    free(d);
}

/* Looks up rate/capacity of a hook reloaded from the store (called without the mutex). */
static void learn(struct gr_pacer *p, const char *id, double *rate, double *cap)
{
    struct gr_store *st = gr_app_reader(p->app);
    struct gr_hook h;
    int policy;

    settings(p, (st && gr_store_hook_get(st, id, &h) == GR_OK) ? &h : NULL, rate, cap, &policy);
}

static void *loop(void *arg)
{
    struct gr_pacer *p = arg;

    pthread_mutex_lock(&p->mu);
    while (!p->stopping) {
        double wait_s = 1.0;
        int64_t now = gr_time_mono_ns();

        for (size_t i = 0; i < p->n; i++) {
            struct entry *e = &p->v[i];
            struct drain *d;
            long got;
            bool digest;

            if (e->inflight || e->depth == 0)
                continue;
            if (!e->known) {
                char id[GR_ID_SIZE];
                double rate, cap;
                memcpy(id, e->hook_id, GR_ID_SIZE);
                pthread_mutex_unlock(&p->mu);
                learn(p, id, &rate, &cap);
                pthread_mutex_lock(&p->mu);
                e = find(p, id);
                if (e == NULL)
                    break;
                e->rate = rate;
                e->cap = cap;
                e->known = true;
            }
            digest = p->d.digest_threshold > 0 && e->depth > p->d.digest_threshold;
            got = gr_limiter_take_n(p->lim, e->hook_id, e->rate, e->cap,
                                    digest ? 1 : (long)(e->depth < DRAIN_MAX ? e->depth
                                                                              : DRAIN_MAX),
                                    now);
            if (got <= 0) {
                double w = gr_limiter_wait_s(p->lim, e->hook_id, e->rate, e->cap, now);
                if (w < wait_s)
                    wait_s = w;
                continue;
            }
            d = gr_xcalloc(1, sizeof *d);
            d->p = p;
            memcpy(d->hook_id, e->hook_id, GR_ID_SIZE);
            d->want = (size_t)got;
            d->digest = digest;
            d->job.apply = drain_apply;
            d->job.done = drain_done;
            if (gr_writer_submit(p->app->writer, &d->job) != GR_OK) {
                free(d);
                continue;
            }
            e->inflight = true;
            p->inflight++;
        }
        if (wait_s < 0.001)
            wait_s = 0.001;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t ns = ts.tv_nsec + (int64_t)(wait_s * 1e9);
        ts.tv_sec += (time_t)(ns / 1000000000);
        ts.tv_nsec = (long)(ns % 1000000000);
        pthread_cond_timedwait(&p->cv, &p->mu, &ts);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

gr_err gr_pacer_start(struct gr_app *app, struct gr_store *st,
                      const struct gr_pacer_defaults *d, struct gr_pacer **out)
{
    struct gr_pacer *p = gr_xcalloc(1, sizeof *p);
    struct gr_queue_depth *depths = NULL;
    size_t n = 0;
    gr_err rc;

    p->app = app;
    p->d = *d;
    p->lim = gr_limiter_new(100000);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    rc = gr_store_queue_depths(st, &depths, &n);
    if (rc != GR_OK)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        struct entry *e = add(p, depths[i].hook_id);
        e->depth = depths[i].n;
        p->total_depth += depths[i].n;
    }
    free(depths);
    if (p->total_depth)
        gr_log_info("pacer", "resuming %zu queued messages for %zu hooks", p->total_depth, p->n);
    *out = p;
    return GR_OK;
fail:
    gr_limiter_free(p->lim);
    free(p->v);
    free(p);
    *out = NULL;
    return rc;
}

gr_err gr_pacer_run(struct gr_pacer *p)
{
    if (pthread_create(&p->th, NULL, loop, p) != 0)
        return GR_EIO;
    p->running = true;
    return GR_OK;
}

void gr_pacer_stop(struct gr_pacer *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    if (p->running)
        pthread_join(p->th, NULL);
    pthread_mutex_lock(&p->mu);
    while (p->inflight > 0)
        pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    gr_limiter_free(p->lim);
    free(p->v);
    free(p);
}
