/* SPDX-License-Identifier: MIT */
/*
 * events.h - Mattermost WebSocket events from the post-commit bus (spec mattermost-compat §6.4).
 *
 * gr_events subscribes to the bus (posts and generic events) and, on a thread of its own with a
 * read connection of its own, turns each into the event clients expect: it finds the audience
 * (the channel's members, or one user), builds the `posted` data (the Post as a JSON string,
 * channel name/type, sender_name, set_online, per-recipient `mentions`), serialises the
 * envelope once without "seq", and hands it to a sink - the WebSocket hub, wired by the caller
 * (app/ never sees ws/).
 *
 * The bus callbacks run on the writer thread (and on HTTP threads for typing): they only copy
 * and queue, never touch the store. The queue is bounded; when it overflows, or the sink
 * refuses an event for size, the events in between are lost and the sink's lost() tells every
 * client to reconnect and resync over REST. Order: events leave in the order the bus delivered
 * them (commit order for everything the writer publishes).
 */
#ifndef GR_APP_EVENTS_H
#define GR_APP_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "app/app.h"

struct gr_events;

struct gr_events_sink {
    /* One event for every connection of users[0..n) except omit_user_id ("" = none). json is
     * the event object without "seq" (borrowed for the call). Returns GR_ETOOBIG when the
     * receiver is over its bound and dropped the event. Called on the events thread. */
    gr_err (*deliver)(void *ud, const char *json, size_t len, const char (*users)[GR_ID_SIZE],
                      size_t n, const char *omit_user_id);
    /* Events were lost: every client must resync. Events thread. */
    void (*lost)(void *ud);
    /* True when at least one client could receive an event; false lets the thread skip the
     * audience queries entirely (a server nobody watches pays nothing). Any thread. */
    bool (*listening)(void *ud);
    void *ud;
};

/* Opens a read connection to app's store, subscribes to app->bus and starts the thread. sink
 * is copied. Call before posts flow (right after gr_app_open). */
gr_err gr_events_start(struct gr_app *app, const struct gr_events_sink *sink,
                       struct gr_events **out);
/* Turns what is queued into events, stops the thread, closes its store connection, frees.
 * Call after gr_app_close (the writer publishes its last commits on the way out); the bus
 * callbacks must never run again. Accepts NULL. */
void gr_events_stop(struct gr_events *ev);

/* Mentions in a message (exposed for tests): calls fn for each distinct lowercase username
 * written as @name (not inside `code`), and once with "channel" for @channel, @all or @here.
 * At most max names. */
void gr_events_scan_mentions(const char *message, size_t max,
                             void (*fn)(void *ud, const char *name), void *ud);

#endif
