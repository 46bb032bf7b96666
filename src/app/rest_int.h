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
#include "mm/incoming.h"

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
    bool no_set_online; /* the request's (struct gr_rest_ctx): marks the posts published */
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

/* The client shape of post p as every answer and event should carry it: gr_shape_post plus its
 * thread's reply_count and its reactions, read on st (app/posts.c). *out NULL on failure. */
gr_err gr_rest__shape_post(struct gr_store *st, const struct gr_post *p, json_t **out);

/* Optional JSON members: absent or null leaves *out unchanged and returns true; a wrong type
 * returns false. */
bool gr_rest__opt_str(json_t *o, const char *key, const char **out);
bool gr_rest__opt_bool(json_t *o, const char *key, bool *out);
/* A JSON string of v (compact) as a new json_t string; v is borrowed. */
json_t *gr_rest__json_string_of(json_t *v);

/* ---- request bodies: pure readers (no store), also driven by tests/fuzz/fuzz_rest.c ----
 * Each returns 0, or the status of the refusal with e filled. Strings handed back point into
 * body (or cur), so they live as long as it does. */

/* POST /posts: channel_id (required, an id), message, root_id, type, pending_post_id, props
 * (object or null; borrowed), create_at; fills p's message (owned), type and pending_post_id. */
int gr_rest__post_fields(json_t *body, struct gr_post *p, const char **channel_id,
                         const char **root_id, json_t **props, int64_t *create_at,
                         struct gr_apperr *e);
/* PUT /posts/{id} (patch false: absent = empty) and /posts/{id}/patch (absent = cur's): the
 * new message, is_pinned and props (borrowed; NULL or null = none given). */
int gr_rest__post_edit_fields(json_t *body, bool patch, const struct gr_post *cur, const char **msg,
                              bool *pinned, json_t **props, struct gr_apperr *e);
/* The stored props from a request's (req borrowed, may be NULL): a copy without the keys only
 * the server sets, attachments processed like a webhook's (lookup resolves `<@id>` mentions),
 * from_bot for bots, and the server-only keys of keep (an old post's props JSON, may be NULL)
 * plus its action integrations for the actions that come back without one
 * (gr_mm_actions_restore_integrations). *out is the JSON text (owned). */
int gr_rest__post_props(gr_mm_username_fn lookup, void *ud, json_t *req,
                        const struct gr_user *author, const char *keep, char **out,
                        struct gr_apperr *e);
/* POST /channels: the fields of a new channel (Channel.IsValid) into ch. */
int gr_rest__channel_fields(json_t *body, struct gr_channel *ch, struct gr_apperr *e);
/* POST /channels/direct and /group: the array of user ids into users (deduplicated, sorted;
 * self_id added when non-NULL). More than max distinct ids returns -1 (the caller words it). */
int gr_rest__user_ids(json_t *body, size_t max, const char *self_id, char (*users)[GR_ID_SIZE],
                      size_t *n, struct gr_apperr *e);
/* POST /reactions: user_id (non-empty), post_id (an id) and emoji_name (Mattermost's rule). */
int gr_rest__reaction_fields(json_t *body, const char **user_id, const char **post_id,
                             const char **emoji_name, struct gr_apperr *e);

#endif
