/* SPDX-License-Identifier: MIT */
/*
 * test_ws_events.c - app/events.c on a real SQLite store, with a sink that records what would
 * go to the hub: the audience is the channel's members (WS-8), `posted` carries the Post as a
 * JSON string and the channel fields (WS-6), webhook posts have set_online false and the
 * override as sender_name (WS-7), mentions go only to the mentioned member and name only them
 * (WS-10), generic events keep their omit user, and the mention scanner's rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/admin.h"
#include "app/events.h"
#include "core/id.h"

/* ---- mention scanner ---------------------------------------------------------------------- */

struct names {
    char v[40][GR_NAME_SIZE];
    size_t n;
};

static void collect(void *ud, const char *name)
{
    struct names *ns = ud;
    snprintf(ns->v[ns->n++], GR_NAME_SIZE, "%s", name);
}

static void scan(const char *msg, struct names *ns)
{
    memset(ns, 0, sizeof *ns);
    gr_events_scan_mentions(msg, 32, collect, ns);
}

static void mentions_scanner(void **state)
{
    struct names ns;

    (void)state;
    scan("hey @Bob and @alice, also @bob again", &ns);
    assert_int_equal(ns.n, 2);
    assert_string_equal(ns.v[0], "bob");
    assert_string_equal(ns.v[1], "alice");
    scan("mail me at a@b.com", &ns);
    assert_int_equal(ns.n, 0);
    scan("`@code` ```\n@block\n``` @real", &ns);
    assert_int_equal(ns.n, 1);
    assert_string_equal(ns.v[0], "real");
    /* end of sentence: the name as written, then without the trailing dot */
    scan("thanks @bob.", &ns);
    assert_int_equal(ns.n, 2);
    assert_string_equal(ns.v[0], "bob.");
    assert_string_equal(ns.v[1], "bob");
    scan("@channel @all @here", &ns);
    assert_int_equal(ns.n, 1);
    assert_string_equal(ns.v[0], "channel");
    scan("@ alone, trailing @", &ns);
    assert_int_equal(ns.n, 0);
}

/* ---- events on a store --------------------------------------------------------------------- */

struct delivery {
    char *json;
    char users[8][GR_ID_SIZE];
    size_t n;
    char omit[GR_ID_SIZE];
};

static struct delivery got[64];
static size_t ngot;
static pthread_mutex_t got_lock = PTHREAD_MUTEX_INITIALIZER;

static gr_err sink_deliver(void *ud, const char *json, size_t len, const char (*users)[GR_ID_SIZE],
                           size_t n, const char *omit)
{
    struct delivery *d;

    (void)ud;
    pthread_mutex_lock(&got_lock);
    d = &got[ngot++];
    d->json = strndup(json, len);
    d->n = n < 8 ? n : 8;
    for (size_t i = 0; i < d->n; i++)
        memcpy(d->users[i], users[i], GR_ID_SIZE);
    snprintf(d->omit, sizeof d->omit, "%s", omit ? omit : "");
    pthread_mutex_unlock(&got_lock);
    return GR_OK;
}

static void sink_lost(void *ud)
{
    (void)ud;
    fail_msg("no event may be lost here");
}

static bool has_user(const struct delivery *d, const char *id)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->users[i], id) == 0)
            return true;
    return false;
}

static json_t *data_of(const struct delivery *d)
{
    json_t *o = json_loads(d->json, 0, NULL), *data;
    assert_non_null(o);
    data = json_incref(json_object_get(o, "data"));
    json_decref(o);
    return data;
}

static void post_in(struct gr_post *p, const char *channel_id, const char *user_id, const char *msg,
                    const char *props)
{
    memset(p, 0, sizeof *p);
    gr_id_new_sorted(p->id);
    memcpy(p->channel_id, channel_id, GR_ID_SIZE);
    memcpy(p->user_id, user_id, GR_ID_SIZE);
    p->message = strdup(msg);
    p->props = strdup(props);
    p->create_at = p->update_at = 1700000000000;
}

static void posted_audience_and_mentions(void **state)
{
    char dir[] = "/tmp/griot-events-XXXXXX", url[128], err[256];
    struct gr_store *st;
    struct gr_bootstrap b;
    struct gr_apperr e;
    struct gr_team t;
    struct gr_channel town, secret;
    struct gr_user admin, bob;
    struct gr_app app;
    struct gr_events *ev;
    struct gr_events_sink sink = {sink_deliver, sink_lost, NULL, NULL};
    struct gr_post p[3];
    json_t *d, *post;
    struct gr_bus_event typing;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(url, sizeof url, "sqlite:%s/e.db", dir);
    assert_int_equal(gr_store_open(url, GR_STORE_CREATE, &st, err, sizeof err), GR_OK);
    assert_int_equal(gr_admin_bootstrap(st, &b, &e), 0);
    assert_int_equal(gr_admin_team_find(st, "main", &t, &e), 0);
    assert_int_equal(gr_admin_channel_find(st, t.id, "town-square", &town, &e), 0);
    assert_int_equal(gr_store_user_get_by_name(st, "admin", &admin), GR_OK);
    assert_int_equal(gr_admin_user_create(st, "bob", "bob@example.com", false, false, &bob, &e), 0);
    assert_int_equal(
            gr_admin_channel_create(st, t.id, "secret", "Secret", true, admin.id, &secret, &e), 0);

    memset(&app, 0, sizeof app);
    app.opt.db_url = url;
    app.bus = gr_bus_new();
    assert_int_equal(gr_events_start(&app, &sink, &ev), GR_OK);

    post_in(&p[0], town.id, admin.id, "hello @bob and @admin", "{}");
    post_in(&p[1], town.id, admin.id, "deploy done @admin",
            "{\"from_webhook\":\"true\",\"override_username\":\"ci\"}");
    post_in(&p[2], secret.id, admin.id, "private", "{}");
    gr_bus_publish(app.bus, p, 3);
    typing.event = "typing";
    typing.channel_id = town.id;
    typing.team_id = "";
    typing.user_id = "";
    typing.omit_user_id = bob.id;
    typing.data = json_pack("{s:s,s:s}", "parent_id", "", "user_id", bob.id);
    gr_bus_publish_event(app.bus, &typing);
    json_decref(typing.data);
    gr_events_stop(ev); /* delivers everything queued */

    /* p[0]: admin (the author, not mentioned: no self-mention outside webhooks) gets the plain
     * copy, bob his own copy naming only him. */
    assert_int_equal(ngot, 6);
    assert_int_equal(got[0].n, 1);
    assert_string_equal(got[0].users[0], admin.id);
    d = data_of(&got[0]);
    assert_null(json_object_get(d, "mentions"));
    assert_string_equal(json_string_value(json_object_get(d, "channel_name")), "town-square");
    assert_string_equal(json_string_value(json_object_get(d, "channel_display_name")),
                        "Town Square");
    assert_string_equal(json_string_value(json_object_get(d, "channel_type")), "O");
    assert_string_equal(json_string_value(json_object_get(d, "sender_name")), "@admin");
    assert_string_equal(json_string_value(json_object_get(d, "team_id")), t.id);
    assert_true(json_is_true(json_object_get(d, "set_online")));
    post = json_loads(json_string_value(json_object_get(d, "post")), 0, NULL);
    assert_string_equal(json_string_value(json_object_get(post, "message")),
                        "hello @bob and @admin");
    assert_string_equal(json_string_value(json_object_get(post, "id")), p[0].id);
    json_decref(post);
    json_decref(d);
    assert_int_equal(got[1].n, 1);
    assert_string_equal(got[1].users[0], bob.id);
    d = data_of(&got[1]);
    {
        char want[64];
        snprintf(want, sizeof want, "[\"%s\"]", bob.id);
        assert_string_equal(json_string_value(json_object_get(d, "mentions")), want);
    }
    json_decref(d);
    /* keys in Go's sorted order */
    assert_non_null(strstr(got[1].json, "\"channel_type\":\"O\",\"mentions\":"));

    /* p[1]: a webhook post may mention its own creator; override as sender_name. */
    assert_int_equal(got[2].n, 1);
    assert_string_equal(got[2].users[0], bob.id);
    d = data_of(&got[2]);
    assert_string_equal(json_string_value(json_object_get(d, "sender_name")), "ci");
    assert_true(json_is_false(json_object_get(d, "set_online")));
    json_decref(d);
    assert_string_equal(got[3].users[0], admin.id);
    d = data_of(&got[3]);
    assert_non_null(json_object_get(d, "mentions"));
    json_decref(d);

    /* p[2]: the private channel reaches its only member. */
    assert_int_equal(got[4].n, 1);
    assert_string_equal(got[4].users[0], admin.id);

    /* typing: the channel's members, bob omitted (the hub skips him). */
    assert_int_equal(got[5].n, 2);
    assert_true(has_user(&got[5], admin.id) && has_user(&got[5], bob.id));
    assert_string_equal(got[5].omit, bob.id);
    assert_non_null(strstr(got[5].json, "\"event\":\"typing\""));
    {
        char want[64];
        snprintf(want, sizeof want, "\"omit_users\":{\"%s\":true}", bob.id);
        assert_non_null(strstr(got[5].json, want));
    }

    for (size_t i = 0; i < ngot; i++)
        free(got[i].json);
    for (size_t i = 0; i < 3; i++)
        gr_post_cleanup(&p[i]);
    gr_bus_free(app.bus);
    gr_store_close(st);
    {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(mentions_scanner),
            cmocka_unit_test(posted_audience_and_mentions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
