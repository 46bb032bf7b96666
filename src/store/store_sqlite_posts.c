/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite_posts.c - the SQLite back end's posts.
 *
 * post_insert is the hot write path (every accepted webhook). It inserts the row and bumps the
 * channel's last_post_at and total_msg_count as one atomic group: its own BEGIN IMMEDIATE
 * transaction when the caller has none, a savepoint inside the caller's transaction otherwise.
 * post_list reads the newest posts of a channel through the (channel_id, create_at, seq) index,
 * newest first; seq (the rowid) keeps the insertion order of posts that share a create_at.
 * Messages and props are heap strings sized exactly to what is stored.
 */
#include "store/store_sqlite_int.h"

#include <stdlib.h>

#include "core/xalloc.h"

#define POST_COLS GR_SQ_POST_COLS /* store_sqlite_int.h */

void gr_sqlite__post_row(sqlite3_stmt *s, struct gr_post *p)
{
    gr_sqlite__col_text(s, 0, p->id, sizeof p->id);
    gr_sqlite__col_text(s, 1, p->user_id, sizeof p->user_id);
    gr_sqlite__col_text(s, 2, p->channel_id, sizeof p->channel_id);
    gr_sqlite__col_text(s, 3, p->root_id, sizeof p->root_id);
    gr_sqlite__col_text(s, 4, p->type, sizeof p->type);
    p->message = gr_sqlite__col_dup(s, 5, "");
    p->props = gr_sqlite__col_dup(s, 6, "{}");
    p->create_at = sqlite3_column_int64(s, 7);
    p->update_at = sqlite3_column_int64(s, 8);
    p->edit_at = sqlite3_column_int64(s, 9);
    p->delete_at = sqlite3_column_int64(s, 10);
    p->is_pinned = sqlite3_column_int(s, 11) != 0;
    gr_sqlite__col_text(s, 12, p->pending_post_id, sizeof p->pending_post_id);
}

static gr_err insert_row(struct gr_sqlite *sq, const char *op, const struct gr_post *p)
{
    const char *props = p->props != NULL && p->props[0] != '\0' ? p->props : "{}";
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_POST_INSERT,
                         "INSERT INTO posts (" POST_COLS ") VALUES "
                         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_text(s, 1, p->id, sizeof p->id) ||
        gr_sqlite__bind_text(s, 2, p->user_id, sizeof p->user_id) ||
        gr_sqlite__bind_text(s, 3, p->channel_id, sizeof p->channel_id) ||
        gr_sqlite__bind_text(s, 4, p->root_id, sizeof p->root_id) ||
        gr_sqlite__bind_text(s, 5, p->type, sizeof p->type) ||
        gr_sqlite__bind_str(s, 6, p->message) || gr_sqlite__bind_str(s, 7, props) ||
        sqlite3_bind_int64(s, 8, p->create_at) || sqlite3_bind_int64(s, 9, p->update_at) ||
        sqlite3_bind_int64(s, 10, p->edit_at) || sqlite3_bind_int64(s, 11, p->delete_at) ||
        sqlite3_bind_int(s, 12, p->is_pinned) ||
        gr_sqlite__bind_text(s, 13, p->pending_post_id, sizeof p->pending_post_id)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

static gr_err bump_channel(struct gr_sqlite *sq, const char *op, const struct gr_post *p)
{
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_POST_BUMP_CHANNEL,
                         "UPDATE channels SET last_post_at = MAX(last_post_at, ?2), "
                         "total_msg_count = total_msg_count + 1 WHERE id = ?1",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_text(s, 1, p->channel_id, sizeof p->channel_id) ||
        sqlite3_bind_int64(s, 2, p->create_at)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

gr_err gr_sqlite__post_insert(struct gr_store *st, const struct gr_post *p)
{
    static const char op[] = "post_insert";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    bool own_tx = !sqlite3_get_autocommit(sq->db) ? false : true;
    gr_err rc;

    /* Outside a transaction the call is its own transaction. Inside the caller's, no savepoint:
     * it costs two statements and a statement journal per post on the hottest path, and the
     * only caller that batches (the group-commit writer) rolls the whole transaction back on
     * any failure anyway. */
    if (own_tx) {
        rc = gr_sqlite__atomic_begin(sq, op, &own_tx);
        if (rc != GR_OK)
            return rc;
    }
    /* The foreign key on posts.channel_id rejects an unknown channel before the bump. */
    rc = insert_row(sq, op, p);
    if (rc == GR_OK)
        rc = bump_channel(sq, op, p);
    if (own_tx)
        return gr_sqlite__atomic_end(sq, op, own_tx, rc);
    return rc;
}

gr_err gr_sqlite__post_get(struct gr_store *st, const char *id, struct gr_post *out)
{
    static const char op[] = "post_get";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_POST_GET, "SELECT " POST_COLS " FROM posts WHERE id = ?1", op,
                         &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, id) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK)
        gr_sqlite__post_row(s, out);
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__post_list(struct gr_store *st, const char *channel_id, size_t limit,
                            struct gr_post_list *out)
{
    static const char op[] = "post_list";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_POST_LIST,
                         "SELECT " POST_COLS " FROM posts "
                         "WHERE channel_id = ?1 AND delete_at = 0 "
                         "ORDER BY create_at DESC, seq DESC LIMIT ?2",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, channel_id) ||
        sqlite3_bind_int64(s, 2, gr_sqlite__page(limit, true))) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 32;
            out->v = gr_xrealloc(out->v, cap * sizeof *out->v);
        }
        gr_sqlite__post_row(s, &out->v[out->n++]);
    }
    if (rc == GR_ENOTFOUND)
        rc = GR_OK; /* the end of the rows */
out:
    gr_sqlite__reset(s);
    if (rc != GR_OK)
        gr_post_list_free(out);
    return rc;
}
