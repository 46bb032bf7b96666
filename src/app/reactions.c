/* SPDX-License-Identifier: MIT */
/*
 * reactions.c - emoji reactions and typing over REST (spec mattermost-compat §5.4):
 * POST /reactions, GET /posts/{id}/reactions, DELETE /users/{u}/posts/{p}/reactions/{emoji},
 * POST /users/{u}/typing.
 *
 * Reactions are writer jobs that publish reaction_added / reaction_removed after the commit.
 * Typing stores nothing: it goes on the bus at once, from the HTTP thread (bus.h). Reacting
 * needs the same access as posting (a member, or a team member in a public channel).
 */
#include "app/rest_int.h"

#include <stdio.h>
#include <string.h>

#include "app/shapes.h"
#include "core/gtime.h"

struct reaction_job {
    struct gr_rest_job base; /* first */
    struct gr_reaction r;
    bool remove;
};

/* Mattermost's emoji name rule: 1-64 of a-z A-Z 0-9 - + _. */
static bool emoji_valid(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '+' || ch == '_'))
            return false;
    }
    return true;
}

static json_t *reaction_data(const struct gr_reaction *r)
{
    json_t *d = json_object(), *shape = gr_shape_reaction(r);

    json_object_set_new(d, "reaction", gr_rest__json_string_of(shape));
    json_decref(shape);
    return d;
}

static gr_err reaction_run(struct gr_store *st, struct gr_rest_job *j)
{
    struct reaction_job *rj = (struct reaction_job *)j;
    struct gr_post p = {0};
    gr_err rc;

    rc = gr_store_post_get(st, rj->r.post_id, &p);
    if (rc == GR_OK && p.delete_at != 0)
        rc = GR_ENOTFOUND;
    gr_post_cleanup(&p);
    if (rc == GR_ENOTFOUND)
        return gr_rest__refuse(j, 404, "app.post.get.app_error", "Unable to get the post.");
    if (rc != GR_OK)
        return rc;
    if (rj->remove) {
        int64_t now = gr_time_now_ms();
        rc = gr_store_reaction_delete(st, rj->r.post_id, rj->r.user_id, rj->r.emoji_name, now);
        /* Removing a reaction that is not there is not an error in Mattermost either. */
        if (rc == GR_ENOTFOUND)
            return GR_OK;
        if (rc == GR_OK)
            gr_rest__event(j, "reaction_removed", rj->r.channel_id, NULL, NULL,
                           reaction_data(&rj->r));
        return rc;
    }
    rc = gr_store_reaction_put(st, &rj->r);
    if (rc != GR_OK)
        return rc;
    gr_rest__event(j, "reaction_added", rj->r.channel_id, NULL, NULL, reaction_data(&rj->r));
    j->resp = gr_shape_reaction(&rj->r);
    return GR_OK;
}

/* The post must be live and the caller able to react in its channel. */
static int check_post(struct gr_store *st, const struct gr_rest_ctx *c, const char *post_id,
                      char channel_id_out[GR_ID_SIZE], struct gr_apperr *e)
{
    struct gr_post p = {0};
    struct gr_channel ch;
    enum gr_rest_access acc;
    gr_err rc;
    int code;

    code = gr_rest__load_post(st, c->user, post_id, &p, &ch, e);
    if (code)
        return code;
    gr_post_cleanup(&p);
    rc = gr_rest__access(st, c->user, &ch, &acc);
    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    if (acc != GR_REST_MEMBER && acc != GR_REST_JOIN)
        return gr_rest__forbidden(e);
    memcpy(channel_id_out, ch.id, GR_ID_SIZE);
    return 0;
}

/* Reads a reaction body (rest_int.h). */
int gr_rest__reaction_fields(json_t *body, const char **user_id, const char **post_id,
                             const char **emoji_name, struct gr_apperr *e)
{
    *user_id = *post_id = *emoji_name = "";
    if (!json_is_object(body))
        return gr_rest__bad_body(e, "reaction");
    if (!gr_rest__opt_str(body, "user_id", user_id) ||
        !gr_rest__opt_str(body, "post_id", post_id) ||
        !gr_rest__opt_str(body, "emoji_name", emoji_name) || !(*user_id)[0] ||
        !gr_id_is_valid(*post_id) || !emoji_valid(*emoji_name))
        return gr_apperr_set(e, 400, "api.reaction.save_reaction.invalid.app_error",
                             "Reaction is not valid.");
    return 0;
}

int gr_rest_reaction_add(const struct gr_rest_ctx *c, json_t *body, json_t **out,
                         struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    const char *uid = "", *pid = "", *emoji = "";
    struct reaction_job *rj;
    int code;

    (void)out;
    if (st == NULL)
        return e->status;
    /* Mattermost's order: shape (400), then the user (403), then the post's channel. */
    code = gr_rest__reaction_fields(body, &uid, &pid, &emoji, e);
    if (code)
        return code;
    if (strcmp(uid, c->user->id) != 0)
        return gr_apperr_set(e, 403, "api.reaction.save_reaction.user_id.app_error",
                             "You can not save reaction for the other user.");
    rj = gr_rest__job_new(c, sizeof *rj, reaction_run, 200);
    code = check_post(st, c, pid, rj->r.channel_id, e);
    if (code) {
        gr_rest__job_free(&rj->base);
        return code;
    }
    memcpy(rj->r.user_id, c->user->id, GR_ID_SIZE);
    snprintf(rj->r.post_id, sizeof rj->r.post_id, "%s", pid);
    snprintf(rj->r.emoji_name, sizeof rj->r.emoji_name, "%s", emoji);
    rj->r.create_at = gr_time_now_ms();
    return gr_rest__submit(&rj->base, e);
}

int gr_rest_reaction_remove(const struct gr_rest_ctx *c, const char *user_id, const char *post_id,
                            const char *emoji_name, json_t **out, struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct reaction_job *rj;
    int code;

    (void)out;
    if (st == NULL)
        return e->status;
    if (!gr_id_is_valid(user_id))
        return gr_rest__bad_url(e, "user_id");
    if (!gr_id_is_valid(post_id))
        return gr_rest__bad_url(e, "post_id");
    if (!emoji_valid(emoji_name))
        return gr_rest__bad_url(e, "emoji_name");
    /* Removing someone else's reaction needs remove_others_reactions: admins only. */
    if (strcmp(user_id, c->user->id) != 0 && !gr_rest__is_admin(c->user))
        return gr_rest__forbidden(e);
    rj = gr_rest__job_new(c, sizeof *rj, reaction_run, 200);
    rj->remove = true;
    code = check_post(st, c, post_id, rj->r.channel_id, e);
    if (code) {
        gr_rest__job_free(&rj->base);
        return code;
    }
    snprintf(rj->r.user_id, sizeof rj->r.user_id, "%s", user_id);
    snprintf(rj->r.post_id, sizeof rj->r.post_id, "%s", post_id);
    snprintf(rj->r.emoji_name, sizeof rj->r.emoji_name, "%s", emoji_name);
    rj->r.create_at = gr_time_now_ms();
    return gr_rest__submit(&rj->base, e);
}

int gr_rest_reactions_list(const struct gr_rest_ctx *c, const char *post_id, json_t **out,
                           struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct gr_reaction_list l = {0};
    struct gr_channel ch;
    struct gr_post p = {0};
    json_t *a;
    gr_err rc;
    int code;

    if (st == NULL)
        return e->status;
    code = gr_rest__load_post(st, c->user, post_id, &p, &ch, e);
    if (code)
        return code;
    gr_post_cleanup(&p);
    rc = gr_store_reaction_list(st, post_id, &l);
    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    a = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(a, gr_shape_reaction(&l.v[i]));
    gr_reaction_list_free(&l);
    *out = a;
    return 200;
}

int gr_rest_typing(const struct gr_rest_ctx *c, const char *user_id, json_t *body, json_t **out,
                   struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    const char *cid = NULL, *parent = "";
    struct gr_channel ch;
    enum gr_rest_access acc;
    struct gr_bus_event ev;
    int code;

    if (st == NULL)
        return e->status;
    if (strcmp(user_id, "me") == 0)
        user_id = c->user->id;
    if (!gr_id_is_valid(user_id))
        return gr_rest__bad_url(e, "user_id");
    if (strcmp(user_id, c->user->id) != 0 && !gr_rest__is_admin(c->user))
        return gr_rest__forbidden(e);
    if (!json_is_object(body))
        return gr_rest__bad_body(e, "typing");
    if (!gr_rest__opt_str(body, "channel_id", &cid) || cid == NULL || !gr_id_is_valid(cid))
        return gr_rest__bad_body(e, "channel_id");
    if (!gr_rest__opt_str(body, "parent_id", &parent) || (parent[0] && !gr_id_is_valid(parent)))
        return gr_rest__bad_body(e, "parent_id");
    code = gr_rest__load_channel(st, c->user, cid, &ch, &acc, e);
    if (code == 0 && acc != GR_REST_MEMBER)
        code = gr_rest__forbidden(e);
    if (code)
        return code;
    ev = (struct gr_bus_event){
            .event = "typing",
            .channel_id = ch.id,
            .team_id = "",
            .user_id = "",
            .omit_user_id = user_id,
            .data = json_pack("{s:s, s:s}", "parent_id", parent, "user_id", user_id),
    };
    gr_bus_publish_event(c->app->bus, &ev);
    json_decref(ev.data);
    *out = gr_rest_status_ok();
    return 200;
}
