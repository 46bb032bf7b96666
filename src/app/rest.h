/* SPDX-License-Identifier: MIT */
/*
 * rest.h - the use cases behind the REST surface for teams, channels, posts, threads,
 * reactions and typing (spec mattermost-compat §5.4-§5.8), for api/.
 *
 * Every function takes the authenticated caller and answers with an HTTP status:
 *  - reads run on the calling thread's read connection and return 200 with *out (a JSON value
 *    the caller owns), or an error status with e filled;
 *  - writes validate on the read connection, then hand a job to the group-commit writer and
 *    return GR_REST_PENDING: ctx->done is then called exactly once, on the writer thread, after
 *    the commit (or the failure). Clients see their change over the WebSocket only after that
 *    commit: the job's events go on the bus (app/bus.h) in commit order. A write refused before
 *    it reaches the writer returns its status at once (e filled, nothing stored, done never
 *    called); a write that needs no storing (a repeated pending_post_id) returns its success
 *    status at once with *out.
 * Permissions follow Mattermost's defaults: system admins may do everything; others read
 * channels they belong to and public channels of their teams, post where they are members
 * (joining a public channel of their team on first post), and see DMs and private channels
 * only as members.
 */
#ifndef GR_APP_REST_H
#define GR_APP_REST_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "core/apperr.h"
#include "store/store.h"

#define GR_REST_PENDING 0

/* The outcome of a write: status with body (success; the callee takes the reference) or with
 * e (error; body NULL; e borrowed for the call). */
typedef void (*gr_rest_done_fn)(void *ud, int status, json_t *body, const struct gr_apperr *e);

struct gr_rest_ctx {
    struct gr_app *app;
    const struct gr_user *user; /* the authenticated caller (borrowed) */
    gr_rest_done_fn done;       /* for writes */
    void *ud;
    /* POST /posts?set_online=false: every post the write publishes carries
     * gr_post.no_set_online, so its `posted` event says set_online false (rest_job.c). */
    bool no_set_online;
};

/* Paging of list endpoints: page (0-based) and per_page (default 60, max 200, clamped). */
struct gr_rest_paging {
    size_t page;
    size_t per_page;
};

/* ---- teams and channels (app/channels.c, app/channel_write.c) ---- */

/* GET /teams/{id} and /teams/name/{name}: exactly one of id and name is non-NULL. */
int gr_rest_team_get(const struct gr_rest_ctx *c, const char *id, const char *name, json_t **out,
                     struct gr_apperr *e);
/* GET /teams/{team_id}/channels/name/{name}, /teams/name/{team}/channels/name/{name}: one of
 * team_id and team_name is non-NULL. */
int gr_rest_channel_by_name(const struct gr_rest_ctx *c, const char *team_id, const char *team_name,
                            const char *name, bool include_deleted, json_t **out,
                            struct gr_apperr *e);
/* GET /channels/{id} */
int gr_rest_channel_get(const struct gr_rest_ctx *c, const char *id, json_t **out,
                        struct gr_apperr *e);
/* GET /users/{user_id}/teams/{team_id}/channels (user_id may be "me"). */
int gr_rest_my_channels(const struct gr_rest_ctx *c, const char *user_id, const char *team_id,
                        bool include_deleted, json_t **out, struct gr_apperr *e);
/* GET /channels/{id}/members */
int gr_rest_channel_members(const struct gr_rest_ctx *c, const char *id,
                            const struct gr_rest_paging *pg, json_t **out, struct gr_apperr *e);
/* GET /channels/{id}/members/{user_id} (user_id may be "me"): 200 ChannelMember, 404 when the
 * user is not a member; readable by whoever may list the members. */
int gr_rest_channel_member_get(const struct gr_rest_ctx *c, const char *id, const char *user_id,
                               json_t **out, struct gr_apperr *e);
/* POST /channels (201 Channel), body {team_id, name, display_name, type, purpose, header}. */
int gr_rest_channel_create(const struct gr_rest_ctx *c, json_t *body, json_t **out,
                           struct gr_apperr *e);
/* POST /channels/direct (201, idempotent), body [id, id]. */
int gr_rest_channel_direct(const struct gr_rest_ctx *c, json_t *body, json_t **out,
                           struct gr_apperr *e);
/* POST /channels/group (201, idempotent), body [3-8 ids] (the caller is added if missing). */
int gr_rest_channel_group(const struct gr_rest_ctx *c, json_t *body, json_t **out,
                          struct gr_apperr *e);
/* POST /channels/{id}/members (201 ChannelMember), body {user_id}. */
int gr_rest_channel_member_add(const struct gr_rest_ctx *c, const char *id, json_t *body,
                               json_t **out, struct gr_apperr *e);
/* DELETE /channels/{id}/members/{user_id} (200 {"status":"OK"}). */
int gr_rest_channel_member_remove(const struct gr_rest_ctx *c, const char *id, const char *user_id,
                                  json_t **out, struct gr_apperr *e);

/* ---- posts (app/posts.c, app/post_write.c) ---- */

/* POST /posts (201 Post); body.create_at is honoured only for admins. */
int gr_rest_post_create(const struct gr_rest_ctx *c, json_t *body, json_t **out,
                        struct gr_apperr *e);
/* GET /posts/{id} */
int gr_rest_post_get(const struct gr_rest_ctx *c, const char *id, json_t **out,
                     struct gr_apperr *e);
/* PUT /posts/{id} (patch false: full update, body.id must be id) and PUT /posts/{id}/patch. */
int gr_rest_post_update(const struct gr_rest_ctx *c, const char *id, json_t *body, bool patch,
                        json_t **out, struct gr_apperr *e);
/* DELETE /posts/{id} (200 {"status":"OK"}). */
int gr_rest_post_delete(const struct gr_rest_ctx *c, const char *id, json_t **out,
                        struct gr_apperr *e);
/* GET /posts/{id}/thread */
int gr_rest_post_thread(const struct gr_rest_ctx *c, const char *id, json_t **out,
                        struct gr_apperr *e);

/* GET /channels/{id}/posts (spec §5.6). Query values are the raw strings (NULL = absent). */
struct gr_rest_posts_query {
    const char *page, *per_page, *since, *before, *after, *include_deleted;
};
int gr_rest_channel_posts(const struct gr_rest_ctx *c, const char *id,
                          const struct gr_rest_posts_query *q, json_t **out, struct gr_apperr *e);

/* ---- reactions and typing (app/reactions.c) ---- */

/* POST /reactions (200 Reaction), body {user_id, post_id, emoji_name}. */
int gr_rest_reaction_add(const struct gr_rest_ctx *c, json_t *body, json_t **out,
                         struct gr_apperr *e);
/* DELETE /users/{user_id}/posts/{post_id}/reactions/{emoji_name} (200 {"status":"OK"}). */
int gr_rest_reaction_remove(const struct gr_rest_ctx *c, const char *user_id, const char *post_id,
                            const char *emoji_name, json_t **out, struct gr_apperr *e);
/* GET /posts/{id}/reactions */
int gr_rest_reactions_list(const struct gr_rest_ctx *c, const char *post_id, json_t **out,
                           struct gr_apperr *e);
/* POST /users/{user_id}/typing, body {channel_id, parent_id}: publishes a `typing` event at
 * once (nothing is stored). 200 {"status":"OK"}. */
int gr_rest_typing(const struct gr_rest_ctx *c, const char *user_id, json_t *body, json_t **out,
                   struct gr_apperr *e);

/* ---- helpers shared with api/ ---- */

/* {"status":"OK"} */
json_t *gr_rest_status_ok(void);
/* Parses page/per_page (NULL = default) like Mattermost: a value that is not a non-negative
 * integer is the default (page 0, per_page 60), per_page is clamped to 200. Returns 0. */
int gr_rest_paging_parse(const char *page, const char *per_page, struct gr_rest_paging *out,
                         struct gr_apperr *e);

#endif
