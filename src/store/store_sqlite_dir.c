/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite_dir.c - the SQLite back end's directory: teams, channels and memberships (users and
 * access tokens are in store_sqlite_users.c).
 *
 * These rows are small, written rarely (set-up, the CLI, DM creation) and read on every request
 * (token check, channel resolution), so every read is a single indexed lookup through a cached
 * statement. Column lists are spelled out (never `SELECT *`) so later migrations can add columns.
 * Each *_COLS macro and its *_row() reader change together.
 */
#include "store/store_sqlite_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* ---- Teams ----------------------------------------------------------------------------------- */

#define TEAM_COLS "id, name, display_name, type, create_at, update_at, delete_at"

static void team_row(sqlite3_stmt *s, struct gr_team *t)
{
    gr_sqlite__col_text(s, 0, t->id, sizeof t->id);
    gr_sqlite__col_text(s, 1, t->name, sizeof t->name);
    gr_sqlite__col_text(s, 2, t->display_name, sizeof t->display_name);
    t->type = gr_sqlite__col_char(s, 3);
    t->create_at = sqlite3_column_int64(s, 4);
    t->update_at = sqlite3_column_int64(s, 5);
    t->delete_at = sqlite3_column_int64(s, 6);
}

gr_err gr_sqlite__is_empty(struct gr_store *st, bool *empty_out)
{
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_IS_EMPTY, "SELECT EXISTS (SELECT 1 FROM teams)", "is_empty", &s);
    if (rc != GR_OK)
        return rc;
    rc = gr_sqlite__step_row(sq, "is_empty", s);
    if (rc == GR_OK)
        *empty_out = sqlite3_column_int(s, 0) == 0;
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__dir_gen(struct gr_store *st, int64_t *gen_out)
{
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_DIR_GEN, "SELECT gen FROM dir_gen WHERE id = 1", "dir_gen",
                         &s);
    if (rc != GR_OK)
        return rc;
    rc = gr_sqlite__step_row(sq, "dir_gen", s);
    if (rc == GR_OK)
        *gen_out = sqlite3_column_int64(s, 0);
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__team_insert(struct gr_store *st, const struct gr_team *t)
{
    static const char op[] = "team_insert";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_TEAM_INSERT,
                         "INSERT INTO teams (" TEAM_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_text(s, 1, t->id, sizeof t->id) ||
        gr_sqlite__bind_text(s, 2, t->name, sizeof t->name) ||
        gr_sqlite__bind_text(s, 3, t->display_name, sizeof t->display_name) ||
        gr_sqlite__bind_char(s, 4, t->type) || sqlite3_bind_int64(s, 5, t->create_at) ||
        sqlite3_bind_int64(s, 6, t->update_at) || sqlite3_bind_int64(s, 7, t->delete_at)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

/* Runs a one-key team query (slot id, SQL sql) and reads its row into out. */
static gr_err team_by(struct gr_sqlite *sq, enum gr_sqlite__stmt_id id, const char *sql,
                      const char *op, const char *key, struct gr_team *out)
{
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, id, sql, op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, key) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK)
        team_row(s, out);
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__team_get(struct gr_store *st, const char *id, struct gr_team *out)
{
    return team_by(gr_sqlite__from(st), GR_SQ_TEAM_GET,
                   "SELECT " TEAM_COLS " FROM teams WHERE id = ?1", "team_get", id, out);
}

gr_err gr_sqlite__team_get_by_name(struct gr_store *st, const char *name, struct gr_team *out)
{
    return team_by(gr_sqlite__from(st), GR_SQ_TEAM_GET_BY_NAME,
                   "SELECT " TEAM_COLS " FROM teams WHERE name = ?1", "team_get_by_name", name,
                   out);
}

/* ---- Channels -------------------------------------------------------------------------------- */

#define CHANNEL_COLS                                                                               \
    "id, team_id, name, display_name, type, creator_id, header, purpose, create_at, update_at, "   \
    "delete_at, last_post_at, total_msg_count"

static void channel_row(sqlite3_stmt *s, struct gr_channel *c)
{
    gr_sqlite__col_text(s, 0, c->id, sizeof c->id);
    gr_sqlite__col_text(s, 1, c->team_id, sizeof c->team_id);
    gr_sqlite__col_text(s, 2, c->name, sizeof c->name);
    gr_sqlite__col_text(s, 3, c->display_name, sizeof c->display_name);
    c->type = gr_sqlite__col_char(s, 4);
    gr_sqlite__col_text(s, 5, c->creator_id, sizeof c->creator_id);
    gr_sqlite__col_text(s, 6, c->header, sizeof c->header);
    gr_sqlite__col_text(s, 7, c->purpose, sizeof c->purpose);
    c->create_at = sqlite3_column_int64(s, 8);
    c->update_at = sqlite3_column_int64(s, 9);
    c->delete_at = sqlite3_column_int64(s, 10);
    c->last_post_at = sqlite3_column_int64(s, 11);
    c->total_msg_count = sqlite3_column_int64(s, 12);
}

gr_err gr_sqlite__channel_insert(struct gr_store *st, const struct gr_channel *c)
{
    static const char op[] = "channel_insert";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_CHANNEL_INSERT,
                         "INSERT INTO channels (" CHANNEL_COLS ") VALUES "
                         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_text(s, 1, c->id, sizeof c->id) ||
        gr_sqlite__bind_text(s, 2, c->team_id, sizeof c->team_id) ||
        gr_sqlite__bind_text(s, 3, c->name, sizeof c->name) ||
        gr_sqlite__bind_text(s, 4, c->display_name, sizeof c->display_name) ||
        gr_sqlite__bind_char(s, 5, c->type) ||
        gr_sqlite__bind_text(s, 6, c->creator_id, sizeof c->creator_id) ||
        gr_sqlite__bind_text(s, 7, c->header, sizeof c->header) ||
        gr_sqlite__bind_text(s, 8, c->purpose, sizeof c->purpose) ||
        sqlite3_bind_int64(s, 9, c->create_at) || sqlite3_bind_int64(s, 10, c->update_at) ||
        sqlite3_bind_int64(s, 11, c->delete_at) || sqlite3_bind_int64(s, 12, c->last_post_at) ||
        sqlite3_bind_int64(s, 13, c->total_msg_count)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

gr_err gr_sqlite__channel_get(struct gr_store *st, const char *id, struct gr_channel *out)
{
    static const char op[] = "channel_get";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_CHANNEL_GET,
                         "SELECT " CHANNEL_COLS " FROM channels WHERE id = ?1", op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, id) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK)
        channel_row(s, out);
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__channel_get_by_name(struct gr_store *st, const char *team_id, const char *name,
                                      bool include_deleted, struct gr_channel *out)
{
    static const char op[] = "channel_get_by_name";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    /* Two probes of the (team_id, name) unique index; the team's own channel wins over a
     * DM/group channel (team_id '') of the same name. */
    rc = gr_sqlite__stmt(sq, GR_SQ_CHANNEL_GET_BY_NAME,
                         "SELECT " CHANNEL_COLS " FROM channels "
                         "WHERE team_id IN (?1, '') AND name = ?2 AND (delete_at = 0 OR ?3) "
                         "ORDER BY team_id = '' LIMIT 1",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, team_id) || gr_sqlite__bind_str(s, 2, name) ||
        sqlite3_bind_int(s, 3, include_deleted)) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK)
        channel_row(s, out);
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__channel_list(struct gr_store *st, const char *team_id,
                               struct gr_channel_list *out)
{
    static const char op[] = "channel_list";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_CHANNEL_LIST,
                         "SELECT " CHANNEL_COLS " FROM channels "
                         "WHERE team_id = ?1 AND delete_at = 0 ORDER BY name",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, team_id) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->v = gr_xrealloc(out->v, cap * sizeof *out->v);
        }
        channel_row(s, &out->v[out->n++]);
    }
    if (rc == GR_ENOTFOUND)
        rc = GR_OK; /* the end of the rows */
out:
    gr_sqlite__reset(s);
    if (rc != GR_OK)
        gr_channel_list_free(out);
    return rc;
}

/* ---- Memberships ---------------------------------------------------------------------------- */

/* Runs a two-key statement (an idempotent insert or an EXISTS query). With is_out it reads the
 * single integer column; without, it expects no rows. */
static gr_err pair(struct gr_sqlite *sq, enum gr_sqlite__stmt_id id, const char *sql,
                   const char *op, const char *a, const char *b, bool *is_out)
{
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, id, sql, op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, a) || gr_sqlite__bind_str(s, 2, b)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    if (is_out == NULL)
        return gr_sqlite__exec(sq, op, s);
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK)
        *is_out = sqlite3_column_int(s, 0) != 0;
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__team_member_add(struct gr_store *st, const char *team_id, const char *user_id)
{
    /* ON CONFLICT DO NOTHING covers only the primary key; a missing team or user still fails
     * its foreign key (INSERT OR IGNORE would have hidden NOT NULL failures too). */
    return pair(gr_sqlite__from(st), GR_SQ_TEAM_MEMBER_ADD,
                "INSERT INTO team_members (team_id, user_id) VALUES (?1, ?2) "
                "ON CONFLICT (team_id, user_id) DO NOTHING",
                "team_member_add", team_id, user_id, NULL);
}

gr_err gr_sqlite__channel_member_add(struct gr_store *st, const char *channel_id,
                                     const char *user_id)
{
    /* create_at (ms) comes from SQLite's clock: it orders a channel's members (oldest first)
     * and is the member's last_update_at. */
    return pair(gr_sqlite__from(st), GR_SQ_CHANNEL_MEMBER_ADD,
                "INSERT INTO channel_members (channel_id, user_id, create_at) VALUES (?1, ?2, "
                "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)) "
                "ON CONFLICT (channel_id, user_id) DO NOTHING",
                "channel_member_add", channel_id, user_id, NULL);
}

gr_err gr_sqlite__channel_member_is(struct gr_store *st, const char *channel_id,
                                    const char *user_id, bool *is_out)
{
    return pair(gr_sqlite__from(st), GR_SQ_CHANNEL_MEMBER_IS,
                "SELECT EXISTS (SELECT 1 FROM channel_members "
                "WHERE channel_id = ?1 AND user_id = ?2)",
                "channel_member_is", channel_id, user_id, is_out);
}
