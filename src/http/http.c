/* SPDX-License-Identifier: MIT */
/*
 * http.c - libmicrohttpd glue: daemons per listen address, body accumulation with limits,
 * routing, suspend/resume for asynchronous answers, one log line per request.
 *
 * Lifecycle of a connection's request (MHD calls on_request several times for one request):
 *   1st call   allocate gr_http_req, route it, refuse early (404/405/413) from the headers alone;
 *   Nth calls  body chunks appended to a gr_buf bounded by the route's limit;
 *   last call  (upload_data_size == 0) run the handler; queue its response unless it suspended;
 *   resumed    MHD calls once more after gr_http_req_resume(): queue the stored response.
 * on_completed logs the request, reports it to the observer and frees it.
 */
#include "http/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "core/gtime.h"
#include "core/id.h"
#include "core/log.h"
#include "core/xalloc.h"

#define MAX_LISTEN 8
#define MAX_HEADERS 12

struct listener {
    struct MHD_Daemon *d;
    char url[96];
};

struct gr_http_server {
    struct listener ls[MAX_LISTEN];
    size_t nls;
    const struct gr_http_route *routes;
    size_t nroutes;
    void *ud;
    gr_http_observer obs;
    size_t max_body;
    gr_http_gate gate;
    char version_id[96];
    bool developer_mode;
    atomic_int nsuspended;
    /* Requests between "handler about to run" and "response queued", suspended ones included.
     * Shutdown sets closing, then waits for active to reach zero before stopping the daemons:
     * libmicrohttpd must not be stopped with a suspended connection. */
    atomic_int active;
    atomic_bool closing;
};

struct param {
    const char *name; /* points into the route pattern, after ':'; namelen bytes */
    size_t namelen;
    char *value;
};

struct gr_http_req {
    struct gr_http_server *srv;
    struct MHD_Connection *conn;
    const struct gr_http_route *route; /* NULL when nothing matched */
    char method[16];
    char *path;
    char id[GR_ID_SIZE];
    char peer[INET6_ADDRSTRLEN];
    int64_t start_ns;
    struct param params[GR_HTTP_MAX_PARAMS];
    size_t nparams;
    struct gr_buf body;
    bool too_big;
    bool asked_limit;
    size_t limit; /* body limit the route granted this request; 0 = route/server default */
    bool handled;   /* the handler ran */
    bool suspended; /* waiting for gr_http_req_resume */
    bool queued;    /* a response went to MHD */
    bool no_request_id;
    /* upgrade (gr_http_respond_upgrade): called once, after the 101 or on failure */
    gr_http_upgrade_fn upgrade_fn;
    void *upgrade_ud;
    bool upgraded;
    /* the response */
    int status;
    char content_type[64];
    struct gr_buf resp;
    char *hdr_name[MAX_HEADERS], *hdr_value[MAX_HEADERS];
    size_t nhdr;
};

/* ---- routing ---------------------------------------------------------------------------- */

/* ':' parameters take [A-Za-z0-9]+ (ids); '*' parameters also take '.', '_', '-' and '+'
 * (channel, team and user names, emoji names; Mattermost's route patterns). */
static bool seg_param_ok(const char *s, size_t len, bool is_name)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            continue;
        if (is_name && (c == '.' || c == '_' || c == '-' || c == '+'))
            continue;
        return false;
    }
    return true;
}

/* Matches path against pattern; on success fills r->params (when r is not NULL). */
static bool match(const char *pattern, const char *path, struct gr_http_req *r)
{
    const char *p = pattern, *s = path;
    size_t np = 0;

    while (*p && *s) {
        if (*p == ':' || *p == '*') {
            const char *pe = p + 1, *se = s;
            while (*pe && *pe != '/')
                pe++;
            while (*se && *se != '/')
                se++;
            if (!seg_param_ok(s, (size_t)(se - s), *p == '*') || np >= GR_HTTP_MAX_PARAMS)
                return false;
            if (r) {
                r->params[np].name = p + 1;
                r->params[np].namelen = (size_t)(pe - p - 1);
                r->params[np].value = gr_xstrndup(s, (size_t)(se - s));
            }
            np++;
            p = pe;
            s = se;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    if (*p || *s)
        return false;
    if (r)
        r->nparams = np;
    return true;
}

static void params_free(struct gr_http_req *r)
{
    for (size_t i = 0; i < r->nparams; i++)
        free(r->params[i].value);
    r->nparams = 0;
}

/* Picks the route for (method, path). Returns 0 (found), 404 (no path matched) or 405. */
static int route(struct gr_http_req *r)
{
    bool path_seen = false;

    for (size_t i = 0; i < r->srv->nroutes; i++) {
        const struct gr_http_route *rt = &r->srv->routes[i];
        if (!match(rt->pattern, r->path, NULL))
            continue;
        path_seen = true;
        if (rt->method && strcmp(rt->method, r->method) != 0)
            continue;
        match(rt->pattern, r->path, r);
        r->route = rt;
        return 0;
    }
    return path_seen ? 405 : 404;
}

/* ---- responses -------------------------------------------------------------------------- */

void gr_http_respond(struct gr_http_req *r, int status, const char *content_type, const char *body,
                     size_t len)
{
    r->status = status;
    snprintf(r->content_type, sizeof r->content_type, "%s",
             content_type ? content_type : "application/json");
    gr_buf_reset(&r->resp);
    if (gr_buf_append(&r->resp, body, len) != GR_OK) {
        r->status = 500;
        snprintf(r->content_type, sizeof r->content_type, "text/plain");
    }
}

void gr_http_add_header(struct gr_http_req *r, const char *name, const char *value)
{
    for (size_t i = 0; i < r->nhdr; i++) {
        if (strcasecmp(r->hdr_name[i], name) == 0) {
            free(r->hdr_value[i]);
            r->hdr_value[i] = gr_xstrdup(value);
            return;
        }
    }
    if (r->nhdr >= MAX_HEADERS)
        return;
    r->hdr_name[r->nhdr] = gr_xstrdup(name);
    r->hdr_value[r->nhdr] = gr_xstrdup(value);
    r->nhdr++;
}

void gr_http_respond_apperr(struct gr_http_req *r, const struct gr_apperr *e)
{
    json_t *o = json_object();
    char *s;

    json_object_set_new(o, "id", json_string(e->id));
    json_object_set_new(o, "message", json_string(e->message));
    json_object_set_new(o, "detailed_error",
                        json_string(r->srv->developer_mode ? e->detail : ""));
    json_object_set_new(o, "request_id", json_string(r->id));
    json_object_set_new(o, "status_code", json_integer(e->status));
    s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (s == NULL) {
        gr_http_respond(r, e->status, NULL, "{}", 2);
        return;
    }
    gr_http_respond(r, e->status, NULL, s, strlen(s));
    free(s);
}

void gr_http_respond_error(struct gr_http_req *r, int status, const char *id, const char *fmt, ...)
{
    struct gr_apperr e;
    va_list ap;

    e.status = status;
    e.id = id;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    e.detail[0] = '\0';
    gr_http_respond_apperr(r, &e);
}

struct gr_http_upgrade {
    struct MHD_UpgradeResponseHandle *urh;
};

/* libmicrohttpd sent the 101: hand the socket to the handler's callback. */
static void on_upgrade(void *cls, struct MHD_Connection *conn, void *con_cls,
                       const char *extra_in, size_t extra_in_size, MHD_socket sock,
                       struct MHD_UpgradeResponseHandle *urh)
{
    struct gr_http_req *r = cls;
    struct gr_http_upgrade *u = gr_xmalloc(sizeof *u);

    (void)conn;
    (void)con_cls;
    u->urh = urh;
    r->upgraded = true;
    r->upgrade_fn(u, sock, extra_in, extra_in_size, r->upgrade_ud);
}

void gr_http_respond_upgrade(struct gr_http_req *r, gr_http_upgrade_fn fn, void *ud)
{
    r->status = 101;
    r->upgrade_fn = fn;
    r->upgrade_ud = ud;
    gr_buf_reset(&r->resp);
}

void gr_http_upgrade_close(struct gr_http_upgrade *u)
{
    /* Never a bare close(): libmicrohttpd still owns the connection and frees it here. */
    MHD_upgrade_action(u->urh, MHD_UPGRADE_ACTION_CLOSE);
    free(u);
}

static enum MHD_Result queue(struct gr_http_req *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;

    if (r->status == 0)
        gr_http_respond_error(r, 500, "api.context.server_error.app_error",
                              "The handler produced no response.");
    if (r->upgrade_fn && r->status == 101)
        resp = MHD_create_response_for_upgrade(on_upgrade, r);
    else
        resp = MHD_create_response_from_buffer(r->resp.len, r->resp.p ? r->resp.p : (void *)"",
                                               MHD_RESPMEM_MUST_COPY);
    if (resp == NULL)
        return MHD_NO;
    if (r->status != 101)
        MHD_add_response_header(resp, "Content-Type", r->content_type);
    if (!r->no_request_id)
        MHD_add_response_header(resp, "X-Request-Id", r->id);
    MHD_add_response_header(resp, "X-Version-Id", r->srv->version_id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    for (size_t i = 0; i < r->nhdr; i++)
        MHD_add_response_header(resp, r->hdr_name[i], r->hdr_value[i]);
    ret = MHD_queue_response(r->conn, (unsigned int)r->status, resp);
    MHD_destroy_response(resp);
    r->queued = true;
    return ret;
}

/* ---- the MHD callbacks ------------------------------------------------------------------ */

static void peer_of(struct MHD_Connection *conn, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    snprintf(out, size, "-");
    if (sa == NULL)
        return;
    if (sa->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    } else if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        /* Dual-stack sockets show IPv4 peers as ::ffff:a.b.c.d; allow-lists and per-IP limits
         * want the plain IPv4 form. */
        if (IN6_IS_ADDR_V4MAPPED(a))
            inet_ntop(AF_INET, &a->s6_addr[12], out, (socklen_t)size);
        else
            inet_ntop(AF_INET6, a, out, (socklen_t)size);
    }
}

static struct gr_http_req *req_new(struct gr_http_server *srv, struct MHD_Connection *conn,
                                   const char *url, const char *method)
{
    struct gr_http_req *r = gr_xcalloc(1, sizeof *r);

    r->srv = srv;
    r->conn = conn;
    r->start_ns = gr_time_mono_ns();
    snprintf(r->method, sizeof r->method, "%s", method);
    r->path = gr_xstrdup(url);
    gr_id_new(r->id);
    peer_of(conn, r->peer, sizeof r->peer);
    gr_buf_init(&r->resp, GR_BUF_UNBOUNDED);
    return r;
}

static void req_free(struct gr_http_req *r)
{
    params_free(r);
    gr_buf_cleanup(&r->body);
    gr_buf_cleanup(&r->resp);
    for (size_t i = 0; i < r->nhdr; i++) {
        free(r->hdr_name[i]);
        free(r->hdr_value[i]);
    }
    free(r->path);
    free(r);
}

static size_t body_limit(const struct gr_http_req *r)
{
    if (r->limit)
        return r->limit;
    if (r->route && r->route->max_body)
        return r->route->max_body;
    return r->srv->max_body;
}

/* Asks the route, once, whether this request may be larger than the default (it costs a
 * lookup, so only bodies over the default ask). Returns true if the limit grew. */
static bool raise_limit(struct gr_http_req *r)
{
    size_t want;

    if (r->asked_limit || r->route == NULL || r->route->limit == NULL)
        return false;
    r->asked_limit = true;
    want = r->route->limit(r, r->srv->ud);
    if (want <= body_limit(r))
        return false;
    r->limit = want;
    r->body.max = want;
    return true;
}

static void respond_too_big(struct gr_http_req *r)
{
    gr_http_respond_error(r, 413, "api.context.request_body_too_large.app_error",
                          "The request body is too large (the limit is %zu bytes).",
                          body_limit(r));
}

static enum MHD_Result first_call(struct gr_http_req *r)
{
    const char *cl;
    int st;

    if (r->srv->gate && !r->srv->gate(r, r->srv->ud))
        return queue(r);
    st = route(r);

    if (st == 404) {
        gr_http_respond_error(r, 404, "api.context.404.app_error",
                              "Sorry, we could not find the page.");
        return queue(r);
    }
    if (st == 405) {
        gr_http_respond_error(r, 405, "api.context.method_not_allowed.app_error",
                              "Method %s is not allowed here.", r->method);
        return queue(r);
    }
    gr_buf_init(&r->body, body_limit(r));
    /* Refuse from Content-Length before reading a byte (and before MHD sends 100 Continue). */
    cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        if (!errno && end != cl && n > body_limit(r))
            raise_limit(r);
        if (errno || end == cl || n > body_limit(r)) {
            respond_too_big(r);
            return queue(r);
        }
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    struct gr_http_server *srv = cls;
    struct gr_http_req *r = *con_cls;

    (void)version;
    if (r == NULL) {
        r = req_new(srv, conn, url, method);
        *con_cls = r;
        return first_call(r);
    }
    if (r->queued) {
        *upload_data_size = 0; /* an early answer (413, 404) was sent; drop the rest */
        return MHD_YES;
    }
    if (r->suspended) {
        enum MHD_Result ret;
        /* Resumed: the other thread stored the response. */
        r->suspended = false;
        atomic_fetch_sub(&srv->nsuspended, 1);
        ret = queue(r);
        atomic_fetch_sub(&srv->active, 1);
        return ret;
    }
    if (*upload_data_size > 0) {
        if (!r->too_big && gr_buf_append(&r->body, upload_data, *upload_data_size) != GR_OK &&
            (!raise_limit(r) ||
             gr_buf_append(&r->body, upload_data, *upload_data_size) != GR_OK))
            r->too_big = true; /* keep reading and discarding; answer 413 at the end */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->too_big) {
        respond_too_big(r);
        return queue(r);
    }
    if (r->handled)
        return MHD_YES;
    r->handled = true;
    /* Count first, then look at closing: shutdown sets closing first, then waits for active to
     * drop to zero, so a handler can never suspend behind its back. */
    atomic_fetch_add(&srv->active, 1);
    if (atomic_load(&srv->closing)) {
        enum MHD_Result ret;
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The server is shutting down; try again shortly.");
        gr_http_add_header(r, "Connection", "close");
        ret = queue(r);
        atomic_fetch_sub(&srv->active, 1);
        return ret;
    }
    r->route->handler(r, srv->ud);
    if (r->suspended)
        return MHD_YES;
    {
        enum MHD_Result ret = queue(r);
        atomic_fetch_sub(&srv->active, 1);
        return ret;
    }
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct gr_http_server *srv = cls;
    struct gr_http_req *r = *con_cls;
    int64_t dur;

    (void)conn;
    if (r == NULL)
        return;
    dur = gr_time_mono_ns() - r->start_ns;
    /* The route pattern, never the path: hook ids in paths are credentials. */
    gr_log_info("http", "req=%s method=%s route=%s status=%d dur_ms=%.3f peer=%s%s", r->id,
                r->method, r->route ? r->route->pattern : "unmatched",
                r->queued ? r->status : 0, (double)dur / 1e6, r->peer,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
    if (srv->obs)
        srv->obs(r->route ? r->route->pattern : "unmatched", r->method,
                 r->queued ? r->status : 0, dur, srv->ud);
    /* An upgrade that never happened still owes its callback one call (to release ud). */
    if (r->upgrade_fn && !r->upgraded)
        r->upgrade_fn(NULL, -1, NULL, 0, r->upgrade_ud);
    *con_cls = NULL;
    req_free(r);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    size_t n;

    (void)cls;
    vsnprintf(line, sizeof line, fmt, ap);
    n = strlen(line);
    while (n > 0 && line[n - 1] == '\n')
        line[--n] = '\0';
    gr_log_warn("mhd", "%s", line);
}

/* ---- accessors ---------------------------------------------------------------------------- */

const char *gr_http_req_method(const struct gr_http_req *r)
{
    return r->method;
}

const char *gr_http_req_path(const struct gr_http_req *r)
{
    return r->path;
}

const char *gr_http_req_param(const struct gr_http_req *r, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < r->nparams; i++)
        if (r->params[i].namelen == len && memcmp(r->params[i].name, name, len) == 0)
            return r->params[i].value;
    return NULL;
}

const char *gr_http_req_header(const struct gr_http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *gr_http_req_query(const struct gr_http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const struct gr_buf *gr_http_req_body(const struct gr_http_req *r)
{
    return &r->body;
}

const char *gr_http_req_id(const struct gr_http_req *r)
{
    return r->id;
}

const char *gr_http_req_peer(const struct gr_http_req *r)
{
    return r->peer;
}

const char *gr_http_req_route(const struct gr_http_req *r)
{
    return r->route ? r->route->pattern : "unmatched";
}

void gr_http_req_omit_request_id(struct gr_http_req *r)
{
    r->no_request_id = true;
}

void gr_http_req_suspend(struct gr_http_req *r)
{
    r->suspended = true;
    atomic_fetch_add(&r->srv->nsuspended, 1);
    MHD_suspend_connection(r->conn);
}

void gr_http_req_resume(struct gr_http_req *r)
{
    MHD_resume_connection(r->conn);
}

/* ---- server ------------------------------------------------------------------------------- */

/* Splits "ADDR:PORT" / "[V6]:PORT" / ":PORT" into a socket address. */
static gr_err parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *sslen,
                           char *errbuf, size_t errlen)
{
    char host[256];
    const char *colon, *port;
    struct addrinfo hints, *res = NULL;
    int rc;

    if (spec[0] == '[') {
        const char *rb = strchr(spec, ']');
        if (rb == NULL || rb[1] != ':' || (size_t)(rb - spec - 1) >= sizeof host)
            goto bad;
        memcpy(host, spec + 1, (size_t)(rb - spec - 1));
        host[rb - spec - 1] = '\0';
        port = rb + 2;
    } else {
        colon = strrchr(spec, ':');
        if (colon == NULL || (size_t)(colon - spec) >= sizeof host)
            goto bad;
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
        port = colon + 1;
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (rc != 0 || res == NULL) {
        snprintf(errbuf, errlen, "listen address '%s': %s", spec,
                 rc ? gai_strerror(rc) : "no address");
        return GR_EINVAL;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *sslen = res->ai_addrlen;
    freeaddrinfo(res);
    return GR_OK;
bad:
    snprintf(errbuf, errlen, "listen address '%s': expected ADDR:PORT or [IPV6]:PORT", spec);
    return GR_EINVAL;
}

static void format_url(const struct sockaddr_storage *ss, uint16_t port, char *out, size_t size)
{
    char host[INET6_ADDRSTRLEN];

    if (ss->ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr, host,
                  sizeof host);
        snprintf(out, size, "http://[%s]:%u", host, port);
    } else {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ss)->sin_addr, host,
                  sizeof host);
        snprintf(out, size, "http://%s:%u", host, port);
    }
}

gr_err gr_http_server_start(const struct gr_http_config *cfg, const struct gr_http_route *routes,
                            size_t nroutes, void *ud, gr_http_observer obs,
                            struct gr_http_server **out, char *errbuf, size_t errlen)
{
    struct gr_http_server *s = gr_xcalloc(1, sizeof *s);
    int threads = cfg->threads > 0 ? cfg->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    gr_err rc = GR_OK;

    if (threads < 1)
        threads = 1;
    /* libmicrohttpd divides CONNECTION_LIMIT between its pool threads, and a burst of
     * connections rarely spreads evenly: give every thread the whole limit, bounded by the
     * open-file limit (minus room for the store and logs). */
    unsigned int conn_limit = (unsigned int)(cfg->max_connections > 0 ? cfg->max_connections
                                                                       : 10000) *
                              (unsigned int)threads;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur > 128 && conn_limit > rl.rlim_cur - 64)
        conn_limit = (unsigned int)(rl.rlim_cur - 64);
    s->routes = routes;
    s->nroutes = nroutes;
    s->ud = ud;
    s->obs = obs;
    s->max_body = cfg->max_body;
    s->gate = cfg->gate;
    s->developer_mode = cfg->developer_mode;
    snprintf(s->version_id, sizeof s->version_id, "%s", cfg->version_id);
    atomic_init(&s->nsuspended, 0);
    atomic_init(&s->active, 0);
    atomic_init(&s->closing, false);
    if (cfg->nlisten > MAX_LISTEN) {
        snprintf(errbuf, errlen, "at most %d listen addresses", MAX_LISTEN);
        rc = GR_EINVAL;
        goto out;
    }
    for (size_t i = 0; i < cfg->nlisten; i++) {
        struct sockaddr_storage ss;
        socklen_t sslen;
        unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                             MHD_ALLOW_SUSPEND_RESUME | MHD_ALLOW_UPGRADE | MHD_USE_ERROR_LOG;
        const union MHD_DaemonInfo *di;
        struct listener *l = &s->ls[s->nls];

        rc = parse_listen(cfg->listen[i], &ss, &sslen, errbuf, errlen);
        if (rc != GR_OK)
            goto out;
        if (ss.ss_family == AF_INET6) {
            const struct in6_addr *a = &((struct sockaddr_in6 *)(void *)&ss)->sin6_addr;
            flags |= MHD_USE_IPv6;
            /* [::] serves IPv4 too, as users expect from the default listen address. */
            if (IN6_IS_ADDR_UNSPECIFIED(a))
                flags |= MHD_USE_DUAL_STACK;
        }
        l->d = MHD_start_daemon(
                flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
                MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads, MHD_OPTION_CONNECTION_LIMIT,
                conn_limit,
                MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->connection_timeout,
                /* Per-connection pool: headers and the I/O buffer (half of it). libmicrohttpd
                 * touches the whole of it and keeps it for a connection's life, WebSockets
                 * included (~1 kB of RSS per kB here, per idle connection): 16 kB leaves ~8 kB
                 * for request headers, far above what clients send. */
                MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
                MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)4096,
                MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
        if (l->d == NULL) {
            snprintf(errbuf, errlen, "cannot listen on %s (address in use or not available)",
                     cfg->listen[i]);
            rc = GR_EIO;
            goto out;
        }
        di = MHD_get_daemon_info(l->d, MHD_DAEMON_INFO_BIND_PORT);
        format_url(&ss, di ? di->port : 0, l->url, sizeof l->url);
        s->nls++;
    }
out:
    if (rc != GR_OK) {
        gr_http_server_stop(s);
        s = NULL;
    }
    *out = s;
    return rc;
}

size_t gr_http_server_nlisteners(const struct gr_http_server *s)
{
    return s->nls;
}

const char *gr_http_server_url(const struct gr_http_server *s, size_t i)
{
    return i < s->nls ? s->ls[i].url : "";
}

bool gr_http_server_drain(struct gr_http_server *s, int timeout_ms)
{
    struct timespec ts = {0, 5 * 1000000};

    atomic_store(&s->closing, true);
    for (int waited = 0; atomic_load(&s->active) > 0; waited += 5) {
        if (waited >= timeout_ms)
            return false;
        nanosleep(&ts, NULL);
    }
    return true;
}

void gr_http_server_quiesce(struct gr_http_server *s)
{
    for (size_t i = 0; i < s->nls; i++) {
        MHD_socket fd = MHD_quiesce_daemon(s->ls[i].d);
        if (fd != MHD_INVALID_SOCKET)
            close(fd);
    }
}

int gr_http_server_nsuspended(struct gr_http_server *s)
{
    return atomic_load(&s->nsuspended);
}

void gr_http_server_stop(struct gr_http_server *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nls; i++)
        MHD_stop_daemon(s->ls[i].d);
    free(s);
}
