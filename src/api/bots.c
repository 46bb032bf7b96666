/* SPDX-License-Identifier: MIT */
/*
 * bots.c - the bots resource (spec mattermost-compat §5.2): create, list, get, patch,
 * disable/enable and reassign bot accounts.
 *
 * Who may do what: any signed-in person (not a bot) may create a bot while
 * enable_bot_account_creation is on, and owns it; a bot's owner and system admins manage it.
 * Anyone else gets the same 404 as for a missing bot (store.sql_bot.get.missing.app_error), so
 * the API does not reveal which ids are bots, as in Mattermost.
 */
#include "api/api_users.h"

#include <string.h>

#include "app/auth.h"
#include "app/shapes.h"

/* Authenticates and loads the bot named in the URL that the caller may manage; false after
 * answering. */
static bool load(struct gr_http_req *r, struct gr_api *api, bool include_deleted,
                 struct gr_user *me, struct gr_user *bot)
{
    struct gr_apperr e;
    char id[GR_ID_SIZE];
    int code;

    if (gr_api__auth(api, r, me) || !gr_api__acct_id_param(r, "bot_id", "bot_user_id", id))
        return false;
    code = gr_auth_bot_get(gr_app_reader(api->app), id, include_deleted, bot, &e);
    if (code == 0 && !gr_auth_may_act_for(me, bot))
        code = gr_apperr_set(&e, 404, "store.sql_bot.get.missing.app_error",
                             "Unable to find the bot.");
    if (code) {
        gr_http_respond_apperr(r, &e);
        return false;
    }
    return true;
}

void gr_api_bots_create(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    const char *username, *display, *description;
    struct gr_user me, bot;
    struct gr_apperr e;
    json_t *o = NULL;

    if (gr_api__auth(api, r, &me))
        return;
    if (!api->app->opt.auth.enable_bot_account_creation) {
        gr_http_respond_error(r, 403, "api.bot.create_disabled", "Bot creation has been disabled.");
        return;
    }
    if (me.is_bot) {
        gr_api__acct_forbidden(r);
        return;
    }
    if ((o = gr_api__acct_body(r, false, "bot")) == NULL)
        return;
    if (!gr_api__acct_str(r, o, "username", &username) ||
        !gr_api__acct_str(r, o, "display_name", &display) ||
        !gr_api__acct_str(r, o, "description", &description))
        goto out;
    if (gr_auth_bot_create(gr_app_reader(api->app), me.id, username, display, description, &bot,
                           &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    gr_api__respond_json(r, 201, gr_shape_bot(&bot));
out:
    json_decref(o);
}

void gr_api_bots_list(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_user_list l = {0};
    struct gr_user me;
    size_t offset, limit;
    json_t *a;

    if (gr_api__auth(api, r, &me) || !gr_api__acct_page(r, &offset, &limit))
        return;
    /* Admins see every bot; anyone else the bots they own. */
    if (gr_store_bot_list(gr_app_reader(api->app), gr_auth_is_admin(&me) ? "" : me.id,
                          gr_api__acct_flag(r, "include_deleted"),
                          gr_api__acct_flag(r, "only_orphaned"), offset, limit, &l) != GR_OK) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        return;
    }
    a = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(a, gr_shape_bot(&l.v[i]));
    gr_user_list_free(&l);
    gr_api__respond_json(r, 200, a);
}

void gr_api_bots_get(struct gr_http_req *r, void *ud)
{
    struct gr_user me, bot;

    if (load(r, ud, gr_api__acct_flag(r, "include_deleted"), &me, &bot))
        gr_api__respond_json(r, 200, gr_shape_bot(&bot));
}

void gr_api_bots_patch(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    const char *username, *display, *description;
    struct gr_user me, bot;
    struct gr_apperr e;
    json_t *o;

    if (!load(r, api, false, &me, &bot) || (o = gr_api__acct_body(r, false, "bot")) == NULL)
        return;
    if (!gr_api__acct_str(r, o, "username", &username) ||
        !gr_api__acct_str(r, o, "display_name", &display) ||
        !gr_api__acct_str(r, o, "description", &description))
        goto out;
    if (gr_auth_bot_patch(gr_app_reader(api->app), &bot, username, display, description, &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    gr_api__respond_json(r, 200, gr_shape_bot(&bot));
out:
    json_decref(o);
}

static void set_active(struct gr_http_req *r, struct gr_api *api, bool active)
{
    struct gr_user me, bot;
    struct gr_apperr e;

    if (!load(r, api, true, &me, &bot))
        return;
    if (gr_auth_bot_set_active(gr_app_reader(api->app), &bot, active, &e)) {
        gr_http_respond_apperr(r, &e);
        return;
    }
    gr_api__respond_json(r, 200, gr_shape_bot(&bot));
}

void gr_api_bots_disable(struct gr_http_req *r, void *ud)
{
    set_active(r, ud, false);
}

void gr_api_bots_enable(struct gr_http_req *r, void *ud)
{
    set_active(r, ud, true);
}

void gr_api_bots_assign(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_user me, bot;
    struct gr_apperr e;
    char owner[GR_ID_SIZE];

    if (!load(r, api, true, &me, &bot) || !gr_api__acct_user_param(r, "user_id", &me, owner))
        return;
    if (gr_auth_bot_assign(gr_app_reader(api->app), &bot, owner, &e)) {
        gr_http_respond_apperr(r, &e);
        return;
    }
    gr_api__respond_json(r, 200, gr_shape_bot(&bot));
}
