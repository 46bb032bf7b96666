/* SPDX-License-Identifier: MIT */
/*
 * bus.h - the in-process post-commit event bus.
 *
 * Two kinds of traffic, each with its own subscriber list:
 *
 *  - posts: the writer publishes every batch of newly committed posts (Mattermost's "posted"
 *    event), in commit order, after the commit returned (gr_bus_subscribe/gr_bus_publish).
 *
 *  - events: every other change a client must see over the WebSocket, as a Mattermost event
 *    name, a broadcast scope and a ready-made data object (gr_bus_subscribe_events /
 *    gr_bus_publish_event). Events caused by a write are published by the writer thread after
 *    the commit, in commit order, interleaved with the posts batches (within one job: its posts
 *    first, then its events in the order the job listed them). Ephemeral events that store
 *    nothing ("typing") are published straight from the HTTP worker thread that received them;
 *    they have no order relative to commits.
 *
 * Subscribers (the WebSocket hub, outgoing webhooks, ...) must not block and must be safe to
 * call from several threads at once (writer thread and HTTP workers): copy or serialise what
 * they need and hand it to their own thread. Every pointer they receive is borrowed for the
 * duration of the call only.
 *
 * Event names and data (what griot publishes; data keys and value types as in Mattermost):
 *   post_edited       channel_id set; data {"post": "<Post JSON as a string>"}
 *   post_deleted      channel_id set; data {"post": "<Post JSON as a string>",
 *                                           "delete_by": "<user id>"}
 *   reaction_added    channel_id set; data {"reaction": "<Reaction JSON as a string>"}
 *   reaction_removed  channel_id set; data {"reaction": "<Reaction JSON as a string>"}
 *   channel_created   user_id = creator, team_id set; data {"channel_id", "team_id"}
 *   direct_added      one event per member of a new DM: user_id = that member, channel_id =
 *                     the DM; data {"creator_id", "teammate_id"}
 *   group_added       one event per member of a new group channel: user_id = that member,
 *                     channel_id = the channel; data {"teammate_ids": "[\"id\",...]"}
 *   user_added        channel_id set (the channel's members, the added user included);
 *                     data {"user_id", "team_id"}
 *   user_removed      two events: channel_id set (the remaining members), data {"user_id",
 *                     "remover_id"}; and user_id = the removed user, data {"channel_id",
 *                     "remover_id"}
 *   typing            channel_id set, omit_user_id = the typist; data {"parent_id", "user_id"}
 * Broadcast fields not used by an event are "" (never NULL). Audience, as in Mattermost's hub:
 * never omit_user_id; else if user_id is set, that user only (channel_id is then only
 * informational, the client reads it); else if channel_id is set, the channel's members; else
 * if team_id is set, the team's members; else everyone. Membership changes are committed
 * before their events are published, so a subscriber that reads membership from the store when
 * it receives an event sees the change.
 */
#ifndef GR_APP_BUS_H
#define GR_APP_BUS_H

#include <stddef.h>

#include <jansson.h>

#include "store/store.h"

struct gr_bus;

/* posts are borrowed for the duration of the call. */
typedef void (*gr_bus_fn)(void *ud, const struct gr_post *posts, size_t n);

/* A generic event (see the table above). */
struct gr_bus_event {
    const char *event;        /* Mattermost WebSocket event name, e.g. "post_edited" */
    const char *channel_id;   /* broadcast.channel_id, "" = none */
    const char *team_id;      /* broadcast.team_id, "" = none */
    const char *user_id;      /* broadcast.user_id, "" = none */
    const char *omit_user_id; /* broadcast.omit_users (one user), "" = none */
    json_t *data;             /* the event's "data" object; never NULL */
};

/* ev and everything it points to (data included) are borrowed for the duration of the call;
 * json_incref(ev->data) or copy to keep it. */
typedef void (*gr_bus_event_fn)(void *ud, const struct gr_bus_event *ev);

struct gr_bus *gr_bus_new(void);
void gr_bus_free(struct gr_bus *b);
/* Registers a subscriber (also while the writer already publishes; it sees what is published
 * after it joined). Returns GR_ETOOBIG when full. */
gr_err gr_bus_subscribe(struct gr_bus *b, gr_bus_fn fn, void *ud);
void gr_bus_publish(struct gr_bus *b, const struct gr_post *posts, size_t n);

/* Registers an event subscriber; call before the writer starts. GR_ETOOBIG when full. */
gr_err gr_bus_subscribe_events(struct gr_bus *b, gr_bus_event_fn fn, void *ud);
/* Calls every event subscriber with ev; the caller keeps ownership of ev and ev->data. */
void gr_bus_publish_event(struct gr_bus *b, const struct gr_bus_event *ev);

#endif
