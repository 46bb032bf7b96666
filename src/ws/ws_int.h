/* SPDX-License-Identifier: MIT */
/*
 * ws_int.h - what ws_hub.c (the loop, the registry, the inbox) and ws_conn.c (one connection's
 * wslay context and socket) share. Nothing here is used outside src/ws/.
 *
 * Threads: a connection is created by gr_ws_hub_adopt on an HTTP thread and belongs to the hub
 * thread from the moment it is in the inbox; every field below is touched by the hub thread
 * only, except the hub's inbox (under `lock`) and its stats (atomics).
 */
#ifndef GR_WS_WS_INT_H
#define GR_WS_WS_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include <wslay/wslay.h>

#include "ws/ws.h"

struct gr_ws_conn {
    struct gr_ws_hub *hub;
    int fd;
    wslay_event_context_ptr ctx;
    gr_ws_close_fn close_fn;
    void *close_ud;
    char id[GR_ID_SIZE];
    char user_id[GR_ID_SIZE]; /* "" until authenticated */
    uint64_t seq;             /* the next event's seq; hello is 0 */
    char *extra;              /* bytes read by the HTTP layer, served before the socket */
    size_t extra_len, extra_off;
    int64_t created_ms, last_rx_ms, last_ping_ms, close_deadline_ms;
    uint32_t epoll_mask; /* what the fd is registered for */
    bool closing;        /* a close frame is queued or sent; waiting for the peer's */
    bool dead;           /* on the reap list; freed at the end of the loop iteration */
    bool dirty;          /* on the flush list */
    bool registered;     /* in the user index */
    const char *dead_why;
    /* intrusive lists, all owned by the hub */
    struct gr_ws_conn *all_prev, *all_next; /* every live connection */
    struct gr_ws_conn *user_next;           /* bucket chain of the user index */
    struct gr_ws_conn *dirty_next;          /* connections with frames to flush */
    struct gr_ws_conn *dead_next;           /* connections to free */
};

enum gr_ws__cmd_kind { GR_WS__ADOPT, GR_WS__PUBLISH, GR_WS__RESET };

/* One entry of the inbox: other threads -> hub thread. */
struct gr_ws__cmd {
    struct gr_ws__cmd *next;
    enum gr_ws__cmd_kind kind;
    size_t cost; /* bytes counted against inbox_max_bytes */
    struct gr_ws_conn *conn; /* ADOPT */
    /* PUBLISH: json (len bytes, NUL-terminated) and users follow the struct in one block. */
    char *json;
    size_t len;
    char (*users)[GR_ID_SIZE];
    size_t nusers;
    char omit[GR_ID_SIZE];
};

struct gr_ws_hub {
    struct gr_ws_config cfg;
    pthread_t thread;
    bool started;
    int epfd, evfd;
    /* inbox */
    pthread_mutex_t lock;
    struct gr_ws__cmd *head, *tail;
    size_t inbox_bytes;
    bool stopping; /* set under lock by gr_ws_hub_shutdown: refuse new work */
    int stop_timeout_ms;
    atomic_bool stop;
    /* hub thread state */
    struct gr_ws_conn *all;
    struct gr_ws_conn **users; /* user index: buckets */
    size_t nbuckets;
    struct gr_ws_conn *dirty, *dead;
    struct gr_buf scratch; /* seq splicing */
    /* stats */
    atomic_ullong nconns, nauth, events_sent, slow_dropped;
};

/* ws_conn.c */
/* Creates a connection for fd (not yet in the hub's epoll set). */
struct gr_ws_conn *gr_ws__conn_new(struct gr_ws_hub *h, int fd, const char *extra, size_t len,
                                   gr_ws_close_fn close_fn, void *close_ud);
/* Reads what the socket (and the extra bytes) hold and dispatches complete messages. */
void gr_ws__conn_on_readable(struct gr_ws_conn *c, int64_t now_ms);
/* Sends what is queued; updates the epoll mask; schedules the release when both sides closed. */
void gr_ws__conn_flush(struct gr_ws_conn *c);
/* Queues a frame (copied) after checking the send-queue bound; a full queue kills the
 * connection (slow consumer) and returns GR_ETOOBIG. */
gr_err gr_ws__conn_queue(struct gr_ws_conn *c, uint8_t opcode, const char *p, size_t len);
/* Runs the keepalive and close timers. */
void gr_ws__conn_tick(struct gr_ws_conn *c, int64_t now_ms);
/* Schedules the release (no close handshake); why is a static string for the log. */
void gr_ws__conn_kill(struct gr_ws_conn *c, const char *why);
/* Unregisters, gives the socket back (close_fn) and frees. Hub thread, outside callbacks. */
void gr_ws__conn_free(struct gr_ws_conn *c);

/* ws_hub.c */
void gr_ws__hub_mark_dirty(struct gr_ws_hub *h, struct gr_ws_conn *c);
void gr_ws__hub_set_mask(struct gr_ws_hub *h, struct gr_ws_conn *c, uint32_t mask);
void gr_ws__hub_unregister(struct gr_ws_hub *h, struct gr_ws_conn *c);

#endif
