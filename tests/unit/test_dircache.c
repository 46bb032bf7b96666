/* SPDX-License-Identifier: MIT */
/*
 * test_dircache.c - the webhook path's directory cache (app/dircache.h) on a real store file
 * with two connections: the server's read connection (through the cache) and a second one
 * standing for the CLI, which changes rows behind the server's back. What a request sees must
 * always match a direct read made at the start of that request.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/dircache.h"
#include "core/id.h"

struct fx {
    char dir[256];
    char path[512];
    struct gr_store *rd;  /* the server's read connection */
    struct gr_store *cli; /* another process's connection */
    struct gr_dircache *c;
    struct gr_team t;
    struct gr_user u;
    struct gr_channel ch;
    struct gr_hook h;
};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR");
    char err[256];

    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "%s/griot-dircache-XXXXXX", tmp != NULL ? tmp : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/griot.db", f->dir);
    assert_int_equal(gr_store_open(f->path, GR_STORE_CREATE, &f->cli, err, sizeof err), GR_OK);
    assert_int_equal(gr_store_open(f->path, 0, &f->rd, err, sizeof err), GR_OK);
    f->c = gr_dircache_new();

    gr_id_new(f->t.id);
    snprintf(f->t.name, sizeof f->t.name, "acme");
    f->t.type = 'O';
    assert_int_equal(gr_store_team_insert(f->cli, &f->t), GR_OK);
    gr_id_new(f->u.id);
    snprintf(f->u.username, sizeof f->u.username, "alice");
    snprintf(f->u.roles, sizeof f->u.roles, "system_user");
    assert_int_equal(gr_store_user_insert(f->cli, &f->u), GR_OK);
    gr_id_new(f->ch.id);
    memcpy(f->ch.team_id, f->t.id, GR_ID_SIZE);
    snprintf(f->ch.name, sizeof f->ch.name, "town-square");
    f->ch.type = 'O';
    assert_int_equal(gr_store_channel_insert(f->cli, &f->ch), GR_OK);
    gr_id_new(f->h.id);
    memcpy(f->h.user_id, f->u.id, GR_ID_SIZE);
    memcpy(f->h.channel_id, f->ch.id, GR_ID_SIZE);
    memcpy(f->h.team_id, f->t.id, GR_ID_SIZE);
    snprintf(f->h.display_name, sizeof f->h.display_name, "ci");
    snprintf(f->h.source_config, sizeof f->h.source_config, "{\"lang\":\"de\"}");
    f->h.rate = f->h.burst = f->h.over_limit = -1;
    assert_int_equal(gr_store_hook_insert(f->cli, &f->h), GR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    gr_dircache_free(f->c);
    gr_store_close(f->rd);
    gr_store_close(f->cli);
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static void stats(struct fx *f, uint64_t want_hits, uint64_t want_misses)
{
    uint64_t hits, misses;

    gr_dircache_stats(f->c, &hits, &misses);
    assert_int_equal(hits, want_hits);
    assert_int_equal(misses, want_misses);
}

/* Hits give exactly what the store gives, the config string included. */
static void test_hit_is_a_copy_of_the_row(void **state)
{
    struct fx *f = *state;
    struct gr_hook *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    struct gr_user u;
    struct gr_channel ch;
    struct gr_dirview v;

    assert_non_null(a);
    assert_non_null(b);
    gr_dircache_view(f->c, f->rd, &v);
    assert_int_equal(gr_dirview_hook_get(&v, f->h.id, a), GR_OK);
    stats(f, 0, 1);
    gr_dircache_view(f->c, f->rd, &v);
    memset(b, 0x5a, sizeof *b);
    assert_int_equal(gr_dirview_hook_get(&v, f->h.id, b), GR_OK);
    stats(f, 1, 1);
    assert_string_equal(b->display_name, "ci");
    assert_string_equal(b->source_config, "{\"lang\":\"de\"}");
    assert_string_equal(b->user_id, f->u.id);
    assert_memory_equal(a, b, offsetof(struct gr_hook, source_config));

    assert_int_equal(gr_dirview_channel_get(&v, f->ch.id, &ch), GR_OK);
    assert_int_equal(gr_dirview_channel_get(&v, f->ch.id, &ch), GR_OK);
    assert_string_equal(ch.name, "town-square");
    assert_int_equal(gr_dirview_user_get(&v, f->u.id, &u), GR_OK);
    assert_int_equal(gr_dirview_user_get(&v, f->u.id, &u), GR_OK);
    assert_string_equal(u.username, "alice");
    stats(f, 3, 3);

    /* Misses are not cached. */
    assert_int_equal(gr_dirview_hook_get(&v, "nosuchhookxxxxxxxxxxxxxxxx", a), GR_ENOTFOUND);
    assert_int_equal(gr_dirview_hook_get(&v, "nosuchhookxxxxxxxxxxxxxxxx", a), GR_ENOTFOUND);
    stats(f, 3, 5);
    free(a);
    free(b);
}

/* Another process deletes the hook, renames its creator, archives nothing but adds a member:
 * the next request sees each change at once. */
static void test_changes_by_another_connection(void **state)
{
    struct fx *f = *state;
    struct gr_hook *h = malloc(sizeof *h);
    struct gr_user u;
    struct gr_dirview v;

    assert_non_null(h);
    gr_dircache_view(f->c, f->rd, &v);
    assert_int_equal(gr_dirview_hook_get(&v, f->h.id, h), GR_OK);
    assert_int_equal(gr_dirview_user_get(&v, f->u.id, &u), GR_OK);

    /* A change to the hook. */
    snprintf(f->h.display_name, sizeof f->h.display_name, "changed");
    assert_int_equal(gr_store_hook_update(f->cli, &f->h), GR_OK);
    gr_dircache_view(f->c, f->rd, &v);
    assert_int_equal(gr_dirview_hook_get(&v, f->h.id, h), GR_OK);
    assert_string_equal(h->display_name, "changed");

    /* A change to the user. */
    f->u.delete_at = 5000;
    assert_int_equal(gr_store_user_update(f->cli, &f->u), GR_OK);
    gr_dircache_view(f->c, f->rd, &v);
    assert_int_equal(gr_dirview_user_get(&v, f->u.id, &u), GR_OK);
    assert_true(u.delete_at == 5000);

    /* Deleted: not found on the very next request. */
    assert_int_equal(gr_store_hook_delete(f->cli, f->h.id, 6000), GR_OK);
    gr_dircache_view(f->c, f->rd, &v);
    assert_int_equal(gr_dirview_hook_get(&v, f->h.id, h), GR_ENOTFOUND);
    free(h);
}

/* Posts do not empty the cache (the whole point under load). */
static void test_posts_keep_the_cache(void **state)
{
    struct fx *f = *state;
    struct gr_hook *h = malloc(sizeof *h);
    struct gr_post p;
    struct gr_dirview v;

    assert_non_null(h);
    gr_dircache_view(f->c, f->rd, &v);
    assert_int_equal(gr_dirview_hook_get(&v, f->h.id, h), GR_OK);
    memset(&p, 0, sizeof p);
    gr_id_new(p.id);
    memcpy(p.channel_id, f->ch.id, GR_ID_SIZE);
    memcpy(p.user_id, f->u.id, GR_ID_SIZE);
    p.message = (char *)(uintptr_t) "hi";
    p.create_at = 1;
    assert_int_equal(gr_store_post_insert(f->cli, &p), GR_OK);
    gr_dircache_view(f->c, f->rd, &v);
    assert_int_equal(gr_dirview_hook_get(&v, f->h.id, h), GR_OK);
    stats(f, 1, 1);
    free(h);
}

/* A request that started before a change (older generation) may not fill the cache with what
 * it read, and a later request never sees a row read before the change. */
static void test_stale_filler_does_not_insert(void **state)
{
    struct fx *f = *state;
    struct gr_hook *h = malloc(sizeof *h);
    struct gr_dirview old, cur;

    assert_non_null(h);
    gr_dircache_view(f->c, f->rd, &old); /* request A starts */
    snprintf(f->h.display_name, sizeof f->h.display_name, "v2");
    assert_int_equal(gr_store_hook_update(f->cli, &f->h), GR_OK);
    gr_dircache_view(f->c, f->rd, &cur); /* request B starts after the change */
    assert_true(cur.gen > old.gen);
    /* A reads now (it may see v2 or, in a real race, v1) and must not insert. */
    assert_int_equal(gr_dirview_hook_get(&old, f->h.id, h), GR_OK);
    assert_int_equal(gr_dirview_hook_get(&cur, f->h.id, h), GR_OK);
    assert_string_equal(h->display_name, "v2");
    stats(f, 0, 2); /* B missed: A's row was not kept */
    assert_int_equal(gr_dirview_hook_get(&cur, f->h.id, h), GR_OK);
    stats(f, 1, 2);
    free(h);
}

/* Without a cache (or a generation) the view reads straight through. */
static void test_no_cache(void **state)
{
    struct fx *f = *state;
    struct gr_hook *h = malloc(sizeof *h);
    struct gr_dirview v;

    assert_non_null(h);
    gr_dircache_view(NULL, f->rd, &v);
    assert_int_equal(gr_dirview_hook_get(&v, f->h.id, h), GR_OK);
    assert_string_equal(h->display_name, "ci");
    stats(f, 0, 0);
    free(h);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_hit_is_a_copy_of_the_row, setup, teardown),
            cmocka_unit_test_setup_teardown(test_changes_by_another_connection, setup, teardown),
            cmocka_unit_test_setup_teardown(test_posts_keep_the_cache, setup, teardown),
            cmocka_unit_test_setup_teardown(test_stale_filler_does_not_insert, setup, teardown),
            cmocka_unit_test_setup_teardown(test_no_cache, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
