/* SPDX-License-Identifier: MIT */
/*
 * ratelimit.c - what a rate-limited client sees (spec mattermost-compat §7.2), and the global
 * per-client limiter that Mattermost's RateLimitSettings describe (§7.1), run before routing.
 *
 * The key is built like Mattermost's: the client address when VaryByRemoteAddr (the first
 * X-Forwarded-For address, but only when the peer is a configured trusted proxy, so a client
 * cannot choose its own bucket), the auth token when VaryByUser, and the lowercased value of the
 * VaryByHeader header. One bucket per key, shared by every route and hook (RL-7).
 */
#include "api/api.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/cidr.h"
#include "core/gtime.h"
#include "core/hash.h"

void gr_api__limit_headers(struct gr_http_req *r, const struct gr_limit_info *info)
{
    char v[32];

    snprintf(v, sizeof v, "%ld", info->limit);
    gr_http_add_header(r, "X-Ratelimit-Limit", v);
    snprintf(v, sizeof v, "%ld", info->remaining);
    gr_http_add_header(r, "X-Ratelimit-Remaining", v);
    snprintf(v, sizeof v, "%ld", info->reset_s);
    gr_http_add_header(r, "X-Ratelimit-Reset", v);
}

void gr_api__respond_limited(struct gr_http_req *r, const struct gr_limit_info *info)
{
    char v[32];

    gr_api__limit_headers(r, info);
    snprintf(v, sizeof v, "%ld", info->retry_after > 0 ? info->retry_after : 1);
    gr_http_add_header(r, "Retry-After", v);
    gr_http_req_omit_request_id(r);
    gr_http_respond(r, 429, "text/plain; charset=utf-8", "limit exceeded\n", 15);
}

static bool trusted(const struct gr_api *api, const char *peer)
{
    struct gr_cidr c;

    for (size_t i = 0; i < api->ntrusted_proxies; i++)
        if (gr_cidr_parse(api->trusted_proxies[i], &c) && gr_cidr_match(&c, peer))
            return true;
    return false;
}

/* The client address: the peer, or the first X-Forwarded-For entry from a trusted proxy. */
static void client_ip(const struct gr_api *api, struct gr_http_req *r, char *out, size_t size)
{
    const char *peer = gr_http_req_peer(r), *xff;

    snprintf(out, size, "%s", peer);
    if (!trusted(api, peer))
        return;
    xff = gr_http_req_header(r, "X-Forwarded-For");
    if (xff == NULL)
        xff = gr_http_req_header(r, "X-Real-Ip");
    if (xff) {
        size_t n;
        while (*xff == ' ')
            xff++;
        n = strcspn(xff, ", ");
        if (n > 0 && n < size) {
            memcpy(out, xff, n);
            out[n] = '\0';
        }
        /* ::ffff:10.0.0.1 and 10.0.0.1 are one client: one bucket. */
        if (strncasecmp(out, "::ffff:", 7) == 0 && strchr(out + 7, '.') != NULL)
            memmove(out, out + 7, strlen(out + 7) + 1);
    }
}

bool gr_api_gate(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_app *app = api->app;
    struct gr_limit_info info;
    char key[512], ip[64];
    size_t n = 0;

    if (app->global == NULL)
        return true;
    key[0] = '\0';
    if (api->vary_by_remote_addr) {
        client_ip(api, r, ip, sizeof ip);
        n += (size_t)snprintf(key + n, sizeof key - n, "ip:%s", ip);
    }
    if (api->vary_by_user && n < sizeof key) {
        const char *auth = gr_http_req_header(r, "Authorization");
        if (auth) {
            /* Hash the token: keys stay short and the secret never sits in the table. */
            char h[65];
            gr_sha256_hex(auth, strlen(auth), h);
            n += (size_t)snprintf(key + n, sizeof key - n, "|u:%.16s", h);
        } else if (!api->vary_by_remote_addr) {
            client_ip(api, r, ip, sizeof ip);
            n += (size_t)snprintf(key + n, sizeof key - n, "ip:%s", ip);
        }
    }
    if (api->vary_by_header && api->vary_by_header[0] && n < sizeof key) {
        const char *v = gr_http_req_header(r, api->vary_by_header);
        n += (size_t)snprintf(key + n, sizeof key - n, "|h:");
        for (; v && *v && n + 1 < sizeof key; v++)
            key[n++] = (char)tolower((unsigned char)*v);
        key[n < sizeof key ? n : sizeof key - 1] = '\0';
    }
    if (n >= sizeof key)
        n = sizeof key - 1;
    /* Long keys are hashed so the limiter's fixed-size keys never collide by truncation. */
    if (strlen(key) > 60) {
        char h[65];
        gr_sha256_hex(key, strlen(key), h);
        snprintf(key, sizeof key, "%s", h);
    }
    if (gr_limiter_take(app->global, key, app->opt.rate_limit_per_sec,
                        (double)app->opt.rate_limit_max_burst + 1, gr_time_mono_ns(), &info)) {
        gr_api__limit_headers(r, &info);
        return true;
    }
    gr_metrics_global_limited(app->metrics);
    gr_api__respond_limited(r, &info);
    return false;
}
