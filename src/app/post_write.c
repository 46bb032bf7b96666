/* SPDX-License-Identifier: MIT */
/*
 * post_write.c - creating, editing and deleting posts over REST (spec mattermost-compat §5.5,
 * §5.4): POST /posts, PUT /posts/{id}, PUT /posts/{id}/patch, DELETE /posts/{id}.
 *
 * Each request is checked in Mattermost's order on the read connection, then becomes one
 * writer job (rest_int.h). The job re-reads what it depends on inside the transaction (the
 * root of a reply, the post being edited, an earlier post with the same pending_post_id), so a
 * race with another writer resolves to a clean refusal or the de-duplicated answer, never to a
 * half-done change. New posts reach the bus as `posted`; edits and deletes as `post_edited` and
 * `post_deleted`, all after the commit.
 */
#include "app/rest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/shapes.h"
#include "core/gtime.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "mm/actions.h"
#include "mm/incoming.h"

#define PENDING_WINDOW_MS 30000 /* Mattermost keeps pending_post_id for ~30 s */

struct post_job {
    struct gr_rest_job base;       /* first */
    struct gr_post post;           /* the post to insert, or the edited post */
    char join_team_id[GR_ID_SIZE]; /* create: non-empty = join the public channel first */
    bool message_changed;          /* edit: set edit_at */
    bool is_delete;
    char actor_id[GR_ID_SIZE];
};

static void post_job_cleanup(struct gr_rest_job *j)
{
    gr_post_cleanup(&((struct post_job *)j)->post);
}

static bool username_of(void *ud, const char *user_id, char *out, size_t size)
{
    struct gr_user u;

    if (!gr_id_is_valid(user_id) || gr_store_user_get(ud, user_id, &u) != GR_OK)
        return false;
    snprintf(out, size, "%s", u.username);
    return true;
}

/* Checks a message: at most 16383 runes (Mattermost refuses, it does not split here). */
static int check_message(const char *msg, struct gr_apperr *e)
{
    size_t len = strlen(msg);

    if (gr_utf8_count(msg, len) > GR_MM_MAX_POST_RUNES)
        return gr_apperr_set(e, 400, "model.post.is_valid.msg.app_error",
                             "Invalid message: longer than %d characters.", GR_MM_MAX_POST_RUNES);
    return 0;
}

/* Builds the stored props (rest_int.h). */
int gr_rest__post_props(gr_mm_username_fn lookup, void *ud, json_t *req,
                        const struct gr_user *author, const char *keep, char **out,
                        struct gr_apperr *e)
{
    static const char *const server_keys[] = {"from_webhook", "from_bot", "webhook_display_name"};
    json_t *p = json_is_object(req) ? json_deep_copy(req) : json_object();
    json_t *old = keep ? json_loads(keep, 0, NULL) : NULL, *atts;
    int code = 0;

    for (size_t i = 0; i < sizeof server_keys / sizeof server_keys[0]; i++) {
        json_t *v = json_object_get(old, server_keys[i]);
        json_object_del(p, server_keys[i]);
        if (v)
            json_object_set(p, server_keys[i], v);
    }
    if (author->is_bot)
        json_object_set_new(p, "from_bot", json_string("true"));
    atts = json_object_get(p, "attachments");
    if (atts && !json_is_null(atts)) {
        json_t *done = NULL;
        code = gr_mm_attachments_process(atts, lookup, ud, &done, e);
        if (code)
            goto out;
        if (done)
            json_object_set_new(p, "attachments", done);
        else
            json_object_del(p, "attachments");
        /* An edit sends back the client's copy, which never has the integrations: the stored
         * ones (and whose secret signs their clicks) follow their action ids, so buttons keep
         * working. An integration the client sends is its own (any signer in it was removed
         * by the processing above). */
        if (old)
            gr_mm_actions_restore_integrations(p, old);
    } else if (atts) {
        json_object_del(p, "attachments");
    }
    *out = json_dumps(p, JSON_COMPACT);
    if (*out == NULL) {
        code = gr_rest__store_fail(e, GR_ENOMEM);
        goto out;
    }
    if (gr_utf8_count(*out, strlen(*out)) > GR_MM_MAX_PROPS_RUNES) {
        free(*out);
        *out = NULL;
        code = gr_apperr_set(e, 400, "model.post.is_valid.props.app_error",
                             "Invalid props: too long.");
    }
out:
    json_decref(p);
    json_decref(old);
    return code;
}

/* ---- create ---------------------------------------------------------------------------- */

static gr_err create_run(struct gr_store *st, struct gr_rest_job *j)
{
    struct post_job *pj = (struct post_job *)j;
    struct gr_post *p = &pj->post, prev = {0}, root = {0};
    gr_err rc;

    j->wj.posts = NULL;
    j->wj.nposts = 0;
    /* A retry that raced the first attempt: answer with the first post, store nothing. */
    if (p->pending_post_id[0]) {
        rc = gr_store_post_get_pending(st, p->user_id, p->pending_post_id,
                                       gr_time_now_ms() - PENDING_WINDOW_MS, &prev);
        if (rc == GR_OK) {
            rc = gr_rest__shape_post(st, &prev, &j->resp);
            gr_post_cleanup(&prev);
            return rc;
        }
        if (rc != GR_ENOTFOUND)
            return rc;
    }
    if (p->root_id[0]) {
        rc = gr_store_post_get(st, p->root_id, &root);
        bool gone = rc == GR_ENOTFOUND || (rc == GR_OK && root.delete_at != 0);
        gr_post_cleanup(&root);
        if (gone)
            return gr_rest__refuse(j, 400, "api.post.create_post.root_id.app_error",
                                   "Invalid RootId parameter.");
        if (rc != GR_OK)
            return rc;
    }
    if (pj->join_team_id[0]) {
        bool member = false;
        rc = gr_store_channel_member_is(st, p->channel_id, p->user_id, &member);
        if (rc == GR_OK && !member) {
            rc = gr_store_channel_member_add(st, p->channel_id, p->user_id);
            if (rc == GR_OK)
                gr_rest__event(j, "user_added", p->channel_id, NULL, NULL,
                               json_pack("{s:s, s:s}", "user_id", p->user_id, "team_id",
                                         pj->join_team_id));
        }
        if (rc != GR_OK)
            return rc;
    }
    rc = gr_store_post_insert(st, p);
    if (rc != GR_OK)
        return rc;
    j->wj.posts = p;
    j->wj.nposts = 1;
    /* A reply answers with its thread's reply_count, counted after the insert (Mattermost's
     * Save); a new root has no replies nor reactions, so it needs no read. */
    if (p->root_id[0])
        return gr_rest__shape_post(st, p, &j->resp);
    j->resp = gr_shape_post(p);
    return GR_OK;
}

/* Reads the create body into *p (rest_int.h). */
int gr_rest__post_fields(json_t *body, struct gr_post *p, const char **channel_id,
                         const char **root_id, json_t **props, int64_t *create_at,
                         struct gr_apperr *e)
{
    const char *msg = "", *type = "", *pending = "";
    json_t *ca = json_object_get(body, "create_at");

    *channel_id = NULL;
    *root_id = "";
    if (!gr_rest__opt_str(body, "channel_id", channel_id) || !gr_id_is_valid(*channel_id))
        return gr_rest__bad_body(e, "channel_id");
    if (!gr_rest__opt_str(body, "message", &msg))
        return gr_rest__bad_body(e, "message");
    if (!gr_rest__opt_str(body, "root_id", root_id))
        return gr_rest__bad_body(e, "root_id");
    if (!gr_rest__opt_str(body, "type", &type) || strlen(type) >= sizeof p->type)
        return gr_rest__bad_body(e, "type");
    if (!gr_rest__opt_str(body, "pending_post_id", &pending) ||
        strlen(pending) >= sizeof p->pending_post_id)
        return gr_rest__bad_body(e, "pending_post_id");
    *props = json_object_get(body, "props");
    if (*props && !json_is_null(*props) && !json_is_object(*props))
        return gr_rest__bad_body(e, "props");
    if (ca && !json_is_null(ca) && !json_is_integer(ca))
        return gr_rest__bad_body(e, "create_at");
    *create_at = json_is_integer(ca) ? json_integer_value(ca) : 0;
    if (json_object_get(body, "file_ids") && !json_is_null(json_object_get(body, "file_ids")) &&
        !json_is_array(json_object_get(body, "file_ids")))
        return gr_rest__bad_body(e, "file_ids");
    /* Users cannot write system messages; other types follow Post.IsValid. */
    if (strncmp(type, "system_", 7) == 0)
        return gr_apperr_set(e, 400, "api.context.invalid_param.app_error",
                             "Invalid post.type parameter.");
    if (type[0] && strcmp(type, "slack_attachment") != 0 && strncmp(type, "custom_", 7) != 0)
        return gr_apperr_set(e, 400, "model.post.is_valid.type.app_error", "Invalid type.");
    if (check_message(msg, e))
        return e->status;
    snprintf(p->type, sizeof p->type, "%s", type);
    snprintf(p->pending_post_id, sizeof p->pending_post_id, "%s", pending);
    p->message = gr_xstrdup(msg);
    return 0;
}

/* Root rules (spec §5.5): the root exists, is live, is in the channel and is itself a root. */
static int check_root(struct gr_store *st, const char *root_id, const char *channel_id,
                      struct gr_apperr *e)
{
    struct gr_post root = {0};
    gr_err rc;
    int code = 0;

    if (!gr_id_is_valid(root_id))
        return gr_apperr_set(e, 400, "api.post.create_post.root_id.app_error",
                             "Invalid RootId parameter.");
    rc = gr_store_post_get(st, root_id, &root);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && (root.delete_at != 0 || root.root_id[0])))
        code = gr_apperr_set(e, 400, "api.post.create_post.root_id.app_error",
                             "Invalid RootId parameter.");
    else if (rc != GR_OK)
        code = gr_rest__store_fail(e, rc);
    else if (strcmp(root.channel_id, channel_id) != 0)
        code = gr_apperr_set(e, 400, "api.post.create_post.channel_root_id.app_error",
                             "Invalid ChannelId for RootId parameter.");
    gr_post_cleanup(&root);
    return code;
}

int gr_rest_post_create(const struct gr_rest_ctx *c, json_t *body, json_t **out,
                        struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct post_job *pj = NULL;
    struct gr_post *p, prev = {0};
    struct gr_channel ch;
    enum gr_rest_access acc;
    const char *channel_id, *root_id;
    json_t *props = NULL;
    int64_t create_at = 0;
    int code;
    gr_err rc;

    if (st == NULL)
        return e->status;
    if (!json_is_object(body))
        return gr_rest__bad_body(e, "post");
    pj = gr_rest__job_new(c, sizeof *pj, create_run, 201);
    pj->base.cleanup = post_job_cleanup;
    p = &pj->post;
    code = gr_rest__post_fields(body, p, &channel_id, &root_id, &props, &create_at, e);
    if (code)
        goto out;
    code = gr_rest__load_channel(st, c->user, channel_id, &ch, &acc, e);
    if (code == 403 || (code == 0 && acc == GR_REST_READ))
        code = gr_rest__forbidden(e);
    if (code)
        goto out;
    if (ch.delete_at != 0) {
        code = gr_apperr_set(e, 400, "api.post.create_post.can_not_post_to_deleted.error",
                             "Can not post to a deleted channel.");
        goto out;
    }
    if (root_id[0] && (code = check_root(st, root_id, ch.id, e)) != 0)
        goto out;
    /* A retry of a post that was already stored: answer with it (spec §5.5). */
    if (p->pending_post_id[0]) {
        rc = gr_store_post_get_pending(st, c->user->id, p->pending_post_id,
                                       gr_time_now_ms() - PENDING_WINDOW_MS, &prev);
        if (rc == GR_OK) {
            rc = gr_rest__shape_post(st, &prev, out);
            gr_post_cleanup(&prev);
            code = rc == GR_OK ? 201 : gr_rest__store_fail(e, rc);
            goto out;
        }
        if (rc != GR_ENOTFOUND) {
            code = gr_rest__store_fail(e, rc);
            goto out;
        }
    }
    code = gr_rest__post_props(username_of, st, props, c->user, NULL, &p->props, e);
    if (code)
        goto out;
    gr_id_new_sorted(p->id);
    memcpy(p->user_id, c->user->id, GR_ID_SIZE);
    memcpy(p->channel_id, ch.id, GR_ID_SIZE);
    snprintf(p->root_id, sizeof p->root_id, "%s", root_id);
    p->create_at = create_at > 0 && gr_rest__is_admin(c->user) ? create_at : gr_time_now_ms();
    p->update_at = p->create_at;
    p->trigger_webhooks = true; /* REST posts of users and bots fire outgoing webhooks (§2.2) */
    if (acc == GR_REST_JOIN)
        memcpy(pj->join_team_id, ch.team_id, GR_ID_SIZE);
    code = gr_rest__submit(&pj->base, e);
    pj = NULL;
out:
    if (pj)
        gr_rest__job_free(&pj->base);
    return code;
}

/* ---- update, patch, delete ------------------------------------------------------------- */

static json_t *post_event_data(const struct gr_post *p)
{
    json_t *d = json_object(), *shape = gr_shape_post(p);

    json_object_set_new(d, "post", gr_rest__json_string_of(shape));
    json_decref(shape);
    return d;
}

static gr_err edit_run(struct gr_store *st, struct gr_rest_job *j)
{
    struct post_job *pj = (struct post_job *)j;
    struct gr_post cur = {0};
    int64_t now = gr_time_now_ms();
    json_t *d;
    gr_err rc;

    /* The post may have been deleted since the request was checked. */
    rc = gr_store_post_get(st, pj->post.id, &cur);
    if (rc == GR_OK && cur.delete_at != 0)
        rc = GR_ENOTFOUND;
    gr_post_cleanup(&cur);
    if (rc == GR_ENOTFOUND)
        return gr_rest__refuse(j, 404, "app.post.get.app_error", "Unable to get the post.");
    if (rc != GR_OK)
        return rc;
    if (pj->is_delete) {
        rc = gr_store_post_delete(st, pj->post.id, now);
        if (rc != GR_OK)
            return rc;
        pj->post.delete_at = pj->post.update_at = now;
        d = post_event_data(&pj->post);
        json_object_set_new(d, "delete_by", json_string(pj->actor_id));
        gr_rest__event(j, "post_deleted", pj->post.channel_id, NULL, NULL, d);
        j->resp = gr_rest_status_ok();
        return GR_OK;
    }
    pj->post.update_at = now;
    if (pj->message_changed)
        pj->post.edit_at = now;
    rc = gr_store_post_update(st, &pj->post);
    if (rc != GR_OK)
        return rc;
    gr_rest__event(j, "post_edited", pj->post.channel_id, NULL, NULL, post_event_data(&pj->post));
    /* The answer carries the thread's reply_count and the reactions (the event gets them in
     * app/events.c). */
    return gr_rest__shape_post(st, &pj->post, &j->resp);
}

/* Loads the post for an edit or delete and checks the caller may change it. */
static int load_own_post(struct gr_store *st, const struct gr_rest_ctx *c, const char *id,
                         struct gr_post *p, struct gr_apperr *e)
{
    struct gr_channel ch;
    int code = gr_rest__load_post(st, c->user, id, p, &ch, e);

    if (code)
        return code;
    /* Others' posts need edit_others_posts / delete_others_posts: admins only by default. */
    if (strcmp(p->user_id, c->user->id) != 0 && !gr_rest__is_admin(c->user)) {
        gr_post_cleanup(p);
        return gr_rest__forbidden(e);
    }
    return 0;
}

/* Reads an edit body against the stored post cur (rest_int.h). */
int gr_rest__post_edit_fields(json_t *body, bool patch, const struct gr_post *cur, const char **msg,
                              bool *pinned, json_t **props, struct gr_apperr *e)
{
    *msg = patch ? cur->message : "";
    *pinned = patch ? cur->is_pinned : false;
    *props = json_object_get(body, "props");
    if (!gr_rest__opt_str(body, "message", msg))
        return gr_rest__bad_body(e, "message");
    if (!gr_rest__opt_bool(body, "is_pinned", pinned))
        return gr_rest__bad_body(e, "is_pinned");
    if (*props && !json_is_null(*props) && !json_is_object(*props))
        return gr_rest__bad_body(e, "props");
    if (check_message(*msg, e))
        return e->status;
    return 0;
}

/* Applies body to pj->post (the stored post): message, is_pinned, props. PUT replaces them
 * all (absent = empty); a patch changes only what it names. */
static int apply_edit(struct gr_store *st, const struct gr_rest_ctx *c, json_t *body, bool patch,
                      struct post_job *pj, struct gr_apperr *e)
{
    struct gr_post *p = &pj->post;
    const char *msg;
    bool pinned;
    json_t *props;
    struct gr_user author;
    char *np = NULL;
    gr_err rc;
    int code;

    code = gr_rest__post_edit_fields(body, patch, p, &msg, &pinned, &props, e);
    if (code)
        return code;
    if (!patch || (props && !json_is_null(props))) {
        /* from_bot follows the author, who may be someone else when an admin edits. */
        rc = gr_store_user_get(st, p->user_id, &author);
        if (rc == GR_ENOTFOUND) {
            author = *c->user;
            author.is_bot = false;
        } else if (rc != GR_OK) {
            return gr_rest__store_fail(e, rc);
        }
        code = gr_rest__post_props(username_of, st, props, &author, p->props, &np, e);
        if (code)
            return code;
        free(p->props);
        p->props = np;
    }
    pj->message_changed = strcmp(msg, p->message) != 0;
    if (pj->message_changed) {
        char *m = gr_xstrdup(msg);
        free(p->message);
        p->message = m;
    }
    p->is_pinned = pinned;
    return 0;
}

int gr_rest_post_update(const struct gr_rest_ctx *c, const char *id, json_t *body, bool patch,
                        json_t **out, struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct post_job *pj;
    const char *bid = NULL;
    int code;

    (void)out;
    if (st == NULL)
        return e->status;
    if (!gr_id_is_valid(id))
        return gr_rest__bad_url(e, "post_id");
    if (!json_is_object(body))
        return gr_rest__bad_body(e, "post");
    /* PUT names the post in its body too, and the two must agree (RB-13). */
    if (!patch && (!gr_rest__opt_str(body, "id", &bid) || bid == NULL || strcmp(bid, id) != 0))
        return gr_rest__bad_body(e, "id");
    pj = gr_rest__job_new(c, sizeof *pj, edit_run, 200);
    pj->base.cleanup = post_job_cleanup;
    code = load_own_post(st, c, id, &pj->post, e);
    if (code == 0)
        code = apply_edit(st, c, body, patch, pj, e);
    if (code) {
        gr_rest__job_free(&pj->base);
        return code;
    }
    return gr_rest__submit(&pj->base, e);
}

int gr_rest_post_delete(const struct gr_rest_ctx *c, const char *id, json_t **out,
                        struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct post_job *pj;
    int code;

    (void)out;
    if (st == NULL)
        return e->status;
    pj = gr_rest__job_new(c, sizeof *pj, edit_run, 200);
    pj->base.cleanup = post_job_cleanup;
    pj->is_delete = true;
    memcpy(pj->actor_id, c->user->id, GR_ID_SIZE);
    code = load_own_post(st, c, id, &pj->post, e);
    if (code) {
        gr_rest__job_free(&pj->base);
        return code;
    }
    return gr_rest__submit(&pj->base, e);
}
