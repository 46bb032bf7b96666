/* SPDX-License-Identifier: MIT */
/*
 * rest_int.h - what the REST use-case files of app/ share (rest_job.c, channels.c,
 * channel_write.c, posts.c, post_write.c, reactions.c): the writer job every REST write uses,
 * its post-commit events, access checks and small parsing helpers.
 *
 * A REST write is a struct that starts with struct gr_rest_job. Its run() executes inside the
 * writer's transaction and may run twice (after a batch rollback), so it recomputes everything
 * from the store and touches nothing outside the job. run() either writes and fills resp and
 * the events, or refuses with gr_rest__refuse() before writing anything (the transaction then
 * carries nothing of this job). resp, events and the refusal are reset before each run.
 */
#ifndef GR_APP_REST_INT_H
#define GR_APP_REST_INT_H

#include "app/rest.h"
#include "app/writer.h"

#define GR_REST_MAX_EVENTS 10 /* a group channel: one group_added per member (8) + spare */

struct gr_rest_event {
    char event[32];
    char channel_id[GR_ID_SIZE];
    char team_id[GR_ID_SIZE];
    char user_id[GR_ID_SIZE];
    char omit_user_id[GR_ID_SIZE];
    json_t *data;
};

struct gr_rest_job;
typedef gr_err (*gr_rest_run_fn)(struct gr_store *st, struct gr_rest_job *j);

struct gr_rest_job {
    struct gr_write_job wj; /* first member: the writer hands this pointer back */
    struct gr_app *app;
    gr_rest_run_fn run;
    void (*cleanup)(struct gr_rest_job *j); /* frees the use case's own fields; may be NULL */
    int status;                             /* the answer's status on success */
    json_t *resp;                           /* the answer's body, set by run() */
    struct gr_apperr err;                   /* err.status != 0: run() refused */
    struct gr_rest_event ev[GR_REST_MAX_EVENTS];
    struct gr_bus_event bev[GR_REST_MAX_EVENTS];
    size_t nev;
    gr_rest_done_fn done;
    void *ud;
};

/* Allocates a zeroed job of `size` bytes (>= sizeof struct gr_rest_job) for c. */
void *gr_rest__job_new(const struct gr_rest_ctx *c, size_t size, gr_rest_run_fn run, int status);
/* Hands j to the writer; returns GR_REST_PENDING, or 503 with e filled (j freed). */
int gr_rest__submit(struct gr_rest_job *j, struct gr_apperr *e);
/* Frees a job that was not submitted; accepts NULL. */
void gr_rest__job_free(struct gr_rest_job *j);
/* In run(): refuse with status/id/message; returns GR_OK so the batch goes on. */
gr_err gr_rest__refuse(struct gr_rest_job *j, int status, const char *id, const char *msg);
/* In run(): queues an event (takes the data reference). Strings may be NULL (= ""). */
void gr_rest__event(struct gr_rest_job *j, const char *event, const char *channel_id,
                    const char *team_id, const char *user_id, json_t *data);

/* The answer for a store failure (503). */
int gr_rest__store_fail(struct gr_apperr *e, gr_err rc);
int gr_rest__bad_url(struct gr_apperr *e, const char *name);  /* 400 invalid_url_param */
int gr_rest__bad_body(struct gr_apperr *e, const char *name); /* 400 invalid_body_param */
int gr_rest__forbidden(struct gr_apperr *e);                  /* 403 permissions */
/* The thread's read connection, or NULL with e = 503. */
struct gr_store *gr_rest__reader(const struct gr_rest_ctx *c, struct gr_apperr *e);

bool gr_rest__is_admin(const struct gr_user *u);

/* Access to a channel. */
enum gr_rest_access {
    GR_REST_NONE = 0, /* may not see it */
    GR_REST_READ,     /* may read (public channel of one of the caller's teams) */
    GR_REST_JOIN,     /* may read and join (public channel, team member, not a member) */
    GR_REST_MEMBER,   /* a member (or an admin) */
};
gr_err gr_rest__access(struct gr_store *st, const struct gr_user *u, const struct gr_channel *ch,
                       enum gr_rest_access *out);
/* Loads channel id (400 for a bad id, 404 unknown, 403 when the caller may not read it). */
int gr_rest__load_channel(struct gr_store *st, const struct gr_user *u, const char *id,
                          struct gr_channel *ch, enum gr_rest_access *acc, struct gr_apperr *e);
/* Loads the live post id (400 bad id, 404 unknown or deleted); with ch non-NULL also its
 * channel, which the caller must be able to read (403). */
int gr_rest__load_post(struct gr_store *st, const struct gr_user *u, const char *id,
                       struct gr_post *p, struct gr_channel *ch, struct gr_apperr *e);

/* Optional JSON members: absent or null leaves *out unchanged and returns true; a wrong type
 * returns false. */
bool gr_rest__opt_str(json_t *o, const char *key, const char **out);
bool gr_rest__opt_bool(json_t *o, const char *key, bool *out);
/* A JSON string of v (compact) as a new json_t string; v is borrowed. */
json_t *gr_rest__json_string_of(json_t *v);

#endif
