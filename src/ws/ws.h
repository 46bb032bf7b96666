/* SPDX-License-Identifier: MIT */
/*
 * ws.h - griot's WebSocket side: the hub that owns every upgraded connection, wslay framing on
 * top of it, and the Mattermost action/event envelopes (spec mattermost-compat §6).
 *
 * One hub thread runs its own epoll loop over all WebSocket sockets (libmicrohttpd hands each
 * socket over after the 101 answer; see http.h). It owns the connections, their wslay contexts,
 * the registry by user id and the per-connection event counter `seq`. Other threads talk to it
 * through a queue and an eventfd:
 *
 *   gr_ws_hub_adopt()    an HTTP thread gives it a freshly upgraded socket;
 *   gr_ws_hub_publish()  the events thread fans one serialised event out to users' connections;
 *   gr_ws_hub_reset()    events were lost: every client must reconnect and resync over REST;
 *   gr_ws_hub_shutdown() the main thread closes everything (1001) before the HTTP server stops.
 *
 * Everything else (gr_ws_conn_*) runs on the hub thread only, inside the callbacks.
 *
 * Workload and invariants: an event is serialised once by its producer (JSON without "seq");
 * the hub splices each connection's seq in while queueing, so fan-out costs one memcpy per
 * connection. Each connection's send queue is bounded (messages and bytes): a client that does
 * not read is disconnected rather than buffered without end; it reconnects and resyncs over
 * REST. Idle connections cost no CPU: the loop wakes once a second to run the keepalive timers.
 * ws/ never sees the store; callers pass user ids.
 */
#ifndef GR_WS_WS_H
#define GR_WS_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/apperr.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/id.h"

struct gr_ws_hub;
struct gr_ws_conn;

/* Gives the socket back to its owner (libmicrohttpd's MHD_upgrade_action CLOSE behind it).
 * Called exactly once per adopted connection, on the hub thread (or in gr_ws_hub_adopt itself
 * when the hub refuses the socket). */
typedef void (*gr_ws_close_fn)(void *close_ud);
/* A connection joined the hub (hub thread). A connection adopted with a user id is already
 * authenticated here, so this is where its hello goes out. */
typedef void (*gr_ws_open_fn)(struct gr_ws_conn *c, void *ud);
/* One complete text message from the client (hub thread); text is valid UTF-8 of at most
 * max_msg bytes, borrowed for the call. */
typedef void (*gr_ws_message_fn)(struct gr_ws_conn *c, const char *text, size_t len, void *ud);

struct gr_ws_config {
    size_t max_msg;         /* largest message a client may send; 0 = 8 KiB (Mattermost) */
    size_t queue_max_msgs;  /* per-connection send queue bound; 0 = 256 (Mattermost) */
    size_t queue_max_bytes; /* per-connection send queue bound; 0 = 1 MiB */
    size_t inbox_max_bytes; /* events waiting for the hub thread; 0 = 64 MiB */
    int ping_interval_ms;   /* ping a connection silent this long; 0 = 60 s */
    int idle_timeout_ms;    /* drop a connection silent this long; 0 = 100 s */
    int auth_timeout_ms;    /* close a connection not authenticated within; 0 = 10 s */
    int hibernate_ms;       /* release an idle connection's wslay context after this much
                             * silence; 0 = 5 s, < 0 = never */
    gr_ws_open_fn on_open;  /* may be NULL */
    gr_ws_message_fn on_message;
    void *ud;
};

/* Counters for logs and /metrics; any thread. */
struct gr_ws_stats {
    uint64_t conns;         /* open connections */
    uint64_t authenticated; /* of which authenticated */
    uint64_t events_sent;   /* event frames queued to connections */
    uint64_t slow_dropped;  /* connections closed because their send queue was full */
    uint64_t hibernating;   /* idle connections whose wslay context is released */
};

/* Starts the hub thread. cfg is copied. */
gr_err gr_ws_hub_start(const struct gr_ws_config *cfg, struct gr_ws_hub **out);

/*
 * Hands an upgraded socket to the hub (any thread; must not block, so it only queues). fd is
 * switched to non-blocking; extra/extra_len are bytes the HTTP layer had already read after the
 * request (copied here; wslay reads them before the socket). user_id (may be NULL or "") marks a
 * connection authenticated at upgrade. close_fn(close_ud) is called exactly once when the hub is
 * done with the socket - at once, before returning GR_ECLOSED, if the hub is shutting down.
 * conn_id_out (may be NULL) receives the new connection id.
 */
gr_err gr_ws_hub_adopt(struct gr_ws_hub *h, int fd, const char *extra, size_t extra_len,
                       const char *user_id, gr_ws_close_fn close_fn, void *close_ud,
                       char conn_id_out[GR_ID_SIZE]);

/*
 * Queues one event for every connection of each user in users[0..nusers) except omit_user_id
 * (may be NULL or ""). json is the event object without "seq" (it must end with '}'); the hub
 * adds "seq" per connection. Both are copied. Any thread. Returns GR_ETOOBIG when the hub's
 * inbox is over inbox_max_bytes (the event is dropped: call gr_ws_hub_reset), GR_ECLOSED after
 * shutdown, GR_EINVAL when json is not an object.
 */
gr_err gr_ws_hub_publish(struct gr_ws_hub *h, const char *json, size_t len,
                         const char (*users)[GR_ID_SIZE], size_t nusers, const char *omit_user_id);
/* Events were lost: closes every authenticated connection (1011, "resync") so clients
 * reconnect and catch up over REST. Any thread; never refused for size. */
void gr_ws_hub_reset(struct gr_ws_hub *h);
/*
 * Closes every connection with code 1001 (going away), waits up to timeout_ms for the close
 * handshakes, gives every socket back (close_fn), and stops the thread. Later adopts are refused
 * and later publishes dropped. Call before stopping the HTTP server. Accepts NULL.
 */
void gr_ws_hub_shutdown(struct gr_ws_hub *h, int timeout_ms);
/* Frees a hub after gr_ws_hub_shutdown (which it calls if needed). Accepts NULL. */
void gr_ws_hub_free(struct gr_ws_hub *h);
void gr_ws_hub_stats(struct gr_ws_hub *h, struct gr_ws_stats *out);

/* ---- hub thread only: inside gr_ws_open_fn / gr_ws_message_fn ---------------------------- */

/* The connection id (26 chars) and the authenticated user id ("" until authenticated). */
const char *gr_ws_conn_id(const struct gr_ws_conn *c);
const char *gr_ws_conn_user(const struct gr_ws_conn *c);
/* Marks the connection authenticated as user_id and registers it for that user's events. A
 * connection authenticates once; later calls return GR_EEXIST. */
gr_err gr_ws_conn_authenticate(struct gr_ws_conn *c, const char *user_id);
/* Queues a frame as is (action replies carry seq_reply, not seq). json is copied. */
gr_err gr_ws_conn_send_text(struct gr_ws_conn *c, const char *json, size_t len);
/* Queues an event: json without "seq", which is added from the connection's counter. */
gr_err gr_ws_conn_send_event(struct gr_ws_conn *c, const char *json, size_t len);
/* Starts a clean close with an RFC 6455 status code and a short reason; the connection is
 * freed later, never inside the caller's callback. */
void gr_ws_conn_close(struct gr_ws_conn *c, uint16_t code, const char *reason);
/* True when user_id has at least one authenticated connection. */
bool gr_ws_hub_user_online(const struct gr_ws_hub *h, const char *user_id);
/* The hub of a connection. */
struct gr_ws_hub *gr_ws_conn_hub(const struct gr_ws_conn *c);

/* ---- the protocol: pure functions (ws_proto.c), any thread -------------------------------- */

#define GR_WS_ACCEPT_SIZE 29 /* base64 of a SHA-1 digest + NUL */

/* RFC 6455 §4.2.2: writes Sec-WebSocket-Accept for the client's Sec-WebSocket-Key into out.
 * Returns false (out untouched) unless key is the base64 of 16 bytes. */
bool gr_ws_accept_key(const char *key, char out[GR_WS_ACCEPT_SIZE]);

/* A client action frame {"seq": N, "action": "...", "data": {...}} (spec §6.3). */
struct gr_ws_action {
    int64_t seq;   /* 0 when missing */
    char name[64]; /* "" when missing; longer names are cut (they match no action) */
    json_t *data;  /* the "data" object (borrowed from root) or NULL */
    json_t *root;  /* owned; gr_ws_action_cleanup releases it */
};

enum gr_ws_action_status {
    GR_WS_ACTION_OK = 0,
    GR_WS_ACTION_INVALID,   /* not a JSON object, or seq/action/data of the wrong type:
                             * Mattermost fails to decode it and drops the connection */
    GR_WS_ACTION_NO_ACTION, /* api.web_socket_router.no_action.app_error */
    GR_WS_ACTION_BAD_SEQ,   /* api.web_socket_router.bad_seq.app_error */
};

/* Parses one client message (len bytes, no NUL needed). Always fills a (a->root may be NULL);
 * call gr_ws_action_cleanup afterwards. */
enum gr_ws_action_status gr_ws_action_parse(const char *text, size_t len, struct gr_ws_action *a);
void gr_ws_action_cleanup(struct gr_ws_action *a);
/* data.<key> when it is a string, else NULL (borrowed from a). */
const char *gr_ws_action_str(const struct gr_ws_action *a, const char *key);

/* Writes a reply frame {"status": "OK"|"FAIL", "seq_reply": seq, "data"?: data, "error"?: e}
 * into out (reset first). data (may be NULL) is borrowed; e (may be NULL) makes it a FAIL reply
 * with the AppError minus its detail. */
gr_err gr_ws_reply(struct gr_buf *out, int64_t seq, const json_t *data, const struct gr_apperr *e);
/* Writes the hello event without seq (spec §6.4) into out (reset first). */
gr_err gr_ws_hello(struct gr_buf *out, const char *server_version, const char *conn_id,
                   const char *hostname, const char *user_id);
/* Writes json (an object, ending with '}') with ,"seq":N spliced in before its closing brace
 * into out (reset first). GR_EINVAL when json is not an object. */
gr_err gr_ws_splice_seq(struct gr_buf *out, const char *json, size_t len, uint64_t seq);

#endif
