/* SPDX-License-Identifier: MIT */
/*
 * outgoing.c - management of outgoing webhooks over REST (spec mattermost-compat §2.1):
 * /api/v4/hooks/outgoing[/{hook_id}[/regen_token]] as in Mattermost, plus griot's
 * POST /api/v4/hooks/outgoing/{hook_id}/rotate_secret. Like incoming hooks (hooks_admin.c),
 * only system admins manage them for now (Mattermost's manage_outgoing_webhooks permission
 * belongs to admins by default; griot has no team admin role yet). The rules themselves are
 * app/outgoing_admin.c's.
 *
 * The signing secret is write-once for clients: it is in the body of the creation answer and
 * of rotate_secret only, never in GET or PUT answers.
 */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/outgoing_admin.h"
#include "core/id.h"

/* Common prelude: outgoing hooks enabled, caller is an admin. Returns the read store (and the
 * caller in *u when u is not NULL) or NULL after answering. */
static struct gr_store *prelude(struct gr_http_req *r, struct gr_api *api, struct gr_user *u)
{
    struct gr_user me;

    if (u == NULL)
        u = &me;
    if (!api->app->opt.enable_outgoing_webhooks) {
        gr_http_respond_error(r, 501, "api.outgoing_webhook.disabled.app_error",
                              "Outgoing webhooks have been disabled by the system admin.");
        return NULL;
    }
    if (gr_api__auth(api, r, u))
        return NULL;
    if (strstr(u->roles, "system_admin") == NULL) {
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
                              "Invalid or missing outgoing_webhook in request body.");
        return NULL;
    }
    return v;
}

/* The hook named in the URL, or NULL after answering 400/404/503. */
static bool load(struct gr_http_req *r, struct gr_store *st, struct gr_outgoing_hook *h)
{
    struct gr_apperr e;

    if (gr_outgoing_admin_get(st, gr_http_req_param(r, "id"), h, &e)) {
        gr_http_respond_apperr(r, &e);
        return false;
    }
    return true;
}

void gr_api_hooks_outgoing_create(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_user u, creator;
    struct gr_store *st = prelude(r, api, &u);
    struct gr_outgoing_hook h;
    struct gr_apperr e;
    json_t *o, *cid;

    if (st == NULL || (o = body_json(r)) == NULL)
        return;
    memset(&h, 0, sizeof h);
    if (gr_outgoing_admin_apply_json(o, &h, &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    /* The creator authors the reply posts: the caller, or (admins manage others' hooks) the
     * user the body names. */
    memcpy(h.creator_id, u.id, GR_ID_SIZE);
    cid = json_object_get(o, "creator_id");
    if (json_is_string(cid) && json_string_length(cid) > 0) {
        if (!gr_id_is_valid(json_string_value(cid)) ||
            gr_store_user_get(st, json_string_value(cid), &creator) != GR_OK ||
            creator.delete_at != 0) {
            gr_http_respond_error(r, 404, "app.user.missing_account.const",
                                  "Unable to find the user.");
            goto out;
        }
        memcpy(h.creator_id, creator.id, GR_ID_SIZE);
    } else if (cid != NULL && !json_is_null(cid) && !json_is_string(cid)) {
        gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                              "Invalid or missing creator_id in request body.");
        goto out;
    }
    if (gr_outgoing_admin_create(st, &h, &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    gr_api__respond_json(r, 201, gr_outgoing_admin_shape(&h, true));
out:
    gr_outgoing_hook_cleanup(&h);
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

void gr_api_hooks_outgoing_list(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_store *st = prelude(r, api, NULL);
    const char *team = gr_http_req_query(r, "team_id");
    const char *chan = gr_http_req_query(r, "channel_id");
    struct gr_outgoing_hook_list l = {0};
    long page, per_page;
    size_t skip, seen = 0;
    json_t *a;

    if (st == NULL)
        return;
    page = query_long(r, "page", 0);
    per_page = query_long(r, "per_page", 60);
    if (page < 0 || per_page < 0 || page > 1000000) {
        gr_http_respond_error(r, 400, "api.context.invalid_url_param.app_error",
                              "Invalid or missing page parameter in request URL.");
        return;
    }
    if (per_page > 200)
        per_page = 200;
    /* Few hooks per server: read them all and filter by channel here. */
    if (gr_store_outgoing_list(st, team ? team : "", 0, 0, &l) != GR_OK) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        return;
    }
    skip = (size_t)page * (size_t)per_page;
    a = json_array();
    for (size_t i = 0; i < l.n && json_array_size(a) < (size_t)per_page; i++) {
        if (chan && chan[0] && strcmp(l.v[i].channel_id, chan) != 0)
            continue;
        if (seen++ < skip)
            continue;
        json_array_append_new(a, gr_outgoing_admin_shape(&l.v[i], false));
    }
    gr_outgoing_hook_list_free(&l);
    gr_api__respond_json(r, 200, a);
}

void gr_api_hooks_outgoing_get(struct gr_http_req *r, void *ud)
{
    struct gr_store *st = prelude(r, ud, NULL);
    struct gr_outgoing_hook h;

    if (st == NULL || !load(r, st, &h))
        return;
    gr_api__respond_json(r, 200, gr_outgoing_admin_shape(&h, false));
    gr_outgoing_hook_cleanup(&h);
}

void gr_api_hooks_outgoing_update(struct gr_http_req *r, void *ud)
{
    struct gr_store *st = prelude(r, ud, NULL);
    struct gr_outgoing_hook old, upd;
    struct gr_apperr e;
    json_t *o, *id;

    if (st == NULL || !load(r, st, &old))
        return;
    if ((o = body_json(r)) == NULL) {
        gr_outgoing_hook_cleanup(&old);
        return;
    }
    gr_outgoing_admin_copy(&upd, &old);
    id = json_object_get(o, "id");
    /* The hook in the body must be the one in the URL (Mattermost: invalid hook_id). */
    if (!json_is_string(id) || strcmp(json_string_value(id), old.id) != 0) {
        gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                              "Invalid or missing hook_id in request body.");
        goto out;
    }
    if (gr_outgoing_admin_apply_json(o, &upd, &e) || gr_outgoing_admin_update(st, &old, &upd, &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    gr_api__respond_json(r, 200, gr_outgoing_admin_shape(&upd, false));
out:
    gr_outgoing_hook_cleanup(&upd);
    gr_outgoing_hook_cleanup(&old);
    json_decref(o);
}

void gr_api_hooks_outgoing_delete(struct gr_http_req *r, void *ud)
{
    struct gr_store *st = prelude(r, ud, NULL);
    struct gr_outgoing_hook h;
    struct gr_apperr e;

    if (st == NULL || !load(r, st, &h))
        return;
    if (gr_outgoing_admin_delete(st, h.id, &e))
        gr_http_respond_apperr(r, &e);
    else
        gr_http_respond(r, 200, "application/json", "{\"status\":\"OK\"}", 15);
    gr_outgoing_hook_cleanup(&h);
}

void gr_api_hooks_outgoing_regen_token(struct gr_http_req *r, void *ud)
{
    struct gr_store *st = prelude(r, ud, NULL);
    struct gr_outgoing_hook h;
    struct gr_apperr e;

    if (st == NULL || !load(r, st, &h))
        return;
    if (gr_outgoing_admin_regen_token(st, &h, &e))
        gr_http_respond_apperr(r, &e);
    else
        gr_api__respond_json(r, 200, gr_outgoing_admin_shape(&h, false));
    gr_outgoing_hook_cleanup(&h);
}

void gr_api_hooks_outgoing_rotate_secret(struct gr_http_req *r, void *ud)
{
    struct gr_store *st = prelude(r, ud, NULL);
    struct gr_outgoing_hook h;
    struct gr_apperr e;

    if (st == NULL || !load(r, st, &h))
        return;
    if (gr_outgoing_admin_rotate_secret(st, &h, &e)) {
        gr_http_respond_apperr(r, &e);
    } else {
        json_t *o = json_object();
        json_object_set_new(o, "secret", json_string(h.secret));
        gr_api__respond_json(r, 200, o);
    }
    explicit_bzero(h.secret, sizeof h.secret);
    gr_outgoing_hook_cleanup(&h);
}
