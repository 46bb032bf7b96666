/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite_hooks.c - the SQLite back end's incoming webhooks.
 *
 * A hook's id is the secret in /hooks/{id}: whoever knows it can post. So it is only ever bound
 * as a parameter, and no error path here logs it (gr_sqlite__fail logs SQLite's message, which
 * names columns, not values). hook_get runs on every webhook request: one primary-key lookup.
 * Deletion is soft (delete_at), and only live hooks are returned, updated or deleted.
 */
#include "store/store_sqlite_int.h"

#include <stdio.h>

#include <stdint.h>
#include <stdlib.h>

#include "core/xalloc.h"

#define HOOK_COLS                                                                                  \
    "id, user_id, channel_id, team_id, display_name, description, username, icon_url, "            \
    "channel_locked, rate, burst, over_limit, create_at, update_at, delete_at, source, "           \
    "source_config"

static void hook_row(sqlite3_stmt *s, struct gr_hook *h)
{
    gr_sqlite__col_text(s, 0, h->id, sizeof h->id);
    gr_sqlite__col_text(s, 1, h->user_id, sizeof h->user_id);
    gr_sqlite__col_text(s, 2, h->channel_id, sizeof h->channel_id);
    gr_sqlite__col_text(s, 3, h->team_id, sizeof h->team_id);
    gr_sqlite__col_text(s, 4, h->display_name, sizeof h->display_name);
    gr_sqlite__col_text(s, 5, h->description, sizeof h->description);
    gr_sqlite__col_text(s, 6, h->username, sizeof h->username);
    gr_sqlite__col_text(s, 7, h->icon_url, sizeof h->icon_url);
    h->channel_locked = sqlite3_column_int(s, 8) != 0;
    h->rate = sqlite3_column_double(s, 9);
    h->burst = sqlite3_column_int(s, 10);
    h->over_limit = sqlite3_column_int(s, 11);
    h->create_at = sqlite3_column_int64(s, 12);
    h->update_at = sqlite3_column_int64(s, 13);
    h->delete_at = sqlite3_column_int64(s, 14);
    gr_sqlite__col_text(s, 15, h->source, sizeof h->source);
    gr_sqlite__col_text(s, 16, h->source_config, sizeof h->source_config);
    if (h->source[0] == '\0')
        snprintf(h->source, sizeof h->source, "mattermost");
    if (h->source_config[0] == '\0')
        snprintf(h->source_config, sizeof h->source_config, "{}");
}

gr_err gr_sqlite__hook_insert(struct gr_store *st, const struct gr_hook *h)
{
    static const char op[] = "hook_insert";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_HOOK_INSERT,
                         "INSERT INTO incoming_hooks (" HOOK_COLS ") VALUES "
                         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                         "?16, ?17)",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_text(s, 1, h->id, sizeof h->id) ||
        gr_sqlite__bind_text(s, 2, h->user_id, sizeof h->user_id) ||
        gr_sqlite__bind_text(s, 3, h->channel_id, sizeof h->channel_id) ||
        gr_sqlite__bind_text(s, 4, h->team_id, sizeof h->team_id) ||
        gr_sqlite__bind_text(s, 5, h->display_name, sizeof h->display_name) ||
        gr_sqlite__bind_text(s, 6, h->description, sizeof h->description) ||
        gr_sqlite__bind_text(s, 7, h->username, sizeof h->username) ||
        gr_sqlite__bind_text(s, 8, h->icon_url, sizeof h->icon_url) ||
        sqlite3_bind_int(s, 9, h->channel_locked ? 1 : 0) || sqlite3_bind_double(s, 10, h->rate) ||
        sqlite3_bind_int(s, 11, h->burst) || sqlite3_bind_int(s, 12, h->over_limit) ||
        sqlite3_bind_int64(s, 13, h->create_at) || sqlite3_bind_int64(s, 14, h->update_at) ||
        sqlite3_bind_int64(s, 15, h->delete_at) ||
        gr_sqlite__bind_str(s, 16, h->source[0] ? h->source : "mattermost") ||
        gr_sqlite__bind_str(s, 17, h->source_config[0] ? h->source_config : "{}")) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

gr_err gr_sqlite__hook_get(struct gr_store *st, const char *id, struct gr_hook *out)
{
    static const char op[] = "hook_get";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_HOOK_GET,
                         "SELECT " HOOK_COLS " FROM incoming_hooks "
                         "WHERE id = ?1 AND delete_at = 0",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, id) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK)
        hook_row(s, out);
out:
    gr_sqlite__reset(s);
    return rc;
}

/* Steps a hook UPDATE and turns "no live hook had that id" into GR_ENOTFOUND. */
static gr_err update_one(struct gr_sqlite *sq, const char *op, sqlite3_stmt *s)
{
    gr_err rc = gr_sqlite__exec(sq, op, s);

    if (rc == GR_OK && sqlite3_changes(sq->db) == 0)
        rc = GR_ENOTFOUND;
    return rc;
}

gr_err gr_sqlite__hook_update(struct gr_store *st, const struct gr_hook *h)
{
    static const char op[] = "hook_update";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_HOOK_UPDATE,
                         "UPDATE incoming_hooks SET channel_id = ?2, display_name = ?3, "
                         "description = ?4, username = ?5, icon_url = ?6, channel_locked = ?7, "
                         "rate = ?8, burst = ?9, over_limit = ?10, update_at = ?11, "
                         "source = ?12, source_config = ?13 "
                         "WHERE id = ?1 AND delete_at = 0",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_text(s, 1, h->id, sizeof h->id) ||
        gr_sqlite__bind_text(s, 2, h->channel_id, sizeof h->channel_id) ||
        gr_sqlite__bind_text(s, 3, h->display_name, sizeof h->display_name) ||
        gr_sqlite__bind_text(s, 4, h->description, sizeof h->description) ||
        gr_sqlite__bind_text(s, 5, h->username, sizeof h->username) ||
        gr_sqlite__bind_text(s, 6, h->icon_url, sizeof h->icon_url) ||
        sqlite3_bind_int(s, 7, h->channel_locked ? 1 : 0) || sqlite3_bind_double(s, 8, h->rate) ||
        sqlite3_bind_int(s, 9, h->burst) || sqlite3_bind_int(s, 10, h->over_limit) ||
        sqlite3_bind_int64(s, 11, h->update_at) ||
        gr_sqlite__bind_str(s, 12, h->source[0] ? h->source : "mattermost") ||
        gr_sqlite__bind_str(s, 13, h->source_config[0] ? h->source_config : "{}")) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return update_one(sq, op, s);
}

gr_err gr_sqlite__hook_delete(struct gr_store *st, const char *id, int64_t now_ms)
{
    static const char op[] = "hook_delete";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_HOOK_DELETE,
                         "UPDATE incoming_hooks SET delete_at = ?2, update_at = ?2 "
                         "WHERE id = ?1 AND delete_at = 0",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, id) || sqlite3_bind_int64(s, 2, now_ms)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return update_one(sq, op, s);
}

gr_err gr_sqlite__hook_list(struct gr_store *st, const char *team_id, size_t offset, size_t limit,
                            struct gr_hook_list *out)
{
    static const char op[] = "hook_list";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    /* id breaks ties between hooks created in the same millisecond, so pages never overlap. */
    rc = gr_sqlite__stmt(sq, GR_SQ_HOOK_LIST,
                         "SELECT " HOOK_COLS " FROM incoming_hooks "
                         "WHERE delete_at = 0 AND (?1 = '' OR team_id = ?1) "
                         "ORDER BY create_at, id LIMIT ?2 OFFSET ?3",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, team_id) ||
        sqlite3_bind_int64(s, 2, gr_sqlite__page(limit, true)) ||
        sqlite3_bind_int64(s, 3, gr_sqlite__page(offset, false))) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->v = gr_xrealloc(out->v, cap * sizeof *out->v);
        }
        hook_row(s, &out->v[out->n++]);
    }
    if (rc == GR_ENOTFOUND)
        rc = GR_OK; /* the end of the rows */
out:
    gr_sqlite__reset(s);
    if (rc != GR_OK)
        gr_hook_list_free(out);
    return rc;
}

gr_err gr_sqlite__delivery_seen(struct gr_store *st, const char *hook_id, const char *delivery_id,
                                int64_t now_ms, bool *dup_out)
{
    static const char op[] = "delivery_seen";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    *dup_out = false;
    rc = gr_sqlite__stmt(sq, GR_SQ_DELIVERY_SEEN,
                         "INSERT INTO deliveries (hook_id, delivery_id, seen_at) VALUES "
                         "(?1, ?2, ?3) ON CONFLICT (hook_id, delivery_id) DO NOTHING",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, hook_id) || gr_sqlite__bind_str(s, 2, delivery_id) ||
        sqlite3_bind_int64(s, 3, now_ms)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = gr_sqlite__exec(sq, op, s);
    if (rc == GR_OK && sqlite3_changes(sq->db) == 0)
        *dup_out = true;
    return rc;
}

gr_err gr_sqlite__delivery_exists(struct gr_store *st, const char *hook_id,
                                  const char *delivery_id, int64_t since_ms, bool *exists_out)
{
    static const char op[] = "delivery_exists";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    *exists_out = false;
    rc = gr_sqlite__stmt(sq, GR_SQ_DELIVERY_EXISTS,
                         "SELECT 1 FROM deliveries WHERE hook_id = ?1 AND delivery_id = ?2 "
                         "AND seen_at >= ?3",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, hook_id) || gr_sqlite__bind_str(s, 2, delivery_id) ||
        sqlite3_bind_int64(s, 3, since_ms)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    gr_sqlite__reset(s);
    if (rc == GR_OK)
        *exists_out = true;
    return rc == GR_ENOTFOUND ? GR_OK : rc;
}

gr_err gr_sqlite__delivery_expire(struct gr_store *st, int64_t before_ms)
{
    static const char op[] = "delivery_expire";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_DELIVERY_EXPIRE, "DELETE FROM deliveries WHERE seen_at < ?1",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (sqlite3_bind_int64(s, 1, before_ms)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}
