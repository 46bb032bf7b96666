/* SPDX-License-Identifier: MIT */
/*
 * hooks_admin.c - management of incoming hooks over REST (spec mattermost-compat §1.12):
 * /api/v4/hooks/incoming[/{hook_id}]. Only system admins may manage hooks for now; per-team
 * permissions come with the users/roles work.
 */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter/adapter.h"
#include "app/admin.h"
#include "app/hook_config.h"
#include "app/shapes.h"
#include "core/gtime.h"
#include "core/id.h"

/* Common prelude: hooks enabled, caller is an admin. Returns the read store or NULL (answered). */
static struct gr_store *prelude(struct gr_http_req *r, struct gr_api *api)
{
    struct gr_user u;

    if (!api->app->opt.enable_incoming_webhooks) {
        gr_http_respond_error(r, 501, "api.incoming_webhook.disabled.app_error",
                              "Incoming webhooks have been disabled by the system admin.");
        return NULL;
    }
    if (gr_api__auth(api, r, &u))
        return NULL;
    if (strstr(u.roles, "system_admin") == NULL) {
        gr_http_respond_error(r, 403, "api.context.permissions.app_error",
                              "You do not have the appropriate permissions.");
        return NULL;
    }
    return gr_app_reader(api->app);
}

static json_t *body_json(struct gr_http_req *r)
{
    const struct gr_buf *b = gr_http_req_body(r);
    json_t *v = json_loadb(gr_buf_str(b), b->len, 0, NULL);

    if (!json_is_object(v)) {
        json_decref(v);
        gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                              "Invalid or missing hook in request body.");
        return NULL;
    }
    return v;
}

/* Copies a string member into dst when present; false (and answers 400) on a wrong type. */
static bool take_str(struct gr_http_req *r, json_t *o, const char *key, char *dst, size_t size)
{
    json_t *v = json_object_get(o, key);

    if (v == NULL || json_is_null(v))
        return true;
    if (!json_is_string(v) || json_string_length(v) >= size) {
        gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                              "Invalid or missing %s in request body.", key);
        return false;
    }
    memcpy(dst, json_string_value(v), json_string_length(v) + 1);
    return true;
}

/* Secrets come back from GET as "********"; a PUT that sends them back unchanged keeps the
 * stored values at the same positions. */
static void keep_redacted(json_t *cfg, const char *old_json)
{
    static const char *const keys[] = {"secrets", "auth_bearer", "auth_basic"};
    json_t *old = json_loads(old_json, 0, NULL);

    for (size_t k = 0; k < 3; k++) {
        json_t *a = json_object_get(cfg, keys[k]), *b = json_object_get(old, keys[k]);
        for (size_t i = 0; json_is_array(a) && i < json_array_size(a); i++) {
            const char *v = json_string_value(json_array_get(a, i));
            if (v && strcmp(v, "********") == 0 && json_is_string(json_array_get(b, i)))
                json_array_set(a, i, json_array_get(b, i));
        }
    }
    json_decref(old);
}

static bool fill_source(struct gr_http_req *r, json_t *o, struct gr_hook *h)
{
    json_t *src = json_object_get(o, "source"), *cfg = json_object_get(o, "source_config");
    struct gr_hook_config hc;
    struct gr_apperr e;
    const struct gr_adapter *a = NULL;
    char *s;

    if (src && !json_is_null(src)) {
        if (!json_is_string(src) ||
            (strcmp(json_string_value(src), "mattermost") != 0 &&
             (a = gr_adapter_find(json_string_value(src))) == NULL)) {
            gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                                  "Invalid or missing source in request body.");
            return false;
        }
        snprintf(h->source, sizeof h->source, "%s", json_string_value(src));
    } else if (h->source[0] && strcmp(h->source, "mattermost") != 0) {
        a = gr_adapter_find(h->source);
    }
    if (cfg && !json_is_null(cfg)) {
        if (!json_is_object(cfg)) {
            gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                                  "Invalid or missing source_config in request body.");
            return false;
        }
        cfg = json_deep_copy(cfg);
        keep_redacted(cfg, h->source_config[0] ? h->source_config : "{}");
        s = json_dumps(cfg, JSON_COMPACT);
        json_decref(cfg);
        if (s == NULL || strlen(s) >= sizeof h->source_config) {
            free(s);
            gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                                  "The source_config is too large.");
            return false;
        }
        snprintf(h->source_config, sizeof h->source_config, "%s", s);
        free(s);
    }
    if (gr_hook_config_parse(h->source_config[0] ? h->source_config : "{}", &hc, &e)) {
        gr_http_respond_apperr(r, &e);
        return false;
    }
    if (gr_hook_config_check(&hc, &e)) {
        gr_hook_config_cleanup(&hc);
        gr_http_respond_apperr(r, &e);
        return false;
    }
    if (a && a->requires_auth && !hc.nsecrets && !hc.nbearer && !hc.nbasic) {
        gr_hook_config_cleanup(&hc);
        gr_http_respond_error(r, 400, "griot.hook.source_config.invalid",
                              "A %s hook needs a secret or a bearer token.", a->name);
        return false;
    }
    gr_hook_config_cleanup(&hc);
    return true;
}

static bool fill(struct gr_http_req *r, struct gr_api *api, json_t *o, struct gr_hook *h)
{
    json_t *locked = json_object_get(o, "channel_locked");

    if (!fill_source(r, o, h))
        return false;

    if (!take_str(r, o, "channel_id", h->channel_id, sizeof h->channel_id) ||
        !take_str(r, o, "display_name", h->display_name, sizeof h->display_name) ||
        !take_str(r, o, "description", h->description, sizeof h->description) ||
        !take_str(r, o, "username", h->username, sizeof h->username) ||
        !take_str(r, o, "icon_url", h->icon_url, sizeof h->icon_url))
        return false;
    if (locked && !json_is_null(locked)) {
        if (!json_is_boolean(locked)) {
            gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                                  "Invalid or missing channel_locked in request body.");
            return false;
        }
        h->channel_locked = json_is_true(locked);
    }
    /* Mattermost clears the defaults that the server would ignore anyway. */
    if (!api->app->opt.username_override)
        h->username[0] = '\0';
    if (!api->app->opt.icon_override)
        h->icon_url[0] = '\0';
    return true;
}

static bool channel_of(struct gr_http_req *r, struct gr_store *st, struct gr_hook *h)
{
    struct gr_channel ch;

    if (!gr_id_is_valid(h->channel_id)) {
        gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                              "Invalid or missing channel_id in request body.");
        return false;
    }
    if (gr_store_channel_get(st, h->channel_id, &ch) != GR_OK || ch.delete_at != 0) {
        gr_http_respond_error(r, 404, "app.channel.get.existing.app_error",
                              "Unable to find the existing channel.");
        return false;
    }
    memcpy(h->team_id, ch.team_id, GR_ID_SIZE);
    return true;
}

void gr_api_hooks_incoming_create(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_store *st = prelude(r, api);
    struct gr_user u;
    struct gr_apperr e;
    struct gr_hook h;
    json_t *o;

    if (st == NULL || (o = body_json(r)) == NULL)
        return;
    memset(&h, 0, sizeof h);
    snprintf(h.source, sizeof h.source, "mattermost");
    snprintf(h.source_config, sizeof h.source_config, "{}");
    h.rate = -1;
    h.burst = -1;
    h.over_limit = -1;
    if (!fill(r, api, o, &h) || !channel_of(r, st, &h))
        goto out;
    gr_api__auth(api, r, &u); /* already verified in prelude; the creator is the caller */
    memcpy(h.user_id, u.id, GR_ID_SIZE);
    if (gr_admin_hook_create(st, &h, &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    gr_api__respond_json(r, 201, gr_shape_hook(&h));
out:
    json_decref(o);
}

static long query_long(struct gr_http_req *r, const char *name, long def)
{
    const char *v = gr_http_req_query(r, name);
    char *end;
    long n;

    if (v == NULL || *v == '\0')
        return def;
    n = strtol(v, &end, 10);
    return (*end || n < 0) ? -1 : n;
}

void gr_api_hooks_incoming_list(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_store *st = prelude(r, api);
    struct gr_hook_list l = {0};
    long page, per_page;
    json_t *a;

    if (st == NULL)
        return;
    page = query_long(r, "page", 0);
    per_page = query_long(r, "per_page", 60);
    if (page < 0 || per_page < 0) {
        gr_http_respond_error(r, 400, "api.context.invalid_url_param.app_error",
                              "Invalid or missing page parameter in request URL.");
        return;
    }
    if (per_page > 200)
        per_page = 200;
    if (gr_store_hook_list(st, gr_http_req_query(r, "team_id"), (size_t)(page * per_page),
                           (size_t)per_page, &l) != GR_OK) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        return;
    }
    a = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(a, gr_shape_hook(&l.v[i]));
    gr_hook_list_free(&l);
    gr_api__respond_json(r, 200, a);
}

/* Loads the hook named in the URL or answers 400/404. */
static bool load(struct gr_http_req *r, struct gr_store *st, struct gr_hook *h)
{
    const char *id = gr_http_req_param(r, "id");

    if (!gr_id_is_valid(id)) {
        gr_http_respond_error(r, 400, "api.context.invalid_url_param.app_error",
                              "Invalid or missing hook_id parameter in request URL.");
        return false;
    }
    if (gr_store_hook_get(st, id, h) != GR_OK) {
        gr_http_respond_error(r, 404, "app.webhooks.get_incoming.app_error",
                              "Unable to get the webhook.");
        return false;
    }
    return true;
}

void gr_api_hooks_incoming_get(struct gr_http_req *r, void *ud)
{
    struct gr_store *st = prelude(r, ud);
    struct gr_hook h;

    if (st && load(r, st, &h))
        gr_api__respond_json(r, 200, gr_shape_hook(&h));
}

void gr_api_hooks_incoming_update(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_store *st = prelude(r, api);
    struct gr_apperr e;
    struct gr_hook h;
    json_t *o, *id;

    if (st == NULL || !load(r, st, &h) || (o = body_json(r)) == NULL)
        return;
    id = json_object_get(o, "id");
    if (!json_is_string(id) || strcmp(json_string_value(id), h.id) != 0) {
        gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                              "Invalid or missing id in request body.");
        goto out;
    }
    if (!fill(r, api, o, &h) || !channel_of(r, st, &h))
        goto out;
    if (gr_admin_hook_validate(&h, &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    h.update_at = gr_time_now_ms();
    if (gr_store_hook_update(st, &h) != GR_OK) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        goto out;
    }
    gr_api__respond_json(r, 200, gr_shape_hook(&h));
out:
    json_decref(o);
}

void gr_api_hooks_incoming_delete(struct gr_http_req *r, void *ud)
{
    struct gr_store *st = prelude(r, ud);
    struct gr_hook h;

    if (st == NULL || !load(r, st, &h))
        return;
    if (gr_store_hook_delete(st, h.id, gr_time_now_ms()) != GR_OK) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        return;
    }
    gr_http_respond(r, 200, "application/json", "{\"status\":\"OK\"}", 15);
}
