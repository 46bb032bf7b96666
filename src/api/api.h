/* SPDX-License-Identifier: MIT */
/*
 * api.h - griot's HTTP resources: the route table that main.c hands to the HTTP server.
 * Each handler parses the plain request, calls app/, and writes the response.
 */
#ifndef GR_API_API_H
#define GR_API_API_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "http/http.h"

struct gr_ws_hub;
struct gr_ws_conn;

struct gr_api {
    struct gr_app *app;
    size_t max_payload; /* MaximumPayloadSizeBytes */
    size_t max_body;    /* the body limit applied: max_payload + Mattermost's 512 bytes */
    /* global limiter keys (Mattermost RateLimitSettings.Vary*) */
    bool vary_by_remote_addr;
    bool vary_by_user;
    const char *vary_by_header; /* "" = none */
    const char *const *trusted_proxies; /* CIDRs whose X-Forwarded-For is believed */
    size_t ntrusted_proxies;
    struct gr_ws_hub *ws;   /* the WebSocket hub (api/websocket.c); NULL = no WebSockets */
    const char *version_id; /* X-Version-Id; also hello's server_version */
};

/* The route table (static storage). n_out receives its length. */
const struct gr_http_route *gr_api_routes(size_t *n_out);
/* gr_http_observer for the server: feeds request metrics (ud = struct gr_api). */
void gr_api_observe(const char *route, const char *method, int status, int64_t duration_ns,
                    void *ud);

/* Handlers, one file per resource. */
void gr_api_hooks_post(struct gr_http_req *r, void *ud);          /* api/hooks.c */
size_t gr_api_hooks_body_limit(struct gr_http_req *r, void *ud);
void gr_api_hooks_incoming_list(struct gr_http_req *r, void *ud); /* api/hooks_admin.c */
void gr_api_hooks_incoming_create(struct gr_http_req *r, void *ud);
void gr_api_hooks_incoming_get(struct gr_http_req *r, void *ud);
void gr_api_hooks_incoming_update(struct gr_http_req *r, void *ud);
void gr_api_hooks_incoming_delete(struct gr_http_req *r, void *ud);
/* api/commands.c: slash commands (spec §3) */
void gr_api_hooks_command(struct gr_http_req *r, void *ud);
void gr_api_commands_execute(struct gr_http_req *r, void *ud);
void gr_api_commands_create(struct gr_http_req *r, void *ud);
void gr_api_commands_list(struct gr_http_req *r, void *ud);
void gr_api_commands_get(struct gr_http_req *r, void *ud);
void gr_api_commands_update(struct gr_http_req *r, void *ud);
void gr_api_commands_delete(struct gr_http_req *r, void *ud);
void gr_api_commands_regen_token(struct gr_http_req *r, void *ud);
void gr_api_commands_rotate_secret(struct gr_http_req *r, void *ud);
void gr_api_commands_autocomplete(struct gr_http_req *r, void *ud);
/* api/outgoing.c: outgoing webhooks (spec §2.1) */
void gr_api_hooks_outgoing_create(struct gr_http_req *r, void *ud);
void gr_api_hooks_outgoing_list(struct gr_http_req *r, void *ud);
void gr_api_hooks_outgoing_get(struct gr_http_req *r, void *ud);
void gr_api_hooks_outgoing_update(struct gr_http_req *r, void *ud);
void gr_api_hooks_outgoing_delete(struct gr_http_req *r, void *ud);
void gr_api_hooks_outgoing_regen_token(struct gr_http_req *r, void *ud);
void gr_api_hooks_outgoing_rotate_secret(struct gr_http_req *r, void *ud);
void gr_api_system_ping(struct gr_http_req *r, void *ud); /* api/system.c */
/* GET /api/v4/websocket (api/websocket.c), and the hub's callbacks (hub thread; ud = gr_api). */
void gr_api_websocket(struct gr_http_req *r, void *ud);
void gr_api_ws_on_open(struct gr_ws_conn *c, void *ud);
void gr_api_ws_on_message(struct gr_ws_conn *c, const char *text, size_t len, void *ud);
void gr_api_healthz(struct gr_http_req *r, void *ud);
void gr_api_metrics(struct gr_http_req *r, void *ud);

/* Shared helpers (api/api.c). */
/* Authenticates the request (spec §5.1: the MMAUTHTOKEN cookie, then Authorization: Bearer|Token
 * <t>, scheme word in any case) and returns 0 with the user, or answers 401 itself and returns
 * the status. Login sessions and personal access tokens both work (app/auth.h). */
int gr_api__auth(struct gr_api *api, struct gr_http_req *r, struct gr_user *out);

/* ---- users, bots, tokens (api/users.c, api/bots.c, api/tokens.c) ---- */
/* Like gr_api__auth but returns the whole session (which token, of which kind). */
int gr_api__session(struct gr_api *api, struct gr_http_req *r, struct gr_auth_session *out);
/* Like gr_api__session but answers nothing: returns 0, or the status with e filled. */
int gr_api__try_session(struct gr_api *api, struct gr_http_req *r, struct gr_auth_session *out,
                        struct gr_apperr *e);
/* The request's token in spec §5.1 order, copied into buf[size], or NULL when there is none
 * (or it does not fit). The cookie counts for requests other than GET only with
 * X-Requested-With: XMLHttpRequest (a cross-site form cannot send that header, so a browser
 * session cannot be ridden). allow_query adds the `access_token` query parameter last: pass
 * true for WebSocket upgrades only (browsers cannot set headers on them). */
const char *gr_api__request_token(struct gr_http_req *r, bool allow_query, char *buf,
                                  size_t size);

void gr_api_users_login(struct gr_http_req *r, void *ud); /* api/users.c */
void gr_api_users_logout(struct gr_http_req *r, void *ud);
void gr_api_users_create(struct gr_http_req *r, void *ud);
void gr_api_users_get(struct gr_http_req *r, void *ud);
void gr_api_users_by_username(struct gr_http_req *r, void *ud);
void gr_api_users_by_ids(struct gr_http_req *r, void *ud);
void gr_api_users_by_usernames(struct gr_http_req *r, void *ud);
void gr_api_users_teams(struct gr_http_req *r, void *ud);
void gr_api_bots_create(struct gr_http_req *r, void *ud); /* api/bots.c */
void gr_api_bots_list(struct gr_http_req *r, void *ud);
void gr_api_bots_get(struct gr_http_req *r, void *ud);
void gr_api_bots_patch(struct gr_http_req *r, void *ud);
void gr_api_bots_disable(struct gr_http_req *r, void *ud);
void gr_api_bots_enable(struct gr_http_req *r, void *ud);
void gr_api_bots_assign(struct gr_http_req *r, void *ud);
void gr_api_tokens_create(struct gr_http_req *r, void *ud); /* api/tokens.c */
void gr_api_tokens_list(struct gr_http_req *r, void *ud);
void gr_api_tokens_list_all(struct gr_http_req *r, void *ud);
void gr_api_tokens_get(struct gr_http_req *r, void *ud);
void gr_api_tokens_revoke(struct gr_http_req *r, void *ud);
void gr_api_tokens_disable(struct gr_http_req *r, void *ud);
void gr_api_tokens_enable(struct gr_http_req *r, void *ud);
/* ---- end of users, bots, tokens ---- */

/* ---- teams, channels, posts, reactions, typing, client config ---- */
struct gr_rest_ctx;
/* api/rest.c: authenticates the caller into *u and fills c (the writer's answer goes to r);
 * false after answering 401/503. */
bool gr_api__rest_ctx(struct gr_api *api, struct gr_http_req *r, struct gr_user *u,
                      struct gr_rest_ctx *c);
/* The body as JSON (object or array), or NULL after answering 400 invalid_body_param(name). */
json_t *gr_api__rest_body(struct gr_http_req *r, const char *name);
/* Answers the status of a read use case (app/rest.h): out (stolen) or e. */
void gr_api__rest_answer(struct gr_http_req *r, int status, json_t *out, const struct gr_apperr *e);
/* Runs a write use case: suspends r, calls fn, and answers at once unless it is pending. */
typedef int (*gr_api_rest_write_fn)(struct gr_http_req *r, const struct gr_rest_ctx *c,
                                    json_t *body, json_t **out, struct gr_apperr *e);
void gr_api__rest_write(struct gr_api *api, struct gr_http_req *r, const char *body_name,
                        gr_api_rest_write_fn fn);
void gr_api_teams_get(struct gr_http_req *r, void *ud); /* api/teams.c */
void gr_api_teams_get_by_name(struct gr_http_req *r, void *ud);
void gr_api_channels_get(struct gr_http_req *r, void *ud); /* api/channels.c */
void gr_api_channels_by_name(struct gr_http_req *r, void *ud);
void gr_api_channels_by_team_name(struct gr_http_req *r, void *ud);
void gr_api_channels_mine(struct gr_http_req *r, void *ud);
void gr_api_channels_create(struct gr_http_req *r, void *ud);
void gr_api_channels_direct(struct gr_http_req *r, void *ud);
void gr_api_channels_group(struct gr_http_req *r, void *ud);
void gr_api_channels_members(struct gr_http_req *r, void *ud);
void gr_api_channels_member_get(struct gr_http_req *r, void *ud);
void gr_api_channels_member_add(struct gr_http_req *r, void *ud);
void gr_api_channels_member_remove(struct gr_http_req *r, void *ud);
void gr_api_posts_create(struct gr_http_req *r, void *ud); /* api/posts.c */
void gr_api_posts_get(struct gr_http_req *r, void *ud);
void gr_api_posts_update(struct gr_http_req *r, void *ud);
void gr_api_posts_patch(struct gr_http_req *r, void *ud);
void gr_api_posts_delete(struct gr_http_req *r, void *ud);
void gr_api_posts_thread(struct gr_http_req *r, void *ud);
void gr_api_posts_for_channel(struct gr_http_req *r, void *ud);
void gr_api_posts_action(struct gr_http_req *r, void *ud);  /* api/actions.c */
void gr_api_reactions_add(struct gr_http_req *r, void *ud); /* api/reactions.c */
void gr_api_reactions_list(struct gr_http_req *r, void *ud);
void gr_api_reactions_remove(struct gr_http_req *r, void *ud);
void gr_api_users_typing(struct gr_http_req *r, void *ud);
void gr_api_client_config(struct gr_http_req *r, void *ud); /* api/client_config.c */
/* ---- end of teams, channels, posts, reactions, typing, client config ---- */
/* Adds X-Ratelimit-Limit/Remaining/Reset (spec §7.2). */
void gr_api__limit_headers(struct gr_http_req *r, const struct gr_limit_info *info);
/* Answers like Mattermost's limiter: 429, text/plain "limit exceeded\n", X-Ratelimit-* and
 * Retry-After, no X-Request-Id. */
void gr_api__respond_limited(struct gr_http_req *r, const struct gr_limit_info *info);
/* gr_http_gate: the global per-client limiter (ud = struct gr_api). */
bool gr_api_gate(struct gr_http_req *r, void *ud);
/* Answers a JSON value (steals the reference). */
void gr_api__respond_json(struct gr_http_req *r, int status, json_t *v);

#endif
