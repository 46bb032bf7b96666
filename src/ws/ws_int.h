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

/* An outgoing message shared by every connection it goes to (refcounted; any thread may drop
 * a reference, only the hub thread takes them). text is the event without "seq", or a frame
 * sent as is. */
struct gr_ws__frame {
    atomic_uint refs;
    size_t len;
    char text[]; /* len bytes + NUL */
};

/* One queued message of a connection: the shared frame and this connection's seq for it
 * (GR_WS__RAW = send the text as is). */
#define GR_WS__RAW UINT64_MAX
struct gr_ws__slot {
    struct gr_ws__frame *f;
    uint64_t seq;
};

struct gr_ws_conn {
    struct gr_ws_hub *hub;
    int fd;
    wslay_event_context_ptr ctx; /* NULL while hibernating (idle, nothing in flight) */
    gr_ws_close_fn close_fn;
    void *close_ud;
    char id[GR_ID_SIZE];
    char user_id[GR_ID_SIZE]; /* "" until authenticated */
    uint64_t seq;             /* the next event's seq; hello is 0 */
    char *extra;              /* bytes read by the HTTP layer, served before the socket */
    size_t extra_len, extra_off;
    /* The send queue: a ring of slots (grown on demand up to queue_max_msgs), then at most
     * FEED_BYTES handed to wslay at a time, then bytes the socket did not take (wpend). */
    struct gr_ws__slot *ring;
    size_t ring_cap, ring_head, nout, out_bytes;
    char *wpend;
    size_t wpend_len, wpend_off;
    /* Input accounting, to know when wslay holds no partial frame: bytes handed to wslay and
     * bytes of the frames it completed; frag_open while a fragmented message is incomplete. */
    uint64_t in_bytes, framed_bytes, frame_len;
    bool frag_open;
    int64_t created_ms, last_rx_ms, last_io_ms, last_ping_ms, close_deadline_ms;
    uint32_t epoll_mask; /* what the fd is registered for */
    bool closing;        /* a close frame is queued or sent; waiting for the peer's */
    bool dead;           /* on the reap list; freed at the end of the loop iteration */
    bool dirty;          /* on the flush list */
    bool registered;     /* in the user index */
    bool asleep;         /* hibernating: ctx released */
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
    size_t cost;             /* bytes counted against inbox_max_bytes */
    struct gr_ws_conn *conn; /* ADOPT */
    /* PUBLISH: the shared frame (the command holds one reference) and the users. */
    struct gr_ws__frame *frame;
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
    struct gr_buf wbuf;    /* one connection's frames, coalesced into one send() */
    size_t read_budget;    /* bytes the connection being read may still take this turn */
    /* stats */
    atomic_ullong nconns, nauth, events_sent, slow_dropped, nhibernating;
    size_t hibernated_since_trim;
    int64_t last_trim_ms;
};

/* ws_conn.c */
/* Creates a connection for fd (not yet in the hub's epoll set). */
struct gr_ws_conn *gr_ws__conn_new(struct gr_ws_hub *h, int fd, const char *extra, size_t len,
                                   gr_ws_close_fn close_fn, void *close_ud);
/* Reads what the socket (and the extra bytes) hold and dispatches complete messages. */
void gr_ws__conn_on_readable(struct gr_ws_conn *c, int64_t now_ms);
/* Sends what is queued; updates the epoll mask; schedules the release when both sides closed. */
void gr_ws__conn_flush(struct gr_ws_conn *c);
/* Queues a shared frame (takes a new reference) with seq (GR_WS__RAW: as is) after checking
 * the send-queue bound; a full queue kills the connection (slow consumer, GR_ETOOBIG). */
gr_err gr_ws__conn_queue(struct gr_ws_conn *c, struct gr_ws__frame *f, uint64_t seq);
/* True when the connection still reads (a hibernating one always does). */
bool gr_ws__conn_want_read(const struct gr_ws_conn *c);
/* Runs the keepalive, close and hibernation timers. */
void gr_ws__conn_tick(struct gr_ws_conn *c, int64_t now_ms);
/* Schedules the release (no close handshake); why is a static string for the log. */
void gr_ws__conn_kill(struct gr_ws_conn *c, const char *why);
/* Unregisters, gives the socket back (close_fn) and frees. Hub thread, outside callbacks. */
void gr_ws__conn_free(struct gr_ws_conn *c);

/* A new frame holding a copy of text (refs = 1), and dropping a reference. */
struct gr_ws__frame *gr_ws__frame_new(const char *text, size_t len);
void gr_ws__frame_unref(struct gr_ws__frame *f);

/* ws_hub.c */
void gr_ws__hub_mark_dirty(struct gr_ws_hub *h, struct gr_ws_conn *c);
void gr_ws__hub_set_mask(struct gr_ws_hub *h, struct gr_ws_conn *c, uint32_t mask);
void gr_ws__hub_unregister(struct gr_ws_hub *h, struct gr_ws_conn *c);

#endif
