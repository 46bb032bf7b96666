/* SPDX-License-Identifier: MIT */
/*
 * channel_write.c - creating channels and changing their members over REST (spec
 * mattermost-compat §5.4, §5.8, §9): POST /channels, /channels/direct, /channels/group,
 * POST /channels/{id}/members, DELETE /channels/{id}/members/{user_id}.
 *
 * Requests are checked on the read connection, then run as writer jobs (rest_int.h) that
 * look again inside the transaction, so two concurrent "open a DM" calls end with one channel
 * and both answers name it (Mattermost answers 201 for an existing DM or group channel too).
 * After the commit the jobs publish channel_created, direct_added, group_added, user_added and
 * user_removed (bus.h).
 */
#include "app/rest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "app/shapes.h"
#include "core/gtime.h"
#include "core/hash.h"
#include "core/utf8.h"
#include "mm/names.h"

#define GROUP_MIN 3
#define GROUP_MAX 8

struct channel_job {
    struct gr_rest_job base; /* first */
    struct gr_channel ch;    /* the channel to create (id assigned), or the one acted on */
    char users[GROUP_MAX][GR_ID_SIZE]; /* direct/group members; add/remove: users[0] */
    size_t nusers;
    char actor_id[GR_ID_SIZE];
};

static bool runes_le(const char *s, size_t max)
{
    return gr_utf8_count(s, strlen(s)) <= max;
}

/* ---- POST /channels -------------------------------------------------------------------- */

static gr_err create_run(struct gr_store *st, struct gr_rest_job *j)
{
    struct channel_job *cj = (struct channel_job *)j;
    gr_err rc;

    rc = gr_store_channel_insert(st, &cj->ch);
    if (rc == GR_EEXIST)
        return gr_rest__refuse(j, 400, "store.sql_channel.save_channel.exists.app_error",
                               "A channel with that name already exists on the same team.");
    if (rc == GR_OK)
        rc = gr_store_channel_member_add(st, cj->ch.id, cj->actor_id);
    if (rc != GR_OK)
        return rc;
    gr_rest__event(j, "channel_created", NULL, cj->ch.team_id, cj->actor_id,
                   json_pack("{s:s, s:s}", "channel_id", cj->ch.id, "team_id", cj->ch.team_id));
    j->resp = gr_shape_channel(&cj->ch);
    return GR_OK;
}

/* Reads and checks the fields of a new channel into ch (rest_int.h). */
int gr_rest__channel_fields(json_t *body, struct gr_channel *ch, struct gr_apperr *e)
{
    const char *team = NULL, *name = "", *display = "", *type = "", *purpose = "", *header = "";

    if (!gr_rest__opt_str(body, "team_id", &team) || team == NULL || !gr_id_is_valid(team))
        return gr_rest__bad_body(e, "team_id");
    if (!gr_rest__opt_str(body, "name", &name))
        return gr_rest__bad_body(e, "name");
    if (!gr_rest__opt_str(body, "display_name", &display))
        return gr_rest__bad_body(e, "display_name");
    if (!gr_rest__opt_str(body, "type", &type))
        return gr_rest__bad_body(e, "type");
    if (!gr_rest__opt_str(body, "purpose", &purpose))
        return gr_rest__bad_body(e, "purpose");
    if (!gr_rest__opt_str(body, "header", &header))
        return gr_rest__bad_body(e, "header");
    if (!gr_mm_channel_name_valid(name))
        return gr_apperr_set(e, 400, "model.channel.is_valid.name.app_error",
                             "Invalid channel name: use 1-64 lowercase letters, digits, '-' and "
                             "'_', starting with a letter or digit, not shaped like a DM name.");
    if (display[0] == '\0' || !runes_le(display, 64) || strlen(display) >= sizeof ch->display_name)
        return gr_apperr_set(e, 400, "model.channel.is_valid.display_name.app_error",
                             "Invalid display name.");
    if (strcmp(type, "O") != 0 && strcmp(type, "P") != 0)
        return gr_apperr_set(e, 400, "model.channel.is_valid.type.app_error", "Invalid type.");
    if (!runes_le(purpose, 250) || strlen(purpose) >= sizeof ch->purpose)
        return gr_apperr_set(e, 400, "model.channel.is_valid.purpose.app_error",
                             "Invalid purpose.");
    if (!runes_le(header, 1024) || strlen(header) >= sizeof ch->header)
        return gr_apperr_set(e, 400, "model.channel.is_valid.header.app_error", "Invalid header.");
    snprintf(ch->team_id, sizeof ch->team_id, "%s", team);
    snprintf(ch->name, sizeof ch->name, "%s", name);
    snprintf(ch->display_name, sizeof ch->display_name, "%s", display);
    snprintf(ch->purpose, sizeof ch->purpose, "%s", purpose);
    snprintf(ch->header, sizeof ch->header, "%s", header);
    ch->type = type[0];
    return 0;
}

int gr_rest_channel_create(const struct gr_rest_ctx *c, json_t *body, json_t **out,
                           struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct channel_job *cj;
    struct gr_channel other;
    struct gr_team t;
    bool member = gr_rest__is_admin(c->user);
    gr_err rc;
    int code;

    (void)out;
    if (st == NULL)
        return e->status;
    if (!json_is_object(body))
        return gr_rest__bad_body(e, "channel");
    cj = gr_rest__job_new(c, sizeof *cj, create_run, 201);
    code = gr_rest__channel_fields(body, &cj->ch, e);
    if (code)
        goto fail;
    rc = gr_store_team_get(st, cj->ch.team_id, &t);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && t.delete_at != 0)) {
        code = gr_apperr_set(e, 404, "app.team.get.find.app_error",
                             "Unable to find the existing team.");
        goto fail;
    }
    if (rc == GR_OK && !member)
        rc = gr_store_team_member_is(st, t.id, c->user->id, &member);
    if (rc == GR_OK)
        rc = gr_store_channel_get_by_name(st, t.id, cj->ch.name, &other);
    if (rc == GR_OK && strcmp(other.team_id, t.id) == 0) {
        code = gr_apperr_set(e, 400, "store.sql_channel.save_channel.exists.app_error",
                             "A channel with that name already exists on the same team.");
        goto fail;
    }
    if (rc != GR_OK && rc != GR_ENOTFOUND) {
        code = gr_rest__store_fail(e, rc);
        goto fail;
    }
    if (!member) {
        code = gr_rest__forbidden(e);
        goto fail;
    }
    gr_id_new(cj->ch.id);
    memcpy(cj->ch.creator_id, c->user->id, GR_ID_SIZE);
    memcpy(cj->actor_id, c->user->id, GR_ID_SIZE);
    cj->ch.create_at = cj->ch.update_at = gr_time_now_ms();
    return gr_rest__submit(&cj->base, e);
fail:
    gr_rest__job_free(&cj->base);
    return code;
}

/* ---- POST /channels/direct and /channels/group ----------------------------------------- */

static gr_err direct_run(struct gr_store *st, struct gr_rest_job *j)
{
    struct channel_job *cj = (struct channel_job *)j;
    /* The caller, when one of the two, is the DM's creator (an admin may open others'). */
    bool swap = strcmp(cj->users[1], cj->actor_id) == 0;
    const char *a = cj->users[swap ? 1 : 0], *b = cj->users[swap ? 0 : 1];
    char dm[55], id[GR_ID_SIZE];
    bool existed;
    gr_err rc;

    gr_mm_dm_name(a, b, dm);
    rc = gr_store_channel_get_by_name(st, "", dm, &cj->ch);
    existed = rc == GR_OK;
    if (rc == GR_ENOTFOUND)
        rc = gr_app__dm_channel(st, a, b, id);
    if (rc == GR_OK && !existed)
        rc = gr_store_channel_get(st, id, &cj->ch);
    if (rc != GR_OK)
        return rc;
    for (size_t i = 0; !existed && i < 2; i++) {
        if (i == 1 && strcmp(a, b) == 0)
            break; /* a self-DM has one member */
        gr_rest__event(j, "direct_added", cj->ch.id, NULL, cj->users[i],
                       json_pack("{s:s, s:s}", "creator_id", cj->actor_id, "teammate_id",
                                 cj->users[1 - i]));
    }
    j->resp = gr_shape_channel(&cj->ch);
    return GR_OK;
}

static gr_err group_run(struct gr_store *st, struct gr_rest_job *j)
{
    struct channel_job *cj = (struct channel_job *)j;
    json_t *ids;
    gr_err rc;

    rc = gr_store_channel_get_by_name(st, "", cj->ch.name, &cj->ch);
    if (rc == GR_OK) {
        j->resp = gr_shape_channel(&cj->ch);
        return GR_OK;
    }
    if (rc != GR_ENOTFOUND)
        return rc;
    gr_id_new(cj->ch.id);
    cj->ch.create_at = cj->ch.update_at = gr_time_now_ms();
    rc = gr_store_channel_insert(st, &cj->ch);
    for (size_t i = 0; i < cj->nusers && rc == GR_OK; i++)
        rc = gr_store_channel_member_add(st, cj->ch.id, cj->users[i]);
    if (rc != GR_OK)
        return rc;
    ids = json_array();
    for (size_t i = 0; i < cj->nusers; i++)
        json_array_append_new(ids, json_string(cj->users[i]));
    for (size_t i = 0; i < cj->nusers; i++) {
        json_t *d = json_object();
        json_object_set_new(d, "teammate_ids", gr_rest__json_string_of(ids));
        gr_rest__event(j, "group_added", cj->ch.id, NULL, cj->users[i], d);
    }
    json_decref(ids);
    j->resp = gr_shape_channel(&cj->ch);
    return GR_OK;
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Reads a user id array (rest_int.h). */
int gr_rest__user_ids(json_t *body, size_t max, const char *self_id, char (*users)[GR_ID_SIZE],
                      size_t *n_out, struct gr_apperr *e)
{
    size_t n = json_array_size(body);

    *n_out = 0;
    if (!json_is_array(body))
        return gr_rest__bad_body(e, "user_ids");
    for (size_t i = 0; i <= n; i++) {
        const char *id = i < n ? json_string_value(json_array_get(body, i)) : NULL;
        bool dup = false;
        if (i == n) {
            if (self_id == NULL)
                break;
            id = self_id;
        } else if (id == NULL || !gr_id_is_valid(id)) {
            return gr_rest__bad_body(e, "user_ids");
        }
        for (size_t k = 0; k < *n_out && !dup; k++)
            dup = strcmp(users[k], id) == 0;
        if (dup)
            continue;
        if (*n_out == max)
            return -1; /* too many: the caller words the error */
        snprintf(users[(*n_out)++], GR_ID_SIZE, "%s", id);
    }
    qsort(users, *n_out, sizeof users[0], cmp_id);
    return 0;
}

/* Reads the array of user ids into cj->users (deduplicated, sorted), the caller added when
 * add_self; checks every user exists and is active. */
static int read_users(struct gr_store *st, const struct gr_rest_ctx *c, json_t *body, size_t max,
                      bool add_self, struct channel_job *cj, const char *bad_user_id,
                      struct gr_apperr *e)
{
    int code =
            gr_rest__user_ids(body, max, add_self ? c->user->id : NULL, cj->users, &cj->nusers, e);

    if (code)
        return code;
    for (size_t i = 0; i < cj->nusers; i++) {
        struct gr_user u;
        gr_err rc = gr_store_user_get(st, cj->users[i], &u);
        if (rc == GR_ENOTFOUND || (rc == GR_OK && u.delete_at != 0))
            return gr_apperr_set(e, 400, bad_user_id, "Invalid user id %s.", cj->users[i]);
        if (rc != GR_OK)
            return gr_rest__store_fail(e, rc);
    }
    return 0;
}

int gr_rest_channel_direct(const struct gr_rest_ctx *c, json_t *body, json_t **out,
                           struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct channel_job *cj;
    const char *a, *b;
    int code;

    (void)out;
    if (st == NULL)
        return e->status;
    if (!json_is_array(body) || json_array_size(body) != 2)
        return gr_rest__bad_body(e, "user_ids");
    a = json_string_value(json_array_get(body, 0));
    b = json_string_value(json_array_get(body, 1));
    if (a == NULL || b == NULL || !gr_id_is_valid(a) || !gr_id_is_valid(b))
        return gr_rest__bad_body(e, "user_ids");
    /* Only the two users (or an admin) may open their DM. */
    if (strcmp(a, c->user->id) != 0 && strcmp(b, c->user->id) != 0 && !gr_rest__is_admin(c->user))
        return gr_rest__forbidden(e);
    cj = gr_rest__job_new(c, sizeof *cj, direct_run, 201);
    memcpy(cj->actor_id, c->user->id, GR_ID_SIZE);
    code = read_users(st, c, body, 2, false, cj,
                      "api.channel.create_direct_channel.invalid_user"
                      ".app_error",
                      e);
    if (code) {
        gr_rest__job_free(&cj->base);
        return code;
    }
    /* read_users dropped a repeated id: a self-DM keeps the same id twice. */
    if (cj->nusers == 1)
        memcpy(cj->users[1], cj->users[0], GR_ID_SIZE);
    return gr_rest__submit(&cj->base, e);
}

int gr_rest_channel_group(const struct gr_rest_ctx *c, json_t *body, json_t **out,
                          struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    char cat[GROUP_MAX * GR_ID_LEN + 1] = "";
    struct channel_job *cj;
    size_t off = 0;
    int code;

    (void)out;
    if (st == NULL)
        return e->status;
    cj = gr_rest__job_new(c, sizeof *cj, group_run, 201);
    code = read_users(st, c, body, GROUP_MAX, true, cj,
                      "api.channel.create_group.bad_user.app_error", e);
    if (code < 0 || (code == 0 && cj->nusers < GROUP_MIN))
        code = gr_apperr_set(e, 400, "api.channel.create_group.bad_size.app_error",
                             "Group messages must contain at least %d and no more than %d users.",
                             GROUP_MIN, GROUP_MAX);
    if (code) {
        gr_rest__job_free(&cj->base);
        return code;
    }
    /* Name: SHA-1 (hex) of the sorted ids concatenated (spec §5.8); display name: the
     * usernames, sorted, joined by ", ". */
    for (size_t i = 0; i < cj->nusers; i++) {
        memcpy(cat + off, cj->users[i], GR_ID_LEN);
        off += GR_ID_LEN;
    }
    gr_sha1_hex(cat, off, cj->ch.name);
    for (size_t i = 0, used = 0; i < cj->nusers; i++) {
        struct gr_user u;
        if (gr_store_user_get(st, cj->users[i], &u) != GR_OK)
            continue;
        used += (size_t)snprintf(cj->ch.display_name + used, sizeof cj->ch.display_name - used,
                                 "%s%s", used ? ", " : "", u.username);
        if (used >= sizeof cj->ch.display_name)
            break;
    }
    cj->ch.type = 'G';
    memcpy(cj->ch.creator_id, c->user->id, GR_ID_SIZE);
    return gr_rest__submit(&cj->base, e);
}

/* ---- members --------------------------------------------------------------------------- */

static gr_err member_add_run(struct gr_store *st, struct gr_rest_job *j)
{
    struct channel_job *cj = (struct channel_job *)j;
    struct gr_channel_member m = {0};
    bool member = false;
    gr_err rc;

    rc = gr_store_channel_member_is(st, cj->ch.id, cj->users[0], &member);
    if (rc == GR_OK && !member) {
        rc = gr_store_channel_member_add(st, cj->ch.id, cj->users[0]);
        if (rc == GR_OK)
            gr_rest__event(
                    j, "user_added", cj->ch.id, NULL, NULL,
                    json_pack("{s:s, s:s}", "user_id", cj->users[0], "team_id", cj->ch.team_id));
    }
    if (rc != GR_OK)
        return rc;
    memcpy(m.channel_id, cj->ch.id, GR_ID_SIZE);
    memcpy(m.user_id, cj->users[0], GR_ID_SIZE);
    snprintf(m.roles, sizeof m.roles, "channel_user");
    m.create_at = gr_time_now_ms();
    j->resp = gr_shape_channel_member(&m);
    return GR_OK;
}

static gr_err member_remove_run(struct gr_store *st, struct gr_rest_job *j)
{
    struct channel_job *cj = (struct channel_job *)j;
    const char *uid = cj->users[0];
    gr_err rc;

    rc = gr_store_channel_member_remove(st, cj->ch.id, uid);
    if (rc == GR_ENOTFOUND)
        return gr_rest__refuse(j, 404, "app.channel.get_member.missing.app_error",
                               "No channel member found for that user ID and channel ID.");
    if (rc != GR_OK)
        return rc;
    gr_rest__event(j, "user_removed", cj->ch.id, NULL, NULL,
                   json_pack("{s:s, s:s}", "user_id", uid, "remover_id", cj->actor_id));
    gr_rest__event(j, "user_removed", cj->ch.id, NULL, uid,
                   json_pack("{s:s, s:s}", "channel_id", cj->ch.id, "remover_id", cj->actor_id));
    j->resp = gr_rest_status_ok();
    return GR_OK;
}

/* Common checks of both member calls: the channel (access), its type, the target user. */
static int member_prelude(struct gr_store *st, const struct gr_rest_ctx *c, const char *id,
                          const char *uid, bool adding, struct channel_job *cj, struct gr_apperr *e)
{
    enum gr_rest_access acc;
    bool self = strcmp(uid, c->user->id) == 0, in_team = false;
    struct gr_user u;
    gr_err rc;
    int code;

    code = gr_rest__load_channel(st, c->user, id, &cj->ch, &acc, e);
    if (code)
        return code;
    if (cj->ch.type == 'D' || cj->ch.type == 'G')
        return gr_apperr_set(e, 400, "api.channel.add_user_to_channel.type.app_error",
                             "Can not add or remove users in this channel type.");
    if (cj->ch.delete_at != 0)
        return gr_apperr_set(e, 400, "api.channel.add_user.to.channel.failed.deleted.app_error",
                             "The channel has been archived.");
    /* Joining or leaving needs access to the channel; changing others needs membership. */
    if (acc == GR_REST_READ || (!self && acc != GR_REST_MEMBER))
        return gr_rest__forbidden(e);
    if (!adding && strcmp(cj->ch.name, "town-square") == 0)
        return gr_apperr_set(e, 400, "api.channel.remove.default.app_error",
                             "Unable to remove user from the default channel town-square.");
    rc = gr_store_user_get(st, uid, &u);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && u.delete_at != 0 && adding))
        return gr_apperr_set(e, 404, "app.user.missing.app_error", "Unable to find the user.");
    if (rc == GR_OK && adding)
        rc = gr_store_team_member_is(st, cj->ch.team_id, uid, &in_team);
    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    if (adding && !in_team)
        return gr_apperr_set(e, 400, "api.channel.add_user.to.channel.failed.app_error",
                             "The user is not a member of the channel's team.");
    snprintf(cj->users[0], GR_ID_SIZE, "%s", uid);
    cj->nusers = 1;
    memcpy(cj->actor_id, c->user->id, GR_ID_SIZE);
    return 0;
}

int gr_rest_channel_member_add(const struct gr_rest_ctx *c, const char *id, json_t *body,
                               json_t **out, struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    const char *uid = NULL;
    struct channel_job *cj;
    int code;

    (void)out;
    if (st == NULL)
        return e->status;
    if (!gr_id_is_valid(id))
        return gr_rest__bad_url(e, "channel_id");
    if (!json_is_object(body) || !gr_rest__opt_str(body, "user_id", &uid) || uid == NULL ||
        !gr_id_is_valid(uid))
        return gr_rest__bad_body(e, "user_id");
    cj = gr_rest__job_new(c, sizeof *cj, member_add_run, 201);
    code = member_prelude(st, c, id, uid, true, cj, e);
    if (code) {
        gr_rest__job_free(&cj->base);
        return code;
    }
    return gr_rest__submit(&cj->base, e);
}

int gr_rest_channel_member_remove(const struct gr_rest_ctx *c, const char *id, const char *user_id,
                                  json_t **out, struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct channel_job *cj;
    int code;

    (void)out;
    if (st == NULL)
        return e->status;
    if (!gr_id_is_valid(id))
        return gr_rest__bad_url(e, "channel_id");
    if (!gr_id_is_valid(user_id))
        return gr_rest__bad_url(e, "user_id");
    cj = gr_rest__job_new(c, sizeof *cj, member_remove_run, 200);
    code = member_prelude(st, c, id, user_id, false, cj, e);
    if (code) {
        gr_rest__job_free(&cj->base);
        return code;
    }
    return gr_rest__submit(&cj->base, e);
}
