/* SPDX-License-Identifier: MIT */
/*
 * tokens.c - personal access tokens over REST (spec mattermost-compat §5.3): create (the only
 * answer that carries the token itself), list, get, revoke, disable, enable.
 *
 * Who may: a user for their own tokens, a bot's owner for the bot's, system admins for anyone's
 * (gr_auth_may_act_for); everyone else gets 403 api.context.permissions.app_error. Login
 * sessions are tokens too in the store, but never appear here.
 */
#include "api/api_users.h"

#include <string.h>

#include "app/auth.h"
#include "app/shapes.h"

/* Loads user id and checks that me may manage its tokens; false after answering. */
static bool may_manage(struct gr_http_req *r, struct gr_store *st, const struct gr_user *me,
                       const char *id)
{
    struct gr_user target;
    struct gr_apperr e;

    if (gr_auth_user_get(st, id, &target, &e)) {
        gr_http_respond_apperr(r, &e);
        return false;
    }
    if (!gr_auth_may_act_for(me, &target)) {
        gr_api__acct_forbidden(r);
        return false;
    }
    return true;
}

void gr_api_tokens_create(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_store *st = gr_app_reader(api->app);
    char id[GR_ID_SIZE], secret[GR_ID_SIZE];
    const char *description;
    struct gr_apperr e;
    struct gr_token t;
    struct gr_user me;
    json_t *o;

    if (gr_api__auth(api, r, &me) || !gr_api__acct_user_param(r, "user_id", &me, id) ||
        !may_manage(r, st, &me, id) || (o = gr_api__acct_body(r, false, "token")) == NULL)
        return;
    if (!gr_api__acct_str(r, o, "description", &description))
        goto out;
    if (gr_auth_pat_create(st, &api->app->opt.auth, id, description, &t, secret, &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    /* Mattermost answers 200 here, not 201 (spec §10). */
    gr_api__respond_json(r, 200, gr_shape_access_token(&t, secret));
    explicit_bzero(secret, sizeof secret);
out:
    json_decref(o);
}

static void respond_list(struct gr_http_req *r, struct gr_store *st, const char *user_id)
{
    struct gr_token_list l = {0};
    size_t offset, limit;
    json_t *a;

    if (!gr_api__acct_page(r, &offset, &limit))
        return;
    if (gr_store_token_list(st, user_id, GR_TOKEN_PAT, offset, limit, &l) != GR_OK) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        return;
    }
    a = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(a, gr_shape_access_token(&l.v[i], NULL));
    gr_token_list_free(&l);
    gr_api__respond_json(r, 200, a);
}

void gr_api_tokens_list(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_store *st = gr_app_reader(api->app);
    struct gr_user me;
    char id[GR_ID_SIZE];

    if (gr_api__auth(api, r, &me) || !gr_api__acct_user_param(r, "user_id", &me, id) ||
        !may_manage(r, st, &me, id))
        return;
    respond_list(r, st, id);
}

void gr_api_tokens_list_all(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_user me;

    if (gr_api__auth(api, r, &me))
        return;
    if (!gr_auth_is_admin(&me)) {
        gr_api__acct_forbidden(r);
        return;
    }
    respond_list(r, gr_app_reader(api->app), "");
}

/* Loads the token named by id and checks that me may manage it; false after answering. */
static bool load(struct gr_http_req *r, struct gr_store *st, const struct gr_user *me,
                 const char *id, struct gr_token *t)
{
    struct gr_apperr e;

    if (gr_auth_pat_get(st, id, t, &e)) {
        gr_http_respond_apperr(r, &e);
        return false;
    }
    return may_manage(r, st, me, t->user_id);
}

void gr_api_tokens_get(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_store *st = gr_app_reader(api->app);
    char id[GR_ID_SIZE];
    struct gr_token t;
    struct gr_user me;

    if (gr_api__auth(api, r, &me) || !gr_api__acct_id_param(r, "token_id", "token_id", id) ||
        !load(r, st, &me, id, &t))
        return;
    gr_api__respond_json(r, 200, gr_shape_access_token(&t, NULL));
}

enum change { REVOKE, DISABLE, ENABLE };

/* POST /users/tokens/{revoke,disable,enable} with {"token_id"}. */
static void change(struct gr_http_req *r, struct gr_api *api, enum change what)
{
    struct gr_store *st = gr_app_reader(api->app);
    const char *id = NULL;
    struct gr_apperr e;
    struct gr_token t;
    struct gr_user me;
    json_t *o;
    int code;

    if (gr_api__auth(api, r, &me) || (o = gr_api__acct_body(r, false, "token_id")) == NULL)
        return;
    if (!gr_api__acct_str(r, o, "token_id", &id))
        goto out;
    if (!gr_id_is_valid(id)) {
        gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                              "Invalid or missing token_id in request body.");
        goto out;
    }
    if (!load(r, st, &me, id, &t))
        goto out;
    if (what == REVOKE)
        code = gr_auth_token_revoke(st, t.id, &e);
    else
        code = gr_auth_pat_set_active(st, t.id, what == ENABLE, &e);
    if (code) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    gr_api__acct_ok(r);
out:
    json_decref(o);
}

void gr_api_tokens_revoke(struct gr_http_req *r, void *ud)
{
    change(r, ud, REVOKE);
}

void gr_api_tokens_disable(struct gr_http_req *r, void *ud)
{
    change(r, ud, DISABLE);
}

void gr_api_tokens_enable(struct gr_http_req *r, void *ud)
{
    change(r, ud, ENABLE);
}
