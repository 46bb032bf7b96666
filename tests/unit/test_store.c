/* SPDX-License-Identifier: MIT */
/*
 * test_store.c - the store contract suite (cmocka).
 *
 * The contract tests run twice: on a private in-memory SQLite store (":memory:") and on a store
 * file in a fresh mkdtemp directory. A second back end (PostgreSQL, when GRIOT_TEST_PG is set)
 * adds one more setup function and runs the same CONTRACT_TESTS list. The file-only tests cover
 * what needs a real file: opening without GR_STORE_CREATE, migrations, reopening, file modes, URL
 * forms, and two connections sharing one file through WAL. They poke at the file with the
 * sqlite3 API directly where the store interface cannot (schema version, oversized values).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/id.h"
#include "core/log.h"
#include "store/store.h"

struct fx {
    char dir[256];
    char path[512];
    struct gr_store *st;
};

/* ---- Fixture --------------------------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void make_dir(struct fx *f)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(f->dir, sizeof f->dir, "%s/griot-store-XXXXXX", tmp != NULL ? tmp : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/griot.db", f->dir);
}

static int setup_mem(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char err[256];

    assert_non_null(f);
    assert_int_equal(gr_store_open("sqlite::memory:", GR_STORE_CREATE, &f->st, err, sizeof err),
                     GR_OK);
    *state = f;
    return 0;
}

static int setup_file(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char err[256];

    assert_non_null(f);
    make_dir(f);
    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
    *state = f;
    return 0;
}

/* A temp directory but no store: for the tests that open it themselves. */
static int setup_dir(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    make_dir(f);
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

static void team(struct gr_store *st, const char *name, struct gr_team *t)
{
    memset(t, 0, sizeof *t);
    gr_id_new(t->id);
    snprintf(t->name, sizeof t->name, "%s", name);
    snprintf(t->display_name, sizeof t->display_name, "Team %s", name);
    t->type = 'O';
    t->create_at = t->update_at = 1000;
    assert_int_equal(gr_store_team_insert(st, t), GR_OK);
}

static void user(struct gr_store *st, const char *name, struct gr_user *u)
{
    memset(u, 0, sizeof *u);
    gr_id_new(u->id);
    snprintf(u->username, sizeof u->username, "%s", name);
    snprintf(u->email, sizeof u->email, "%s@example.com", name);
    snprintf(u->roles, sizeof u->roles, "system_user");
    u->create_at = u->update_at = 1000;
    assert_int_equal(gr_store_user_insert(st, u), GR_OK);
}

static void channel(struct gr_store *st, const char *team_id, const char *name, char type,
                    struct gr_channel *c)
{
    memset(c, 0, sizeof *c);
    gr_id_new(c->id);
    snprintf(c->team_id, sizeof c->team_id, "%s", team_id);
    snprintf(c->name, sizeof c->name, "%s", name);
    snprintf(c->display_name, sizeof c->display_name, "Channel %s", name);
    c->type = type;
    c->create_at = c->update_at = 1000;
    assert_int_equal(gr_store_channel_insert(st, c), GR_OK);
}

static void hook_init(struct gr_hook *h, const struct gr_user *u, const struct gr_channel *c,
                      int64_t create_at)
{
    memset(h, 0, sizeof *h);
    gr_id_new(h->id);
    memcpy(h->user_id, u->id, GR_ID_SIZE);
    memcpy(h->channel_id, c->id, GR_ID_SIZE);
    memcpy(h->team_id, c->team_id, GR_ID_SIZE);
    snprintf(h->display_name, sizeof h->display_name, "hook");
    h->rate = -1;
    h->burst = -1;
    h->over_limit = -1;
    h->create_at = h->update_at = create_at;
}

static void post_init(struct gr_post *p, const char *channel_id, const char *user_id,
                      int64_t create_at, const char *message)
{
    memset(p, 0, sizeof *p);
    gr_id_new(p->id);
    snprintf(p->channel_id, sizeof p->channel_id, "%s", channel_id);
    snprintf(p->user_id, sizeof p->user_id, "%s", user_id);
    p->message = (char *)(uintptr_t)message; /* borrowed; never freed here */
    p->create_at = p->update_at = create_at;
}

/* Sets up one team, one user and one channel of that team: the usual parents. */
struct world {
    struct gr_team t;
    struct gr_user u;
    struct gr_channel c;
};

static void world(struct gr_store *st, struct world *w)
{
    team(st, "acme", &w->t);
    user(st, "alice", &w->u);
    channel(st, w->t.id, "town-square", 'O', &w->c);
}

/* ---- Contract tests -------------------------------------------------------------------------- */

static void test_backend_and_empty(void **state)
{
    struct fx *f = *state;
    struct gr_team t;
    bool empty = false;

    assert_string_equal(gr_store_backend(f->st), "sqlite");
    assert_int_equal(gr_store_is_empty(f->st, &empty), GR_OK);
    assert_true(empty);
    team(f->st, "acme", &t);
    assert_int_equal(gr_store_is_empty(f->st, &empty), GR_OK);
    assert_false(empty);
}

static void test_team(void **state)
{
    struct fx *f = *state;
    struct gr_team t, got, dup;

    team(f->st, "acme", &t);
    memset(&got, 0x55, sizeof got);
    assert_int_equal(gr_store_team_get(f->st, t.id, &got), GR_OK);
    assert_string_equal(got.id, t.id);
    assert_string_equal(got.name, "acme");
    assert_string_equal(got.display_name, "Team acme");
    assert_int_equal(got.type, 'O');
    assert_int_equal(got.create_at, 1000);
    assert_int_equal(got.delete_at, 0);
    assert_int_equal(gr_store_team_get_by_name(f->st, "acme", &got), GR_OK);
    assert_string_equal(got.id, t.id);

    assert_int_equal(gr_store_team_get(f->st, "nosuchteamnosuchteamnosuch", &got), GR_ENOTFOUND);
    assert_int_equal(gr_store_team_get_by_name(f->st, "nope", &got), GR_ENOTFOUND);

    dup = t; /* same id */
    snprintf(dup.name, sizeof dup.name, "other");
    assert_int_equal(gr_store_team_insert(f->st, &dup), GR_EEXIST);
    gr_id_new(dup.id); /* same name */
    snprintf(dup.name, sizeof dup.name, "acme");
    assert_int_equal(gr_store_team_insert(f->st, &dup), GR_EEXIST);
}

static void test_channel(void **state)
{
    struct fx *f = *state;
    struct gr_channel c, got, dup;
    struct gr_team t, t2;

    team(f->st, "acme", &t);
    team(f->st, "beta", &t2);
    memset(&c, 0, sizeof c);
    gr_id_new(c.id);
    memcpy(c.team_id, t.id, GR_ID_SIZE);
    snprintf(c.name, sizeof c.name, "town-square");
    snprintf(c.display_name, sizeof c.display_name, "Town Square \xc3\xa9");
    snprintf(c.header, sizeof c.header, "the header");
    snprintf(c.purpose, sizeof c.purpose, "the purpose");
    c.type = 'P';
    c.create_at = 5;
    c.update_at = 6;
    c.last_post_at = 7;
    c.total_msg_count = 8;
    assert_int_equal(gr_store_channel_insert(f->st, &c), GR_OK);

    assert_int_equal(gr_store_channel_get(f->st, c.id, &got), GR_OK);
    assert_memory_equal(&got.id, &c.id, sizeof c.id);
    assert_string_equal(got.team_id, t.id);
    assert_string_equal(got.name, "town-square");
    assert_string_equal(got.display_name, "Town Square \xc3\xa9");
    assert_string_equal(got.header, "the header");
    assert_string_equal(got.purpose, "the purpose");
    assert_string_equal(got.creator_id, "");
    assert_int_equal(got.type, 'P');
    assert_int_equal(got.create_at, 5);
    assert_int_equal(got.update_at, 6);
    assert_int_equal(got.last_post_at, 7);
    assert_int_equal(got.total_msg_count, 8);
    assert_int_equal(gr_store_channel_get(f->st, "nosuchchannelnosuchchannel", &got), GR_ENOTFOUND);

    dup = c; /* same id */
    snprintf(dup.name, sizeof dup.name, "other");
    assert_int_equal(gr_store_channel_insert(f->st, &dup), GR_EEXIST);
    gr_id_new(dup.id); /* same (team, name) */
    snprintf(dup.name, sizeof dup.name, "town-square");
    assert_int_equal(gr_store_channel_insert(f->st, &dup), GR_EEXIST);
    memcpy(dup.team_id, t2.id, GR_ID_SIZE); /* same name in another team is fine */
    assert_int_equal(gr_store_channel_insert(f->st, &dup), GR_OK);
}

static void test_channel_by_name(void **state)
{
    struct fx *f = *state;
    struct gr_channel c, dm, shadow, gone, got;
    struct gr_team t, t2;
    char dmname[GR_NAME_SIZE];

    team(f->st, "acme", &t);
    team(f->st, "beta", &t2);
    channel(f->st, t.id, "town-square", 'O', &c);
    snprintf(dmname, sizeof dmname, "%s__%s", t.id, t2.id); /* any two ids */
    channel(f->st, "", dmname, 'D', &dm);

    assert_int_equal(gr_store_channel_get_by_name(f->st, t.id, "town-square", &got), GR_OK);
    assert_string_equal(got.id, c.id);
    /* Names are exact: Mattermost does not lowercase the input. */
    assert_int_equal(gr_store_channel_get_by_name(f->st, t.id, "Town-Square", &got), GR_ENOTFOUND);
    /* Not in the other team. */
    assert_int_equal(gr_store_channel_get_by_name(f->st, t2.id, "town-square", &got), GR_ENOTFOUND);
    /* The DM resolves from any team, and with team "". */
    assert_int_equal(gr_store_channel_get_by_name(f->st, t.id, dmname, &got), GR_OK);
    assert_string_equal(got.id, dm.id);
    assert_int_equal(got.type, 'D');
    assert_string_equal(got.team_id, "");
    assert_int_equal(gr_store_channel_get_by_name(f->st, "", dmname, &got), GR_OK);
    assert_string_equal(got.id, dm.id);

    /* A team channel wins over a DM-space channel of the same name. */
    channel(f->st, t2.id, dmname, 'O', &shadow);
    assert_int_equal(gr_store_channel_get_by_name(f->st, t2.id, dmname, &got), GR_OK);
    assert_string_equal(got.id, shadow.id);
    assert_int_equal(gr_store_channel_get_by_name(f->st, t.id, dmname, &got), GR_OK);
    assert_string_equal(got.id, dm.id);

    /* Archived channels are not found by name, but still by id. */
    memset(&gone, 0, sizeof gone);
    gr_id_new(gone.id);
    memcpy(gone.team_id, t.id, GR_ID_SIZE);
    snprintf(gone.name, sizeof gone.name, "archived");
    gone.type = 'O';
    gone.delete_at = 99;
    assert_int_equal(gr_store_channel_insert(f->st, &gone), GR_OK);
    assert_int_equal(gr_store_channel_get_by_name(f->st, t.id, "archived", &got), GR_ENOTFOUND);
    assert_int_equal(gr_store_channel_get(f->st, gone.id, &got), GR_OK);
    assert_int_equal(got.delete_at, 99);
}

static void test_channel_list(void **state)
{
    struct fx *f = *state;
    struct gr_channel_list l = {0};
    struct gr_channel c, gone;
    struct gr_team t, t2;

    team(f->st, "acme", &t);
    team(f->st, "beta", &t2);
    assert_int_equal(gr_store_channel_list(f->st, t.id, &l), GR_OK);
    assert_int_equal(l.n, 0);
    gr_channel_list_free(&l);

    channel(f->st, t.id, "zulu", 'O', &c);
    channel(f->st, t.id, "alpha", 'P', &c);
    channel(f->st, t.id, "mike", 'O', &c);
    channel(f->st, t2.id, "bravo", 'O', &c);
    channel(f->st, "", "dm-ish", 'D', &c);
    memset(&gone, 0, sizeof gone);
    gr_id_new(gone.id);
    memcpy(gone.team_id, t.id, GR_ID_SIZE);
    snprintf(gone.name, sizeof gone.name, "charlie");
    gone.type = 'O';
    gone.delete_at = 5;
    assert_int_equal(gr_store_channel_insert(f->st, &gone), GR_OK);

    assert_int_equal(gr_store_channel_list(f->st, t.id, &l), GR_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].name, "alpha");
    assert_string_equal(l.v[1].name, "mike");
    assert_string_equal(l.v[2].name, "zulu");
    gr_channel_list_free(&l);
    assert_null(l.v);
    assert_int_equal(l.n, 0);
    gr_channel_list_free(&l); /* twice is fine */
    gr_channel_list_free(NULL);
}

static void test_user(void **state)
{
    struct fx *f = *state;
    struct gr_user u, got, dup;

    memset(&u, 0, sizeof u);
    gr_id_new(u.id);
    snprintf(u.username, sizeof u.username, "Alice.Smith");
    snprintf(u.email, sizeof u.email, "alice@example.com");
    snprintf(u.nickname, sizeof u.nickname, "Al");
    snprintf(u.roles, sizeof u.roles, "system_admin system_user");
    u.is_bot = true;
    u.create_at = 1;
    u.update_at = 2;
    assert_int_equal(gr_store_user_insert(f->st, &u), GR_OK);

    assert_int_equal(gr_store_user_get(f->st, u.id, &got), GR_OK);
    assert_string_equal(got.username, "alice.smith"); /* stored lowercase */
    assert_string_equal(got.email, "alice@example.com");
    assert_string_equal(got.nickname, "Al");
    assert_string_equal(got.roles, "system_admin system_user");
    assert_true(got.is_bot);
    assert_int_equal(got.create_at, 1);
    assert_int_equal(got.update_at, 2);
    assert_int_equal(got.delete_at, 0);

    assert_int_equal(gr_store_user_get_by_name(f->st, "alice.smith", &got), GR_OK);
    assert_string_equal(got.id, u.id);
    assert_int_equal(gr_store_user_get_by_name(f->st, "ALICE.smith", &got), GR_OK);
    assert_string_equal(got.id, u.id);
    assert_int_equal(gr_store_user_get_by_name(f->st, "bob", &got), GR_ENOTFOUND);
    assert_int_equal(gr_store_user_get_by_name(f->st,
                                               "a-name-far-longer-than-sixty-four-bytes-can-"
                                               "never-match-any-stored-username",
                                               &got),
                     GR_ENOTFOUND);
    assert_int_equal(gr_store_user_get(f->st, "nosuchusernosuchusernosuch", &got), GR_ENOTFOUND);

    dup = u; /* same id */
    snprintf(dup.username, sizeof dup.username, "bob");
    assert_int_equal(gr_store_user_insert(f->st, &dup), GR_EEXIST);
    gr_id_new(dup.id); /* same name in another case */
    snprintf(dup.username, sizeof dup.username, "ALICE.SMITH");
    assert_int_equal(gr_store_user_insert(f->st, &dup), GR_EEXIST);
}

static void test_members(void **state)
{
    struct fx *f = *state;
    struct gr_user bob;
    struct world w;
    bool is = true;

    world(f->st, &w);
    user(f->st, "bob", &bob);
    assert_int_equal(gr_store_team_member_add(f->st, w.t.id, w.u.id), GR_OK);
    assert_int_equal(gr_store_team_member_add(f->st, w.t.id, w.u.id), GR_OK); /* idempotent */

    assert_int_equal(gr_store_channel_member_is(f->st, w.c.id, w.u.id, &is), GR_OK);
    assert_false(is);
    assert_int_equal(gr_store_channel_member_add(f->st, w.c.id, w.u.id), GR_OK);
    assert_int_equal(gr_store_channel_member_add(f->st, w.c.id, w.u.id), GR_OK);
    assert_int_equal(gr_store_channel_member_is(f->st, w.c.id, w.u.id, &is), GR_OK);
    assert_true(is);
    assert_int_equal(gr_store_channel_member_is(f->st, w.c.id, bob.id, &is), GR_OK);
    assert_false(is);

    /* Memberships need both parents. */
    assert_int_equal(gr_store_team_member_add(f->st, "nosuchteamnosuchteamnosuch", w.u.id),
                     GR_EINVAL);
    assert_int_equal(gr_store_team_member_add(f->st, w.t.id, "nosuchusernosuchusernosuch"),
                     GR_EINVAL);
    assert_int_equal(gr_store_channel_member_add(f->st, "nosuchchannelnosuchchannel", w.u.id),
                     GR_EINVAL);
    assert_int_equal(gr_store_channel_member_add(f->st, w.c.id, "nosuchusernosuchusernosuch"),
                     GR_EINVAL);
}

static void test_token(void **state)
{
    struct fx *f = *state;
    struct gr_token t, got, dup;
    struct gr_user u;

    user(f->st, "alice", &u);
    memset(&t, 0, sizeof t);
    gr_id_new(t.id);
    memcpy(t.user_id, u.id, GR_ID_SIZE);
    memset(t.hash, 'a', GR_SHA256_HEX_SIZE - 1);
    snprintf(t.description, sizeof t.description, "ci token");
    t.is_active = true;
    t.create_at = 42;
    assert_int_equal(gr_store_token_insert(f->st, &t), GR_OK);

    assert_int_equal(gr_store_token_get_by_hash(f->st, t.hash, &got), GR_OK);
    assert_string_equal(got.id, t.id);
    assert_string_equal(got.user_id, u.id);
    assert_string_equal(got.hash, t.hash);
    assert_string_equal(got.description, "ci token");
    assert_true(got.is_active);
    assert_int_equal(got.create_at, 42);
    assert_int_equal(gr_store_token_get_by_hash(f->st, "bbbb", &got), GR_ENOTFOUND);

    dup = t; /* same hash */
    gr_id_new(dup.id);
    assert_int_equal(gr_store_token_insert(f->st, &dup), GR_EEXIST);
    dup = t; /* same id */
    memset(dup.hash, 'c', GR_SHA256_HEX_SIZE - 1);
    assert_int_equal(gr_store_token_insert(f->st, &dup), GR_EEXIST);
    /* Unknown user. */
    gr_id_new(dup.id);
    memset(dup.hash, 'd', GR_SHA256_HEX_SIZE - 1);
    gr_id_new(dup.user_id);
    assert_int_equal(gr_store_token_insert(f->st, &dup), GR_EINVAL);
}

static void test_hook_crud(void **state)
{
    struct fx *f = *state;
    struct gr_channel other;
    struct gr_hook h, got, dup;
    struct world w;

    world(f->st, &w);
    channel(f->st, w.t.id, "off-topic", 'O', &other);
    hook_init(&h, &w.u, &w.c, 100);
    snprintf(h.description, sizeof h.description, "from CI");
    snprintf(h.username, sizeof h.username, "ci-bot");
    snprintf(h.icon_url, sizeof h.icon_url, "https://example.com/i.png");
    h.channel_locked = true;
    h.rate = 2.5;
    h.burst = 10;
    h.over_limit = GR_OVER_LIMIT_REJECT;
    assert_int_equal(gr_store_hook_insert(f->st, &h), GR_OK);

    assert_int_equal(gr_store_hook_get(f->st, h.id, &got), GR_OK);
    assert_string_equal(got.id, h.id);
    assert_string_equal(got.user_id, w.u.id);
    assert_string_equal(got.channel_id, w.c.id);
    assert_string_equal(got.team_id, w.t.id);
    assert_string_equal(got.display_name, "hook");
    assert_string_equal(got.description, "from CI");
    assert_string_equal(got.username, "ci-bot");
    assert_string_equal(got.icon_url, "https://example.com/i.png");
    assert_true(got.channel_locked);
    assert_true(got.rate == 2.5);
    assert_int_equal(got.burst, 10);
    assert_int_equal(got.over_limit, GR_OVER_LIMIT_REJECT);
    assert_int_equal(got.create_at, 100);
    assert_int_equal(got.delete_at, 0);
    assert_int_equal(gr_store_hook_get(f->st, "nosuchhooknosuchhooknosuch", &got), GR_ENOTFOUND);

    dup = h;
    assert_int_equal(gr_store_hook_insert(f->st, &dup), GR_EEXIST);
    gr_id_new(dup.id);
    gr_id_new(dup.channel_id); /* unknown channel */
    assert_int_equal(gr_store_hook_insert(f->st, &dup), GR_EINVAL);

    /* Update replaces the mutable fields only. */
    got = h;
    memcpy(got.channel_id, other.id, GR_ID_SIZE);
    snprintf(got.display_name, sizeof got.display_name, "renamed");
    got.description[0] = '\0';
    snprintf(got.username, sizeof got.username, "other-bot");
    got.icon_url[0] = '\0';
    got.channel_locked = false;
    got.rate = -1;
    got.burst = -1;
    got.over_limit = -1;
    got.update_at = 200;
    got.create_at = 999;                            /* immutable: ignored */
    snprintf(got.user_id, sizeof got.user_id, "x"); /* immutable: ignored */
    assert_int_equal(gr_store_hook_update(f->st, &got), GR_OK);
    assert_int_equal(gr_store_hook_get(f->st, h.id, &got), GR_OK);
    assert_string_equal(got.channel_id, other.id);
    assert_string_equal(got.display_name, "renamed");
    assert_string_equal(got.description, "");
    assert_string_equal(got.username, "other-bot");
    assert_false(got.channel_locked);
    assert_true(got.rate == -1);
    assert_int_equal(got.burst, -1);
    assert_int_equal(got.over_limit, -1);
    assert_int_equal(got.update_at, 200);
    assert_int_equal(got.create_at, 100);
    assert_string_equal(got.user_id, w.u.id);

    got.channel_id[0] = '\0';
    assert_int_equal(gr_store_hook_update(f->st, &got), GR_EINVAL); /* unknown channel */
    dup = h;
    gr_id_new(dup.id);
    assert_int_equal(gr_store_hook_update(f->st, &dup), GR_ENOTFOUND);

    /* Soft delete: gone for get/update/delete/list, but the row stays. */
    assert_int_equal(gr_store_hook_delete(f->st, h.id, 300), GR_OK);
    assert_int_equal(gr_store_hook_get(f->st, h.id, &got), GR_ENOTFOUND);
    assert_int_equal(gr_store_hook_update(f->st, &h), GR_ENOTFOUND);
    assert_int_equal(gr_store_hook_delete(f->st, h.id, 400), GR_ENOTFOUND);
    assert_int_equal(gr_store_hook_delete(f->st, "nosuchhooknosuchhooknosuch", 1), GR_ENOTFOUND);
    /* The id stays taken. */
    assert_int_equal(gr_store_hook_insert(f->st, &h), GR_EEXIST);
}

static void test_hook_list(void **state)
{
    struct fx *f = *state;
    struct gr_hook_list l = {0};
    struct gr_hook h[5];
    struct gr_channel c2;
    struct gr_team t2;
    struct world w;

    world(f->st, &w);
    team(f->st, "beta", &t2);
    channel(f->st, t2.id, "town-square", 'O', &c2);
    assert_int_equal(gr_store_hook_list(f->st, NULL, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 0);
    gr_hook_list_free(&l);

    /* Inserted out of order; listed oldest first. h[3] is in team 2, h[4] gets deleted. */
    hook_init(&h[0], &w.u, &w.c, 300);
    hook_init(&h[1], &w.u, &w.c, 100);
    hook_init(&h[2], &w.u, &w.c, 200);
    hook_init(&h[3], &w.u, &c2, 150);
    hook_init(&h[4], &w.u, &w.c, 50);
    for (int i = 0; i < 5; i++)
        assert_int_equal(gr_store_hook_insert(f->st, &h[i]), GR_OK);
    assert_int_equal(gr_store_hook_delete(f->st, h[4].id, 500), GR_OK);

    assert_int_equal(gr_store_hook_list(f->st, NULL, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.v[0].id, h[1].id);
    assert_string_equal(l.v[1].id, h[3].id);
    assert_string_equal(l.v[2].id, h[2].id);
    assert_string_equal(l.v[3].id, h[0].id);
    gr_hook_list_free(&l);

    assert_int_equal(gr_store_hook_list(f->st, "", 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 4);
    gr_hook_list_free(&l);

    assert_int_equal(gr_store_hook_list(f->st, w.t.id, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].id, h[1].id);
    assert_string_equal(l.v[1].id, h[2].id);
    assert_string_equal(l.v[2].id, h[0].id);
    gr_hook_list_free(&l);

    assert_int_equal(gr_store_hook_list(f->st, w.t.id, 1, 1, &l), GR_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].id, h[2].id);
    gr_hook_list_free(&l);

    assert_int_equal(gr_store_hook_list(f->st, w.t.id, 2, 0, &l), GR_OK); /* offset, no limit */
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].id, h[0].id);
    gr_hook_list_free(&l);

    assert_int_equal(gr_store_hook_list(f->st, w.t.id, 10, 5, &l), GR_OK);
    assert_int_equal(l.n, 0);
    assert_null(l.v);
    gr_hook_list_free(&l);

    assert_int_equal(gr_store_hook_list(f->st, "nosuchteamnosuchteamnosuch", 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 0);
    gr_hook_list_free(&l);
    gr_hook_list_free(NULL);
}

static void test_post(void **state)
{
    struct fx *f = *state;
    struct gr_post p, got, dup;
    struct gr_channel ch;
    struct world w;

    world(f->st, &w);
    post_init(&p, w.c.id, w.u.id, 5000, "hello \xe2\x9c\x93");
    snprintf(p.type, sizeof p.type, "slack_attachment");
    p.props = (char *)(uintptr_t) "{\"attachments\":[]}";
    p.edit_at = 1;
    assert_int_equal(gr_store_post_insert(f->st, &p), GR_OK);

    assert_int_equal(gr_store_post_get(f->st, p.id, &got), GR_OK);
    assert_string_equal(got.id, p.id);
    assert_string_equal(got.user_id, w.u.id);
    assert_string_equal(got.channel_id, w.c.id);
    assert_string_equal(got.root_id, "");
    assert_string_equal(got.type, "slack_attachment");
    assert_string_equal(got.message, "hello \xe2\x9c\x93");
    assert_string_equal(got.props, "{\"attachments\":[]}");
    assert_int_equal(got.create_at, 5000);
    assert_int_equal(got.update_at, 5000);
    assert_int_equal(got.edit_at, 1);
    assert_int_equal(got.delete_at, 0);
    gr_post_cleanup(&got);
    assert_null(got.message);
    gr_post_cleanup(&got); /* twice is fine */
    gr_post_cleanup(NULL);

    /* The channel's counters moved. */
    assert_int_equal(gr_store_channel_get(f->st, w.c.id, &ch), GR_OK);
    assert_int_equal(ch.last_post_at, 5000);
    assert_int_equal(ch.total_msg_count, 1);

    /* An older post counts but does not move last_post_at back. NULL message and props. */
    post_init(&p, w.c.id, w.u.id, 4000, NULL);
    snprintf(p.root_id, sizeof p.root_id, "%s", got.id);
    assert_int_equal(gr_store_post_insert(f->st, &p), GR_OK);
    assert_int_equal(gr_store_channel_get(f->st, w.c.id, &ch), GR_OK);
    assert_int_equal(ch.last_post_at, 5000);
    assert_int_equal(ch.total_msg_count, 2);
    assert_int_equal(gr_store_post_get(f->st, p.id, &got), GR_OK);
    assert_string_equal(got.message, "");
    assert_string_equal(got.props, "{}");
    assert_string_equal(got.root_id, p.root_id);
    gr_post_cleanup(&got);

    /* Duplicate id: refused, and the channel is not bumped. */
    dup = p;
    assert_int_equal(gr_store_post_insert(f->st, &dup), GR_EEXIST);
    assert_int_equal(gr_store_channel_get(f->st, w.c.id, &ch), GR_OK);
    assert_int_equal(ch.total_msg_count, 2);
    /* Unknown channel. */
    gr_id_new(dup.id);
    gr_id_new(dup.channel_id);
    assert_int_equal(gr_store_post_insert(f->st, &dup), GR_EINVAL);

    assert_int_equal(gr_store_post_get(f->st, "nosuchpostnosuchpostnosuch", &got), GR_ENOTFOUND);
    assert_null(got.message);
    assert_null(got.props);
    gr_post_cleanup(&got);

    /* Deleted posts: still there for get. */
    post_init(&p, w.c.id, w.u.id, 6000, "gone");
    p.delete_at = 6001;
    assert_int_equal(gr_store_post_insert(f->st, &p), GR_OK);
    assert_int_equal(gr_store_post_get(f->st, p.id, &got), GR_OK);
    assert_int_equal(got.delete_at, 6001);
    gr_post_cleanup(&got);
}

static void test_post_list_order(void **state)
{
    struct fx *f = *state;
    struct gr_post_list l = {0};
    struct gr_post p[6];
    struct gr_channel c2;
    struct world w;
    char msg[6][16];

    world(f->st, &w);
    channel(f->st, w.t.id, "other", 'O', &c2);
    assert_int_equal(gr_store_post_list(f->st, w.c.id, 0, &l), GR_OK);
    assert_int_equal(l.n, 0);
    gr_post_list_free(&l);

    /* p0 @100; p1, p2, p3 share @200 (a split message); p4 @150; p5 deleted @300. */
    static const int64_t at[6] = {100, 200, 200, 200, 150, 300};
    for (int i = 0; i < 6; i++) {
        snprintf(msg[i], sizeof msg[i], "m%d", i);
        post_init(&p[i], w.c.id, w.u.id, at[i], msg[i]);
        if (i == 5)
            p[i].delete_at = 301;
        assert_int_equal(gr_store_post_insert(f->st, &p[i]), GR_OK);
    }
    post_init(&p[0], c2.id, w.u.id, 999, "elsewhere");
    assert_int_equal(gr_store_post_insert(f->st, &p[0]), GR_OK);

    assert_int_equal(gr_store_post_list(f->st, w.c.id, 0, &l), GR_OK);
    assert_int_equal(l.n, 5);
    /* Newest first; equal create_at newest-inserted first, so reversed they read m1 m2 m3. */
    assert_string_equal(l.v[0].message, "m3");
    assert_string_equal(l.v[1].message, "m2");
    assert_string_equal(l.v[2].message, "m1");
    assert_string_equal(l.v[3].message, "m4");
    assert_string_equal(l.v[4].message, "m0");
    assert_string_equal(l.v[4].props, "{}");
    gr_post_list_free(&l);
    assert_null(l.v);

    assert_int_equal(gr_store_post_list(f->st, w.c.id, 2, &l), GR_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].message, "m3");
    assert_string_equal(l.v[1].message, "m2");
    gr_post_list_free(&l);

    assert_int_equal(gr_store_post_list(f->st, w.c.id, 100, &l), GR_OK);
    assert_int_equal(l.n, 5);
    gr_post_list_free(&l);

    assert_int_equal(gr_store_post_list(f->st, "nosuchchannelnosuchchannel", 0, &l), GR_OK);
    assert_int_equal(l.n, 0);
    gr_post_list_free(&l);
    gr_post_list_free(NULL);
}

static void test_tx_rollback(void **state)
{
    struct fx *f = *state;
    struct gr_channel ch;
    struct gr_post p, got;
    struct gr_team t;
    struct world w;
    bool empty = false;

    assert_int_equal(gr_store_begin(f->st), GR_OK);
    world(f->st, &w);
    post_init(&p, w.c.id, w.u.id, 10, "x");
    assert_int_equal(gr_store_post_insert(f->st, &p), GR_OK);
    assert_int_equal(gr_store_post_get(f->st, p.id, &got), GR_OK); /* visible inside */
    gr_post_cleanup(&got);
    gr_store_rollback(f->st);

    assert_int_equal(gr_store_is_empty(f->st, &empty), GR_OK);
    assert_true(empty);
    assert_int_equal(gr_store_team_get(f->st, w.t.id, &t), GR_ENOTFOUND);
    assert_int_equal(gr_store_channel_get(f->st, w.c.id, &ch), GR_ENOTFOUND);
    assert_int_equal(gr_store_post_get(f->st, p.id, &got), GR_ENOTFOUND);
    gr_post_cleanup(&got);
}

static void test_tx_commit(void **state)
{
    struct fx *f = *state;
    struct gr_post p[2], got;
    struct gr_channel ch;
    struct world w;
    bool empty = true;

    assert_int_equal(gr_store_begin(f->st), GR_OK);
    world(f->st, &w);
    post_init(&p[0], w.c.id, w.u.id, 10, "a");
    post_init(&p[1], w.c.id, w.u.id, 20, "b");
    assert_int_equal(gr_store_post_insert(f->st, &p[0]), GR_OK);
    /* A failing insert inside the transaction undoes only itself (savepoint). */
    assert_int_equal(gr_store_post_insert(f->st, &p[0]), GR_EEXIST);
    assert_int_equal(gr_store_post_insert(f->st, &p[1]), GR_OK);
    assert_int_equal(gr_store_commit(f->st), GR_OK);

    assert_int_equal(gr_store_is_empty(f->st, &empty), GR_OK);
    assert_false(empty);
    assert_int_equal(gr_store_post_get(f->st, p[1].id, &got), GR_OK);
    gr_post_cleanup(&got);
    assert_int_equal(gr_store_channel_get(f->st, w.c.id, &ch), GR_OK);
    assert_int_equal(ch.total_msg_count, 2);
    assert_int_equal(ch.last_post_at, 20);
}

static void test_tx_misuse(void **state)
{
    struct fx *f = *state;
    struct gr_team t;

    gr_store_rollback(f->st); /* no transaction: a no-op */
    assert_int_equal(gr_store_commit(f->st), GR_EINVAL);
    assert_int_equal(gr_store_begin(f->st), GR_OK);
    assert_int_equal(gr_store_begin(f->st), GR_EINVAL);
    team(f->st, "acme", &t);
    assert_int_equal(gr_store_commit(f->st), GR_OK);
    gr_store_rollback(f->st);
    assert_int_equal(gr_store_team_get(f->st, t.id, &t), GR_OK);
    /* The store is still usable for a new transaction. */
    assert_int_equal(gr_store_begin(f->st), GR_OK);
    gr_store_rollback(f->st);
    gr_store_rollback(f->st);
}

/* Fixed-size input fields without a NUL are read only to their size, never past. */
static void test_unterminated_fields(void **state)
{
    struct fx *f = *state;
    struct gr_team t, got;

    memset(&t, 0, sizeof t);
    gr_id_new(t.id);
    memset(t.name, 'n', sizeof t.name);                 /* no NUL */
    memset(t.display_name, 'd', sizeof t.display_name); /* no NUL */
    t.type = 'O';
    assert_int_equal(gr_store_team_insert(f->st, &t), GR_OK);
    assert_int_equal(gr_store_team_get(f->st, t.id, &got), GR_OK);
    assert_int_equal(strlen(got.name), GR_NAME_SIZE - 1);
    assert_int_equal(strlen(got.display_name), GR_DISPLAY_SIZE - 1);
    assert_int_equal(got.name[0], 'n');
}

static void test_null_args(void **state)
{
    struct fx *f = *state;
    struct gr_hook_list hl = {0};
    struct gr_post_list pl = {0};
    struct gr_channel_list cl = {0};
    struct gr_team t;
    struct gr_post p;
    bool b;

    memset(&t, 0, sizeof t);
    assert_int_equal(gr_store_team_insert(NULL, &t), GR_EINVAL);
    assert_int_equal(gr_store_team_insert(f->st, NULL), GR_EINVAL);
    assert_int_equal(gr_store_team_get(f->st, NULL, &t), GR_EINVAL);
    assert_int_equal(gr_store_is_empty(f->st, NULL), GR_EINVAL);
    assert_int_equal(gr_store_channel_member_is(f->st, "a", NULL, &b), GR_EINVAL);
    assert_int_equal(gr_store_channel_list(f->st, NULL, &cl), GR_EINVAL);
    assert_int_equal(gr_store_post_list(NULL, "x", 0, &pl), GR_EINVAL);
    assert_int_equal(gr_store_post_get(f->st, NULL, &p), GR_EINVAL);
    assert_int_equal(gr_store_hook_list(NULL, NULL, 0, 0, &hl), GR_EINVAL);
    assert_int_equal(gr_store_begin(NULL), GR_EINVAL);
    gr_store_rollback(NULL);
    gr_store_close(NULL);
    gr_channel_list_free(&cl);
    gr_post_list_free(&pl);
    gr_hook_list_free(&hl);
    gr_post_cleanup(&p);
}

/* ---- File-only tests ------------------------------------------------------------------------- */

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);

    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
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

static void test_open_missing(void **state)
{
    struct fx *f = *state;
    struct gr_store *st = (struct gr_store *)(uintptr_t)1;
    char err[256] = "";

    assert_int_equal(gr_store_open(f->path, 0, &st, err, sizeof err), GR_ENOTFOUND);
    assert_null(st);
    assert_non_null(strstr(err, "no such store (run `griot serve` first)"));
    assert_non_null(strstr(err, f->path));
    assert_int_equal(access(f->path, F_OK), -1); /* not created */
    /* Same through the URL forms, and with a NULL errbuf. */
    assert_int_equal(gr_store_open(f->path, 0, &st, NULL, 0), GR_ENOTFOUND);
}

static void test_create_dirs_and_modes(void **state)
{
    struct fx *f = *state;
    char path[700], dir[600];
    struct stat sb;
    char err[256];

    snprintf(dir, sizeof dir, "%s/a/b", f->dir);
    snprintf(path, sizeof path, "sqlite:%s/griot.db", dir);
    assert_int_equal(gr_store_open(path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
    assert_int_equal(stat(dir, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    assert_int_equal(sb.st_mode & 0777, 0700);
    snprintf(path, sizeof path, "%s/griot.db", dir);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600); /* it holds hook ids */

    /* A directory where the file should be. */
    gr_store_close(f->st);
    f->st = NULL;
    assert_int_equal(gr_store_open(dir, GR_STORE_CREATE, &f->st, err, sizeof err), GR_EINVAL);
    assert_non_null(strstr(err, "directory"));
}

static void test_migrate_and_reopen(void **state)
{
    struct fx *f = *state;
    struct gr_store *ro = NULL;
    char url[600], err[256];
    struct gr_team t, got;

    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
    assert_true(raw_int(f->path, "PRAGMA user_version") >= 1);
    assert_int_equal(raw_int(f->path, "PRAGMA application_id"), 0x6772696f);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                      "AND name IN ('teams', 'channels', 'users', "
                                      "'team_members', 'channel_members', 'tokens', "
                                      "'incoming_hooks', 'posts')"),
                     8);
    team(f->st, "acme", &t);
    gr_store_close(f->st);
    f->st = NULL;

    /* Reopen with CREATE: migrations are not re-run, data is kept. */
    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
    assert_int_equal(gr_store_team_get(f->st, t.id, &got), GR_OK);
    /* And without CREATE, through both URL forms. */
    snprintf(url, sizeof url, "sqlite://%s", f->path);
    assert_int_equal(gr_store_open(url, 0, &ro, err, sizeof err), GR_OK);
    assert_int_equal(gr_store_team_get_by_name(ro, "acme", &got), GR_OK);
    gr_store_close(ro);
    snprintf(url, sizeof url, "sqlite:%s", f->path);
    assert_int_equal(gr_store_open(url, 0, &ro, err, sizeof err), GR_OK);
    gr_store_close(ro);

    /* Durability settings are on the connection, WAL on the file. */
    sqlite3 *db = raw_open(f->path);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static void test_migration_is_atomic(void **state)
{
    struct fx *f = *state;
    char err[256];

    /* A file that already has a `posts` table: migration 1 fails half-way and must leave
     * nothing behind. */
    raw_exec(f->path, "CREATE TABLE posts (x);");
    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_ESTORE);
    assert_null(f->st);
    assert_non_null(strstr(err, "migration 1 failed"));
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 0);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE name = 'teams'"),
                     0);
}

static void test_not_initialised(void **state)
{
    struct fx *f = *state;
    char err[256];

    raw_exec(f->path, "CREATE TABLE unrelated (x); DROP TABLE unrelated;");
    assert_int_equal(gr_store_open(f->path, 0, &f->st, err, sizeof err), GR_ENOTFOUND);
    assert_null(f->st);
    assert_non_null(strstr(err, "store not initialised (run griot serve)"));
    /* serve (CREATE) initialises it. */
    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
}

static void test_newer_schema(void **state)
{
    struct fx *f = *state;
    char err[256], want[64];
    int cur;

    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
    gr_store_close(f->st);
    f->st = NULL;
    cur = (int)raw_int(f->path, "PRAGMA user_version");
    raw_exec(f->path, "PRAGMA user_version = 99;");
    snprintf(want, sizeof want, "store schema 99 is newer than this griot (%d)", cur);

    assert_int_equal(gr_store_open(f->path, 0, &f->st, err, sizeof err), GR_EINVAL);
    assert_non_null(strstr(err, want));
    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_EINVAL);
    assert_non_null(strstr(err, want));
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 99);
}

static void test_foreign_files(void **state)
{
    struct fx *f = *state;
    char err[256];
    FILE *fp;

    /* Another application's SQLite database. */
    raw_exec(f->path, "PRAGMA application_id = 12345; PRAGMA user_version = 1;");
    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_EINVAL);
    assert_non_null(strstr(err, "not a griot store"));
    assert_int_equal(gr_store_open(f->path, 0, &f->st, err, sizeof err), GR_EINVAL);

    /* Not a database at all. */
    fp = fopen(f->path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++)
        fputs("this is not an SQLite file, ", fp);
    fclose(fp);
    assert_int_equal(gr_store_open(f->path, 0, &f->st, err, sizeof err), GR_ESTORE);
    assert_null(f->st);
    assert_non_null(strstr(err, f->path));
}

static void test_urls(void **state)
{
    struct fx *f = *state;
    struct gr_store *st = NULL;
    char err[256];

    assert_int_equal(gr_store_open("postgres://u@h/db", GR_STORE_CREATE, &st, err, sizeof err),
                     GR_EINVAL);
    assert_string_equal(err, "PostgreSQL back end not built yet");
    assert_null(st);
    assert_int_equal(gr_store_open("postgresql://u@h/db", 0, &st, err, sizeof err), GR_EINVAL);
    assert_string_equal(err, "PostgreSQL back end not built yet");
    assert_int_equal(gr_store_open("mysql://u@h/db", 0, &st, err, sizeof err), GR_EINVAL);
    assert_int_equal(gr_store_open("", 0, &st, err, sizeof err), GR_EINVAL);
    assert_int_equal(gr_store_open(NULL, 0, &st, err, sizeof err), GR_EINVAL);
    assert_int_equal(gr_store_open("sqlite:", 0, &st, err, sizeof err), GR_EINVAL);
    assert_int_equal(gr_store_open("sqlite:x", 0, NULL, err, sizeof err), GR_EINVAL);
    /* An in-memory store without CREATE is never initialised. */
    assert_int_equal(gr_store_open(":memory:", 0, &st, err, sizeof err), GR_ENOTFOUND);
    assert_int_equal(gr_store_open("sqlite://:memory:", GR_STORE_CREATE, &st, err, sizeof err),
                     GR_OK);
    gr_store_close(st);
    (void)f;
}

/* Oversized stored values (another back end or a newer griot wrote them) come back cut at a
 * character boundary, NUL-terminated. */
static void test_truncation_on_read(void **state)
{
    struct fx *f = *state;
    struct gr_team t, got;
    char sql[1024];
    char err[256];

    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
    team(f->st, "acme", &t);
    /* 63 ASCII bytes then two-byte characters: byte 64 would split one. */
    snprintf(sql, sizeof sql,
             "UPDATE teams SET name = replace(hex(zeroblob(31)), '0', 'x') || 'x' || "
             "'\xc3\xa9\xc3\xa9', display_name = replace(hex(zeroblob(200)), '0', 'y') "
             "WHERE id = '%s';",
             t.id);
    raw_exec(f->path, sql);
    assert_int_equal(gr_store_team_get(f->st, t.id, &got), GR_OK);
    assert_int_equal(strlen(got.name), 63);
    assert_int_equal(strlen(got.display_name), GR_DISPLAY_SIZE - 1);
}

/* The directory generation moves on every change a webhook cache depends on, and not on the
 * per-post bump of the channel's counters. */
static void test_dir_gen(void **state)
{
    struct fx *f = *state;
    struct gr_channel other;
    struct gr_hook h;
    struct gr_post p;
    struct world w;
    int64_t g0, g1;

#define MOVED()                                                                                    \
    do {                                                                                           \
        assert_int_equal(gr_store_dir_gen(f->st, &g1), GR_OK);                                     \
        assert_true(g1 > g0);                                                                      \
        g0 = g1;                                                                                   \
    } while (0)

    assert_int_equal(gr_store_dir_gen(f->st, &g0), GR_OK);
    assert_true(g0 > 0);
    world(f->st, &w); /* a team, a user, a channel */
    MOVED();
    hook_init(&h, &w.u, &w.c, 100);
    assert_int_equal(gr_store_hook_insert(f->st, &h), GR_OK);
    MOVED();
    snprintf(h.display_name, sizeof h.display_name, "renamed");
    assert_int_equal(gr_store_hook_update(f->st, &h), GR_OK);
    MOVED();
    snprintf(w.u.nickname, sizeof w.u.nickname, "al");
    assert_int_equal(gr_store_user_update(f->st, &w.u), GR_OK);
    MOVED();
    channel(f->st, w.t.id, "private", 'P', &other);
    MOVED();
    assert_int_equal(gr_store_channel_member_add(f->st, other.id, w.u.id), GR_OK);
    MOVED();
    assert_int_equal(gr_store_channel_member_remove(f->st, other.id, w.u.id), GR_OK);
    MOVED();

    /* Posts (and their channel counter bump) leave it alone, in and outside a transaction. */
    post_init(&p, w.c.id, w.u.id, 2000, "hello");
    assert_int_equal(gr_store_post_insert(f->st, &p), GR_OK);
    assert_int_equal(gr_store_begin(f->st), GR_OK);
    post_init(&p, w.c.id, w.u.id, 2001, "again");
    assert_int_equal(gr_store_post_insert(f->st, &p), GR_OK);
    assert_int_equal(gr_store_commit(f->st), GR_OK);
    assert_int_equal(gr_store_dir_gen(f->st, &g1), GR_OK);
    assert_true(g1 == g0);

    /* A rolled-back change does not count; a deleted hook does. */
    assert_int_equal(gr_store_begin(f->st), GR_OK);
    assert_int_equal(gr_store_hook_delete(f->st, h.id, 3000), GR_OK);
    gr_store_rollback(f->st);
    assert_int_equal(gr_store_dir_gen(f->st, &g1), GR_OK);
    assert_true(g1 == g0);
    assert_int_equal(gr_store_hook_delete(f->st, h.id, 3000), GR_OK);
    MOVED();
#undef MOVED
}

static void test_two_connections(void **state)
{
    struct fx *f = *state;
    struct gr_store *rd = NULL;
    struct gr_team t, t2, got;
    char err[256];
    bool empty = false;

    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
    assert_int_equal(gr_store_open(f->path, 0, &rd, err, sizeof err), GR_OK);

    /* The writer holds an open write transaction; the reader is not blocked (WAL) and does not
     * see uncommitted rows. */
    assert_int_equal(gr_store_begin(f->st), GR_OK);
    team(f->st, "acme", &t);
    assert_int_equal(gr_store_team_get(rd, t.id, &got), GR_ENOTFOUND);
    assert_int_equal(gr_store_is_empty(rd, &empty), GR_OK);
    assert_true(empty);
    assert_int_equal(gr_store_commit(f->st), GR_OK);
    assert_int_equal(gr_store_team_get(rd, t.id, &got), GR_OK);
    assert_string_equal(got.name, "acme");

    /* The other way round: the second connection writes, the first sees it. */
    assert_int_equal(gr_store_begin(rd), GR_OK);
    team(rd, "beta", &t2);
    assert_int_equal(gr_store_team_get_by_name(f->st, "beta", &got), GR_ENOTFOUND);
    assert_int_equal(gr_store_commit(rd), GR_OK);
    assert_int_equal(gr_store_team_get_by_name(f->st, "beta", &got), GR_OK);
    assert_string_equal(got.id, t2.id);
    gr_store_close(rd);
}

/* ---- Lists ----------------------------------------------------------------------------------- */

#define CONTRACT_TESTS(setup)                                                                      \
    cmocka_unit_test_setup_teardown(test_backend_and_empty, setup, teardown),                      \
            cmocka_unit_test_setup_teardown(test_team, setup, teardown),                           \
            cmocka_unit_test_setup_teardown(test_channel, setup, teardown),                        \
            cmocka_unit_test_setup_teardown(test_channel_by_name, setup, teardown),                \
            cmocka_unit_test_setup_teardown(test_channel_list, setup, teardown),                   \
            cmocka_unit_test_setup_teardown(test_user, setup, teardown),                           \
            cmocka_unit_test_setup_teardown(test_members, setup, teardown),                        \
            cmocka_unit_test_setup_teardown(test_token, setup, teardown),                          \
            cmocka_unit_test_setup_teardown(test_hook_crud, setup, teardown),                      \
            cmocka_unit_test_setup_teardown(test_hook_list, setup, teardown),                      \
            cmocka_unit_test_setup_teardown(test_post, setup, teardown),                           \
            cmocka_unit_test_setup_teardown(test_post_list_order, setup, teardown),                \
            cmocka_unit_test_setup_teardown(test_tx_rollback, setup, teardown),                    \
            cmocka_unit_test_setup_teardown(test_tx_commit, setup, teardown),                      \
            cmocka_unit_test_setup_teardown(test_tx_misuse, setup, teardown),                      \
            cmocka_unit_test_setup_teardown(test_unterminated_fields, setup, teardown),            \
            cmocka_unit_test_setup_teardown(test_null_args, setup, teardown),                      \
            cmocka_unit_test_setup_teardown(test_dir_gen, setup, teardown)

int main(void)
{
    static const struct CMUnitTest mem[] = {CONTRACT_TESTS(setup_mem)};
    static const struct CMUnitTest file[] = {CONTRACT_TESTS(setup_file)};
    static const struct CMUnitTest file_only[] = {
            cmocka_unit_test_setup_teardown(test_open_missing, setup_dir, teardown),
            cmocka_unit_test_setup_teardown(test_create_dirs_and_modes, setup_dir, teardown),
            cmocka_unit_test_setup_teardown(test_migrate_and_reopen, setup_dir, teardown),
            cmocka_unit_test_setup_teardown(test_migration_is_atomic, setup_dir, teardown),
            cmocka_unit_test_setup_teardown(test_not_initialised, setup_dir, teardown),
            cmocka_unit_test_setup_teardown(test_newer_schema, setup_dir, teardown),
            cmocka_unit_test_setup_teardown(test_foreign_files, setup_dir, teardown),
            cmocka_unit_test_setup_teardown(test_urls, setup_dir, teardown),
            cmocka_unit_test_setup_teardown(test_truncation_on_read, setup_dir, teardown),
            cmocka_unit_test_setup_teardown(test_two_connections, setup_dir, teardown),
    };
    int fails = 0;

    gr_log_set_level(GR_LOG_WARN); /* "created" lines would drown cmocka's output */
    fails += cmocka_run_group_tests_name("store contract: sqlite :memory:", mem, NULL, NULL);
    fails += cmocka_run_group_tests_name("store contract: sqlite file", file, NULL, NULL);
    fails += cmocka_run_group_tests_name("store sqlite file", file_only, NULL, NULL);
    return fails == 0 ? 0 : 1;
}
