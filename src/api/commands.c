/* SPDX-License-Identifier: MIT */
/*
 * commands.c - slash commands over HTTP (spec mattermost-compat §3): running one
 * (POST /api/v4/commands/execute), delayed responses (POST /hooks/commands/{id}), autocomplete
 * (GET /api/v4/teams/{team_id}/commands/autocomplete) and management
 * (/api/v4/commands[/{command_id}[/regen_token|/rotate_secret]]; rotate_secret is griot's).
 *
 * Permissions follow Mattermost's defaults as griot knows them: system admins manage commands
 * (manage_slash_commands belongs to admins; griot has no team admin role yet); any member of a
 * team may list what autocomplete shows (sanitised, no tokens); anyone may run a command in a
 * channel they belong to. The signing secret appears only in the creation and rotation
 * answers. Execute and the response URL suspend the request and never block the worker: the
 * answer comes from the writer or the outbound engine (app/commands.h).
 */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/commands.h"
#include "app/rest.h"
#include "core/id.h"

static bool is_admin(const struct gr_user *u)
{
    return strstr(u->roles, "system_admin") != NULL;
}

static void disabled(struct gr_http_req *r)
{
    gr_http_respond_error(r, 501, "api.command.disabled.app_error",
                          "Commands have been disabled by the system admin.");
}

/* Management prelude: commands enabled, caller is an admin. Returns the read store (caller in
 * *u) or NULL after answering. */
static struct gr_store *prelude(struct gr_http_req *r, struct gr_api *api, struct gr_user *u)
{
    struct gr_store *st;

    if (!api->app->opt.enable_commands) {
        disabled(r);
        return NULL;
    }
    if (gr_api__auth(api, r, u))
        return NULL;
    if (!is_admin(u)) {
        gr_http_respond_error(r, 403, "api.context.permissions.app_error",
                              "You do not have the appropriate permissions.");
        return NULL;
    }
    if ((st = gr_app_reader(api->app)) == NULL)
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
    return st;
}

static json_t *body_json(struct gr_http_req *r)
{
    const struct gr_buf *b = gr_http_req_body(r);
    json_t *v = json_loadb(gr_buf_str(b), b->len, 0, NULL);

    if (!json_is_object(v)) {
        json_decref(v);
        gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                              "Invalid or missing command in request body.");
        return NULL;
    }
    return v;
}

/* The command named in the URL, or false after answering. */
static bool load(struct gr_http_req *r, struct gr_store *st, struct gr_command *c)
{
    struct gr_apperr e;

    if (gr_command_get(st, gr_http_req_param(r, "command_id"), c, &e)) {
        gr_http_respond_apperr(r, &e);
        return false;
    }
    return true;
}

/* ---- execute and the response URL ---------------------------------------------------- */

static int execute(struct gr_http_req *r, const struct gr_rest_ctx *c, json_t *body, json_t **out,
                   struct gr_apperr *e)
{
    (void)r;
    return gr_command_execute(c, body, out, e);
}

void gr_api_commands_execute(struct gr_http_req *r, void *ud)
{
    gr_api__rest_write(ud, r, "command_args", execute);
}

static void hook_done(void *ud, int status, const struct gr_apperr *e)
{
    struct gr_http_req *r = ud;

    if (status == 200)
        gr_http_respond(r, 200, "text/plain", "ok", 2);
    else
        gr_http_respond_apperr(r, e);
    gr_http_req_resume(r);
}

void gr_api_hooks_command(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    const struct gr_buf *b = gr_http_req_body(r);
    struct gr_apperr e;
    int code;

    /* Suspend first: the writer may answer before gr_command_hook_post returns. */
    gr_http_req_suspend(r);
    code = gr_command_hook_post(api->app, gr_http_req_param(r, "id"),
                                gr_http_req_header(r, "Content-Type"), gr_buf_str(b), b->len,
                                hook_done, r, &e);
    if (code != GR_REST_PENDING) {
        gr_http_respond_apperr(r, &e);
        gr_http_req_resume(r);
    }
}

/* ---- listing ------------------------------------------------------------------------- */

/* A team the caller may see (view_team): a member, or an admin. Answers and returns false
 * otherwise. */
static bool team_visible(struct gr_http_req *r, struct gr_store *st, const struct gr_user *u,
                         const char *team_id, const char *param)
{
    bool member = false;

    if (!gr_id_is_valid(team_id)) {
        gr_http_respond_error(r, 400, "api.context.invalid_url_param.app_error",
                              "Invalid or missing %s parameter in request URL.", param);
        return false;
    }
    if (is_admin(u))
        return true;
    if (gr_store_team_member_is(st, team_id, u->id, &member) != GR_OK || !member) {
        gr_http_respond_error(r, 403, "api.context.permissions.app_error",
                              "You do not have the appropriate permissions.");
        return false;
    }
    return true;
}

/* Appends the team's custom commands (autocomplete_only: those with auto_complete). */
static bool append_custom(struct gr_http_req *r, struct gr_store *st, const char *team_id,
                          bool autocomplete_only, enum gr_command_view view, json_t *arr)
{
    struct gr_command_list l = {0};

    if (gr_store_command_list(st, team_id, &l) != GR_OK) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        return false;
    }
    for (size_t i = 0; i < l.n; i++)
        if (!autocomplete_only || l.v[i].auto_complete)
            json_array_append_new(arr, gr_command_shape(&l.v[i], view));
    gr_command_list_free(&l);
    return true;
}

static bool query_true(struct gr_http_req *r, const char *name)
{
    const char *v = gr_http_req_query(r, name);

    /* Go's strconv.ParseBool. */
    return v && (strcmp(v, "1") == 0 || strcasecmp(v, "t") == 0 || strcasecmp(v, "true") == 0);
}

void gr_api_commands_list(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    const char *team_id = gr_http_req_query(r, "team_id");
    bool custom_only = query_true(r, "custom_only"), admin, enabled;
    struct gr_store *st;
    struct gr_user u;
    json_t *arr;

    if (gr_api__auth(api, r, &u))
        return;
    if ((st = gr_app_reader(api->app)) == NULL) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        return;
    }
    if (!team_visible(r, st, &u, team_id ? team_id : "", "team_id"))
        return;
    admin = is_admin(&u);
    enabled = api->app->opt.enable_commands;
    if (custom_only && !admin) {
        gr_http_respond_error(r, 403, "api.context.permissions.app_error",
                              "You do not have the appropriate permissions.");
        return;
    }
    if (custom_only && !enabled) {
        disabled(r);
        return;
    }
    arr = json_array();
    /* Managers see the built-ins and every custom command with its token; others what
     * autocomplete shows, sanitised (listCommands). */
    if (!custom_only)
        gr_command_builtins_json(arr);
    if (enabled && !append_custom(r, st, team_id, !admin,
                                  admin ? GR_COMMAND_FULL : GR_COMMAND_SANITIZED, arr)) {
        json_decref(arr);
        return;
    }
    gr_api__respond_json(r, 200, arr);
}

void gr_api_commands_autocomplete(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    const char *team_id = gr_http_req_param(r, "team_id");
    struct gr_store *st;
    struct gr_user u;
    json_t *arr;

    if (gr_api__auth(api, r, &u))
        return;
    if ((st = gr_app_reader(api->app)) == NULL) {
        gr_http_respond_error(r, 503, "api.context.server_busy.app_error",
                              "The store is not available.");
        return;
    }
    if (!team_visible(r, st, &u, team_id, "team_id"))
        return;
    arr = json_array();
    gr_command_builtins_json(arr);
    if (api->app->opt.enable_commands &&
        !append_custom(r, st, team_id, true, GR_COMMAND_SANITIZED, arr)) {
        json_decref(arr);
        return;
    }
    gr_api__respond_json(r, 200, arr);
}

/* ---- management ---------------------------------------------------------------------- */

void gr_api_commands_create(struct gr_http_req *r, void *ud)
{
    struct gr_api *api = ud;
    struct gr_user u, creator;
    struct gr_store *st = prelude(r, api, &u);
    struct gr_command c;
    struct gr_apperr e;
    const char *s;
    json_t *o;

    if (st == NULL || (o = body_json(r)) == NULL)
        return;
    memset(&c, 0, sizeof c);
    if (gr_command_from_json(o, &c, &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    s = json_string_value(json_object_get(o, "team_id"));
    snprintf(c.team_id, sizeof c.team_id, "%s", s && strlen(s) < GR_ID_SIZE ? s : "");
    /* creator_id: the caller, or (managing others' commands) another live user. */
    s = json_string_value(json_object_get(o, "creator_id"));
    if (s && s[0] && strcmp(s, u.id) != 0) {
        if (!gr_id_is_valid(s) || gr_store_user_get(st, s, &creator) != GR_OK ||
            creator.delete_at != 0) {
            gr_http_respond_error(r, 404, "app.user.missing.app_error", "Unable to find the user.");
            goto out;
        }
        memcpy(c.creator_id, creator.id, GR_ID_SIZE);
    } else {
        memcpy(c.creator_id, u.id, GR_ID_SIZE);
    }
    if (gr_command_create(st, &c, &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    gr_api__respond_json(r, 201, gr_command_shape(&c, GR_COMMAND_SECRET));
out:
    json_decref(o);
}

void gr_api_commands_get(struct gr_http_req *r, void *ud)
{
    struct gr_user u;
    struct gr_store *st = prelude(r, ud, &u);
    struct gr_command c;

    if (st && load(r, st, &c))
        gr_api__respond_json(r, 200, gr_command_shape(&c, GR_COMMAND_FULL));
}

void gr_api_commands_update(struct gr_http_req *r, void *ud)
{
    struct gr_user u;
    struct gr_store *st = prelude(r, ud, &u);
    struct gr_command c;
    struct gr_apperr e;
    const char *id, *team;
    json_t *o;

    if (st == NULL || !load(r, st, &c) || (o = body_json(r)) == NULL)
        return;
    /* PUT replaces every mutable field: what the body leaves out becomes empty. */
    id = json_string_value(json_object_get(o, "id"));
    team = json_string_value(json_object_get(o, "team_id"));
    if (id == NULL || strcmp(id, c.id) != 0) {
        gr_http_respond_error(r, 400, "api.context.invalid_body_param.app_error",
                              "Invalid or missing command in request body.");
        goto out;
    }
    if (team != NULL && team[0] && strcmp(team, c.team_id) != 0) {
        gr_http_respond_error(r, 400, "api.command.team_mismatch.app_error",
                              "Unable to update commands across teams.");
        goto out;
    }
    c.trigger[0] = c.url[0] = c.method[0] = c.username[0] = c.icon_url[0] = '\0';
    c.auto_complete_desc[0] = c.auto_complete_hint[0] = '\0';
    c.display_name[0] = c.description[0] = '\0';
    c.auto_complete = false;
    if (gr_command_from_json(o, &c, &e) || gr_command_update(st, &c, &e)) {
        gr_http_respond_apperr(r, &e);
        goto out;
    }
    gr_api__respond_json(r, 200, gr_command_shape(&c, GR_COMMAND_FULL));
out:
    json_decref(o);
}

void gr_api_commands_delete(struct gr_http_req *r, void *ud)
{
    struct gr_user u;
    struct gr_store *st = prelude(r, ud, &u);
    struct gr_apperr e;

    if (st == NULL)
        return;
    if (gr_command_delete(st, gr_http_req_param(r, "command_id"), &e)) {
        gr_http_respond_apperr(r, &e);
        return;
    }
    gr_http_respond(r, 200, "application/json", "{\"status\":\"OK\"}", 15);
}

void gr_api_commands_regen_token(struct gr_http_req *r, void *ud)
{
    struct gr_user u;
    struct gr_store *st = prelude(r, ud, &u);
    struct gr_command c;
    struct gr_apperr e;

    if (st == NULL || !load(r, st, &c))
        return;
    if (gr_command_regen_token(st, &c, &e)) {
        gr_http_respond_apperr(r, &e);
        return;
    }
    gr_api__respond_json(r, 200, json_pack("{s:s}", "token", c.token));
}

void gr_api_commands_rotate_secret(struct gr_http_req *r, void *ud)
{
    struct gr_user u;
    struct gr_store *st = prelude(r, ud, &u);
    struct gr_command c;
    struct gr_apperr e;

    if (st == NULL || !load(r, st, &c))
        return;
    if (gr_command_rotate_secret(st, &c, &e)) {
        gr_http_respond_apperr(r, &e);
        return;
    }
    gr_api__respond_json(r, 200, json_pack("{s:s, s:s}", "id", c.id, "secret", c.secret));
}
