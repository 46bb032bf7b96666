/* SPDX-License-Identifier: MIT */
/* api.c - the route table and helpers shared by the resource files. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/admin.h"

static const struct gr_http_route routes[] = {
        {"POST", "/hooks/:id", gr_api_hooks_post, 0, gr_api_hooks_body_limit},
        {"GET", "/api/v4/system/ping", gr_api_system_ping, 0, NULL},
        {"GET", "/healthz", gr_api_healthz, 0, NULL},
        {"GET", "/metrics", gr_api_metrics, 0, NULL},
        {"GET", "/api/v4/hooks/incoming", gr_api_hooks_incoming_list, 0, NULL},
        {"POST", "/api/v4/hooks/incoming", gr_api_hooks_incoming_create, 0, NULL},
        {"GET", "/api/v4/hooks/incoming/:id", gr_api_hooks_incoming_get, 0, NULL},
        {"PUT", "/api/v4/hooks/incoming/:id", gr_api_hooks_incoming_update, 0, NULL},
        {"DELETE", "/api/v4/hooks/incoming/:id", gr_api_hooks_incoming_delete, 0, NULL},
};

const struct gr_http_route *gr_api_routes(size_t *n_out)
{
    *n_out = sizeof routes / sizeof routes[0];
    return routes;
}

void gr_api_observe(const char *route, const char *method, int status, int64_t duration_ns,
                    void *ud)
{
    struct gr_api *api = ud;

    gr_metrics_request(api->app->metrics, route, method, status, duration_ns);
    if (route == routes[0].pattern)
        gr_metrics_ingest_latency(api->app->metrics, duration_ns);
}

void gr_api__respond_json(struct gr_http_req *r, int status, json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT);

    json_decref(v);
    if (s == NULL) {
        gr_http_respond_error(r, 500, "api.marshal_error", "Could not encode the response.");
        return;
    }
    gr_http_respond(r, status, "application/json", s, strlen(s));
    free(s);
}

static const char *cookie_token(const char *cookie, char *out, size_t size)
{
    const char *p = cookie;

    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        if (strncmp(p, "MMAUTHTOKEN=", 12) == 0) {
            size_t n = strcspn(p + 12, ";");
            if (n >= size)
                return NULL;
            memcpy(out, p + 12, n);
            out[n] = '\0';
            return out;
        }
        p = strchr(p, ';');
    }
    return NULL;
}

int gr_api__auth(struct gr_api *api, struct gr_http_req *r, struct gr_user *out)
{
    const char *h = gr_http_req_header(r, "Authorization");
    const char *token = NULL;
    char cbuf[128];
    struct gr_apperr e;
    struct gr_store *st;
    int code;

    if (h && strncasecmp(h, "bearer ", 7) == 0)
        token = h + 7;
    else if (h && strncasecmp(h, "token ", 6) == 0)
        token = h + 6;
    else
        token = cookie_token(gr_http_req_header(r, "Cookie"), cbuf, sizeof cbuf);
    st = gr_app_reader(api->app);
    if (st == NULL) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        return 503;
    }
    code = gr_admin_auth(st, token, out, &e);
    if (code)
        gr_http_respond_apperr(r, &e);
    return code;
}
