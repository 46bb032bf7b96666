/* SPDX-License-Identifier: MIT */
/*
 * bus.h - the in-process post-commit event bus.
 *
 * The writer publishes every batch of newly committed posts, in commit order, after the commit
 * returned. Subscribers (the WebSocket hub, outgoing webhooks, later) are called on the writer
 * thread and must not block: copy what they need and hand it to their own thread.
 */
#ifndef GR_APP_BUS_H
#define GR_APP_BUS_H

#include <stddef.h>

#include "store/store.h"

struct gr_bus;

/* posts are borrowed for the duration of the call. */
typedef void (*gr_bus_fn)(void *ud, const struct gr_post *posts, size_t n);

struct gr_bus *gr_bus_new(void);
void gr_bus_free(struct gr_bus *b);
/* Registers a subscriber; call before the writer starts. Returns GR_ETOOBIG when full. */
gr_err gr_bus_subscribe(struct gr_bus *b, gr_bus_fn fn, void *ud);
void gr_bus_publish(struct gr_bus *b, const struct gr_post *posts, size_t n);

#endif
