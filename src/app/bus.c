/* SPDX-License-Identifier: MIT */
/* bus.c - see bus.h. A fixed array of subscribers read without locks by publishers: a slot
 * is filled before the atomic count that makes it visible, so subscribing while the writer
 * already publishes is safe (subscribers never leave). */
#include "app/bus.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "core/xalloc.h"

#define MAX_SUBS 16

struct gr_bus {
    gr_bus_fn fn[MAX_SUBS];
    void *ud[MAX_SUBS];
    atomic_size_t n; /* published after its slot is filled, so a subscriber may join while
                      * the writer already publishes (the WebSocket events module does) */
    gr_bus_event_fn efn[MAX_SUBS];
    void *eud[MAX_SUBS];
    atomic_size_t ne;
    pthread_mutex_t mu; /* serialises subscribers among themselves */
};

struct gr_bus *gr_bus_new(void)
{
    struct gr_bus *b = gr_xcalloc(1, sizeof(struct gr_bus));
    pthread_mutex_init(&b->mu, NULL);
    return b;
}

void gr_bus_free(struct gr_bus *b)
{
    if (b == NULL)
        return;
    pthread_mutex_destroy(&b->mu);
    free(b);
}

gr_err gr_bus_subscribe(struct gr_bus *b, gr_bus_fn fn, void *ud)
{
    size_t n;

    pthread_mutex_lock(&b->mu);
    n = atomic_load(&b->n);
    if (n >= MAX_SUBS) {
        pthread_mutex_unlock(&b->mu);
        return GR_ETOOBIG;
    }
    b->fn[n] = fn;
    b->ud[n] = ud;
    atomic_store(&b->n, n + 1); /* release: the slot is complete before it is visible */
    pthread_mutex_unlock(&b->mu);
    return GR_OK;
}

void gr_bus_publish(struct gr_bus *b, const struct gr_post *posts, size_t n)
{
    if (n == 0)
        return;
    size_t subs = atomic_load(&b->n);
    for (size_t i = 0; i < subs; i++)
        b->fn[i](b->ud[i], posts, n);
}

gr_err gr_bus_subscribe_events(struct gr_bus *b, gr_bus_event_fn fn, void *ud)
{
    size_t n;

    pthread_mutex_lock(&b->mu);
    n = atomic_load(&b->ne);
    if (n >= MAX_SUBS) {
        pthread_mutex_unlock(&b->mu);
        return GR_ETOOBIG;
    }
    b->efn[n] = fn;
    b->eud[n] = ud;
    atomic_store(&b->ne, n + 1);
    pthread_mutex_unlock(&b->mu);
    return GR_OK;
}

void gr_bus_publish_event(struct gr_bus *b, const struct gr_bus_event *ev)
{
    size_t subs = atomic_load(&b->ne);
    for (size_t i = 0; i < subs; i++)
        b->efn[i](b->eud[i], ev);
}
