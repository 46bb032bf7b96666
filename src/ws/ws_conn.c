/* SPDX-License-Identifier: MIT */
/*
 * ws_conn.c - one WebSocket connection: wslay's event API over a non-blocking socket with our
 * own recv/send callbacks, the bounded send queue, keepalive and the close handshake.
 *
 * Runs on the hub thread only. A connection never frees itself inside a wslay callback or a
 * user callback: it is marked dead and put on the hub's reap list, which the loop empties after
 * it has handled every event of the current epoll batch (so no event can point at freed memory).
 * The socket belongs to the HTTP layer: it is given back through close_fn, never close()d here.
 *
 * Sending: events are shared frames (serialised once for every recipient); a connection queues
 * references to them with its own seq, in a ring bounded by queue_max_msgs/queue_max_bytes.
 * Flushing hands at most FEED_BYTES of them to wslay (which frames them), collects wslay's
 * output in the hub's buffer instead of writing each frame, and writes it with one send(): a
 * connection behind by several events costs one system call, not one per event, so the hub
 * catches up faster the further behind it is. What the socket does not take waits in wpend.
 *
 * Hibernation: wslay's context costs about 8 kB per connection (a 4 kB input and a 4 kB output
 * buffer), which would be most of an idle connection's memory. A connection silent for
 * hibernate_ms with nothing in flight - no partial frame in wslay (the bytes handed to it equal
 * the bytes of the frames it completed), no fragmented message open, nothing queued, not
 * closing - gives its context back; the next byte in or message out creates a fresh one, which
 * is indistinguishable at a frame boundary.
 */
#include "ws/ws_int.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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
#define READ_BUDGET   (64 * 1024)
/* How long a close handshake may take before the socket is simply released. */
#define CLOSE_WAIT_MS 5000
/* Bytes of queued messages handed to wslay per flush round (one send() each). */
#define FEED_BYTES    (32 * 1024)

static int64_t now_ms(void)
{
    return gr_time_mono_ns() / 1000000;
}

static ssize_t recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *ud)
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
        c->last_rx_ms = c->last_io_ms = now_ms();
        c->in_bytes += k;
        return (ssize_t)k;
    }
    if (c->hub->read_budget == 0) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    if (len > c->hub->read_budget)
        len = c->hub->read_budget;
    do
        n = recv(c->fd, buf, len, 0);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        c->hub->read_budget -= (size_t)n;
        c->last_rx_ms = c->last_io_ms = now_ms();
        c->in_bytes += (uint64_t)n;
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

/* wslay's output goes into the hub's buffer; flush() writes it with one send(). */
static ssize_t send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags,
                       void *ud)
{
    struct gr_ws_conn *c = ud;

    (void)flags;
    if (gr_buf_append(&c->hub->wbuf, data, len) != GR_OK) {
        wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return (ssize_t)len;
}

/* A client frame is 2 header bytes, 0/2/8 extended length bytes, the 4-byte mask (wslay refuses
 * unmasked client frames) and the payload. */
static void on_frame_start(wslay_event_context_ptr ctx,
                           const struct wslay_event_on_frame_recv_start_arg *arg, void *ud)
{
    struct gr_ws_conn *c = ud;
    uint64_t n = arg->payload_length;

    (void)ctx;
    c->frame_len = 2 + (n < 126 ? 0 : n <= 0xffff ? 2 : 8) + 4 + n;
    if (!wslay_is_ctrl_frame(arg->opcode))
        c->frag_open = !arg->fin;
}

static void on_frame_end(wslay_event_context_ptr ctx, void *ud)
{
    struct gr_ws_conn *c = ud;

    (void)ctx;
    c->framed_bytes += c->frame_len;
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

static const struct wslay_event_callbacks callbacks = {
        .recv_callback = recv_cb,
        .send_callback = send_cb,
        .on_frame_recv_start_callback = on_frame_start,
        .on_frame_recv_end_callback = on_frame_end,
        .on_msg_recv_callback = on_msg,
};

/* Creates the wslay context if the connection hibernates. False (connection killed) when
 * memory runs out. */
static bool ensure_ctx(struct gr_ws_conn *c)
{
    if (c->ctx)
        return true;
    if (wslay_event_context_server_init(&c->ctx, &callbacks, c) != 0) {
        c->ctx = NULL;
        gr_ws__conn_kill(c, "out of memory");
        return false;
    }
    wslay_event_config_set_max_recv_msg_length(c->ctx, c->hub->cfg.max_msg);
    c->in_bytes = c->framed_bytes = 0;
    c->frag_open = false;
    if (c->asleep) {
        c->asleep = false;
        atomic_fetch_sub(&c->hub->nhibernating, 1);
    }
    return true;
}

bool gr_ws__conn_want_read(const struct gr_ws_conn *c)
{
    return c->ctx == NULL || wslay_event_want_read(c->ctx);
}

struct gr_ws_conn *gr_ws__conn_new(struct gr_ws_hub *h, int fd, const char *extra, size_t len,
                                   gr_ws_close_fn close_fn, void *close_ud)
{
    struct gr_ws_conn *c = gr_xcalloc(1, sizeof *c);
    int fl, one = 1;

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
    c->created_ms = c->last_rx_ms = c->last_io_ms = c->last_ping_ms = now_ms();
    /* Not ensure_ctx: this runs on an HTTP thread, before the hub knows the connection. */
    if (wslay_event_context_server_init(&c->ctx, &callbacks, c) != 0) {
        free(c->extra);
        free(c);
        return NULL;
    }
    wslay_event_config_set_max_recv_msg_length(c->ctx, h->cfg.max_msg);
    fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && !(fl & O_NONBLOCK))
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    /* Each flush is one coalesced write: Nagle would only hold an event back until the
     * client's delayed ACK (up to 40 ms). Not a TCP socket (tests): nothing to do. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return c;
}

void gr_ws__conn_on_readable(struct gr_ws_conn *c, int64_t now)
{
    int rc;

    (void)now;
    if (c->dead || !ensure_ctx(c) || !wslay_event_want_read(c->ctx))
        return;
    c->hub->read_budget = READ_BUDGET;
    rc = wslay_event_recv(c->ctx);
    if (rc != 0) {
        gr_ws__conn_kill(c, c->dead_why ? c->dead_why : "protocol error");
        return;
    }
    gr_ws__hub_mark_dirty(c->hub, c);
}

/* ---- the send queue ------------------------------------------------------------------------ */

struct gr_ws__frame *gr_ws__frame_new(const char *text, size_t len)
{
    struct gr_ws__frame *f = gr_xmalloc(sizeof *f + len + 1);

    atomic_init(&f->refs, 1);
    f->len = len;
    memcpy(f->text, text, len);
    f->text[len] = '\0';
    return f;
}

void gr_ws__frame_unref(struct gr_ws__frame *f)
{
    if (f && atomic_fetch_sub(&f->refs, 1) == 1)
        free(f);
}

static void ring_clear(struct gr_ws_conn *c)
{
    for (size_t i = 0; i < c->nout; i++)
        gr_ws__frame_unref(c->ring[(c->ring_head + i) % c->ring_cap].f);
    c->nout = c->out_bytes = c->ring_head = 0;
}

gr_err gr_ws__conn_queue(struct gr_ws_conn *c, struct gr_ws__frame *f, uint64_t seq)
{
    struct gr_ws_hub *h = c->hub;
    struct gr_ws__slot *s;

    if (c->dead || c->closing)
        return GR_ECLOSED;
    /* The bound (LIBRARY-NOTES, wslay): a client that does not read is dropped, not buffered
     * for without end. It reconnects and resyncs over REST (spec §6.5). */
    if (c->nout >= h->cfg.queue_max_msgs || c->out_bytes + f->len > h->cfg.queue_max_bytes) {
        atomic_fetch_add(&h->slow_dropped, 1);
        gr_log_info("ws", "conn=%s user=%s dropped: send queue full (%zu messages, %zu bytes)",
                    c->id, c->user_id[0] ? c->user_id : "-", c->nout, c->out_bytes);
        gr_ws__conn_kill(c, "slow consumer");
        return GR_ETOOBIG;
    }
    if (c->nout == c->ring_cap) {
        /* Grow on demand (idle connections keep a tiny ring), unrolling into the new array. */
        size_t cap = c->ring_cap ? c->ring_cap * 2 : 4;
        struct gr_ws__slot *r = gr_xmalloc(cap * sizeof *r);
        for (size_t i = 0; i < c->nout; i++)
            r[i] = c->ring[(c->ring_head + i) % c->ring_cap];
        free(c->ring);
        c->ring = r;
        c->ring_cap = cap;
        c->ring_head = 0;
    }
    s = &c->ring[(c->ring_head + c->nout) % c->ring_cap];
    atomic_fetch_add(&f->refs, 1);
    s->f = f;
    s->seq = seq;
    c->nout++;
    c->out_bytes += f->len;
    gr_ws__hub_mark_dirty(h, c);
    return GR_OK;
}

/* Hands queued messages to wslay (which copies them), up to FEED_BYTES and at least one. */
static gr_err feed(struct gr_ws_conn *c)
{
    struct gr_ws_hub *h = c->hub;
    size_t fed = 0;

    while (c->nout > 0 && fed < FEED_BYTES && !c->closing) {
        struct gr_ws__slot *s = &c->ring[c->ring_head];
        struct wslay_event_msg m = {WSLAY_TEXT_FRAME, (const uint8_t *)s->f->text, s->f->len};
        bool is_event = s->seq != GR_WS__RAW;
        int rc;

        if (is_event) {
            if (gr_ws_splice_seq(&h->scratch, s->f->text, s->f->len, s->seq) != GR_OK)
                return GR_EINVAL;
            m.msg = (const uint8_t *)h->scratch.p;
            m.msg_length = h->scratch.len;
        }
        rc = wslay_event_queue_msg(c->ctx, &m);
        if (rc != 0 && rc != WSLAY_ERR_NO_MORE_MSG)
            return GR_ENOMEM;
        fed += m.msg_length;
        c->out_bytes -= s->f->len;
        gr_ws__frame_unref(s->f);
        c->ring_head = (c->ring_head + 1) % c->ring_cap;
        c->nout--;
        if (is_event)
            atomic_fetch_add(&h->events_sent, 1);
    }
    return GR_OK;
}

/* Writes p[0..len); keeps what the socket does not take in wpend. Returns false on a socket
 * error (the connection is then dead). */
static bool write_out(struct gr_ws_conn *c, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        gr_ws__conn_kill(c, "send error");
        return false;
    }
    if (len > 0) {
        c->wpend = gr_xmalloc(len);
        memcpy(c->wpend, p, len);
        c->wpend_len = len;
        c->wpend_off = 0;
    }
    return true;
}

void gr_ws__conn_flush(struct gr_ws_conn *c)
{
    struct gr_ws_hub *h = c->hub;
    uint32_t mask = 0;
    bool want_write;

    if (c->dead)
        return;
    if (c->ctx == NULL && c->nout == 0 && c->wpend_len == 0) {
        gr_ws__hub_set_mask(h, c, EPOLLIN | EPOLLRDHUP); /* hibernating, nothing to say */
        return;
    }
    if (!ensure_ctx(c))
        return;
    /* Bytes an earlier send() left behind go first. */
    if (c->wpend_len > 0) {
        char *w = c->wpend;
        size_t off = c->wpend_off, len = c->wpend_len;
        bool ok;
        c->wpend = NULL;
        c->wpend_len = c->wpend_off = 0;
        ok = write_out(c, w + off, len - off);
        free(w);
        if (!ok)
            return;
    }
    while (c->wpend_len == 0) {
        if (feed(c) != GR_OK) {
            gr_ws__conn_kill(c, "queue failed");
            return;
        }
        if (!wslay_event_want_write(c->ctx))
            break;
        gr_buf_reset(&h->wbuf);
        if (wslay_event_send(c->ctx) != 0) {
            gr_ws__conn_kill(c, "send failed");
            return;
        }
        if (!write_out(c, h->wbuf.p, h->wbuf.len))
            return;
        c->last_io_ms = now_ms();
        if (c->nout == 0)
            break;
    }
    /* After our close frame went out, queued events have no way to the client any more. */
    if (!wslay_event_get_write_enabled(c->ctx))
        ring_clear(c);
    want_write = c->wpend_len > 0 || c->nout > 0 || wslay_event_want_write(c->ctx);
    /* Both directions done: the close handshake finished (or the protocol failed and wslay
     * sent its close frame), and every byte is out. */
    if (!wslay_event_want_read(c->ctx) && !want_write) {
        gr_ws__conn_kill(c, "closed");
        return;
    }
    if (wslay_event_want_read(c->ctx))
        mask |= EPOLLIN | EPOLLRDHUP;
    if (want_write)
        mask |= EPOLLOUT;
    gr_ws__hub_set_mask(h, c, mask);
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
        struct wslay_event_msg ping = {WSLAY_PING, (const uint8_t *)"", 0};
        c->last_ping_ms = now;
        if (ensure_ctx(c) && wslay_event_queue_msg(c->ctx, &ping) == 0)
            gr_ws__hub_mark_dirty(c->hub, c);
        return;
    }
    if (c->ctx && cfg->hibernate_ms > 0 && now - c->last_io_ms >= cfg->hibernate_ms &&
        c->extra_len == 0 && c->in_bytes == c->framed_bytes && !c->frag_open && c->nout == 0 &&
        c->wpend_len == 0 && !wslay_event_want_write(c->ctx) &&
        wslay_event_get_read_enabled(c->ctx) && wslay_event_get_write_enabled(c->ctx)) {
        wslay_event_context_free(c->ctx);
        c->ctx = NULL;
        c->asleep = true;
        atomic_fetch_add(&c->hub->nhibernating, 1);
        c->hub->hibernated_since_trim++;
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
    if (c->ctx)
        wslay_event_context_free(c->ctx);
    if (c->asleep)
        atomic_fetch_sub(&h->nhibernating, 1);
    ring_clear(c);
    free(c->ring);
    free(c->wpend);
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
    struct gr_ws__frame *f = gr_ws__frame_new(json, len);
    gr_err rc = gr_ws__conn_queue(c, f, GR_WS__RAW);

    gr_ws__frame_unref(f);
    return rc;
}

gr_err gr_ws_conn_send_event(struct gr_ws_conn *c, const char *json, size_t len)
{
    struct gr_ws__frame *f;
    gr_err rc;

    if (len < 2 || json[0] != '{')
        return GR_EINVAL;
    f = gr_ws__frame_new(json, len);
    rc = gr_ws__conn_queue(c, f, c->seq);
    if (rc == GR_OK)
        c->seq++;
    gr_ws__frame_unref(f);
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
    if (!ensure_ctx(c))
        return;
    c->closing = true;
    c->close_deadline_ms = now_ms() + CLOSE_WAIT_MS;
    ring_clear(c); /* what was not sent yet will not be: the close frame goes next */
    if (wslay_event_queue_close(c->ctx, code, (const uint8_t *)reason, n) != 0) {
        gr_ws__conn_kill(c, "close failed");
        return;
    }
    gr_ws__hub_mark_dirty(c->hub, c);
}
