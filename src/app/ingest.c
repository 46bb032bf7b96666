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

struct gr_ingest {
    struct gr_write_job job; /* first member: the writer hands us back this pointer */
    struct gr_post *posts;   /* the posts; job.posts points here only when posting directly */
    size_t nposts;
    char hook_id[GR_ID_SIZE];
    char creator_id[GR_ID_SIZE];
    char dm_user_id[GR_ID_SIZE]; /* non-empty: post into the DM with this user (create it) */
    bool queued;                 /* over the hook's rate: store in its queue, not as posts */
    struct gr_app *app;
    gr_ingest_done_fn done;
    void *ud;
};

static int store_fail(struct gr_apperr *e, gr_err rc)
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

/* Checks 9-13: resolves the target channel into *ch (or a DM to create into dm_user). */
static int resolve_channel(struct gr_store *st, const struct gr_hook *hook, const char *want,
                           struct gr_channel *ch, struct gr_ingest *job, struct gr_apperr *e)
{
    struct gr_user creator, target;
    gr_err rc;
    bool member = false;

    if (want == NULL || want[0] == '\0') {
        rc = gr_store_channel_get(st, hook->channel_id, ch);
        if (rc == GR_ENOTFOUND || (rc == GR_OK && ch->delete_at != 0))
            return gr_apperr_set(e, 404, "app.channel.get.existing.app_error",
                                 "The hook's channel no longer exists.");
        if (rc != GR_OK)
            return store_fail(e, rc);
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
            return store_fail(e, rc);
        char dm[55];
        gr_mm_dm_name(hook->user_id, target.id, dm);
        rc = gr_store_channel_get_by_name(st, "", dm, ch);
        if (rc == GR_ENOTFOUND) {
            /* Created by the writer, inside the transaction that stores the post. */
            memset(ch, 0, sizeof *ch);
            ch->type = 'D';
            memcpy(job->dm_user_id, target.id, GR_ID_SIZE);
        } else if (rc != GR_OK) {
            return store_fail(e, rc);
        }
    } else {
        const char *name = want[0] == '#' ? want + 1 : want;
        rc = gr_store_channel_get_by_name(st, hook->team_id, name, ch);
        if (rc == GR_ENOTFOUND || (rc == GR_OK && ch->delete_at != 0))
            return gr_apperr_set(e, 404, "web.incoming_webhook.channel.app_error",
                                 "Couldn't find the channel.");
        if (rc != GR_OK)
            return store_fail(e, rc);
    }
    /* Check 11: a locked hook posts only to its own channel. */
    if (hook->channel_locked && strcmp(ch->id, hook->channel_id) != 0)
        return gr_apperr_set(e, 403, "web.incoming_webhook.channel_locked.app_error",
                             "This webhook is not permitted to post to the requested channel %s",
                             ch->id[0] ? ch->id : want);
    /* Check 12: the creator must still exist. */
    rc = gr_store_user_get(st, hook->user_id, &creator);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && creator.delete_at != 0))
        return gr_apperr_set(e, 403, "web.incoming_webhook.user.app_error",
                             "The webhook's creator no longer exists.");
    if (rc != GR_OK)
        return store_fail(e, rc);
    /* Check 13: outside open channels the creator needs read access (member or admin). */
    if (ch->type != 'O' && ch->id[0] && !is_admin(&creator)) {
        rc = gr_store_channel_member_is(st, ch->id, creator.id, &member);
        if (rc != GR_OK)
            return store_fail(e, rc);
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

static gr_err apply(struct gr_store *st, struct gr_write_job *wj)
{
    struct gr_ingest *job = (struct gr_ingest *)wj;
    gr_err rc = GR_OK;

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
        if (rc == GR_OK) {
            gr_pacer_queued(job->app->pacer, job->hook_id, job->nposts);
            gr_metrics_hook_queued(job->app->metrics, (unsigned)job->nposts);
        } else {
            gr_pacer_unadmit(job->app->pacer, job->hook_id, job->nposts);
        }
    }
    if (rc == GR_OK) {
        job->done(job->ud, 200, NULL);
    } else {
        store_fail(&e, rc);
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

int gr_ingest_prepare(struct gr_app *app, const char *hook_id, const char *content_type,
                      const char *body, size_t len, struct gr_ingest **job_out,
                      struct gr_ingest_limit *limit, struct gr_apperr *e)
{
    struct gr_mm_incoming in;
    struct gr_mm_draft *drafts = NULL;
    size_t ndrafts = 0;
    struct gr_store *st;
    struct gr_hook hook;
    struct gr_channel ch;
    struct gr_ingest *job = NULL;
    int code;
    gr_err rc;

    *job_out = NULL;
    memset(limit, 0, sizeof *limit);
    memset(&in, 0, sizeof in);
    code = gr_mm_incoming_decode(content_type, body, len, hook_id, &in, e); /* checks 2-4 */
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
    st = gr_app_reader(app);
    if (st == NULL) {
        code = store_fail(e, GR_ESTORE);
        goto out;
    }
    rc = gr_store_hook_get(st, hook_id, &hook); /* check 8 */
    if (rc == GR_ENOTFOUND) {
        code = gr_apperr_set(e, 400, "web.incoming_webhook.invalid.app_error", "Invalid webhook.");
        goto out;
    }
    if (rc != GR_OK) {
        code = store_fail(e, rc);
        goto out;
    }
    job = gr_xcalloc(1, sizeof *job);
    job->app = app;
    memcpy(job->hook_id, hook.id, GR_ID_SIZE);
    memcpy(job->creator_id, hook.user_id, GR_ID_SIZE);
    code = resolve_channel(st, &hook, in.channel, &ch, job, e); /* checks 9-13 */
    if (code)
        goto out;
    code = gr_mm_incoming_check_fields(&in, e); /* checks 14, 15 */
    if (code)
        goto out;
    struct gr_mm_build_opts bo = {
            .username_override = app->opt.username_override,
            .icon_override = app->opt.icon_override,
            .max_runes = GR_MM_MAX_POST_RUNES,
            .max_props_runes = GR_MM_MAX_PROPS_RUNES,
            .hook_display_name = hook.display_name,
            .hook_username = hook.username,
            .hook_icon_url = hook.icon_url,
            .username_of = username_of,
            .username_ud = st,
    };
    code = gr_mm_incoming_build(&in, &bo, &drafts, &ndrafts, e);
    if (code)
        goto out;
    job->posts = gr_xcalloc(ndrafts, sizeof *job->posts);
    job->nposts = ndrafts;
    int64_t now = gr_time_now_ms();
    for (size_t i = 0; i < ndrafts; i++) {
        struct gr_post *p = &job->posts[i];
        gr_id_new_sorted(p->id);
        memcpy(p->user_id, hook.user_id, GR_ID_SIZE);
        memcpy(p->channel_id, ch.id, GR_ID_SIZE); /* "" for a DM the writer creates */
        snprintf(p->type, sizeof p->type, "%s", drafts[i].type);
        p->message = drafts[i].message;
        drafts[i].message = NULL;
        p->props = json_dumps(drafts[i].props, JSON_COMPACT);
        if (p->props == NULL)
            p->props = gr_xstrdup("{}");
        p->create_at = p->update_at = now;
    }
    /* The per-hook limiter decides last, once the request is known to be good. */
    switch (gr_pacer_admit(app->pacer, &hook, ndrafts, &limit->info, &limit->has_headers)) {
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
    *job_out = job;
    job = NULL;
out:
    gr_mm_drafts_free(drafts, ndrafts);
    gr_mm_incoming_cleanup(&in);
    gr_ingest_free(job);
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
        return store_fail(e, GR_ECLOSED);
    }
    return 0;
}
