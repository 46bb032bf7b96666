/* SPDX-License-Identifier: MIT */
/*
 * command_hook.c - delayed responses to slash commands (spec mattermost-compat §3.7): POST
 * /hooks/commands/{id}, the response_url griot handed to the command.
 *
 * The body is decoded on the HTTP worker (a JSON document that does not decode is refused
 * before anything is counted). Then one writer job checks and counts the use atomically
 * (gr_store_command_webhook_try_use: at most 5 uses within 30 minutes of the execution) and
 * reads the command, for its configured overrides; its completion hands the response to the
 * same handling as a direct reply (commands.c), in the original channel and thread, as the
 * user who ran the command. A use is counted even if its posts then fail, as in Mattermost.
 */
#include "app/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rest.h"
#include "core/buf.h"
#include "core/gtime.h"
#include "core/xalloc.h"
#include "store/store.h"

struct hook_job {
    struct gr_write_job wj; /* first member */
    struct gr_app *app;
    char id[GR_ID_SIZE];
    struct gr_mm_command_resp resp;
    /* Filled by apply(): */
    struct gr_apperr err; /* err.status != 0: refused */
    struct gr_command__target t;
    gr_command_hook_done_fn done;
    void *ud;
};

static void hook_job_free(struct hook_job *j)
{
    gr_mm_command_resp_cleanup(&j->resp);
    free(j);
}

static int missing(struct gr_apperr *e)
{
    return gr_apperr_set(e, 404, "app.command_webhook.get.missing", "Unable to get the webhook.");
}

/* In the writer's transaction (maybe twice): count one use, then read what the response needs.
 * A refusal rolls nothing back because it writes nothing. */
static gr_err apply(struct gr_store *st, struct gr_write_job *wj)
{
    struct hook_job *j = (struct hook_job *)wj;
    struct gr_command_webhook w;
    struct gr_command cmd;
    gr_err rc;

    memset(&j->err, 0, sizeof j->err);
    wj->posts = NULL;
    wj->nposts = 0;
    wj->events = NULL;
    wj->nevents = 0;
    rc = gr_store_command_webhook_try_use(st, j->id, gr_time_now_ms() - GR_COMMAND_HOOK_LIFETIME_MS,
                                          GR_COMMAND_HOOK_MAX_USES, &w);
    if (rc == GR_ENOTFOUND) {
        missing(&j->err);
        return GR_OK;
    }
    if (rc == GR_ETOOBIG) {
        gr_apperr_set(&j->err, 400, "app.command_webhook.try_use.invalid",
                      "Invalid webhook: it was already used the maximum number of times.");
        return GR_OK;
    }
    if (rc != GR_OK)
        return rc;
    /* The command may have been deleted since it ran: its URL dies with it. The use counted
     * above is part of this transaction, which then writes nothing else, so it still counts;
     * that is harmless for an id nobody can use any more. */
    rc = gr_store_command_get(st, w.command_id, &cmd);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && cmd.delete_at != 0)) {
        missing(&j->err);
        return GR_OK;
    }
    if (rc != GR_OK)
        return rc;
    memset(&j->t, 0, sizeof j->t);
    memcpy(j->t.user_id, w.user_id, GR_ID_SIZE);
    memcpy(j->t.channel_id, w.channel_id, GR_ID_SIZE);
    memcpy(j->t.root_id, w.root_id, GR_ID_SIZE);
    memcpy(j->t.team_id, cmd.team_id, GR_ID_SIZE);
    memcpy(j->t.command_id, cmd.id, GR_ID_SIZE); /* its secret signs the buttons */
    snprintf(j->t.trigger, sizeof j->t.trigger, "%s", cmd.trigger);
    snprintf(j->t.username, sizeof j->t.username, "%s", cmd.username);
    snprintf(j->t.icon_url, sizeof j->t.icon_url, "%s", cmd.icon_url);
    return GR_OK;
}

static void finish(void *ud, int status, json_t *answer, const struct gr_apperr *e)
{
    struct hook_job *j = ud;

    json_decref(answer);
    j->done(j->ud, status, e);
    hook_job_free(j);
}

static void on_done(struct gr_write_job *wj, gr_err rc)
{
    struct hook_job *j = (struct hook_job *)wj;
    struct gr_mm_command_resp r;
    struct gr_apperr e;

    if (rc != GR_OK) {
        gr_apperr_set(&e, 503, "api.context.server_busy.app_error",
                      "The store is not available (%s).", gr_err_str(rc));
        finish(j, 503, NULL, &e);
        return;
    }
    if (j->err.status != 0) {
        finish(j, j->err.status, NULL, &j->err);
        return;
    }
    r = j->resp;
    memset(&j->resp, 0, sizeof j->resp);
    gr_command__respond(j->app, &j->t, &r, finish, j);
}

int gr_command_hook_post(struct gr_app *app, const char *id, const char *content_type,
                         const char *body, size_t len, gr_command_hook_done_fn done, void *ud,
                         struct gr_apperr *e)
{
    struct hook_job *j;
    char type[64] = "";

    /* The media type without parameters, lowercased: Mattermost compares it to
     * application/json; anything else is plain text. */
    if (content_type != NULL) {
        size_t n = strcspn(content_type, ";");
        while (n > 0 && (content_type[n - 1] == ' ' || content_type[n - 1] == '\t'))
            n--;
        while (n > 0 && (*content_type == ' ' || *content_type == '\t'))
            content_type++, n--;
        if (n < sizeof type) {
            for (size_t i = 0; i < n; i++)
                type[i] = (char)((content_type[i] >= 'A' && content_type[i] <= 'Z')
                                         ? content_type[i] + 32
                                         : content_type[i]);
            type[n] = '\0';
        }
    }
    j = gr_xcalloc(1, sizeof *j);
    if (gr_mm_command_reply_parse(type, body, len, &j->resp) != 0) {
        hook_job_free(j);
        return gr_apperr_set(e, 400, "web.command_webhook.parse.app_error",
                             "Unable to parse incoming data.");
    }
    if (!gr_id_is_valid(id)) {
        hook_job_free(j);
        return missing(e);
    }
    memcpy(j->id, id, GR_ID_SIZE);
    j->app = app;
    j->done = done;
    j->ud = ud;
    j->wj.apply = apply;
    j->wj.done = on_done;
    if (gr_writer_submit(app->writer, &j->wj) != GR_OK) {
        hook_job_free(j);
        return gr_apperr_set(e, 503, "api.context.server_busy.app_error",
                             "The store is not available.");
    }
    return GR_REST_PENDING;
}
