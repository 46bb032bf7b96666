/* SPDX-License-Identifier: MIT */
/*
 * users.c - the users resource (spec mattermost-compat §5.1, §5.4, §5.7, §9): login and logout,
 * the caller (`me`), users by id, username, ids and usernames, a user's teams, and creating
 * users (system admins only). Also the helpers of api_users.h.
 *
 * What others see of a user is sanitised (gr_shape_user_for): the email only for the user
 * themself and admins, never a password or its hash. The session token appears exactly once,
 * in the login answer's `Token` header and MMAUTHTOKEN cookie.
 */
#include "api/api_users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/auth.h"
#include "app/shapes.h"
#include "core/gtime.h"
#include "core/xalloc.h"

#define MAX_LOOKUP 1000 /* ids or usernames in one /users/ids or /users/usernames request */

/* ---- helpers (api_users.h) ------------------------------------------------------------------ */

struct gr_store *gr_api__acct_store(struct gr_api *api, struct gr_http_req *r)
{
    struct gr_store *st = gr_app_reader(api->app);

    if (st == NULL)
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
    return st;
}

json_t *gr_api__acct_body(struct gr_http_req *r, bool want_array, const char *what)
{
    const struct gr_buf *b = gr_http_req_body(r);
    json_t *v = json_loadb(gr_buf_str(b), b->len, 0, NULL);

    if (want_array ? json_is_array(v) : json_is_object(v))
        return v;
    json_decref(v);
    gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                          "Invalid or missing %s in request body.", what);
    return NULL;
}

bool gr_api__acct_str(struct gr_http_req *r, json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                              "Invalid or missing %s in request body.", key);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

bool gr_api__acct_id_param(struct gr_http_req *r, const char *param, const char *label,
                           char out[GR_ID_SIZE])
{
    const char *v = gr_http_req_param(r, param);

    if (!gr_id_is_valid(v)) {
        gr_http_respond_error(r, 400, "api.context.invalid_url_param.app_error",
                              "Invalid or missing %s parameter in request URL.", label);
        return false;
    }
    memcpy(out, v, GR_ID_SIZE);
    return true;
}

bool gr_api__acct_user_param(struct gr_http_req *r, const char *param, const struct gr_user *me,
                             char out[GR_ID_SIZE])
{
    const char *v = gr_http_req_param(r, param);

    if (v != NULL && me != NULL && strcmp(v, "me") == 0) {
        memcpy(out, me->id, GR_ID_SIZE);
        return true;
    }
    return gr_api__acct_id_param(r, param, "user_id", out);
}

static bool query_count(struct gr_http_req *r, const char *name, long dflt, long *out)
{
    const char *v = gr_http_req_query(r, name);
    char *end;

    *out = dflt;
    if (v == NULL || *v == '\0')
        return true;
    *out = strtol(v, &end, 10);
    if (*end != '\0' || *out < 0 || *out > 1000000) {
        gr_http_respond_error(r, 400, "api.context.invalid_url_param.app_error",
                              "Invalid or missing %s parameter in request URL.", name);
        return false;
    }
    return true;
}

bool gr_api__acct_page(struct gr_http_req *r, size_t *offset_out, size_t *limit_out)
{
    long page, per_page;

    if (!query_count(r, "page", 0, &page) || !query_count(r, "per_page", 60, &per_page))
        return false;
    if (per_page > 200)
        per_page = 200;
    *offset_out = (size_t)page * (size_t)per_page;
    *limit_out = (size_t)per_page;
    return true;
}

bool gr_api__acct_flag(struct gr_http_req *r, const char *name)
{
    const char *v = gr_http_req_query(r, name);

    return v != NULL && strcasecmp(v, "true") == 0;
}

void gr_api__acct_ok(struct gr_http_req *r)
{
    gr_http_respond(r, 200, "application/json", "{\"status\":\"OK\"}", 15);
}

void gr_api__acct_forbidden(struct gr_http_req *r)
{
    gr_http_respond_error(r, 403, "api.context.permissions.app_error",
                          "You do not have the appropriate permissions.");
}

/* ---- login / logout ------------------------------------------------------------------------- */

/* Sets the MMAUTHTOKEN cookie (value "" and Max-Age 0 clear it). Secure when the public URL is
 * https; HttpOnly always: scripts have the Token header, page scripts need not read it. */
static void set_cookie(struct gr_http_req *r, struct gr_api *api, const char *value,
                       int64_t max_age_s)
{
    const char *site = api->app->opt.site_url;
    char c[256];

    snprintf(c, sizeof c, "MMAUTHTOKEN=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s", value,
             (long long)max_age_s,
             site != NULL && strncmp(site, "https://", 8) == 0 ? "; Secure" : "");
    gr_http_add_header(r, "Set-Cookie", c);
    explicit_bzero(c, sizeof c);
}

void gr_api_users_login(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_store *st = gr_api__acct_store(api, r);
    const char *login_id, *id, *password;
    char token[GR_ID_SIZE];
    struct gr_user u, byid;
    struct gr_apperr e;
    json_t *o;

    if (st == NULL || (o = gr_api__acct_body(r, false, "login_id")) == NULL)
        return;
    if (!gr_api__acct_str(r, o, "login_id", &login_id) || !gr_api__acct_str(r, o, "id", &id) ||
        !gr_api__acct_str(r, o, "password", &password))
        goto out;
    /* Old clients log in with {"id", "password"}: turn the id into its username. */
    if ((login_id == NULL || login_id[0] == '\0') && id != NULL && gr_id_is_valid(id) &&
        gr_store_user_get(st, id, &byid) == GR_OK)
        login_id = byid.username;
    if (gr_auth_login(st, &api->app->opt.auth, login_id, password, gr_time_now_ms(), &u, token,
                      &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    gr_http_add_header(r, "Token", token);
    set_cookie(r, api, token, api->app->opt.auth.session_length_ms / 1000);
    explicit_bzero(token, sizeof token);
    gr_api__respond_json(r, 200, gr_shape_user(&u));
out:
    json_decref(o);
}

void gr_api_users_logout(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_auth_session *s = gr_xmalloc(sizeof *s);
    struct gr_apperr e;

    /* Mattermost answers OK even without a valid session: the point is to be logged out. */
    if (gr_api__try_session(api, r, s, &e) == 0 &&
        gr_auth_logout(gr_app_reader(api->app), s, &e) != 0) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    set_cookie(r, api, "", 0);
    gr_api__acct_ok(r);
out:
    free(s);
}

/* ---- reading users -------------------------------------------------------------------------- */

void gr_api_users_get(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_user me, u;
    struct gr_apperr e;
    char id[GR_ID_SIZE];

    if (gr_api__auth(api, r, &me) || !gr_api__acct_user_param(r, "user_id", &me, id))
        return;
    if (strcmp(id, me.id) == 0) {
        gr_api__respond_json(r, 200, gr_shape_user(&me));
        return;
    }
    if (gr_auth_user_get(gr_app_reader(api->app), id, &u, &e)) {
        gr_http_respond_apperr(r, &e);
        return;
    }
    gr_api__respond_json(r, 200, gr_shape_user_for(&me, &u));
}

void gr_api_users_by_username(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_user me, u;
    struct gr_apperr e;

    if (gr_api__auth(api, r, &me))
        return;
    if (gr_auth_user_get_by_name(gr_app_reader(api->app), gr_http_req_param(r, "username"), &u,
                                 &e)) {
        gr_http_respond_apperr(r, &e);
        return;
    }
    gr_api__respond_json(r, 200, gr_shape_user_for(&me, &u));
}

/* Reads a body array of strings (1..MAX_LOOKUP) into a malloc'd vector of borrowed pointers;
 * NULL after answering 400. When ids, each must be a 26-char id. */
static const char **string_array(struct gr_http_req *r, json_t *a, bool ids, const char *what,
                                 size_t *n_out)
{
    size_t n = json_array_size(a);
    const char **v;

    if (n == 0 || n > MAX_LOOKUP)
        goto bad;
    v = gr_xcalloc(n, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        v[i] = json_string_value(json_array_get(a, i));
        if (v[i] == NULL || (ids && !gr_id_is_valid(v[i]))) {
            free(v);
            goto bad;
        }
    }
    *n_out = n;
    return v;
bad:
    gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                          "Invalid or missing %s in request body.", what);
    return NULL;
}

static void respond_users(struct gr_http_req *r, const struct gr_user *me,
                          const struct gr_user_list *l)
{
    json_t *a = json_array();

    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, gr_shape_user_for(me, &l->v[i]));
    gr_api__respond_json(r, 200, a);
}

void gr_api_users_by_ids(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_user_list l = {0};
    struct gr_user me;
    const char **ids = NULL;
    size_t n = 0;
    json_t *a;

    if (gr_api__auth(api, r, &me) || (a = gr_api__acct_body(r, true, "user_ids")) == NULL)
        return;
    ids = string_array(r, a, true, "user_ids", &n);
    if (ids == NULL)
        goto out;
    if (gr_store_user_list_by_ids(gr_app_reader(api->app), ids, n, &l) != GR_OK) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        goto out;
    }
    respond_users(r, &me, &l);
out:
    gr_user_list_free(&l);
    free(ids);
    json_decref(a);
}

void gr_api_users_by_usernames(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_user_list l = {0};
    struct gr_store *st;
    struct gr_user me;
    const char **names = NULL;
    size_t n = 0;
    json_t *a;
    gr_err rc = GR_OK;

    if (gr_api__auth(api, r, &me) || (a = gr_api__acct_body(r, true, "usernames")) == NULL)
        return;
    names = string_array(r, a, false, "usernames", &n);
    if (names == NULL)
        goto out;
    st = gr_app_reader(api->app);
    l.v = gr_xcalloc(n, sizeof *l.v);
    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        rc = gr_store_user_get_by_name(st, names[i], &l.v[l.n]);
        if (rc == GR_OK)
            l.n++;
        else if (rc == GR_ENOTFOUND)
            rc = GR_OK; /* unknown names are left out, as in Mattermost */
    }
    if (rc != GR_OK) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        goto out;
    }
    respond_users(r, &me, &l);
out:
    gr_user_list_free(&l);
    free(names);
    json_decref(a);
}

void gr_api_users_teams(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_team_list l = {0};
    struct gr_user me;
    char id[GR_ID_SIZE];
    json_t *a;

    if (gr_api__auth(api, r, &me) || !gr_api__acct_user_param(r, "user_id", &me, id))
        return;
    if (strcmp(id, me.id) != 0 && !gr_auth_is_admin(&me)) {
        gr_api__acct_forbidden(r);
        return;
    }
    if (gr_store_user_teams(gr_app_reader(api->app), id, &l) != GR_OK) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        return;
    }
    a = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(a, gr_shape_team(&l.v[i]));
    gr_team_list_free(&l);
    gr_api__respond_json(r, 200, a);
}

/* ---- creating users ------------------------------------------------------------------------- */

void gr_api_users_create(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_auth_new_user nu;
    struct gr_user me, u;
    struct gr_apperr e;
    json_t *o;

    if (gr_api__auth(api, r, &me))
        return;
    /* griot has no open sign-up: accounts are made by admins (or `griot user create`). */
    if (!gr_auth_is_admin(&me)) {
        gr_api__acct_forbidden(r);
        return;
    }
    if ((o = gr_api__acct_body(r, false, "user")) == NULL)
        return;
    memset(&nu, 0, sizeof nu);
    if (!gr_api__acct_str(r, o, "username", &nu.username) ||
        !gr_api__acct_str(r, o, "email", &nu.email) ||
        !gr_api__acct_str(r, o, "password", &nu.password) ||
        !gr_api__acct_str(r, o, "nickname", &nu.nickname) ||
        !gr_api__acct_str(r, o, "first_name", &nu.first_name) ||
        !gr_api__acct_str(r, o, "last_name", &nu.last_name) ||
        !gr_api__acct_str(r, o, "position", &nu.position) ||
        !gr_api__acct_str(r, o, "locale", &nu.locale))
        goto out;
    if (nu.username == NULL)
        nu.username = "";
    /* Mattermost requires a password for an account that signs in with one. */
    if (nu.password == NULL)
        nu.password = "";
    if (gr_auth_user_create(gr_app_reader(api->app), &api->app->opt.auth, &nu, &u, &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    gr_api__respond_json(r, 201, gr_shape_user(&u));
out:
    json_decref(o);
}
