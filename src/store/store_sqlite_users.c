/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite_users.c - the SQLite back end's accounts: users (people and bots), their password
 * hashes, and access tokens (personal access tokens and login sessions).
 *
 * Workload: a token lookup by hash and a user lookup by id run on every authenticated request,
 * both one probe of a unique index through a cached statement. Everything else (login, bot and
 * token management) is rare. last_used_at is written at most once a minute per token by the
 * caller (app/auth.c), so authentication stays a read in the common case.
 *
 * Secrets: the tokens table holds only SHA-256 digests of tokens, and users.password_hash an
 * argon2id encoding; neither is ever logged (gr_sqlite__fail logs SQLite's message, which names
 * columns, never bound values). The password hash is deliberately outside struct gr_user: only
 * user_password_get/_set touch that column.
 *
 * Each *_COLS macro and its *_row() reader change together.
 */
#include "store/store_sqlite_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* ---- Users ----------------------------------------------------------------------------------- */

#define USER_COLS                                                                                  \
    "id, username, email, nickname, roles, is_bot, create_at, update_at, delete_at, first_name, "  \
    "last_name, position, locale, bot_description, bot_owner_id, last_password_update"

static void user_row(sqlite3_stmt *s, struct gr_user *u)
{
    gr_sqlite__col_text(s, 0, u->id, sizeof u->id);
    gr_sqlite__col_text(s, 1, u->username, sizeof u->username);
    gr_sqlite__col_text(s, 2, u->email, sizeof u->email);
    gr_sqlite__col_text(s, 3, u->nickname, sizeof u->nickname);
    gr_sqlite__col_text(s, 4, u->roles, sizeof u->roles);
    u->is_bot = sqlite3_column_int(s, 5) != 0;
    u->create_at = sqlite3_column_int64(s, 6);
    u->update_at = sqlite3_column_int64(s, 7);
    u->delete_at = sqlite3_column_int64(s, 8);
    gr_sqlite__col_text(s, 9, u->first_name, sizeof u->first_name);
    gr_sqlite__col_text(s, 10, u->last_name, sizeof u->last_name);
    gr_sqlite__col_text(s, 11, u->position, sizeof u->position);
    gr_sqlite__col_text(s, 12, u->locale, sizeof u->locale);
    gr_sqlite__col_text(s, 13, u->bot_description, sizeof u->bot_description);
    gr_sqlite__col_text(s, 14, u->bot_owner_id, sizeof u->bot_owner_id);
    u->last_password_update = sqlite3_column_int64(s, 15);
}

/* Copies an ASCII-lowercased username into dst[GR_NAME_SIZE]; false if it cannot fit, in which
 * case no stored username can match it. Mattermost lowercases usernames (NormalizeUsername). */
static bool lower_name(const char *src, size_t srcsize, char dst[GR_NAME_SIZE])
{
    size_t n = strnlen(src, srcsize);

    if (n >= GR_NAME_SIZE)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    dst[n] = '\0';
    return true;
}

/* Binds the columns shared by insert and update, from index 2 on (1 is the id). */
static int bind_user(sqlite3_stmt *s, const struct gr_user *u, const char *name)
{
    return gr_sqlite__bind_text(s, 2, name, GR_NAME_SIZE) ||
           gr_sqlite__bind_text(s, 3, u->email, sizeof u->email) ||
           gr_sqlite__bind_text(s, 4, u->nickname, sizeof u->nickname) ||
           gr_sqlite__bind_text(s, 5, u->roles, sizeof u->roles) ||
           sqlite3_bind_int64(s, 6, u->update_at) || sqlite3_bind_int64(s, 7, u->delete_at) ||
           gr_sqlite__bind_text(s, 8, u->first_name, sizeof u->first_name) ||
           gr_sqlite__bind_text(s, 9, u->last_name, sizeof u->last_name) ||
           gr_sqlite__bind_text(s, 10, u->position, sizeof u->position) ||
           gr_sqlite__bind_str(s, 11, u->locale[0] ? u->locale : "en") ||
           gr_sqlite__bind_text(s, 12, u->bot_description, sizeof u->bot_description) ||
           gr_sqlite__bind_text(s, 13, u->bot_owner_id, sizeof u->bot_owner_id);
}

gr_err gr_sqlite__user_insert(struct gr_store *st, const struct gr_user *u)
{
    static const char op[] = "user_insert";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    char name[GR_NAME_SIZE];
    sqlite3_stmt *s;
    gr_err rc;

    (void)lower_name(u->username, sizeof u->username, name); /* always fits: same size */
    rc = gr_sqlite__stmt(sq, GR_SQ_USER_INSERT,
                         "INSERT INTO users (id, username, email, nickname, roles, update_at, "
                         "delete_at, first_name, last_name, position, locale, bot_description, "
                         "bot_owner_id, is_bot, create_at) VALUES "
                         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_text(s, 1, u->id, sizeof u->id) || bind_user(s, u, name) ||
        sqlite3_bind_int(s, 14, u->is_bot ? 1 : 0) || sqlite3_bind_int64(s, 15, u->create_at)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    /* `name` is bound SQLITE_STATIC and stays alive through the step inside exec. */
    return gr_sqlite__exec(sq, op, s);
}

gr_err gr_sqlite__user_update(struct gr_store *st, const struct gr_user *u)
{
    static const char op[] = "user_update";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    char name[GR_NAME_SIZE];
    sqlite3_stmt *s;
    gr_err rc;

    (void)lower_name(u->username, sizeof u->username, name);
    rc = gr_sqlite__stmt(sq, GR_SQ_USER_UPDATE,
                         "UPDATE users SET username = ?2, email = ?3, nickname = ?4, roles = ?5, "
                         "update_at = ?6, delete_at = ?7, first_name = ?8, last_name = ?9, "
                         "position = ?10, locale = ?11, bot_description = ?12, "
                         "bot_owner_id = ?13 WHERE id = ?1",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_text(s, 1, u->id, sizeof u->id) || bind_user(s, u, name)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = gr_sqlite__exec(sq, op, s);
    if (rc == GR_OK && sqlite3_changes(sq->db) == 0)
        rc = GR_ENOTFOUND;
    return rc;
}

static gr_err user_by(struct gr_sqlite *sq, enum gr_sqlite__stmt_id id, const char *sql,
                      const char *op, const char *key, struct gr_user *out)
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
        user_row(s, out);
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__user_get(struct gr_store *st, const char *id, struct gr_user *out)
{
    return user_by(gr_sqlite__from(st), GR_SQ_USER_GET,
                   "SELECT " USER_COLS " FROM users WHERE id = ?1", "user_get", id, out);
}

gr_err gr_sqlite__user_get_by_name(struct gr_store *st, const char *username, struct gr_user *out)
{
    char name[GR_NAME_SIZE];

    if (!lower_name(username, (size_t)-1, name))
        return GR_ENOTFOUND;
    return user_by(gr_sqlite__from(st), GR_SQ_USER_GET_BY_NAME,
                   "SELECT " USER_COLS " FROM users WHERE username = ?1", "user_get_by_name", name,
                   out);
}

gr_err gr_sqlite__user_get_by_email(struct gr_store *st, const char *email, struct gr_user *out)
{
    /* No index on email: logins by email are rare and the users table is small. The oldest
     * account wins if an email was ever stored twice (app/auth.c refuses duplicates). */
    return user_by(gr_sqlite__from(st), GR_SQ_USER_GET_BY_EMAIL,
                   "SELECT " USER_COLS " FROM users WHERE email = ?1 COLLATE NOCASE "
                   "AND email <> '' ORDER BY create_at, id LIMIT 1",
                   "user_get_by_email", email, out);
}

gr_err gr_sqlite__user_password_get(struct gr_store *st, const char *user_id, char *out,
                                    size_t size)
{
    static const char op[] = "user_password_get";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_USER_PASSWORD_GET,
                         "SELECT password_hash FROM users WHERE id = ?1", op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, user_id) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    rc = gr_sqlite__step_row(sq, op, s);
    if (rc != GR_OK)
        goto out;
    /* A truncated hash would only fail to verify; say so instead. */
    if ((size_t)sqlite3_column_bytes(s, 0) >= size) {
        rc = GR_ETOOBIG;
        goto out;
    }
    gr_sqlite__col_text(s, 0, out, size);
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__user_password_set(struct gr_store *st, const char *user_id, const char *hash,
                                    int64_t now_ms)
{
    static const char op[] = "user_password_set";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_USER_PASSWORD_SET,
                         "UPDATE users SET password_hash = ?2, last_password_update = ?3, "
                         "update_at = ?3 WHERE id = ?1",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, user_id) || gr_sqlite__bind_str(s, 2, hash) ||
        sqlite3_bind_int64(s, 3, now_ms)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = gr_sqlite__exec(sq, op, s);
    if (rc == GR_OK && sqlite3_changes(sq->db) == 0)
        rc = GR_ENOTFOUND;
    return rc;
}

/* Appends the row under s to l, growing it by doubling. */
static void user_push(struct gr_user_list *l, size_t *cap, sqlite3_stmt *s)
{
    if (l->n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        l->v = gr_xrealloc(l->v, *cap * sizeof *l->v);
    }
    user_row(s, &l->v[l->n++]);
}

gr_err gr_sqlite__user_list_by_ids(struct gr_store *st, const char *const *ids, size_t n,
                                   struct gr_user_list *out)
{
    gr_err rc = GR_OK;

    /* One indexed probe per id through the cached user_get statement: callers ask for a page
     * of ids at most (the API caps the list), and this keeps the order they asked for. */
    if (n > 0)
        out->v = gr_xcalloc(n, sizeof *out->v);
    for (size_t i = 0; i < n; i++) {
        rc = gr_sqlite__user_get(st, ids[i], &out->v[out->n]);
        if (rc == GR_ENOTFOUND) {
            rc = GR_OK;
            continue;
        }
        if (rc != GR_OK)
            break;
        out->n++;
    }
    if (rc != GR_OK)
        gr_user_list_free(out);
    return rc;
}

gr_err gr_sqlite__bot_list(struct gr_store *st, const char *owner_id, bool include_deleted,
                           bool only_orphaned, size_t offset, size_t limit,
                           struct gr_user_list *out)
{
    static const char op[] = "bot_list";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_BOT_LIST,
                         "SELECT " USER_COLS " FROM users AS u WHERE is_bot = 1 "
                         "AND (?1 = '' OR bot_owner_id = ?1) AND (?2 OR delete_at = 0) "
                         "AND (NOT ?3 OR NOT EXISTS (SELECT 1 FROM users AS o "
                         "WHERE o.id = u.bot_owner_id AND o.delete_at = 0)) "
                         "ORDER BY create_at, id LIMIT ?4 OFFSET ?5",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, owner_id) || sqlite3_bind_int(s, 2, include_deleted) ||
        sqlite3_bind_int(s, 3, only_orphaned) ||
        sqlite3_bind_int64(s, 4, gr_sqlite__page(limit, true)) ||
        sqlite3_bind_int64(s, 5, gr_sqlite__page(offset, false))) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK)
        user_push(out, &cap, s);
    if (rc == GR_ENOTFOUND)
        rc = GR_OK; /* the end of the rows */
out:
    gr_sqlite__reset(s);
    if (rc != GR_OK)
        gr_user_list_free(out);
    return rc;
}

/* ---- Tokens ---------------------------------------------------------------------------------- */

#define TOKEN_COLS                                                                                 \
    "id, user_id, hash, description, is_active, create_at, kind, expires_at, last_used_at"

static void token_row(sqlite3_stmt *s, struct gr_token *t)
{
    gr_sqlite__col_text(s, 0, t->id, sizeof t->id);
    gr_sqlite__col_text(s, 1, t->user_id, sizeof t->user_id);
    gr_sqlite__col_text(s, 2, t->hash, sizeof t->hash);
    gr_sqlite__col_text(s, 3, t->description, sizeof t->description);
    t->is_active = sqlite3_column_int(s, 4) != 0;
    t->create_at = sqlite3_column_int64(s, 5);
    gr_sqlite__col_text(s, 6, t->kind, sizeof t->kind);
    t->expires_at = sqlite3_column_int64(s, 7);
    t->last_used_at = sqlite3_column_int64(s, 8);
}

gr_err gr_sqlite__token_insert(struct gr_store *st, const struct gr_token *t)
{
    static const char op[] = "token_insert";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_TOKEN_INSERT,
                         "INSERT INTO tokens (" TOKEN_COLS ") VALUES "
                         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_text(s, 1, t->id, sizeof t->id) ||
        gr_sqlite__bind_text(s, 2, t->user_id, sizeof t->user_id) ||
        gr_sqlite__bind_text(s, 3, t->hash, sizeof t->hash) ||
        gr_sqlite__bind_text(s, 4, t->description, sizeof t->description) ||
        sqlite3_bind_int(s, 5, t->is_active ? 1 : 0) || sqlite3_bind_int64(s, 6, t->create_at) ||
        gr_sqlite__bind_str(s, 7, t->kind[0] ? t->kind : GR_TOKEN_PAT) ||
        sqlite3_bind_int64(s, 8, t->expires_at) || sqlite3_bind_int64(s, 9, t->last_used_at)) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}

static gr_err token_by(struct gr_sqlite *sq, enum gr_sqlite__stmt_id id, const char *sql,
                       const char *op, const char *key, struct gr_token *out)
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
        token_row(s, out);
out:
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__token_get_by_hash(struct gr_store *st, const char *hash, struct gr_token *out)
{
    return token_by(gr_sqlite__from(st), GR_SQ_TOKEN_GET_BY_HASH,
                    "SELECT " TOKEN_COLS " FROM tokens WHERE hash = ?1", "token_get_by_hash", hash,
                    out);
}

gr_err gr_sqlite__token_get(struct gr_store *st, const char *id, struct gr_token *out)
{
    return token_by(gr_sqlite__from(st), GR_SQ_TOKEN_GET,
                    "SELECT " TOKEN_COLS " FROM tokens WHERE id = ?1", "token_get", id, out);
}

gr_err gr_sqlite__token_list(struct gr_store *st, const char *user_id, const char *kind,
                             size_t offset, size_t limit, struct gr_token_list *out)
{
    static const char op[] = "token_list";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    size_t cap = 0;
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_TOKEN_LIST,
                         "SELECT " TOKEN_COLS " FROM tokens WHERE (?1 = '' OR user_id = ?1) "
                         "AND kind = ?2 ORDER BY create_at, id LIMIT ?3 OFFSET ?4",
                         op, &s);
    if (rc != GR_OK)
        return rc;
    if (gr_sqlite__bind_str(s, 1, user_id) || gr_sqlite__bind_str(s, 2, kind) ||
        sqlite3_bind_int64(s, 3, gr_sqlite__page(limit, true)) ||
        sqlite3_bind_int64(s, 4, gr_sqlite__page(offset, false))) {
        rc = gr_sqlite__bind_fail(sq, op);
        goto out;
    }
    while ((rc = gr_sqlite__step_row(sq, op, s)) == GR_OK) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
            out->v = gr_xrealloc(out->v, cap * sizeof *out->v);
        }
        token_row(s, &out->v[out->n++]);
    }
    if (rc == GR_ENOTFOUND)
        rc = GR_OK;
out:
    gr_sqlite__reset(s);
    if (rc != GR_OK)
        gr_token_list_free(out);
    return rc;
}

/* Runs a one-row write keyed by ?1 = key with an optional integer ?2; GR_ENOTFOUND when
 * must_match and no row changed. */
static gr_err token_write(struct gr_sqlite *sq, enum gr_sqlite__stmt_id id, const char *sql,
                          const char *op, const char *key, const char *text2, int64_t num2,
                          bool must_match)
{
    sqlite3_stmt *s;
    gr_err rc;
    int brc;

    rc = gr_sqlite__stmt(sq, id, sql, op, &s);
    if (rc != GR_OK)
        return rc;
    brc = gr_sqlite__bind_str(s, 1, key);
    if (brc == SQLITE_OK && sqlite3_bind_parameter_count(s) >= 2)
        brc = text2 != NULL ? gr_sqlite__bind_str(s, 2, text2) : sqlite3_bind_int64(s, 2, num2);
    if (brc != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    rc = gr_sqlite__exec(sq, op, s);
    if (rc == GR_OK && must_match && sqlite3_changes(sq->db) == 0)
        rc = GR_ENOTFOUND;
    return rc;
}

gr_err gr_sqlite__token_set_active(struct gr_store *st, const char *id, bool is_active)
{
    return token_write(gr_sqlite__from(st), GR_SQ_TOKEN_SET_ACTIVE,
                       "UPDATE tokens SET is_active = ?2 WHERE id = ?1", "token_set_active", id,
                       NULL, is_active ? 1 : 0, true);
}

gr_err gr_sqlite__token_delete(struct gr_store *st, const char *id)
{
    return token_write(gr_sqlite__from(st), GR_SQ_TOKEN_DELETE, "DELETE FROM tokens WHERE id = ?1",
                       "token_delete", id, NULL, 0, true);
}

gr_err gr_sqlite__token_touch(struct gr_store *st, const char *id, int64_t now_ms)
{
    return token_write(gr_sqlite__from(st), GR_SQ_TOKEN_TOUCH,
                       "UPDATE tokens SET last_used_at = ?2 WHERE id = ?1", "token_touch", id, NULL,
                       now_ms, true);
}

gr_err gr_sqlite__token_delete_user(struct gr_store *st, const char *user_id, const char *kind)
{
    return token_write(gr_sqlite__from(st), GR_SQ_TOKEN_DELETE_USER,
                       "DELETE FROM tokens WHERE user_id = ?1 AND kind = ?2", "token_delete_user",
                       user_id, kind, 0, false);
}

gr_err gr_sqlite__token_expire(struct gr_store *st, int64_t now_ms)
{
    static const char op[] = "token_expire";
    struct gr_sqlite *sq = gr_sqlite__from(st);
    sqlite3_stmt *s;
    gr_err rc;

    rc = gr_sqlite__stmt(sq, GR_SQ_TOKEN_EXPIRE,
                         "DELETE FROM tokens WHERE expires_at > 0 AND expires_at <= ?1", op, &s);
    if (rc != GR_OK)
        return rc;
    if (sqlite3_bind_int64(s, 1, now_ms) != SQLITE_OK) {
        rc = gr_sqlite__bind_fail(sq, op);
        gr_sqlite__reset(s);
        return rc;
    }
    return gr_sqlite__exec(sq, op, s);
}
