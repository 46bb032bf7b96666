/* SPDX-License-Identifier: MIT */
/*
 * ingest_source.c - POST /hooks/{id} for a hook with a native source (Forgejo, GitHub,
 * Grafana, Wave, ...): authenticate, verify the signature over the raw bytes before parsing
 * anything, parse and render through the source's adapter (or the hook's template), filter
 * events, drop replayed deliveries, route to a channel (possibly computed and created), then
 * hand the resulting Mattermost-shaped message to the same post-building path as the
 * Mattermost protocol.
 *
 * Order of checks (the first failing one answers; nothing is stored for any of them):
 *   hooks enabled (501) -> source known -> IP allow-list (403) -> credentials (401) ->
 *   signature (401) -> payload (400) -> event filter (200, nothing posted) ->
 *   replay (200, nothing posted) -> template -> channel (404/403) -> posts.
 * Refusals are counted in /metrics and logged with the source and the failed check, never with
 * the hook id, secrets or signatures.
 */
#include "app/app_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "adapter/adapter.h"
#include "adapter/sig.h"
#include "app/hook_config.h"
#include "core/gtime.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "mm/names.h"
#include "tmpl/tmpl.h"

static int refuse(struct gr_app *app, const struct gr_adapter *a, const char *peer,
                  struct gr_apperr *e)
{
    gr_metrics_source_refused(app->metrics, a->name, e->id);
    gr_log_warn("source", "refused source=%s reason=%s peer=%s", a->name, e->id, peer);
    return e->status;
}

static bool ip_allowed(const struct gr_hook_config *hc, const char *peer)
{
    for (size_t i = 0; i < hc->nallow; i++)
        if (gr_cidr_match(&hc->allow[i], peer))
            return true;
    return false;
}

/* Authorization: Bearer <token> against auth_bearer, or Basic <b64> against auth_basic. */
static int check_credentials(const struct gr_hook_config *hc, const struct gr_ingest_req *req,
                             struct gr_apperr *e)
{
    const char *h = req->header(req->header_ud, "Authorization");

    if (h && strncasecmp(h, "Bearer ", 7) == 0 && hc->nbearer)
        return gr_sig_check_token(h + 7, hc->bearer, hc->nbearer, e);
    if (h && strncasecmp(h, "Basic ", 6) == 0 && hc->nbasic) {
        unsigned char raw[512];
        size_t n = 0;
        char given[513];
        if (!gr_sig_b64_decode(h + 6, strlen(h + 6), raw, sizeof raw - 1, &n))
            n = 0;
        memcpy(given, raw, n);
        given[n] = '\0';
        int code = gr_sig_check_token(given, hc->basic, hc->nbasic, e);
        explicit_bzero(given, sizeof given);
        explicit_bzero(raw, sizeof raw);
        return code;
    }
    return gr_sig_check_token(NULL, NULL, 0, e);
}

/* Renders every string of a JSON template document (a Mattermost-shaped message). */
/* The first template error of a render, for the user (`griot template render`). */
struct render_err {
    bool failed;
    char msg[160];
};

static void note_error(struct render_err *re, const char *where, const char *err)
{
    if (!re->failed)
        snprintf(re->msg, sizeof re->msg, "%s: %s", where, err);
    re->failed = true;
}

static json_t *render_value(json_t *v, json_t *ctx, const struct gr_tmpl_opts *o,
                            struct render_err *re)
{
    if (json_is_string(v)) {
        struct gr_buf b;
        char err[128];
        json_t *out;
        gr_buf_init(&b, 1 << 20);
        if (gr_tmpl_render_string(json_string_value(v), json_string_length(v), ctx, o, &b, err,
                                  sizeof err) != GR_OK)
            note_error(re, json_string_value(v), err);
        out = json_stringn(gr_buf_str(&b), b.len);
        gr_buf_cleanup(&b);
        return out ? out : json_string("");
    }
    if (json_is_object(v)) {
        json_t *o2 = json_object(), *x;
        const char *k;
        json_object_foreach(v, k, x) json_object_set_new(o2, k, render_value(x, ctx, o, re));
        return o2;
    }
    if (json_is_array(v)) {
        json_t *a = json_array(), *x;
        size_t i;
        json_array_foreach(v, i, x) json_array_append_new(a, render_value(x, ctx, o, re));
        return a;
    }
    return json_incref(v);
}

/*
 * The template context: the payload's own keys at the root (so {{repository.full_name}} works
 * as in the sender's docs), plus "griot": {event, action, source, text} where text is the
 * default rendering.
 */
static json_t *context(const struct gr_src_event *ev, const char *source)
{
    json_t *ctx = json_is_object(ev->payload) ? json_deep_copy(ev->payload) : json_object();
    json_t *g = json_object();

    if (!json_is_object(ev->payload) && ev->payload)
        json_object_set(ctx, "payload", ev->payload);
    json_object_set_new(g, "event", json_string(ev->event));
    json_object_set_new(g, "action", json_string(ev->action));
    json_object_set_new(g, "source", json_string(source));
    json_object_set(g, "text", json_object_get(ev->message, "text"));
    json_object_set_new(ctx, "griot", g);
    return ctx;
}

/* The hook's template applied to the event: a message object, or NULL (use the default). */
static json_t *apply_template(const char *src, json_t *ctx, struct gr_apperr *e, int *code)
{
    struct gr_tmpl_opts o = {.mode = GR_TMPL_MARKDOWN, .helpers = true};
    const char *p = src;
    struct render_err re = {.failed = false};
    json_t *msg = NULL;

    while (*p && isspace((unsigned char)*p))
        p++;
    /* A JSON object, not a Mustache tag ("{{"). */
    if (p[0] == '{' && p[1] != '{') {
        json_error_t jerr;
        json_t *doc = json_loads(src, 0, &jerr);
        if (!json_is_object(doc)) {
            json_decref(doc);
            *code = gr_apperr_set(e, 500, "griot.hook.template.invalid",
                                  "The hook's template is not a JSON object: %s", jerr.text);
            return NULL;
        }
        msg = render_value(doc, ctx, &o, &re);
        json_decref(doc);
    } else {
        struct gr_buf b;
        char err[128];
        gr_buf_init(&b, 1 << 20);
        if (gr_tmpl_render_string(src, strlen(src), ctx, &o, &b, err, sizeof err) != GR_OK)
            note_error(&re, "template", err);
        msg = json_object();
        json_object_set_new(msg, "text", json_stringn(gr_buf_str(&b), b.len));
        gr_buf_cleanup(&b);
    }
    if (re.failed) {
        json_decref(msg);
        *code = gr_apperr_set(e, 500, "griot.hook.template.invalid",
                              "The hook's template failed to render (%.160s); try it with "
                              "`griot template render`.",
                              re.msg);
        return NULL;
    }
    return msg;
}

/* Channel-name rules of spec §9 from free text: lowercase, other characters become '-', runs
 * collapsed, no leading/trailing '-', at most 64 characters. Returns false if nothing is left. */
static bool normalize_channel(const char *in, char out[GR_NAME_SIZE])
{
    size_t n = 0;
    bool dash = false;

    if (in[0] == '#' || in[0] == '~')
        in++;
    for (const char *p = in; *p && n < GR_NAME_SIZE - 1; p++) {
        char c = (char)tolower((unsigned char)*p);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
            out[n++] = c;
            dash = false;
        } else if (n > 0 && !dash) {
            out[n++] = '-';
            dash = true;
        }
    }
    while (n > 0 && (out[n - 1] == '-' || out[n - 1] == '_'))
        n--;
    out[n] = '\0';
    return n > 0 && gr_mm_channel_name_valid(out);
}

static int route(struct gr_app *app, struct gr_dirview *dv, const struct gr_hook *hook,
                 const struct gr_hook_config *hc, json_t *msg, json_t *ctx,
                 struct gr_channel *ch, struct gr_ingest *job, struct gr_apperr *e)
{
    struct gr_store *st = dv->st;
    char name[GR_NAME_SIZE] = "";
    const char *want = json_string_value(json_object_get(msg, "channel"));
    struct gr_user creator;
    bool member = false;
    gr_err rc;

    (void)app;
    if (hc->channel_template) {
        struct gr_tmpl_opts o = {.mode = GR_TMPL_MARKDOWN, .helpers = true};
        struct gr_buf b;
        char err[128];
        gr_buf_init(&b, 4096);
        rc = gr_tmpl_render_string(hc->channel_template, strlen(hc->channel_template), ctx, &o,
                                   &b, err, sizeof err);
        if (rc != GR_OK || !normalize_channel(gr_buf_str(&b), name)) {
            gr_buf_cleanup(&b);
            return gr_apperr_set(e, 400, "griot.hook.channel_template.empty",
                                 "The hook's channel template gave no usable channel name.");
        }
        gr_buf_cleanup(&b);
    } else if (want && want[0]) {
        if (!normalize_channel(want, name))
            return gr_apperr_set(e, 404, "web.incoming_webhook.channel.app_error",
                                 "Couldn't find the channel.");
    }
    memset(ch, 0, sizeof *ch);
    if (name[0] == '\0') {
        rc = gr_dirview_channel_get(dv, hook->channel_id, ch);
        if (rc == GR_ENOTFOUND || (rc == GR_OK && ch->delete_at != 0))
            return gr_apperr_set(e, 404, "app.channel.get.existing.app_error",
                                 "The hook's channel no longer exists.");
        if (rc != GR_OK)
            return gr_ingest__store_fail(e, rc);
    } else {
        rc = gr_store_channel_get_by_name(st, hook->team_id, name, ch);
        if (rc == GR_OK && ch->delete_at != 0)
            rc = GR_ENOTFOUND;
        if (rc == GR_ENOTFOUND && !hc->auto_create)
            return gr_apperr_set(e, 404, "web.incoming_webhook.channel.app_error",
                                 "Couldn't find the channel '%s'.", name);
        if (rc == GR_ENOTFOUND) {
            memset(ch, 0, sizeof *ch);
            ch->type = 'O';
            snprintf(ch->name, sizeof ch->name, "%s", name);
            snprintf(job->create_channel, sizeof job->create_channel, "%s", name);
        } else if (rc != GR_OK) {
            return gr_ingest__store_fail(e, rc);
        }
    }
    /* A locked hook stays in its channel, or under its allowed prefix. */
    if (hook->channel_locked && strcmp(ch->id, hook->channel_id) != 0 &&
        !(hc->allow_channel_prefix &&
          strncmp(ch->name, hc->allow_channel_prefix, strlen(hc->allow_channel_prefix)) == 0))
        return gr_apperr_set(e, 403, "web.incoming_webhook.channel_locked.app_error",
                             "This webhook is not permitted to post to the requested channel %s",
                             ch->name);
    rc = gr_dirview_user_get(dv, hook->user_id, &creator);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && creator.delete_at != 0))
        return gr_apperr_set(e, 403, "web.incoming_webhook.user.app_error",
                             "The webhook's creator no longer exists.");
    if (rc != GR_OK)
        return gr_ingest__store_fail(e, rc);
    if (ch->type != 'O' && ch->id[0] && strstr(creator.roles, "system_admin") == NULL) {
        rc = gr_store_channel_member_is(st, ch->id, creator.id, &member);
        if (rc != GR_OK)
            return gr_ingest__store_fail(e, rc);
        if (!member)
            return gr_apperr_set(e, 403, "web.incoming_webhook.permissions.app_error",
                                 "User %s does not have appropriate permissions to channel %s",
                                 creator.username, ch->name);
    }
    json_object_del(msg, "channel");
    return 0;
}

int gr_ingest__prepare_source(struct gr_app *app, struct gr_dirview *dv,
                              const struct gr_ingest_req *req, const struct gr_hook *hook,
                              struct gr_ingest **job_out, struct gr_ingest_limit *limit,
                              struct gr_apperr *e)
{
    struct gr_store *st = dv->st;
    const struct gr_adapter *a = gr_adapter_find(hook->source);
    struct gr_hook_config hc;
    struct gr_src_event ev;
    struct gr_mm_incoming in;
    struct gr_channel ch;
    struct gr_ingest *job = NULL;
    json_t *ctx = NULL, *msg = NULL;
    char *text = NULL;
    bool seen = false;
    int code;

    memset(&ev, 0, sizeof ev);
    memset(&in, 0, sizeof in);
    memset(&hc, 0, sizeof hc);
    if (!app->opt.enable_incoming_webhooks)
        return gr_apperr_set(e, 501, "web.incoming_webhook.disabled.app_error",
                             "Incoming webhooks have been disabled by the system admin.");
    if (a == NULL)
        return gr_apperr_set(e, 500, "griot.hook.source_unknown",
                             "The hook's source '%s' is not known to this griot.", hook->source);
    code = gr_hook_config_parse(hook->source_config, &hc, e);
    if (code) {
        e->status = code = 500;
        goto out;
    }
    if (hc.nallow && !ip_allowed(&hc, req->peer)) {
        gr_apperr_set(e, 403, "griot.source.ip_not_allowed",
                      "Requests from this address are not accepted for this hook.");
        code = refuse(app, a, req->peer, e);
        goto out;
    }
    if ((hc.nbearer || hc.nbasic) && (code = check_credentials(&hc, req, e)) != 0) {
        code = refuse(app, a, req->peer, e);
        goto out;
    }
    struct gr_src_request sreq = {
            .content_type = req->content_type,
            .body = req->body,
            .len = req->len,
            .header = req->header,
            .header_ud = req->header_ud,
            .now_s = gr_time_now_ms() / 1000,
    };
    struct gr_src_config cfg = {
            .secrets = hc.secrets,
            .nsecrets = hc.nsecrets,
            .tolerance_s = hc.tolerance_s,
            .lang = hc.lang ? hc.lang : "en",
            .sig_header = hc.sig_header,
            .sig_algo = hc.sig_algo,
            .sig_encoding = hc.sig_encoding,
            .sig_prefix = hc.sig_prefix,
            .sig_content = hc.sig_content,
            .ts_header = hc.ts_header,
    };
    if (hc.nsecrets) {
        code = a->verify(&cfg, &sreq, e);
        if (code) {
            code = refuse(app, a, req->peer, e);
            goto out;
        }
    } else if (a->requires_auth && !hc.nbearer && !hc.nbasic) {
        /* Never post an unverified payment, even if the hook was stored without a secret. */
        gr_apperr_set(e, 401, "griot.source.unauthorized",
                      "This source needs a signing secret or a bearer token on the hook.");
        code = refuse(app, a, req->peer, e);
        goto out;
    }
    code = a->parse(&cfg, &sreq, &ev, e);
    if (code) {
        if (code < 500)
            code = refuse(app, a, req->peer, e);
        goto out;
    }
    if (!gr_hook_config_wants(&hc, ev.event, ev.action)) {
        gr_log_debug("source", "event %s filtered out source=%s", ev.event, a->name);
        goto out; /* 200, nothing posted */
    }
    if (ev.delivery_id[0] && hc.dedup_window_s > 0) {
        if (gr_store_delivery_exists(st, hook->id, ev.delivery_id,
                                     gr_time_now_ms() - hc.dedup_window_s * 1000,
                                     &seen) == GR_OK &&
            seen) {
            gr_log_info("source", "repeated delivery ignored source=%s", a->name);
            goto out; /* 200, nothing posted */
        }
    }
    ctx = context(&ev, a->name);
    if (hc.template_src) {
        msg = apply_template(hc.template_src, ctx, e, &code);
        if (code)
            goto out;
    }
    if (msg == NULL)
        msg = json_deep_copy(ev.message ? ev.message : json_object());
    if (!json_is_object(msg)) {
        json_decref(msg);
        msg = json_object();
    }
    /* Posts read "Forgejo", "Grafana"... unless the message or the hook names someone. */
    if (json_object_get(msg, "username") == NULL && hook->username[0] == '\0')
        json_object_set_new(msg, "username",
                            json_string(a->display_name ? a->display_name : a->name));
    job = gr_ingest__new(app, hook);
    code = route(app, dv, hook, &hc, msg, ctx, &ch, job, e);
    if (code)
        goto out;
    /* A template that renders nothing falls back to a one-line notice, never to an error. */
    const char *t = json_string_value(json_object_get(msg, "text"));
    if ((t == NULL || t[0] == '\0') && json_array_size(json_object_get(msg, "attachments")) == 0)
        json_object_set_new(msg, "text",
                            json_sprintf("`%s` event from %s", ev.event[0] ? ev.event : "unknown",
                                         a->name));
    text = json_dumps(msg, JSON_COMPACT);
    if (text == NULL) {
        code = gr_apperr_set(e, 500, "griot.hook.render.app_error", "Could not build the post.");
        goto out;
    }
    code = gr_mm_incoming_decode("application/json", text, strlen(text), hook->id, &in, e);
    if (code == 0)
        code = gr_mm_incoming_check_text(&in, e);
    if (code)
        goto out;
    if (ev.delivery_id[0] && hc.dedup_window_s > 0)
        snprintf(job->delivery_id, sizeof job->delivery_id, "%s", ev.delivery_id);
    code = gr_ingest__finish(app, st, hook, &in, &ch, job, limit, e);
    if (code)
        goto out;
    *job_out = job;
    job = NULL;
out:
    free(text);
    json_decref(msg);
    json_decref(ctx);
    gr_mm_incoming_cleanup(&in);
    gr_src_event_cleanup(&ev);
    gr_hook_config_cleanup(&hc);
    gr_ingest_free(job);
    return code;
}

size_t gr_ingest_body_limit(struct gr_app *app, const char *hook_id, size_t dflt)
{
    struct gr_store *st = gr_app_reader(app);
    struct gr_hook *hook;
    const struct gr_adapter *a;
    size_t limit = dflt;

    if (st == NULL || hook_id == NULL)
        return dflt;
    hook = gr_xmalloc(sizeof *hook);
    if (gr_store_hook_get(st, hook_id, hook) == GR_OK &&
        (a = gr_adapter_find(hook->source)) != NULL && a->max_body > dflt)
        limit = a->max_body;
    free(hook);
    return limit;
}

int gr_ingest_preview(const char *source, const char *template_src, const char *lang,
                      const char *content_type, const char *body, size_t len,
                      const char *(*header)(void *ud, const char *name), void *header_ud,
                      json_t **msg_out, struct gr_apperr *e)
{
    struct gr_src_event ev;
    json_t *ctx = NULL, *msg = NULL, *payload = NULL;
    int code = 0;

    *msg_out = NULL;
    memset(&ev, 0, sizeof ev);
    if (source && strcmp(source, "mattermost") != 0) {
        const struct gr_adapter *a = gr_adapter_find(source);
        struct gr_src_config cfg = {.lang = lang ? lang : "en", .tolerance_s = 0};
        struct gr_src_request sreq = {.content_type = content_type,
                                      .body = body,
                                      .len = len,
                                      .header = header,
                                      .header_ud = header_ud,
                                      .now_s = gr_time_now_ms() / 1000};
        if (a == NULL)
            return gr_apperr_set(e, 400, "griot.hook.source_unknown", "Unknown source '%s'.",
                                 source);
        code = a->parse(&cfg, &sreq, &ev, e);
        if (code)
            goto out;
        ctx = context(&ev, a->name);
    } else {
        json_error_t jerr;
        payload = json_loadb(body, len, 0, &jerr);
        if (payload == NULL) {
            code = gr_apperr_set(e, 400, "griot.source.payload.invalid",
                                 "The data is not JSON: %s (line %d).", jerr.text, jerr.line);
            goto out;
        }
        ev.payload = payload;
        ev.message = json_is_object(payload) ? json_incref(payload) : json_object();
        payload = NULL;
        ctx = context(&ev, "mattermost");
    }
    if (template_src) {
        msg = apply_template(template_src, ctx, e, &code);
        if (code)
            goto out;
    } else {
        msg = json_incref(ev.message);
    }
    *msg_out = msg;
    msg = NULL;
out:
    json_decref(msg);
    json_decref(ctx);
    json_decref(payload);
    gr_src_event_cleanup(&ev);
    return code;
}
