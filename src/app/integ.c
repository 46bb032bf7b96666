/* SPDX-License-Identifier: MIT */
/*
 * integ.c - what outgoing webhooks, slash commands and buttons share (integ.h): the writer job
 * that stores posts made for an integration, ephemeral posts, Standard Webhooks signatures on
 * the calls griot makes, and the server-wide integration secret.
 */
#include "app/integ.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter/sig.h"
#include "app/actions.h"
#include "app/shapes.h"
#include "core/buf.h"
#include "core/gtime.h"
#include "core/id.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define SECRET_KEY "integration_secret"
#define SECRET_RAW 24 /* bytes of randomness in a signing secret (192 bits) */

/* ---- posts made for an integration ------------------------------------------------------ */

struct posts_job {
    struct gr_write_job wj; /* first member: the writer hands this pointer back */
    struct gr_post *posts;
    size_t n;
    struct gr_apperr err;     /* err.status != 0: apply() refused, nothing written */
    struct gr_apperr invalid; /* status != 0: a post Post.IsValid refuses (found at submit) */
    gr_integ_posts_done_fn done;
    void *ud;
};

static void posts_job_free(struct posts_job *j)
{
    for (size_t i = 0; i < j->n; i++)
        gr_post_cleanup(&j->posts[i]);
    free(j->posts);
    free(j);
}

/* Runs in the batch transaction (maybe twice): refuses a post too long for Post.IsValid,
 * re-checks the channel and the thread root, so an integration reply racing a delete ends as a
 * clean refusal, then inserts the posts. */
static gr_err posts_apply(struct gr_store *st, struct gr_write_job *wj)
{
    struct posts_job *j = (struct posts_job *)wj;
    struct gr_channel ch;
    struct gr_post root = {0};
    gr_err rc;

    memset(&j->err, 0, sizeof j->err);
    wj->posts = NULL;
    wj->nposts = 0;
    if (j->invalid.status != 0) {
        j->err = j->invalid;
        return GR_OK;
    }
    rc = gr_store_channel_get(st, j->posts[0].channel_id, &ch);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && ch.delete_at != 0)) {
        gr_apperr_set(&j->err, 404, "app.channel.get.existing.app_error",
                      "Unable to find the existing channel.");
        return GR_OK;
    }
    if (rc != GR_OK)
        return rc;
    if (j->posts[0].root_id[0]) {
        rc = gr_store_post_get(st, j->posts[0].root_id, &root);
        bool bad = rc == GR_ENOTFOUND || (rc == GR_OK && (root.delete_at != 0 || root.root_id[0] ||
                                                          strcmp(root.channel_id, ch.id) != 0));
        gr_post_cleanup(&root);
        if (bad) {
            gr_apperr_set(&j->err, 400, "api.post.create_post.root_id.app_error",
                          "Invalid RootId parameter.");
            return GR_OK;
        }
        if (rc != GR_OK)
            return rc;
    }
    for (size_t i = 0; i < j->n; i++)
        if ((rc = gr_store_post_insert(st, &j->posts[i])) != GR_OK)
            return rc;
    wj->posts = j->posts;
    wj->nposts = j->n;
    return GR_OK;
}

static void posts_done(struct gr_write_job *wj, gr_err rc)
{
    struct posts_job *j = (struct posts_job *)wj;

    if (rc == GR_OK && j->err.status != 0)
        rc = GR_EINVAL;
    if (rc != GR_OK)
        gr_log_warn("integ", "integration post not stored channel=%s: %s", j->posts[0].channel_id,
                    j->err.status ? j->err.id : gr_err_str(rc));
    if (j->done)
        j->done(j->ud, rc, rc == GR_OK ? j->posts : NULL, rc == GR_OK ? j->n : 0, &j->err);
    posts_job_free(j);
}

gr_err gr_integ_posts_submit(struct gr_app *app, struct gr_integ_posts *req)
{
    struct posts_job *j;
    int64_t now = gr_time_now_ms();

    if (req->ndrafts == 0 || req->channel_id == NULL || req->user_id == NULL) {
        gr_mm_drafts_free(req->drafts, req->ndrafts);
        return GR_EINVAL;
    }
    j = gr_xcalloc(1, sizeof *j);
    j->posts = gr_xcalloc(req->ndrafts, sizeof *j->posts);
    j->n = req->ndrafts;
    j->done = req->done;
    j->ud = req->ud;
    for (size_t i = 0; i < req->ndrafts; i++) {
        struct gr_post *p = &j->posts[i];
        struct gr_mm_draft *d = &req->drafts[i];

        gr_id_new_sorted(p->id);
        snprintf(p->user_id, sizeof p->user_id, "%s", req->user_id);
        snprintf(p->channel_id, sizeof p->channel_id, "%s", req->channel_id);
        snprintf(p->root_id, sizeof p->root_id, "%s", req->root_id ? req->root_id : "");
        snprintf(p->type, sizeof p->type, "%s", d->type ? d->type : "");
        p->message = gr_xstrdup(d->message ? d->message : "");
        if (req->signer)
            gr_mm_actions_set_signer(d->props, req->signer);
        p->props = d->props ? json_dumps(d->props, JSON_COMPACT) : NULL;
        if (p->props == NULL)
            p->props = gr_xstrdup("{}");
        /* Consecutive milliseconds keep a split message in order for readers sorting by
         * create_at, as the incoming-webhook path does. */
        p->create_at = now + (int64_t)i;
        p->update_at = p->create_at;
        p->trigger_webhooks = req->trigger_webhooks;
        /* Post.IsValid's length limits, whatever built the draft (an app's reply, /echo):
         * counted here, on the caller's thread, so the writer only reads the verdict. */
        if (j->invalid.status == 0 &&
            gr_utf8_count(p->message, strlen(p->message)) > GR_MM_MAX_POST_RUNES)
            gr_apperr_set(&j->invalid, 400, "model.post.is_valid.msg.app_error",
                          "Invalid message: longer than %d characters.", GR_MM_MAX_POST_RUNES);
        else if (j->invalid.status == 0 &&
                 gr_utf8_count(p->props, strlen(p->props)) > GR_MM_MAX_PROPS_RUNES)
            gr_apperr_set(&j->invalid, 400, "model.post.is_valid.props.app_error",
                          "Invalid props: longer than %d characters.", GR_MM_MAX_PROPS_RUNES);
    }
    gr_mm_drafts_free(req->drafts, req->ndrafts);
    req->drafts = NULL;
    j->wj.apply = posts_apply;
    j->wj.done = posts_done;
    if (gr_writer_submit(app->writer, &j->wj) != GR_OK) {
        posts_job_free(j);
        return GR_ECLOSED;
    }
    return GR_OK;
}

/* ---- ephemeral posts -------------------------------------------------------------------- */

void gr_integ_ephemeral(struct gr_app *app, const char *user_id, const char *channel_id,
                        const char *root_id, const char *author_id, const char *message,
                        json_t *props)
{
    struct gr_post p = {0};
    json_t *own = props ? json_deep_copy(props) : json_object();
    json_t *shape, *data;
    char *post_json;

    gr_id_new(p.id);
    snprintf(p.user_id, sizeof p.user_id, "%s", author_id ? author_id : user_id);
    snprintf(p.channel_id, sizeof p.channel_id, "%s", channel_id ? channel_id : "");
    snprintf(p.root_id, sizeof p.root_id, "%s", root_id ? root_id : "");
    snprintf(p.type, sizeof p.type, "system_ephemeral");
    p.create_at = p.update_at = gr_time_now_ms();
    /* Ephemeral posts are not stored: their actions carry a sealed cookie instead (§4.5). */
    gr_actions_seal_ephemeral(app, own, p.id, p.root_id, p.channel_id);
    p.message = gr_xstrdup(message ? message : "");
    p.props = json_dumps(own, JSON_COMPACT);
    if (p.props == NULL)
        p.props = gr_xstrdup("{}");
    json_decref(own);
    shape = gr_shape_post(&p);
    post_json = json_dumps(shape, JSON_COMPACT);
    json_decref(shape);
    if (post_json == NULL) {
        gr_post_cleanup(&p);
        return;
    }
    data = json_pack("{s:s}", "post", post_json);
    free(post_json);
    if (data != NULL) {
        struct gr_bus_event ev = {
                .event = "ephemeral_message",
                .channel_id = p.channel_id,
                .team_id = "",
                .user_id = user_id,
                .omit_user_id = "",
                .data = data,
        };
        gr_bus_publish_event(app->bus, &ev);
        json_decref(data);
    }
    gr_post_cleanup(&p);
}

/* ---- signatures ------------------------------------------------------------------------- */

void gr_integ_sign(const char *secret, const char *body, size_t len,
                   char out[GR_INTEG_SIG_HEADERS][GR_INTEG_SIG_HEADER_SIZE])
{
    unsigned char keybuf[256], mac[GR_SIG_MAX_MAC];
    size_t keylen = 0, maclen;
    char id[GR_ID_SIZE + 4], ts[24];
    struct gr_buf b64;
    /* The verifier's own key derivation (sig.c), so any Standard Webhooks library agrees. */
    const void *key = gr_sig_stdwebhooks_key(secret, keybuf, sizeof keybuf, &keylen);
    memcpy(id, "msg_", 4);
    gr_id_new(id + 4);
    snprintf(ts, sizeof ts, "%" PRId64, gr_time_now_ms() / 1000);
    struct gr_slice parts[] = {
            {id, strlen(id)}, {".", 1}, {ts, strlen(ts)}, {".", 1}, {body ? body : "", len},
    };
    maclen = gr_sig_hmac(GR_SIG_SHA256, key, keylen, parts, 5, mac);
    explicit_bzero(keybuf, sizeof keybuf);
    gr_buf_init(&b64, 256);
    gr_sig_b64_encode(mac, maclen, &b64);
    snprintf(out[0], GR_INTEG_SIG_HEADER_SIZE, "webhook-id: %s", id);
    snprintf(out[1], GR_INTEG_SIG_HEADER_SIZE, "webhook-timestamp: %s", ts);
    snprintf(out[2], GR_INTEG_SIG_HEADER_SIZE, "webhook-signature: v1,%s", gr_buf_str(&b64));
    gr_buf_cleanup(&b64);
}

void gr_integ_secret_new(char out[GR_SECRET_SIZE])
{
    unsigned char raw[SECRET_RAW];
    struct gr_buf b64;

    gr_random_bytes(raw, sizeof raw);
    gr_buf_init(&b64, 128);
    gr_sig_b64_encode(raw, sizeof raw, &b64);
    snprintf(out, GR_SECRET_SIZE, "whsec_%s", gr_buf_str(&b64));
    gr_buf_cleanup(&b64);
}

gr_err gr_integ_server_secret(struct gr_store *st, char out[GR_SECRET_SIZE])
{
    char fresh[GR_SECRET_SIZE];
    gr_err rc = gr_store_kv_get(st, SECRET_KEY, out, GR_SECRET_SIZE);

    if (rc != GR_ENOTFOUND)
        return rc;
    /* First use. Two processes (the server and the CLI) may race here: put_new keeps the
     * first secret written and the loser reads it back. */
    gr_integ_secret_new(fresh);
    rc = gr_store_kv_put_new(st, SECRET_KEY, fresh);
    if (rc != GR_OK && rc != GR_EEXIST)
        return rc;
    return gr_store_kv_get(st, SECRET_KEY, out, GR_SECRET_SIZE);
}

gr_err gr_integ_server_secret_rotate(struct gr_store *st, char out[GR_SECRET_SIZE])
{
    gr_integ_secret_new(out);
    return gr_store_kv_put(st, SECRET_KEY, out);
}
