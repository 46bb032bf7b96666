/* SPDX-License-Identifier: MIT */
/*
 * outgoing.c - the outgoing-webhook dispatcher (outgoing.h; spec mattermost-compat §2.2-§2.4).
 *
 * Threads:
 *  - the writer thread calls on_posts() after each commit: it copies the posts that may fire
 *    (trigger_webhooks set) into a bounded queue and returns; when the queue is full the post
 *    is dropped and counted (the writer never waits for us);
 *  - the dispatcher thread pops posts, reads the channel, team, author and the team's hooks
 *    through its own store connection, and submits one signed POST per callback URL to the
 *    outbound engine;
 *  - the engine thread runs on_reply() with the app's answer and turns it into posts through
 *    gr_integ_posts_submit (trigger_webhooks off, so a reply never fires a hook again).
 *
 * The bus cannot unsubscribe, and the writer may publish after gr_outgoing_stop() (serve stops
 * calling apps before it drains the writer). So the struct is never freed: stop marks it
 * stopped, joins the thread, frees the queue, and parks the husk on a list reachable from a
 * static, where on_posts() still finds its lock and flag.
 */
#include "app/outgoing.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/integ.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "mm/incoming.h"
#include "mm/outgoing.h"

#define QUEUE_CAP 4096              /* posts waiting for the dispatcher */
#define BODY_MAX  ((size_t)1 << 20) /* a callback body (a post is at most 16383 runes) */

/* What the dispatcher needs of a post. */
struct item {
    char id[GR_ID_SIZE];
    char user_id[GR_ID_SIZE];
    char channel_id[GR_ID_SIZE];
    char root_id[GR_ID_SIZE];
    int64_t create_at;
    char *message; /* owned */
};

struct gr_outgoing {
    struct gr_app *app;
    pthread_mutex_t mu; /* guards everything below; never destroyed (see the top comment) */
    pthread_cond_t cv;
    struct item **q; /* ring of QUEUE_CAP; NULL once stopped */
    size_t head, n;
    bool stopped;
    uint64_t dropped;
    pthread_t thread;
    struct gr_outgoing *next_retired;
};

/* One callback in flight: what on_reply needs once the app answered. */
struct call {
    struct gr_app *app;
    char hook_id[GR_ID_SIZE];
    char creator_id[GR_ID_SIZE];
    char channel_id[GR_ID_SIZE];
    char post_id[GR_ID_SIZE];
    char thread_root[GR_ID_SIZE]; /* where a "comment" reply goes (§2.4) */
    char display_name[GR_DISPLAY_SIZE];
    char username[256];
    char icon_url[GR_URL_SIZE];
};

static pthread_mutex_t retired_mu = PTHREAD_MUTEX_INITIALIZER;
static struct gr_outgoing *retired; /* stopped dispatchers the bus may still call */

static void item_free(struct item *it)
{
    if (it) {
        free(it->message);
        free(it);
    }
}

/* ---- the writer's side ------------------------------------------------------------------ */

static void on_posts(void *ud, const struct gr_post *posts, size_t n)
{
    struct gr_outgoing *o = ud;
    bool wake = false;

    if (!o->app->opt.enable_outgoing_webhooks)
        return;
    for (size_t i = 0; i < n; i++) {
        const struct gr_post *p = &posts[i];
        struct item *it;

        if (!p->trigger_webhooks)
            continue;
        it = gr_xmalloc(sizeof *it);
        memcpy(it->id, p->id, GR_ID_SIZE);
        memcpy(it->user_id, p->user_id, GR_ID_SIZE);
        memcpy(it->channel_id, p->channel_id, GR_ID_SIZE);
        memcpy(it->root_id, p->root_id, GR_ID_SIZE);
        it->create_at = p->create_at;
        it->message = gr_xstrdup(p->message ? p->message : "");
        pthread_mutex_lock(&o->mu);
        if (o->stopped || o->n == QUEUE_CAP) {
            uint64_t d = o->stopped ? 0 : ++o->dropped;
            pthread_mutex_unlock(&o->mu);
            item_free(it);
            if (d == 1 || d % 1000 == 0)
                gr_log_warn("outgoing",
                            "dispatcher queue full: post %s fires no outgoing "
                            "webhook (%llu dropped so far)",
                            p->id, (unsigned long long)d);
            continue;
        }
        o->q[(o->head + o->n) % QUEUE_CAP] = it;
        o->n++;
        wake = true;
        pthread_mutex_unlock(&o->mu);
    }
    if (wake)
        pthread_cond_signal(&o->cv);
}

/* ---- the engine's side: the app's reply -------------------------------------------------- */

static bool username_of(void *ud, const char *user_id, char *out, size_t size)
{
    struct gr_user u;

    if (!gr_id_is_valid(user_id) || gr_store_user_get(ud, user_id, &u) != GR_OK)
        return false;
    snprintf(out, size, "%s", u.username);
    return true;
}

static void on_reply(void *ud, const struct gr_out_response *resp)
{
    struct call *c = ud;
    struct gr_app *app = c->app;
    struct gr_mm_outgoing_reply reply;
    struct gr_mm_draft *drafts = NULL;
    size_t ndrafts = 0;
    struct gr_apperr e;
    struct gr_store *st;

    gr_metrics_outbound(app->metrics, "outgoing_webhook", gr_out_result_name(resp->result));
    if (resp->result == GR_OUT_TIMEOUT) {
        gr_log_warn("outgoing",
                    "hook %s post %s: the callback timed out after %lld ms; "
                    "consider raising outgoing_timeout",
                    c->hook_id, c->post_id, (long long)resp->duration_ms);
        goto out;
    }
    if (resp->result != GR_OUT_OK) {
        if (resp->result != GR_OUT_CLOSED)
            gr_log_warn("outgoing", "hook %s post %s: the callback failed (%s): %s", c->hook_id,
                        c->post_id, gr_out_result_name(resp->result), resp->error);
        goto out;
    }
    /* The status is not checked (Mattermost reads any answer the same way). */
    if (gr_mm_outgoing_reply_parse(resp->body, resp->body_len, &reply, &e)) {
        gr_log_warn("outgoing", "hook %s post %s: the app's reply (HTTP %ld) is not valid: %s",
                    c->hook_id, c->post_id, resp->status, e.message);
        goto out;
    }
    if (!reply.post)
        goto done;
    if (gr_mm_incoming_check_fields(&reply.in, &e)) {
        gr_log_warn("outgoing", "hook %s post %s: reply not posted: %s (%s)", c->hook_id,
                    c->post_id, e.message, e.id);
        goto done;
    }
    st = gr_app_reader(app); /* this thread's own connection, for <@USERID> */
    struct gr_mm_username_cap users = {st ? username_of : NULL, st, GR_MM_MAX_USER_LOOKUPS};
    struct gr_mm_build_opts bo = {
            .username_override = app->opt.username_override,
            .icon_override = app->opt.icon_override,
            .max_runes = GR_MM_MAX_POST_RUNES,
            .max_props_runes = GR_MM_MAX_PROPS_RUNES,
            .hook_display_name = c->display_name,
            .hook_username = c->username,
            .hook_icon_url = c->icon_url,
            .username_of = gr_mm_username_capped,
            .username_ud = &users,
    };
    if (gr_mm_incoming_build(&reply.in, &bo, &drafts, &ndrafts, &e)) {
        gr_log_warn("outgoing", "hook %s post %s: reply not posted: %s (%s)", c->hook_id,
                    c->post_id, e.message, e.id);
        goto done;
    }
    char signer[GR_INTEG_SIGNER_SIZE];
    /* Buttons of the reply call the app back signed with this hook's secret. */
    snprintf(signer, sizeof signer, "outgoing:%s", c->hook_id);
    struct gr_integ_posts req = {
            .channel_id = c->channel_id,
            .user_id = c->creator_id,
            .root_id = reply.comment ? c->thread_root : "",
            .drafts = drafts,
            .ndrafts = ndrafts,
            .trigger_webhooks = false, /* never a loop (§2.2 step 3) */
            .signer = signer,
            .done = NULL, /* failures are logged by integ.c */
    };
    if (gr_integ_posts_submit(app, &req) != GR_OK)
        gr_log_warn("outgoing", "hook %s post %s: reply not posted: the writer is stopping",
                    c->hook_id, c->post_id);
done:
    gr_mm_outgoing_reply_cleanup(&reply);
out:
    free(c);
}

/* ---- the dispatcher thread -------------------------------------------------------------- */

/* Lazily read once per post: the team and the author. */
struct ctx {
    struct gr_store *st;
    const struct item *it;
    const struct gr_channel *ch;
    bool loaded;
    struct gr_team team;
    struct gr_user user;
};

static void load_ctx(struct ctx *x)
{
    if (x->loaded)
        return;
    x->loaded = true;
    if (gr_store_team_get(x->st, x->ch->team_id, &x->team) != GR_OK)
        memset(&x->team, 0, sizeof x->team);
    if (gr_store_user_get(x->st, x->it->user_id, &x->user) != GR_OK)
        memset(&x->user, 0, sizeof x->user);
}

/* Builds the hook's body for the post and submits one POST per callback URL. */
static void fire(struct gr_outgoing *o, struct ctx *x, const struct gr_outgoing_hook *h,
                 const char *trigger_word)
{
    const struct item *it = x->it;
    bool is_json = gr_mm_outgoing_is_json(h->content_type);
    char sig[GR_INTEG_SIG_HEADERS][GR_INTEG_SIG_HEADER_SIZE];
    const char *headers[2 + GR_INTEG_SIG_HEADERS];
    size_t nheaders = 0;
    struct gr_buf body;
    json_t *urls;
    gr_err rc;

    load_ctx(x);
    struct gr_mm_outgoing_payload pl = {
            .token = h->token,
            .team_id = h->team_id,
            .team_domain = x->team.name,
            .channel_id = it->channel_id,
            .channel_name = x->ch->name,
            .timestamp_ms = it->create_at,
            .user_id = it->user_id,
            .user_name = x->user.username,
            .post_id = it->id,
            .text = it->message,
            .trigger_word = trigger_word,
            .file_ids = "", /* griot posts carry no files */
    };
    gr_buf_init(&body, BODY_MAX);
    rc = is_json ? gr_mm_outgoing_json(&pl, &body) : gr_mm_outgoing_form(&pl, &body);
    if (rc != GR_OK) {
        gr_log_warn("outgoing", "hook %s post %s: cannot build the callback body: %s", h->id,
                    it->id, gr_err_str(rc));
        gr_buf_cleanup(&body);
        return;
    }
    headers[nheaders++] = is_json ? "Content-Type: " GR_MM_CT_JSON : "Content-Type: " GR_MM_CT_FORM;
    headers[nheaders++] = "Accept: application/json";
    if (h->secret[0]) {
        /* One signature for all URLs: the body is the same (griot's addition, Standard
         * Webhooks; each app verifies with the secret shown when the hook was created). */
        gr_integ_sign(h->secret, gr_buf_str(&body), body.len, sig);
        for (size_t i = 0; i < GR_INTEG_SIG_HEADERS; i++)
            headers[nheaders++] = sig[i];
    }
    urls = json_loads(h->callback_urls ? h->callback_urls : "[]", 0, NULL);
    for (size_t i = 0; i < json_array_size(urls); i++) {
        const char *url = json_string_value(json_array_get(urls, i));
        struct call *c;

        if (url == NULL)
            continue;
        c = gr_xcalloc(1, sizeof *c);
        c->app = o->app;
        memcpy(c->hook_id, h->id, GR_ID_SIZE);
        memcpy(c->creator_id, h->creator_id, GR_ID_SIZE);
        memcpy(c->channel_id, it->channel_id, GR_ID_SIZE);
        memcpy(c->post_id, it->id, GR_ID_SIZE);
        /* Replies to a reply go to its thread root: Mattermost allows no nested threads. */
        memcpy(c->thread_root, it->root_id[0] ? it->root_id : it->id, GR_ID_SIZE);
        snprintf(c->display_name, sizeof c->display_name, "%s", h->display_name);
        snprintf(c->username, sizeof c->username, "%s", h->username);
        snprintf(c->icon_url, sizeof c->icon_url, "%s", h->icon_url);
        struct gr_out_request req = {
                .method = "POST",
                .url = url,
                .headers = headers,
                .nheaders = nheaders,
                .body = gr_buf_str(&body),
                .body_len = body.len,
                .timeout_ms = 0,          /* the engine's: outgoing_timeout */
                .follow_redirects = true, /* as Go's client; each hop passes the guard */
                .done = on_reply,
                .ud = c,
        };
        rc = o->app->outbound ? gr_outbound_submit(o->app->outbound, &req) : GR_ECLOSED;
        if (rc != GR_OK) {
            gr_log_warn("outgoing", "hook %s post %s: callback not sent: %s", h->id, it->id,
                        gr_err_str(rc));
            free(c);
        }
    }
    json_decref(urls);
    explicit_bzero(sig, sizeof sig);
    gr_buf_cleanup(&body);
}

static void dispatch(struct gr_outgoing *o, const struct item *it)
{
    struct gr_store *st = gr_app_reader(o->app);
    struct gr_outgoing_hook_list l = {0};
    struct gr_channel ch;
    struct gr_slice first;
    gr_err rc;

    if (st == NULL) {
        gr_log_warn("outgoing", "post %s: no store connection; no outgoing webhook fired", it->id);
        return;
    }
    rc = gr_store_channel_get(st, it->channel_id, &ch);
    if (rc != GR_OK || ch.type != 'O') /* public channels only (§2.2 step 2) */
        return;
    rc = gr_store_outgoing_list(st, ch.team_id, 0, 0, &l);
    if (rc != GR_OK) {
        gr_log_warn("outgoing", "post %s: cannot read the outgoing webhooks: %s", it->id,
                    gr_err_str(rc));
        return;
    }
    struct ctx x = {.st = st, .it = it, .ch = &ch};
    first = gr_mm_outgoing_first_word(it->message, strlen(it->message));
    for (size_t i = 0; i < l.n; i++) {
        const struct gr_outgoing_hook *h = &l.v[i];
        json_t *words = json_loads(h->trigger_words ? h->trigger_words : "[]", 0, NULL);
        struct gr_mm_outgoing_rule rule = {
                .channel_id = h->channel_id,
                .trigger_words = words,
                .trigger_when = h->trigger_when,
        };
        const char *tw;

        /* The trigger word is computed per hook (Mattermost reports the last match's word in
         * every payload; spec §2.2 step 7, §10). */
        if (gr_mm_outgoing_match(&rule, it->channel_id, first, &tw))
            fire(o, &x, h, tw);
        json_decref(words);
    }
    gr_outgoing_hook_list_free(&l);
}

static void *run(void *arg)
{
    struct gr_outgoing *o = arg;

    for (;;) {
        struct item *it;

        pthread_mutex_lock(&o->mu);
        while (o->n == 0 && !o->stopped)
            pthread_cond_wait(&o->cv, &o->mu);
        if (o->stopped) {
            pthread_mutex_unlock(&o->mu);
            return NULL;
        }
        it = o->q[o->head];
        o->head = (o->head + 1) % QUEUE_CAP;
        o->n--;
        pthread_mutex_unlock(&o->mu);
        dispatch(o, it);
        item_free(it);
    }
}

/* ---- start / stop ----------------------------------------------------------------------- */

gr_err gr_outgoing_start(struct gr_app *app, struct gr_outgoing **out)
{
    struct gr_outgoing *o = gr_xcalloc(1, sizeof *o);
    gr_err rc;

    *out = NULL;
    o->app = app;
    o->q = gr_xcalloc(QUEUE_CAP, sizeof *o->q);
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->cv, NULL);
    if (pthread_create(&o->thread, NULL, run, o) != 0) {
        gr_log_errno("outgoing", "cannot start the dispatcher thread");
        pthread_mutex_destroy(&o->mu);
        pthread_cond_destroy(&o->cv);
        free(o->q);
        free(o);
        return GR_EIO;
    }
    rc = gr_bus_subscribe(app->bus, on_posts, o);
    if (rc != GR_OK) {
        pthread_mutex_lock(&o->mu);
        o->stopped = true;
        pthread_mutex_unlock(&o->mu);
        pthread_cond_signal(&o->cv);
        pthread_join(o->thread, NULL);
        pthread_mutex_destroy(&o->mu);
        pthread_cond_destroy(&o->cv);
        free(o->q);
        free(o);
        return rc;
    }
    *out = o;
    return GR_OK;
}

void gr_outgoing_stop(struct gr_outgoing *o)
{
    struct item **q;
    size_t head, left;

    if (o == NULL)
        return;
    pthread_mutex_lock(&o->mu);
    o->stopped = true;
    pthread_mutex_unlock(&o->mu);
    pthread_cond_signal(&o->cv);
    pthread_join(o->thread, NULL);
    /* on_posts() sees `stopped` and adds nothing more. */
    pthread_mutex_lock(&o->mu);
    q = o->q;
    head = o->head;
    left = o->n;
    o->q = NULL;
    o->n = 0;
    pthread_mutex_unlock(&o->mu);
    for (size_t i = 0; i < left; i++)
        item_free(q[(head + i) % QUEUE_CAP]);
    free(q);
    if (left)
        gr_log_info("outgoing", "stopped with %zu posts not yet dispatched", left);
    if (o->dropped)
        gr_log_info("outgoing", "%llu posts were dropped on a full queue",
                    (unsigned long long)o->dropped);
    pthread_mutex_lock(&retired_mu);
    o->next_retired = retired;
    retired = o;
    pthread_mutex_unlock(&retired_mu);
}
