/* SPDX-License-Identifier: MIT */
/*
 * outgoing.h - outgoing webhooks (spec mattermost-compat §2): the dispatcher that watches
 * committed posts and calls the apps whose trigger words match, and the management use cases
 * behind /api/v4/hooks/outgoing and `griot outgoing`.
 *
 * The dispatcher subscribes to the bus's posts. The bus callback only copies the posts that may
 * fire (trigger_webhooks set) into a bounded queue; the dispatcher's own thread reads the
 * channel, team, author and the team's hooks from the store, builds each callback (JSON or
 * form, §2.3, signed), and submits it to the outbound engine. Replies (§2.4) become posts
 * through gr_integ_posts_submit with trigger_webhooks off, so a reply never fires a hook.
 */
#ifndef GR_APP_OUTGOING_H
#define GR_APP_OUTGOING_H

#include "app/app.h"

struct gr_outgoing;

/* Starts the dispatcher thread and subscribes it to app->bus (before the writer publishes). */
gr_err gr_outgoing_start(struct gr_app *app, struct gr_outgoing **out);
/* Stops the thread; posts still queued are dropped (logged with their count). Accepts NULL. */
void gr_outgoing_stop(struct gr_outgoing *o);

#endif
