/* SPDX-License-Identifier: MIT */
/*
 * events.c - see events.h. Two halves:
 *
 *   bus side (writer thread, HTTP threads): copy the posts or serialise the event's data, put
 *   the item on the queue, signal. Bounded by bytes; an overflow sets `lost`.
 *
 *   thread side: take the whole queue, and for each item find the audience with the thread's
 *   own store connection and deliver through the sink. Within one take, consecutive posts of a
 *   channel share the channel row and member list (a group commit often carries a burst into
 *   one channel); any generic event clears that cache, since it may be a membership change.
 *
 * `posted` data keys are written sorted, as Go serialises a map. Per-recipient mentions: the
 * event is serialised once without `mentions` for most members, and once more per mentioned
 * member with only that member's id in it (the newer Mattermost privacy rule, spec §6.4).
 *
 * The post inside `posted` and `post_edited` carries what Mattermost computes on read (store.h
 * struct gr_post_meta), read here with the thread's connection after the commit: a new reply
 * its thread's reply_count (one read per batch of posts, none when the batch holds no reply; a
 * new root has no replies and a new post no reactions, as in Mattermost's Save); an edited post
 * its thread's count and its reactions, whoever published the edit. `set_online` is false for
 * webhook posts and for posts whose request said so (gr_post.no_set_online).
 */
#include "app/events.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "app/shapes.h"
#include "core/log.h"
#include "core/xalloc.h"

#define QUEUE_MAX_BYTES   (64u * 1024 * 1024)
#define MAX_MENTION_NAMES 32

enum item_kind { ITEM_POSTS, ITEM_EVENT };

struct item {
    struct item *next;
    enum item_kind kind;
    size_t cost;
    /* ITEM_POSTS: deep copies */
    struct gr_post *posts;
    size_t nposts;
    /* ITEM_EVENT */
    char event[64];
    char channel_id[GR_ID_SIZE], team_id[GR_ID_SIZE], user_id[GR_ID_SIZE], omit[GR_ID_SIZE];
    char *data; /* the data object, serialised */
};

struct gr_events {
    struct gr_events_sink sink;
    struct gr_store *st;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct item *head, *tail;
    size_t bytes;
    bool lost, stop;
    /* thread side: the per-take cache */
    struct gr_channel ch;
    struct gr_channel_member_list members;
    bool have_ch;
    struct gr_user sender;
};

/* ---- bus side ----------------------------------------------------------------------------- */

static void put(struct gr_events *ev, struct item *it)
{
    pthread_mutex_lock(&ev->lock);
    if (ev->stop || ev->bytes + it->cost > QUEUE_MAX_BYTES) {
        /* Over the bound: drop it and have every client resync (a stopping queue drops
         * silently: the hub is gone by then). */
        if (!ev->stop)
            ev->lost = true;
        pthread_cond_signal(&ev->cond);
    } else {
        if (ev->tail)
            ev->tail->next = it;
        else
            ev->head = it;
        ev->tail = it;
        ev->bytes += it->cost;
        it = NULL;
        pthread_cond_signal(&ev->cond);
    }
    pthread_mutex_unlock(&ev->lock);
    if (it) {
        for (size_t i = 0; i < it->nposts; i++)
            gr_post_cleanup(&it->posts[i]);
        free(it->posts);
        free(it->data);
        free(it);
    }
}

static void on_posts(void *ud, const struct gr_post *posts, size_t n)
{
    struct gr_events *ev = ud;
    struct item *it;

    if (n == 0 || (ev->sink.listening && !ev->sink.listening(ev->sink.ud)))
        return;
    it = gr_xcalloc(1, sizeof *it);
    it->kind = ITEM_POSTS;
    it->posts = gr_xcalloc(n, sizeof *it->posts);
    it->nposts = n;
    it->cost = sizeof *it + n * sizeof *it->posts;
    for (size_t i = 0; i < n; i++) {
        it->posts[i] = posts[i];
        it->posts[i].message = gr_xstrdup(posts[i].message ? posts[i].message : "");
        it->posts[i].props = gr_xstrdup(posts[i].props ? posts[i].props : "{}");
        it->cost += strlen(it->posts[i].message) + strlen(it->posts[i].props);
    }
    put(ev, it);
}

static void copy_id(char *dst, const char *src)
{
    size_t n = src ? strnlen(src, GR_ID_LEN) : 0;
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

static void on_event(void *ud, const struct gr_bus_event *e)
{
    struct gr_events *ev = ud;
    struct item *it;
    char *data;

    if (ev->sink.listening && !ev->sink.listening(ev->sink.ud))
        return;
    data = json_dumps(e->data, JSON_COMPACT);
    if (data == NULL)
        return;
    it = gr_xcalloc(1, sizeof *it);
    it->kind = ITEM_EVENT;
    snprintf(it->event, sizeof it->event, "%s", e->event);
    copy_id(it->channel_id, e->channel_id);
    copy_id(it->team_id, e->team_id);
    copy_id(it->user_id, e->user_id);
    copy_id(it->omit, e->omit_user_id);
    it->data = data;
    it->cost = sizeof *it + strlen(data);
    put(ev, it);
}

/* ---- mentions ------------------------------------------------------------------------------ */

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_';
}

void gr_events_scan_mentions(const char *msg, size_t max, void (*fn)(void *ud, const char *name),
                             void *ud)
{
    bool in_code = false, said_channel = false;
    char seen[MAX_MENTION_NAMES][GR_NAME_SIZE];
    size_t nseen = 0;

    if (max > MAX_MENTION_NAMES)
        max = MAX_MENTION_NAMES;
    for (const char *p = msg; *p && nseen < max; p++) {
        char name[GR_NAME_SIZE];
        size_t n = 0;
        const char *q;

        if (*p == '`') {
            in_code = !in_code; /* ``` toggles three times: the same as once */
            continue;
        }
        /* "@" starts a mention only at a word boundary: not inside an address (a@b.com). */
        if (in_code || *p != '@' || (p > msg && name_char(p[-1])))
            continue;
        for (q = p + 1; name_char(*q) && n < sizeof name - 1; q++)
            name[n++] = (char)tolower((unsigned char)*q);
        name[n] = '\0';
        p = q - 1;
        /* "@bob." at the end of a sentence is bob: trailing punctuation is tried off too. */
        for (int pass = 0; pass < 2 && n > 0; pass++) {
            bool dup = false;
            if (strcmp(name, "channel") == 0 || strcmp(name, "all") == 0 ||
                strcmp(name, "here") == 0) {
                if (!said_channel)
                    fn(ud, "channel");
                said_channel = true;
                break;
            }
            for (size_t i = 0; i < nseen && !dup; i++)
                dup = strcmp(seen[i], name) == 0;
            if (!dup && nseen < max) {
                memcpy(seen[nseen++], name, n + 1);
                fn(ud, name);
            }
            if (name[n - 1] != '.' && name[n - 1] != '-' && name[n - 1] != '_')
                break;
            while (n > 0 && (name[n - 1] == '.' || name[n - 1] == '-' || name[n - 1] == '_'))
                name[--n] = '\0';
        }
    }
}

/* ---- thread side ---------------------------------------------------------------------------- */

struct mention_ctx {
    struct gr_events *ev;
    bool *mentioned; /* per member */
};

static ssize_t member_index(const struct gr_channel_member_list *l, const char *user_id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].user_id, user_id) == 0)
            return (ssize_t)i;
    return -1;
}

static void on_mention(void *ud, const char *name)
{
    struct mention_ctx *m = ud;
    const struct gr_channel_member_list *l = &m->ev->members;
    struct gr_user u;

    if (strcmp(name, "channel") == 0) {
        for (size_t i = 0; i < l->n; i++)
            m->mentioned[i] = true;
        return;
    }
    if (gr_store_user_get_by_name(m->ev->st, name, &u) == GR_OK) {
        ssize_t i = member_index(l, u.id);
        if (i >= 0)
            m->mentioned[i] = true;
    }
}

static bool props_str(json_t *props, const char *key, const char **out)
{
    json_t *v = json_object_get(props, key);
    if (!json_is_string(v))
        return false;
    *out = json_string_value(v);
    return true;
}

static void set_str(json_t *o, const char *k, const char *v)
{
    json_t *s = json_string(v ? v : "");
    json_object_set_new(o, k, s ? s : json_string(""));
}

/* {"omit_users":..., "user_id", "channel_id", "team_id", "connection_id", "omit_connection_id"} */
static json_t *broadcast(const char *user_id, const char *channel_id, const char *team_id,
                         const char *omit)
{
    json_t *b = json_object();

    if (omit && omit[0]) {
        json_t *o = json_object();
        json_object_set_new(o, omit, json_true());
        json_object_set_new(b, "omit_users", o);
    } else {
        json_object_set_new(b, "omit_users", json_null());
    }
    set_str(b, "user_id", user_id);
    set_str(b, "channel_id", channel_id);
    set_str(b, "team_id", team_id);
    set_str(b, "connection_id", "");
    set_str(b, "omit_connection_id", "");
    return b;
}

/* Serialises {"event", "data", "broadcast"} (data and bc stolen) and delivers it. */
static void deliver(struct gr_events *ev, const char *name, json_t *data, json_t *bc,
                    const char (*users)[GR_ID_SIZE], size_t n, const char *omit)
{
    json_t *o = json_object();
    char *s;

    json_object_set_new(o, "event", json_string(name));
    json_object_set_new(o, "data", data);
    json_object_set_new(o, "broadcast", bc);
    s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (s && n > 0 && ev->sink.deliver(ev->sink.ud, s, strlen(s), users, n, omit) == GR_ETOOBIG)
        ev->lost = true;
    free(s);
}

static gr_err load_channel(struct gr_events *ev, const char *channel_id)
{
    gr_err rc;

    if (ev->have_ch && strcmp(ev->ch.id, channel_id) == 0)
        return GR_OK;
    ev->have_ch = false;
    gr_channel_member_list_free(&ev->members);
    memset(&ev->members, 0, sizeof ev->members);
    rc = gr_store_channel_get(ev->st, channel_id, &ev->ch);
    if (rc == GR_OK)
        rc = gr_store_channel_members(ev->st, channel_id, 0, 0, &ev->members);
    ev->have_ch = rc == GR_OK;
    return rc;
}

static void forget_channel(struct gr_events *ev)
{
    ev->have_ch = false;
    gr_channel_member_list_free(&ev->members);
    memset(&ev->members, 0, sizeof ev->members);
    ev->sender.id[0] = '\0';
}

static void posted(struct gr_events *ev, const struct gr_post *p, const struct gr_post_meta *m)
{
    json_t *props = json_loads(p->props, 0, NULL), *data = NULL, *post = NULL;
    const char *override = NULL, *fw = NULL;
    char type[2], (*users)[GR_ID_SIZE] = NULL, *post_json = NULL, display[GR_DISPLAY_SIZE + 1];
    char sender_name[GR_NAME_SIZE + 256];
    bool from_webhook, *mentioned = NULL;
    size_t nusers = 0;
    struct mention_ctx mc;

    if (load_channel(ev, p->channel_id) != GR_OK || ev->members.n == 0)
        goto out;
    if (strcmp(ev->sender.id, p->user_id) != 0 &&
        gr_store_user_get(ev->st, p->user_id, &ev->sender) != GR_OK)
        ev->sender.id[0] = ev->sender.username[0] = '\0';
    from_webhook = props_str(props, "from_webhook", &fw) && strcmp(fw, "true") == 0;
    /* sender_name: the override for webhook posts outside DMs, else @username (post.go). */
    if (from_webhook && ev->ch.type != 'D' && props_str(props, "override_username", &override))
        snprintf(sender_name, sizeof sender_name, "%s", override);
    else
        snprintf(sender_name, sizeof sender_name, "@%s", ev->sender.username);
    if (ev->ch.type == 'D')
        snprintf(display, sizeof display, "@%s", ev->sender.username);
    else
        snprintf(display, sizeof display, "%s", ev->ch.display_name);

    /* Mentions, per member. The author never mentions themself, except through a webhook
     * (notification.go). In a DM the other member is always mentioned. */
    mentioned = gr_xcalloc(ev->members.n, sizeof *mentioned);
    mc = (struct mention_ctx){ev, mentioned};
    if (ev->ch.type == 'D') {
        for (size_t i = 0; i < ev->members.n; i++)
            mentioned[i] = strcmp(ev->members.v[i].user_id, p->user_id) != 0;
    } else {
        gr_events_scan_mentions(p->message, MAX_MENTION_NAMES, on_mention, &mc);
    }
    if (!from_webhook) {
        ssize_t self = member_index(&ev->members, p->user_id);
        if (self >= 0)
            mentioned[self] = false;
    }

    post = gr_shape_post(p);
    gr_shape_post_add_meta(post, m);
    post_json = json_dumps(post, JSON_COMPACT);
    if (post_json == NULL)
        goto out;
    type[0] = ev->ch.type;
    type[1] = '\0';
    data = json_object();
    set_str(data, "channel_display_name", display);
    set_str(data, "channel_name", ev->ch.name);
    set_str(data, "channel_type", type);
    set_str(data, "post", post_json);
    set_str(data, "sender_name", sender_name);
    json_object_set_new(data, "set_online", json_boolean(!from_webhook && !p->no_set_online));
    set_str(data, "team_id", ev->ch.team_id);

    users = gr_xcalloc(ev->members.n, sizeof *users);
    for (size_t i = 0; i < ev->members.n; i++)
        if (!mentioned[i])
            memcpy(users[nusers++], ev->members.v[i].user_id, GR_ID_SIZE);
    deliver(ev, "posted", json_incref(data), broadcast("", p->channel_id, "", NULL),
            (const char(*)[GR_ID_SIZE])users, nusers, "");
    for (size_t i = 0; i < ev->members.n; i++) {
        char list[GR_ID_LEN + 5];
        if (!mentioned[i])
            continue;
        snprintf(list, sizeof list, "[\"%s\"]", ev->members.v[i].user_id);
        set_str(data, "mentions", list);
        /* json_dumps writes keys in insertion order: put mentions where Go's sort puts it. */
        {
            json_t *copy = json_object();
            const char *k;
            json_t *v;
            static const char *const order[] = {
                    "channel_display_name", "channel_name", "channel_type", "mentions", "post",
                    "sender_name",          "set_online",   "team_id"};
            for (size_t j = 0; j < sizeof order / sizeof order[0]; j++) {
                k = order[j];
                v = json_object_get(data, k);
                if (v)
                    json_object_set(copy, k, v);
            }
            deliver(ev, "posted", copy, broadcast("", p->channel_id, "", NULL),
                    (const char(*)[GR_ID_SIZE]) & ev->members.v[i].user_id, 1, "");
        }
    }
out:
    json_decref(props);
    json_decref(post);
    json_decref(data);
    free(post_json);
    free(users);
    free(mentioned);
}

/* The `posted` events of one batch of new posts, in order. */
static void posted_batch(struct gr_events *ev, const struct gr_post *posts, size_t n)
{
    struct gr_post_meta_list meta = {0};
    bool replies = false;

    for (size_t i = 0; i < n && !replies; i++)
        replies = posts[i].root_id[0] != '\0';
    /* On a failed read the replies go out with reply_count 0 rather than not at all. */
    if (replies && gr_store_post_meta(ev->st, posts, n, false, &meta) != GR_OK)
        gr_log_warn("events", "cannot read the reply counts of %zu posts", n);
    for (size_t i = 0; i < n; i++)
        posted(ev, &posts[i], posts[i].root_id[0] ? gr_post_meta_find(&meta, posts[i].id) : NULL);
    gr_post_meta_list_free(&meta);
}

/* post_edited: data.post (the Post as a JSON string) gets its thread's reply_count and its
 * reactions. Left as it was when it cannot be read. */
static void edited_meta(struct gr_events *ev, json_t *data)
{
    const char *text = json_string_value(json_object_get(data, "post"));
    json_t *post = text ? json_loads(text, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(post, "id"));
    const char *root = json_string_value(json_object_get(post, "root_id"));
    struct gr_post_meta_list meta;
    struct gr_post p;
    char *s;

    memset(&p, 0, sizeof p);
    if (id == NULL || !gr_id_is_valid(id) || (root && root[0] && !gr_id_is_valid(root)))
        goto out;
    memcpy(p.id, id, GR_ID_SIZE);
    if (root && root[0])
        memcpy(p.root_id, root, GR_ID_SIZE);
    if (gr_store_post_meta(ev->st, &p, 1, true, &meta) != GR_OK)
        goto out;
    gr_shape_post_add_meta(post, gr_post_meta_find(&meta, p.id));
    gr_post_meta_list_free(&meta);
    s = json_dumps(post, JSON_COMPACT);
    if (s)
        json_object_set_new(data, "post", json_string(s));
    free(s);
out:
    json_decref(post);
}

/* A generic event: to user_id alone (no channel), or to the channel's members (plus user_id,
 * e.g. the removed user of user_removed); never to omit. */
static void generic(struct gr_events *ev, const struct item *it)
{
    json_t *data = json_loads(it->data, 0, NULL);
    char(*users)[GR_ID_SIZE] = NULL;
    size_t n = 0;

    forget_channel(ev); /* it may have changed a membership */
    if (data == NULL)
        return;
    if (strcmp(it->event, "post_edited") == 0)
        edited_meta(ev, data);
    /* bus.h: an event addressed to a user goes to that user alone, even when it names a
     * channel (direct_added, the removed user's copy of user_removed). */
    if (it->user_id[0]) {
        users = gr_xcalloc(1, sizeof *users);
        memcpy(users[n++], it->user_id, GR_ID_SIZE);
    } else if (it->channel_id[0]) {
        if (load_channel(ev, it->channel_id) != GR_OK)
            goto out;
        users = gr_xcalloc(ev->members.n + 1, sizeof *users);
        for (size_t i = 0; i < ev->members.n; i++)
            memcpy(users[n++], ev->members.v[i].user_id, GR_ID_SIZE);
    } else {
        /* TODO(ws): team-wide (team_id only) and server-wide events: none is published yet;
         * they need the team member list from the store, or "every connection" in the hub. */
        gr_log_debug("events", "event=%s has no channel or user; not delivered", it->event);
        goto out;
    }
    deliver(ev, it->event, data, broadcast(it->user_id, it->channel_id, it->team_id, it->omit),
            (const char(*)[GR_ID_SIZE])users, n, it->omit);
    data = NULL;
out:
    json_decref(data);
    free(users);
    forget_channel(ev);
}

static void *events_main(void *arg)
{
    struct gr_events *ev = arg;

    pthread_setname_np(pthread_self(), "events");
    for (;;) {
        struct item *list, *next;
        bool lost, stop;

        pthread_mutex_lock(&ev->lock);
        while (ev->head == NULL && !ev->stop && !ev->lost)
            pthread_cond_wait(&ev->cond, &ev->lock);
        list = ev->head;
        ev->head = ev->tail = NULL;
        ev->bytes = 0;
        lost = ev->lost;
        ev->lost = false;
        stop = ev->stop;
        pthread_mutex_unlock(&ev->lock);

        if (lost)
            ev->sink.lost(ev->sink.ud);
        for (; list; list = next) {
            next = list->next;
            if (list->kind == ITEM_POSTS) {
                posted_batch(ev, list->posts, list->nposts);
                for (size_t i = 0; i < list->nposts; i++)
                    gr_post_cleanup(&list->posts[i]);
                free(list->posts);
            } else {
                generic(ev, list);
                free(list->data);
            }
            free(list);
            if (ev->lost) {
                /* The sink dropped one: tell clients now, the rest still goes out in order. */
                ev->lost = false;
                ev->sink.lost(ev->sink.ud);
            }
        }
        forget_channel(ev);
        if (stop)
            break;
    }
    return NULL;
}

gr_err gr_events_start(struct gr_app *app, const struct gr_events_sink *sink,
                       struct gr_events **out)
{
    struct gr_events *ev = gr_xcalloc(1, sizeof *ev);
    char err[256];
    gr_err rc;

    ev->sink = *sink;
    pthread_mutex_init(&ev->lock, NULL);
    pthread_cond_init(&ev->cond, NULL);
    rc = gr_store_open(app->opt.db_url, 0, &ev->st, err, sizeof err);
    if (rc != GR_OK) {
        gr_log_error("events", "cannot open a read connection: %s", err);
        goto out;
    }
    if (pthread_create(&ev->thread, NULL, events_main, ev) != 0) {
        rc = GR_EIO;
        goto out;
    }
    /* XXX: the bus wants subscribers before the writer starts, but gr_app_open starts it (and
     * the pacer, which may commit queued posts at once). A publish racing this registration may
     * miss us; no client can be connected yet, so no client misses anything. */
    rc = gr_bus_subscribe(app->bus, on_posts, ev);
    if (rc == GR_OK)
        rc = gr_bus_subscribe_events(app->bus, on_event, ev);
    if (rc != GR_OK) {
        gr_events_stop(ev);
        ev = NULL;
    }
out:
    if (rc != GR_OK && ev) {
        gr_store_close(ev->st);
        pthread_cond_destroy(&ev->cond);
        pthread_mutex_destroy(&ev->lock);
        free(ev);
        ev = NULL;
    }
    *out = ev;
    return rc;
}

void gr_events_stop(struct gr_events *ev)
{
    if (ev == NULL)
        return;
    pthread_mutex_lock(&ev->lock);
    ev->stop = true;
    pthread_cond_signal(&ev->cond);
    pthread_mutex_unlock(&ev->lock);
    pthread_join(ev->thread, NULL);
    gr_store_close(ev->st);
    pthread_cond_destroy(&ev->cond);
    pthread_mutex_destroy(&ev->lock);
    free(ev);
}
