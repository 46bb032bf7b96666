/* SPDX-License-Identifier: MIT */
/*
 * http.h - griot's HTTP front: libmicrohttpd glue, a router and a plain request object.
 *
 * libmicrohttpd owns sockets, parsing and its epoll thread pool; this module adapts its
 * callbacks into `struct gr_http_req` and a route table so handlers (api/) never see MHD types.
 * A handler runs once per request, on an HTTP worker thread, after the whole body was read
 * (bounded by the route's body limit: a Content-Length over it is answered 413 before reading).
 *
 * Answering: a handler either calls gr_http_respond*() before returning (synchronous), or calls
 * gr_http_req_suspend() and hands the request to another thread, which later calls
 * gr_http_respond*() and then gr_http_req_resume() exactly once (asynchronous; used by group
 * commit so a worker thread never blocks on fsync). The request object stays valid until the
 * response has been sent; the module logs one line per request and frees it.
 *
 * Every response carries X-Request-Id, X-Version-Id, X-Content-Type-Options and Referrer-Policy.
 */
#ifndef GR_HTTP_HTTP_H
#define GR_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/apperr.h"
#include "core/buf.h"
#include "core/err.h"

struct gr_http_req;
struct gr_http_server;

typedef void (*gr_http_handler)(struct gr_http_req *r, void *ud);

/* Runs on every request before routing (the global rate limiter). Returns true to let the
 * request through (it may add headers), false after answering it itself. */
typedef bool (*gr_http_gate)(struct gr_http_req *r, void *ud);

/* Called once per finished request (after the response went out), for metrics. */
typedef void (*gr_http_observer)(const char *route, const char *method, int status,
                                 int64_t duration_ns, void *ud);

#define GR_HTTP_MAX_PARAMS 4

struct gr_http_route {
    const char *method;  /* "POST"; NULL = any method */
    const char *pattern; /* "/hooks/:id" - ':name' matches one segment of [A-Za-z0-9]+,
                          * '*name' one segment of [A-Za-z0-9._+-]+ (names, emoji) */
    gr_http_handler handler;
    size_t max_body;     /* 0 = use the server default */
    /* Optional: the body limit for this request, decided from its path parameters; asked only
     * when a body would exceed the default (a hook's source may allow more). */
    size_t (*limit)(struct gr_http_req *r, void *ud);
};

struct gr_http_config {
    const char *const *listen; /* "ADDR:PORT" list */
    size_t nlisten;
    int threads;               /* worker threads per listener; 0 = number of CPUs */
    int max_connections;
    int connection_timeout;    /* seconds; 0 = none */
    size_t max_body;           /* default body limit */
    const char *version_id;    /* X-Version-Id value */
    bool developer_mode;       /* show detailed_error in AppError bodies */
    gr_http_gate gate;         /* NULL = none */
};

/* Creates the server with a route table (borrowed; must outlive the server) and starts
 * listening. On failure writes a reason into errbuf. */
gr_err gr_http_server_start(const struct gr_http_config *cfg, const struct gr_http_route *routes,
                            size_t nroutes, void *ud, gr_http_observer obs,
                            struct gr_http_server **out, char *errbuf, size_t errlen);
/* The bound addresses, e.g. "http://127.0.0.1:43567" (index < count). */
size_t gr_http_server_nlisteners(const struct gr_http_server *s);
const char *gr_http_server_url(const struct gr_http_server *s, size_t i);
/* Stops accepting new connections (first step of a clean shutdown). */
void gr_http_server_quiesce(struct gr_http_server *s);
/* Number of requests that are suspended and not yet resumed. */
int gr_http_server_nsuspended(struct gr_http_server *s);
/* Second step: from now on new requests (on connections already open) get 503 with
 * "Connection: close"; waits until every request whose handler already ran has been answered.
 * Returns false if that took longer than timeout_ms. */
bool gr_http_server_drain(struct gr_http_server *s, int timeout_ms);
/* Stops the daemons and frees. Call only after gr_http_server_drain() returned true (stopping
 * libmicrohttpd with a suspended connection is undefined behaviour). Accepts NULL. */
void gr_http_server_stop(struct gr_http_server *s);

/* Request accessors; returned strings are borrowed until the request is finished. */
const char *gr_http_req_method(const struct gr_http_req *r);
const char *gr_http_req_path(const struct gr_http_req *r);
/* Value of a path parameter named in the route pattern (":id" -> "id"), or NULL. */
const char *gr_http_req_param(const struct gr_http_req *r, const char *name);
/* Header value (case-insensitive name) or NULL. */
const char *gr_http_req_header(const struct gr_http_req *r, const char *name);
/* Query-string argument or NULL. */
const char *gr_http_req_query(const struct gr_http_req *r, const char *name);
const struct gr_buf *gr_http_req_body(const struct gr_http_req *r);
const char *gr_http_req_id(const struct gr_http_req *r);
/* The peer address, IPv4-mapped IPv6 normalised to plain IPv4 ("127.0.0.1", "::1"). */
const char *gr_http_req_peer(const struct gr_http_req *r);
/* The route pattern that matched (for logs and metrics: "/hooks/:id" never shows the id). */
const char *gr_http_req_route(const struct gr_http_req *r);

/* Sets the response. body is copied. content_type NULL = application/json. Later calls replace
 * earlier ones (the last one wins). */
void gr_http_respond(struct gr_http_req *r, int status, const char *content_type, const char *body,
                     size_t len);
/* Adds a response header (copied); a header of the same name set earlier is replaced. */
void gr_http_add_header(struct gr_http_req *r, const char *name, const char *value);
/* Responds with a Mattermost AppError JSON body (§0.3), status = e->status. */
void gr_http_respond_apperr(struct gr_http_req *r, const struct gr_apperr *e);
/* Shorthand: gr_apperr_set + gr_http_respond_apperr. */
void gr_http_respond_error(struct gr_http_req *r, int status, const char *id, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* Leaves X-Request-Id off this response (Mattermost's rate limiter answers before the request
 * gets an id; spec mattermost-compat §7.2, RL-8). */
void gr_http_req_omit_request_id(struct gr_http_req *r);

/* Async answering; see the file comment. suspend must be called from the handler. */
void gr_http_req_suspend(struct gr_http_req *r);
void gr_http_req_resume(struct gr_http_req *r);

/*
 * Protocol upgrades (RFC 6455 WebSocket on the same port; spec mattermost-compat §6.1).
 *
 * A handler that accepts an upgrade calls gr_http_respond_upgrade() instead of gr_http_respond:
 * the answer is "101 Switching Protocols" with the headers the handler added (Upgrade,
 * Sec-WebSocket-Accept, ...) and "Connection: Upgrade". fn is then called exactly once, on an
 * HTTP thread, and must not block:
 *   - after the 101 went out: u is the handle, fd the raw socket, extra/extra_len the bytes the
 *     client sent after its request that were already read (borrowed for the call: feed them
 *     to the protocol before reading fd). From then on the callee owns the conversation but
 *     never close()s fd: it calls gr_http_upgrade_close(u) exactly once when done;
 *   - or, if the 101 could not be sent (the client went away), with u NULL and fd -1, so the
 *     callee can release ud.
 * An upgraded connection still counts against the connection limit until it is closed, and
 * every one must be closed before gr_http_server_stop(). The request's log line is written when
 * the upgraded connection closes (status 101, duration = the session).
 */
struct gr_http_upgrade;
typedef void (*gr_http_upgrade_fn)(struct gr_http_upgrade *u, int fd, const char *extra,
                                   size_t extra_len, void *ud);
void gr_http_respond_upgrade(struct gr_http_req *r, gr_http_upgrade_fn fn, void *ud);
/* Gives an upgraded socket back to libmicrohttpd, which closes it (MHD_upgrade_action CLOSE).
 * Any thread; exactly once per handle; u is freed. */
void gr_http_upgrade_close(struct gr_http_upgrade *u);

#endif
