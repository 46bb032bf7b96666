/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite_posts2.c - the SQLite back end's part of the REST surface: post edits and soft
 * deletes, threads, channel pages with Mattermost's cursors (spec mattermost-compat §5.6),
 * pending_post_id look-ups, reactions, memberships seen from the user's side.
 *
 * Pages walk the (channel_id, create_at, seq) index in either direction from a cursor; seq (the
 * rowid, never reused) orders posts that share a create_at, so the order is total and a cursor
 * never skips or repeats a post. Lists of teams and channels are read as ids and then row by
 * row through the directory's own getters, so the column lists stay in store_sqlite_dir.c.
 * Writes here are single statements, atomic on their own; reaction put/delete also touch the
 * post's update_at, as one atomic group.
 */
#include "store/store_sqlite_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define SINCE_MAX 1000 /* Mattermost's cap on a `since` answer */

/* ---- helpers --------------------------------------------------------------------------- */

/* Appends a post row (with seq as column GR_SQ_POST_NCOLS when seq_out is set). */
static void push_post(sqlite3_stmt *s, struct gr_post_list *l, size_t *cap, int64_t **seqs)
{
    if (l->n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        l->v = gr_xrealloc(l->v, *cap * sizeof *l->v);
        if (seqs)
            *seqs = gr_xrealloc(*seqs, *cap * sizeof **seqs);
    }
    memset(&l->v[l->n], 0, sizeof l->v[l->n]);
    gr_sqlite__post_row(s, &l->v[l->n]);
    if (seqs)
        (*seqs)[l->n] = sqlite3_column_int64(s, GR_SQ_POST_NCOLS);
    l->n++;
}

/* Steps s to the end, appending every row to l. Resets s. */
static gr_err read_posts(struct gr_sqlite *sq, const char *op, sqlite3_stmt *s,
                         struct gr_post_list *l, int64_t **seqs)
{
    size_t cap = l->n;
    gr_err rc;

    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK)
        push_post(s, l, &cap, seqs);
    gr_sqlite__reset(s);
    return rc == GR_ENOTFOUND ? GR_OK : rc;
}

/* Reads the single-text-column rows of s into a malloc'd array of ids. Resets s. */
static gr_err read_ids(struct gr_sqlite *sq, const char *op, sqlite3_stmt *s,
                       char (**ids)[GR_ID_SIZE], size_t *n)
{
    size_t cap = 0;
    gr_err rc;

    *ids = NULL;
    *n = 0;
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *ids = gr_xrealloc(*ids, cap * sizeof **ids);
        }
        gr_sqlite__col_text(s, 0, (*ids)[*n], GR_ID_SIZE);
        (*n)++;
    }
    gr_sqlite__reset(s);
    if (rc == GR_ENOTFOUND)
        return GR_OK;
    free(*ids);
    *ids = NULL;
    *n = 0;
    return rc;
}

/* ---- memberships ----------------------------------------------------------------------- */

gr_err gr_sqlite__team_member_is(struct gr_store *st, const char *team_id, const char *user_id,
                                 bool *is_out)
{
    static const char op[] = "team_member_is";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_TEAM_MEMBER_IS,
                         "SELECT EXISTS (SELECT 1 FROM team_members "
                         "WHERE team_id = ?1 AND user_id = ?2)",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, team_id) || gr_sqlite__bind_str(s, 2, user_id)) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK)
        *is_out = sqlite3_column_int(s, 0) != 0;
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__user_teams(struct gr_store *st, const char *user_id, struct gr_team_list *out)
{
    static const char op[] = "user_teams";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    char(*ids)[GR_ID_SIZE] = NULL;
    size_t n = 0;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_USER_TEAMS,
                         "SELECT t.id FROM team_members m JOIN teams t ON t.id = m.team_id "
                         "WHERE m.user_id = ?1 AND t.delete_at = 0 ORDER BY t.name",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, user_id) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = read_ids(sq, op, s, &ids, &n);
    if (rc == GR_OK && n > 0)
        out->v = gr_xcalloc(n, sizeof *out->v);
    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        rc = gr_sqlite__team_get(st, ids[i], &out->v[out->n]);
        if (rc == GR_OK)
            out->n++;
    }
    free(ids);
    if (rc != GR_OK)
        gr_team_list_free(out);
    return rc;
}

gr_err gr_sqlite__user_channels(struct gr_store *st, const char *user_id, const char *team_id,
                                bool include_deleted, struct gr_channel_list *out)
{
    static const char op[] = "user_channels";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    char(*ids)[GR_ID_SIZE] = NULL;
    size_t n = 0;
    sqlite3_stmt *s;
    gr_err rc;

    /* Mattermost's "my channels in a team" includes the user's DMs and group channels. */
    rc = gr_sqlite__stmt(sq, GR_SQ_USER_CHANNELS,
                         "SELECT c.id FROM channel_members m JOIN channels c "
                         "ON c.id = m.channel_id WHERE m.user_id = ?1 "
                         "AND c.team_id IN (?2, '') AND (c.delete_at = 0 OR ?3) "
                         "ORDER BY c.name",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, user_id) || gr_sqlite__bind_str(s, 2, team_id) ||
        sqlite3_bind_int(s, 3, include_deleted)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = read_ids(sq, op, s, &ids, &n);
    if (rc == GR_OK && n > 0)
        out->v = gr_xcalloc(n, sizeof *out->v);
    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        rc = gr_sqlite__channel_get(st, ids[i], &out->v[out->n]);
        if (rc == GR_OK)
            out->n++;
    }
    free(ids);
    if (rc != GR_OK)
        gr_channel_list_free(out);
    return rc;
}

gr_err gr_sqlite__channel_members(struct gr_store *st, const char *channel_id, size_t offset,
                                  size_t limit, struct gr_channel_member_list *out)
{
    static const char op[] = "channel_members";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_CHANNEL_MEMBERS,
                         "SELECT channel_id, user_id, roles, create_at FROM channel_members "
                         "WHERE channel_id = ?1 ORDER BY create_at, user_id LIMIT ?2 OFFSET ?3",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, channel_id) ||
        sqlite3_bind_int64(s, 2, gr_sqlite__page(limit, true)) ||
        sqlite3_bind_int64(s, 3, gr_sqlite__page(offset, false))) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        struct gr_channel_member *m;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->v = gr_xrealloc(out->v, cap * sizeof *out->v);
        }
        m = &out->v[out->n++];
        gr_sqlite__col_text(s, 0, m->channel_id, sizeof m->channel_id);
        gr_sqlite__col_text(s, 1, m->user_id, sizeof m->user_id);
        gr_sqlite__col_text(s, 2, m->roles, sizeof m->roles);
        m->create_at = sqlite3_column_int64(s, 3);
    }
    if (rc == GR_ENOTFOUND)
        rc = GR_OK;
out:
    gr_sqlite__reset(s);
    if (rc != GR_OK)
        gr_channel_member_list_free(out);
    return rc;
}

gr_err gr_sqlite__channel_member_get(struct gr_store *st, const char *channel_id,
                                     const char *user_id, struct gr_channel_member *out)
{
    static const char op[] = "channel_member_get";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_CHANNEL_MEMBER_GET,
                         "SELECT channel_id, user_id, roles, create_at FROM channel_members "
                         "WHERE channel_id = ?1 AND user_id = ?2",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, channel_id) || gr_sqlite__bind_str(s, 2, user_id)) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK) {
        gr_sqlite__col_text(s, 0, out->channel_id, sizeof out->channel_id);
        gr_sqlite__col_text(s, 1, out->user_id, sizeof out->user_id);
        gr_sqlite__col_text(s, 2, out->roles, sizeof out->roles);
        out->create_at = sqlite3_column_int64(s, 3);
    }
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__channel_member_remove(struct gr_store *st, const char *channel_id,
                                        const char *user_id)
{
    static const char op[] = "channel_member_remove";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_CHANNEL_MEMBER_REMOVE,
                         "DELETE FROM channel_members WHERE channel_id = ?1 AND user_id = ?2", op,
                         &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, channel_id) || gr_sqlite__bind_str(s, 2, user_id)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = gr_sqlite__exec(sq, op, s);
    if (rc == GR_OK && sqlite3_changes(sq->db) == 0)
        rc = GR_ENOTFOUND;
    return rc;
}

/* ---- posts ----------------------------------------------------------------------------- */

gr_err gr_sqlite__post_update(struct gr_store *st, const struct gr_post *p)
{
    static const char op[] = "post_update";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    const char *props = p->props != NULL && p->props[0] != '\0' ? p->props : "{}";
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_POST_UPDATE,
                         "UPDATE posts SET message = ?2, props = ?3, type = ?4, is_pinned = ?5, "
                         "edit_at = ?6, update_at = ?7 WHERE id = ?1",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_text(s, 1, p->id, sizeof p->id) || gr_sqlite__bind_str(s, 2, p->message) ||
        gr_sqlite__bind_str(s, 3, props) || gr_sqlite__bind_text(s, 4, p->type, sizeof p->type) ||
        sqlite3_bind_int(s, 5, p->is_pinned) || sqlite3_bind_int64(s, 6, p->edit_at) ||
        sqlite3_bind_int64(s, 7, p->update_at)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = gr_sqlite__exec(sq, op, s);
    if (rc == GR_OK && sqlite3_changes(sq->db) == 0)
        rc = GR_ENOTFOUND;
    return rc;
}

gr_err gr_sqlite__post_delete(struct gr_store *st, const char *id, int64_t now_ms)
{
    static const char op[] = "post_delete";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    struct gr_post p = {0};
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__post_get(st, id, &p);
    if (rc == GR_OK && p.delete_at != 0)
        rc = GR_ENOTFOUND;
    free(p.message);
    free(p.props);
    if (rc != GR_OK)
        return rc;
    /* One statement, so atomic: the root and its replies go together (root_id is indexed). */
    rc = gr_sqlite__stmt(sq, GR_SQ_POST_DELETE,
                         "UPDATE posts SET delete_at = ?2, update_at = ?2 "
                         "WHERE (id = ?1 OR root_id = ?1) AND delete_at = 0",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, id) || sqlite3_bind_int64(s, 2, now_ms)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

gr_err gr_sqlite__post_thread(struct gr_store *st, const char *root_id, struct gr_post_list *out)
{
    static const char op[] = "post_thread";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_POST_THREAD,
                         "SELECT " GR_SQ_POST_COLS " FROM posts "
                         "WHERE (id = ?1 OR root_id = ?1) AND delete_at = 0 "
                         "ORDER BY create_at DESC, seq DESC",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, root_id) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = read_posts(sq, op, s, out, NULL);
    if (rc != GR_OK)
        gr_post_list_free(out);
    return rc;
}

/* The position (create_at, seq) of post id in channel_id; GR_ENOTFOUND if it is not there. */
static gr_err cursor_of(struct gr_sqlite *sq, const char *channel_id, const char *id, int64_t *at,
                        int64_t *seq)
{
    static const char op[] = "post_cursor";
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_POST_CURSOR,
                         "SELECT create_at, seq FROM posts WHERE id = ?1 AND channel_id = ?2", op,
                         &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, id) || gr_sqlite__bind_str(s, 2, channel_id)) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK) {
        *at = sqlite3_column_int64(s, 0);
        *seq = sqlite3_column_int64(s, 1);
    }
out:
    gr_sqlite__reset(s);
    return rc;
}

/* The id of the live post of channel_id nearest to (at, seq) on one side, or "". */
static gr_err neighbour(struct gr_sqlite *sq, const char *channel_id, bool older, int64_t at,
                        int64_t seq, char id_out[GR_ID_SIZE])
{
    static const char op[] = "post_neighbour";
    sqlite3_stmt *s;
    gr_err rc;

    if (older)
        rc = gr_sqlite__stmt(sq, GR_SQ_POST_OLDER,
                             "SELECT id FROM posts WHERE channel_id = ?1 AND delete_at = 0 "
                             "AND (create_at, seq) < (?2, ?3) "
                             "ORDER BY create_at DESC, seq DESC LIMIT 1",
                             op, &s);
    else
        rc = gr_sqlite__stmt(sq, GR_SQ_POST_NEWER,
                             "SELECT id FROM posts WHERE channel_id = ?1 AND delete_at = 0 "
                             "AND (create_at, seq) > (?2, ?3) "
                             "ORDER BY create_at ASC, seq ASC LIMIT 1",
                             op, &s);
    if (rc != GR_OK)
        return rc;
    id_out[0] = '\0';
    if (gr_sqlite__bind_str(s, 1, channel_id) || sqlite3_bind_int64(s, 2, at) ||
        sqlite3_bind_int64(s, 3, seq)) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK)
        gr_sqlite__col_text(s, 0, id_out, GR_ID_SIZE);
    else if (rc == GR_ENOTFOUND)
        rc = GR_OK;
out:
    gr_sqlite__reset(s);
    return rc;
}

static gr_err page_since(struct gr_sqlite *sq, const struct gr_post_query *q,
                         struct gr_post_list *l)
{
    static const char op[] = "post_since";
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_POST_SINCE,
                         "SELECT " GR_SQ_POST_COLS " FROM posts WHERE channel_id = ?1 "
                         "AND (update_at > ?2 OR edit_at > ?2 OR delete_at > ?2) "
                         "ORDER BY create_at DESC, seq DESC LIMIT ?3",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, q->channel_id) || sqlite3_bind_int64(s, 2, q->since) ||
        sqlite3_bind_int64(s, 3, SINCE_MAX)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return read_posts(sq, op, s, l, NULL);
}

/* Reverses l->v and seqs in place (the `after` query reads oldest first). */
static void reverse(struct gr_post_list *l, int64_t *seqs)
{
    for (size_t i = 0, j = l->n; i + 1 < j; i++, j--) {
        struct gr_post t = l->v[i];
        int64_t ts = seqs[i];
        l->v[i] = l->v[j - 1];
        l->v[j - 1] = t;
        seqs[i] = seqs[j - 1];
        seqs[j - 1] = ts;
    }
}

gr_err gr_sqlite__post_page(struct gr_store *st, const struct gr_post_query *q,
                            struct gr_post_page *out)
{
    static const char op[] = "post_page";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    bool after = q->after[0] != '\0';
    int64_t at = INT64_MAX, seq = INT64_MAX, *seqs = NULL;
    sqlite3_stmt *s;
    gr_err rc;

    if (q->since > 0)
        return page_since(sq, q, &out->list);
    if (after || q->before[0] != '\0') {
        rc = cursor_of(sq, q->channel_id, after ? q->after : q->before, &at, &seq);
        if (rc == GR_ENOTFOUND)
            return GR_OK; /* an unknown cursor: an empty page */
        if (rc != GR_OK)
            return rc;
    }
    if (after)
        rc = gr_sqlite__stmt(sq, GR_SQ_POST_PAGE_AFTER,
                             "SELECT " GR_SQ_POST_COLS ", seq FROM posts WHERE channel_id = ?1 "
                             "AND (delete_at = 0 OR ?2) AND (create_at, seq) > (?3, ?4) "
                             "ORDER BY create_at ASC, seq ASC LIMIT ?5 OFFSET ?6",
                             op, &s);
    else
        rc = gr_sqlite__stmt(sq, GR_SQ_POST_PAGE_BEFORE,
                             "SELECT " GR_SQ_POST_COLS ", seq FROM posts WHERE channel_id = ?1 "
                             "AND (delete_at = 0 OR ?2) AND (create_at, seq) < (?3, ?4) "
                             "ORDER BY create_at DESC, seq DESC LIMIT ?5 OFFSET ?6",
                             op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, q->channel_id) || sqlite3_bind_int(s, 2, q->include_deleted) ||
        sqlite3_bind_int64(s, 3, at) || sqlite3_bind_int64(s, 4, seq) ||
        sqlite3_bind_int64(s, 5, gr_sqlite__page(q->limit, true)) ||
        sqlite3_bind_int64(s, 6, gr_sqlite__page(q->offset, false))) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = read_posts(sq, op, s, &out->list, &seqs);
    if (rc == GR_OK && after)
        reverse(&out->list, seqs);
    if (rc == GR_OK && out->list.n > 0) {
        const struct gr_post_list *l = &out->list;
        rc = neighbour(sq, q->channel_id, false, l->v[0].create_at, seqs[0], out->next_post_id);
        if (rc == GR_OK)
            rc = neighbour(sq, q->channel_id, true, l->v[l->n - 1].create_at, seqs[l->n - 1],
                           out->prev_post_id);
    }
    free(seqs);
    if (rc != GR_OK)
        gr_post_page_free(out);
    return rc;
}

gr_err gr_sqlite__post_get_pending(struct gr_store *st, const char *user_id,
                                   const char *pending_post_id, int64_t since_ms,
                                   struct gr_post *out)
{
    static const char op[] = "post_get_pending";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    if (pending_post_id[0] == '\0')
        return GR_ENOTFOUND;
    rc = gr_sqlite__stmt(sq, GR_SQ_POST_PENDING,
                         "SELECT " GR_SQ_POST_COLS " FROM posts WHERE user_id = ?1 "
                         "AND pending_post_id = ?2 AND pending_post_id <> '' AND create_at >= ?3 "
                         "ORDER BY seq DESC LIMIT 1",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, user_id) || gr_sqlite__bind_str(s, 2, pending_post_id) ||
        sqlite3_bind_int64(s, 3, since_ms)) {
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

/* ---- reactions ------------------------------------------------------------------------- */

static gr_err touch_post(struct gr_sqlite *sq, const char *post_id, int64_t now_ms)
{
    static const char op[] = "reaction_touch_post";
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_REACTION_TOUCH_POST,
                         "UPDATE posts SET update_at = MAX(update_at, ?2) WHERE id = ?1", op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, post_id) || sqlite3_bind_int64(s, 2, now_ms)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

gr_err gr_sqlite__reaction_put(struct gr_store *st, const struct gr_reaction *r)
{
    static const char op[] = "reaction_put";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    bool own_tx;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__atomic_begin(sq, op, &own_tx);
    if (rc != GR_OK)
        return rc;
    rc = gr_sqlite__stmt(sq, GR_SQ_REACTION_PUT,
                         "INSERT INTO reactions (post_id, user_id, emoji_name, channel_id, "
                         "create_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                         "ON CONFLICT (post_id, user_id, emoji_name) DO NOTHING",
                         op, &s);
    if (rc != GR_OK)
        goto out;
    if (gr_sqlite__bind_text(s, 1, r->post_id, sizeof r->post_id) ||
        gr_sqlite__bind_text(s, 2, r->user_id, sizeof r->user_id) ||
        gr_sqlite__bind_text(s, 3, r->emoji_name, sizeof r->emoji_name) ||
        gr_sqlite__bind_text(s, 4, r->channel_id, sizeof r->channel_id) ||
        sqlite3_bind_int64(s, 5, r->create_at)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        goto out;
    }
    rc = gr_sqlite__exec(sq, op, s);
    if (rc == GR_OK && sqlite3_changes(sq->db) > 0)
        rc = touch_post(sq, r->post_id, r->create_at);
out:
    return gr_sqlite__atomic_end(sq, op, own_tx, rc);
}

gr_err gr_sqlite__reaction_delete(struct gr_store *st, const char *post_id, const char *user_id,
                                  const char *emoji_name, int64_t now_ms)
{
    static const char op[] = "reaction_delete";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    bool own_tx;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__atomic_begin(sq, op, &own_tx);
    if (rc != GR_OK)
        return rc;
    rc = gr_sqlite__stmt(sq, GR_SQ_REACTION_DELETE,
                         "DELETE FROM reactions "
                         "WHERE post_id = ?1 AND user_id = ?2 AND emoji_name = ?3",
                         op, &s);
    if (rc != GR_OK)
        goto out;
    if (gr_sqlite__bind_str(s, 1, post_id) || gr_sqlite__bind_str(s, 2, user_id) ||
        gr_sqlite__bind_str(s, 3, emoji_name)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        goto out;
    }
    rc = gr_sqlite__exec(sq, op, s);
    if (rc == GR_OK && sqlite3_changes(sq->db) == 0)
        rc = GR_ENOTFOUND;
    if (rc == GR_OK)
        rc = touch_post(sq, post_id, now_ms);
out:
    return gr_sqlite__atomic_end(sq, op, own_tx, rc);
}

gr_err gr_sqlite__reaction_list(struct gr_store *st, const char *post_id,
                                struct gr_reaction_list *out)
{
    static const char op[] = "reaction_list";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_REACTION_LIST,
                         "SELECT user_id, post_id, emoji_name, channel_id, create_at "
                         "FROM reactions WHERE post_id = ?1 ORDER BY create_at, user_id, "
                         "emoji_name",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, post_id) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        struct gr_reaction *r;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
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
    if (rc != GR_OK)
        gr_reaction_list_free(out);
    return rc;
}
