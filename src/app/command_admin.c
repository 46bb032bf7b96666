/* SPDX-License-Identifier: MIT */
/*
 * command_admin.c - managing custom slash commands (spec mattermost-compat §3.1): validation,
 * creation with a token and a signing secret, update, delete, token regeneration and secret
 * rotation, the Command JSON shape, and the table of built-in commands (which reserve their
 * triggers and show up in autocomplete and /help).
 *
 * Used by api/commands.c (on the HTTP worker's read connection, like the incoming-hook
 * management) and by `griot command` (on the CLI's connection). Each write is one statement,
 * atomic on its own; a duplicate trigger racing another creator is caught by the store's
 * unique index (GR_EEXIST).
 */
#include "app/commands.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/integ.h"
#include "core/gtime.h"
#include "core/utf8.h"

/* ---- built-in commands ----------------------------------------------------------------- */

/* What griot answers itself (commands.c), with Mattermost's autocomplete texts. */
static const struct builtin {
    const char *trigger, *display, *desc, *hint;
} builtins[] = {
        {"echo", "echo", "Echo back text from your account", "'message' [delay in seconds]"},
        {"help", "help", "List the slash commands you can use here", ""},
        {"join", "join", "Join the open channel", "~[channel]"},
        {"leave", "leave", "Leave the current channel", ""},
        {"me", "me", "Do an action", "[message]"},
        {"shrug", "shrug", "Adds ¯\\_(ツ)_/¯ to your message", "[message]"},
};

/* Mattermost's other built-in triggers: griot does not answer them (404), but reserves them so
 * a custom command made here keeps working when moved to Mattermost, and the other way round. */
static const char *const reserved[] = {
        "away",   "code",    "collapse",      "dnd",   "expand",    "groupmsg",
        "header", "invite",  "invite_people", "kick",  "logout",    "msg",
        "mute",   "offline", "online",        "open",  "purpose",   "remove",
        "rename", "search",  "settings",      "share", "shortcuts", "status",
};

bool gr_command_trigger_reserved(const char *trigger)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(trigger, builtins[i].trigger) == 0)
            return true;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(trigger, reserved[i]) == 0)
            return true;
    return false;
}

void gr_command_builtins_json(json_t *arr)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        struct gr_command c;

        memset(&c, 0, sizeof c);
        snprintf(c.trigger, sizeof c.trigger, "%s", builtins[i].trigger);
        snprintf(c.display_name, sizeof c.display_name, "%s", builtins[i].display);
        snprintf(c.auto_complete_desc, sizeof c.auto_complete_desc, "%s", builtins[i].desc);
        snprintf(c.auto_complete_hint, sizeof c.auto_complete_hint, "%s", builtins[i].hint);
        c.auto_complete = true;
        json_array_append_new(arr, gr_command_shape(&c, GR_COMMAND_SANITIZED));
    }
}

void gr_command_builtins_help(struct gr_buf *out)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        (void)gr_buf_printf(out, "- `/%s%s%s` - %s\n", builtins[i].trigger,
                            builtins[i].hint[0] ? " " : "", builtins[i].hint, builtins[i].desc);
}

/* ---- JSON ------------------------------------------------------------------------------ */

json_t *gr_command_shape(const struct gr_command *c, enum gr_command_view view)
{
    bool full = view != GR_COMMAND_SANITIZED;
    json_t *o = json_object();

    /* Keys in Mattermost's order (model.Command). */
    json_object_set_new(o, "id", json_string(c->id));
    json_object_set_new(o, "token", json_string(full ? c->token : ""));
    json_object_set_new(o, "create_at", json_integer(c->create_at));
    json_object_set_new(o, "update_at", json_integer(c->update_at));
    json_object_set_new(o, "delete_at", json_integer(c->delete_at));
    json_object_set_new(o, "creator_id", json_string(full ? c->creator_id : ""));
    json_object_set_new(o, "team_id", json_string(c->team_id));
    json_object_set_new(o, "trigger", json_string(c->trigger));
    json_object_set_new(o, "method", json_string(full ? c->method : ""));
    json_object_set_new(o, "username", json_string(full ? c->username : ""));
    json_object_set_new(o, "icon_url", json_string(full ? c->icon_url : ""));
    json_object_set_new(o, "auto_complete", json_boolean(c->auto_complete));
    json_object_set_new(o, "auto_complete_desc", json_string(c->auto_complete_desc));
    json_object_set_new(o, "auto_complete_hint", json_string(c->auto_complete_hint));
    json_object_set_new(o, "display_name", json_string(c->display_name));
    json_object_set_new(o, "description", json_string(c->description));
    json_object_set_new(o, "url", json_string(full ? c->url : ""));
    json_object_set_new(o, "plugin_id", json_string(""));
    if (view == GR_COMMAND_SECRET)
        json_object_set_new(o, "secret", json_string(c->secret));
    return o;
}

static int bad_body(struct gr_apperr *e, const char *name)
{
    return gr_apperr_set(e, 400, "api.context.invalid_body_param.app_error",
                         "Invalid or missing %s in request body.", name);
}

/* A string member into dst[size] when present (null = ""). */
static int take(json_t *o, const char *key, char *dst, size_t size, struct gr_apperr *e)
{
    json_t *v = json_object_get(o, key);

    if (v == NULL)
        return 0;
    if (json_is_null(v)) {
        dst[0] = '\0';
        return 0;
    }
    if (!json_is_string(v) || json_string_length(v) >= size ||
        strlen(json_string_value(v)) != json_string_length(v))
        return bad_body(e, key);
    memcpy(dst, json_string_value(v), json_string_length(v) + 1);
    return 0;
}

int gr_command_from_json(json_t *o, struct gr_command *c, struct gr_apperr *e)
{
    char method[8] = "";
    json_t *ac = json_object_get(o, "auto_complete");

    if (!json_is_object(o))
        return bad_body(e, "command");
    if (take(o, "trigger", c->trigger, sizeof c->trigger, e) ||
        take(o, "url", c->url, sizeof c->url, e) ||
        take(o, "username", c->username, sizeof c->username, e) ||
        take(o, "icon_url", c->icon_url, sizeof c->icon_url, e) ||
        take(o, "auto_complete_desc", c->auto_complete_desc, sizeof c->auto_complete_desc, e) ||
        take(o, "auto_complete_hint", c->auto_complete_hint, sizeof c->auto_complete_hint, e) ||
        take(o, "display_name", c->display_name, sizeof c->display_name, e) ||
        take(o, "description", c->description, sizeof c->description, e))
        return e->status;
    if (json_object_get(o, "method")) {
        if (take(o, "method", method, sizeof method, e))
            return e->status;
        /* Mattermost's "P"/"G"; griot also takes the HTTP names. */
        if (strcasecmp(method, "post") == 0 || strcmp(method, "P") == 0)
            snprintf(c->method, sizeof c->method, "P");
        else if (strcasecmp(method, "get") == 0 || strcmp(method, "G") == 0)
            snprintf(c->method, sizeof c->method, "G");
        else
            c->method[0] = '\0'; /* refused by validate */
    }
    if (ac && !json_is_null(ac)) {
        if (!json_is_boolean(ac))
            return bad_body(e, "auto_complete");
        c->auto_complete = json_is_true(ac);
    }
    return 0;
}

/* ---- validation ------------------------------------------------------------------------ */

/* A Command.IsValid refusal: id is the model.command.is_valid.* id (static). */
static int invalid(struct gr_apperr *e, const char *id, const char *msg)
{
    return gr_apperr_set(e, 400, id, "%s", msg);
}

static bool http_url(const char *u)
{
    const char *rest;

    if (strncasecmp(u, "http://", 7) == 0)
        rest = u + 7;
    else if (strncasecmp(u, "https://", 8) == 0)
        rest = u + 8;
    else
        return false;
    /* A host is needed, and no whitespace or control bytes anywhere. */
    if (*rest == '\0' || *rest == '/' || *rest == '?' || *rest == '#')
        return false;
    for (const char *p = u; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

int gr_command_validate(struct gr_command *c, struct gr_apperr *e)
{
    size_t n = strlen(c->trigger);

    for (size_t i = 0; i < n; i++)
        c->trigger[i] = (char)tolower((unsigned char)c->trigger[i]);
    if (!gr_id_is_valid(c->team_id))
        return invalid(e, "model.command.is_valid.team_id.app_error", "Invalid team ID.");
    if (n < 1 || n > GR_MM_COMMAND_TRIGGER_MAX || c->trigger[0] == '/' ||
        !gr_utf8_valid(c->trigger, n))
        return invalid(e, "model.command.is_valid.trigger.app_error", "Invalid trigger.");
    for (size_t i = 0; i < n; i++)
        if (isspace((unsigned char)c->trigger[i]) || (unsigned char)c->trigger[i] < ' ')
            return invalid(e, "model.command.is_valid.trigger.app_error", "Invalid trigger.");
    if (c->url[0] == '\0' || strlen(c->url) > 1024)
        return invalid(e, "model.command.is_valid.url.app_error", "Invalid URL.");
    if (!http_url(c->url))
        return invalid(e, "model.command.is_valid.url_http.app_error",
                       "Invalid URL. Must be a valid URL and start with http:// or https://.");
    if (strcmp(c->method, "P") != 0 && strcmp(c->method, "G") != 0)
        return invalid(e, "model.command.is_valid.method.app_error", "Invalid Method.");
    if (strlen(c->display_name) > 64)
        return invalid(e, "model.command.is_valid.display_name.app_error", "Invalid title.");
    if (strlen(c->description) > 128)
        return invalid(e, "model.command.is_valid.description.app_error", "Invalid description.");
    if (strlen(c->username) > 64)
        return bad_body(e, "username");
    if (strlen(c->icon_url) > 1024)
        return bad_body(e, "icon_url");
    if (!gr_utf8_valid(c->display_name, strlen(c->display_name)) ||
        !gr_utf8_valid(c->description, strlen(c->description)) ||
        !gr_utf8_valid(c->auto_complete_desc, strlen(c->auto_complete_desc)) ||
        !gr_utf8_valid(c->auto_complete_hint, strlen(c->auto_complete_hint)) ||
        !gr_utf8_valid(c->username, strlen(c->username)))
        return bad_body(e, "command");
    return 0;
}

static int duplicate(struct gr_apperr *e)
{
    return gr_apperr_set(e, 400, "api.command.duplicate_trigger.app_error",
                         "This trigger word is already in use. Please choose another word.");
}

static int store_fail(struct gr_apperr *e, gr_err rc)
{
    return gr_apperr_set(e, 503, "api.context.server_busy.app_error",
                         "The store is not available (%s).", gr_err_str(rc));
}

static int not_found(struct gr_apperr *e)
{
    return gr_apperr_set(e, 404, "store.sql_command.save.get.app_error",
                         "Unable to get the command.");
}

/* ---- create, get, update, delete, tokens, secrets -------------------------------------- */

int gr_command_create(struct gr_store *st, struct gr_command *c, struct gr_apperr *e)
{
    struct gr_command other;
    struct gr_team t;
    gr_err rc;
    int code = gr_command_validate(c, e);

    if (code)
        return code;
    rc = gr_store_team_get(st, c->team_id, &t);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && t.delete_at != 0))
        return gr_apperr_set(e, 404, "app.team.get.find.app_error",
                             "Unable to find the existing team.");
    if (rc != GR_OK)
        return store_fail(e, rc);
    if (!gr_id_is_valid(c->creator_id))
        return invalid(e, "model.command.is_valid.user_id.app_error", "Invalid user id.");
    if (gr_command_trigger_reserved(c->trigger))
        return duplicate(e);
    rc = gr_store_command_get_by_trigger(st, c->team_id, c->trigger, &other);
    if (rc == GR_OK)
        return duplicate(e);
    if (rc != GR_ENOTFOUND)
        return store_fail(e, rc);
    gr_id_new(c->id);
    gr_id_new(c->token);
    gr_integ_secret_new(c->secret);
    c->create_at = c->update_at = gr_time_now_ms();
    c->delete_at = 0;
    rc = gr_store_command_insert(st, c);
    if (rc == GR_EEXIST)
        return duplicate(e);
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

int gr_command_get(struct gr_store *st, const char *id, struct gr_command *out, struct gr_apperr *e)
{
    gr_err rc;

    if (!gr_id_is_valid(id))
        return gr_apperr_set(e, 400, "api.context.invalid_url_param.app_error",
                             "Invalid or missing command_id parameter in request URL.");
    rc = gr_store_command_get(st, id, out);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && out->delete_at != 0))
        return not_found(e);
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

/* Stores c after a change; a trigger taken meanwhile is a duplicate. */
static int save(struct gr_store *st, struct gr_command *c, struct gr_apperr *e)
{
    gr_err rc;

    c->update_at = gr_time_now_ms();
    rc = gr_store_command_update(st, c);
    if (rc == GR_EEXIST)
        return duplicate(e);
    if (rc == GR_ENOTFOUND)
        return not_found(e);
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

int gr_command_update(struct gr_store *st, struct gr_command *c, struct gr_apperr *e)
{
    struct gr_command old, other;
    gr_err rc;
    int code = gr_command_get(st, c->id, &old, e);

    if (code)
        return code;
    /* What the caller cannot change (UpdateCommand). */
    memcpy(c->token, old.token, sizeof c->token);
    memcpy(c->secret, old.secret, sizeof c->secret);
    memcpy(c->creator_id, old.creator_id, sizeof c->creator_id);
    memcpy(c->team_id, old.team_id, sizeof c->team_id);
    c->create_at = old.create_at;
    c->delete_at = old.delete_at;
    if ((code = gr_command_validate(c, e)) != 0)
        return code;
    if (gr_command_trigger_reserved(c->trigger))
        return duplicate(e);
    rc = gr_store_command_get_by_trigger(st, c->team_id, c->trigger, &other);
    if (rc == GR_OK && strcmp(other.id, c->id) != 0)
        return duplicate(e);
    if (rc != GR_OK && rc != GR_ENOTFOUND)
        return store_fail(e, rc);
    return save(st, c, e);
}

int gr_command_delete(struct gr_store *st, const char *id, struct gr_apperr *e)
{
    struct gr_command c;
    gr_err rc;
    int code = gr_command_get(st, id, &c, e);

    if (code)
        return code;
    rc = gr_store_command_delete(st, c.id, gr_time_now_ms());
    if (rc == GR_ENOTFOUND)
        return not_found(e);
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

int gr_command_regen_token(struct gr_store *st, struct gr_command *c, struct gr_apperr *e)
{
    gr_id_new(c->token);
    return save(st, c, e);
}

int gr_command_rotate_secret(struct gr_store *st, struct gr_command *c, struct gr_apperr *e)
{
    gr_integ_secret_new(c->secret);
    return save(st, c, e);
}
