/* SPDX-License-Identifier: MIT */
/* app_int.h - helpers shared between files of the app module only. */
#ifndef GR_APP_APP_INT_H
#define GR_APP_APP_INT_H

#include "app/app.h"
#include "app/dircache.h"
#include "app/ingest.h"
#include "mm/incoming.h"
#include "store/store.h"

/* A prepared incoming-webhook request: the posts, and how the writer stores them. */
struct gr_ingest {
    struct gr_write_job job; /* first member: the writer hands us back this pointer */
    struct gr_post *posts;   /* the posts; job.posts points here only when posting directly */
    size_t nposts;
    char hook_id[GR_ID_SIZE];
    char creator_id[GR_ID_SIZE];
    char team_id[GR_ID_SIZE];
    char dm_user_id[GR_ID_SIZE];  /* non-empty: post into the DM with this user (create it) */
    char create_channel[GR_NAME_SIZE]; /* non-empty: post into this channel of team_id, created
                                        * if missing (channel templates with auto-create) */
    char delivery_id[160]; /* non-empty: record it; a repeat posts nothing */
    bool queued;           /* over the hook's rate: store in its queue, not as posts */
    bool duplicate;        /* set by apply(): the delivery id was seen before */
    struct gr_app *app;
    gr_ingest_done_fn done;
    void *ud;
};

/* ingest.c: a job for hook; the tail shared by every source (checks 14-15, build, limiter);
 * the 503 answer for a store failure. */
struct gr_ingest *gr_ingest__new(struct gr_app *app, const struct gr_hook *hook);
int gr_ingest__finish(struct gr_app *app, struct gr_store *st, const struct gr_hook *hook,
                      const struct gr_mm_incoming *in, const struct gr_channel *ch,
                      struct gr_ingest *job, struct gr_ingest_limit *limit, struct gr_apperr *e);
int gr_ingest__store_fail(struct gr_apperr *e, gr_err rc);
/* ingest_source.c: the native-source path for a hook whose source is not "mattermost". */
int gr_ingest__prepare_source(struct gr_app *app, struct gr_dirview *dv,
                              const struct gr_ingest_req *req, const struct gr_hook *hook,
                              struct gr_ingest **job_out, struct gr_ingest_limit *limit,
                              struct gr_apperr *e);

/* Finds or creates (inside the caller's transaction) the DM channel between users a and b and
 * writes its id to id_out. ingest.c. */
gr_err gr_app__dm_channel(struct gr_store *st, const char *a, const char *b,
                          char id_out[GR_ID_SIZE]);

#endif
