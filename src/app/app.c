/* SPDX-License-Identifier: MIT */
/*
 * app.c - the server context. Reads go through one SQLite connection per HTTP worker thread
 * (WAL lets them run beside the writer); the connection lives in thread-local storage and is
 * closed by the key's destructor when libmicrohttpd's pool thread exits.
 */
#include "app/app.h"
#include "app/outgoing.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/actions.h"
#include "app/checkpointer.h"
#include "app/dircache.h"
#include "core/log.h"
#include "core/xalloc.h"

static pthread_key_t reader_key;
static pthread_once_t reader_once = PTHREAD_ONCE_INIT;

static void reader_close(void *p)
{
    gr_store_close(p);
}

static void reader_key_init(void)
{
    pthread_key_create(&reader_key, reader_close);
}

struct gr_store *gr_app_reader(struct gr_app *app)
{
    struct gr_store *st;
    char err[256];

    pthread_once(&reader_once, reader_key_init);
    st = pthread_getspecific(reader_key);
    if (st)
        return st;
    if (gr_store_open(app->opt.db_url, 0, &st, err, sizeof err) != GR_OK) {
        gr_log_error("app", "cannot open a read connection: %s", err);
        return NULL;
    }
    pthread_setspecific(reader_key, st);
    return st;
}

gr_err gr_app_open(const struct gr_app_options *opt, struct gr_app **out, char *errbuf,
                   size_t errlen)
{
    struct gr_app *app = gr_xcalloc(1, sizeof *app);
    struct gr_store *wst = NULL;
    gr_err rc;

    app->opt = *opt;
    app->bus = gr_bus_new();
    app->metrics = gr_metrics_new();
    app->dircache = gr_dircache_new();
    rc = gr_store_open(opt->db_url, GR_STORE_CREATE | GR_STORE_NO_AUTOCHECKPOINT, &wst, errbuf,
                       errlen);
    if (rc != GR_OK)
        goto out;
    rc = gr_pacer_start(app, wst, &opt->hooks, &app->pacer);
    if (rc != GR_OK) {
        snprintf(errbuf, errlen, "cannot load the hook queues: %s", gr_err_str(rc));
        gr_store_close(wst);
        goto out;
    }
    /* The writer owns wst from here on. */
    rc = gr_writer_start(wst, app->bus, app->metrics, opt->commit_batch_max, &app->writer);
    if (rc != GR_OK) {
        snprintf(errbuf, errlen, "cannot start the writer thread");
        gr_pacer_stop(app->pacer);
        gr_store_close(wst);
        goto out;
    }
    rc = gr_pacer_run(app->pacer);
    if (rc != GR_OK) {
        snprintf(errbuf, errlen, "cannot start the pacer thread");
        gr_pacer_stop(app->pacer);
        gr_writer_stop(app->writer);
        goto out;
    }
    if (gr_checkpointer_start(opt->db_url, app->metrics, &app->ckpt) != GR_OK)
        gr_log_warn("app", "no checkpoint thread: the WAL will grow until the next start");
    if (opt->rate_limit_enable)
        app->global = gr_limiter_new(opt->rate_limit_memory_store_size);
    /* Calls to apps: the outbound engine, then the outgoing-webhook dispatcher on the bus. */
    rc = gr_outbound_start(&opt->outbound, &app->outbound, errbuf, errlen);
    if (rc == GR_OK && (rc = gr_outgoing_start(app, &app->outgoing)) != GR_OK)
        snprintf(errbuf, errlen, "cannot start the outgoing-webhook dispatcher");
    if (rc != GR_OK) {
        gr_app_stop_outbound(app);
        gr_pacer_stop(app->pacer);
        gr_writer_stop(app->writer);
        gr_outbound_stop(app->outbound);
        gr_checkpointer_stop(app->ckpt);
        gr_limiter_free(app->global);
        goto out;
    }
    /* The integration keys, now, on this thread: no first use then writes through a read
     * connection (maybe the writer's). Not fatal: first use still makes a missing one. */
    (void)gr_actions_keys_init(app);
out:
    if (rc != GR_OK) {
        gr_bus_free(app->bus);
        gr_metrics_free(app->metrics);
        gr_dircache_free(app->dircache);
        free(app);
        app = NULL;
    }
    *out = app;
    return rc;
}

void gr_app_stop_outbound(struct gr_app *app)
{
    gr_outgoing_stop(app->outgoing);
    app->outgoing = NULL;
    /* Not freed yet: writer completions may still submit (and get GR_ECLOSED). */
    gr_outbound_shutdown(app->outbound);
}

void gr_app_close(struct gr_app *app)
{
    if (app == NULL)
        return;
    gr_app_stop_outbound(app);
    gr_pacer_stop(app->pacer); /* needs the writer running to finish its drains */
    gr_writer_stop(app->writer);
    gr_outbound_stop(app->outbound); /* nothing can submit once the writer is gone */
    gr_checkpointer_stop(app->ckpt);
    gr_limiter_free(app->global);
    gr_bus_free(app->bus);
    gr_metrics_free(app->metrics);
    gr_dircache_free(app->dircache);
    free(app);
}
