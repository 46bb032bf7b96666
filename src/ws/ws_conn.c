/* SPDX-License-Identifier: MIT */
/*
 * ws_conn.c - one WebSocket connection: wslay's event API over a non-blocking socket with our
 * own recv/send callbacks, the bounded send queue, keepalive and the close handshake.
 *
 * Runs on the hub thread only. A connection never frees itself inside a wslay callback or a
 * user callback: it is marked dead and put on the hub's reap list, which the loop empties after
 * it has handled every event of the current epoll batch (so no event can point at freed memory).
 * The socket belongs to the HTTP layer: it is given back through close_fn, never close()d here.
 */
#include "ws/ws_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/gtime.h"
#include "core/log.h"
#include "core/xalloc.h"

/* Bytes read from one connection per wake-up: a client that floods cannot starve the others;
 * level-triggered epoll brings us back for the rest. */
#define READ_BUDGET (64 * 1024)
/* How long a close handshake may take before the socket is simply released. */
#define CLOSE_WAIT_MS 5000

/* Per-wake-up read accounting (the hub thread is single, so one static is enough). */
static size_t read_budget;

static int64_t now_ms(void)
{
    return gr_time_mono_ns() / 1000000;
}

static ssize_t recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags,
                       void *ud)
{
    struct gr_ws_conn *c = ud;
    ssize_t n;

    (void)flags;
    /* Bytes libmicrohttpd read past the request come first (LIBRARY-NOTES: extra_in). */
    if (c->extra_off < c->extra_len) {
        size_t k = c->extra_len - c->extra_off;
        if (k > len)
            k = len;
        memcpy(buf, c->extra + c->extra_off, k);
        c->extra_off += k;
        if (c->extra_off == c->extra_len) {
            free(c->extra);
            c->extra = NULL;
            c->extra_len = c->extra_off = 0;
        }
        c->last_rx_ms = now_ms();
        return (ssize_t)k;
    }
    if (read_budget == 0) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    if (len > read_budget)
        len = read_budget;
    do
        n = recv(c->fd, buf, len, 0);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        read_budget -= (size_t)n;
        c->last_rx_ms = now_ms();
        return n;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    /* 0 = the peer closed TCP without a close frame; anything else is a socket error. */
    c->dead_why = n == 0 ? "eof" : "recv error";
    wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
    return -1;
}

static ssize_t send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags,
                       void *ud)
{
    struct gr_ws_conn *c = ud;
    int sflags = MSG_NOSIGNAL | ((flags & WSLAY_MSG_MORE) ? MSG_MORE : 0);
    ssize_t n;

    do
        n = send(c->fd, data, len, sflags);
    while (n < 0 && errno == EINTR);
    if (n >= 0)
        return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    c->dead_why = "send error";
    wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
    return -1;
}

static void on_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *arg,
                   void *ud)
{
    struct gr_ws_conn *c = ud;
    struct gr_ws_hub *h = c->hub;

    (void)ctx;
    if (c->dead)
        return;
    switch (arg->opcode) {
    case WSLAY_TEXT_FRAME:
        /* After our close frame the peer may still send; RFC 6455 §5.5.1 lets us ignore it. */
        if (!c->closing)
            h->cfg.on_message(c, (const char *)arg->msg, arg->msg_length, h->cfg.ud);
        break;
    case WSLAY_BINARY_FRAME:
        /* Mattermost's binary frames are msgpack actions of clients griot does not serve. */
        gr_ws_conn_close(c, WSLAY_CODE_UNSUPPORTED_DATA, "binary frames are not supported");
        break;
    case WSLAY_CONNECTION_CLOSE:
        /* wslay has queued the answering close frame; flush sends it and releases us. */
        c->closing = true;
        if (c->close_deadline_ms == 0)
            c->close_deadline_ms = now_ms() + CLOSE_WAIT_MS;
        break;
    default:
        break; /* wslay answers pings itself; pongs only prove liveness (last_rx_ms) */
    }
    gr_ws__hub_mark_dirty(h, c);
}

struct gr_ws_conn *gr_ws__conn_new(struct gr_ws_hub *h, int fd, const char *extra, size_t len,
                                   gr_ws_close_fn close_fn, void *close_ud)
{
    static const struct wslay_event_callbacks cbs = {
            .recv_callback = recv_cb,
            .send_callback = send_cb,
            .on_msg_recv_callback = on_msg,
    };
    struct gr_ws_conn *c = gr_xcalloc(1, sizeof *c);
    int fl;

    c->hub = h;
    c->fd = fd;
    c->close_fn = close_fn;
    c->close_ud = close_ud;
    gr_id_new(c->id);
    if (len > 0) {
        c->extra = gr_xmalloc(len);
        memcpy(c->extra, extra, len);
        c->extra_len = len;
    }
    c->created_ms = c->last_rx_ms = c->last_ping_ms = now_ms();
    if (wslay_event_context_server_init(&c->ctx, &cbs, c) != 0) {
        free(c->extra);
        free(c);
        return NULL;
    }
    wslay_event_config_set_max_recv_msg_length(c->ctx, h->cfg.max_msg);
    fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && !(fl & O_NONBLOCK))
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    return c;
}

void gr_ws__conn_on_readable(struct gr_ws_conn *c, int64_t now)
{
    int rc;

    (void)now;
    if (c->dead || !wslay_event_want_read(c->ctx))
        return;
    read_budget = READ_BUDGET;
    rc = wslay_event_recv(c->ctx);
    if (rc != 0) {
        gr_ws__conn_kill(c, c->dead_why ? c->dead_why : "protocol error");
        return;
    }
    gr_ws__hub_mark_dirty(c->hub, c);
}

void gr_ws__conn_flush(struct gr_ws_conn *c)
{
    uint32_t mask = 0;

    if (c->dead)
        return;
    if (wslay_event_want_write(c->ctx) && wslay_event_send(c->ctx) != 0) {
        gr_ws__conn_kill(c, c->dead_why ? c->dead_why : "send failed");
        return;
    }
    /* Both directions done: the close handshake finished (or the protocol failed and wslay
     * sent its close frame). */
    if (!wslay_event_want_read(c->ctx) && !wslay_event_want_write(c->ctx)) {
        gr_ws__conn_kill(c, "closed");
        return;
    }
    if (wslay_event_want_read(c->ctx))
        mask |= EPOLLIN | EPOLLRDHUP;
    if (wslay_event_want_write(c->ctx))
        mask |= EPOLLOUT;
    gr_ws__hub_set_mask(c->hub, c, mask);
}

gr_err gr_ws__conn_queue(struct gr_ws_conn *c, uint8_t opcode, const char *p, size_t len)
{
    struct gr_ws_hub *h = c->hub;
    struct wslay_event_msg m = {opcode, (const uint8_t *)p, len};
    int rc;

    if (c->dead || c->closing)
        return GR_ECLOSED;
    /* The bound (LIBRARY-NOTES, wslay): a client that does not read is dropped, not buffered
     * for without end. It reconnects and resyncs over REST (spec §6.5). */
    if (opcode == WSLAY_TEXT_FRAME &&
        (wslay_event_get_queued_msg_count(c->ctx) >= h->cfg.queue_max_msgs ||
         wslay_event_get_queued_msg_length(c->ctx) + len > h->cfg.queue_max_bytes)) {
        atomic_fetch_add(&h->slow_dropped, 1);
        gr_log_info("ws", "conn=%s user=%s dropped: send queue full (%zu messages, %zu bytes)",
                    c->id, c->user_id[0] ? c->user_id : "-",
                    wslay_event_get_queued_msg_count(c->ctx),
                    wslay_event_get_queued_msg_length(c->ctx));
        gr_ws__conn_kill(c, "slow consumer");
        return GR_ETOOBIG;
    }
    rc = wslay_event_queue_msg(c->ctx, &m);
    if (rc == WSLAY_ERR_NO_MORE_MSG)
        return GR_ECLOSED;
    if (rc != 0) {
        gr_ws__conn_kill(c, "queue failed");
        return rc == WSLAY_ERR_NOMEM ? GR_ENOMEM : GR_EINVAL;
    }
    gr_ws__hub_mark_dirty(h, c);
    return GR_OK;
}

void gr_ws__conn_tick(struct gr_ws_conn *c, int64_t now)
{
    const struct gr_ws_config *cfg = &c->hub->cfg;

    if (c->dead)
        return;
    if (c->closing) {
        if (now >= c->close_deadline_ms)
            gr_ws__conn_kill(c, "close timeout");
        return;
    }
    if (c->user_id[0] == '\0' && now - c->created_ms >= cfg->auth_timeout_ms) {
        gr_ws_conn_close(c, WSLAY_CODE_POLICY_VIOLATION, "authentication timeout");
        return;
    }
    if (now - c->last_rx_ms >= cfg->idle_timeout_ms) {
        gr_ws__conn_kill(c, "idle timeout");
        return;
    }
    /* Ping a connection that has been silent for an interval (spec §6.1); its pong, or any
     * frame, moves last_rx_ms. */
    if (now - c->last_rx_ms >= cfg->ping_interval_ms &&
        now - c->last_ping_ms >= cfg->ping_interval_ms) {
        c->last_ping_ms = now;
        gr_ws__conn_queue(c, WSLAY_PING, "", 0);
    }
}

void gr_ws__conn_kill(struct gr_ws_conn *c, const char *why)
{
    struct gr_ws_hub *h = c->hub;

    if (c->dead)
        return;
    c->dead = true;
    c->dead_why = why;
    c->dead_next = h->dead;
    h->dead = c;
}

void gr_ws__conn_free(struct gr_ws_conn *c)
{
    struct gr_ws_hub *h = c->hub;

    /* Out of epoll before the HTTP layer closes the fd: its number may be reused at once. */
    if (c->epoll_mask)
        epoll_ctl(h->epfd, EPOLL_CTL_DEL, c->fd, NULL);
    gr_ws__hub_unregister(h, c);
    gr_log_debug("ws", "conn=%s user=%s closed: %s", c->id, c->user_id[0] ? c->user_id : "-",
                 c->dead_why ? c->dead_why : "shutdown");
    wslay_event_context_free(c->ctx);
    free(c->extra);
    c->close_fn(c->close_ud);
    free(c);
}

/* ---- the public per-connection API (hub thread) ------------------------------------------- */

const char *gr_ws_conn_id(const struct gr_ws_conn *c)
{
    return c->id;
}

const char *gr_ws_conn_user(const struct gr_ws_conn *c)
{
    return c->user_id;
}

struct gr_ws_hub *gr_ws_conn_hub(const struct gr_ws_conn *c)
{
    return c->hub;
}

gr_err gr_ws_conn_send_text(struct gr_ws_conn *c, const char *json, size_t len)
{
    return gr_ws__conn_queue(c, WSLAY_TEXT_FRAME, json, len);
}

gr_err gr_ws_conn_send_event(struct gr_ws_conn *c, const char *json, size_t len)
{
    struct gr_ws_hub *h = c->hub;
    gr_err rc;

    rc = gr_ws_splice_seq(&h->scratch, json, len, c->seq);
    if (rc == GR_OK)
        rc = gr_ws__conn_queue(c, WSLAY_TEXT_FRAME, h->scratch.p, h->scratch.len);
    if (rc == GR_OK) {
        c->seq++;
        atomic_fetch_add(&h->events_sent, 1);
    }
    return rc;
}

void gr_ws_conn_close(struct gr_ws_conn *c, uint16_t code, const char *reason)
{
    size_t n = reason ? strlen(reason) : 0;

    if (c->dead || c->closing)
        return;
    /* A close frame's payload is at most 125 bytes: 2 for the code, 123 for the reason. */
    if (n > 123)
        n = 123;
    c->closing = true;
    c->close_deadline_ms = now_ms() + CLOSE_WAIT_MS;
    if (wslay_event_queue_close(c->ctx, code, (const uint8_t *)reason, n) != 0) {
        gr_ws__conn_kill(c, "close failed");
        return;
    }
    gr_ws__hub_mark_dirty(c->hub, c);
}
