/* SPDX-License-Identifier: MIT */
/*
 * actions.c - a click on an interactive message action (spec mattermost-compat §4; actions.h).
 *
 * Three threads take part, each handing the click (struct click) to the next:
 *  1. the HTTP worker (gr_actions_click) checks the caller, finds the action in the stored post
 *     (or in the cookie of an ephemeral post), builds the request of §4.3 and submits it to the
 *     outbound engine;
 *  2. the engine's thread (on_response) reads the app's answer. Without an `update` it sends
 *     the ephemeral text, if any, and answers; with one it prepares the new message and props
 *     and submits a writer job;
 *  3. the writer (update_run, then update_done after the commit) edits the post it re-reads
 *     inside the transaction, publishes `post_edited`, then the ephemeral text goes out and the
 *     client gets its answer.
 * The request is signed (Standard Webhooks) with the secret of the command or outgoing hook
 * that made the post, named by the action's integration.griot_signer (mm/actions.h), else (no
 * signer) with the server integration secret; a click on a button whose command or hook was
 * deleted is refused. Buttons an update brings get the clicked action's signer.
 * Whoever answers frees the click. Failures of the app (network, timeout, non-200, junk) are all
 * 400 api.post.do_action.action_integration.app_error, as in Mattermost; the reason is logged
 * (never the URL's query or the context, which may hold secrets).
 */
#include "app/actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "adapter/sig.h"
#include "app/integ.h"
#include "app/rest_int.h"
#include "app/shapes.h"
#include "core/buf.h"
#include "core/gtime.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "mm/incoming.h"
#include "mm/slack.h"

#define COOKIE_KEY  "cookie_key"
#define TRIGGER_KEY "trigger_key" /* never shown: whoever has it can make anyone's trigger ids */
#define ACTION_ERR  "api.post.do_action.action_integration.app_error"

/* ---- keys ------------------------------------------------------------------------------ */

static bool decode_key(const char *text, unsigned char key[GR_MM_COOKIE_KEY_SIZE])
{
    size_t n = 0;

    return gr_sig_b64_decode(text, strlen(text), key, GR_MM_COOKIE_KEY_SIZE, &n) &&
           n == GR_MM_COOKIE_KEY_SIZE;
}

/* The kv value `name`, 32 random bytes as base64, created on first use. */
static gr_err kv_key(struct gr_store *st, const char *name, char *text, size_t size)
{
    gr_err rc = gr_store_kv_get(st, name, text, size);

    if (rc == GR_ENOTFOUND) {
        unsigned char raw[GR_MM_COOKIE_KEY_SIZE];
        struct gr_buf b;

        gr_random_bytes(raw, sizeof raw);
        gr_buf_init(&b, size);
        rc = gr_sig_b64_encode(raw, sizeof raw, &b);
        OPENSSL_cleanse(raw, sizeof raw);
        /* Two processes may race to create it: put_new keeps the first, both read it back. */
        if (rc == GR_OK)
            rc = gr_store_kv_put_new(st, name, gr_buf_str(&b));
        if (b.p)
            OPENSSL_cleanse(b.p, b.len);
        gr_buf_cleanup(&b);
        if (rc == GR_OK || rc == GR_EEXIST)
            rc = gr_store_kv_get(st, name, text, size);
    }
    return rc;
}

gr_err gr_actions_cookie_key(struct gr_store *st, unsigned char key[GR_MM_COOKIE_KEY_SIZE])
{
    char text[128];
    gr_err rc = kv_key(st, COOKIE_KEY, text, sizeof text);

    if (rc == GR_OK && !decode_key(text, key)) {
        gr_log_warn("actions", "the stored cookie key is not 32 bytes of base64");
        rc = GR_ESTORE;
    }
    OPENSSL_cleanse(text, sizeof text);
    return rc;
}

gr_err gr_actions_keys_init(struct gr_app *app)
{
    struct gr_store *st = gr_app_reader(app);
    unsigned char key[GR_MM_COOKIE_KEY_SIZE];
    char text[GR_SECRET_SIZE > 128 ? GR_SECRET_SIZE : 128];
    gr_err rc;

    if (st == NULL)
        return GR_ESTORE;
    rc = gr_actions_cookie_key(st, key);
    OPENSSL_cleanse(key, sizeof key);
    if (rc == GR_OK)
        rc = kv_key(st, TRIGGER_KEY, text, sizeof text);
    if (rc == GR_OK)
        rc = gr_integ_server_secret(st, text);
    OPENSSL_cleanse(text, sizeof text);
    if (rc != GR_OK)
        gr_log_warn("actions",
                    "cannot create the integration keys at start (%s); they will be made on "
                    "first use",
                    gr_err_str(rc));
    return rc;
}

gr_err gr_actions_seal_ephemeral(struct gr_app *app, json_t *props, const char *post_id,
                                 const char *root_id, const char *channel_id)
{
    unsigned char key[GR_MM_COOKIE_KEY_SIZE];
    struct gr_store *st;
    gr_err rc;

    if (!json_is_array(json_object_get(props, "attachments")))
        return GR_OK; /* no attachments, no actions */
    st = gr_app_reader(app);
    rc = st ? gr_actions_cookie_key(st, key) : GR_ESTORE;
    if (rc != GR_OK) {
        gr_log_warn("actions", "ephemeral post %s: no cookie key (%s), its buttons will not work",
                    post_id, gr_err_str(rc));
        gr_mm_actions_assign_ids(json_object_get(props, "attachments"));
        gr_mm_actions_strip(props);
        return rc;
    }
    if (gr_mm_actions_seal(props, key, post_id, root_id, channel_id) < 0) {
        gr_log_warn("actions", "ephemeral post %s: sealing a cookie failed", post_id);
        rc = GR_ENOMEM;
    }
    OPENSSL_cleanse(key, sizeof key);
    return rc;
}

gr_err gr_actions_trigger_id_new(struct gr_store *st, const char *user_id,
                                 char out[GR_MM_TRIGGER_ID_SIZE])
{
    char key[128];
    gr_err rc = kv_key(st, TRIGGER_KEY, key, sizeof key);

    out[0] = '\0';
    if (rc == GR_OK)
        gr_mm_trigger_id_make(key, user_id, gr_time_now_ms(), out);
    OPENSSL_cleanse(key, sizeof key);
    return rc;
}

bool gr_actions_trigger_id_valid(struct gr_store *st, const char *trigger_id, const char *user_id,
                                 int lifetime_s)
{
    char key[128];
    bool ok = kv_key(st, TRIGGER_KEY, key, sizeof key) == GR_OK &&
              gr_mm_trigger_id_verify(key, trigger_id, user_id, gr_time_now_ms(),
                                      (int64_t)lifetime_s * 1000);

    OPENSSL_cleanse(key, sizeof key);
    return ok;
}

/* ---- the click ------------------------------------------------------------------------- */

struct click {
    struct gr_app *app;
    gr_rest_done_fn done; /* the HTTP side's answer */
    void *ud;
    char user_id[GR_ID_SIZE];
    char post_id[GR_ID_SIZE];
    char action_id[GR_MM_ACTION_ID_MAX + 1];
    char channel_id[GR_ID_SIZE];
    char root_id[GR_ID_SIZE]; /* the thread an ephemeral answer goes to */
    char trigger_id[GR_MM_TRIGGER_ID_SIZE];
    char signer[GR_INTEG_SIGNER_SIZE]; /* the clicked action's ("" = none): new buttons of an
                                        * update get it too */
    json_t *retain;  /* props of an ephemeral answer: the post's look (retained keys) */
    char *ephemeral; /* set once the app answered: the text to send, converted */
};

static void click_free(struct click *k)
{
    json_decref(k->retain);
    free(k->ephemeral);
    free(k);
}

static int action_error(struct gr_apperr *e, const char *detail)
{
    gr_apperr_set(e, 400, ACTION_ERR, "Action integration error.");
    snprintf(e->detail, sizeof e->detail, "%s", detail);
    return 400;
}

/* The answer of a click that went through: ephemeral text first (it reaches the clicker's
 * sockets before the HTTP answer arrives), then 200. Frees k. */
static void click_succeed(struct click *k)
{
    json_t *body;

    if (k->ephemeral)
        gr_integ_ephemeral(k->app, k->user_id, k->channel_id, k->root_id, k->user_id, k->ephemeral,
                           k->retain);
    body = json_pack("{s:s, s:s}", "status", "OK", "trigger_id", k->trigger_id);
    k->done(k->ud, 200, body, NULL);
    click_free(k);
}

static void click_fail(struct click *k, const struct gr_apperr *e)
{
    k->done(k->ud, e->status, NULL, e);
    click_free(k);
}

/* Slack links unless the app asked for its text as it is (§4.4); NULL when s is NULL. */
static char *convert(const char *s, bool skip)
{
    struct gr_buf b;

    if (s == NULL || skip)
        return s ? gr_xstrdup(s) : NULL;
    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    if (gr_mm_slack_links(s, strlen(s), &b) != GR_OK) {
        gr_buf_cleanup(&b);
        return gr_xstrdup(s);
    }
    return gr_buf_steal(&b);
}

/* ---- the update (writer thread) ----------------------------------------------------------- */

struct update_job {
    struct gr_rest_job base; /* first */
    struct click *k;
    char *message;       /* the new message, converted */
    json_t *props;       /* the update's props, processed; NULL = keep the post's */
    struct gr_post post; /* the post as edited by the last run */
};

static void update_cleanup(struct gr_rest_job *j)
{
    struct update_job *u = (struct update_job *)j;

    free(u->message);
    json_decref(u->props);
    gr_post_cleanup(&u->post);
}

static gr_err update_run(struct gr_store *st, struct gr_rest_job *j)
{
    struct update_job *u = (struct update_job *)j;
    struct gr_post *p = &u->post;
    int64_t now = gr_time_now_ms();
    json_t *old, *np, *shape, *d;
    char *text;
    bool changed;
    gr_err rc;

    gr_post_cleanup(p);
    /* Re-read inside the transaction: the post may have been edited or deleted while the app
     * was thinking, and the props rule applies to what is stored now. */
    rc = gr_store_post_get(st, u->k->post_id, p);
    if (rc == GR_OK && p->delete_at != 0)
        rc = GR_ENOTFOUND;
    if (rc == GR_ENOTFOUND)
        return gr_rest__refuse(j, 404, "app.post.get.app_error", "Unable to get the post.");
    if (rc != GR_OK)
        return rc;
    if (gr_utf8_count(u->message, strlen(u->message)) > GR_MM_MAX_POST_RUNES)
        return gr_rest__refuse(j, 400, "model.post.is_valid.msg.app_error",
                               "Invalid message: too long.");
    old = json_loads(p->props ? p->props : "{}", 0, NULL);
    np = gr_mm_action_update_props(old, u->props);
    json_decref(old);
    text = json_dumps(np, JSON_COMPACT);
    json_decref(np);
    if (text == NULL)
        return GR_ENOMEM;
    if (gr_utf8_count(text, strlen(text)) > GR_MM_MAX_PROPS_RUNES) {
        free(text);
        return gr_rest__refuse(j, 400, "model.post.is_valid.props.app_error",
                               "Invalid props: too long.");
    }
    /* id, user, channel, root, type, create_at and is_pinned stay as stored. */
    changed = strcmp(p->message, u->message) != 0;
    free(p->message);
    p->message = gr_xstrdup(u->message);
    free(p->props);
    p->props = text;
    p->update_at = now;
    if (changed)
        p->edit_at = now;
    rc = gr_store_post_update(st, p);
    if (rc != GR_OK)
        return rc;
    shape = gr_shape_post(p); /* the client shape: integrations stripped */
    d = json_object();
    json_object_set_new(d, "post", gr_rest__json_string_of(shape));
    json_decref(shape);
    gr_rest__event(j, "post_edited", p->channel_id, NULL, NULL, d);
    j->resp = json_pack("{s:s, s:s}", "status", "OK", "trigger_id", u->k->trigger_id);
    return GR_OK;
}

/* After the commit (or the refusal): the job's done, with ud = the click. */
static void update_done(void *ud, int status, json_t *body, const struct gr_apperr *e)
{
    struct click *k = ud;

    if (status == 200) {
        json_decref(body);
        click_succeed(k);
    } else {
        click_fail(k, e);
    }
}

/* Prepares the update from the app's answer and hands it to the writer. Takes k. */
static void submit_update(struct click *k, json_t *update, bool skip)
{
    struct gr_rest_ctx ctx = {.app = k->app, .user = NULL, .done = update_done, .ud = k};
    struct update_job *u;
    struct gr_apperr e;
    json_t *props = json_object_get(update, "props"), *atts;

    u = gr_rest__job_new(&ctx, sizeof *u, update_run, 200);
    u->base.cleanup = update_cleanup;
    u->k = k;
    /* Mattermost replaces the message with the update's, "" when it has none. */
    u->message = convert(json_string_value(json_object_get(update, "message")), skip);
    if (u->message == NULL)
        u->message = gr_xstrdup("");
    if (json_is_object(props)) {
        u->props = json_deep_copy(props);
        /* New buttons must be clickable: their attachments get the treatment of §8.2. */
        atts = json_object_get(u->props, "attachments");
        if (atts && !json_is_null(atts)) {
            json_t *done = NULL;
            if (gr_mm_attachments_process(atts, NULL, NULL, &done, &e) != 0) {
                gr_rest__job_free(&u->base);
                action_error(&e, "the update's attachments are invalid");
                click_fail(k, &e);
                return;
            }
            if (done)
                json_object_set_new(u->props, "attachments", done);
            else
                json_object_del(u->props, "attachments");
            /* The app that made the clicked button answered: its new buttons are signed the
             * same way (normalisation above removed any signer the app wrote). */
            if (k->signer[0])
                gr_mm_actions_set_signer(u->props, k->signer);
        } else if (atts) {
            json_object_del(u->props, "attachments");
        }
    }
    if (gr_rest__submit(&u->base, &e) != GR_REST_PENDING)
        click_fail(k, &e); /* the job was freed by submit */
}

/* ---- the app's answer (outbound engine thread) -------------------------------------------- */

static void on_response(void *ud, const struct gr_out_response *resp)
{
    struct click *k = ud;
    struct gr_mm_action_resp ar;
    struct gr_apperr e;
    char why[160];

    gr_metrics_outbound(k->app->metrics, "action", gr_out_result_name(resp->result));
    if (resp->result != GR_OUT_OK || resp->status != 200) {
        if (resp->result != GR_OUT_OK)
            snprintf(why, sizeof why, "%s: %s", gr_out_result_name(resp->result), resp->error);
        else
            snprintf(why, sizeof why, "the app answered HTTP %ld", resp->status);
        gr_log_warn("actions", "action %s of post %s: %s", k->action_id, k->post_id, why);
        /* The guard's words may say what an internal host name resolves to: the log only. */
        action_error(&e, resp->result == GR_OUT_REFUSED
                                 ? "the app's address is not allowed (allow_internal)"
                                 : why);
        click_fail(k, &e);
        return;
    }
    if (gr_mm_action_response_parse(resp->body, resp->body_len, &ar) != 0) {
        gr_log_warn("actions", "action %s of post %s: the app's answer is not a valid response",
                    k->action_id, k->post_id);
        action_error(&e, "the app's answer is not a valid response");
        click_fail(k, &e);
        return;
    }
    k->ephemeral = convert(ar.ephemeral_text, ar.skip_slack_parsing);
    if (ar.update)
        submit_update(k, ar.update, ar.skip_slack_parsing);
    else
        click_succeed(k);
    gr_mm_action_resp_cleanup(&ar);
}

/* ---- the click (HTTP worker) ------------------------------------------------------------- */

/* What the request to the app needs, from a stored post or from a cookie. */
struct target {
    struct gr_channel ch;
    json_t *doc; /* what owns the strings below (post props or opened cookie) */
    const char *url;
    json_t *context;    /* borrowed from doc; may be NULL */
    const char *signer; /* integration.griot_signer, borrowed; NULL = none */
    const char *type, *data_source;
};

/*
 * The secret that signs the click (griot's addition to §4.3): the secret of the command or
 * outgoing hook that made the post, named by the action's signer; the server integration
 * secret when there is none (posts of bots, users, incoming webhooks). A signer whose command or
 * hook is gone (or that does not parse) refuses the click: signing it with the server secret
 * would let anyone's look-alike buttons and this one pass for each other. Returns 0 with secret
 * filled, or a status with e filled.
 */
static int click_secret(struct gr_store *st, const char *signer, const char *post_id,
                        char secret[GR_SECRET_SIZE], struct gr_apperr *e)
{
    const char *id = NULL;
    bool command = false, live = false;
    gr_err rc = GR_OK;

    if (signer == NULL) {
        rc = gr_integ_server_secret(st, secret);
        return rc == GR_OK ? 0 : gr_rest__store_fail(e, rc);
    }
    if (strncmp(signer, "command:", 8) == 0) {
        command = true;
        id = signer + 8;
    } else if (strncmp(signer, "outgoing:", 9) == 0) {
        id = signer + 9;
    }
    if (id == NULL || !gr_id_is_valid(id)) {
        gr_log_warn("actions", "post %s: an action's signer is not understood, click refused",
                    post_id);
        return action_error(e, "the integration that made this button is unknown");
    }
    if (command) {
        struct gr_command cmd = {0};

        rc = gr_store_command_get(st, id, &cmd);
        live = rc == GR_OK && cmd.delete_at == 0;
        if (live)
            snprintf(secret, GR_SECRET_SIZE, "%s", cmd.secret);
        OPENSSL_cleanse(&cmd, sizeof cmd);
    } else {
        struct gr_outgoing_hook h = {0};

        rc = gr_store_outgoing_get(st, id, &h);
        live = rc == GR_OK && h.delete_at == 0;
        if (live)
            snprintf(secret, GR_SECRET_SIZE, "%s", h.secret);
        gr_outgoing_hook_cleanup(&h);
        OPENSSL_cleanse(&h, sizeof h);
    }
    if (live)
        return 0;
    if (rc != GR_OK && rc != GR_ENOTFOUND)
        return gr_rest__store_fail(e, rc);
    gr_log_info("actions", "post %s: the %s %s that made its buttons is deleted, click refused",
                post_id, command ? "command" : "outgoing hook", id);
    return action_error(e, "the integration that made this button was deleted");
}

static int from_post(struct gr_store *st, const struct gr_rest_ctx *c, const char *post_id,
                     const char *action_id, struct click *k, struct target *t, struct gr_apperr *e)
{
    struct gr_post p = {0};
    json_t *a, *integ;
    int code = gr_rest__load_post(st, c->user, post_id, &p, &t->ch, e);

    if (code)
        return code;
    t->doc = json_loads(p.props ? p.props : "{}", 0, NULL);
    snprintf(k->root_id, sizeof k->root_id, "%s", p.root_id[0] ? p.root_id : p.id);
    gr_post_cleanup(&p);
    a = gr_mm_action_find(t->doc, action_id);
    integ = json_object_get(a, "integration");
    if (!json_is_object(integ))
        return gr_apperr_set(e, 404, "api.post.do_action.action_id.app_error",
                             "Unable to find action with id=%s.", action_id);
    t->url = json_string_value(json_object_get(integ, "url"));
    t->context = json_object_get(integ, "context");
    t->signer = gr_mm_action_signer(a);
    t->type = json_string_value(json_object_get(a, "type"));
    t->data_source = json_string_value(json_object_get(a, "data_source"));
    /* An ephemeral answer keeps the post's look. */
    k->retain = json_object();
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(t->doc, gr_mm_action_retain_keys[i]);
        if (v)
            json_object_set(k->retain, gr_mm_action_retain_keys[i], v);
    }
    return 0;
}

/* §4.5: the post is not stored (an ephemeral post); its cookie carries the action. */
static int from_cookie(struct gr_store *st, const struct gr_rest_ctx *c, const char *post_id,
                       const char *action_id, const char *cookie, struct click *k, struct target *t,
                       struct gr_apperr *e)
{
    unsigned char key[GR_MM_COOKIE_KEY_SIZE];
    enum gr_rest_access acc;
    json_t *integ;
    const char *s, *id;
    gr_err rc = gr_actions_cookie_key(st, key);

    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    t->doc = gr_mm_cookie_open(key, cookie);
    OPENSSL_cleanse(key, sizeof key);
    if (t->doc == NULL)
        return action_error(e, "the cookie does not open");
    s = json_string_value(json_object_get(t->doc, "post_id"));
    if (s == NULL || strcmp(s, post_id) != 0)
        return action_error(e, "the cookie belongs to another post");
    id = json_string_value(json_object_get(t->doc, "id"));
    if (id == NULL || strcmp(id, action_id) != 0)
        return gr_apperr_set(e, 404, "api.post.do_action.action_id.app_error",
                             "Unable to find action with id=%s.", action_id);
    s = json_string_value(json_object_get(t->doc, "channel_id"));
    if (s == NULL)
        return action_error(e, "the cookie has no channel");
    {
        int code = gr_rest__load_channel(st, c->user, s, &t->ch, &acc, e);
        if (code)
            return code;
    }
    integ = json_object_get(t->doc, "integration");
    t->url = json_string_value(json_object_get(integ, "url"));
    t->context = json_object_get(integ, "context");
    t->signer = json_string_value(json_object_get(integ, GR_MM_SIGNER_KEY));
    t->type = json_string_value(json_object_get(t->doc, "type"));
    t->data_source = json_string_value(json_object_get(t->doc, "data_source"));
    s = json_string_value(json_object_get(t->doc, "root_post_id"));
    snprintf(k->root_id, sizeof k->root_id, "%s", s ? s : "");
    k->retain = json_is_object(json_object_get(t->doc, "retain_props"))
                        ? json_deep_copy(json_object_get(t->doc, "retain_props"))
                        : json_object();
    return 0;
}

int gr_actions_click(const struct gr_rest_ctx *c, const char *post_id, const char *action_id,
                     json_t *body, json_t **out, struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    struct target t = {0};
    struct click *k = NULL;
    struct gr_team team = {0};
    const char *selected = NULL, *cookie = NULL;
    char secret[GR_SECRET_SIZE], sig[GR_INTEG_SIG_HEADERS][GR_INTEG_SIG_HEADER_SIZE];
    const char *hdrs[2 + GR_INTEG_SIG_HEADERS];
    struct gr_mm_action_req q;
    struct gr_out_request req;
    char *json = NULL;
    int code;
    gr_err rc;

    (void)out;
    if (st == NULL)
        return e->status;
    if (!gr_id_is_valid(post_id))
        return gr_rest__bad_url(e, "post_id");
    if (body != NULL && !json_is_object(body))
        return gr_rest__bad_body(e, "action request");
    if (!gr_rest__opt_str(body, "selected_option", &selected))
        return gr_rest__bad_body(e, "selected_option");
    if (!gr_rest__opt_str(body, "cookie", &cookie))
        return gr_rest__bad_body(e, "cookie");
    if (!gr_mm_action_id_valid(action_id))
        return gr_apperr_set(e, 404, "api.post.do_action.action_id.app_error",
                             "Unable to find action with id=%s.", "(invalid)");
    k = gr_xcalloc(1, sizeof *k);
    k->app = c->app;
    k->done = c->done;
    k->ud = c->ud;
    snprintf(k->user_id, sizeof k->user_id, "%s", c->user->id);
    snprintf(k->post_id, sizeof k->post_id, "%s", post_id);
    snprintf(k->action_id, sizeof k->action_id, "%s", action_id);

    /* A stored post wins over a cookie (Mattermost ignores the cookie then). */
    code = from_post(st, c, post_id, action_id, k, &t, e);
    if (code == 404 && e->id && strcmp(e->id, "app.post.get.app_error") == 0 && cookie &&
        cookie[0]) {
        json_decref(t.doc);
        memset(&t, 0, sizeof t);
        code = from_cookie(st, c, post_id, action_id, cookie, k, &t, e);
    }
    if (code)
        goto out;
    if (t.url == NULL || t.url[0] == '\0') {
        code = action_error(e, "the action has no integration url");
        goto out;
    }
    snprintf(k->channel_id, sizeof k->channel_id, "%s", t.ch.id);
    if (t.ch.team_id[0]) {
        rc = gr_store_team_get(st, t.ch.team_id, &team);
        if (rc != GR_OK && rc != GR_ENOTFOUND) {
            code = gr_rest__store_fail(e, rc);
            goto out;
        }
    }
    if (t.signer && strlen(t.signer) < sizeof k->signer)
        memcpy(k->signer, t.signer, strlen(t.signer) + 1);
    code = click_secret(st, t.signer, post_id, secret, e);
    if (code)
        goto out;
    rc = gr_actions_trigger_id_new(st, k->user_id, k->trigger_id);
    if (rc != GR_OK) {
        OPENSSL_cleanse(secret, sizeof secret);
        code = gr_rest__store_fail(e, rc);
        goto out;
    }
    q = (struct gr_mm_action_req){
            .user_id = c->user->id,
            .user_name = c->user->username,
            .channel_id = t.ch.id,
            .channel_name = t.ch.name,
            .team_id = t.ch.team_id,
            .team_domain = team.name,
            .post_id = post_id,
            .trigger_id = k->trigger_id,
            .type = t.type,
            .data_source = t.data_source,
            .context = t.context,
            .selected_option = selected,
    };
    json = gr_mm_action_request_json(&q);
    gr_integ_sign(secret, json, strlen(json), sig);
    OPENSSL_cleanse(secret, sizeof secret);
    hdrs[0] = "Content-Type: application/json";
    hdrs[1] = "Accept: application/json";
    for (size_t i = 0; i < GR_INTEG_SIG_HEADERS; i++)
        hdrs[2 + i] = sig[i];
    req = (struct gr_out_request){
            .method = "POST",
            .url = t.url,
            .headers = hdrs,
            .nheaders = 2 + GR_INTEG_SIG_HEADERS,
            .body = json,
            .body_len = strlen(json),
            .timeout_ms =
                    c->app->opt.outgoing_timeout_s > 0 ? c->app->opt.outgoing_timeout_s * 1000 : 0,
            .follow_redirects = true,
            .done = on_response,
            .ud = k,
    };
    rc = c->app->outbound ? gr_outbound_submit(c->app->outbound, &req) : GR_ECLOSED;
    if (rc != GR_OK) {
        code = action_error(e, "the outbound engine is not running");
        goto out;
    }
    k = NULL; /* on_response has it now */
    code = GR_REST_PENDING;
out:
    free(json);
    json_decref(t.doc);
    if (k)
        click_free(k);
    return code;
}
