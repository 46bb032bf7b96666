/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite_queue.c - the SQLite back end's per-hook delivery queue (table hook_queue).
 *
 * Rows are pushed by the group-commit writer when a hook is over its rate and moved to posts
 * by the pacer, each in the writer's transactions, so a queued message is never lost between
 * the two tables and never posted twice.
 */
#include "store/store_sqlite_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define QUEUE_COLS                                                                                 \
    "seq, hook_id, dm_user_id, enqueued_at, post_id, user_id, channel_id, root_id, type, "         \
    "message, props"

gr_err gr_sqlite__queue_push(struct gr_store *st, const struct gr_queued *q)
{
    static const char op[] = "queue_push";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    const struct gr_post *p = &q->post;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_QUEUE_PUSH,
                         "INSERT INTO hook_queue (hook_id, dm_user_id, enqueued_at, post_id, "
                         "user_id, channel_id, root_id, type, message, props) VALUES "
                         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_text(s, 1, q->hook_id, sizeof q->hook_id) ||
        gr_sqlite__bind_text(s, 2, q->dm_user_id, sizeof q->dm_user_id) ||
        sqlite3_bind_int64(s, 3, q->enqueued_at) ||
        gr_sqlite__bind_text(s, 4, p->id, sizeof p->id) ||
        gr_sqlite__bind_text(s, 5, p->user_id, sizeof p->user_id) ||
        gr_sqlite__bind_text(s, 6, p->channel_id, sizeof p->channel_id) ||
        gr_sqlite__bind_text(s, 7, p->root_id, sizeof p->root_id) ||
        gr_sqlite__bind_text(s, 8, p->type, sizeof p->type) ||
        gr_sqlite__bind_str(s, 9, p->message ? p->message : "") ||
        gr_sqlite__bind_str(s, 10, p->props && p->props[0] ? p->props : "{}")) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

gr_err gr_sqlite__queue_peek(struct gr_store *st, const char *hook_id, size_t limit,
                             struct gr_queued_list *out)
{
    static const char op[] = "queue_peek";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_QUEUE_PEEK,
                         "SELECT " QUEUE_COLS " FROM hook_queue WHERE hook_id = ?1 "
                         "ORDER BY seq LIMIT ?2",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, hook_id) ||
        sqlite3_bind_int64(s, 2, gr_sqlite__page(limit, true))) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        struct gr_queued *q;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 32;
            out->v = gr_xrealloc(out->v, cap * sizeof *out->v);
        }
        q = &out->v[out->n++];
        memset(q, 0, sizeof *q);
        q->seq = sqlite3_column_int64(s, 0);
        gr_sqlite__col_text(s, 1, q->hook_id, sizeof q->hook_id);
        gr_sqlite__col_text(s, 2, q->dm_user_id, sizeof q->dm_user_id);
        q->enqueued_at = sqlite3_column_int64(s, 3);
        gr_sqlite__col_text(s, 4, q->post.id, sizeof q->post.id);
        gr_sqlite__col_text(s, 5, q->post.user_id, sizeof q->post.user_id);
        gr_sqlite__col_text(s, 6, q->post.channel_id, sizeof q->post.channel_id);
        gr_sqlite__col_text(s, 7, q->post.root_id, sizeof q->post.root_id);
        gr_sqlite__col_text(s, 8, q->post.type, sizeof q->post.type);
        q->post.message = gr_sqlite__col_dup(s, 9, "");
        q->post.props = gr_sqlite__col_dup(s, 10, "{}");
    }
    if (rc == GR_ENOTFOUND)
        rc = GR_OK; /* the end of the rows */
out:
    gr_sqlite__reset(s);
    if (rc != GR_OK)
        gr_queued_list_free(out);
    return rc;
}

gr_err gr_sqlite__queue_remove(struct gr_store *st, int64_t seq)
{
    static const char op[] = "queue_remove";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_QUEUE_REMOVE, "DELETE FROM hook_queue WHERE seq = ?1", op, &s);
    if (rc != GR_OK)
        return rc;
    if (sqlite3_bind_int64(s, 1, seq)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = gr_sqlite__exec(sq, op, s);
    if (rc == GR_OK && sqlite3_changes(sq->db) == 0)
        rc = GR_ENOTFOUND;
    return rc;
}

gr_err gr_sqlite__queue_depths(struct gr_store *st, struct gr_queue_depth **out, size_t *n_out)
{
    static const char op[] = "queue_depths";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_QUEUE_DEPTHS,
                         "SELECT hook_id, COUNT(*) FROM hook_queue GROUP BY hook_id", op, &s);
    if (rc != GR_OK)
        return rc;
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        if (*n_out == cap) {
            cap = cap ? cap * 2 : 16;
            *out = gr_xrealloc(*out, cap * sizeof **out);
        }
        gr_sqlite__col_text(s, 0, (*out)[*n_out].hook_id, sizeof(*out)->hook_id);
        (*out)[*n_out].n = (size_t)sqlite3_column_int64(s, 1);
        (*n_out)++;
    }
    if (rc == GR_ENOTFOUND)
        rc = GR_OK;
    gr_sqlite__reset(s);
    if (rc != GR_OK) {
        free(*out);
        *out = NULL;
        *n_out = 0;
    }
    return rc;
}
