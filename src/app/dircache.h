/* SPDX-License-Identifier: MIT */
/*
 * dircache.h - the webhook path's read cache of hooks, channels and users.
 *
 * POST /hooks/{id} reads the hook, its channel and its creator on every request. They change
 * rarely, so one process-wide cache keeps copies of them, validated on every request by the
 * store's directory generation (store.h gr_store_dir_gen): a counter that a trigger raises in
 * the same transaction as any change to hooks, channels, users or channel members, whoever
 * commits it (this server, the CLI, an sqlite3 shell). One cheap read of that counter per
 * request replaces the three or four row reads, and a change committed before the request
 * started is always seen (docs/internals/STORE.md, "Directory cache").
 *
 * Use: gr_dircache_view() once per request on the thread's read connection (it reads the
 * generation), then the gr_dirview_*_get() calls, which answer exactly like gr_store_*_get()
 * on that connection (copies; GR_ENOTFOUND and errors are never cached). If the generation
 * cannot be read the view passes every call through to the store.
 *
 * Threads: the cache is shared; a mutex guards it and is never held across a store call.
 * A view belongs to one request on one thread.
 */
#ifndef GR_APP_DIRCACHE_H
#define GR_APP_DIRCACHE_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

struct gr_dircache;

struct gr_dirview {
    struct gr_dircache *c; /* NULL: no caching, straight to the store */
    struct gr_store *st;
    int64_t gen; /* the generation read at the start of the request; 0 = not known */
};

struct gr_dircache *gr_dircache_new(void);
void gr_dircache_free(struct gr_dircache *c);

/* Starts a request's view: reads the directory generation on st (one statement) and drops
 * the cached rows if it moved. c may be NULL (the view then reads the store directly). */
void gr_dircache_view(struct gr_dircache *c, struct gr_store *st, struct gr_dirview *v);

gr_err gr_dirview_hook_get(struct gr_dirview *v, const char *id, struct gr_hook *out);
gr_err gr_dirview_channel_get(struct gr_dirview *v, const char *id, struct gr_channel *out);
gr_err gr_dirview_user_get(struct gr_dirview *v, const char *id, struct gr_user *out);

/* Hits and misses so far (for tests and /metrics). */
void gr_dircache_stats(struct gr_dircache *c, uint64_t *hits, uint64_t *misses);

#endif
