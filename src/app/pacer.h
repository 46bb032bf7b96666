/* SPDX-License-Identifier: MIT */
/*
 * pacer.h - the per-hook rate limiter and its durable queue.
 *
 * Every incoming-webhook request asks gr_pacer_admit() before it is committed:
 *   DIRECT  the hook is under its rate and nothing of it waits: post now;
 *   QUEUE   the hook is over its rate (or messages of it already wait) and its policy is
 *           "queue": store the posts in the hook's queue (same group commit, so the 200 still
 *           means "durable") and let the pacer post them as the bucket allows;
 *   REJECT  policy "reject", or the queue is full: answer like Mattermost's limiter (429).
 * New requests never overtake queued ones: while a hook has waiting messages every new one
 * queues behind them. The pacer thread moves queued rows to posts (one transaction per drain,
 * through the writer), merging a backlog longer than digest_threshold into digest posts.
 * The queue lives in the store, so it survives restarts and kill -9; depths are reloaded at start.
 */
#ifndef GR_APP_PACER_H
#define GR_APP_PACER_H

#include <stddef.h>

#include "app/limiter.h"
#include "store/store.h"

struct gr_app;
struct gr_pacer;

enum gr_admit { GR_ADMIT_DIRECT, GR_ADMIT_QUEUE, GR_ADMIT_REJECT };

struct gr_pacer_defaults {
    double rate;       /* requests per second; 0 = unlimited */
    int burst;         /* bucket capacity */
    int over_limit;    /* enum gr_over_limit */
    size_t queue_max;  /* waiting posts per hook */
    size_t digest_threshold; /* 0 = never digest */
};

/* Loads the queue depths from st (before the writer takes st over). */
gr_err gr_pacer_start(struct gr_app *app, struct gr_store *st,
                      const struct gr_pacer_defaults *d, struct gr_pacer **out);
/* Starts the pacer thread; app->writer must be running. */
gr_err gr_pacer_run(struct gr_pacer *p);
/* Decides what to do with a request of hook h that makes nposts posts. info is filled when
 * the hook's policy is "reject" (its headers go on the answer) and on REJECT. A QUEUE answer
 * reserves nposts places: call gr_pacer_queued() once the rows are committed, or
 * gr_pacer_unadmit() if they were not. */
enum gr_admit gr_pacer_admit(struct gr_pacer *p, const struct gr_hook *h, size_t nposts,
                             struct gr_limit_info *info, bool *has_info);
void gr_pacer_queued(struct gr_pacer *p, const char *hook_id, size_t nposts);
void gr_pacer_unadmit(struct gr_pacer *p, const char *hook_id, size_t nposts);
/* Posts waiting in all queues (for /metrics). */
size_t gr_pacer_depth(struct gr_pacer *p);
/* Stops the thread and waits for drains in flight (the writer must still run). */
void gr_pacer_stop(struct gr_pacer *p);

#endif
