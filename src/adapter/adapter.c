/* SPDX-License-Identifier: MIT */
/* adapter.c - the table of native sources: one row per adapter. */
#include "adapter/adapter.h"

#include <string.h>

static const struct gr_adapter *const adapters[] = {
        &gr_adapter_forgejo,    &gr_adapter_gitea,      &gr_adapter_github,
        &gr_adapter_grafana,    &gr_adapter_alertmanager, &gr_adapter_uptimekuma,
        &gr_adapter_wave,       &gr_adapter_stdwebhooks, &gr_adapter_generic,
};

const struct gr_adapter *gr_adapter_find(const char *name)
{
    for (size_t i = 0; i < sizeof adapters / sizeof adapters[0]; i++)
        if (strcmp(adapters[i]->name, name) == 0)
            return adapters[i];
    return NULL;
}

const struct gr_adapter *const *gr_adapter_all(size_t *n_out)
{
    *n_out = sizeof adapters / sizeof adapters[0];
    return adapters;
}

void gr_src_event_cleanup(struct gr_src_event *ev)
{
    json_decref(ev->payload);
    json_decref(ev->message);
    ev->payload = NULL;
    ev->message = NULL;
}
