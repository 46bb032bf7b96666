/* SPDX-License-Identifier: MIT */
/*
 * ws_hub.c - the WebSocket hub: one thread, one epoll set, every connection.
 *
 * Other threads put commands in the inbox (a mutex-protected list; an eventfd wakes the loop
 * when it goes from empty to non-empty). One loop iteration: handle the epoll batch (reads;
 * writable sockets go on the flush list), take the whole inbox (adopt sockets, fan events out
 * to the user index, reset), run the timers once a second, flush every connection that has
 * frames queued, then free the connections that died during the iteration.
 *
 * The user index is a chained hash of connections keyed by user id (a user may have many
 * connections: tabs, devices, the benchmark's thousand sockets). Fan-out walks one bucket per
 * recipient, so the cost of an event is proportional to its audience, not to the number of
 * connections. The inbox is bounded in bytes: when the events thread outruns the hub, publish
 * refuses and the caller resets every connection (clients resync over REST) instead of letting
 * memory grow.
 */
#include "ws/ws_int.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/gtime.h"
#include "core/log.h"
#include "core/xalloc.h"

#define MAX_EVENTS  256
#define TICK_MS     1000
#define MIN_BUCKETS 1024

static int64_t now_ms(void)
{
    return gr_time_mono_ns() / 1000000;
}

/* FNV-1a over the id. */
static size_t hash_id(const char *id)
{
    uint64_t x = 1469598103934665603ULL;

    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        x ^= *p;
        x *= 1099511628211ULL;
    }
    return (size_t)x;
}

/* ---- the user index ----------------------------------------------------------------------- */

static void index_grow(struct gr_ws_hub *h)
{
    size_t n = h->nbuckets * 2;
    struct gr_ws_conn **b = gr_xcalloc(n, sizeof *b);

    for (size_t i = 0; i < h->nbuckets; i++) {
        struct gr_ws_conn *c = h->users[i], *next;
        for (; c; c = next) {
            size_t k = hash_id(c->user_id) & (n - 1);
            next = c->user_next;
            c->user_next = b[k];
            b[k] = c;
        }
    }
    free(h->users);
    h->users = b;
    h->nbuckets = n;
}

gr_err gr_ws_conn_authenticate(struct gr_ws_conn *c, const char *user_id)
{
    struct gr_ws_hub *h = c->hub;
    size_t k;

    if (c->registered)
        return GR_EEXIST;
    if (user_id == NULL || strlen(user_id) != GR_ID_LEN)
        return GR_EINVAL;
    memcpy(c->user_id, user_id, GR_ID_SIZE);
    if (atomic_load(&h->nauth) + 1 > 2 * h->nbuckets)
        index_grow(h);
    k = hash_id(c->user_id) & (h->nbuckets - 1);
    c->user_next = h->users[k];
    h->users[k] = c;
    c->registered = true;
    atomic_fetch_add(&h->nauth, 1);
    return GR_OK;
}

void gr_ws__hub_unregister(struct gr_ws_hub *h, struct gr_ws_conn *c)
{
    if (c->registered) {
        struct gr_ws_conn **pp = &h->users[hash_id(c->user_id) & (h->nbuckets - 1)];
        while (*pp && *pp != c)
            pp = &(*pp)->user_next;
        if (*pp)
            *pp = c->user_next;
        c->registered = false;
        atomic_fetch_sub(&h->nauth, 1);
    }
    if (c->all_prev)
        c->all_prev->all_next = c->all_next;
    else if (h->all == c)
        h->all = c->all_next;
    if (c->all_next)
        c->all_next->all_prev = c->all_prev;
    c->all_prev = c->all_next = NULL;
    atomic_fetch_sub(&h->nconns, 1);
}

bool gr_ws_hub_user_online(const struct gr_ws_hub *h, const char *user_id)
{
    const struct gr_ws_conn *c = h->users[hash_id(user_id) & (h->nbuckets - 1)];

    for (; c; c = c->user_next)
        if (!c->dead && strcmp(c->user_id, user_id) == 0)
            return true;
    return false;
}

/* ---- loop helpers used by ws_conn.c -------------------------------------------------------- */

void gr_ws__hub_mark_dirty(struct gr_ws_hub *h, struct gr_ws_conn *c)
{
    if (c->dirty || c->dead)
        return;
    c->dirty = true;
    c->dirty_next = h->dirty;
    h->dirty = c;
}

void gr_ws__hub_set_mask(struct gr_ws_hub *h, struct gr_ws_conn *c, uint32_t mask)
{
    struct epoll_event ev = {.events = mask, .data.ptr = c};

    if (mask == c->epoll_mask)
        return;
    if (epoll_ctl(h->epfd, c->epoll_mask ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &ev) != 0) {
        gr_log_errno("ws", "epoll_ctl conn=%s", c->id);
        gr_ws__conn_kill(c, "epoll failed");
        return;
    }
    c->epoll_mask = mask;
}

/* ---- the inbox ------------------------------------------------------------------------------ */

/* Appends cmd; returns false (cmd not taken) once shutdown began or when over the byte bound
 * (unless force). */
static bool inbox_put(struct gr_ws_hub *h, struct gr_ws__cmd *cmd, bool force)
{
    bool was_empty, ok = true;

    pthread_mutex_lock(&h->lock);
    if (h->stopping || (!force && h->inbox_bytes + cmd->cost > h->cfg.inbox_max_bytes)) {
        ok = false;
    } else {
        was_empty = h->head == NULL;
        cmd->next = NULL;
        if (h->tail)
            h->tail->next = cmd;
        else
            h->head = cmd;
        h->tail = cmd;
        h->inbox_bytes += cmd->cost;
    }
    pthread_mutex_unlock(&h->lock);
    if (ok && was_empty) {
        uint64_t one = 1;
        /* The counter cannot overflow in practice; a failed write only delays to the tick. */
        if (write(h->evfd, &one, sizeof one) < 0)
            gr_log_errno("ws", "eventfd write");
    }
    return ok;
}

static struct gr_ws__cmd *inbox_take(struct gr_ws_hub *h)
{
    struct gr_ws__cmd *list;

    pthread_mutex_lock(&h->lock);
    list = h->head;
    h->head = h->tail = NULL;
    h->inbox_bytes = 0;
    pthread_mutex_unlock(&h->lock);
    return list;
}

static void fan_out(struct gr_ws_hub *h, const struct gr_ws__cmd *cmd)
{
    for (size_t i = 0; i < cmd->nusers; i++) {
        const char *u = cmd->users[i];
        struct gr_ws_conn *c;

        if (cmd->omit[0] && strcmp(u, cmd->omit) == 0)
            continue;
        for (c = h->users[hash_id(u) & (h->nbuckets - 1)]; c; c = c->user_next)
            if (!c->dead && !c->closing && strcmp(c->user_id, u) == 0 &&
                gr_ws__conn_queue(c, cmd->frame, c->seq) == GR_OK)
                c->seq++;
    }
}

static void adopt_now(struct gr_ws_hub *h, struct gr_ws_conn *c)
{
    c->all_next = h->all;
    if (h->all)
        h->all->all_prev = c;
    h->all = c;
    gr_ws__hub_set_mask(h, c, EPOLLIN | EPOLLRDHUP);
    if (c->dead)
        return;
    if (c->user_id[0]) {
        char uid[GR_ID_SIZE];
        memcpy(uid, c->user_id, GR_ID_SIZE);
        c->user_id[0] = '\0';
        gr_ws_conn_authenticate(c, uid);
    }
    if (h->cfg.on_open)
        h->cfg.on_open(c, h->cfg.ud);
    /* Bytes the HTTP layer already read will never raise EPOLLIN: read them now. */
    if (c->extra_len > 0)
        gr_ws__conn_on_readable(c, now_ms());
    gr_ws__hub_mark_dirty(h, c);
}

static void close_all(struct gr_ws_hub *h, bool only_authenticated, uint16_t code,
                      const char *reason)
{
    for (struct gr_ws_conn *c = h->all; c; c = c->all_next)
        if (!only_authenticated || c->registered)
            gr_ws_conn_close(c, code, reason);
}

static void run_inbox(struct gr_ws_hub *h, bool discard)
{
    struct gr_ws__cmd *cmd = inbox_take(h), *next;

    for (; cmd; cmd = next) {
        next = cmd->next;
        switch (cmd->kind) {
        case GR_WS__ADOPT:
            if (discard) {
                cmd->conn->dead_why = "shutdown";
                gr_ws__conn_free(cmd->conn);
                break;
            }
            adopt_now(h, cmd->conn);
            break;
        case GR_WS__PUBLISH:
            if (!discard)
                fan_out(h, cmd);
            gr_ws__frame_unref(cmd->frame);
            break;
        case GR_WS__RESET:
            if (!discard) {
                gr_log_warn("ws", "events were lost: closing every authenticated connection "
                                  "so clients resync");
                close_all(h, true, WSLAY_CODE_INTERNAL_SERVER_ERROR, "events lost; reconnect");
            }
            break;
        }
        free(cmd);
    }
}

static void flush_dirty(struct gr_ws_hub *h)
{
    while (h->dirty) {
        struct gr_ws_conn *c = h->dirty;
        h->dirty = c->dirty_next;
        c->dirty = false;
        c->dirty_next = NULL;
        gr_ws__conn_flush(c);
    }
}

static void reap(struct gr_ws_hub *h)
{
    while (h->dead) {
        struct gr_ws_conn *c = h->dead;
        h->dead = c->dead_next;
        if (c->dirty) {
            /* Still on the flush list: take it off before freeing. */
            struct gr_ws_conn **pp = &h->dirty;
            while (*pp && *pp != c)
                pp = &(*pp)->dirty_next;
            if (*pp)
                *pp = c->dirty_next;
        }
        gr_ws__conn_free(c);
    }
}

static void *hub_main(void *arg)
{
    struct gr_ws_hub *h = arg;
    struct epoll_event evs[MAX_EVENTS];
    int64_t last_tick = now_ms(), stop_deadline = 0;

    pthread_setname_np(pthread_self(), "ws-hub");

    for (;;) {
        int n = epoll_wait(h->epfd, evs, MAX_EVENTS, stop_deadline ? 50 : TICK_MS);
        int64_t now = now_ms();

        if (n < 0 && errno != EINTR) {
            gr_log_errno("ws", "epoll_wait");
            break;
        }
        for (int i = 0; i < n; i++) {
            struct gr_ws_conn *c = evs[i].data.ptr;
            if (c == NULL) {
                uint64_t v;
                if (read(h->evfd, &v, sizeof v) < 0 && errno != EAGAIN)
                    gr_log_errno("ws", "eventfd read");
                continue;
            }
            if (c->dead)
                continue;
            if ((evs[i].events & (EPOLLHUP | EPOLLERR)) && !gr_ws__conn_want_read(c)) {
                gr_ws__conn_kill(c, "hangup");
                continue;
            }
            if (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
                gr_ws__conn_on_readable(c, now);
            if (evs[i].events & EPOLLOUT)
                gr_ws__hub_mark_dirty(h, c);
        }
        run_inbox(h, false);
        if (atomic_load(&h->stop) && stop_deadline == 0) {
            /* Shutdown: 1001 to everyone, then wait for the handshakes (bounded). */
            close_all(h, false, WSLAY_CODE_GOING_AWAY, "server shutting down");
            stop_deadline = now + h->stop_timeout_ms;
        }
        if (now - last_tick >= TICK_MS || stop_deadline) {
            last_tick = now;
            for (struct gr_ws_conn *c = h->all; c; c = c->all_next)
                gr_ws__conn_tick(c, now);
            /* Hibernated contexts went back to malloc, which keeps the pages: after a wave
             * of them, hand whole free pages back to the kernel (rarely: it walks the heap). */
            if (h->hibernated_since_trim >= 256 && now - h->last_trim_ms >= 10000) {
                malloc_trim(0);
                h->hibernated_since_trim = 0;
                h->last_trim_ms = now;
            }
        }
        flush_dirty(h);
        reap(h);
        if (stop_deadline && (h->all == NULL || now >= stop_deadline))
            break;
    }
    /* Whatever is left (a timed-out handshake, an adopt racing the shutdown) goes back now. */
    for (struct gr_ws_conn *c = h->all; c; c = c->all_next)
        gr_ws__conn_kill(c, "shutdown");
    reap(h);
    run_inbox(h, true);
    return NULL;
}

/* ---- public API ---------------------------------------------------------------------------- */

gr_err gr_ws_hub_start(const struct gr_ws_config *cfg, struct gr_ws_hub **out)
{
    struct gr_ws_hub *h = gr_xcalloc(1, sizeof *h);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    gr_err rc = GR_OK;

    h->cfg = *cfg;
    if (!h->cfg.max_msg)
        h->cfg.max_msg = 8 * 1024;
    if (!h->cfg.queue_max_msgs)
        h->cfg.queue_max_msgs = 256;
    if (!h->cfg.queue_max_bytes)
        h->cfg.queue_max_bytes = 1024 * 1024;
    if (!h->cfg.inbox_max_bytes)
        h->cfg.inbox_max_bytes = 64 * 1024 * 1024;
    if (h->cfg.ping_interval_ms <= 0)
        h->cfg.ping_interval_ms = 60000;
    if (h->cfg.idle_timeout_ms <= 0)
        h->cfg.idle_timeout_ms = 100000;
    if (h->cfg.auth_timeout_ms <= 0)
        h->cfg.auth_timeout_ms = 10000;
    if (h->cfg.hibernate_ms == 0)
        h->cfg.hibernate_ms = 5000;
    h->epfd = epoll_create1(EPOLL_CLOEXEC);
    h->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    h->nbuckets = MIN_BUCKETS;
    h->users = gr_xcalloc(h->nbuckets, sizeof *h->users);
    gr_buf_init(&h->scratch, GR_BUF_UNBOUNDED);
    gr_buf_init(&h->wbuf, GR_BUF_UNBOUNDED);
    pthread_mutex_init(&h->lock, NULL);
    if (h->epfd < 0 || h->evfd < 0 || epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->evfd, &ev) != 0) {
        gr_log_errno("ws", "cannot set up the hub's epoll loop");
        rc = GR_EIO;
        goto out;
    }
    if (pthread_create(&h->thread, NULL, hub_main, h) != 0) {
        rc = GR_EIO;
        goto out;
    }
    h->started = true;
out:
    if (rc != GR_OK) {
        gr_ws_hub_free(h);
        h = NULL;
    }
    *out = h;
    return rc;
}

gr_err gr_ws_hub_adopt(struct gr_ws_hub *h, int fd, const char *extra, size_t extra_len,
                       const char *user_id, gr_ws_close_fn close_fn, void *close_ud,
                       char conn_id_out[GR_ID_SIZE])
{
    struct gr_ws__cmd *cmd;
    struct gr_ws_conn *c = gr_ws__conn_new(h, fd, extra, extra_len, close_fn, close_ud);

    if (c == NULL) {
        close_fn(close_ud);
        return GR_ENOMEM;
    }
    if (user_id && user_id[0])
        snprintf(c->user_id, sizeof c->user_id, "%s", user_id);
    if (conn_id_out)
        memcpy(conn_id_out, c->id, GR_ID_SIZE);
    cmd = gr_xcalloc(1, sizeof *cmd);
    cmd->kind = GR_WS__ADOPT;
    cmd->conn = c;
    atomic_fetch_add(&h->nconns, 1);
    if (!inbox_put(h, cmd, true)) {
        /* Shutting down: give the socket straight back (the hub thread never saw it). */
        atomic_fetch_sub(&h->nconns, 1);
        if (c->ctx)
            wslay_event_context_free(c->ctx);
        free(c->extra);
        free(c);
        free(cmd);
        close_fn(close_ud);
        return GR_ECLOSED;
    }
    return GR_OK;
}

gr_err gr_ws_hub_publish(struct gr_ws_hub *h, const char *json, size_t len,
                         const char (*users)[GR_ID_SIZE], size_t nusers, const char *omit_user_id)
{
    struct gr_ws__cmd *cmd;
    size_t usz = nusers * GR_ID_SIZE;

    if (len < 2 || json[0] != '{')
        return GR_EINVAL;
    if (nusers == 0)
        return GR_OK;
    /* The command and the user ids in one block; the text in a frame every recipient shares. */
    cmd = gr_xmalloc(sizeof *cmd + usz);
    memset(cmd, 0, sizeof *cmd);
    cmd->kind = GR_WS__PUBLISH;
    cmd->users = (char(*)[GR_ID_SIZE])(void *)(cmd + 1);
    memcpy(cmd->users, users, usz);
    cmd->nusers = nusers;
    cmd->frame = gr_ws__frame_new(json, len);
    cmd->cost = sizeof *cmd + usz + len + 1;
    if (omit_user_id)
        snprintf(cmd->omit, sizeof cmd->omit, "%s", omit_user_id);
    if (!inbox_put(h, cmd, false)) {
        bool closed;
        pthread_mutex_lock(&h->lock);
        closed = h->stopping;
        pthread_mutex_unlock(&h->lock);
        gr_ws__frame_unref(cmd->frame);
        free(cmd);
        return closed ? GR_ECLOSED : GR_ETOOBIG;
    }
    return GR_OK;
}

void gr_ws_hub_reset(struct gr_ws_hub *h)
{
    struct gr_ws__cmd *cmd = gr_xcalloc(1, sizeof *cmd);

    cmd->kind = GR_WS__RESET;
    if (!inbox_put(h, cmd, true))
        free(cmd);
}

void gr_ws_hub_shutdown(struct gr_ws_hub *h, int timeout_ms)
{
    uint64_t one = 1;

    if (h == NULL || !h->started)
        return;
    pthread_mutex_lock(&h->lock);
    h->stopping = true;
    pthread_mutex_unlock(&h->lock);
    h->stop_timeout_ms = timeout_ms > 0 ? timeout_ms : 1;
    atomic_store(&h->stop, true);
    if (write(h->evfd, &one, sizeof one) < 0)
        gr_log_errno("ws", "eventfd write");
    pthread_join(h->thread, NULL);
    h->started = false;
}

void gr_ws_hub_free(struct gr_ws_hub *h)
{
    if (h == NULL)
        return;
    gr_ws_hub_shutdown(h, 1000);
    if (h->epfd >= 0)
        close(h->epfd);
    if (h->evfd >= 0)
        close(h->evfd);
    pthread_mutex_destroy(&h->lock);
    gr_buf_cleanup(&h->scratch);
    gr_buf_cleanup(&h->wbuf);
    free(h->users);
    free(h);
}

void gr_ws_hub_stats(struct gr_ws_hub *h, struct gr_ws_stats *out)
{
    out->conns = atomic_load(&h->nconns);
    out->authenticated = atomic_load(&h->nauth);
    out->events_sent = atomic_load(&h->events_sent);
    out->slow_dropped = atomic_load(&h->slow_dropped);
    out->hibernating = atomic_load(&h->nhibernating);
}
