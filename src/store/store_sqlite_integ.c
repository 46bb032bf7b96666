/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite_integ.c - the SQLite back end's integrations that griot calls out to: outgoing
 * webhooks, custom slash commands, the response URLs handed to commands, and the small kv table
 * of server-wide secrets (schema v5; spec mattermost-compat §2-§4).
 *
 * Secrets: a hook's or command's token and signing secret, and the kv values, are stored in
 * clear because griot has to send or sign with them. They are only ever bound as parameters
 * and no error path logs them (gr_sqlite__fail logs SQLite's message, which names columns, not
 * values).
 *
 * Sizes: unlike the older row operations, which cut an unterminated fixed-size field at its
 * array size, these refuse a fixed-size field that is not NUL-terminated within its array with
 * GR_EINVAL: a URL or a secret cut short would be stored wrong without anyone noticing.
 *
 * Deletion of hooks and commands is soft (delete_at); get returns deleted rows too, while
 * update, delete, get_by_trigger and the lists see only live rows. The trigger of a command is
 * unique among the live commands of its team through the partial unique index commands_trigger,
 * so a duplicate is GR_EEXIST from SQLite itself (insert and update alike) and deleting a
 * command frees its trigger.
 *
 * Response URLs: command_webhook_try_use counts a use with one conditional UPDATE, so even two
 * connections racing on the same URL can never take more than max_uses between them (SQLite
 * runs a write statement under the database's single write lock). The SELECT that follows a
 * refused UPDATE only picks the error code; both run in one transaction (the caller's, through
 * a savepoint, or a BEGIN IMMEDIATE of their own) so they see the same row. It writes, so the
 * server calls it on the writer's connection.
 */
#include "store/store_sqlite_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* True when the fixed-size field holds a NUL-terminated string, i.e. its text fits. */
#define FITS(field) (strnlen((field), sizeof(field)) < sizeof(field))

/* A JSON array text to store: NULL and "" become "[]". */
static const char *json_array(const char *text)
{
    return text != NULL && text[0] != '\0' ? text : "[]";
}

/* delete_at = 0 means live, so a soft delete at time 0 would delete nothing. */
static int64_t delete_time(int64_t now_ms)
{
    return now_ms > 0 ? now_ms : 1;
}

/* Steps an UPDATE of one live row and turns "no live row had that id" into GR_ENOTFOUND. */
static gr_err update_one(struct gr_sqlite *sq, const char *op, sqlite3_stmt *s)
{
    gr_err rc = gr_sqlite__exec(sq, op, s);

    if (rc == GR_OK && sqlite3_changes(sq->db) == 0)
        rc = GR_ENOTFOUND;
    return rc;
}

/* ---- Outgoing hooks -------------------------------------------------------------------------- */

#define OUTGOING_COLS                                                                              \
    "id, token, creator_id, team_id, channel_id, trigger_words, trigger_when, callback_urls, "     \
    "display_name, description, content_type, username, icon_url, secret, create_at, "             \
    "update_at, delete_at"

static void outgoing_row(sqlite3_stmt *s, struct gr_outgoing_hook *h)
{
    gr_sqlite__col_text(s, 0, h->id, sizeof h->id);
    gr_sqlite__col_text(s, 1, h->token, sizeof h->token);
    gr_sqlite__col_text(s, 2, h->creator_id, sizeof h->creator_id);
    gr_sqlite__col_text(s, 3, h->team_id, sizeof h->team_id);
    gr_sqlite__col_text(s, 4, h->channel_id, sizeof h->channel_id);
    h->trigger_words = gr_sqlite__col_dup(s, 5, "[]");
    h->trigger_when = sqlite3_column_int(s, 6);
    h->callback_urls = gr_sqlite__col_dup(s, 7, "[]");
    gr_sqlite__col_text(s, 8, h->display_name, sizeof h->display_name);
    gr_sqlite__col_text(s, 9, h->description, sizeof h->description);
    gr_sqlite__col_text(s, 10, h->content_type, sizeof h->content_type);
    gr_sqlite__col_text(s, 11, h->username, sizeof h->username);
    gr_sqlite__col_text(s, 12, h->icon_url, sizeof h->icon_url);
    gr_sqlite__col_text(s, 13, h->secret, sizeof h->secret);
    h->create_at = sqlite3_column_int64(s, 14);
    h->update_at = sqlite3_column_int64(s, 15);
    h->delete_at = sqlite3_column_int64(s, 16);
}

static bool outgoing_fits(const struct gr_outgoing_hook *h)
{
    return FITS(h->id) && FITS(h->token) && FITS(h->creator_id) && FITS(h->team_id) &&
           FITS(h->channel_id) && FITS(h->display_name) && FITS(h->description) &&
           FITS(h->content_type) && FITS(h->username) && FITS(h->icon_url) && FITS(h->secret);
}

/* Binds ?2..?14 (every column but id and the times), shared by insert and update. */
static int outgoing_bind_fields(sqlite3_stmt *s, const struct gr_outgoing_hook *h)
{
    return gr_sqlite__bind_str(s, 2, h->token) || gr_sqlite__bind_str(s, 3, h->creator_id) ||
           gr_sqlite__bind_str(s, 4, h->team_id) || gr_sqlite__bind_str(s, 5, h->channel_id) ||
           gr_sqlite__bind_str(s, 6, json_array(h->trigger_words)) ||
           sqlite3_bind_int(s, 7, h->trigger_when) ||
           gr_sqlite__bind_str(s, 8, json_array(h->callback_urls)) ||
           gr_sqlite__bind_str(s, 9, h->display_name) ||
           gr_sqlite__bind_str(s, 10, h->description) ||
           gr_sqlite__bind_str(s, 11, h->content_type) || gr_sqlite__bind_str(s, 12, h->username) ||
           gr_sqlite__bind_str(s, 13, h->icon_url) || gr_sqlite__bind_str(s, 14, h->secret);
}

gr_err gr_sqlite__outgoing_insert(struct gr_store *st, const struct gr_outgoing_hook *h)
{
    static const char op[] = "outgoing_insert";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    if (!outgoing_fits(h))
        return GR_EINVAL;
    rc = gr_sqlite__stmt(sq, GR_SQ_OUTGOING_INSERT,
                         "INSERT INTO outgoing_hooks (" OUTGOING_COLS ") VALUES "
                         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                         "?16, ?17)",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, h->id) || outgoing_bind_fields(s, h) ||
        sqlite3_bind_int64(s, 15, h->create_at) || sqlite3_bind_int64(s, 16, h->update_at) ||
        sqlite3_bind_int64(s, 17, h->delete_at)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

gr_err gr_sqlite__outgoing_get(struct gr_store *st, const char *id, struct gr_outgoing_hook *out)
{
    static const char op[] = "outgoing_get";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_OUTGOING_GET,
                         "SELECT " OUTGOING_COLS " FROM outgoing_hooks WHERE id = ?1", op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, id) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK)
        outgoing_row(s, out);
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__outgoing_update(struct gr_store *st, const struct gr_outgoing_hook *h)
{
    static const char op[] = "outgoing_update";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    if (!outgoing_fits(h))
        return GR_EINVAL;
    /* Every column but id, create_at and delete_at (only delete sets that). */
    rc = gr_sqlite__stmt(sq, GR_SQ_OUTGOING_UPDATE,
                         "UPDATE outgoing_hooks SET token = ?2, creator_id = ?3, team_id = ?4, "
                         "channel_id = ?5, trigger_words = ?6, trigger_when = ?7, "
                         "callback_urls = ?8, display_name = ?9, description = ?10, "
                         "content_type = ?11, username = ?12, icon_url = ?13, secret = ?14, "
                         "update_at = ?15 WHERE id = ?1 AND delete_at = 0",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, h->id) || outgoing_bind_fields(s, h) ||
        sqlite3_bind_int64(s, 15, h->update_at)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return update_one(sq, op, s);
}

gr_err gr_sqlite__outgoing_delete(struct gr_store *st, const char *id, int64_t now_ms)
{
    static const char op[] = "outgoing_delete";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_OUTGOING_DELETE,
                         "UPDATE outgoing_hooks SET delete_at = ?2, update_at = ?2 "
                         "WHERE id = ?1 AND delete_at = 0",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, id) || sqlite3_bind_int64(s, 2, delete_time(now_ms))) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return update_one(sq, op, s);
}

gr_err gr_sqlite__outgoing_list(struct gr_store *st, const char *team_id, size_t offset,
                                size_t limit, struct gr_outgoing_hook_list *out)
{
    static const char op[] = "outgoing_list";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    /* id breaks ties between hooks created in the same millisecond, so pages never overlap. */
    rc = gr_sqlite__stmt(sq, GR_SQ_OUTGOING_LIST,
                         "SELECT " OUTGOING_COLS " FROM outgoing_hooks "
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
        outgoing_row(s, &out->v[out->n++]);
    }
    if (rc == GR_ENOTFOUND)
        rc = GR_OK; /* the end of the rows */
out:
    gr_sqlite__reset(s);
    if (rc != GR_OK)
        gr_outgoing_hook_list_free(out);
    return rc;
}

/* ---- Slash commands -------------------------------------------------------------------------- */

#define COMMAND_COLS                                                                               \
    "id, token, creator_id, team_id, trigger, method, url, username, icon_url, auto_complete, "    \
    "auto_complete_desc, auto_complete_hint, display_name, description, secret, create_at, "       \
    "update_at, delete_at"

static void command_row(sqlite3_stmt *s, struct gr_command *c)
{
    gr_sqlite__col_text(s, 0, c->id, sizeof c->id);
    gr_sqlite__col_text(s, 1, c->token, sizeof c->token);
    gr_sqlite__col_text(s, 2, c->creator_id, sizeof c->creator_id);
    gr_sqlite__col_text(s, 3, c->team_id, sizeof c->team_id);
    gr_sqlite__col_text(s, 4, c->trigger, sizeof c->trigger);
    gr_sqlite__col_text(s, 5, c->method, sizeof c->method);
    gr_sqlite__col_text(s, 6, c->url, sizeof c->url);
    gr_sqlite__col_text(s, 7, c->username, sizeof c->username);
    gr_sqlite__col_text(s, 8, c->icon_url, sizeof c->icon_url);
    c->auto_complete = sqlite3_column_int(s, 9) != 0;
    gr_sqlite__col_text(s, 10, c->auto_complete_desc, sizeof c->auto_complete_desc);
    gr_sqlite__col_text(s, 11, c->auto_complete_hint, sizeof c->auto_complete_hint);
    gr_sqlite__col_text(s, 12, c->display_name, sizeof c->display_name);
    gr_sqlite__col_text(s, 13, c->description, sizeof c->description);
    gr_sqlite__col_text(s, 14, c->secret, sizeof c->secret);
    c->create_at = sqlite3_column_int64(s, 15);
    c->update_at = sqlite3_column_int64(s, 16);
    c->delete_at = sqlite3_column_int64(s, 17);
}

static bool command_fits(const struct gr_command *c)
{
    return FITS(c->id) && FITS(c->token) && FITS(c->creator_id) && FITS(c->team_id) &&
           FITS(c->trigger) && FITS(c->method) && FITS(c->url) && FITS(c->username) &&
           FITS(c->icon_url) && FITS(c->auto_complete_desc) && FITS(c->auto_complete_hint) &&
           FITS(c->display_name) && FITS(c->description) && FITS(c->secret);
}

/* Binds ?2..?15 (every column but id and the times), shared by insert and update. An empty
 * method is stored as "P", Mattermost's default. */
static int command_bind_fields(sqlite3_stmt *s, const struct gr_command *c)
{
    return gr_sqlite__bind_str(s, 2, c->token) || gr_sqlite__bind_str(s, 3, c->creator_id) ||
           gr_sqlite__bind_str(s, 4, c->team_id) || gr_sqlite__bind_str(s, 5, c->trigger) ||
           gr_sqlite__bind_str(s, 6, c->method[0] ? c->method : "P") ||
           gr_sqlite__bind_str(s, 7, c->url) || gr_sqlite__bind_str(s, 8, c->username) ||
           gr_sqlite__bind_str(s, 9, c->icon_url) ||
           sqlite3_bind_int(s, 10, c->auto_complete ? 1 : 0) ||
           gr_sqlite__bind_str(s, 11, c->auto_complete_desc) ||
           gr_sqlite__bind_str(s, 12, c->auto_complete_hint) ||
           gr_sqlite__bind_str(s, 13, c->display_name) ||
           gr_sqlite__bind_str(s, 14, c->description) || gr_sqlite__bind_str(s, 15, c->secret);
}

gr_err gr_sqlite__command_insert(struct gr_store *st, const struct gr_command *c)
{
    static const char op[] = "command_insert";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    if (!command_fits(c))
        return GR_EINVAL;
    rc = gr_sqlite__stmt(sq, GR_SQ_COMMAND_INSERT,
                         "INSERT INTO commands (" COMMAND_COLS ") VALUES "
                         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                         "?16, ?17, ?18)",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, c->id) || command_bind_fields(s, c) ||
        sqlite3_bind_int64(s, 16, c->create_at) || sqlite3_bind_int64(s, 17, c->update_at) ||
        sqlite3_bind_int64(s, 18, c->delete_at)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s); /* a live duplicate trigger: GR_EEXIST */
}

/* Runs a command SELECT bound to one or two text parameters and reads its single row. */
static gr_err command_select(struct gr_sqlite *sq, const char *op, sqlite3_stmt *s, const char *p1,
                             const char *p2, struct gr_command *out)
{
    gr_err rc;

    if (gr_sqlite__bind_str(s, 1, p1) || (p2 != NULL && gr_sqlite__bind_str(s, 2, p2))) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK)
        command_row(s, out);
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__command_get(struct gr_store *st, const char *id, struct gr_command *out)
{
    static const char op[] = "command_get";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_COMMAND_GET,
                         "SELECT " COMMAND_COLS " FROM commands WHERE id = ?1", op, &s);
    if (rc != GR_OK)
        return rc;
    return command_select(sq, op, s, id, NULL, out);
}

gr_err gr_sqlite__command_get_by_trigger(struct gr_store *st, const char *team_id,
                                         const char *trigger, struct gr_command *out)
{
    static const char op[] = "command_get_by_trigger";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    /* "delete_at = 0" spelled as in commands_trigger's WHERE, so SQLite uses that index. */
    rc = gr_sqlite__stmt(sq, GR_SQ_COMMAND_GET_BY_TRIGGER,
                         "SELECT " COMMAND_COLS " FROM commands "
                         "WHERE team_id = ?1 AND trigger = ?2 AND delete_at = 0",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    return command_select(sq, op, s, team_id, trigger, out);
}

gr_err gr_sqlite__command_update(struct gr_store *st, const struct gr_command *c)
{
    static const char op[] = "command_update";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    if (!command_fits(c))
        return GR_EINVAL;
    /* Every column but id, create_at and delete_at (only delete sets that). */
    rc = gr_sqlite__stmt(sq, GR_SQ_COMMAND_UPDATE,
                         "UPDATE commands SET token = ?2, creator_id = ?3, team_id = ?4, "
                         "trigger = ?5, method = ?6, url = ?7, username = ?8, icon_url = ?9, "
                         "auto_complete = ?10, auto_complete_desc = ?11, "
                         "auto_complete_hint = ?12, display_name = ?13, description = ?14, "
                         "secret = ?15, update_at = ?16 WHERE id = ?1 AND delete_at = 0",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, c->id) || command_bind_fields(s, c) ||
        sqlite3_bind_int64(s, 16, c->update_at)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return update_one(sq, op, s);
}

gr_err gr_sqlite__command_delete(struct gr_store *st, const char *id, int64_t now_ms)
{
    static const char op[] = "command_delete";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_COMMAND_DELETE,
                         "UPDATE commands SET delete_at = ?2, update_at = ?2 "
                         "WHERE id = ?1 AND delete_at = 0",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, id) || sqlite3_bind_int64(s, 2, delete_time(now_ms))) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return update_one(sq, op, s);
}

gr_err gr_sqlite__command_list(struct gr_store *st, const char *team_id,
                               struct gr_command_list *out)
{
    static const char op[] = "command_list";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    /* Across teams one trigger can repeat: team_id, then id keep the order stable. */
    rc = gr_sqlite__stmt(sq, GR_SQ_COMMAND_LIST,
                         "SELECT " COMMAND_COLS " FROM commands "
                         "WHERE delete_at = 0 AND (?1 = '' OR team_id = ?1) "
                         "ORDER BY trigger, team_id, id",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, team_id)) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->v = gr_xrealloc(out->v, cap * sizeof *out->v);
        }
        command_row(s, &out->v[out->n++]);
    }
    if (rc == GR_ENOTFOUND)
        rc = GR_OK; /* the end of the rows */
out:
    gr_sqlite__reset(s);
    if (rc != GR_OK)
        gr_command_list_free(out);
    return rc;
}

/* ---- Response URLs (command webhooks) -------------------------------------------------------- */

gr_err gr_sqlite__command_webhook_insert(struct gr_store *st, const struct gr_command_webhook *w)
{
    static const char op[] = "command_webhook_insert";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    if (!(FITS(w->id) && FITS(w->command_id) && FITS(w->user_id) && FITS(w->channel_id) &&
          FITS(w->root_id)))
        return GR_EINVAL;
    rc = gr_sqlite__stmt(sq, GR_SQ_CMD_WEBHOOK_INSERT,
                         "INSERT INTO command_webhooks (id, command_id, user_id, channel_id, "
                         "root_id, create_at, use_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, w->id) || gr_sqlite__bind_str(s, 2, w->command_id) ||
        gr_sqlite__bind_str(s, 3, w->user_id) || gr_sqlite__bind_str(s, 4, w->channel_id) ||
        gr_sqlite__bind_str(s, 5, w->root_id) || sqlite3_bind_int64(s, 6, w->create_at) ||
        sqlite3_bind_int(s, 7, w->use_count)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

/* After the conditional UPDATE refused: GR_ETOOBIG when the URL exists and is still fresh (so
 * it was its use count), GR_ENOTFOUND when it is missing or expired. */
static gr_err why_refused(struct gr_sqlite *sq, const char *id, int64_t not_before_ms)
{
    static const char op[] = "command_webhook_try_use";
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_CMD_WEBHOOK_WHY,
                         "SELECT 1 FROM command_webhooks WHERE id = ?1 AND create_at >= ?2", op,
                         &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, id) || sqlite3_bind_int64(s, 2, not_before_ms)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    gr_sqlite__reset(s);
    return rc == GR_OK ? GR_ETOOBIG : rc;
}

gr_err gr_sqlite__command_webhook_try_use(struct gr_store *st, const char *id,
                                          int64_t not_before_ms, int max_uses,
                                          struct gr_command_webhook *out)
{
    static const char op[] = "command_webhook_try_use";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    bool own_tx;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__atomic_begin(sq, op, &own_tx);
    if (rc != GR_OK)
        return rc;
    /* Check and count in one statement: the use is taken only if it is still allowed. */
    rc = gr_sqlite__stmt(sq, GR_SQ_CMD_WEBHOOK_USE,
                         "UPDATE command_webhooks SET use_count = use_count + 1 "
                         "WHERE id = ?1 AND create_at >= ?2 AND use_count < ?3 "
                         "RETURNING id, command_id, user_id, channel_id, root_id, create_at, "
                         "use_count",
                         op, &s);
    if (rc != GR_OK)
        goto out;
    if (gr_sqlite__bind_str(s, 1, id) || sqlite3_bind_int64(s, 2, not_before_ms) ||
        sqlite3_bind_int(s, 3, max_uses)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        goto out;
    }
    /* SQLite applies the whole UPDATE on the first step; the RETURNING row comes with it. */
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc == GR_OK) {
        gr_sqlite__col_text(s, 0, out->id, sizeof out->id);
        gr_sqlite__col_text(s, 1, out->command_id, sizeof out->command_id);
        gr_sqlite__col_text(s, 2, out->user_id, sizeof out->user_id);
        gr_sqlite__col_text(s, 3, out->channel_id, sizeof out->channel_id);
        gr_sqlite__col_text(s, 4, out->root_id, sizeof out->root_id);
        out->create_at = sqlite3_column_int64(s, 5);
        out->use_count = sqlite3_column_int(s, 6);
    }
    gr_sqlite__reset(s);
    if (rc == GR_ENOTFOUND)
        rc = why_refused(sq, id, not_before_ms);
out:
    /* A refusal changed nothing, so rolling it back (savepoint or own transaction) is free. */
    return gr_sqlite__atomic_end(sq, op, own_tx, rc);
}

gr_err gr_sqlite__command_webhook_expire(struct gr_store *st, int64_t before_ms)
{
    static const char op[] = "command_webhook_expire";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_CMD_WEBHOOK_EXPIRE,
                         "DELETE FROM command_webhooks WHERE create_at < ?1", op, &s);
    if (rc != GR_OK)
        return rc;
    if (sqlite3_bind_int64(s, 1, before_ms)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

/* ---- kv -------------------------------------------------------------------------------------- */

gr_err gr_sqlite__kv_get(struct gr_store *st, const char *key, char *value_out, size_t size)
{
    static const char op[] = "kv_get";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_KV_GET, "SELECT value FROM kv WHERE key = ?1", op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, key) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc != GR_OK)
        goto out;
    /* A secret cut short would be a different secret: refuse instead. */
    if ((size_t)sqlite3_column_bytes(s, 0) >= size) {
        rc = GR_ETOOBIG;
        goto out;
    }
    gr_sqlite__col_text(s, 0, value_out, size);
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__kv_put(struct gr_store *st, const char *key, const char *value)
{
    static const char op[] = "kv_put";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_KV_PUT,
                         "INSERT INTO kv (key, value) VALUES (?1, ?2) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, key) || gr_sqlite__bind_str(s, 2, value)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

gr_err gr_sqlite__kv_put_new(struct gr_store *st, const char *key, const char *value)
{
    static const char op[] = "kv_put_new";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    /* A plain INSERT: the primary key turns a second writer's attempt into GR_EEXIST, and the
     * first value stays. */
    rc = gr_sqlite__stmt(sq, GR_SQ_KV_PUT_NEW, "INSERT INTO kv (key, value) VALUES (?1, ?2)", op,
                         &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, key) || gr_sqlite__bind_str(s, 2, value)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}
