/* SPDX-License-Identifier: MIT */
/* ingest.c - see ingest.h. */
#include "app/ingest.h"

#include "app/app_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gtime.h"
#include "core/id.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "mm/incoming.h"
#include "mm/names.h"


int gr_ingest__store_fail(struct gr_apperr *e, gr_err rc)
{
    return gr_apperr_set(e, 503, "api.context.server_busy.app_error",
                         "The store is not available (%s); the message was not accepted.",
                         gr_err_str(rc));
}

static bool username_of(void *ud, const char *user_id, char *out, size_t size)
{
    struct gr_user u;

    if (!gr_id_is_valid(user_id) || gr_store_user_get(ud, user_id, &u) != GR_OK)
        return false;
    snprintf(out, size, "%s", u.username);
    return true;
}

static bool is_admin(const struct gr_user *u)
{
    return strstr(u->roles, "system_admin") != NULL;
}

/* Checks 9-13: resolves the target channel into *ch (or a DM to create into dm_user). The
 * hook's own channel and its creator come through the directory cache. */
static int resolve_channel(struct gr_dirview *dv, const struct gr_hook *hook, const char *want,
                           struct gr_channel *ch, struct gr_ingest *job, struct gr_apperr *e)
{
    struct gr_store *st = dv->st;
    struct gr_user creator, target;
    gr_err rc;
    bool member = false;

    if (want == NULL || want[0] == '\0') {
        rc = gr_dirview_channel_get(dv, hook->channel_id, ch);
        if (rc == GR_ENOTFOUND || (rc == GR_OK && ch->delete_at != 0))
            return gr_apperr_set(e, 404, "app.channel.get.existing.app_error",
                                 "The hook's channel no longer exists.");
        if (rc != GR_OK)
            return gr_ingest__store_fail(e, rc);
    } else if (want[0] == '@') {
        char uname[GR_NAME_SIZE];
        size_t i;
        for (i = 0; want[i + 1] && i < sizeof uname - 1; i++)
            uname[i] = (char)tolower((unsigned char)want[i + 1]);
        uname[i] = '\0';
        rc = want[i + 1] ? GR_ENOTFOUND : gr_store_user_get_by_name(st, uname, &target);
        if (rc == GR_ENOTFOUND || (rc == GR_OK && target.delete_at != 0))
            return gr_apperr_set(e, 400, "web.incoming_webhook.user.app_error",
                                 "Couldn't find the user %s", want + 1);
        if (rc != GR_OK)
            return gr_ingest__store_fail(e, rc);
        char dm[55];
        gr_mm_dm_name(hook->user_id, target.id, dm);
        rc = gr_store_channel_get_by_name(st, "", dm, ch);
        if (rc == GR_ENOTFOUND) {
            /* Created by the writer, inside the transaction that stores the post. */
            memset(ch, 0, sizeof *ch);
            ch->type = 'D';
            memcpy(job->dm_user_id, target.id, GR_ID_SIZE);
        } else if (rc != GR_OK) {
            return gr_ingest__store_fail(e, rc);
        }
    } else {
        const char *name = want[0] == '#' ? want + 1 : want;
        rc = gr_store_channel_get_by_name(st, hook->team_id, name, ch);
        if (rc == GR_ENOTFOUND || (rc == GR_OK && ch->delete_at != 0))
            return gr_apperr_set(e, 404, "web.incoming_webhook.channel.app_error",
                                 "Couldn't find the channel.");
        if (rc != GR_OK)
            return gr_ingest__store_fail(e, rc);
    }
    /* Check 11: a locked hook posts only to its own channel. */
    if (hook->channel_locked && strcmp(ch->id, hook->channel_id) != 0)
        return gr_apperr_set(e, 403, "web.incoming_webhook.channel_locked.app_error",
                             "This webhook is not permitted to post to the requested channel %s",
                             ch->id[0] ? ch->id : want);
    /* Check 12: the creator must still exist. */
    rc = gr_dirview_user_get(dv, hook->user_id, &creator);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && creator.delete_at != 0))
        return gr_apperr_set(e, 403, "web.incoming_webhook.user.app_error",
                             "The webhook's creator no longer exists.");
    if (rc != GR_OK)
        return gr_ingest__store_fail(e, rc);
    /* Check 13: outside open channels the creator needs read access (member or admin). */
    if (ch->type != 'O' && ch->id[0] && !is_admin(&creator)) {
        rc = gr_store_channel_member_is(st, ch->id, creator.id, &member);
        if (rc != GR_OK)
            return gr_ingest__store_fail(e, rc);
        if (!member)
            return gr_apperr_set(e, 403, "web.incoming_webhook.permissions.app_error",
                                 "User %s does not have appropriate permissions to channel %s",
                                 creator.username, ch->name);
    }
    return 0;
}

gr_err gr_app__dm_channel(struct gr_store *st, const char *a, const char *b,
                          char id_out[GR_ID_SIZE])
{
    struct gr_channel ch;
    char dm[55];
    gr_err rc;

    gr_mm_dm_name(a, b, dm);
    rc = gr_store_channel_get_by_name(st, "", dm, &ch);
    if (rc == GR_ENOTFOUND) {
        memset(&ch, 0, sizeof ch);
        gr_id_new(ch.id);
        snprintf(ch.name, sizeof ch.name, "%s", dm);
        ch.type = 'D';
        snprintf(ch.creator_id, sizeof ch.creator_id, "%s", a);
        ch.create_at = ch.update_at = gr_time_now_ms();
        rc = gr_store_channel_insert(st, &ch);
        if (rc == GR_OK)
            rc = gr_store_channel_member_add(st, ch.id, a);
        if (rc == GR_OK && strcmp(a, b) != 0)
            rc = gr_store_channel_member_add(st, ch.id, b);
    }
    if (rc == GR_OK)
        memcpy(id_out, ch.id, GR_ID_SIZE);
    return rc;
}

/* Finds or creates (public, owned by the hook's creator) the channel a channel template named. */
static gr_err ensure_channel(struct gr_store *st, struct gr_ingest *job, char id_out[GR_ID_SIZE])
{
    struct gr_channel ch;
    gr_err rc = gr_store_channel_get_by_name(st, job->team_id, job->create_channel, &ch);

    if (rc == GR_ENOTFOUND) {
        memset(&ch, 0, sizeof ch);
        gr_id_new(ch.id);
        memcpy(ch.team_id, job->team_id, GR_ID_SIZE);
        snprintf(ch.name, sizeof ch.name, "%s", job->create_channel);
        snprintf(ch.display_name, sizeof ch.display_name, "%s", job->create_channel);
        ch.type = 'O';
        memcpy(ch.creator_id, job->creator_id, GR_ID_SIZE);
        ch.create_at = ch.update_at = gr_time_now_ms();
        rc = gr_store_channel_insert(st, &ch);
        if (rc == GR_OK)
            rc = gr_store_channel_member_add(st, ch.id, job->creator_id);
    }
    if (rc == GR_OK)
        memcpy(id_out, ch.id, GR_ID_SIZE);
    return rc;
}

static gr_err apply(struct gr_store *st, struct gr_write_job *wj)
{
    struct gr_ingest *job = (struct gr_ingest *)wj;
    gr_err rc = GR_OK;

    /* apply() may run twice (batch replay): recompute everything it decides. */
    job->duplicate = false;
    if (!job->queued) {
        job->job.posts = job->posts;
        job->job.nposts = job->nposts;
    }
    if (job->delivery_id[0]) {
        /* Replay protection in the same transaction as the posts: a delivery id is either
         * recorded together with its posts or not at all. */
        rc = gr_store_delivery_seen(st, job->hook_id, job->delivery_id, gr_time_now_ms(),
                                    &job->duplicate);
        if (rc != GR_OK || job->duplicate) {
            job->job.nposts = 0;
            return rc;
        }
    }
    if (job->create_channel[0]) {
        char id[GR_ID_SIZE];
        rc = ensure_channel(st, job, id);
        for (size_t i = 0; i < job->nposts && rc == GR_OK; i++)
            memcpy(job->posts[i].channel_id, id, GR_ID_SIZE);
        if (rc != GR_OK)
            return rc;
    }
    if (job->queued) {
        /* Over the rate: the posts wait in the hook's queue; the pacer posts them later. */
        int64_t now = gr_time_now_ms();
        for (size_t i = 0; i < job->nposts && rc == GR_OK; i++) {
            struct gr_queued q;
            memset(&q, 0, sizeof q);
            memcpy(q.hook_id, job->hook_id, GR_ID_SIZE);
            memcpy(q.dm_user_id, job->dm_user_id, GR_ID_SIZE);
            q.enqueued_at = now;
            q.post = job->posts[i]; /* borrowed for the call */
            rc = gr_store_queue_push(st, &q);
        }
        return rc;
    }
    if (job->dm_user_id[0]) {
        char id[GR_ID_SIZE];
        rc = gr_app__dm_channel(st, job->creator_id, job->dm_user_id, id);
        for (size_t i = 0; i < job->nposts && rc == GR_OK; i++)
            memcpy(job->posts[i].channel_id, id, GR_ID_SIZE);
    }
    for (size_t i = 0; i < job->nposts && rc == GR_OK; i++)
        rc = gr_store_post_insert(st, &job->posts[i]);
    return rc;
}

static void on_done(struct gr_write_job *wj, gr_err rc)
{
    struct gr_ingest *job = (struct gr_ingest *)wj;
    struct gr_apperr e;

    if (job->queued) {
        if (rc == GR_OK && !job->duplicate) {
            gr_pacer_queued(job->app->pacer, job->hook_id, job->nposts);
            gr_metrics_hook_queued(job->app->metrics, (unsigned)job->nposts);
        } else {
            gr_pacer_unadmit(job->app->pacer, job->hook_id, job->nposts);
        }
    }
    if (rc == GR_OK) {
        job->done(job->ud, 200, NULL);
    } else {
        gr_ingest__store_fail(&e, rc);
        job->done(job->ud, e.status, &e);
    }
    gr_ingest_free(job);
}

void gr_ingest_free(struct gr_ingest *job)
{
    if (job == NULL)
        return;
    for (size_t i = 0; i < job->nposts; i++)
        gr_post_cleanup(&job->posts[i]);
    free(job->posts);
    free(job);
}

int gr_ingest__finish(struct gr_app *app, struct gr_store *st, const struct gr_hook *hook,
                      const struct gr_mm_incoming *in, const struct gr_channel *ch,
                      struct gr_ingest *job, struct gr_ingest_limit *limit, struct gr_apperr *e)
{
    struct gr_mm_draft *drafts = NULL;
    size_t ndrafts = 0;
    int code;

    code = gr_mm_incoming_check_fields(in, e); /* checks 14, 15 */
    if (code)
        goto out;
    struct gr_mm_build_opts bo = {
            .username_override = app->opt.username_override,
            .icon_override = app->opt.icon_override,
            .max_runes = GR_MM_MAX_POST_RUNES,
            .max_props_runes = GR_MM_MAX_PROPS_RUNES,
            .hook_display_name = hook->display_name,
            .hook_username = hook->username,
            .hook_icon_url = hook->icon_url,
            .username_of = username_of,
            .username_ud = st,
    };
    code = gr_mm_incoming_build(in, &bo, &drafts, &ndrafts, e);
    if (code)
        goto out;
    job->posts = gr_xcalloc(ndrafts, sizeof *job->posts);
    job->nposts = ndrafts;
    int64_t now = gr_time_now_ms();
    for (size_t i = 0; i < ndrafts; i++) {
        struct gr_post *p = &job->posts[i];
        gr_id_new_sorted(p->id);
        memcpy(p->user_id, hook->user_id, GR_ID_SIZE);
        memcpy(p->channel_id, ch->id, GR_ID_SIZE); /* "" for a channel the writer creates */
        snprintf(p->type, sizeof p->type, "%s", drafts[i].type);
        p->message = drafts[i].message;
        drafts[i].message = NULL;
        p->props = json_dumps(drafts[i].props, JSON_COMPACT);
        if (p->props == NULL)
            p->props = gr_xstrdup("{}");
        p->create_at = p->update_at = now;
    }
    /* The per-hook limiter decides last, once the request is known to be good. */
    switch (gr_pacer_admit(app->pacer, hook, ndrafts, &limit->info, &limit->has_headers)) {
    case GR_ADMIT_DIRECT:
        job->job.posts = job->posts;
        job->job.nposts = job->nposts;
        break;
    case GR_ADMIT_QUEUE:
        job->queued = true;
        break;
    case GR_ADMIT_REJECT:
        gr_metrics_hook_rejected(app->metrics);
        code = gr_apperr_set(e, 429, "griot.hook.rate_limited", "limit exceeded");
        goto out;
    }
    job->job.apply = apply;
    job->job.done = on_done;
out:
    gr_mm_drafts_free(drafts, ndrafts);
    return code;
}

struct gr_ingest *gr_ingest__new(struct gr_app *app, const struct gr_hook *hook)
{
    struct gr_ingest *job = gr_xcalloc(1, sizeof *job);

    job->app = app;
    memcpy(job->hook_id, hook->id, GR_ID_SIZE);
    memcpy(job->creator_id, hook->user_id, GR_ID_SIZE);
    memcpy(job->team_id, hook->team_id, GR_ID_SIZE);
    return job;
}

/* The Mattermost protocol (spec §1), checks in Mattermost's order. */
static int prepare_mattermost(struct gr_app *app, struct gr_dirview *dv,
                              const struct gr_ingest_req *req, const struct gr_hook *hook,
                              gr_err rc, struct gr_ingest **job_out,
                              struct gr_ingest_limit *limit, struct gr_apperr *e)
{
    struct gr_mm_incoming in;
    struct gr_channel ch;
    struct gr_ingest *job = NULL;
    int code;

    memset(&in, 0, sizeof in);
    code = gr_mm_incoming_decode(req->content_type, req->body, req->len, req->hook_id, &in,
                                 e); /* checks 2-4 */
    if (code)
        goto out;
    if (!app->opt.enable_incoming_webhooks) { /* check 5, after decoding as in Mattermost */
        code = gr_apperr_set(e, 501, "web.incoming_webhook.disabled.app_error",
                             "Incoming webhooks have been disabled by the system admin.");
        goto out;
    }
    code = gr_mm_incoming_check_text(&in, e); /* checks 6, 7 */
    if (code)
        goto out;
    if (rc == GR_ENOTFOUND) { /* check 8 (the hook was read before, the answer waits till now) */
        code = gr_apperr_set(e, 400, "web.incoming_webhook.invalid.app_error", "Invalid webhook.");
        goto out;
    }
    if (rc != GR_OK) {
        code = gr_ingest__store_fail(e, rc);
        goto out;
    }
    job = gr_ingest__new(app, hook);
    code = resolve_channel(dv, hook, in.channel, &ch, job, e); /* checks 9-13 */
    if (code)
        goto out;
    code = gr_ingest__finish(app, dv->st, hook, &in, &ch, job, limit, e);
    if (code)
        goto out;
    *job_out = job;
    job = NULL;
out:
    gr_mm_incoming_cleanup(&in);
    gr_ingest_free(job);
    return code;
}

int gr_ingest_prepare(struct gr_app *app, const struct gr_ingest_req *req,
                      struct gr_ingest **job_out, struct gr_ingest_limit *limit,
                      struct gr_apperr *e)
{
    struct gr_store *st;
    struct gr_dirview dv;
    struct gr_hook *hook;
    int code;
    gr_err rc;

    *job_out = NULL;
    memset(limit, 0, sizeof *limit);
    st = gr_app_reader(app);
    if (st == NULL)
        return gr_ingest__store_fail(e, GR_ESTORE);
    gr_dircache_view(app->dircache, st, &dv);
    hook = gr_xmalloc(sizeof *hook); /* ~20 KB: kept off the worker thread's stack */
    rc = gr_dirview_hook_get(&dv, req->hook_id, hook);
    if (rc == GR_OK && strcmp(hook->source, "mattermost") != 0)
        code = gr_ingest__prepare_source(app, &dv, req, hook, job_out, limit, e);
    else
        code = prepare_mattermost(app, &dv, req, hook, rc, job_out, limit, e);
    free(hook);
    return code;
}


int gr_ingest_submit(struct gr_app *app, struct gr_ingest *job, gr_ingest_done_fn done, void *ud,
                     struct gr_apperr *e)
{
    job->done = done;
    job->ud = ud;
    if (gr_writer_submit(app->writer, &job->job) != GR_OK) {
        if (job->queued)
            gr_pacer_unadmit(app->pacer, job->hook_id, job->nposts);
        gr_ingest_free(job);
        return gr_ingest__store_fail(e, GR_ECLOSED);
    }
    return 0;
}
