/* SPDX-License-Identifier: MIT */
/* shapes_rest.c - see shapes.h: the JSON shapes of the REST surface's posts pages, reactions
 * and channel members (spec mattermost-compat §5.6, §5.7). Key sets follow the Go structs. */
#include "app/shapes.h"

#include <string.h>

static void set_str(json_t *o, const char *k, const char *v)
{
    json_t *s = json_string(v ? v : "");
    json_object_set_new(o, k, s ? s : json_string(""));
}

void gr_shape_post_add_meta(json_t *post, const struct gr_post_meta *m)
{
    json_t *md, *rs;

    if (post == NULL || m == NULL)
        return;
    json_object_set_new(post, "reply_count", json_integer(m->reply_count));
    if (m->nreactions == 0)
        return;
    json_object_set_new(post, "has_reactions", json_true());
    md = json_object_get(post, "metadata");
    if (!json_is_object(md)) {
        md = json_object();
        json_object_set_new(post, "metadata", md);
    }
    rs = json_array();
    for (size_t i = 0; i < m->nreactions; i++)
        json_array_append_new(rs, gr_shape_reaction(&m->reactions[i]));
    json_object_set_new(md, "reactions", rs);
}

json_t *gr_shape_post_page(const struct gr_post_page *page, const struct gr_post_list *extra,
                           const struct gr_post_meta_list *meta)
{
    json_t *o = gr_shape_post_list(&page->list);
    json_t *posts = json_object_get(o, "posts");

    for (size_t i = 0; extra && i < extra->n; i++)
        if (json_object_get(posts, extra->v[i].id) == NULL)
            json_object_set_new(posts, extra->v[i].id, gr_shape_post(&extra->v[i]));
    for (void *it = json_object_iter(posts); it; it = json_object_iter_next(posts, it))
        gr_shape_post_add_meta(json_object_iter_value(it),
                               gr_post_meta_find(meta, json_object_iter_key(it)));
    set_str(o, "next_post_id", page->next_post_id);
    set_str(o, "prev_post_id", page->prev_post_id);
    return o;
}

json_t *gr_shape_reaction(const struct gr_reaction *r)
{
    json_t *o = json_object();

    set_str(o, "user_id", r->user_id);
    set_str(o, "post_id", r->post_id);
    set_str(o, "emoji_name", r->emoji_name);
    json_object_set_new(o, "create_at", json_integer(r->create_at));
    json_object_set_new(o, "update_at", json_integer(r->create_at));
    json_object_set_new(o, "delete_at", json_integer(0));
    set_str(o, "remote_id", "");
    set_str(o, "channel_id", r->channel_id);
    return o;
}

json_t *gr_shape_channel_member(const struct gr_channel_member *m)
{
    json_t *o = json_object(), *np = json_object();

    set_str(o, "channel_id", m->channel_id);
    set_str(o, "user_id", m->user_id);
    set_str(o, "roles", m->roles[0] ? m->roles : "channel_user");
    json_object_set_new(o, "last_viewed_at", json_integer(0));
    json_object_set_new(o, "msg_count", json_integer(0));
    json_object_set_new(o, "mention_count", json_integer(0));
    json_object_set_new(o, "mention_count_root", json_integer(0));
    json_object_set_new(o, "msg_count_root", json_integer(0));
    set_str(np, "desktop", "default");
    set_str(np, "email", "default");
    set_str(np, "ignore_channel_mentions", "default");
    set_str(np, "mark_unread", "all");
    set_str(np, "push", "default");
    json_object_set_new(o, "notify_props", np);
    json_object_set_new(o, "last_update_at", json_integer(m->create_at));
    json_object_set_new(o, "scheme_guest", json_false());
    json_object_set_new(o, "scheme_user", json_true());
    json_object_set_new(o, "scheme_admin", json_boolean(strstr(m->roles, "channel_admin") != NULL));
    set_str(o, "explicit_roles", "");
    return o;
}
