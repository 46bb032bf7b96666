/* SPDX-License-Identifier: MIT */
/* api.c - the route table and helpers shared by the resource files. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/admin.h"
#include "app/auth.h"
#include "core/gtime.h"
#include "core/xalloc.h"

static const struct gr_http_route routes[] = {
        {"POST", "/hooks/:id", gr_api_hooks_post, 0, gr_api_hooks_body_limit},
        /* slash commands (spec §3): delayed responses, execute, autocomplete, management;
         * rotate_secret is griot's own */
        {"POST", "/hooks/commands/:id", gr_api_hooks_command, 0, NULL},
        {"POST", "/api/v4/commands/execute", gr_api_commands_execute, 0, NULL},
        {"POST", "/api/v4/commands", gr_api_commands_create, 0, NULL},
        {"GET", "/api/v4/commands", gr_api_commands_list, 0, NULL},
        {"GET", "/api/v4/commands/:command_id", gr_api_commands_get, 0, NULL},
        {"PUT", "/api/v4/commands/:command_id", gr_api_commands_update, 0, NULL},
        {"DELETE", "/api/v4/commands/:command_id", gr_api_commands_delete, 0, NULL},
        {"PUT", "/api/v4/commands/:command_id/regen_token", gr_api_commands_regen_token, 0, NULL},
        {"PUT", "/api/v4/commands/:command_id/rotate_secret", gr_api_commands_rotate_secret, 0,
         NULL},
        {"GET", "/api/v4/teams/:team_id/commands/autocomplete", gr_api_commands_autocomplete, 0,
         NULL},
        {"GET", "/api/v4/system/ping", gr_api_system_ping, 0, NULL},
        {"GET", "/api/v4/websocket", gr_api_websocket, 0, NULL},
        {"GET", "/api/v4/websocket/", gr_api_websocket, 0, NULL},
        {"GET", "/healthz", gr_api_healthz, 0, NULL},
        {"GET", "/metrics", gr_api_metrics, 0, NULL},
        {"GET", "/api/v4/hooks/incoming", gr_api_hooks_incoming_list, 0, NULL},
        {"POST", "/api/v4/hooks/incoming", gr_api_hooks_incoming_create, 0, NULL},
        {"GET", "/api/v4/hooks/incoming/:id", gr_api_hooks_incoming_get, 0, NULL},
        {"PUT", "/api/v4/hooks/incoming/:id", gr_api_hooks_incoming_update, 0, NULL},
        {"DELETE", "/api/v4/hooks/incoming/:id", gr_api_hooks_incoming_delete, 0, NULL},
        /* outgoing webhooks (spec §2.1); rotate_secret is griot's own */
        {"GET", "/api/v4/hooks/outgoing", gr_api_hooks_outgoing_list, 0, NULL},
        {"POST", "/api/v4/hooks/outgoing", gr_api_hooks_outgoing_create, 0, NULL},
        {"GET", "/api/v4/hooks/outgoing/:id", gr_api_hooks_outgoing_get, 0, NULL},
        {"PUT", "/api/v4/hooks/outgoing/:id", gr_api_hooks_outgoing_update, 0, NULL},
        {"DELETE", "/api/v4/hooks/outgoing/:id", gr_api_hooks_outgoing_delete, 0, NULL},
        {"POST", "/api/v4/hooks/outgoing/:id/regen_token", gr_api_hooks_outgoing_regen_token, 0,
         NULL},
        {"POST", "/api/v4/hooks/outgoing/:id/rotate_secret", gr_api_hooks_outgoing_rotate_secret, 0,
         NULL},
        /* users, bots, tokens (spec §5.1-§5.4). Fixed paths before the ":user_id" patterns
         * that would also match them (the first matching route wins). */
        {"POST", "/api/v4/users/login", gr_api_users_login, 0, NULL},
        {"POST", "/api/v4/users/logout", gr_api_users_logout, 0, NULL},
        {"POST", "/api/v4/users", gr_api_users_create, 0, NULL},
        {"POST", "/api/v4/users/ids", gr_api_users_by_ids, 0, NULL},
        {"POST", "/api/v4/users/usernames", gr_api_users_by_usernames, 0, NULL},
        {"GET", "/api/v4/users/tokens", gr_api_tokens_list_all, 0, NULL},
        {"POST", "/api/v4/users/tokens/revoke", gr_api_tokens_revoke, 0, NULL},
        {"POST", "/api/v4/users/tokens/disable", gr_api_tokens_disable, 0, NULL},
        {"POST", "/api/v4/users/tokens/enable", gr_api_tokens_enable, 0, NULL},
        {"GET", "/api/v4/users/tokens/:token_id", gr_api_tokens_get, 0, NULL},
        {"GET", "/api/v4/users/username/*username", gr_api_users_by_username, 0, NULL},
        {"GET", "/api/v4/users/:user_id", gr_api_users_get, 0, NULL},
        {"GET", "/api/v4/users/:user_id/teams", gr_api_users_teams, 0, NULL},
        {"POST", "/api/v4/users/:user_id/tokens", gr_api_tokens_create, 0, NULL},
        {"GET", "/api/v4/users/:user_id/tokens", gr_api_tokens_list, 0, NULL},
        {"POST", "/api/v4/bots", gr_api_bots_create, 0, NULL},
        {"GET", "/api/v4/bots", gr_api_bots_list, 0, NULL},
        {"GET", "/api/v4/bots/:bot_id", gr_api_bots_get, 0, NULL},
        {"PUT", "/api/v4/bots/:bot_id", gr_api_bots_patch, 0, NULL},
        {"POST", "/api/v4/bots/:bot_id/disable", gr_api_bots_disable, 0, NULL},
        {"POST", "/api/v4/bots/:bot_id/enable", gr_api_bots_enable, 0, NULL},
        {"POST", "/api/v4/bots/:bot_id/assign/:user_id", gr_api_bots_assign, 0, NULL},
        /* end of users, bots, tokens */
        /* teams, channels, posts, reactions, typing, client config (spec §5.4-§5.8). Fixed
         * paths (direct, group) before the ":channel_id" patterns. */
        {"GET", "/api/v4/teams/name/*team_name", gr_api_teams_get_by_name, 0, NULL},
        {"GET", "/api/v4/teams/name/*team_name/channels/name/*channel_name",
         gr_api_channels_by_team_name, 0, NULL},
        {"GET", "/api/v4/teams/:team_id", gr_api_teams_get, 0, NULL},
        {"GET", "/api/v4/teams/:team_id/channels/name/*channel_name", gr_api_channels_by_name, 0,
         NULL},
        {"GET", "/api/v4/users/:user_id/teams/:team_id/channels", gr_api_channels_mine, 0, NULL},
        {"POST", "/api/v4/channels", gr_api_channels_create, 0, NULL},
        {"POST", "/api/v4/channels/direct", gr_api_channels_direct, 0, NULL},
        {"POST", "/api/v4/channels/group", gr_api_channels_group, 0, NULL},
        {"GET", "/api/v4/channels/:channel_id", gr_api_channels_get, 0, NULL},
        {"GET", "/api/v4/channels/:channel_id/members", gr_api_channels_members, 0, NULL},
        {"GET", "/api/v4/channels/:channel_id/members/:user_id", gr_api_channels_member_get, 0,
         NULL},
        {"POST", "/api/v4/channels/:channel_id/members", gr_api_channels_member_add, 0, NULL},
        {"DELETE", "/api/v4/channels/:channel_id/members/:user_id", gr_api_channels_member_remove,
         0, NULL},
        {"GET", "/api/v4/channels/:channel_id/posts", gr_api_posts_for_channel, 0, NULL},
        {"POST", "/api/v4/posts", gr_api_posts_create, 0, NULL},
        {"GET", "/api/v4/posts/:post_id", gr_api_posts_get, 0, NULL},
        {"PUT", "/api/v4/posts/:post_id", gr_api_posts_update, 0, NULL},
        {"DELETE", "/api/v4/posts/:post_id", gr_api_posts_delete, 0, NULL},
        {"PUT", "/api/v4/posts/:post_id/patch", gr_api_posts_patch, 0, NULL},
        {"GET", "/api/v4/posts/:post_id/thread", gr_api_posts_thread, 0, NULL},
        {"POST", "/api/v4/posts/:post_id/actions/*action_id", gr_api_posts_action, 0, NULL},
        {"GET", "/api/v4/posts/:post_id/reactions", gr_api_reactions_list, 0, NULL},
        {"POST", "/api/v4/reactions", gr_api_reactions_add, 0, NULL},
        {"DELETE", "/api/v4/users/:user_id/posts/:post_id/reactions/*emoji_name",
         gr_api_reactions_remove, 0, NULL},
        {"POST", "/api/v4/users/:user_id/typing", gr_api_users_typing, 0, NULL},
        {"GET", "/api/v4/config/client", gr_api_client_config, 0, NULL},
        /* end of teams, channels, posts, reactions, typing, client config */
};

const struct gr_http_route *gr_api_routes(size_t *n_out)
{
    *n_out = sizeof routes / sizeof routes[0];
    return routes;
}

void gr_api_observe(const char *route, const char *method, int status, int64_t duration_ns,
                    void *ud)
{
    struct gr_api *api = ud;

    gr_metrics_request(api->app->metrics, route, method, status, duration_ns);
    if (route == routes[0].pattern)
        gr_metrics_ingest_latency(api->app->metrics, duration_ns);
}

void gr_api__respond_json(struct gr_http_req *r, int status, json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT);

    json_decref(v);
    if (s == NULL) {
        gr_http_respond_error(r, 500, "api.marshal_error", "Could not encode the response.");
        return;
    }
    gr_http_respond(r, status, "application/json", s, strlen(s));
    free(s);
}

/* Copies the value of cookie `name` from a Cookie header into out[size]; NULL if absent or too
 * long. */
static const char *cookie_value(const char *cookie, const char *name, char *out, size_t size)
{
    size_t nlen = strlen(name);
    const char *p = cookie;

    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        if (strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
            size_t n = strcspn(p + nlen + 1, ";");
            if (n >= size)
                return NULL;
            memcpy(out, p + nlen + 1, n);
            out[n] = '\0';
            return out;
        }
        p = strchr(p, ';');
    }
    return NULL;
}

static const char *copy_token(const char *t, char *buf, size_t size)
{
    size_t n;

    while (*t == ' ')
        t++;
    n = strlen(t);
    while (n > 0 && t[n - 1] == ' ')
        n--;
    if (n == 0 || n >= size)
        return NULL;
    memcpy(buf, t, n);
    buf[n] = '\0';
    return buf;
}

const char *gr_api__request_token(struct gr_http_req *r, bool allow_query, char *buf,
                                  size_t size)
{
    const char *h = gr_http_req_header(r, "Authorization");
    const char *xrw = gr_http_req_header(r, "X-Requested-With");
    const char *q;

    /* Mattermost's ParseAuthTokenFromRequest order: cookie, Bearer, Token, query. */
    if (strcmp(gr_http_req_method(r), "GET") == 0 ||
        (xrw != NULL && strcasecmp(xrw, "XMLHttpRequest") == 0)) {
        if (cookie_value(gr_http_req_header(r, "Cookie"), "MMAUTHTOKEN", buf, size) != NULL &&
            buf[0] != '\0')
            return buf;
    }
    if (h != NULL && strncasecmp(h, "bearer ", 7) == 0)
        return copy_token(h + 7, buf, size);
    if (h != NULL && strncasecmp(h, "token ", 6) == 0)
        return copy_token(h + 6, buf, size);
    if (allow_query && (q = gr_http_req_query(r, "access_token")) != NULL)
        return copy_token(q, buf, size);
    return NULL;
}

int gr_api__try_session(struct gr_api *api, struct gr_http_req *r, struct gr_auth_session *out,
                        struct gr_apperr *e)
{
    char tbuf[128];
    const char *token = gr_api__request_token(r, false, tbuf, sizeof tbuf);
    struct gr_store *st = gr_app_reader(api->app);
    int code;

    if (st == NULL)
        return gr_apperr_set(e, 503, "api.context.server_busy.app_error",
                             "The store is not available.");
    code = gr_auth_authenticate(st, &api->app->opt.auth, token, gr_time_now_ms(), out, e);
    explicit_bzero(tbuf, sizeof tbuf);
    return code;
}

int gr_api__session(struct gr_api *api, struct gr_http_req *r, struct gr_auth_session *out)
{
    struct gr_apperr e;
    int code = gr_api__try_session(api, r, out, &e);

    if (code)
        gr_http_respond_apperr(r, &e);
    return code;
}

int gr_api__auth(struct gr_api *api, struct gr_http_req *r, struct gr_user *out)
{
    struct gr_auth_session *s = gr_xmalloc(sizeof *s);
    int code = gr_api__session(api, r, s);

    if (code == 0)
        *out = s->user;
    free(s);
    return code;
}
