/* SPDX-License-Identifier: MIT */
/*
 * websocket.c - GET /api/v4/websocket (spec mattermost-compat §6): the RFC 6455 upgrade with
 * authentication at upgrade time, and the client actions the hub hands back to us.
 *
 * Upgrade (HTTP worker thread): check the handshake headers, authenticate if the request
 * carries credentials (Authorization, the MMAUTHTOKEN cookie, or access_token in the query,
 * which griot accepts for upgrades only, §5.1), answer 101 and give the socket to the hub.
 * Credentials that are present but wrong get 401 rather than an unauthenticated socket, so a
 * misconfigured bot fails loudly instead of waiting for events that never come.
 *
 * Actions (hub thread, via gr_api_ws_on_message): authentication_challenge, ping, user_typing,
 * get_statuses, get_statuses_by_ids; anything else gets the router's error replies (§6.3).
 * The store reads done here (token lookup, a membership check) are single indexed point reads
 * on the hub thread's own read connection; everything slower goes through the bus.
 */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app/auth.h"
#include "core/gtime.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "ws/ws.h"

/* What the upgrade callback needs once libmicrohttpd has sent the 101. */
struct upgrade_ctx {
    struct gr_api *api;
    char user_id[GR_ID_SIZE]; /* "" = not authenticated yet */
};

/* True when the comma-separated header value lists token (case-insensitive), e.g. Connection:
 * "keep-alive, Upgrade". */
static bool has_token(const char *value, const char *token)
{
    size_t n = strlen(token);

    for (const char *p = value; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (strncasecmp(p, token, n) == 0 &&
            (p[n] == '\0' || p[n] == ',' || p[n] == ' ' || p[n] == '\t'))
            return true;
        p = strchr(p, ',');
    }
    return false;
}

static void give_back(void *ud)
{
    gr_http_upgrade_close(ud);
}

static void on_upgraded(struct gr_http_upgrade *u, int fd, const char *extra, size_t len, void *ud)
{
    struct upgrade_ctx *x = ud;

    if (u != NULL)
        gr_ws_hub_adopt(x->api->ws, fd, extra, len, x->user_id, give_back, u, NULL);
    free(x);
}

/* A raw token (the upgrade's, or the challenge's) to its user, with the server's own
 * authentication options (sessions, and personal access tokens unless disabled). Returns 0 or
 * the HTTP status with e filled. */
static int auth_token(struct gr_api *api, const char *token, char user_id[GR_ID_SIZE],
                      struct gr_apperr *e)
{
    struct gr_store *st = gr_app_reader(api->app);
    struct gr_auth_session *s;
    int code;

    if (st == NULL)
        return gr_apperr_set(e, 503, "api.context.server_busy.app_error",
                             "The store is not available.");
    s = gr_xmalloc(sizeof *s);
    code = gr_auth_authenticate(st, &api->app->opt.auth, token, gr_time_now_ms(), s, e);
    if (code == 0)
        memcpy(user_id, s->user.id, GR_ID_SIZE);
    free(s);
    return code;
}

void gr_api_websocket(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    const char *upgrade = gr_http_req_header(r, "Upgrade");
    const char *connection = gr_http_req_header(r, "Connection");
    const char *version = gr_http_req_header(r, "Sec-WebSocket-Version");
    char accept[GR_WS_ACCEPT_SIZE], tbuf[128], user_id[GR_ID_SIZE] = "";
    const char *token;
    struct upgrade_ctx *x;
    struct gr_apperr e;

    if (api->ws == NULL) {
        gr_http_respond_error(r, 501, "api.web_socket.disabled.app_error",
                              "WebSockets are not enabled on this server.");
        return;
    }
    if (upgrade == NULL || !has_token(upgrade, "websocket") || connection == NULL ||
        !has_token(connection, "upgrade")) {
        gr_http_respond_error(r, 400, "api.web_socket.connect.upgrade.app_error",
                              "Failed to upgrade websocket connection: not a WebSocket "
                              "handshake.");
        return;
    }
    if (version == NULL || strcmp(version, "13") != 0) {
        /* RFC 6455 §4.4: name the version we speak. */
        gr_http_add_header(r, "Sec-WebSocket-Version", "13");
        gr_http_respond_error(r, 426, "api.web_socket.connect.upgrade.app_error",
                              "Unsupported WebSocket version (13 expected).");
        return;
    }
    if (!gr_ws_accept_key(gr_http_req_header(r, "Sec-WebSocket-Key"), accept)) {
        gr_http_respond_error(r, 400, "api.web_socket.connect.upgrade.app_error",
                              "Missing or invalid Sec-WebSocket-Key.");
        return;
    }
    /* Spec §5.1's order; access_token counts here, for upgrades only. No token: an
     * unauthenticated socket that may send authentication_challenge. */
    token = gr_api__request_token(r, true, tbuf, sizeof tbuf);
    if (token != NULL && auth_token(api, token, user_id, &e) != 0) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    x = gr_xcalloc(1, sizeof *x);
    x->api = api;
    memcpy(x->user_id, user_id, GR_ID_SIZE);
    gr_http_add_header(r, "Upgrade", "websocket");
    gr_http_add_header(r, "Sec-WebSocket-Accept", accept);
    gr_http_respond_upgrade(r, on_upgraded, x);
out:
    explicit_bzero(tbuf, sizeof tbuf);
}

/* ---- the hub's callbacks (hub thread) ------------------------------------------------------ */

static const char *hostname(void)
{
    static char name[256];

    /* Hub thread only, so the lazy fill needs no lock. */
    if (name[0] == '\0' && gethostname(name, sizeof name - 1) != 0)
        name[0] = '\0';
    return name;
}

static void send_hello(struct gr_api *api, struct gr_ws_conn *c)
{
    struct gr_buf b;

    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    if (gr_ws_hello(&b, api->version_id, gr_ws_conn_id(c), hostname(), gr_ws_conn_user(c)) == GR_OK)
        gr_ws_conn_send_event(c, b.p, b.len);
    gr_buf_cleanup(&b);
}

static void reply(struct gr_ws_conn *c, int64_t seq, const json_t *data, const struct gr_apperr *e)
{
    struct gr_buf b;

    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    if (gr_ws_reply(&b, seq, data, e) == GR_OK)
        gr_ws_conn_send_text(c, b.p, b.len);
    gr_buf_cleanup(&b);
}

static void reply_error(struct gr_ws_conn *c, int64_t seq, int status, const char *id,
                        const char *msg)
{
    struct gr_apperr e;

    gr_apperr_set(&e, status, id, "%s", msg);
    reply(c, seq, NULL, &e);
}

void gr_api_ws_on_open(struct gr_ws_conn *c, void *ud)
{
    /* Authenticated at upgrade: hello is the first frame (spec §6.2, WS-1). */
    if (gr_ws_conn_user(c)[0])
        send_hello(ud, c);
}

static void challenge(struct gr_api *api, struct gr_ws_conn *c, const struct gr_ws_action *a)
{
    const char *token = gr_ws_action_str(a, "token");
    char user_id[GR_ID_SIZE];
    struct gr_apperr e;

    /* Already authenticated: Mattermost ignores a second challenge without a reply. */
    if (gr_ws_conn_user(c)[0])
        return;
    /* A wrong token closes the connection, with no FAIL reply (spec §6.2, WS-3). */
    if (token == NULL || auth_token(api, token, user_id, &e) != 0 ||
        gr_ws_conn_authenticate(c, user_id) != GR_OK) {
        gr_ws_conn_close(c, 1008, "authentication failed");
        return;
    }
    reply(c, a->seq, NULL, NULL);
    send_hello(api, c);
}

static void ping(struct gr_api *api, struct gr_ws_conn *c, const struct gr_ws_action *a)
{
    json_t *d = json_object();
    char version[32];
    size_t n = 0;
    int dots = 0;

    /* "version" is Mattermost's CurrentVersion: the first three parts of X-Version-Id. */
    while (api->version_id[n] && n < sizeof version - 1) {
        if (api->version_id[n] == '.' && ++dots == 3)
            break;
        version[n] = api->version_id[n];
        n++;
    }
    version[n] = '\0';
    json_object_set_new(d, "text", json_string("pong"));
    json_object_set_new(d, "version", json_string(version));
    json_object_set_new(d, "server_time", json_integer(gr_time_now_ms()));
    json_object_set_new(d, "node_id", json_string(""));
    reply(c, a->seq, d, NULL);
    json_decref(d);
}

static void user_typing(struct gr_api *api, struct gr_ws_conn *c, const struct gr_ws_action *a)
{
    const char *channel_id = gr_ws_action_str(a, "channel_id");
    const char *parent_id = gr_ws_action_str(a, "parent_id");
    struct gr_store *st = gr_app_reader(api->app);
    struct gr_bus_event ev;
    bool member = false;

    /* wsapi/user.go: a valid channel the user may post in, else invalid_param channel_id. */
    if (channel_id == NULL || !gr_id_is_valid(channel_id) || st == NULL ||
        gr_store_channel_member_is(st, channel_id, gr_ws_conn_user(c), &member) != GR_OK ||
        !member) {
        reply_error(c, a->seq, 400, "api.websocket_handler.invalid_param.app_error",
                    "Invalid channel_id parameter.");
        return;
    }
    ev.event = "typing";
    ev.channel_id = channel_id;
    ev.team_id = "";
    ev.user_id = "";
    ev.omit_user_id = gr_ws_conn_user(c);
    ev.data = json_object();
    json_object_set_new(ev.data, "parent_id", json_string(parent_id ? parent_id : ""));
    json_object_set_new(ev.data, "user_id", json_string(gr_ws_conn_user(c)));
    gr_bus_publish_event(api->app->bus, &ev);
    json_decref(ev.data);
    reply(c, a->seq, NULL, NULL);
}

/* Statuses from what the hub knows: a user with a connection is "online", anyone else
 * "offline" (griot keeps no away/dnd state). get_statuses answers for the caller only. */
static void statuses(struct gr_ws_conn *c, const struct gr_ws_action *a, bool by_ids)
{
    struct gr_ws_hub *h = gr_ws_conn_hub(c);
    json_t *d = json_object(), *ids = a->data ? json_object_get(a->data, "user_ids") : NULL;
    size_t i;
    json_t *v;

    if (!by_ids) {
        json_object_set_new(d, gr_ws_conn_user(c), json_string("online"));
    } else if (!json_is_array(ids) || json_array_size(ids) == 0) {
        json_decref(d);
        reply_error(c, a->seq, 400, "api.websocket_handler.invalid_param.app_error",
                    "Invalid user_ids parameter.");
        return;
    } else {
        json_array_foreach(ids, i, v)
        {
            const char *id = json_string_value(v);
            if (id == NULL || !gr_id_is_valid(id)) {
                json_decref(d);
                reply_error(c, a->seq, 400, "api.websocket_handler.invalid_param.app_error",
                            "Invalid user_ids parameter.");
                return;
            }
            json_object_set_new(d, id,
                                json_string(gr_ws_hub_user_online(h, id) ? "online" : "offline"));
        }
    }
    reply(c, a->seq, d, NULL);
    json_decref(d);
}

void gr_api_ws_on_message(struct gr_ws_conn *c, const char *text, size_t len, void *ud)
{
    struct gr_api *api = ud;
    struct gr_ws_action a;
    enum gr_ws_action_status st = gr_ws_action_parse(text, len, &a);

    switch (st) {
    case GR_WS_ACTION_INVALID:
        /* Mattermost cannot decode it and drops the connection. */
        gr_ws_conn_close(c, 1003, "invalid request");
        goto out;
    case GR_WS_ACTION_NO_ACTION:
        reply_error(c, a.seq, 400, "api.web_socket_router.no_action.app_error",
                    "No websocket action.");
        goto out;
    case GR_WS_ACTION_BAD_SEQ:
        reply_error(c, a.seq, 400, "api.web_socket_router.bad_seq.app_error",
                    "Invalid sequence for WebSocket message.");
        goto out;
    case GR_WS_ACTION_OK:
        break;
    }
    if (strcmp(a.name, "authentication_challenge") == 0) {
        challenge(api, c, &a);
    } else if (gr_ws_conn_user(c)[0] == '\0') {
        reply_error(c, a.seq, 401, "api.web_socket_router.not_authenticated.app_error",
                    "Connection is not authenticated. Please log in and try again.");
    } else if (strcmp(a.name, "ping") == 0) {
        ping(api, c, &a);
    } else if (strcmp(a.name, "user_typing") == 0) {
        user_typing(api, c, &a);
    } else if (strcmp(a.name, "get_statuses") == 0) {
        statuses(c, &a, false);
    } else if (strcmp(a.name, "get_statuses_by_ids") == 0) {
        statuses(c, &a, true);
    } else {
        reply_error(c, a.seq, 501, "api.web_socket_router.bad_action.app_error",
                    "An unrecognized WebSocket action was received.");
    }
out:
    gr_ws_action_cleanup(&a);
}
