/* SPDX-License-Identifier: MIT */
/*
 * test_store_posts.c - the store's REST-surface functions on SQLite :memory: post edits and
 * soft deletes (with replies), threads, channel pages with before/after/since cursors and their
 * neighbours, pending_post_id look-ups, reactions, memberships and a user's channels, and the
 * post meta clients see (thread reply counts, reactions) read in one batch.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

struct fx {
    struct gr_store *st;
    struct gr_team team, other_team;
    struct gr_user alice, bob;
    struct gr_channel pub, priv, dm;
};

static void mk_user(struct gr_store *st, struct gr_user *u, const char *name)
{
    memset(u, 0, sizeof *u);
    gr_id_new(u->id);
    snprintf(u->username, sizeof u->username, "%s", name);
    snprintf(u->roles, sizeof u->roles, "system_user");
    assert_int_equal(gr_store_user_insert(st, u), GR_OK);
}

static void mk_channel(struct gr_store *st, struct gr_channel *c, const char *team_id,
                       const char *name, char type)
{
    memset(c, 0, sizeof *c);
    gr_id_new(c->id);
    snprintf(c->team_id, sizeof c->team_id, "%s", team_id);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->type = type;
    assert_int_equal(gr_store_channel_insert(st, c), GR_OK);
}

static void mk_team(struct gr_store *st, struct gr_team *t, const char *name)
{
    memset(t, 0, sizeof *t);
    gr_id_new(t->id);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->type = 'O';
    assert_int_equal(gr_store_team_insert(st, t), GR_OK);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char err[256];

    assert_int_equal(gr_store_open(":memory:", GR_STORE_CREATE, &f->st, err, sizeof err), GR_OK);
    mk_team(f->st, &f->team, "main");
    mk_team(f->st, &f->other_team, "zeta");
    mk_user(f->st, &f->alice, "alice");
    mk_user(f->st, &f->bob, "bob");
    mk_channel(f->st, &f->pub, f->team.id, "town-square", 'O');
    mk_channel(f->st, &f->priv, f->team.id, "secret", 'P');
    mk_channel(f->st, &f->dm, "", "aaaa__bbbb", 'D');
    assert_int_equal(gr_store_team_member_add(f->st, f->team.id, f->alice.id), GR_OK);
    assert_int_equal(gr_store_team_member_add(f->st, f->other_team.id, f->alice.id), GR_OK);
    assert_int_equal(gr_store_channel_member_add(f->st, f->pub.id, f->alice.id), GR_OK);
    assert_int_equal(gr_store_channel_member_add(f->st, f->priv.id, f->bob.id), GR_OK);
    assert_int_equal(gr_store_channel_member_add(f->st, f->dm.id, f->alice.id), GR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    gr_store_close(f->st);
    free(f);
    return 0;
}

/* Inserts a post at create_at `at` (replying to root when non-NULL) and returns its id. */
static void put_post(struct fx *f, const char *channel_id, int64_t at, const char *root,
                     const char *msg, char id_out[GR_ID_SIZE])
{
    struct gr_post p;

    memset(&p, 0, sizeof p);
    gr_id_new(p.id);
    snprintf(p.user_id, sizeof p.user_id, "%s", f->alice.id);
    snprintf(p.channel_id, sizeof p.channel_id, "%s", channel_id);
    snprintf(p.root_id, sizeof p.root_id, "%s", root ? root : "");
    p.message = strdup(msg);
    p.create_at = p.update_at = at;
    assert_int_equal(gr_store_post_insert(f->st, &p), GR_OK);
    memcpy(id_out, p.id, GR_ID_SIZE);
    gr_post_cleanup(&p);
}

static void test_update_and_pending(void **state)
{
    struct fx *f = *state;
    struct gr_post p, q;

    memset(&p, 0, sizeof p);
    gr_id_new(p.id);
    memcpy(p.user_id, f->alice.id, GR_ID_SIZE);
    memcpy(p.channel_id, f->pub.id, GR_ID_SIZE);
    p.message = strdup("first");
    p.create_at = p.update_at = 1000;
    snprintf(p.pending_post_id, sizeof p.pending_post_id, "%s:1000", f->alice.id);
    assert_int_equal(gr_store_post_insert(f->st, &p), GR_OK);

    assert_int_equal(gr_store_post_get(f->st, p.id, &q), GR_OK);
    assert_string_equal(q.pending_post_id, p.pending_post_id);
    assert_false(q.is_pinned);
    gr_post_cleanup(&q);

    free(p.message);
    p.message = strdup("edited");
    p.props = strdup("{\"a\":\"b\"}");
    p.is_pinned = true;
    p.edit_at = p.update_at = 2000;
    assert_int_equal(gr_store_post_update(f->st, &p), GR_OK);
    assert_int_equal(gr_store_post_get(f->st, p.id, &q), GR_OK);
    assert_string_equal(q.message, "edited");
    assert_string_equal(q.props, "{\"a\":\"b\"}");
    assert_true(q.is_pinned);
    assert_int_equal(q.edit_at, 2000);
    gr_post_cleanup(&q);

    /* pending look-up: by author and id, within the window only */
    assert_int_equal(gr_store_post_get_pending(f->st, f->alice.id, p.pending_post_id, 900, &q),
                     GR_OK);
    assert_string_equal(q.id, p.id);
    gr_post_cleanup(&q);
    assert_int_equal(gr_store_post_get_pending(f->st, f->alice.id, p.pending_post_id, 1001, &q),
                     GR_ENOTFOUND);
    assert_int_equal(gr_store_post_get_pending(f->st, f->bob.id, p.pending_post_id, 0, &q),
                     GR_ENOTFOUND);
    assert_int_equal(gr_store_post_get_pending(f->st, f->alice.id, "", 0, &q), GR_ENOTFOUND);

    gr_id_new(q.id);
    q.message = NULL;
    q.props = NULL;
    assert_int_equal(gr_store_post_update(f->st, &q), GR_ENOTFOUND);
    gr_post_cleanup(&p);
}

static void test_delete_thread(void **state)
{
    struct fx *f = *state;
    char root[GR_ID_SIZE], r1[GR_ID_SIZE], r2[GR_ID_SIZE], other[GR_ID_SIZE];
    struct gr_post_list l;
    struct gr_post p;

    put_post(f, f->pub.id, 100, NULL, "root", root);
    put_post(f, f->pub.id, 200, root, "reply 1", r1);
    put_post(f, f->pub.id, 300, root, "reply 2", r2);
    put_post(f, f->pub.id, 400, NULL, "other", other);

    assert_int_equal(gr_store_post_thread(f->st, root, &l), GR_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].id, r2); /* newest first */
    assert_string_equal(l.v[2].id, root);
    gr_post_list_free(&l);

    /* deleting a reply leaves the rest of the thread */
    assert_int_equal(gr_store_post_delete(f->st, r1, 500), GR_OK);
    assert_int_equal(gr_store_post_delete(f->st, r1, 600), GR_ENOTFOUND);
    assert_int_equal(gr_store_post_thread(f->st, root, &l), GR_OK);
    assert_int_equal(l.n, 2);
    gr_post_list_free(&l);

    /* deleting the root deletes its replies too */
    assert_int_equal(gr_store_post_delete(f->st, root, 700), GR_OK);
    assert_int_equal(gr_store_post_get(f->st, r2, &p), GR_OK);
    assert_int_equal(p.delete_at, 700);
    assert_int_equal(p.update_at, 700);
    gr_post_cleanup(&p);
    assert_int_equal(gr_store_post_get(f->st, r1, &p), GR_OK);
    assert_int_equal(p.delete_at, 500); /* deleted earlier: untouched */
    gr_post_cleanup(&p);
    assert_int_equal(gr_store_post_thread(f->st, root, &l), GR_OK);
    assert_int_equal(l.n, 0);
    gr_post_list_free(&l);
    assert_int_equal(gr_store_post_get(f->st, other, &p), GR_OK);
    assert_int_equal(p.delete_at, 0);
    gr_post_cleanup(&p);
    assert_int_equal(gr_store_post_delete(f->st, "nosuchpostnosuchpostnosuch", 1), GR_ENOTFOUND);
}

static void test_pages(void **state)
{
    struct fx *f = *state;
    char id[6][GR_ID_SIZE];
    struct gr_post_query q;
    struct gr_post_page pg;

    /* ids[0] oldest .. ids[5] newest; 2 and 3 share a create_at (insertion order decides) */
    put_post(f, f->pub.id, 10, NULL, "p0", id[0]);
    put_post(f, f->pub.id, 20, NULL, "p1", id[1]);
    put_post(f, f->pub.id, 30, NULL, "p2", id[2]);
    put_post(f, f->pub.id, 30, NULL, "p3", id[3]);
    put_post(f, f->pub.id, 50, NULL, "p4", id[4]);
    put_post(f, f->pub.id, 60, NULL, "p5", id[5]);

    memset(&q, 0, sizeof q);
    q.channel_id = f->pub.id;
    q.limit = 2;
    assert_int_equal(gr_store_post_page(f->st, &q, &pg), GR_OK);
    assert_int_equal(pg.list.n, 2);
    assert_string_equal(pg.list.v[0].id, id[5]);
    assert_string_equal(pg.list.v[1].id, id[4]);
    assert_string_equal(pg.next_post_id, "");
    assert_string_equal(pg.prev_post_id, id[3]);
    gr_post_page_free(&pg);

    q.offset = 2; /* page 1 */
    assert_int_equal(gr_store_post_page(f->st, &q, &pg), GR_OK);
    assert_int_equal(pg.list.n, 2);
    assert_string_equal(pg.list.v[0].id, id[3]);
    assert_string_equal(pg.list.v[1].id, id[2]);
    assert_string_equal(pg.next_post_id, id[4]);
    assert_string_equal(pg.prev_post_id, id[1]);
    gr_post_page_free(&pg);

    q.offset = 0;
    q.before = id[3];
    assert_int_equal(gr_store_post_page(f->st, &q, &pg), GR_OK);
    assert_int_equal(pg.list.n, 2);
    assert_string_equal(pg.list.v[0].id, id[2]);
    assert_string_equal(pg.list.v[1].id, id[1]);
    assert_string_equal(pg.prev_post_id, id[0]);
    gr_post_page_free(&pg);

    q.before = NULL;
    q.after = id[1];
    q.limit = 3;
    assert_int_equal(gr_store_post_page(f->st, &q, &pg), GR_OK);
    assert_int_equal(pg.list.n, 3);
    assert_string_equal(pg.list.v[0].id, id[4]); /* newest first, the 3 just after id[1] */
    assert_string_equal(pg.list.v[2].id, id[2]);
    assert_string_equal(pg.next_post_id, id[5]);
    assert_string_equal(pg.prev_post_id, id[1]);
    gr_post_page_free(&pg);

    /* an unknown cursor gives an empty page */
    q.after = "nosuchpostnosuchpostnosuch";
    assert_int_equal(gr_store_post_page(f->st, &q, &pg), GR_OK);
    assert_int_equal(pg.list.n, 0);
    gr_post_page_free(&pg);

    /* deleted posts: hidden from pages unless include_deleted; `since` shows them */
    assert_int_equal(gr_store_post_delete(f->st, id[4], 1000), GR_OK);
    memset(&q, 0, sizeof q);
    q.channel_id = f->pub.id;
    assert_int_equal(gr_store_post_page(f->st, &q, &pg), GR_OK);
    assert_int_equal(pg.list.n, 5);
    gr_post_page_free(&pg);
    q.include_deleted = true;
    assert_int_equal(gr_store_post_page(f->st, &q, &pg), GR_OK);
    assert_int_equal(pg.list.n, 6);
    gr_post_page_free(&pg);
    q.include_deleted = false;
    q.since = 55;
    assert_int_equal(gr_store_post_page(f->st, &q, &pg), GR_OK);
    assert_int_equal(pg.list.n, 2); /* p5 (created at 60) and p4 (deleted at 1000) */
    assert_string_equal(pg.list.v[0].id, id[5]);
    assert_string_equal(pg.list.v[1].id, id[4]);
    assert_int_equal(pg.list.v[1].delete_at, 1000);
    gr_post_page_free(&pg);
}

static void test_reactions(void **state)
{
    struct fx *f = *state;
    struct gr_reaction r;
    struct gr_reaction_list l;
    struct gr_post p;
    char post[GR_ID_SIZE];

    put_post(f, f->pub.id, 10, NULL, "react to me", post);
    memset(&r, 0, sizeof r);
    memcpy(r.user_id, f->alice.id, GR_ID_SIZE);
    memcpy(r.post_id, post, GR_ID_SIZE);
    memcpy(r.channel_id, f->pub.id, GR_ID_SIZE);
    snprintf(r.emoji_name, sizeof r.emoji_name, "+1");
    r.create_at = 100;
    assert_int_equal(gr_store_reaction_put(f->st, &r), GR_OK);
    r.create_at = 200;
    assert_int_equal(gr_store_reaction_put(f->st, &r), GR_OK); /* idempotent */
    memcpy(r.user_id, f->bob.id, GR_ID_SIZE);
    r.create_at = 300;
    assert_int_equal(gr_store_reaction_put(f->st, &r), GR_OK);

    assert_int_equal(gr_store_reaction_list(f->st, post, &l), GR_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].user_id, f->alice.id);
    assert_int_equal(l.v[0].create_at, 100);
    assert_string_equal(l.v[0].emoji_name, "+1");
    assert_string_equal(l.v[1].channel_id, f->pub.id);
    gr_reaction_list_free(&l);
    assert_int_equal(gr_store_post_get(f->st, post, &p), GR_OK);
    assert_int_equal(p.update_at, 300); /* `since` readers see reactions */
    gr_post_cleanup(&p);

    assert_int_equal(gr_store_reaction_delete(f->st, post, f->alice.id, "+1", 400), GR_OK);
    assert_int_equal(gr_store_reaction_delete(f->st, post, f->alice.id, "+1", 500), GR_ENOTFOUND);
    assert_int_equal(gr_store_reaction_list(f->st, post, &l), GR_OK);
    assert_int_equal(l.n, 1);
    gr_reaction_list_free(&l);
    assert_int_equal(gr_store_post_get(f->st, post, &p), GR_OK);
    assert_int_equal(p.update_at, 400);
    gr_post_cleanup(&p);
}

static void test_memberships(void **state)
{
    struct fx *f = *state;
    struct gr_channel_member_list ml;
    struct gr_channel_list cl;
    struct gr_team_list tl;
    bool is = true;

    assert_int_equal(gr_store_team_member_is(f->st, f->team.id, f->alice.id, &is), GR_OK);
    assert_true(is);
    assert_int_equal(gr_store_team_member_is(f->st, f->team.id, f->bob.id, &is), GR_OK);
    assert_false(is);

    assert_int_equal(gr_store_user_teams(f->st, f->alice.id, &tl), GR_OK);
    assert_int_equal(tl.n, 2);
    assert_string_equal(tl.v[0].name, "main");
    assert_string_equal(tl.v[1].name, "zeta");
    gr_team_list_free(&tl);

    /* alice's channels in main: town-square and her DM, not the private channel */
    assert_int_equal(gr_store_user_channels(f->st, f->alice.id, f->team.id, false, &cl), GR_OK);
    assert_int_equal(cl.n, 2);
    assert_string_equal(cl.v[0].name, "aaaa__bbbb");
    assert_string_equal(cl.v[1].name, "town-square");
    gr_channel_list_free(&cl);
    assert_int_equal(gr_store_user_channels(f->st, f->bob.id, f->team.id, false, &cl), GR_OK);
    assert_int_equal(cl.n, 1);
    assert_string_equal(cl.v[0].name, "secret");
    gr_channel_list_free(&cl);

    assert_int_equal(gr_store_channel_member_add(f->st, f->pub.id, f->bob.id), GR_OK);
    assert_int_equal(gr_store_channel_members(f->st, f->pub.id, 0, 0, &ml), GR_OK);
    assert_int_equal(ml.n, 2);
    assert_string_equal(ml.v[0].roles, "channel_user");
    gr_channel_member_list_free(&ml);
    assert_int_equal(gr_store_channel_members(f->st, f->pub.id, 1, 5, &ml), GR_OK);
    assert_int_equal(ml.n, 1);
    gr_channel_member_list_free(&ml);
    /* one membership: the same row as in the list; a non-member is GR_ENOTFOUND */
    {
        struct gr_channel_member m;
        assert_int_equal(gr_store_channel_member_get(f->st, f->pub.id, f->bob.id, &m), GR_OK);
        assert_string_equal(m.channel_id, f->pub.id);
        assert_string_equal(m.user_id, f->bob.id);
        assert_string_equal(m.roles, "channel_user");
        assert_int_equal(gr_store_channel_member_get(f->st, f->priv.id, f->alice.id, &m),
                         GR_ENOTFOUND);
        assert_int_equal(gr_store_channel_member_get(f->st, f->pub.id, NULL, &m), GR_EINVAL);
    }

    assert_int_equal(gr_store_channel_member_remove(f->st, f->pub.id, f->bob.id), GR_OK);
    assert_int_equal(gr_store_channel_member_remove(f->st, f->pub.id, f->bob.id), GR_ENOTFOUND);
    assert_int_equal(gr_store_channel_member_is(f->st, f->pub.id, f->bob.id, &is), GR_OK);
    assert_false(is);
}

static void test_inside_transaction(void **state)
{
    struct fx *f = *state;
    struct gr_reaction r;
    struct gr_reaction_list l;
    char post[GR_ID_SIZE];

    /* The writer calls these inside its batch transaction: a rollback undoes them. */
    put_post(f, f->pub.id, 10, NULL, "tx", post);
    memset(&r, 0, sizeof r);
    memcpy(r.user_id, f->alice.id, GR_ID_SIZE);
    memcpy(r.post_id, post, GR_ID_SIZE);
    snprintf(r.emoji_name, sizeof r.emoji_name, "smile");
    assert_int_equal(gr_store_begin(f->st), GR_OK);
    assert_int_equal(gr_store_reaction_put(f->st, &r), GR_OK);
    assert_int_equal(gr_store_post_delete(f->st, post, 5), GR_OK);
    gr_store_rollback(f->st);
    assert_int_equal(gr_store_reaction_list(f->st, post, &l), GR_OK);
    assert_int_equal(l.n, 0);
    gr_reaction_list_free(&l);
    assert_int_equal(gr_store_post_delete(f->st, post, 6), GR_OK);
}

/* Adds emoji by user to post at create_at `at`. */
static void react(struct fx *f, const char *post, const char *user, const char *emoji, int64_t at)
{
    struct gr_reaction r;

    memset(&r, 0, sizeof r);
    memcpy(r.user_id, user, GR_ID_SIZE);
    memcpy(r.post_id, post, GR_ID_SIZE);
    memcpy(r.channel_id, f->pub.id, GR_ID_SIZE);
    snprintf(r.emoji_name, sizeof r.emoji_name, "%s", emoji);
    r.create_at = at;
    assert_int_equal(gr_store_reaction_put(f->st, &r), GR_OK);
}

/* gr_store_post_meta: thread reply counts (live replies only, the same on the root and every
 * reply), reactions per post in order, duplicates, unknown ids, a large batch. */
static void test_post_meta(void **state)
{
    struct fx *f = *state;
    struct gr_post_meta_list ml;
    const struct gr_post_meta *m;
    struct gr_post_list thread = {0};
    struct gr_post asked[5];
    char a[GR_ID_SIZE], b[GR_ID_SIZE], r1[GR_ID_SIZE], r2[GR_ID_SIZE], r3[GR_ID_SIZE];
    char other[GR_ID_SIZE];

    put_post(f, f->pub.id, 10, NULL, "root a", a);
    put_post(f, f->pub.id, 11, NULL, "root b", b);
    put_post(f, f->pub.id, 12, a, "reply 1", r1);
    put_post(f, f->pub.id, 13, a, "reply 2", r2);
    put_post(f, f->pub.id, 14, a, "reply 3", r3);
    assert_int_equal(gr_store_post_delete(f->st, r2, 20), GR_OK);
    react(f, a, f->bob.id, "smile", 30);
    react(f, a, f->alice.id, "+1", 25);
    react(f, r1, f->bob.id, "+1", 40);

    /* Nothing asked: nothing read. */
    assert_int_equal(gr_store_post_meta(f->st, NULL, 0, true, &ml), GR_OK);
    assert_int_equal(ml.n, 0);
    assert_null(gr_post_meta_find(&ml, a));
    gr_post_meta_list_free(&ml);

    memset(asked, 0, sizeof asked);
    memcpy(asked[0].id, r3, GR_ID_SIZE);
    memcpy(asked[0].root_id, a, GR_ID_SIZE);
    memcpy(asked[1].id, a, GR_ID_SIZE);
    memcpy(asked[2].id, b, GR_ID_SIZE);
    memcpy(asked[3].id, r2, GR_ID_SIZE); /* deleted: still counted by its thread */
    memcpy(asked[3].root_id, a, GR_ID_SIZE);
    memcpy(asked[4].id, a, GR_ID_SIZE); /* asked twice */
    assert_int_equal(gr_store_post_meta(f->st, asked, 5, true, &ml), GR_OK);
    assert_int_equal(ml.n, 4);
    m = gr_post_meta_find(&ml, a);
    assert_non_null(m);
    assert_int_equal(m->reply_count, 2); /* reply 2 is deleted */
    assert_int_equal(m->nreactions, 2);
    assert_string_equal(m->reactions[0].emoji_name, "+1"); /* oldest first */
    assert_string_equal(m->reactions[0].user_id, f->alice.id);
    assert_string_equal(m->reactions[1].emoji_name, "smile");
    assert_string_equal(m->reactions[1].post_id, a);
    m = gr_post_meta_find(&ml, r3);
    assert_non_null(m);
    assert_int_equal(m->reply_count, 2);
    assert_int_equal(m->nreactions, 0);
    m = gr_post_meta_find(&ml, r2);
    assert_non_null(m);
    assert_int_equal(m->reply_count, 2);
    m = gr_post_meta_find(&ml, b);
    assert_non_null(m);
    assert_int_equal(m->reply_count, 0);
    assert_int_equal(m->nreactions, 0);
    assert_null(gr_post_meta_find(&ml, r1)); /* not asked */
    gr_post_meta_list_free(&ml);

    /* A thread as the store reads it; without reactions only the counts come back. */
    assert_int_equal(gr_store_post_thread(f->st, a, &thread), GR_OK);
    assert_int_equal(thread.n, 3);
    assert_int_equal(gr_store_post_meta(f->st, thread.v, thread.n, true, &ml), GR_OK);
    assert_int_equal(ml.n, 3);
    for (size_t i = 0; i < thread.n; i++)
        assert_int_equal(gr_post_meta_find(&ml, thread.v[i].id)->reply_count, 2);
    assert_int_equal(gr_post_meta_find(&ml, r1)->nreactions, 1);
    assert_string_equal(gr_post_meta_find(&ml, r1)->reactions[0].user_id, f->bob.id);
    gr_post_meta_list_free(&ml);
    assert_int_equal(gr_store_post_meta(f->st, thread.v, thread.n, false, &ml), GR_OK);
    assert_int_equal(gr_post_meta_find(&ml, a)->reply_count, 2);
    assert_int_equal(gr_post_meta_find(&ml, a)->nreactions, 0);
    assert_null(gr_post_meta_find(&ml, a)->reactions);
    gr_post_meta_list_free(&ml);

    /* has_reactions follows removals: no stored flag to go stale. */
    assert_int_equal(gr_store_reaction_delete(f->st, r1, f->bob.id, "+1", 50), GR_OK);
    assert_int_equal(gr_store_post_meta(f->st, thread.v, thread.n, true, &ml), GR_OK);
    assert_int_equal(gr_post_meta_find(&ml, r1)->nreactions, 0);
    assert_int_equal(gr_post_meta_find(&ml, a)->nreactions, 2);
    gr_post_meta_list_free(&ml);
    gr_post_list_free(&thread);

    /* Deleting the root deletes the thread: no live replies left. */
    put_post(f, f->pub.id, 60, b, "reply to b", other);
    assert_int_equal(gr_store_post_delete(f->st, a, 70), GR_OK);
    assert_int_equal(gr_store_post_meta(f->st, asked, 3, false, &ml), GR_OK);
    assert_int_equal(gr_post_meta_find(&ml, a)->reply_count, 0);
    assert_int_equal(gr_post_meta_find(&ml, b)->reply_count, 1);
    gr_post_meta_list_free(&ml);

    /* A large page is still two statements; every entry is found. */
    {
        struct gr_post_page page = {0};
        struct gr_post_query q = {.channel_id = f->pub.id, .limit = 0};
        char id[GR_ID_SIZE];
        for (int i = 0; i < 300; i++)
            put_post(f, f->pub.id, 100 + i, (i % 3) ? b : NULL, "bulk", id);
        assert_int_equal(gr_store_post_page(f->st, &q, &page), GR_OK);
        assert_true(page.list.n > 300);
        assert_int_equal(gr_store_post_meta(f->st, page.list.v, page.list.n, true, &ml), GR_OK);
        assert_int_equal(ml.n, page.list.n);
        for (size_t i = 0; i < page.list.n; i++) {
            const struct gr_post *p = &page.list.v[i];
            m = gr_post_meta_find(&ml, p->id);
            assert_non_null(m);
            if (p->root_id[0] || strcmp(p->id, b) == 0)
                assert_int_equal(m->reply_count, 201); /* 200 bulk replies + "reply to b" */
            else
                assert_int_equal(m->reply_count, 0);
        }
        gr_post_meta_list_free(&ml);
        gr_post_page_free(&page);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_update_and_pending, setup, teardown),
            cmocka_unit_test_setup_teardown(test_delete_thread, setup, teardown),
            cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
            cmocka_unit_test_setup_teardown(test_reactions, setup, teardown),
            cmocka_unit_test_setup_teardown(test_memberships, setup, teardown),
            cmocka_unit_test_setup_teardown(test_inside_transaction, setup, teardown),
            cmocka_unit_test_setup_teardown(test_post_meta, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
