/* SPDX-License-Identifier: MIT */
/* system.c - liveness and metrics: GET /api/v4/system/ping (spec §5.9), /healthz, /metrics.
 * /metrics is app/metrics.c's rendering plus the WebSocket hub's counters, which live in ws/
 * (app/ does not see ws/, so they are appended here, where both are in reach). */
#include "api/api.h"

#include <string.h>

#include "app/pacer.h"
#include "ws/ws.h"

static bool store_ok(struct gr_api *api)
{
    struct gr_store *st = gr_app_reader(api->app);
    bool empty;
    return st && gr_store_is_empty(st, &empty) == GR_OK;
}

void gr_api_system_ping(struct gr_http_req *r, void *ud)
{
    bool ok = store_ok(ud);
    json_t *o = json_object();

    json_object_set_new(o, "status", json_string(ok ? "OK" : "UNHEALTHY"));
    json_object_set_new(o, "AndroidLatestVersion", json_string(""));
    json_object_set_new(o, "AndroidMinVersion", json_string(""));
    json_object_set_new(o, "IosLatestVersion", json_string(""));
    json_object_set_new(o, "IosMinVersion", json_string(""));
    gr_api__respond_json(r, ok ? 200 : 500, o);
}

void gr_api_healthz(struct gr_http_req *r, void *ud)
{
    if (store_ok(ud))
        gr_http_respond(r, 200, "text/plain", "ok\n", 3);
    else
        gr_http_respond(r, 503, "text/plain", "store unavailable\n", 18);
}

/* The hub's counters (ws.h: struct gr_ws_stats), read with atomics from any thread. */
static gr_err ws_metrics(struct gr_ws_hub *h, struct gr_buf *out)
{
    struct gr_ws_stats s;

    if (h == NULL)
        return GR_OK;
    gr_ws_hub_stats(h, &s);
    return gr_buf_printf(
            out,
            "# HELP griot_ws_connections Open WebSocket connections.\n"
            "# TYPE griot_ws_connections gauge\ngriot_ws_connections %llu\n"
            "# HELP griot_ws_connections_authenticated Open WebSocket connections that are "
            "authenticated.\n"
            "# TYPE griot_ws_connections_authenticated gauge\n"
            "griot_ws_connections_authenticated %llu\n"
            "# HELP griot_ws_connections_hibernating Idle WebSocket connections whose framing "
            "state is released.\n"
            "# TYPE griot_ws_connections_hibernating gauge\n"
            "griot_ws_connections_hibernating %llu\n"
            "# HELP griot_ws_events_sent_total WebSocket event frames (hello included) handed "
            "to a connection for sending, one per recipient connection.\n"
            "# TYPE griot_ws_events_sent_total counter\ngriot_ws_events_sent_total %llu\n"
            "# HELP griot_ws_slow_consumer_disconnects_total WebSocket connections closed because "
            "their send queue was full.\n"
            "# TYPE griot_ws_slow_consumer_disconnects_total counter\n"
            "griot_ws_slow_consumer_disconnects_total %llu\n",
            (unsigned long long)s.conns, (unsigned long long)s.authenticated,
            (unsigned long long)s.hibernating, (unsigned long long)s.events_sent,
            (unsigned long long)s.slow_dropped);
}

void gr_api_metrics(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_buf b;

    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    if (gr_metrics_render(api->app->metrics, gr_pacer_depth(api->app->pacer), &b) == GR_OK &&
        ws_metrics(api->ws, &b) == GR_OK)
        gr_http_respond(r, 200, "text/plain; version=0.0.4", gr_buf_str(&b), b.len);
    else
        gr_http_respond(r, 500, "text/plain", "metrics unavailable\n", 20);
    gr_buf_cleanup(&b);
}
