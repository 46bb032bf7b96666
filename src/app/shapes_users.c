/* SPDX-License-Identifier: MIT */
/*
 * shapes_users.c - see shapes.h: what users look like to other users, and the JSON shapes of
 * bots and personal access tokens (spec mattermost-compat §5.2, §5.3, §5.7).
 *
 * Nothing here ever sees a password hash or a token's secret except the one `secret` argument of
 * gr_shape_access_token, which the caller passes only in the answer to the creating request.
 */
#include "app/shapes.h"

#include <string.h>

static void set_str(json_t *o, const char *k, const char *v)
{
    json_t *s = json_string(v ? v : "");
    json_object_set_new(o, k, s ? s : json_string(""));
}

json_t *gr_shape_user_for(const struct gr_user *viewer, const struct gr_user *u)
{
    json_t *o = gr_shape_user(u);

    if (viewer != NULL &&
        (strcmp(viewer->id, u->id) == 0 || strstr(viewer->roles, "system_admin") != NULL))
        return o;
    /* Mattermost's SanitizeProfile: others never see the email (the key stays, empty) nor the
     * password-change time. */
    set_str(o, "email", "");
    json_object_del(o, "last_password_update");
    return o;
}

json_t *gr_shape_bot(const struct gr_user *bot)
{
    json_t *o = json_object();

    set_str(o, "user_id", bot->id);
    set_str(o, "username", bot->username);
    if (bot->first_name[0])
        set_str(o, "display_name", bot->first_name);
    if (bot->bot_description[0])
        set_str(o, "description", bot->bot_description);
    set_str(o, "owner_id", bot->bot_owner_id);
    json_object_set_new(o, "create_at", json_integer(bot->create_at));
    json_object_set_new(o, "update_at", json_integer(bot->update_at));
    json_object_set_new(o, "delete_at", json_integer(bot->delete_at));
    return o;
}

json_t *gr_shape_access_token(const struct gr_token *t, const char *secret)
{
    json_t *o = json_object();

    set_str(o, "id", t->id);
    if (secret != NULL)
        set_str(o, "token", secret);
    set_str(o, "user_id", t->user_id);
    set_str(o, "description", t->description);
    json_object_set_new(o, "is_active", json_boolean(t->is_active));
    json_object_set_new(o, "expires_at", json_integer(t->expires_at));
    return o;
}
