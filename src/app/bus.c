/* SPDX-License-Identifier: MIT */
/* bus.c - see bus.h. A fixed array of subscribers, registered at start-up, read without locks
 * afterwards (registration happens before the writer thread exists). */
#include "app/bus.h"

#include <stdlib.h>

#include "core/xalloc.h"

#define MAX_SUBS 16

struct gr_bus {
    gr_bus_fn fn[MAX_SUBS];
    void *ud[MAX_SUBS];
    size_t n;
    gr_bus_event_fn efn[MAX_SUBS];
    void *eud[MAX_SUBS];
    size_t ne;
};

struct gr_bus *gr_bus_new(void)
{
    return gr_xcalloc(1, sizeof(struct gr_bus));
}

void gr_bus_free(struct gr_bus *b)
{
    free(b);
}

gr_err gr_bus_subscribe(struct gr_bus *b, gr_bus_fn fn, void *ud)
{
    if (b->n >= MAX_SUBS)
        return GR_ETOOBIG;
    b->fn[b->n] = fn;
    b->ud[b->n] = ud;
    b->n++;
    return GR_OK;
}

void gr_bus_publish(struct gr_bus *b, const struct gr_post *posts, size_t n)
{
    if (n == 0)
        return;
    for (size_t i = 0; i < b->n; i++)
        b->fn[i](b->ud[i], posts, n);
}

gr_err gr_bus_subscribe_events(struct gr_bus *b, gr_bus_event_fn fn, void *ud)
{
    if (b->ne >= MAX_SUBS)
        return GR_ETOOBIG;
    b->efn[b->ne] = fn;
    b->eud[b->ne] = ud;
    b->ne++;
    return GR_OK;
}

void gr_bus_publish_event(struct gr_bus *b, const struct gr_bus_event *ev)
{
    for (size_t i = 0; i < b->ne; i++)
        b->efn[i](b->eud[i], ev);
}
