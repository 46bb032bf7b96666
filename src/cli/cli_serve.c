/* SPDX-License-Identifier: MIT */
/*
 * cli_serve.c - `griot serve`: open (and on first start bootstrap) the store, start the writer
 * and the HTTP listeners, then wait for SIGINT/SIGTERM and shut down cleanly: stop accepting,
 * let in-flight requests finish (suspended ones are resumed by the writer), drain the writer,
 * close the store.
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "app/admin.h"
#include "app/app.h"
#include "app/events.h"
#include "core/cidr.h"
#include "core/log.h"
#include "http/http.h"
#include "ws/ws.h"

static const char usage[] =
        "usage: griot serve [--listen ADDR:PORT]... [--data DIR] [--db URL] [--config FILE]\n"
        "                   [--site-url URL] [--allow-internal CIDR,...]...\n"
        "                   [--outgoing-timeout SECONDS] [--set NAME=VALUE]...\n"
        "\n"
        "Starts the server. On an empty store it creates team 'main' with channels\n"
        "'town-square' and 'off-topic', the system admin 'admin' (token in DATA/admin.token)\n"
        "and an incoming webhook for town-square, and prints a ready-to-use curl line.\n"
        "\n"
        "  --listen ADDR:PORT  listen address, repeatable (default [::]:8065, IPv4 and IPv6);\n"
        "                      port 0 picks a free port; the bound address is printed\n"
        "  --data DIR          data directory (default ./griot-data; env GRIOT_DATA)\n"
        "  --db URL            store URL (default sqlite:DATA/griot.db; env GRIOT_DB)\n"
        "  --config FILE       YAML configuration file (env GRIOT_CONFIG)\n"
        "  --site-url URL      how griot names itself in URLs (env GRIOT_SITE_URL)\n"
        "  --allow-internal CIDR,...  networks griot may call although loopback, private or\n"
        "                      link-local (outgoing webhooks, slash commands, buttons), e.g.\n"
        "                      127.0.0.1/8,::1; repeatable (env GRIOT_ALLOW_INTERNAL)\n"
        "  --outgoing-timeout SECONDS  how long griot waits for an app it calls (default 30)\n"
        "  --set NAME=VALUE    any option of docs/config.md, e.g. --set hook_rate=0\n"
        "\n"
        "Stops cleanly on SIGINT or SIGTERM.\n";

static const struct gr_cli_opt opts[] = {
        {"listen", true}, {"allow-internal", true}, {"outgoing-timeout", true}, {NULL, false}};

static void raise_nofile(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            gr_log_errno("serve", "cannot raise the open-file limit");
    }
}

/* The events module's sink is the WebSocket hub (app/ does not see ws/; serve wires them). */
static gr_err ws_deliver(void *ud, const char *json, size_t len, const char (*users)[GR_ID_SIZE],
                         size_t n, const char *omit_user_id)
{
    return gr_ws_hub_publish(ud, json, len, users, n, omit_user_id);
}

static void ws_lost(void *ud)
{
    gr_ws_hub_reset(ud);
}

static bool ws_listening(void *ud)
{
    struct gr_ws_stats s;

    gr_ws_hub_stats(ud, &s);
    return s.authenticated > 0;
}

static int write_token(const char *dir, const char *token)
{
    char path[4096];
    int fd;
    ssize_t n;

    snprintf(path, sizeof path, "%s/admin.token", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    n = write(fd, token, strlen(token));
    if (n >= 0)
        n = write(fd, "\n", 1);
    if (fsync(fd) != 0)
        n = -1;
    close(fd);
    return n < 0 ? -1 : 0;
}

static int bootstrap(struct gr_cli_args *a, const char *url)
{
    struct gr_store *st = NULL;
    struct gr_bootstrap b;
    struct gr_apperr e;
    char err[512];
    int code;

    if (gr_store_open(url, 0, &st, err, sizeof err) != GR_OK) {
        gr_cli__err(a, "%s", err);
        return 1;
    }
    code = gr_admin_bootstrap(st, &b, &e);
    gr_store_close(st);
    if (code) {
        gr_cli__err(a, "bootstrap failed: %s", e.message);
        return 1;
    }
    if (!b.created)
        return 0;
    if (mkdir(a->cfg.data_dir, 0700) != 0 && errno != EEXIST) {
        gr_cli__err(a, "cannot create %s: %s", a->cfg.data_dir, strerror(errno));
        return 1;
    }
    if (write_token(a->cfg.data_dir, b.admin_token) != 0) {
        gr_cli__err(a, "cannot write %s/admin.token: %s", a->cfg.data_dir, strerror(errno));
        return 1;
    }
    explicit_bzero(b.admin_token, sizeof b.admin_token);
    printf("griot: new store: team main, channels town-square and off-topic, system admin "
           "'admin'\n");
    printf("griot: admin token written to %s/admin.token\n", a->cfg.data_dir);
    printf("griot: incoming webhook for town-square; try it:\n");
    printf("curl -X POST -H 'Content-Type: application/json' -d '{\"text\":\"Hello from "
           "cURL!\"}' %s/hooks/%s\n",
           a->cfg.site_url, b.hook_id);
    fflush(stdout);
    return 0;
}

int gr_cli_serve(int argc, char **argv)
{
    struct gr_cli_args a;
    struct gr_app *app = NULL;
    struct gr_http_server *srv = NULL;
    struct gr_ws_hub *hub = NULL;
    struct gr_events *events = NULL;
    struct gr_cidr allow[GR_CONFIG_MAX_ALLOW_INTERNAL];
    struct gr_api api;
    sigset_t sigs;
    char err[512];
    char *url = NULL;
    int code, sig = 0, lvl;

    code = gr_cli__parse(&a, "serve", usage, opts, argc, argv);
    if (code)
        return code < 0 ? 0 : code;
    if (a.npos) {
        gr_cli__err(&a, "unexpected argument '%s'", a.pos[0]);
        fputs(usage, stderr);
        code = 2;
        goto out;
    }
    lvl = gr_log_level_parse(a.cfg.log_level);
    gr_log_set_level(lvl < 0 ? GR_LOG_INFO : (enum gr_log_level)lvl);
    raise_nofile();
    /* Block the stop signals in every thread; this thread collects them with sigwait. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    url = gr_config_db_url(&a.cfg);
    struct gr_app_options ao = {
            .db_url = url,
            .site_url = a.cfg.site_url,
            .enable_incoming_webhooks = a.cfg.enable_incoming_webhooks,
            .username_override = a.cfg.enable_post_username_override,
            .icon_override = a.cfg.enable_post_icon_override,
            .commit_batch_max = (size_t)a.cfg.commit_batch_max,
            .hooks =
                    {
                            .rate = a.cfg.hook_rate,
                            .burst = a.cfg.hook_burst,
                            .over_limit = strcmp(a.cfg.hook_over_limit, "reject") == 0
                                                  ? GR_OVER_LIMIT_REJECT
                                                  : GR_OVER_LIMIT_QUEUE,
                            .queue_max = (size_t)a.cfg.hook_queue_max,
                            .digest_threshold = (size_t)a.cfg.digest_threshold,
                    },
            .rate_limit_enable = a.cfg.rate_limit_enable,
            .rate_limit_per_sec = a.cfg.rate_limit_per_sec,
            .rate_limit_max_burst = a.cfg.rate_limit_max_burst,
            .rate_limit_memory_store_size = (size_t)a.cfg.rate_limit_memory_store_size,
    };
    gr_cli__auth_options(&a.cfg, &ao.auth);
    for (size_t i = 0; i < a.cfg.nallow_internal; i++)
        gr_cidr_parse(a.cfg.allow_internal[i], &allow[i]); /* validated with the config */
    ao.enable_outgoing_webhooks = a.cfg.enable_outgoing_webhooks;
    ao.enable_commands = a.cfg.enable_commands;
    ao.outgoing_timeout_s = a.cfg.outgoing_timeout;
    ao.outbound = (struct gr_outbound_options){
            .timeout_ms = a.cfg.outgoing_timeout * 1000,
            .max_response = (size_t)a.cfg.outgoing_max_response,
            .max_concurrency = a.cfg.outgoing_max_concurrency,
            .tls_verify = a.cfg.outgoing_tls_verify,
            .allow_internal = allow,
            .nallow_internal = a.cfg.nallow_internal,
            .user_agent = "griot/" GR_VERSION,
    };
    if (gr_app_open(&ao, &app, err, sizeof err) != GR_OK) {
        gr_cli__err(&a, "%s", err);
        code = 1;
        goto out;
    }
    code = bootstrap(&a, url);
    if (code)
        goto out;
    api.app = app;
    api.max_payload = (size_t)a.cfg.max_payload_size;
    /* Mattermost allows 512 bytes over MaximumPayloadSizeBytes (spec §0.5). */
    api.max_body = api.max_payload + 512;
    api.vary_by_remote_addr = a.cfg.rate_limit_vary_by_remote_addr;
    api.vary_by_user = a.cfg.rate_limit_vary_by_user;
    api.vary_by_header = a.cfg.rate_limit_vary_by_header;
    api.trusted_proxies = (const char *const *)a.cfg.trusted_proxies;
    api.ntrusted_proxies = a.cfg.ntrusted_proxies;
    api.version_id = GR_VERSION_ID;
    /* WebSockets: the hub thread, then the events thread feeding it from the bus. */
    struct gr_ws_config wc = {
            .on_open = gr_api_ws_on_open,
            .on_message = gr_api_ws_on_message,
            .ud = &api,
    };
    if (gr_ws_hub_start(&wc, &hub) != GR_OK) {
        gr_cli__err(&a, "cannot start the WebSocket hub");
        code = 1;
        goto out;
    }
    struct gr_events_sink sink = {ws_deliver, ws_lost, ws_listening, hub};
    if (gr_events_start(app, &sink, &events) != GR_OK) {
        gr_cli__err(&a, "cannot start the events thread");
        code = 1;
        goto out;
    }
    api.ws = hub;
    size_t nroutes;
    const struct gr_http_route *routes = gr_api_routes(&nroutes);
    struct gr_http_config hc = {
            .listen = (const char *const *)a.cfg.listen,
            .nlisten = a.cfg.nlisten,
            .threads = a.cfg.http_threads,
            .max_connections = a.cfg.max_connections,
            .connection_timeout = a.cfg.connection_timeout,
            .max_body = api.max_body,
            .version_id = GR_VERSION_ID,
            .developer_mode = a.cfg.developer_mode,
            .gate = gr_api_gate,
    };
    if (gr_http_server_start(&hc, routes, nroutes, &api, gr_api_observe, &srv, err,
                             sizeof err) != GR_OK) {
        gr_cli__err(&a, "%s", err);
        code = 1;
        goto out;
    }
    for (size_t i = 0; i < gr_http_server_nlisteners(srv); i++)
        printf("griot: listening on %s\n", gr_http_server_url(srv, i));
    fflush(stdout);
    gr_log_info("serve", "griot %s ready store=%s", GR_VERSION, "sqlite");
    while (sigwait(&sigs, &sig) != 0)
        ;
    gr_log_info("serve", "signal %d: shutting down", sig);
    gr_http_server_quiesce(srv);
    /* No request may wait on a slow app while draining: calls in flight end as failed. */
    gr_app_stop_outbound(app);
    /* Every WebSocket gets 1001 and goes back to libmicrohttpd before its daemons stop. */
    gr_ws_hub_shutdown(hub, 2000);
    /* The writer keeps running meanwhile and resumes every suspended request after its commit. */
    if (!gr_http_server_drain(srv, 30000)) {
        gr_log_error("serve", "requests still in flight after 30 s; exiting without waiting");
        srv = NULL; /* never stop libmicrohttpd under a suspended connection */
        code = 1;
    }
out:
    gr_ws_hub_shutdown(hub, 2000); /* no-op after the one above; covers the error paths */
    gr_http_server_stop(srv);
    gr_app_close(app);
    gr_events_stop(events); /* after the writer: it publishes its last commits on the way out */
    gr_ws_hub_free(hub);
    free(url);
    if (sig)
        gr_log_info("serve", "stopped");
    gr_cli__args_cleanup(&a);
    return code;
}
