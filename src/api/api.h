/* SPDX-License-Identifier: MIT */
/*
 * api.h - griot's HTTP resources: the route table that main.c hands to the HTTP server.
 * Each handler parses the plain request, calls app/, and writes the response.
 */
#ifndef GR_API_API_H
#define GR_API_API_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "http/http.h"

struct gr_api {
    struct gr_app *app;
    size_t max_payload; /* MaximumPayloadSizeBytes */
    size_t max_body;    /* the body limit applied: max_payload + Mattermost's 512 bytes */
    /* global limiter keys (Mattermost RateLimitSettings.Vary*) */
    bool vary_by_remote_addr;
    bool vary_by_user;
    const char *vary_by_header; /* "" = none */
    const char *const *trusted_proxies; /* CIDRs whose X-Forwarded-For is believed */
    size_t ntrusted_proxies;
};

/* The route table (static storage). n_out receives its length. */
const struct gr_http_route *gr_api_routes(size_t *n_out);
/* gr_http_observer for the server: feeds request metrics (ud = struct gr_api). */
void gr_api_observe(const char *route, const char *method, int status, int64_t duration_ns,
                    void *ud);

/* Handlers, one file per resource. */
void gr_api_hooks_post(struct gr_http_req *r, void *ud);          /* api/hooks.c */
size_t gr_api_hooks_body_limit(struct gr_http_req *r, void *ud);
void gr_api_hooks_incoming_list(struct gr_http_req *r, void *ud); /* api/hooks_admin.c */
void gr_api_hooks_incoming_create(struct gr_http_req *r, void *ud);
void gr_api_hooks_incoming_get(struct gr_http_req *r, void *ud);
void gr_api_hooks_incoming_update(struct gr_http_req *r, void *ud);
void gr_api_hooks_incoming_delete(struct gr_http_req *r, void *ud);
void gr_api_system_ping(struct gr_http_req *r, void *ud); /* api/system.c */
void gr_api_healthz(struct gr_http_req *r, void *ud);
void gr_api_metrics(struct gr_http_req *r, void *ud);

/* Shared helpers (api/api.c). */
/* Authenticates the request (Authorization: Bearer|Token <t>, or the MMAUTHTOKEN cookie) and
 * returns 0 with the user, or answers 401 itself and returns the status. */
int gr_api__auth(struct gr_api *api, struct gr_http_req *r, struct gr_user *out);
/* Adds X-Ratelimit-Limit/Remaining/Reset (spec §7.2). */
void gr_api__limit_headers(struct gr_http_req *r, const struct gr_limit_info *info);
/* Answers like Mattermost's limiter: 429, text/plain "limit exceeded\n", X-Ratelimit-* and
 * Retry-After, no X-Request-Id. */
void gr_api__respond_limited(struct gr_http_req *r, const struct gr_limit_info *info);
/* gr_http_gate: the global per-client limiter (ud = struct gr_api). */
bool gr_api_gate(struct gr_http_req *r, void *ud);
/* Answers a JSON value (steals the reference). */
void gr_api__respond_json(struct gr_http_req *r, int status, json_t *v);

#endif
