/* SPDX-License-Identifier: MIT */
/*
 * test_store_integ.c - the store's integration tables (schema v5) on SQLite: outgoing hooks and
 * slash commands (every field round-trips, lists order/filter/page, soft delete, the live-trigger
 * uniqueness of commands), response URLs (5 uses then GR_ETOOBIG, expiry, the use count shared
 * by two connections racing on one file), the kv table, oversized fields, and the migration of
 * a real version-4 file to version 5 with its data kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/id.h"
#include "store/store.h"
#include "store/store_sqlite_int.h" /* gr_sqlite__migrations, to build a version-4 file */

struct fx {
    struct gr_store *st;
    struct gr_team team, other;
    struct gr_user alice;
    char dir[256];
    char path[512];
};

/* ---- Fixture --------------------------------------------------------------------------------- */

static void mk_team(struct gr_store *st, struct gr_team *t, const char *name)
{
    memset(t, 0, sizeof *t);
    gr_id_new(t->id);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->type = 'O';
    assert_int_equal(gr_store_team_insert(st, t), GR_OK);
}

static void mk_user(struct gr_store *st, struct gr_user *u, const char *name)
{
    memset(u, 0, sizeof *u);
    gr_id_new(u->id);
    snprintf(u->username, sizeof u->username, "%s", name);
    snprintf(u->roles, sizeof u->roles, "system_user");
    assert_int_equal(gr_store_user_insert(st, u), GR_OK);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char err[256];

    assert_non_null(f);
    assert_int_equal(gr_store_open(":memory:", GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
    mk_team(f->st, &f->team, "main");
    mk_team(f->st, &f->other, "zeta");
    mk_user(f->st, &f->alice, "alice");
    *state = f;
    return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* A temp directory, no store yet. */
static int setup_dir(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR");

    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "%s/griot-integ-XXXXXX", tmp != NULL ? tmp : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/griot.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    gr_store_close(f->st);
    if (f->dir[0] != '\0')
        nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ---- Row makers ------------------------------------------------------------------------------ */

/* An outgoing hook of team_id with every field set to something recognisable from tag. */
static void outgoing_init(struct gr_outgoing_hook *h, const struct fx *f, const char *team_id,
                          const char *tag, int64_t at)
{
    memset(h, 0, sizeof *h);
    gr_id_new(h->id);
    gr_id_new(h->token);
    memcpy(h->creator_id, f->alice.id, GR_ID_SIZE);
    snprintf(h->team_id, sizeof h->team_id, "%s", team_id);
    gr_id_new(h->channel_id);
    h->trigger_words = strdup("[\"deploy\",\"ship it\"]");
    h->trigger_when = 1;
    h->callback_urls = strdup("[\"http://127.0.0.1:9/a\",\"https://example.com/b\"]");
    snprintf(h->display_name, sizeof h->display_name, "Hook %s ✓", tag);
    snprintf(h->description, sizeof h->description, "Description of %s", tag);
    snprintf(h->content_type, sizeof h->content_type, "application/json");
    snprintf(h->username, sizeof h->username, "bot-%s", tag);
    snprintf(h->icon_url, sizeof h->icon_url, "https://example.com/%s.png", tag);
    snprintf(h->secret, sizeof h->secret, "whsec_%s0123456789abcdefghijklmnopqrstuvwxyzABC", tag);
    h->create_at = at;
    h->update_at = at + 1;
}

static void outgoing_equal(const struct gr_outgoing_hook *a, const struct gr_outgoing_hook *b)
{
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->token, b->token);
    assert_string_equal(a->creator_id, b->creator_id);
    assert_string_equal(a->team_id, b->team_id);
    assert_string_equal(a->channel_id, b->channel_id);
    assert_string_equal(a->trigger_words, b->trigger_words);
    assert_int_equal(a->trigger_when, b->trigger_when);
    assert_string_equal(a->callback_urls, b->callback_urls);
    assert_string_equal(a->display_name, b->display_name);
    assert_string_equal(a->description, b->description);
    assert_string_equal(a->content_type, b->content_type);
    assert_string_equal(a->username, b->username);
    assert_string_equal(a->icon_url, b->icon_url);
    assert_string_equal(a->secret, b->secret);
    assert_int_equal(a->create_at, b->create_at);
    assert_int_equal(a->update_at, b->update_at);
    assert_int_equal(a->delete_at, b->delete_at);
}

static void command_init(struct gr_command *c, const struct fx *f, const char *team_id,
                         const char *trigger, int64_t at)
{
    memset(c, 0, sizeof *c);
    gr_id_new(c->id);
    gr_id_new(c->token);
    memcpy(c->creator_id, f->alice.id, GR_ID_SIZE);
    snprintf(c->team_id, sizeof c->team_id, "%s", team_id);
    snprintf(c->trigger, sizeof c->trigger, "%s", trigger);
    snprintf(c->method, sizeof c->method, "G");
    snprintf(c->url, sizeof c->url, "http://127.0.0.1:9/%s", trigger);
    snprintf(c->username, sizeof c->username, "cmd-%s", trigger);
    snprintf(c->icon_url, sizeof c->icon_url, "https://example.com/%s.png", trigger);
    c->auto_complete = true;
    snprintf(c->auto_complete_desc, sizeof c->auto_complete_desc, "Runs %s", trigger);
    snprintf(c->auto_complete_hint, sizeof c->auto_complete_hint, "[%s-arg]", trigger);
    snprintf(c->display_name, sizeof c->display_name, "Command %s", trigger);
    snprintf(c->description, sizeof c->description, "Does %s things", trigger);
    snprintf(c->secret, sizeof c->secret, "whsec_%sSECRET", trigger);
    c->create_at = at;
    c->update_at = at + 1;
}

static void command_equal(const struct gr_command *a, const struct gr_command *b)
{
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->token, b->token);
    assert_string_equal(a->creator_id, b->creator_id);
    assert_string_equal(a->team_id, b->team_id);
    assert_string_equal(a->trigger, b->trigger);
    assert_string_equal(a->method, b->method);
    assert_string_equal(a->url, b->url);
    assert_string_equal(a->username, b->username);
    assert_string_equal(a->icon_url, b->icon_url);
    assert_int_equal(a->auto_complete, b->auto_complete);
    assert_string_equal(a->auto_complete_desc, b->auto_complete_desc);
    assert_string_equal(a->auto_complete_hint, b->auto_complete_hint);
    assert_string_equal(a->display_name, b->display_name);
    assert_string_equal(a->description, b->description);
    assert_string_equal(a->secret, b->secret);
    assert_int_equal(a->create_at, b->create_at);
    assert_int_equal(a->update_at, b->update_at);
    assert_int_equal(a->delete_at, b->delete_at);
}

static void webhook_init(struct gr_command_webhook *w, const char *command_id, int64_t at)
{
    memset(w, 0, sizeof *w);
    gr_id_new(w->id);
    snprintf(w->command_id, sizeof w->command_id, "%s", command_id);
    gr_id_new(w->user_id);
    gr_id_new(w->channel_id);
    gr_id_new(w->root_id);
    w->create_at = at;
}

/* ---- Outgoing hooks -------------------------------------------------------------------------- */

static void test_outgoing_round_trip(void **state)
{
    struct fx *f = *state;
    struct gr_outgoing_hook h, got, upd;

    outgoing_init(&h, f, f->team.id, "a", 1000);
    assert_int_equal(gr_store_outgoing_insert(f->st, &h), GR_OK);
    assert_int_equal(gr_store_outgoing_get(f->st, h.id, &got), GR_OK);
    outgoing_equal(&got, &h);
    gr_outgoing_hook_cleanup(&got);
    assert_int_equal(gr_store_outgoing_insert(f->st, &h), GR_EEXIST); /* same id */

    /* update copies every field but id, create_at and delete_at. */
    outgoing_init(&upd, f, f->other.id, "b", 5000);
    memcpy(upd.id, h.id, GR_ID_SIZE);
    upd.trigger_when = 0;
    upd.channel_id[0] = '\0';
    upd.content_type[0] = '\0';
    upd.delete_at = 77; /* ignored */
    assert_int_equal(gr_store_outgoing_update(f->st, &upd), GR_OK);
    assert_int_equal(gr_store_outgoing_get(f->st, h.id, &got), GR_OK);
    upd.create_at = h.create_at;
    upd.delete_at = 0;
    outgoing_equal(&got, &upd);
    gr_outgoing_hook_cleanup(&got);

    /* NULL and "" JSON arrays are stored as "[]". */
    free(upd.trigger_words);
    free(upd.callback_urls);
    upd.trigger_words = NULL;
    upd.callback_urls = strdup("");
    assert_int_equal(gr_store_outgoing_update(f->st, &upd), GR_OK);
    assert_int_equal(gr_store_outgoing_get(f->st, h.id, &got), GR_OK);
    assert_string_equal(got.trigger_words, "[]");
    assert_string_equal(got.callback_urls, "[]");
    gr_outgoing_hook_cleanup(&got);
    assert_null(got.trigger_words);

    /* Reading into the struct whose id is the key works (the key is not cleared first). */
    got = upd;
    got.trigger_words = got.callback_urls = NULL;
    assert_int_equal(gr_store_outgoing_get(f->st, got.id, &got), GR_OK);
    assert_string_equal(got.id, h.id);
    assert_string_equal(got.callback_urls, "[]");
    gr_outgoing_hook_cleanup(&got);

    /* Unknown ids. */
    got.trigger_words = (char *)"not owned"; /* a failed get leaves it safe to clean up */
    assert_int_equal(gr_store_outgoing_get(f->st, "nope", &got), GR_ENOTFOUND);
    gr_outgoing_hook_cleanup(&got);
    gr_id_new(upd.id);
    assert_int_equal(gr_store_outgoing_update(f->st, &upd), GR_ENOTFOUND);
    assert_int_equal(gr_store_outgoing_delete(f->st, upd.id, 9000), GR_ENOTFOUND);

    gr_outgoing_hook_cleanup(&h);
    gr_outgoing_hook_cleanup(&upd);
}

static void test_outgoing_list_and_delete(void **state)
{
    struct fx *f = *state;
    struct gr_outgoing_hook h[5], got;
    struct gr_outgoing_hook_list l;
    /* create_at order: h[1] (100), then h[2] and h[3] tie at 200 (by id), then h[0] (300). */
    const int64_t at[5] = {300, 100, 200, 200, 150};

    for (int i = 0; i < 5; i++) {
        char tag[8];

        snprintf(tag, sizeof tag, "h%d", i % 10);
        outgoing_init(&h[i], f, i == 4 ? f->other.id : f->team.id, tag, at[i]);
        assert_int_equal(gr_store_outgoing_insert(f->st, &h[i]), GR_OK);
    }
    const struct gr_outgoing_hook *lo = strcmp(h[2].id, h[3].id) < 0 ? &h[2] : &h[3];
    const struct gr_outgoing_hook *hi = lo == &h[2] ? &h[3] : &h[2];

    assert_int_equal(gr_store_outgoing_list(f->st, f->team.id, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.v[0].id, h[1].id);
    assert_string_equal(l.v[1].id, lo->id);
    assert_string_equal(l.v[2].id, hi->id);
    assert_string_equal(l.v[3].id, h[0].id);
    outgoing_equal(&l.v[3], &h[0]); /* lists carry every field too */
    gr_outgoing_hook_list_free(&l);
    assert_null(l.v);

    /* All teams (NULL or ""), and pages. */
    assert_int_equal(gr_store_outgoing_list(f->st, NULL, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 5);
    assert_string_equal(l.v[1].id, h[4].id);
    gr_outgoing_hook_list_free(&l);
    assert_int_equal(gr_store_outgoing_list(f->st, f->team.id, 1, 2, &l), GR_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].id, lo->id);
    assert_string_equal(l.v[1].id, hi->id);
    gr_outgoing_hook_list_free(&l);
    assert_int_equal(gr_store_outgoing_list(f->st, f->team.id, 4, 0, &l), GR_OK);
    assert_int_equal(l.n, 0);
    gr_outgoing_hook_list_free(&l);
    assert_int_equal(gr_store_outgoing_list(f->st, f->other.id, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 1);
    gr_outgoing_hook_list_free(&l);

    /* Soft delete: gone from lists, still readable with delete_at, not deletable twice, not
     * updatable. */
    assert_int_equal(gr_store_outgoing_delete(f->st, h[1].id, 7000), GR_OK);
    assert_int_equal(gr_store_outgoing_list(f->st, f->team.id, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].id, lo->id);
    gr_outgoing_hook_list_free(&l);
    assert_int_equal(gr_store_outgoing_get(f->st, h[1].id, &got), GR_OK);
    assert_int_equal(got.delete_at, 7000);
    assert_int_equal(got.update_at, 7000);
    assert_string_equal(got.secret, h[1].secret);
    gr_outgoing_hook_cleanup(&got);
    assert_int_equal(gr_store_outgoing_delete(f->st, h[1].id, 8000), GR_ENOTFOUND);
    assert_int_equal(gr_store_outgoing_update(f->st, &h[1]), GR_ENOTFOUND);
    /* A delete at time 0 still deletes (delete_at 0 would mean live). */
    assert_int_equal(gr_store_outgoing_delete(f->st, h[0].id, 0), GR_OK);
    assert_int_equal(gr_store_outgoing_get(f->st, h[0].id, &got), GR_OK);
    assert_true(got.delete_at != 0);
    gr_outgoing_hook_cleanup(&got);

    for (int i = 0; i < 5; i++)
        gr_outgoing_hook_cleanup(&h[i]);
}

static void test_outgoing_bad_rows(void **state)
{
    struct fx *f = *state;
    struct gr_outgoing_hook h, got;
    struct gr_outgoing_hook_list l;

    /* A field too long for its array (no NUL inside it) is refused, never cut. */
    outgoing_init(&h, f, f->team.id, "a", 1000);
    memset(h.icon_url, 'u', sizeof h.icon_url);
    assert_int_equal(gr_store_outgoing_insert(f->st, &h), GR_EINVAL);
    assert_int_equal(gr_store_outgoing_get(f->st, h.id, &got), GR_ENOTFOUND);
    snprintf(h.icon_url, sizeof h.icon_url, "https://example.com/i.png");
    memset(h.secret, 's', sizeof h.secret);
    assert_int_equal(gr_store_outgoing_insert(f->st, &h), GR_EINVAL);
    memset(h.secret, 's', sizeof h.secret - 1); /* exactly the maximum fits */
    h.secret[sizeof h.secret - 1] = '\0';
    assert_int_equal(gr_store_outgoing_insert(f->st, &h), GR_OK);
    assert_int_equal(gr_store_outgoing_get(f->st, h.id, &got), GR_OK);
    assert_int_equal(strlen(got.secret), GR_SECRET_SIZE - 1);
    gr_outgoing_hook_cleanup(&got);
    memset(h.description, 'd', sizeof h.description);
    assert_int_equal(gr_store_outgoing_update(f->st, &h), GR_EINVAL);
    gr_outgoing_hook_cleanup(&h);

    /* Unknown team or creator: GR_EINVAL (foreign keys). */
    outgoing_init(&h, f, "no-such-team", "b", 1000);
    assert_int_equal(gr_store_outgoing_insert(f->st, &h), GR_EINVAL);
    snprintf(h.team_id, sizeof h.team_id, "%s", f->team.id);
    snprintf(h.creator_id, sizeof h.creator_id, "no-such-user");
    assert_int_equal(gr_store_outgoing_insert(f->st, &h), GR_EINVAL);
    gr_outgoing_hook_cleanup(&h);
    assert_int_equal(gr_store_outgoing_list(f->st, NULL, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 1);
    gr_outgoing_hook_list_free(&l);
}

/* ---- Slash commands -------------------------------------------------------------------------- */

static void test_command_round_trip(void **state)
{
    struct fx *f = *state;
    struct gr_command c, got, upd;

    command_init(&c, f, f->team.id, "standup", 1000);
    assert_int_equal(gr_store_command_insert(f->st, &c), GR_OK);
    assert_int_equal(gr_store_command_get(f->st, c.id, &got), GR_OK);
    command_equal(&got, &c);
    assert_int_equal(gr_store_command_get_by_trigger(f->st, f->team.id, "standup", &got), GR_OK);
    command_equal(&got, &c);

    /* update copies every field but id, create_at and delete_at; an empty method is "P". */
    command_init(&upd, f, f->other.id, "retro", 4000);
    memcpy(upd.id, c.id, GR_ID_SIZE);
    upd.auto_complete = false;
    upd.method[0] = '\0';
    assert_int_equal(gr_store_command_update(f->st, &upd), GR_OK);
    assert_int_equal(gr_store_command_get(f->st, c.id, &got), GR_OK);
    upd.create_at = c.create_at;
    snprintf(upd.method, sizeof upd.method, "P");
    command_equal(&got, &upd);
    assert_int_equal(gr_store_command_get_by_trigger(f->st, f->team.id, "standup", &got),
                     GR_ENOTFOUND);
    assert_int_equal(gr_store_command_get_by_trigger(f->st, f->other.id, "retro", &got), GR_OK);
    assert_string_equal(got.id, c.id);
    assert_int_equal(gr_store_command_get(f->st, got.id, &got), GR_OK); /* id inside out */
    command_equal(&got, &upd);

    /* Unknown ids, and fields too long for their arrays. */
    assert_int_equal(gr_store_command_get(f->st, "nope", &got), GR_ENOTFOUND);
    gr_id_new(upd.id);
    assert_int_equal(gr_store_command_update(f->st, &upd), GR_ENOTFOUND);
    assert_int_equal(gr_store_command_delete(f->st, upd.id, 5000), GR_ENOTFOUND);
    command_init(&c, f, f->team.id, "x", 1000);
    memset(c.trigger, 't', sizeof c.trigger);
    assert_int_equal(gr_store_command_insert(f->st, &c), GR_EINVAL);
    command_init(&c, f, f->team.id, "x", 1000);
    memcpy(c.method, "PG", sizeof c.method); /* no room for the NUL */
    assert_int_equal(gr_store_command_insert(f->st, &c), GR_EINVAL);
    command_init(&c, f, f->team.id, "x", 1000);
    memset(c.url, 'u', sizeof c.url);
    assert_int_equal(gr_store_command_insert(f->st, &c), GR_EINVAL);
    assert_int_equal(gr_store_command_get_by_trigger(f->st, f->team.id, "x", &got), GR_ENOTFOUND);
    command_init(&c, f, "no-such-team", "x", 1000);
    assert_int_equal(gr_store_command_insert(f->st, &c), GR_EINVAL);
}

static void test_command_trigger_unique(void **state)
{
    struct fx *f = *state;
    struct gr_command a, dup, b, other, got;

    command_init(&a, f, f->team.id, "standup", 1000);
    assert_int_equal(gr_store_command_insert(f->st, &a), GR_OK);
    /* A second live "standup" in the team is refused; another team may have one. */
    command_init(&dup, f, f->team.id, "standup", 2000);
    assert_int_equal(gr_store_command_insert(f->st, &dup), GR_EEXIST);
    command_init(&other, f, f->other.id, "standup", 2000);
    assert_int_equal(gr_store_command_insert(f->st, &other), GR_OK);
    /* Renaming another command onto the taken trigger is refused too, and changes nothing. */
    command_init(&b, f, f->team.id, "retro", 3000);
    assert_int_equal(gr_store_command_insert(f->st, &b), GR_OK);
    snprintf(b.trigger, sizeof b.trigger, "standup");
    assert_int_equal(gr_store_command_update(f->st, &b), GR_EEXIST);
    assert_int_equal(gr_store_command_get(f->st, b.id, &got), GR_OK);
    assert_string_equal(got.trigger, "retro");
    /* Updating a command while keeping its own trigger is fine. */
    snprintf(a.url, sizeof a.url, "http://127.0.0.1:9/new");
    assert_int_equal(gr_store_command_update(f->st, &a), GR_OK);

    /* Deleting frees the trigger; the deleted one stays readable by id only. */
    assert_int_equal(gr_store_command_delete(f->st, a.id, 6000), GR_OK);
    assert_int_equal(gr_store_command_delete(f->st, a.id, 6001), GR_ENOTFOUND);
    assert_int_equal(gr_store_command_update(f->st, &a), GR_ENOTFOUND);
    assert_int_equal(gr_store_command_get_by_trigger(f->st, f->team.id, "standup", &got),
                     GR_ENOTFOUND);
    assert_int_equal(gr_store_command_get(f->st, a.id, &got), GR_OK);
    assert_int_equal(got.delete_at, 6000);
    assert_int_equal(got.update_at, 6000);
    assert_string_equal(got.url, "http://127.0.0.1:9/new");
    assert_int_equal(gr_store_command_insert(f->st, &dup), GR_OK);
    assert_int_equal(gr_store_command_get_by_trigger(f->st, f->team.id, "standup", &got), GR_OK);
    assert_string_equal(got.id, dup.id);
    assert_int_equal(gr_store_command_get_by_trigger(f->st, f->other.id, "standup", &got), GR_OK);
    assert_string_equal(got.id, other.id);
    /* Two deleted commands may share a trigger. */
    assert_int_equal(gr_store_command_delete(f->st, dup.id, 7000), GR_OK);
    assert_int_equal(gr_store_command_get(f->st, dup.id, &got), GR_OK);
    assert_int_equal(got.delete_at, 7000);
}

static void test_command_list(void **state)
{
    struct fx *f = *state;
    const char *triggers[] = {"standup", "echo2", "zz", "alpha"};
    struct gr_command c[4], o;
    struct gr_command_list l;

    for (int i = 0; i < 4; i++) {
        command_init(&c[i], f, f->team.id, triggers[i], 1000 + i);
        assert_int_equal(gr_store_command_insert(f->st, &c[i]), GR_OK);
    }
    command_init(&o, f, f->other.id, "beta", 500);
    assert_int_equal(gr_store_command_insert(f->st, &o), GR_OK);

    assert_int_equal(gr_store_command_list(f->st, f->team.id, &l), GR_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.v[0].trigger, "alpha");
    assert_string_equal(l.v[1].trigger, "echo2");
    assert_string_equal(l.v[2].trigger, "standup");
    assert_string_equal(l.v[3].trigger, "zz");
    command_equal(&l.v[2], &c[0]);
    gr_command_list_free(&l);
    assert_null(l.v);

    assert_int_equal(gr_store_command_list(f->st, NULL, &l), GR_OK);
    assert_int_equal(l.n, 5);
    assert_string_equal(l.v[1].trigger, "beta");
    gr_command_list_free(&l);

    assert_int_equal(gr_store_command_delete(f->st, c[1].id, 9000), GR_OK);
    assert_int_equal(gr_store_command_list(f->st, f->team.id, &l), GR_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[1].trigger, "standup");
    gr_command_list_free(&l);
    assert_int_equal(gr_store_command_list(f->st, f->other.id, &l), GR_OK);
    assert_int_equal(l.n, 1);
    gr_command_list_free(&l);
    assert_int_equal(gr_store_command_list(f->st, "no-such-team", &l), GR_OK);
    assert_int_equal(l.n, 0);
    gr_command_list_free(&l);
}

/* ---- Response URLs --------------------------------------------------------------------------- */

#define LIFETIME (30 * 60 * 1000)

static void test_webhook_uses(void **state)
{
    struct fx *f = *state;
    struct gr_command_webhook w, got;
    const int64_t now = 10 * LIFETIME;

    webhook_init(&w, "cmd", now - 1000);
    assert_int_equal(gr_store_command_webhook_insert(f->st, &w), GR_OK);
    assert_int_equal(gr_store_command_webhook_insert(f->st, &w), GR_EEXIST);
    for (int i = 1; i <= 5; i++) {
        assert_int_equal(gr_store_command_webhook_try_use(f->st, w.id, now - LIFETIME, 5, &got),
                         GR_OK);
        assert_int_equal(got.use_count, i);
        assert_string_equal(got.id, w.id);
        assert_string_equal(got.command_id, w.command_id);
        assert_string_equal(got.user_id, w.user_id);
        assert_string_equal(got.channel_id, w.channel_id);
        assert_string_equal(got.root_id, w.root_id);
        assert_int_equal(got.create_at, w.create_at);
    }
    /* The 6th use is refused and counts nothing: a 6-use limit then allows exactly one more. */
    assert_int_equal(gr_store_command_webhook_try_use(f->st, w.id, now - LIFETIME, 5, &got),
                     GR_ETOOBIG);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, w.id, now - LIFETIME, 5, &got),
                     GR_ETOOBIG);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, w.id, now - LIFETIME, 6, &got), GR_OK);
    assert_int_equal(got.use_count, 6);

    /* Expired (created before not_before) and unknown ids are GR_ENOTFOUND, even when the
     * uses are spent. */
    assert_int_equal(gr_store_command_webhook_try_use(f->st, w.id, now, 5, &got), GR_ENOTFOUND);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, "nope", 0, 5, &got), GR_ENOTFOUND);
    webhook_init(&w, "cmd", now - LIFETIME - 1);
    w.root_id[0] = '\0';
    assert_int_equal(gr_store_command_webhook_insert(f->st, &w), GR_OK);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, w.id, now - LIFETIME, 5, &got),
                     GR_ENOTFOUND);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, w.id, now - LIFETIME - 1, 5, &got),
                     GR_OK); /* the boundary is inclusive */
    assert_string_equal(got.root_id, "");
    assert_int_equal(gr_store_command_webhook_try_use(f->st, got.id, 0, 5, &got), GR_OK);
    assert_int_equal(got.use_count, 2);
    assert_string_equal(got.id, w.id);

    /* Fields too long for their arrays. */
    webhook_init(&w, "cmd", now);
    memset(w.channel_id, 'c', sizeof w.channel_id);
    assert_int_equal(gr_store_command_webhook_insert(f->st, &w), GR_EINVAL);
}

static void test_webhook_expire_and_tx(void **state)
{
    struct fx *f = *state;
    struct gr_command_webhook old, young, got;

    webhook_init(&old, "cmd", 1000);
    webhook_init(&young, "cmd", 5000);
    assert_int_equal(gr_store_command_webhook_insert(f->st, &old), GR_OK);
    assert_int_equal(gr_store_command_webhook_insert(f->st, &young), GR_OK);
    assert_int_equal(gr_store_command_webhook_expire(f->st, 3000), GR_OK);
    /* Even with no age limit, the expired row is gone. */
    assert_int_equal(gr_store_command_webhook_try_use(f->st, old.id, 0, 5, &got), GR_ENOTFOUND);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, young.id, 0, 5, &got), GR_OK);
    assert_int_equal(got.use_count, 1);

    /* Inside the caller's transaction: a use rolls back with it, and a refusal leaves the
     * transaction usable. */
    assert_int_equal(gr_store_begin(f->st), GR_OK);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, young.id, 0, 5, &got), GR_OK);
    assert_int_equal(got.use_count, 2);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, young.id, 0, 2, &got), GR_ETOOBIG);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, old.id, 0, 5, &got), GR_ENOTFOUND);
    assert_int_equal(gr_store_kv_put(f->st, "in-tx", "1"), GR_OK);
    gr_store_rollback(f->st);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, young.id, 0, 5, &got), GR_OK);
    assert_int_equal(got.use_count, 2);

    assert_int_equal(gr_store_begin(f->st), GR_OK);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, young.id, 0, 5, &got), GR_OK);
    assert_int_equal(gr_store_commit(f->st), GR_OK);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, young.id, 0, 3, &got), GR_ETOOBIG);
}

/* Two connections to one file race on one response URL; exactly max uses succeed. */
struct racer {
    const char *path;
    const char *id;
    int ok, too_big, other;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct gr_command_webhook got;
    struct gr_store *st = NULL;
    char err[256];

    if (gr_store_open(r->path, 0, &st, err, sizeof err) != GR_OK) {
        r->other = -1;
        return NULL;
    }
    for (int i = 0; i < 20; i++) {
        gr_err rc = gr_store_command_webhook_try_use(st, r->id, 0, 5, &got);

        if (rc == GR_OK)
            r->ok++;
        else if (rc == GR_ETOOBIG)
            r->too_big++;
        else
            r->other++;
    }
    gr_store_close(st);
    return NULL;
}

static void test_webhook_race(void **state)
{
    struct fx *f = *state;
    struct gr_command_webhook w, got;
    struct racer r[2];
    pthread_t t[2];
    char err[256];

    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
    webhook_init(&w, "cmd", 1000);
    assert_int_equal(gr_store_command_webhook_insert(f->st, &w), GR_OK);
    for (int i = 0; i < 2; i++) {
        r[i] = (struct racer){.path = f->path, .id = w.id};
        assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
    }
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(r[0].other + r[1].other, 0);
    assert_int_equal(r[0].ok + r[1].ok, 5);
    assert_int_equal(r[0].too_big + r[1].too_big, 35);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, w.id, 0, 6, &got), GR_OK);
    assert_int_equal(got.use_count, 6);
}

/* ---- kv -------------------------------------------------------------------------------------- */

static void test_kv(void **state)
{
    struct fx *f = *state;
    char v[64], tiny[4];

    strcpy(v, "junk");
    assert_int_equal(gr_store_kv_get(f->st, "integration_secret", v, sizeof v), GR_ENOTFOUND);
    assert_string_equal(v, "");
    assert_int_equal(gr_store_kv_put_new(f->st, "integration_secret", "first"), GR_OK);
    assert_int_equal(gr_store_kv_put_new(f->st, "integration_secret", "second"), GR_EEXIST);
    assert_int_equal(gr_store_kv_get(f->st, "integration_secret", v, sizeof v), GR_OK);
    assert_string_equal(v, "first");

    assert_int_equal(gr_store_kv_put(f->st, "integration_secret", "rotated"), GR_OK);
    assert_int_equal(gr_store_kv_get(f->st, "integration_secret", v, sizeof v), GR_OK);
    assert_string_equal(v, "rotated");
    assert_int_equal(gr_store_kv_put(f->st, "cookie_key", ""), GR_OK);
    assert_int_equal(gr_store_kv_get(f->st, "cookie_key", v, sizeof v), GR_OK);
    assert_string_equal(v, "");

    /* A value that does not fit is refused, never cut; "abc" + NUL fits exactly. */
    assert_int_equal(gr_store_kv_get(f->st, "integration_secret", tiny, sizeof tiny), GR_ETOOBIG);
    assert_int_equal(gr_store_kv_put(f->st, "k3", "abc"), GR_OK);
    assert_int_equal(gr_store_kv_get(f->st, "k3", tiny, sizeof tiny), GR_OK);
    assert_string_equal(tiny, "abc");

    /* put_new inside a transaction: the refusal leaves the transaction usable. */
    assert_int_equal(gr_store_begin(f->st), GR_OK);
    assert_int_equal(gr_store_kv_put_new(f->st, "k3", "x"), GR_EEXIST);
    assert_int_equal(gr_store_kv_put_new(f->st, "k4", "y"), GR_OK);
    assert_int_equal(gr_store_commit(f->st), GR_OK);
    assert_int_equal(gr_store_kv_get(f->st, "k3", v, sizeof v), GR_OK);
    assert_string_equal(v, "abc");
    assert_int_equal(gr_store_kv_get(f->st, "k4", v, sizeof v), GR_OK);
    assert_string_equal(v, "y");
}

static void test_null_args(void **state)
{
    struct fx *f = *state;
    struct gr_outgoing_hook_list ol = {0};
    struct gr_command_list cl = {0};
    struct gr_outgoing_hook h;
    struct gr_command c;
    struct gr_command_webhook w;
    char v[8];

    memset(&h, 0, sizeof h);
    memset(&c, 0, sizeof c);
    memset(&w, 0, sizeof w);
    assert_int_equal(gr_store_outgoing_insert(NULL, &h), GR_EINVAL);
    assert_int_equal(gr_store_outgoing_insert(f->st, NULL), GR_EINVAL);
    assert_int_equal(gr_store_outgoing_get(f->st, NULL, &h), GR_EINVAL);
    assert_int_equal(gr_store_outgoing_get(f->st, "x", NULL), GR_EINVAL);
    assert_int_equal(gr_store_outgoing_update(f->st, NULL), GR_EINVAL);
    assert_int_equal(gr_store_outgoing_delete(f->st, NULL, 1), GR_EINVAL);
    assert_int_equal(gr_store_outgoing_list(NULL, NULL, 0, 0, &ol), GR_EINVAL);
    assert_int_equal(gr_store_outgoing_list(f->st, NULL, 0, 0, NULL), GR_EINVAL);
    assert_int_equal(gr_store_command_insert(f->st, NULL), GR_EINVAL);
    assert_int_equal(gr_store_command_get(f->st, NULL, &c), GR_EINVAL);
    assert_int_equal(gr_store_command_get_by_trigger(f->st, NULL, "x", &c), GR_EINVAL);
    assert_int_equal(gr_store_command_get_by_trigger(f->st, "t", NULL, &c), GR_EINVAL);
    assert_int_equal(gr_store_command_update(NULL, &c), GR_EINVAL);
    assert_int_equal(gr_store_command_delete(f->st, NULL, 1), GR_EINVAL);
    assert_int_equal(gr_store_command_list(NULL, NULL, &cl), GR_EINVAL);
    assert_int_equal(gr_store_command_webhook_insert(f->st, NULL), GR_EINVAL);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, NULL, 0, 5, &w), GR_EINVAL);
    assert_int_equal(gr_store_command_webhook_try_use(f->st, "x", 0, 5, NULL), GR_EINVAL);
    assert_int_equal(gr_store_command_webhook_expire(NULL, 0), GR_EINVAL);
    assert_int_equal(gr_store_kv_get(f->st, NULL, v, sizeof v), GR_EINVAL);
    assert_int_equal(gr_store_kv_get(f->st, "k", v, 0), GR_EINVAL);
    assert_int_equal(gr_store_kv_get(f->st, "k", NULL, 8), GR_EINVAL);
    assert_int_equal(gr_store_kv_put(f->st, "k", NULL), GR_EINVAL);
    assert_int_equal(gr_store_kv_put_new(f->st, NULL, "v"), GR_EINVAL);
    gr_outgoing_hook_cleanup(&h);
    gr_outgoing_hook_cleanup(NULL);
    gr_outgoing_hook_list_free(&ol);
    gr_outgoing_hook_list_free(NULL);
    gr_command_list_free(&cl);
    gr_command_list_free(NULL);
}

/* ---- Migration ------------------------------------------------------------------------------- */

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *s = NULL;
    int64_t v;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* A file built by migrations 1-4 exactly as a version-4 griot left it, with rows in it, is
 * refused by a plain opener and migrated by a creating one, keeping its rows. */
static void test_migrate_v4(void **state)
{
    struct fx *f = *state;
    struct gr_store *ro = NULL;
    struct gr_team t;
    struct gr_user u;
    struct gr_hook hk;
    struct gr_command c, got;
    char err[256], sql[128];
    sqlite3 *db;

    assert_true(gr_sqlite__schema_version >= 5);
    db = raw_open(f->path);
    assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=WAL; BEGIN", NULL, NULL, NULL),
                     SQLITE_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(sqlite3_exec(db, gr_sqlite__migrations[i], NULL, NULL, NULL), SQLITE_OK);
    snprintf(sql, sizeof sql, "PRAGMA user_version = 4; PRAGMA application_id = %d;",
             GR_SQLITE_APPLICATION_ID);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
            sqlite3_exec(db,
                         "INSERT INTO teams (id, name, display_name) VALUES "
                         "('tttttttttttttttttttttttttt', 'acme', 'Acme');"
                         "INSERT INTO users (id, username, first_name) VALUES "
                         "('uuuuuuuuuuuuuuuuuuuuuuuuuu', 'alice', 'Alice');"
                         "INSERT INTO channels (id, team_id, name) VALUES "
                         "('cccccccccccccccccccccccccc', 'tttttttttttttttttttttttttt', 'town');"
                         "INSERT INTO incoming_hooks (id, user_id, channel_id, team_id, "
                         "display_name) VALUES ('hhhhhhhhhhhhhhhhhhhhhhhhhh', "
                         "'uuuuuuuuuuuuuuuuuuuuuuuuuu', 'cccccccccccccccccccccccccc', "
                         "'tttttttttttttttttttttttttt', 'Old hook');"
                         "COMMIT;",
                         NULL, NULL, NULL),
            SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                      "('outgoing_hooks', 'commands', 'command_webhooks', 'kv')"),
                     0);

    /* Not upgraded behind a creating opener's back. */
    assert_int_equal(gr_store_open(f->path, 0, &ro, err, sizeof err), GR_EINVAL);
    assert_non_null(strstr(err, "older than this griot"));
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 4);

    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), gr_sqlite__schema_version);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                      "('outgoing_hooks', 'commands', 'command_webhooks', 'kv', "
                                      "'commands_trigger', 'command_webhooks_create', "
                                      "'outgoing_hooks_team')"),
                     7);
    assert_int_equal(gr_store_team_get_by_name(f->st, "acme", &t), GR_OK);
    assert_string_equal(t.display_name, "Acme");
    assert_int_equal(gr_store_user_get_by_name(f->st, "alice", &u), GR_OK);
    assert_string_equal(u.first_name, "Alice");
    assert_int_equal(gr_store_hook_get(f->st, "hhhhhhhhhhhhhhhhhhhhhhhhhh", &hk), GR_OK);
    assert_string_equal(hk.display_name, "Old hook");

    /* The new tables work on the old rows. */
    f->alice = u;
    command_init(&c, f, t.id, "standup", 1000);
    assert_int_equal(gr_store_command_insert(f->st, &c), GR_OK);
    assert_int_equal(gr_store_command_get_by_trigger(f->st, t.id, "standup", &got), GR_OK);
    command_equal(&got, &c);
    assert_int_equal(gr_store_kv_put_new(f->st, "k", "v"), GR_OK);
    gr_store_close(f->st);
    f->st = NULL;
    assert_int_equal(gr_store_open(f->path, 0, &ro, err, sizeof err), GR_OK);
    assert_int_equal(gr_store_command_get(ro, c.id, &got), GR_OK);
    command_equal(&got, &c);
    gr_store_close(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_outgoing_round_trip, setup, teardown),
            cmocka_unit_test_setup_teardown(test_outgoing_list_and_delete, setup, teardown),
            cmocka_unit_test_setup_teardown(test_outgoing_bad_rows, setup, teardown),
            cmocka_unit_test_setup_teardown(test_command_round_trip, setup, teardown),
            cmocka_unit_test_setup_teardown(test_command_trigger_unique, setup, teardown),
            cmocka_unit_test_setup_teardown(test_command_list, setup, teardown),
            cmocka_unit_test_setup_teardown(test_webhook_uses, setup, teardown),
            cmocka_unit_test_setup_teardown(test_webhook_expire_and_tx, setup, teardown),
            cmocka_unit_test_setup_teardown(test_webhook_race, setup_dir, teardown),
            cmocka_unit_test_setup_teardown(test_kv, setup, teardown),
            cmocka_unit_test_setup_teardown(test_null_args, setup, teardown),
            cmocka_unit_test_setup_teardown(test_migrate_v4, setup_dir, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
