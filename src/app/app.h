/* SPDX-License-Identifier: MIT */
/*
 * app.h - the running server's use-case context: the writer (group commit), the event bus,
 * metrics, and per-thread read connections to the store.
 *
 * api/ handlers reach the store only through app/ functions. The CLI does not need a running
 * app: it calls the admin use-cases in admin.h on a store connection of its own.
 */
#ifndef GR_APP_APP_H
#define GR_APP_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "app/auth.h"
#include "app/bus.h"
#include "app/checkpointer.h"
#include "app/limiter.h"
#include "app/metrics.h"
#include "app/pacer.h"
#include "app/writer.h"
#include "core/apperr.h"
#include "queue/outbound.h"
#include "store/store.h"

struct gr_app_options {
    const char *db_url;
    const char *site_url;
    bool enable_incoming_webhooks;
    bool username_override;
    bool icon_override;
    size_t commit_batch_max;
    struct gr_pacer_defaults hooks; /* the per-hook limiter's server-wide defaults */
    /* The global per-client limiter (Mattermost RateLimitSettings), off unless enabled. */
    bool rate_limit_enable;
    double rate_limit_per_sec;
    int rate_limit_max_burst;
    size_t rate_limit_memory_store_size;
    /* Accounts: password hashing cost, session length, tokens and bots on/off (auth.h). */
    struct gr_auth_options auth;
    /* Integrations (spec §2-§4): outgoing webhooks, slash commands, buttons, and the outbound
     * HTTP engine every call to an app goes through. */
    bool enable_outgoing_webhooks;
    bool enable_commands;
    int outgoing_timeout_s; /* OutgoingIntegrationRequestsTimeout; also trigger_id lifetime */
    struct gr_outbound_options outbound;
};

struct gr_outgoing; /* app/outgoing.h */

struct gr_app {
    struct gr_app_options opt; /* strings borrowed from the caller's config */
    struct gr_writer *writer;
    struct gr_bus *bus;
    struct gr_metrics *metrics;
    struct gr_pacer *pacer;
    struct gr_limiter *global; /* NULL unless rate_limit_enable */
    struct gr_checkpointer *ckpt;
    struct gr_outbound *outbound; /* shut down by gr_app_stop_outbound, freed by _close */
    struct gr_outgoing *outgoing; /* the outgoing-webhook dispatcher */
    struct gr_dircache *dircache; /* hooks, channels, users for POST /hooks (app/dircache.h) */
};

/* Opens the store for writing (creating and migrating it), starts the writer. */
gr_err gr_app_open(const struct gr_app_options *opt, struct gr_app **out, char *errbuf,
                   size_t errlen);
/* Stops the pacer, drains and stops the writer, frees. Call after the HTTP server stopped
 * handing out work. */
void gr_app_close(struct gr_app *app);
/* Stops calling apps: the outgoing-webhook dispatcher, then the outbound engine (requests in
 * flight complete as failed). serve calls it after the HTTP server stopped accepting, before
 * draining it, so no request waits on a slow app during shutdown. gr_app_close calls it too. */
void gr_app_stop_outbound(struct gr_app *app);
/* This thread's read connection (opened on first use, closed when the thread exits).
 * Returns NULL if it cannot be opened (the caller answers 503). */
struct gr_store *gr_app_reader(struct gr_app *app);

#endif
