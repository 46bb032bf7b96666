/* SPDX-License-Identifier: MIT */
/*
 * commands.c - running a slash command (spec mattermost-compat §3.2-§3.6): POST
 * /api/v4/commands/execute, custom commands called over HTTP, and the response handling
 * (§3.5) that command_hook.c and command_builtin.c share.
 *
 * A custom command goes through three threads and never blocks any of them:
 *   1. the HTTP worker checks the request, resolves the team, channel, mentions and command,
 *      builds the request (§3.3: form body or query string, Authorization: Token, and griot's
 *      Standard Webhooks signature over the form), and submits a writer job that stores the
 *      response URL's row;
 *   2. the writer's completion, once that row is committed (so the app can use response_url
 *      even before it answers), hands the request to the outbound engine;
 *   3. the engine's completion interprets the reply (§3.4) and hands the in_channel posts to
 *      the writer (gr_integ_posts_submit); the last post's completion answers the client.
 * Ephemeral responses are sent to the caller's WebSockets at once, from whichever thread
 * handles the response.
 *
 * The built-in commands are in command_builtin.c.
 */
#include "app/commands.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actions.h"
#include "app/integ.h"
#include "app/rest_int.h"
#include "core/gtime.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define MAX_MENTIONS 32                  /* each is a store lookup on the worker */

#define ID_FAILED      "api.command.execute_command.failed.app_error"
#define ID_FAILED_RESP "api.command.execute_command.failed_resp.app_error"
#define ID_POST_FAILED "api.command.execute_command.create_post_failed.app_error"
#define ID_FORBIDDEN   "api.command.command_post.forbidden.app_error"

/* A trigger cut for messages: 24 code points keep every message below its 256 bytes and never
 * split a character. */
static int trig_len(const char *trigger)
{
    return (int)gr_utf8_offset(trigger, strlen(trigger), 24);
}

static bool username_of(void *ud, const char *user_id, char *out, size_t size)
{
    struct gr_user u;

    if (ud == NULL || !gr_id_is_valid(user_id) || gr_store_user_get(ud, user_id, &u) != GR_OK)
        return false;
    snprintf(out, size, "%s", u.username);
    return true;
}

/* ---- response handling (§3.5) ----------------------------------------------------------- */

struct respond {
    struct gr_app *app;
    struct gr_command__target t;
    struct gr_mm_command_resp r;
    gr_command__finish_fn fn;
    void *ud;
    struct gr_mm_username_cap users; /* `<@USERID>` lookups, for the whole reply */
    pthread_mutex_t mu;
    int pending;            /* posts in the writer + 1 while responses are being handed out */
    bool forbidden, failed; /* under mu */
    char cause[128];        /* the first failure, for the log and detailed_error */
};

static void respond_finish(struct respond *s)
{
    struct gr_apperr e;

    if (s->forbidden) {
        gr_apperr_set(&e, 403, ID_FORBIDDEN,
                      "The command's response names a channel you are not a member of.");
        s->fn(s->ud, 403, NULL, &e);
    } else if (s->failed) {
        gr_apperr_set(&e, 500, ID_POST_FAILED,
                      "Command '%.*s' failed to post response. Please contact your System "
                      "Administrator.",
                      trig_len(s->t.trigger), s->t.trigger);
        snprintf(e.detail, sizeof e.detail, "%s", s->cause);
        gr_log_warn("commands", "/%.*s: response not posted: %s", trig_len(s->t.trigger),
                    s->t.trigger, s->cause);
        s->fn(s->ud, 500, NULL, &e);
    } else {
        if (s->t.trigger_id[0])
            gr_mm_command_resp_set(&s->r.trigger_id, s->t.trigger_id);
        s->fn(s->ud, 200, gr_mm_command_resp_json(&s->r), NULL);
    }
    gr_mm_command_resp_cleanup(&s->r);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static void respond_release(struct respond *s)
{
    bool last;

    pthread_mutex_lock(&s->mu);
    last = --s->pending == 0;
    pthread_mutex_unlock(&s->mu);
    if (last)
        respond_finish(s);
}

static void respond_fail(struct respond *s, bool forbidden, const char *why)
{
    pthread_mutex_lock(&s->mu);
    if (forbidden)
        s->forbidden = true;
    else
        s->failed = true;
    if (s->cause[0] == '\0')
        snprintf(s->cause, sizeof s->cause, "%s", why);
    pthread_mutex_unlock(&s->mu);
}

static void on_posts(void *ud, gr_err rc, const struct gr_post *posts, size_t n,
                     const struct gr_apperr *e)
{
    struct respond *s = ud;

    (void)posts;
    (void)n;
    if (rc != GR_OK)
        respond_fail(s, false, e && e->status ? e->id : gr_err_str(rc));
    respond_release(s);
}

/* One response of the list (HandleCommandResponsePost). */
static void handle_one(struct respond *s, struct gr_store *st, const struct gr_mm_command_resp *r)
{
    bool in_channel = gr_mm_command_resp_in_channel(r), member = false;
    const char *channel = s->t.channel_id;
    struct gr_mm_command_post_opts o = {
            .builtin = s->t.builtin,
            .username_override = s->app->opt.username_override,
            .icon_override = s->app->opt.icon_override,
            .cmd_username = s->t.username,
            .cmd_icon_url = s->t.icon_url,
            .stored = in_channel,
            .username_of = gr_mm_username_capped,
            .username_ud = &s->users,
    };
    struct gr_mm_draft *d;
    struct gr_apperr e;
    char signer[GR_INTEG_SIGNER_SIZE] = "";

    /* Buttons of a custom command's posts call its app back signed with the command's
     * secret; built-ins make no buttons. */
    if (!s->t.builtin && s->t.command_id[0])
        snprintf(signer, sizeof signer, "command:%s", s->t.command_id);
    /* Another channel: only one the invoking user belongs to. */
    if (r->channel_id[0]) {
        if (!gr_id_is_valid(r->channel_id) || st == NULL ||
            gr_store_channel_member_is(st, r->channel_id, s->t.user_id, &member) != GR_OK ||
            !member) {
            respond_fail(s, true, ID_FORBIDDEN);
            return;
        }
        channel = r->channel_id;
    }
    d = gr_xcalloc(1, sizeof *d);
    if (gr_mm_command_build(r, &o, d, &e) != 0) {
        free(d);
        respond_fail(s, false, e.id);
        return;
    }
    if (in_channel) {
        struct gr_integ_posts req = {
                .channel_id = channel,
                .user_id = s->t.user_id,
                .root_id = s->t.root_id,
                .drafts = d,
                .ndrafts = 1,
                .trigger_webhooks = true, /* in_channel responses fire outgoing webhooks */
                .signer = signer[0] ? signer : NULL,
                .done = on_posts,
                .ud = s,
        };
        pthread_mutex_lock(&s->mu);
        s->pending++;
        pthread_mutex_unlock(&s->mu);
        if (gr_integ_posts_submit(s->app, &req) != GR_OK) {
            respond_fail(s, false, "the writer is stopping");
            respond_release(s);
        }
        return;
    }
    if (gr_mm_command_resp_has_content(r)) {
        /* The signer goes into the sealed cookies with the rest of the integrations. */
        if (signer[0])
            gr_mm_actions_set_signer(d->props, signer);
        gr_integ_ephemeral(s->app, s->t.user_id, channel, s->t.root_id, s->t.user_id, d->message,
                           d->props);
    }
    gr_mm_drafts_free(d, 1);
}

void gr_command__respond(struct gr_app *app, const struct gr_command__target *t,
                         struct gr_mm_command_resp *r, gr_command__finish_fn fn, void *ud)
{
    struct respond *s = gr_xcalloc(1, sizeof *s);
    struct gr_store *st = gr_app_reader(app);

    s->app = app;
    s->t = *t;
    s->r = *r;
    memset(r, 0, sizeof *r);
    s->fn = fn;
    s->ud = ud;
    s->users = (struct gr_mm_username_cap){username_of, st, GR_MM_MAX_USER_LOOKUPS};
    pthread_mutex_init(&s->mu, NULL);
    s->pending = 1;
    /* Mattermost handles every response even when an earlier one failed. */
    handle_one(s, st, &s->r);
    for (size_t i = 0; i < s->r.nextra; i++)
        handle_one(s, st, &s->r.extra[i]);
    respond_release(s);
}

/* ---- custom commands --------------------------------------------------------------------- */

struct exec {
    struct gr_write_job wj; /* first member: the response URL row's writer job */
    struct gr_app *app;
    gr_rest_done_fn done;
    void *ud;
    struct gr_command__target t;
    struct gr_command_webhook hook;
    char *url;  /* the command's URL; with the query for GET */
    char *body; /* the form for POST, NULL for GET */
    size_t body_len;
    bool get;
    char auth[64];
    char sig[GR_INTEG_SIG_HEADERS][GR_INTEG_SIG_HEADER_SIZE];
    int64_t started_ms;
};

static void exec_free(struct exec *x)
{
    free(x->url);
    free(x->body);
    explicit_bzero(x->auth, sizeof x->auth);
    free(x);
}

static void exec_finish(void *ud, int status, json_t *answer, const struct gr_apperr *e)
{
    struct exec *x = ud;

    gr_log_info("commands", "/%.*s user=%s status=%d in %lld ms", trig_len(x->t.trigger),
                x->t.trigger, x->t.user_id, status, (long long)(gr_time_now_ms() - x->started_ms));
    x->done(x->ud, status, answer, e);
    exec_free(x);
}

static void exec_fail(struct exec *x, const char *id, const char *detail, long status)
{
    struct gr_apperr e;

    if (strcmp(id, ID_FAILED_RESP) == 0)
        gr_apperr_set(&e, 500, id, "Command with a trigger of '%.*s' returned response %ld.",
                      trig_len(x->t.trigger), x->t.trigger, status);
    else
        gr_apperr_set(&e, 500, id, "Command with a trigger of '%.*s' failed.",
                      trig_len(x->t.trigger), x->t.trigger);
    snprintf(e.detail, sizeof e.detail, "%s", detail);
    exec_finish(x, 500, NULL, &e);
}

/* The outbound engine's completion (engine thread): §3.4. */
static void on_reply(void *ud, const struct gr_out_response *resp)
{
    struct exec *x = ud;
    struct gr_mm_command_resp r;

    gr_metrics_outbound(x->app->metrics, "command", gr_out_result_name(resp->result));
    if (resp->result == GR_OUT_REFUSED) {
        /* The guard's words may say what an internal host name resolves to: the log only,
         * never detailed_error. */
        gr_log_warn("commands", "/%.*s: the request was refused: %s", trig_len(x->t.trigger),
                    x->t.trigger, resp->error);
        exec_fail(x, ID_FAILED, "the app's address is not allowed (allow_internal)", 0);
        return;
    }
    if (resp->result != GR_OUT_OK) {
        exec_fail(x, ID_FAILED, resp->error[0] ? resp->error : gr_out_result_name(resp->result), 0);
        return;
    }
    if (resp->status != 200) {
        /* The app's own words go to detailed_error (shown in developer mode only). */
        struct gr_buf b;
        gr_buf_init(&b, 256);
        (void)gr_mm_command_clean_text(resp->body, resp->body_len, 255, &b);
        exec_fail(x, ID_FAILED_RESP, gr_buf_str(&b), resp->status);
        gr_buf_cleanup(&b);
        return;
    }
    if (gr_mm_command_reply_parse(resp->content_type, resp->body, resp->body_len, &r) != 0) {
        exec_fail(x, ID_FAILED, "the reply is not a CommandResponse JSON document", 0);
        return;
    }
    gr_command__respond(x->app, &x->t, &r, exec_finish, x);
}

static void hook_done(struct gr_write_job *wj, gr_err rc)
{
    struct exec *x = (struct exec *)wj;
    const char *hdrs[7];
    size_t n = 0;

    if (rc != GR_OK) {
        exec_fail(x, ID_FAILED, "the response URL could not be stored", 0);
        return;
    }
    hdrs[n++] = "Accept: application/json";
    hdrs[n++] = x->auth;
    if (!x->get)
        hdrs[n++] = "Content-Type: application/x-www-form-urlencoded";
    for (size_t i = 0; i < GR_INTEG_SIG_HEADERS; i++)
        hdrs[n++] = x->sig[i];
    {
        struct gr_out_request req = {
                .method = x->get ? "GET" : "POST",
                .url = x->url,
                .headers = hdrs,
                .nheaders = n,
                .body = x->body,
                .body_len = x->body_len,
                .follow_redirects = true, /* as Go's client does; each hop is guarded */
                .done = on_reply,
                .ud = x,
        };
        if (x->app->outbound == NULL || gr_outbound_submit(x->app->outbound, &req) != GR_OK)
            exec_fail(x, ID_FAILED, "the outbound engine is stopping", 0);
    }
}

static atomic_llong last_expire;

/* Stores the response URL's row (may run twice, after a batch rollback). Old rows are swept
 * at most once a minute on the way. */
static gr_err hook_apply(struct gr_store *st, struct gr_write_job *wj)
{
    struct exec *x = (struct exec *)wj;
    int64_t now = gr_time_now_ms();
    long long last = atomic_load(&last_expire);
    gr_err rc;

    wj->posts = NULL;
    wj->nposts = 0;
    wj->events = NULL;
    wj->nevents = 0;
    if (now - last > 60000 && atomic_compare_exchange_strong(&last_expire, &last, now)) {
        rc = gr_store_command_webhook_expire(st, now - GR_COMMAND_HOOK_LIFETIME_MS);
        if (rc != GR_OK)
            return rc;
    }
    return gr_store_command_webhook_insert(st, &x->hook);
}

/* The mentions of §3.3 resolved for the team: users who are members, public channels. */
struct mentions {
    const char *un[MAX_MENTIONS], *ui[MAX_MENTIONS];
    size_t nu;
    const char *cn[MAX_MENTIONS], *ci[MAX_MENTIONS];
    size_t nc;
    char uname[MAX_MENTIONS][GR_NAME_SIZE], uid[MAX_MENTIONS][GR_ID_SIZE];
    char cname[MAX_MENTIONS][GR_NAME_SIZE], cid[MAX_MENTIONS][GR_ID_SIZE];
};

static void resolve_mentions(struct gr_store *st, const char *team_id, const char *text,
                             struct mentions *m)
{
    struct gr_mm_names l;

    m->nu = m->nc = 0;
    gr_mm_command_at_mentions(text, MAX_MENTIONS, &l);
    for (size_t i = 0; i < l.n; i++) {
        char name[GR_NAME_SIZE];
        struct gr_user u;
        bool in_team = false;
        gr_err rc;

        if (strlen(l.v[i]) >= sizeof name)
            continue;
        snprintf(name, sizeof name, "%s", l.v[i]);
        /* "@bob." is "@bob" followed by punctuation when no "bob." exists. */
        while ((rc = gr_store_user_get_by_name(st, name, &u)) == GR_ENOTFOUND &&
               gr_mm_username_trim_special(name))
            ;
        if (rc != GR_OK || u.delete_at != 0 ||
            gr_store_team_member_is(st, team_id, u.id, &in_team) != GR_OK || !in_team)
            continue;
        snprintf(m->uname[m->nu], GR_NAME_SIZE, "%s", name);
        memcpy(m->uid[m->nu], u.id, GR_ID_SIZE);
        m->un[m->nu] = m->uname[m->nu];
        m->ui[m->nu] = m->uid[m->nu];
        m->nu++;
    }
    gr_mm_names_free(&l);
    gr_mm_command_channel_mentions(text, MAX_MENTIONS, &l);
    for (size_t i = 0; i < l.n; i++) {
        struct gr_channel ch;

        if (gr_store_channel_get_by_name(st, team_id, l.v[i], &ch) != GR_OK || ch.type != 'O' ||
            strcmp(ch.team_id, team_id) != 0 || ch.delete_at != 0)
            continue;
        snprintf(m->cname[m->nc], GR_NAME_SIZE, "%s", ch.name);
        memcpy(m->cid[m->nc], ch.id, GR_ID_SIZE);
        m->cn[m->nc] = m->cname[m->nc];
        m->ci[m->nc] = m->cid[m->nc];
        m->nc++;
    }
    gr_mm_names_free(&l);
}

static int run_custom(const struct gr_rest_ctx *c, struct gr_store *st,
                      struct gr_command__target *t, const struct gr_channel *ch,
                      const struct gr_command *cmd, const char *text, struct gr_apperr *e)
{
    struct exec *x;
    struct gr_team team;
    struct mentions *m;
    struct gr_buf form, url;
    char command[GR_MM_COMMAND_TRIGGER_MAX + 2], response_url[GR_URL_SIZE + 64];
    gr_err rc;

    rc = gr_store_team_get(st, t->team_id, &team);
    if (rc == GR_ENOTFOUND)
        return gr_apperr_set(e, 404, "app.team.get.find.app_error",
                             "Unable to find the existing team.");
    if (rc != GR_OK)
        return gr_rest__store_fail(e, rc);
    x = gr_xcalloc(1, sizeof *x);
    x->app = c->app;
    x->done = c->done;
    x->ud = c->ud;
    x->started_ms = gr_time_now_ms();
    x->t = *t;
    memcpy(x->t.command_id, cmd->id, GR_ID_SIZE);
    snprintf(x->t.username, sizeof x->t.username, "%s", cmd->username);
    snprintf(x->t.icon_url, sizeof x->t.icon_url, "%s", cmd->icon_url);
    if (gr_actions_trigger_id_new(st, t->user_id, x->t.trigger_id) != GR_OK) {
        free(x);
        return gr_rest__store_fail(e, GR_ESTORE);
    }
    /* The response URL, stored before the app can know it. */
    gr_id_new(x->hook.id);
    memcpy(x->hook.command_id, cmd->id, GR_ID_SIZE);
    memcpy(x->hook.user_id, t->user_id, GR_ID_SIZE);
    memcpy(x->hook.channel_id, t->channel_id, GR_ID_SIZE);
    memcpy(x->hook.root_id, t->root_id, GR_ID_SIZE);
    x->hook.create_at = x->started_ms;
    snprintf(response_url, sizeof response_url, "%s/hooks/commands/%s", c->app->opt.site_url,
             x->hook.id);
    snprintf(command, sizeof command, "/%s", cmd->trigger);

    m = gr_xmalloc(sizeof *m);
    resolve_mentions(st, t->team_id, text, m);
    {
        struct gr_mm_command_fields f = {
                .token = cmd->token,
                .team_id = cmd->team_id,
                .team_domain = team.name,
                .channel_id = ch->id,
                .channel_name = ch->name,
                .user_id = c->user->id,
                .user_name = c->user->username,
                .command = command,
                .text = text,
                .response_url = response_url,
                .trigger_id = x->t.trigger_id,
                .root_id = t->root_id,
                .user_mentions = m->un,
                .user_mentions_ids = m->ui,
                .nuser_mentions = m->nu,
                .channel_mentions = m->cn,
                .channel_mentions_ids = m->ci,
                .nchannel_mentions = m->nc,
        };
        gr_buf_init(&form, 4 * (1 << 20));
        gr_buf_init(&url, 8 * (1 << 20));
        rc = gr_mm_command_encode(&f, &form);
    }
    free(m);
    x->get = strcmp(cmd->method, "G") == 0;
    if (rc == GR_OK)
        rc = x->get ? gr_mm_command_get_url(cmd->url, gr_buf_str(&form), &url)
                    : gr_buf_appends(&url, cmd->url);
    if (rc != GR_OK) {
        gr_buf_cleanup(&form);
        gr_buf_cleanup(&url);
        free(x);
        return gr_apperr_set(e, 400, "api.command.execute_command.start.app_error",
                             "The command's text is too long.");
    }
    /* griot's addition: the same Standard Webhooks signature as outgoing webhooks, over what
     * carries the fields: the form body, or for a GET the whole query string the app receives
     * (after '?', the URL's own parameters included). */
    if (x->get) {
        const char *q = strchr(gr_buf_str(&url), '?');
        q = q ? q + 1 : "";
        gr_integ_sign(cmd->secret, q, strlen(q), x->sig);
    } else {
        gr_integ_sign(cmd->secret, gr_buf_str(&form), form.len, x->sig);
    }
    snprintf(x->auth, sizeof x->auth, "Authorization: Token %s", cmd->token);
    x->url = gr_buf_steal(&url);
    if (x->get) {
        gr_buf_cleanup(&form);
    } else {
        x->body_len = form.len;
        x->body = gr_buf_steal(&form);
    }
    x->wj.apply = hook_apply;
    x->wj.done = hook_done;
    if (gr_writer_submit(c->app->writer, &x->wj) != GR_OK) {
        exec_free(x);
        return gr_rest__store_fail(e, GR_ECLOSED);
    }
    return GR_REST_PENDING;
}

/* ---- the endpoint ------------------------------------------------------------------------ */

static int bad_args(struct gr_apperr *e)
{
    return gr_apperr_set(e, 400, "api.context.invalid_body_param.app_error",
                         "Invalid or missing command_args in request body.");
}

int gr_command_execute(const struct gr_rest_ctx *c, json_t *body, json_t **out, struct gr_apperr *e)
{
    struct gr_store *st = gr_rest__reader(c, e);
    const char *command = "", *channel_id = "", *team_id = "", *root_id = "";
    struct gr_command__target t;
    struct gr_channel ch;
    struct gr_command cmd;
    enum gr_rest_access acc;
    char *trigger = NULL, *text = NULL;
    int code;
    gr_err rc;

    (void)out;
    if (st == NULL)
        return e->status;
    if (!json_is_object(body) || !gr_rest__opt_str(body, "command", &command) ||
        !gr_rest__opt_str(body, "channel_id", &channel_id) ||
        !gr_rest__opt_str(body, "team_id", &team_id) ||
        !gr_rest__opt_str(body, "root_id", &root_id))
        return bad_args(e);
    if (strlen(command) <= 1 || command[0] != '/' || !gr_id_is_valid(channel_id))
        return gr_apperr_set(e, 400, "api.command.execute_command.start.app_error",
                             "No command trigger found.");
    if (root_id[0] && !gr_id_is_valid(root_id))
        return gr_rest__bad_body(e, "root_id");
    /* The caller must be able to post in the channel (create_post). */
    code = gr_rest__load_channel(st, c->user, channel_id, &ch, &acc, e);
    if (code == 0 && acc != GR_REST_MEMBER)
        code = gr_rest__forbidden(e);
    if (code)
        return code;
    if (ch.delete_at != 0)
        return gr_apperr_set(e, 400, "api.command.execute_command.deleted.error",
                             "Can not run commands in a deleted channel.");
    memset(&t, 0, sizeof t);
    memcpy(t.user_id, c->user->id, GR_ID_SIZE);
    memcpy(t.channel_id, ch.id, GR_ID_SIZE);
    snprintf(t.root_id, sizeof t.root_id, "%s", root_id);
    /* A team channel's commands are its team's; in a DM or group the body says which team,
     * and it must be one of the caller's. */
    if (ch.type != 'D' && ch.type != 'G') {
        memcpy(t.team_id, ch.team_id, GR_ID_SIZE);
    } else if (team_id[0]) {
        bool in_team = false;
        if (!gr_id_is_valid(team_id) ||
            (!gr_rest__is_admin(c->user) &&
             (gr_store_team_member_is(st, team_id, c->user->id, &in_team) != GR_OK || !in_team)))
            return gr_rest__forbidden(e);
        snprintf(t.team_id, sizeof t.team_id, "%s", team_id);
    }
    if (gr_mm_command_split(command, &trigger, &text) != 0)
        trigger = gr_xstrdup(""), text = gr_xstrdup("");
    snprintf(t.trigger, sizeof t.trigger, "%s", trigger);

    /* Custom commands first (Mattermost lets them override built-ins; griot refuses such
     * triggers at creation, so the order only matters for commands made elsewhere). */
    if (c->app->opt.enable_commands && t.team_id[0] && trigger[0] &&
        strlen(trigger) <= GR_MM_COMMAND_TRIGGER_MAX) {
        rc = gr_store_command_get_by_trigger(st, t.team_id, trigger, &cmd);
        if (rc == GR_OK) {
            code = run_custom(c, st, &t, &ch, &cmd, text, e);
            goto out;
        }
        if (rc != GR_ENOTFOUND) {
            code = gr_rest__store_fail(e, rc);
            goto out;
        }
    }
    code = gr_command__run_builtin(c, st, &t, &ch, trigger, text);
    if (code >= 0)
        goto out;
    if (!c->app->opt.enable_commands)
        code = gr_apperr_set(e, 501, "api.command.disabled.app_error",
                             "Commands have been disabled by the system admin.");
    else
        code = gr_apperr_set(e, 404, "api.command.execute_command.not_found.app_error",
                             "Command with a trigger of '%.*s' not found. To send a message "
                             "beginning with \"/\", try adding an empty space at the beginning "
                             "of the message.",
                             trig_len(trigger), trigger);
out:
    free(trigger);
    free(text);
    return code;
}
