/* SPDX-License-Identifier: MIT */
/*
 * command_builtin.c - the built-in slash commands griot answers itself (spec mattermost-compat
 * §3.2): /echo, /me, /shrug, /help, /join and /leave. commands.c hands them over before
 * looking for a custom command; their responses go through the same handling (§3.5) as an
 * app's (gr_command__respond).
 *
 * Built-ins are answered on the worker (ephemeral ones) or after their post or membership
 * change is committed (/echo, /me, /shrug, /join, /leave).
 */
#include "app/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/integ.h"
#include "app/rest_int.h"
#include "core/xalloc.h"

#define SHRUG "¯\\\\\\_(ツ)\\_/¯" /* Mattermost's text, Markdown escapes included */

#define ID_POST_FAILED "api.command.execute_command.create_post_failed.app_error"

/* A response made here (built-ins), handled like an app's. */
static int respond_with(const struct gr_rest_ctx *c, const struct gr_command__target *t,
                        const char *type, const char *text, const char *post_type, const char *go)
{
    struct gr_mm_command_resp r;

    gr_mm_command_resp_init(&r);
    gr_mm_command_resp_set(&r.response_type, type);
    gr_mm_command_resp_set(&r.text, text);
    gr_mm_command_resp_set(&r.type, post_type);
    gr_mm_command_resp_set(&r.goto_location, go);
    gr_command__respond(c->app, t, &r, c->done, c->ud);
    return GR_REST_PENDING;
}

static int ephemeral(const struct gr_rest_ctx *c, const struct gr_command__target *t,
                     const char *text)
{
    return respond_with(c, t, "ephemeral", text, "", "");
}

/* ---- built-in commands ------------------------------------------------------------------- */

/* A built-in's continuation after a writer job: the client's answer and what it needs. */
struct builtin_job {
    struct gr_app *app;
    gr_rest_done_fn done;
    void *ud;
    struct gr_command__target t;
    char go[GR_URL_SIZE + 2 * GR_NAME_SIZE + 16]; /* goto_location on success */
    char fail[160];                               /* ephemeral text on failure */
};

static struct builtin_job *builtin_job_new(const struct gr_rest_ctx *c,
                                           const struct gr_command__target *t)
{
    struct builtin_job *b = gr_xcalloc(1, sizeof *b);

    b->app = c->app;
    b->done = c->done;
    b->ud = c->ud;
    b->t = *t;
    return b;
}

/* /join and /leave: the membership change is committed; navigate, or explain. */
static void membership_done(void *ud, int status, json_t *body, const struct gr_apperr *e)
{
    struct builtin_job *b = ud;
    struct gr_rest_ctx c = {.app = b->app, .done = b->done, .ud = b->ud};

    (void)e;
    json_decref(body);
    if (status >= 200 && status < 300)
        respond_with(&c, &b->t, "", "", "", b->go);
    else
        ephemeral(&c, &b->t, b->fail);
    free(b);
}

static void echo_done(void *ud, gr_err rc, const struct gr_post *posts, size_t n,
                      const struct gr_apperr *e)
{
    struct builtin_job *b = ud;
    struct gr_mm_command_resp r;
    struct gr_apperr err;

    (void)posts;
    (void)n;
    if (rc != GR_OK) {
        gr_apperr_set(&err, 500, ID_POST_FAILED,
                      "Command 'echo' failed to post response. Please contact your System "
                      "Administrator.");
        snprintf(err.detail, sizeof err.detail, "%s", e && e->status ? e->id : gr_err_str(rc));
        b->done(b->ud, 500, NULL, &err);
    } else {
        /* Mattermost's /echo answers an empty CommandResponse and posts on its own. */
        gr_mm_command_resp_init(&r);
        b->done(b->ud, 200, gr_mm_command_resp_json(&r), NULL);
        gr_mm_command_resp_cleanup(&r);
    }
    free(b);
}

/* /echo message [delay] or /echo "message" [delay]: the message is posted as the user. griot
 * parses the delay like Mattermost (and refuses one over 10000 s) but posts at once. */
static int run_echo(const struct gr_rest_ctx *c, const struct gr_command__target *t,
                    const char *text)
{
    size_t len = strlen(text);
    const char *msg = text, *end = text + len;
    struct gr_mm_draft *d;
    long delay = 0;
    char *stop;

    if (len == 0)
        return ephemeral(c, t, "A message must be provided with the /echo command.");
    if (text[0] == '"' && strrchr(text, '"') > text + 1) {
        const char *q = strrchr(text, '"'), *p = q + 1;
        while (*p == ' ')
            p++;
        if (*p)
            delay = strtol(p, &stop, 10);
        msg = text + 1;
        end = q;
    } else if (strrchr(text, ' ') != NULL) {
        const char *sp = strrchr(text, ' ');
        long v = strtol(sp + 1, &stop, 10);
        if (sp[1] && *stop == '\0') {
            delay = v;
            end = sp;
        }
    }
    if (delay > 10000)
        return ephemeral(c, t, "Delays must be under 10000 seconds.");
    d = gr_xcalloc(1, sizeof *d);
    d->message = gr_xstrndup(msg, (size_t)(end - msg));
    d->type = gr_xstrdup("");
    d->props = json_object();
    {
        struct builtin_job *b = builtin_job_new(c, t);
        struct gr_integ_posts req = {
                .channel_id = t->channel_id,
                .user_id = t->user_id,
                .root_id = t->root_id,
                .drafts = d,
                .ndrafts = 1,
                .trigger_webhooks = true, /* a user's own post */
                .done = echo_done,
                .ud = b,
        };
        if (gr_integ_posts_submit(c->app, &req) != GR_OK) {
            struct gr_apperr e;
            free(b);
            gr_rest__store_fail(&e, GR_ECLOSED);
            c->done(c->ud, e.status, NULL, &e);
        }
    }
    return GR_REST_PENDING;
}

static int run_help(const struct gr_rest_ctx *c, struct gr_store *st,
                    const struct gr_command__target *t)
{
    struct gr_command_list l = {0};
    struct gr_buf b;
    int code;

    gr_buf_init(&b, 1 << 20);
    (void)gr_buf_appends(&b, "Slash commands you can use here:\n\n");
    gr_command_builtins_help(&b);
    if (c->app->opt.enable_commands && t->team_id[0] &&
        gr_store_command_list(st, t->team_id, &l) == GR_OK) {
        for (size_t i = 0; i < l.n; i++) {
            const struct gr_command *cmd = &l.v[i];
            (void)gr_buf_printf(&b, "- `/%s%s%s`%s%s\n", cmd->trigger,
                                cmd->auto_complete_hint[0] ? " " : "", cmd->auto_complete_hint,
                                cmd->auto_complete_desc[0] || cmd->description[0] ? " - " : "",
                                cmd->auto_complete_desc[0] ? cmd->auto_complete_desc
                                                           : cmd->description);
        }
        gr_command_list_free(&l);
    }
    code = ephemeral(c, t, gr_buf_str(&b));
    gr_buf_cleanup(&b);
    return code;
}

static int run_join(const struct gr_rest_ctx *c, struct gr_store *st,
                    const struct gr_command__target *t, const char *text)
{
    char name[GR_NAME_SIZE];
    struct gr_channel ch;
    struct gr_team team;
    struct builtin_job *b;
    struct gr_apperr e;
    json_t *body, *out = NULL;
    int code;

    if (text[0] == '~')
        text++;
    if (t->team_id[0] == '\0' || strlen(text) >= sizeof name ||
        gr_store_team_get(st, t->team_id, &team) != GR_OK)
        return ephemeral(c, t, "An error occurred while listing channels.");
    for (size_t i = 0; i <= strlen(text); i++)
        name[i] = (char)((text[i] >= 'A' && text[i] <= 'Z') ? text[i] + 32 : text[i]);
    if (gr_store_channel_get_by_name(st, t->team_id, name, &ch) != GR_OK)
        return ephemeral(c, t, "An error occurred while listing channels.");
    if (strcmp(ch.name, name) != 0 || strcmp(ch.team_id, t->team_id) != 0)
        return ephemeral(c, t, "Unable to find the channel.");
    b = builtin_job_new(c, t);
    snprintf(b->go, sizeof b->go, "%s/%s/channels/%s", c->app->opt.site_url, team.name, ch.name);
    snprintf(b->fail, sizeof b->fail, "An error occurred while joining the channel.");
    body = json_pack("{s:s}", "user_id", t->user_id);
    {
        struct gr_rest_ctx jc = {.app = c->app, .user = c->user, .done = membership_done, .ud = b};
        code = gr_rest_channel_member_add(&jc, ch.id, body, &out, &e);
    }
    json_decref(body);
    json_decref(out);
    if (code == GR_REST_PENDING)
        return GR_REST_PENDING;
    free(b);
    return ephemeral(c, t, "An error occurred while joining the channel.");
}

static int run_leave(const struct gr_rest_ctx *c, struct gr_store *st,
                     const struct gr_command__target *t, const struct gr_channel *ch)
{
    struct builtin_job *b;
    struct gr_team team;
    struct gr_apperr e;
    json_t *out = NULL;
    int code;

    if (strcmp(ch->name, "town-square") == 0)
        return ephemeral(c, t, "Unable to leave the default channel town-square.");
    if (t->team_id[0] == '\0' || gr_store_team_get(st, t->team_id, &team) != GR_OK)
        return ephemeral(c, t, "An error occurred while leaving the channel.");
    b = builtin_job_new(c, t);
    snprintf(b->go, sizeof b->go, "%s/%s/channels/town-square", c->app->opt.site_url, team.name);
    snprintf(b->fail, sizeof b->fail, "An error occurred while leaving the channel.");
    {
        struct gr_rest_ctx lc = {.app = c->app, .user = c->user, .done = membership_done, .ud = b};
        code = gr_rest_channel_member_remove(&lc, ch->id, t->user_id, &out, &e);
    }
    json_decref(out);
    if (code == GR_REST_PENDING)
        return GR_REST_PENDING;
    free(b);
    return ephemeral(c, t, "An error occurred while leaving the channel.");
}

int gr_command__run_builtin(const struct gr_rest_ctx *c, struct gr_store *st,
                            struct gr_command__target *t, const struct gr_channel *ch,
                            const char *trigger, const char *text)
{
    t->builtin = true;
    if (strcmp(trigger, "echo") == 0)
        return run_echo(c, t, text);
    if (strcmp(trigger, "me") == 0) {
        char *m = gr_xmalloc(strlen(text) + 3);
        int code;
        sprintf(m, "*%s*", text);
        code = respond_with(c, t, "in_channel", m, "me", "");
        free(m);
        return code;
    }
    if (strcmp(trigger, "shrug") == 0) {
        char *m = gr_xmalloc(strlen(text) + sizeof SHRUG + 1);
        int code;
        sprintf(m, "%s%s%s", text, text[0] ? " " : "", SHRUG);
        code = respond_with(c, t, "in_channel", m, "", "");
        free(m);
        return code;
    }
    if (strcmp(trigger, "help") == 0)
        return run_help(c, st, t);
    if (strcmp(trigger, "join") == 0)
        return run_join(c, st, t, text);
    if (strcmp(trigger, "leave") == 0)
        return run_leave(c, st, t, ch);
    t->builtin = false;
    return -1;
}
