/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite_meta.c - the SQLite back end's post meta (store.h gr_store_post_meta): the reply
 * counts of the posts' threads and the posts' reactions, for the client shapes.
 *
 * A page of posts costs two statements whatever its size, not two per post: the ids go in as
 * one bound JSON array text and come out of json_each (SQLite's JSON functions are built in
 * since 3.38; Debian 12 has 3.40). The counts walk the partial index posts_root, which is why
 * the query repeats its condition (root_id <> ''): SQLite uses a partial index only when the
 * WHERE clause implies the index's own. Reactions come through their primary key (post_id
 * first), grouped by post_id in byte order as store.c's merge expects.
 */
#include "store/store_sqlite_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* A root's live reply count, from the counts query. */
struct root_count {
    char root_id[GR_ID_SIZE];
    int64_t n;
};

static int root_cmp(const void *a, const void *b)
{
    return strcmp(((const struct root_count *)a)->root_id, ((const struct root_count *)b)->root_id);
}

/* The thread a post belongs to: its root, or itself when it is one. */
static const char *thread_of(const struct gr_post *p)
{
    return p->root_id[0] ? p->root_id : p->id;
}

/* ["id",...]: the posts' ids, or their threads' roots; invalid ids are left out, so the
 * text needs no escaping (ids are [a-z0-9]). */
static char *id_array(const struct gr_post *posts, size_t n, bool threads)
{
    char *s = gr_xmalloc(n * (GR_ID_LEN + 3) + 3), *w = s;

    *w++ = '[';
    for (size_t i = 0; i < n; i++) {
        const char *id = threads ? thread_of(&posts[i]) : posts[i].id;
        if (!gr_id_is_valid(id))
            continue;
        if (w[-1] != '[')
            *w++ = ',';
        *w++ = '"';
        memcpy(w, id, GR_ID_LEN);
        w += GR_ID_LEN;
        *w++ = '"';
    }
    *w++ = ']';
    *w = '\0';
    return s;
}

static gr_err read_counts(struct gr_sqlite *sq, const char *ids, struct root_count **out,
                          size_t *nout)
{
    static const char op[] = "post_meta_replies";
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    *out = NULL;
    *nout = 0;
    rc = gr_sqlite__stmt(sq, GR_SQ_POST_META_REPLIES,
                         "SELECT root_id, COUNT(*) FROM posts WHERE root_id <> '' "
                         "AND root_id IN (SELECT value FROM json_each(?1)) AND delete_at = 0 "
                         "GROUP BY root_id",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, ids) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        if (*nout == cap) {
            cap = cap ? cap * 2 : 16;
            *out = gr_xrealloc(*out, cap * sizeof **out);
        }
        gr_sqlite__col_text(s, 0, (*out)[*nout].root_id, GR_ID_SIZE);
        (*out)[*nout].n = sqlite3_column_int64(s, 1);
        (*nout)++;
    }
    if (rc == GR_ENOTFOUND)
        rc = GR_OK;
out:
    gr_sqlite__reset(s);
    return rc;
}

static gr_err read_reactions(struct gr_sqlite *sq, const char *ids, struct gr_reaction_list *out)
{
    static const char op[] = "post_meta_reactions";
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_POST_META_REACTIONS,
                         "SELECT user_id, post_id, emoji_name, channel_id, create_at "
                         "FROM reactions WHERE post_id IN (SELECT value FROM json_each(?1)) "
                         "ORDER BY post_id, create_at, user_id, emoji_name",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, ids) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        struct gr_reaction *r;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->v = gr_xrealloc(out->v, cap * sizeof *out->v);
        }
        r = &out->v[out->n++];
        gr_sqlite__col_text(s, 0, r->user_id, sizeof r->user_id);
        gr_sqlite__col_text(s, 1, r->post_id, sizeof r->post_id);
        gr_sqlite__col_text(s, 2, r->emoji_name, sizeof r->emoji_name);
        gr_sqlite__col_text(s, 3, r->channel_id, sizeof r->channel_id);
        r->create_at = sqlite3_column_int64(s, 4);
    }
    if (rc == GR_ENOTFOUND)
        rc = GR_OK;
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__post_meta(struct gr_store *st, const struct gr_post *posts, size_t n,
                            bool with_reactions, struct gr_post_meta_list *out)
{
    struct gr_sqlite *sq = gr_sqlite__from(st);
    struct root_count *counts = NULL;
    size_t ncounts = 0;
    char *ids = id_array(posts, n, true);
    gr_err rc;

    rc = read_counts(sq, ids, &counts, &ncounts);
    free(ids);
    if (rc == GR_OK && with_reactions) {
        ids = id_array(posts, n, false);
        rc = read_reactions(sq, ids, &out->reactions);
        free(ids);
    }
    if (rc != GR_OK)
        goto out;
    qsort(counts, ncounts, sizeof *counts, root_cmp);
    out->v = gr_xcalloc(n, sizeof *out->v);
    for (size_t i = 0; i < n; i++) {
        struct root_count key, *c;
        memcpy(out->v[i].post_id, posts[i].id, GR_ID_SIZE);
        memcpy(key.root_id, thread_of(&posts[i]), GR_ID_SIZE);
        c = ncounts ? bsearch(&key, counts, ncounts, sizeof *counts, root_cmp) : NULL;
        out->v[i].reply_count = c ? c->n : 0;
    }
    out->n = n;
out:
    free(counts);
    return rc;
}
