/* SPDX-License-Identifier: MIT */
/* system.c - liveness and metrics: GET /api/v4/system/ping (spec §5.9), /healthz, /metrics. */
#include "api/api.h"

#include <string.h>

#include "app/pacer.h"

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

void gr_api_metrics(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_buf b;

    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    if (gr_metrics_render(api->app->metrics, gr_pacer_depth(api->app->pacer), &b) == GR_OK)
        gr_http_respond(r, 200, "text/plain; version=0.0.4", gr_buf_str(&b), b.len);
    else
        gr_http_respond(r, 500, "text/plain", "metrics unavailable\n", 20);
    gr_buf_cleanup(&b);
}
