/* SPDX-License-Identifier: MIT */
/* outgoing_admin.c - see outgoing_admin.h. */
#include "app/outgoing_admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/integ.h"
#include "core/gtime.h"
#include "core/id.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "mm/outgoing.h"

static int store_fail(struct gr_apperr *e, gr_err rc)
{
    return gr_apperr_set(e, 500, "app.store.app_error", "The store failed: %s.", gr_err_str(rc));
}

static int bad_body(struct gr_apperr *e, const char *name)
{
    return gr_apperr_set(e, 400, "api.context.invalid_body_param.app_error",
                         "Invalid or missing %s in request body.", name);
}

static int invalid(struct gr_apperr *e, const char *id, const char *msg)
{
    return gr_apperr_set(e, 400, id, "%s", msg);
}

/* ---- JSON in ---------------------------------------------------------------------------- */

static int take_str(json_t *o, const char *key, char *dst, size_t size, struct gr_apperr *e)
{
    json_t *v = json_object_get(o, key);

    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v) || json_string_length(v) >= size ||
        strlen(json_string_value(v)) != json_string_length(v))
        return bad_body(e, key);
    memcpy(dst, json_string_value(v), json_string_length(v) + 1);
    return 0;
}

/* An array of strings (null = empty) into owned compact JSON text. */
static int take_list(json_t *o, const char *key, char **dst, struct gr_apperr *e)
{
    json_t *v = json_object_get(o, key), *item;
    size_t i;
    char *s;

    if (v == NULL)
        return 0;
    if (json_is_null(v)) {
        free(*dst);
        *dst = gr_xstrdup("[]");
        return 0;
    }
    if (!json_is_array(v))
        return bad_body(e, key);
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item) || strlen(json_string_value(item)) != json_string_length(item))
            return bad_body(e, key);
    }
    if ((s = json_dumps(v, JSON_COMPACT)) == NULL)
        return bad_body(e, key);
    free(*dst);
    *dst = s;
    return 0;
}

int gr_outgoing_admin_apply_json(json_t *o, struct gr_outgoing_hook *h, struct gr_apperr *e)
{
    json_t *tw = json_object_get(o, "trigger_when");

    if (take_str(o, "channel_id", h->channel_id, sizeof h->channel_id, e) ||
        take_str(o, "team_id", h->team_id, sizeof h->team_id, e) ||
        take_str(o, "display_name", h->display_name, sizeof h->display_name, e) ||
        take_str(o, "description", h->description, sizeof h->description, e) ||
        take_str(o, "content_type", h->content_type, sizeof h->content_type, e) ||
        take_str(o, "username", h->username, sizeof h->username, e) ||
        take_str(o, "icon_url", h->icon_url, sizeof h->icon_url, e) ||
        take_list(o, "trigger_words", &h->trigger_words, e) ||
        take_list(o, "callback_urls", &h->callback_urls, e))
        return e->status;
    if (tw != NULL && !json_is_null(tw)) {
        if (!json_is_integer(tw) || json_integer_value(tw) < -1000 || json_integer_value(tw) > 1000)
            return bad_body(e, "trigger_when");
        h->trigger_when = (int)json_integer_value(tw);
    }
    return 0;
}

/* ---- validation ------------------------------------------------------------------------- */

/* Length of Go's fmt.Sprintf("%s", []string): "[" + items joined by " " + "]". */
static size_t go_list_len(const json_t *a)
{
    size_t n = 2, k = json_array_size(a);

    for (size_t i = 0; i < k; i++)
        n += json_string_length(json_array_get(a, i)) + (i > 0);
    return n;
}

/* Mattermost's IsValidHTTPURL: an http:// or https:// prefix (case-sensitive) and a URL Go's
 * url.ParseRequestURI accepts with a host: no space or control character anywhere. */
static bool valid_http_url(const char *u)
{
    const char *p;
    size_t host;

    if (strncmp(u, "http://", 7) == 0)
        p = u + 7;
    else if (strncmp(u, "https://", 8) == 0)
        p = u + 8;
    else
        return false;
    for (const unsigned char *c = (const unsigned char *)u; *c; c++)
        if (*c <= ' ' || *c == 0x7F)
            return false;
    host = strcspn(p, "/?#");
    if (memchr(p, '@', host) != NULL) /* user info: the host comes after it */
        host -= (size_t)((const char *)memchr(p, '@', host) - p) + 1;
    return host > 0;
}

static json_t *parse_list(const char *text)
{
    json_t *a = json_loads(text ? text : "[]", 0, NULL);

    if (!json_is_array(a)) {
        json_decref(a);
        a = json_array();
    }
    return a;
}

int gr_outgoing_admin_validate(const struct gr_outgoing_hook *h, struct gr_apperr *e)
{
    json_t *words = parse_list(h->trigger_words), *urls = parse_list(h->callback_urls);
    int code = 0;
    size_t i;

    if (!gr_id_is_valid(h->team_id))
        code = invalid(e, "model.outgoing_hook.is_valid.team_id.app_error", "Invalid team id.");
    else if (h->channel_id[0] && !gr_id_is_valid(h->channel_id))
        code = invalid(e, "model.outgoing_hook.is_valid.channel_id.app_error",
                       "Invalid channel id.");
    else if (go_list_len(words) > 1024)
        code = invalid(e, "model.outgoing_hook.is_valid.words.app_error",
                       "Invalid trigger words: at most 1024 characters together.");
    if (!code)
        for (i = 0; i < json_array_size(words); i++)
            if (json_string_length(json_array_get(words, i)) == 0) {
                code = invalid(e, "model.outgoing_hook.is_valid.trigger_words.app_error",
                               "Invalid trigger words: a trigger word is empty.");
                break;
            }
    if (!code && (json_array_size(urls) == 0 || go_list_len(urls) > 1024))
        code = invalid(e, "model.outgoing_hook.is_valid.callback.app_error",
                       "Invalid callback urls: give 1 or more, at most 1024 characters "
                       "together.");
    if (!code)
        for (i = 0; i < json_array_size(urls); i++)
            if (!valid_http_url(json_string_value(json_array_get(urls, i)))) {
                code = invalid(e, "model.outgoing_hook.is_valid.url.app_error",
                               "Invalid callback urls: each must be a valid http:// or "
                               "https:// URL.");
                break;
            }
    if (!code && gr_utf8_count(h->display_name, strlen(h->display_name)) > 64)
        code = invalid(e, "model.outgoing_hook.is_valid.display_name.app_error",
                       "Invalid display name: at most 64 characters.");
    else if (!code && gr_utf8_count(h->description, strlen(h->description)) > 500)
        code = invalid(e, "model.outgoing_hook.is_valid.description.app_error",
                       "Invalid description: at most 500 characters.");
    else if (!code && strlen(h->content_type) > 127)
        code = invalid(e, "model.outgoing_hook.is_valid.content_type.app_error",
                       "Invalid content type.");
    else if (!code && (h->trigger_when < 0 || h->trigger_when > 1))
        /* Mattermost reports a bad trigger_when with the content type's id. */
        code = invalid(e, "model.outgoing_hook.is_valid.content_type.app_error",
                       "Invalid trigger_when: 0 (first word is a trigger word) or 1 (first "
                       "word starts with one).");
    else if (!code && strlen(h->username) > 64)
        code = invalid(e, "model.outgoing_hook.username.app_error",
                       "Invalid username: at most 64 characters.");
    else if (!code && strlen(h->icon_url) > 1024)
        code = invalid(e, "model.outgoing_hook.icon_url.app_error",
                       "Invalid icon URL: at most 1024 characters.");
    json_decref(words);
    json_decref(urls);
    return code;
}

/* ---- create / update -------------------------------------------------------------------- */

static bool lists_intersect(const char *a_text, const char *b_text)
{
    json_t *a = parse_list(a_text), *b = parse_list(b_text);
    bool hit = false;

    for (size_t i = 0; !hit && i < json_array_size(a); i++)
        for (size_t j = 0; !hit && j < json_array_size(b); j++)
            hit = json_equal(json_array_get(a, i), json_array_get(b, j));
    json_decref(a);
    json_decref(b);
    return hit;
}

static size_t count_words(const char *text)
{
    json_t *a = parse_list(text);
    size_t n = json_array_size(a);

    json_decref(a);
    return n;
}

/* The channel checks shared by create and update (team_id already known). */
static int check_channel(struct gr_store *st, const struct gr_outgoing_hook *h, bool update,
                         struct gr_apperr *e)
{
    struct gr_channel ch;
    gr_err rc;

    if (!gr_id_is_valid(h->channel_id))
        return gr_apperr_set(e, 404, "app.channel.get.existing.app_error",
                             "Unable to find the existing channel.");
    rc = gr_store_channel_get(st, h->channel_id, &ch);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && ch.delete_at != 0))
        return gr_apperr_set(e, 404, "app.channel.get.existing.app_error",
                             "Unable to find the existing channel.");
    if (rc != GR_OK)
        return store_fail(e, rc);
    if (ch.type != 'O')
        return update ? gr_apperr_set(e, 403, "api.webhook.create_outgoing.not_open.app_error",
                                      "Outgoing webhooks can only be created for public "
                                      "channels.")
                      /* Mattermost's create path answers with this odd id (spec §2.1). */
                      : gr_apperr_set(e, 403, "api.outgoing_webhook.disabled.app_error",
                                      "Outgoing webhooks can only be created for public "
                                      "channels.");
    if (strcmp(ch.team_id, h->team_id) != 0)
        return gr_apperr_set(e, 403, "api.webhook.create_outgoing.permissions.app_error",
                             "Invalid permissions to create outgoing webhook: the channel is "
                             "in another team.");
    return 0;
}

/* Neither channel nor trigger word; an intersecting hook (self_id excluded). */
static int check_triggers(struct gr_store *st, const struct gr_outgoing_hook *h,
                          const char *self_id, struct gr_apperr *e)
{
    struct gr_outgoing_hook_list l = {0};
    gr_err rc;
    int code = 0;

    if (h->channel_id[0] == '\0' && count_words(h->trigger_words) == 0)
        return gr_apperr_set(e, 400, "api.webhook.create_outgoing.triggers.app_error",
                             "Either trigger_words or channel_id must be set.");
    rc = gr_store_outgoing_list(st, h->team_id, 0, 0, &l);
    if (rc != GR_OK)
        return store_fail(e, rc);
    for (size_t i = 0; i < l.n && !code; i++) {
        const struct gr_outgoing_hook *x = &l.v[i];
        if (self_id && strcmp(x->id, self_id) == 0)
            continue;
        if (strcmp(x->channel_id, h->channel_id) == 0 &&
            lists_intersect(x->callback_urls, h->callback_urls) &&
            lists_intersect(x->trigger_words, h->trigger_words))
            code = self_id ? gr_apperr_set(e, 400,
                                           "api.webhook.update_outgoing.intersect.app_error",
                                           "Another outgoing webhook of this channel already "
                                           "has one of these trigger words and callback URLs.")
                           : gr_apperr_set(e, 400,
                                           "api.webhook.create_outgoing.intersect.app_error",
                                           "Another outgoing webhook of this channel already "
                                           "has one of these trigger words and callback URLs.");
    }
    gr_outgoing_hook_list_free(&l);
    return code;
}

static void default_lists(struct gr_outgoing_hook *h)
{
    if (h->trigger_words == NULL)
        h->trigger_words = gr_xstrdup("[]");
    if (h->callback_urls == NULL)
        h->callback_urls = gr_xstrdup("[]");
    if (h->content_type[0] == '\0')
        snprintf(h->content_type, sizeof h->content_type, "%s", GR_MM_CT_FORM);
}

int gr_outgoing_admin_create(struct gr_store *st, struct gr_outgoing_hook *h, struct gr_apperr *e)
{
    struct gr_team team;
    struct gr_channel ch;
    gr_err rc;
    int code;

    default_lists(h);
    /* griot's convenience: a channel names its team. */
    if (h->team_id[0] == '\0' && gr_id_is_valid(h->channel_id) &&
        gr_store_channel_get(st, h->channel_id, &ch) == GR_OK)
        memcpy(h->team_id, ch.team_id, GR_ID_SIZE);
    if (!gr_id_is_valid(h->team_id))
        return invalid(e, "model.outgoing_hook.is_valid.team_id.app_error", "Invalid team id.");
    rc = gr_store_team_get(st, h->team_id, &team);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && team.delete_at != 0))
        return gr_apperr_set(e, 404, "app.team.get.find.app_error",
                             "Unable to find the existing team.");
    if (rc != GR_OK)
        return store_fail(e, rc);
    if (h->channel_id[0] && (code = check_channel(st, h, false, e)) != 0)
        return code;
    if ((code = check_triggers(st, h, NULL, e)) != 0 || (code = gr_outgoing_admin_validate(h, e)))
        return code;
    if (!gr_id_is_valid(h->creator_id))
        return invalid(e, "model.outgoing_hook.is_valid.user_id.app_error", "Invalid user id.");
    gr_id_new(h->id);
    gr_id_new(h->token);
    gr_integ_secret_new(h->secret);
    h->create_at = h->update_at = gr_time_now_ms();
    h->delete_at = 0;
    rc = gr_store_outgoing_insert(st, h);
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

int gr_outgoing_admin_get(struct gr_store *st, const char *id, struct gr_outgoing_hook *out,
                          struct gr_apperr *e)
{
    gr_err rc;

    memset(out, 0, sizeof *out);
    if (id == NULL || !gr_id_is_valid(id))
        return gr_apperr_set(e, 400, "api.context.invalid_url_param.app_error",
                             "Invalid or missing hook_id parameter in request URL.");
    rc = gr_store_outgoing_get(st, id, out);
    if (rc == GR_OK && out->delete_at != 0)
        rc = GR_ENOTFOUND;
    if (rc != GR_OK) {
        gr_outgoing_hook_cleanup(out);
        memset(out, 0, sizeof *out);
    }
    if (rc == GR_ENOTFOUND)
        return gr_apperr_set(e, 404, "app.webhooks.get_outgoing.app_error",
                             "Unable to get the outgoing webhook.");
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

int gr_outgoing_admin_update(struct gr_store *st, const struct gr_outgoing_hook *old,
                             struct gr_outgoing_hook *upd, struct gr_apperr *e)
{
    gr_err rc;
    int code;

    default_lists(upd);
    memcpy(upd->id, old->id, GR_ID_SIZE);
    memcpy(upd->token, old->token, GR_ID_SIZE);
    memcpy(upd->creator_id, old->creator_id, GR_ID_SIZE);
    memcpy(upd->secret, old->secret, GR_SECRET_SIZE);
    upd->create_at = old->create_at;
    upd->delete_at = old->delete_at;
    if (upd->team_id[0] == '\0')
        memcpy(upd->team_id, old->team_id, GR_ID_SIZE);
    if (strcmp(upd->team_id, old->team_id) != 0)
        return gr_apperr_set(e, 400, "api.webhook.team_mismatch.app_error",
                             "Cannot update a webhook across teams.");
    if (upd->channel_id[0] && (code = check_channel(st, upd, true, e)) != 0)
        return code;
    if ((code = check_triggers(st, upd, old->id, e)) != 0 ||
        (code = gr_outgoing_admin_validate(upd, e)) != 0)
        return code;
    upd->update_at = gr_time_now_ms();
    rc = gr_store_outgoing_update(st, upd);
    if (rc == GR_ENOTFOUND)
        return gr_apperr_set(e, 404, "app.webhooks.get_outgoing.app_error",
                             "Unable to get the outgoing webhook.");
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

int gr_outgoing_admin_delete(struct gr_store *st, const char *id, struct gr_apperr *e)
{
    gr_err rc = gr_store_outgoing_delete(st, id, gr_time_now_ms());

    if (rc == GR_ENOTFOUND)
        return gr_apperr_set(e, 404, "app.webhooks.get_outgoing.app_error",
                             "Unable to get the outgoing webhook.");
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

static int save(struct gr_store *st, struct gr_outgoing_hook *h, struct gr_apperr *e)
{
    gr_err rc;

    h->update_at = gr_time_now_ms();
    rc = gr_store_outgoing_update(st, h);
    if (rc == GR_ENOTFOUND)
        return gr_apperr_set(e, 404, "app.webhooks.get_outgoing.app_error",
                             "Unable to get the outgoing webhook.");
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

int gr_outgoing_admin_regen_token(struct gr_store *st, struct gr_outgoing_hook *h,
                                  struct gr_apperr *e)
{
    gr_id_new(h->token);
    return save(st, h, e);
}

int gr_outgoing_admin_rotate_secret(struct gr_store *st, struct gr_outgoing_hook *h,
                                    struct gr_apperr *e)
{
    gr_integ_secret_new(h->secret);
    return save(st, h, e);
}

void gr_outgoing_admin_copy(struct gr_outgoing_hook *dst, const struct gr_outgoing_hook *src)
{
    *dst = *src;
    dst->trigger_words = gr_xstrdup(src->trigger_words ? src->trigger_words : "[]");
    dst->callback_urls = gr_xstrdup(src->callback_urls ? src->callback_urls : "[]");
}

/* ---- JSON out --------------------------------------------------------------------------- */

static void set_str(json_t *o, const char *k, const char *v)
{
    json_t *s = json_string(v ? v : "");

    json_object_set_new(o, k, s ? s : json_string(""));
}

json_t *gr_outgoing_admin_shape(const struct gr_outgoing_hook *h, bool with_secret)
{
    json_t *o = json_object();

    /* Mattermost's field order. */
    set_str(o, "id", h->id);
    set_str(o, "token", h->token);
    json_object_set_new(o, "create_at", json_integer(h->create_at));
    json_object_set_new(o, "update_at", json_integer(h->update_at));
    json_object_set_new(o, "delete_at", json_integer(h->delete_at));
    set_str(o, "creator_id", h->creator_id);
    set_str(o, "channel_id", h->channel_id);
    set_str(o, "team_id", h->team_id);
    json_object_set_new(o, "trigger_words", parse_list(h->trigger_words));
    json_object_set_new(o, "trigger_when", json_integer(h->trigger_when));
    json_object_set_new(o, "callback_urls", parse_list(h->callback_urls));
    set_str(o, "display_name", h->display_name);
    set_str(o, "description", h->description);
    set_str(o, "content_type", h->content_type);
    set_str(o, "username", h->username);
    set_str(o, "icon_url", h->icon_url);
    if (with_secret)
        set_str(o, "secret", h->secret);
    return o;
}
