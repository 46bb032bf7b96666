/* SPDX-License-Identifier: MIT */
/*
 * channels.c - reading teams, channels and channel members over REST (spec mattermost-compat
 * §5.4): GET /teams/{id}, /teams/name/{name}, channels by name in a team, /channels/{id},
 * the caller's channels in a team, a channel's members and one member.
 *
 * Visibility follows Mattermost: a team is visible to its members; a public channel to the
 * members of its team (403 otherwise); a private, direct or group channel only to its members,
 * and looking one up by name without membership is the same 404 as a missing name, so names
 * do not leak. Admins see everything.
 */
#include "app/rest_int.h"

#include <string.h>

#include "app/shapes.h"

/* Resolves a team by id or name (400/404) and checks the caller may see it (403). */
static int load_team(struct gr_store *st, const struct gr_user *u, const char *id, const char *name,
                     struct gr_team *t, struct gr_apperr *e)
{
    bool member = false;
    gr_err rc;

    if (id != NULL) {
        if (!gr_id_is_valid(id))
            return gr_rest__bad_url(e, "team_id");
        rc = gr_store_team_get(st, id, t);
        if (rc == GR_ENOTFOUND || (rc == GR_OK && t->delete_at != 0))
            return gr_apperr_set(e, 404, "app.team.get.find.app_error",
                                 "Unable to find the existing team.");
    } else {
        rc = gr_store_team_get_by_name(st, name, t);
        if (rc == GR_ENOTFOUND || (rc == GR_OK && t->delete_at != 0))
            return gr_apperr_set(e, 404, "app.team.get_by_name.missing.app_error",
                                 "Unable to find the existing team.");
    }
    if (rc == GR_OK && !gr_rest__is_admin(u))
        rc = gr_store_team_member_is(st, t->id, u->id, &member);
    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    if (!member && !gr_rest__is_admin(u))
        return gr_rest__forbidden(e);
    return 0;
}

int gr_rest_team_get(const struct gr_rest_ctx *c, const char *id, const char *name, json_t **out,
                     struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct gr_team t;
    int code;

    if (st == NULL)
        return e->status;
    code = load_team(st, c->user, id, name, &t, e);
    if (code)
        return code;
    *out = gr_shape_team(&t);
    return 200;
}

int gr_rest_channel_by_name(const struct gr_rest_ctx *c, const char *team_id, const char *team_name,
                            const char *name, bool include_deleted, json_t **out,
                            struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    enum gr_rest_access acc;
    struct gr_channel ch;
    struct gr_team t;
    gr_err rc;

    if (st == NULL)
        return e->status;
    if (team_id != NULL && !gr_id_is_valid(team_id))
        return gr_rest__bad_url(e, "team_id");
    /* The team must exist; whether the caller belongs to it decides 403 vs 404 below. */
    rc = team_id ? gr_store_team_get(st, team_id, &t)
                 : gr_store_team_get_by_name(st, team_name, &t);
    if (rc == GR_ENOTFOUND)
        return team_id ? gr_apperr_set(e, 404, "app.team.get.find.app_error",
                                       "Unable to find the existing team.")
                       : gr_apperr_set(e, 404, "app.team.get_by_name.missing.app_error",
                                       "Unable to find the existing team.");
    if (rc == GR_OK)
        rc = gr_store_channel_lookup_name(st, t.id, name, include_deleted, &ch);
    if (rc == GR_OK)
        rc = gr_rest__access(st, c->user, &ch, &acc);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && acc == GR_REST_NONE && ch.type != 'O'))
        return gr_apperr_set(e, 404, "app.channel.get_by_name.missing.app_error",
                             "Unable to find the existing channel.");
    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    if (acc == GR_REST_NONE)
        return gr_rest__forbidden(e);
    *out = gr_shape_channel(&ch);
    return 200;
}

int gr_rest_channel_get(const struct gr_rest_ctx *c, const char *id, json_t **out,
                        struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    enum gr_rest_access acc;
    struct gr_channel ch;
    int code;

    if (st == NULL)
        return e->status;
    code = gr_rest__load_channel(st, c->user, id, &ch, &acc, e);
    if (code)
        return code;
    *out = gr_shape_channel(&ch);
    return 200;
}

int gr_rest_my_channels(const struct gr_rest_ctx *c, const char *user_id, const char *team_id,
                        bool include_deleted, json_t **out, struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct gr_channel_list l = {0};
    struct gr_team t;
    json_t *a;
    gr_err rc;
    int code;

    if (st == NULL)
        return e->status;
    if (strcmp(user_id, "me") == 0)
        user_id = c->user->id;
    if (!gr_id_is_valid(user_id))
        return gr_rest__bad_url(e, "user_id");
    if (strcmp(user_id, c->user->id) != 0 && !gr_rest__is_admin(c->user))
        return gr_rest__forbidden(e);
    code = load_team(st, c->user, team_id, NULL, &t, e);
    if (code)
        return code;
    rc = gr_store_user_channels(st, user_id, t.id, include_deleted, &l);
    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    a = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(a, gr_shape_channel(&l.v[i]));
    gr_channel_list_free(&l);
    *out = a;
    return 200;
}

int gr_rest_channel_members(const struct gr_rest_ctx *c, const char *id,
                            const struct gr_rest_paging *pg, json_t **out, struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct gr_channel_member_list l = {0};
    enum gr_rest_access acc;
    struct gr_channel ch;
    json_t *a;
    gr_err rc;
    int code;

    if (st == NULL)
        return e->status;
    code = gr_rest__load_channel(st, c->user, id, &ch, &acc, e);
    if (code)
        return code;
    rc = gr_store_channel_members(st, ch.id, pg->page * pg->per_page, pg->per_page, &l);
    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    a = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(a, gr_shape_channel_member(&l.v[i]));
    gr_channel_member_list_free(&l);
    *out = a;
    return 200;
}

int gr_rest_channel_member_get(const struct gr_rest_ctx *c, const char *id, const char *user_id,
                               json_t **out, struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct gr_channel_member m;
    enum gr_rest_access acc;
    struct gr_channel ch;
    gr_err rc;
    int code;

    if (st == NULL)
        return e->status;
    if (strcmp(user_id, "me") == 0)
        user_id = c->user->id;
    /* Mattermost checks both path ids before the permission, then looks the member up. */
    if (!gr_id_is_valid(id))
        return gr_rest__bad_url(e, "channel_id");
    if (!gr_id_is_valid(user_id))
        return gr_rest__bad_url(e, "user_id");
    code = gr_rest__load_channel(st, c->user, id, &ch, &acc, e);
    if (code)
        return code;
    rc = gr_store_channel_member_get(st, ch.id, user_id, &m);
    if (rc == GR_ENOTFOUND)
        return gr_apperr_set(e, 404, "app.channel.get_member.missing.app_error",
                             "No channel member found for that user ID and channel ID.");
    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    *out = gr_shape_channel_member(&m);
    return 200;
}
