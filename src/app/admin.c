/* SPDX-License-Identifier: MIT */
/* admin.c - see admin.h. */
#include "app/admin.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/auth.h"
#include "core/gtime.h"
#include "core/hash.h"
#include "core/id.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "mm/names.h"

static int store_fail(struct gr_apperr *e, gr_err rc)
{
    return gr_apperr_set(e, 500, "app.store.app_error", "The store failed: %s.", gr_err_str(rc));
}

static bool runes_le(const char *s, size_t max)
{
    return gr_utf8_count(s, strlen(s)) <= max;
}

int gr_admin_team_create(struct gr_store *st, const char *name, const char *display,
                         struct gr_team *out, struct gr_apperr *e)
{
    struct gr_team t;
    gr_err rc;

    memset(&t, 0, sizeof t);
    if (!gr_mm_team_name_valid(name))
        return gr_apperr_set(e, 400, "model.team.is_valid.name.app_error",
                             "Invalid team name '%s': use 2-64 lowercase letters, digits and "
                             "'-', starting and ending with a letter or digit, not starting with "
                             "a reserved word.",
                             name);
    if (display == NULL || display[0] == '\0')
        display = name;
    if (!runes_le(display, 64) || strlen(display) >= sizeof t.display_name)
        return gr_apperr_set(e, 400, "model.team.is_valid.display_name.app_error",
                             "Invalid team display name: at most 64 characters.");
    gr_id_new(t.id);
    snprintf(t.name, sizeof t.name, "%s", name);
    snprintf(t.display_name, sizeof t.display_name, "%s", display);
    t.type = 'O';
    t.create_at = t.update_at = gr_time_now_ms();
    rc = gr_store_team_insert(st, &t);
    if (rc == GR_EEXIST)
        return gr_apperr_set(e, 400, "store.sql_team.save_team.existing.app_error",
                             "A team named '%s' already exists.", name);
    if (rc != GR_OK)
        return store_fail(e, rc);
    if (out)
        *out = t;
    return 0;
}

int gr_admin_team_find(struct gr_store *st, const char *name, struct gr_team *out,
                       struct gr_apperr *e)
{
    gr_err rc = gr_store_team_get_by_name(st, name, out);
    if (rc == GR_ENOTFOUND)
        return gr_apperr_set(e, 404, "app.team.get_by_name.missing.app_error",
                             "Unable to find the team '%s'.", name);
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

int gr_admin_channel_create(struct gr_store *st, const char *team_id, const char *name,
                            const char *display, bool is_private, const char *creator_id,
                            struct gr_channel *out, struct gr_apperr *e)
{
    struct gr_channel c;
    gr_err rc;

    memset(&c, 0, sizeof c);
    if (!gr_mm_channel_name_valid(name))
        return gr_apperr_set(e, 400, "model.channel.is_valid.name.app_error",
                             "Invalid channel name '%s': use 1-64 lowercase letters, digits, "
                             "'-' and '_', starting with a letter or digit.",
                             name);
    if (display == NULL || display[0] == '\0')
        display = name;
    if (!runes_le(display, 64) || strlen(display) >= sizeof c.display_name)
        return gr_apperr_set(e, 400, "model.channel.is_valid.display_name.app_error",
                             "Invalid channel display name: at most 64 characters.");
    gr_id_new(c.id);
    snprintf(c.team_id, sizeof c.team_id, "%s", team_id);
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.display_name, sizeof c.display_name, "%s", display);
    snprintf(c.creator_id, sizeof c.creator_id, "%s", creator_id ? creator_id : "");
    c.type = is_private ? 'P' : 'O';
    c.create_at = c.update_at = gr_time_now_ms();
    rc = gr_store_channel_insert(st, &c);
    if (rc == GR_EEXIST)
        return gr_apperr_set(e, 400, "store.sql_channel.save_channel.exists.app_error",
                             "A channel named '%s' already exists in this team.", name);
    if (rc == GR_OK && creator_id && creator_id[0])
        rc = gr_store_channel_member_add(st, c.id, creator_id);
    if (rc != GR_OK)
        return store_fail(e, rc);
    if (out)
        *out = c;
    return 0;
}

int gr_admin_channel_find(struct gr_store *st, const char *team_id, const char *name,
                          struct gr_channel *out, struct gr_apperr *e)
{
    gr_err rc = gr_store_channel_get_by_name(st, team_id, name, out);
    if (rc == GR_ENOTFOUND)
        return gr_apperr_set(e, 404, "app.channel.get_by_name.missing.app_error",
                             "Unable to find the channel '%s'.", name);
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

int gr_admin_user_create(struct gr_store *st, const char *username, const char *email,
                         bool is_admin, bool is_bot, struct gr_user *out, struct gr_apperr *e)
{
    struct gr_user u;
    struct gr_team team;
    struct gr_channel_list chans = {0};
    gr_err rc;
    size_t i;

    memset(&u, 0, sizeof u);
    for (i = 0; username[i] && i < sizeof u.username - 1; i++)
        u.username[i] = (char)tolower((unsigned char)username[i]);
    if (username[i] || !gr_mm_username_valid(u.username))
        return gr_apperr_set(e, 400, "model.user.is_valid.username.app_error",
                             "Invalid username '%s': use 1-64 lowercase letters, digits, '.', "
                             "'-' and '_'; all, channel, here, matterbot and system are reserved.",
                             username);
    gr_id_new(u.id);
    snprintf(u.email, sizeof u.email, "%s", email ? email : "");
    snprintf(u.roles, sizeof u.roles, "%s", is_admin ? "system_admin system_user" : "system_user");
    u.is_bot = is_bot;
    u.create_at = u.update_at = gr_time_now_ms();
    rc = gr_store_user_insert(st, &u);
    if (rc == GR_EEXIST)
        return gr_apperr_set(e, 400, "app.user.save.username_exists.app_error",
                             "A user named '%s' already exists.", u.username);
    if (rc != GR_OK)
        return store_fail(e, rc);
    /* Join the default team and its public channels, like a new Mattermost member. */
    rc = gr_store_team_get_by_name(st, GR_DEFAULT_TEAM, &team);
    if (rc == GR_OK) {
        rc = gr_store_team_member_add(st, team.id, u.id);
        if (rc == GR_OK)
            rc = gr_store_channel_list(st, team.id, &chans);
        for (i = 0; rc == GR_OK && i < chans.n; i++)
            if (chans.v[i].type == 'O')
                rc = gr_store_channel_member_add(st, chans.v[i].id, u.id);
        gr_channel_list_free(&chans);
    } else if (rc == GR_ENOTFOUND) {
        rc = GR_OK;
    }
    if (rc != GR_OK)
        return store_fail(e, rc);
    if (out)
        *out = u;
    return 0;
}

int gr_admin_token_create(struct gr_store *st, const char *user_id, const char *description,
                          char token_out[GR_ID_SIZE], struct gr_apperr *e)
{
    struct gr_token t;
    char secret[GR_ID_SIZE];
    gr_err rc;

    memset(&t, 0, sizeof t);
    gr_id_new(t.id);
    gr_id_new(secret);
    gr_sha256_hex(secret, GR_ID_LEN, t.hash);
    snprintf(t.user_id, sizeof t.user_id, "%s", user_id);
    snprintf(t.description, sizeof t.description, "%s", description ? description : "");
    t.is_active = true;
    t.create_at = gr_time_now_ms();
    rc = gr_store_token_insert(st, &t);
    if (rc != GR_OK)
        return store_fail(e, rc);
    memcpy(token_out, secret, GR_ID_SIZE);
    explicit_bzero(secret, sizeof secret);
    return 0;
}

int gr_admin_auth(struct gr_store *st, const char *token, struct gr_user *out,
                  struct gr_apperr *e)
{
    struct gr_auth_options o;
    struct gr_auth_session *s = gr_xmalloc(sizeof *s); /* ~6 KB: off the caller's stack */
    int code;

    gr_auth_options_default(&o);
    code = gr_auth_authenticate(st, &o, token, gr_time_now_ms(), s, e);
    if (code == 0)
        *out = s->user;
    free(s);
    return code;
}

int gr_admin_hook_validate(const struct gr_hook *h, struct gr_apperr *e)
{
    if (!runes_le(h->display_name, 64))
        return gr_apperr_set(e, 400, "model.incoming_hook.display_name.app_error",
                             "Invalid title: at most 64 characters.");
    if (!runes_le(h->description, 500))
        return gr_apperr_set(e, 400, "model.incoming_hook.description.app_error",
                             "Invalid description: at most 500 characters.");
    if (h->username[0] && !gr_mm_username_valid(h->username))
        return gr_apperr_set(e, 400, "api.incoming_webhook.invalid_username.app_error",
                             "Invalid username '%s': use 1-64 lowercase letters, digits, '.', "
                             "'-' and '_'.",
                             h->username);
    if (!runes_le(h->icon_url, 1024))
        return gr_apperr_set(e, 400, "model.incoming_hook.icon_url.app_error",
                             "Invalid icon URL: at most 1024 characters.");
    if (h->rate < 0 && h->rate != -1)
        return gr_apperr_set(e, 400, "api.context.invalid_param.app_error",
                             "Invalid rate: use 0 (no limit) or a positive number.");
    return 0;
}

int gr_admin_hook_create(struct gr_store *st, struct gr_hook *h, struct gr_apperr *e)
{
    int st_code = gr_admin_hook_validate(h, e);
    gr_err rc;

    if (st_code)
        return st_code;
    gr_id_new(h->id);
    h->create_at = h->update_at = gr_time_now_ms();
    h->delete_at = 0;
    rc = gr_store_hook_insert(st, h);
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

int gr_admin_bootstrap(struct gr_store *st, struct gr_bootstrap *out, struct gr_apperr *e)
{
    struct gr_team team;
    struct gr_channel ts, ot;
    struct gr_user admin;
    struct gr_hook h;
    bool empty = false;
    int code = 0;
    gr_err rc;

    memset(out, 0, sizeof *out);
    rc = gr_store_begin(st);
    if (rc == GR_OK)
        rc = gr_store_is_empty(st, &empty);
    if (rc != GR_OK) {
        gr_store_rollback(st);
        return store_fail(e, rc);
    }
    if (!empty) {
        gr_store_rollback(st);
        return 0;
    }
    code = gr_admin_team_create(st, GR_DEFAULT_TEAM, "Main", &team, e);
    if (!code)
        code = gr_admin_channel_create(st, team.id, "town-square", "Town Square", false, "", &ts,
                                       e);
    if (!code)
        code = gr_admin_channel_create(st, team.id, "off-topic", "Off-Topic", false, "", &ot, e);
    if (!code)
        code = gr_admin_user_create(st, "admin", "", true, false, &admin, e);
    if (!code)
        code = gr_admin_token_create(st, admin.id, "admin token (bootstrap)", out->admin_token,
                                     e);
    if (!code) {
        memset(&h, 0, sizeof h);
        snprintf(h.user_id, sizeof h.user_id, "%s", admin.id);
        snprintf(h.channel_id, sizeof h.channel_id, "%s", ts.id);
        snprintf(h.team_id, sizeof h.team_id, "%s", team.id);
        snprintf(h.display_name, sizeof h.display_name, "%s", "Default hook");
        h.rate = -1;
        h.burst = -1;
        h.over_limit = -1;
        code = gr_admin_hook_create(st, &h, e);
    }
    if (code) {
        gr_store_rollback(st);
        return code;
    }
    rc = gr_store_commit(st);
    if (rc != GR_OK) {
        gr_store_rollback(st);
        return store_fail(e, rc);
    }
    out->created = true;
    memcpy(out->hook_id, h.id, GR_ID_SIZE);
    return 0;
}
