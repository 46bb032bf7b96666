/* SPDX-License-Identifier: MIT */
/* shapes.c - see shapes.h. Key sets follow the Go structs' JSON tags; zero values are written
 * unless the Go field is omitempty. */
#include "app/shapes.h"

#include <string.h>

#include "app/hook_config.h"
#include "mm/actions.h"

static void set_str(json_t *o, const char *k, const char *v)
{
    json_t *s = json_string(v ? v : "");
    /* Stored strings are valid UTF-8; if one is not, write "" rather than drop the key. */
    json_object_set_new(o, k, s ? s : json_string(""));
}

static void set_int(json_t *o, const char *k, long long v)
{
    json_object_set_new(o, k, json_integer(v));
}

json_t *gr_shape_post(const struct gr_post *p)
{
    json_t *o = json_object();
    json_t *props = p->props ? json_loads(p->props, 0, NULL) : NULL;

    set_str(o, "id", p->id);
    set_int(o, "create_at", p->create_at);
    set_int(o, "update_at", p->update_at);
    set_int(o, "edit_at", p->edit_at);
    set_int(o, "delete_at", p->delete_at);
    json_object_set_new(o, "is_pinned", json_boolean(p->is_pinned));
    set_str(o, "user_id", p->user_id);
    set_str(o, "channel_id", p->channel_id);
    set_str(o, "root_id", p->root_id);
    set_str(o, "original_id", "");
    set_str(o, "message", p->message);
    set_str(o, "type", p->type);
    /* Clients never see an action's integration (url, context): spec §4.1. This shape is for
     * clients only; the store keeps the full props. */
    gr_mm_actions_strip(props);
    json_object_set_new(o, "props", json_is_object(props) ? props : json_object());
    if (props && !json_is_object(props))
        json_decref(props);
    set_str(o, "hashtags", "");
    set_str(o, "pending_post_id", p->pending_post_id);
    set_int(o, "reply_count", 0);
    set_int(o, "last_reply_at", 0);
    json_object_set_new(o, "participants", json_null());
    json_object_set_new(o, "metadata", json_object());
    return o;
}

json_t *gr_shape_post_list(const struct gr_post_list *l)
{
    json_t *o = json_object(), *order = json_array(), *posts = json_object();

    for (size_t i = 0; i < l->n; i++) {
        json_array_append_new(order, json_string(l->v[i].id));
        json_object_set_new(posts, l->v[i].id, gr_shape_post(&l->v[i]));
    }
    json_object_set_new(o, "order", order);
    json_object_set_new(o, "posts", posts);
    set_str(o, "next_post_id", "");
    set_str(o, "prev_post_id", "");
    json_object_set_new(o, "has_next", json_false());
    set_int(o, "first_inaccessible_post_time", 0);
    return o;
}

json_t *gr_shape_channel(const struct gr_channel *c)
{
    json_t *o = json_object();
    char type[2] = {c->type, '\0'};

    set_str(o, "id", c->id);
    set_int(o, "create_at", c->create_at);
    set_int(o, "update_at", c->update_at);
    set_int(o, "delete_at", c->delete_at);
    set_str(o, "team_id", c->team_id);
    set_str(o, "type", type);
    set_str(o, "display_name", c->display_name);
    set_str(o, "name", c->name);
    set_str(o, "header", c->header);
    set_str(o, "purpose", c->purpose);
    set_int(o, "last_post_at", c->last_post_at);
    set_int(o, "total_msg_count", c->total_msg_count);
    set_int(o, "extra_update_at", 0);
    set_str(o, "creator_id", c->creator_id);
    json_object_set_new(o, "scheme_id", json_null());
    json_object_set_new(o, "props", json_null());
    json_object_set_new(o, "group_constrained", json_null());
    json_object_set_new(o, "shared", json_null());
    set_int(o, "total_msg_count_root", c->total_msg_count);
    json_object_set_new(o, "policy_id", json_null());
    set_int(o, "last_root_post_at", c->last_post_at);
    return o;
}

json_t *gr_shape_team(const struct gr_team *t)
{
    json_t *o = json_object();
    char type[2] = {t->type ? t->type : 'O', '\0'};

    set_str(o, "id", t->id);
    set_int(o, "create_at", t->create_at);
    set_int(o, "update_at", t->update_at);
    set_int(o, "delete_at", t->delete_at);
    set_str(o, "display_name", t->display_name);
    set_str(o, "name", t->name);
    set_str(o, "description", "");
    set_str(o, "email", "");
    set_str(o, "type", type);
    set_str(o, "company_name", "");
    set_str(o, "allowed_domains", "");
    set_str(o, "invite_id", "");
    json_object_set_new(o, "allow_open_invite", json_false());
    json_object_set_new(o, "scheme_id", json_null());
    json_object_set_new(o, "group_constrained", json_null());
    json_object_set_new(o, "policy_id", json_null());
    json_object_set_new(o, "cloud_limits_archived", json_false());
    return o;
}

json_t *gr_shape_user(const struct gr_user *u)
{
    json_t *o = json_object(), *tz = json_object();

    set_str(o, "id", u->id);
    set_int(o, "create_at", u->create_at);
    set_int(o, "update_at", u->update_at);
    set_int(o, "delete_at", u->delete_at);
    set_str(o, "username", u->username);
    set_str(o, "auth_service", "");
    set_str(o, "email", u->email);
    set_str(o, "nickname", u->nickname);
    set_str(o, "first_name", u->first_name);
    set_str(o, "last_name", u->last_name);
    set_str(o, "position", u->position);
    set_str(o, "roles", u->roles);
    if (u->last_password_update)
        set_int(o, "last_password_update", u->last_password_update);
    set_str(o, "locale", u->locale[0] ? u->locale : "en");
    set_str(tz, "useAutomaticTimezone", "true");
    set_str(tz, "automaticTimezone", "");
    set_str(tz, "manualTimezone", "");
    json_object_set_new(o, "timezone", tz);
    if (u->is_bot)
        json_object_set_new(o, "is_bot", json_true());
    if (u->is_bot && u->bot_description[0])
        set_str(o, "bot_description", u->bot_description);
    json_object_set_new(o, "disable_welcome_email", json_false());
    return o;
}

json_t *gr_shape_hook(const struct gr_hook *h)
{
    json_t *o = json_object();

    set_str(o, "id", h->id);
    set_int(o, "create_at", h->create_at);
    set_int(o, "update_at", h->update_at);
    set_int(o, "delete_at", h->delete_at);
    set_str(o, "user_id", h->user_id);
    set_str(o, "channel_id", h->channel_id);
    set_str(o, "team_id", h->team_id);
    set_str(o, "display_name", h->display_name);
    set_str(o, "description", h->description);
    set_str(o, "username", h->username);
    set_str(o, "icon_url", h->icon_url);
    json_object_set_new(o, "channel_locked", json_boolean(h->channel_locked));
    /* griot extensions; -1 means "server default". */
    if (h->rate >= 0)
        json_object_set_new(o, "rate", json_real(h->rate));
    if (h->burst >= 0)
        set_int(o, "burst", h->burst);
    if (h->over_limit >= 0)
        set_str(o, "over_limit", h->over_limit == GR_OVER_LIMIT_REJECT ? "reject" : "queue");
    set_str(o, "source", h->source[0] ? h->source : "mattermost");
    /* Secrets and credentials are write-only: shown as "********". */
    json_object_set_new(o, "source_config", gr_hook_config_public(h->source_config));
    return o;
}
