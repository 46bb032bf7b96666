/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite_int.h - what the files of the SQLite back end share: the connection struct, the
 * prepared-statement cache, row/column helpers and the per-file operations that
 * store_sqlite.c puts into gr_sqlite__ops.
 *
 * Files: store_sqlite.c (connection, PRAGMAs, migrations, statement cache, errors,
 * transactions), store_sqlite_schema.c (the migrations), store_sqlite_dir.c (teams, channels,
 * memberships), store_sqlite_users.c (users, passwords, bots, access tokens and sessions),
 * store_sqlite_hooks.c (incoming hooks), store_sqlite_posts.c (posts), store_sqlite_integ.c
 * (outgoing hooks, slash commands, response URLs, kv). Only these files include sqlite3.h.
 *
 * Statement cache: every SQL statement has a slot in enum gr_sqlite__stmt_id. The SQL text stays
 * at its single call site, next to the code that binds and reads its columns; gr_sqlite__stmt()
 * prepares it the first time and hands back the cached statement afterwards. Every user of a
 * statement finishes with gr_sqlite__reset() (reset + clear bindings), on every path.
 */
#ifndef GR_STORE_STORE_SQLITE_INT_H
#define GR_STORE_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store/store_int.h"

/* One slot per SQL statement; each is used at exactly one call site. */
enum gr_sqlite__stmt_id {
    GR_SQ_IS_EMPTY,
    GR_SQ_DIR_GEN,
    GR_SQ_TEAM_INSERT,
    GR_SQ_TEAM_GET,
    GR_SQ_TEAM_GET_BY_NAME,
    GR_SQ_CHANNEL_INSERT,
    GR_SQ_CHANNEL_GET,
    GR_SQ_CHANNEL_GET_BY_NAME,
    GR_SQ_CHANNEL_LIST,
    GR_SQ_USER_INSERT,
    GR_SQ_USER_GET,
    GR_SQ_USER_GET_BY_NAME,
    GR_SQ_TEAM_MEMBER_ADD,
    GR_SQ_CHANNEL_MEMBER_ADD,
    GR_SQ_CHANNEL_MEMBER_IS,
    GR_SQ_TOKEN_INSERT,
    GR_SQ_TOKEN_GET_BY_HASH,
    /* users and tokens (store_sqlite_users.c) */
    GR_SQ_USER_UPDATE,
    GR_SQ_USER_GET_BY_EMAIL,
    GR_SQ_USER_PASSWORD_GET,
    GR_SQ_USER_PASSWORD_SET,
    GR_SQ_BOT_LIST,
    GR_SQ_TOKEN_GET,
    GR_SQ_TOKEN_LIST,
    GR_SQ_TOKEN_SET_ACTIVE,
    GR_SQ_TOKEN_DELETE,
    GR_SQ_TOKEN_TOUCH,
    GR_SQ_TOKEN_DELETE_USER,
    GR_SQ_TOKEN_EXPIRE,
    GR_SQ_HOOK_INSERT,
    GR_SQ_HOOK_GET,
    GR_SQ_HOOK_UPDATE,
    GR_SQ_HOOK_DELETE,
    GR_SQ_HOOK_LIST,
    GR_SQ_POST_INSERT,
    GR_SQ_POST_BUMP_CHANNEL,
    GR_SQ_POST_GET,
    GR_SQ_POST_LIST,
    GR_SQ_DELIVERY_SEEN,
    GR_SQ_DELIVERY_EXISTS,
    GR_SQ_DELIVERY_EXPIRE,
    GR_SQ_QUEUE_PUSH,
    GR_SQ_QUEUE_PEEK,
    GR_SQ_QUEUE_REMOVE,
    GR_SQ_QUEUE_DEPTHS,
    /* channels, posts, reactions (store_sqlite_posts2.c) */
    GR_SQ_TEAM_MEMBER_IS,
    GR_SQ_USER_TEAMS,
    GR_SQ_USER_CHANNELS,
    GR_SQ_CHANNEL_MEMBERS,
    GR_SQ_CHANNEL_MEMBER_GET,
    GR_SQ_CHANNEL_MEMBER_REMOVE,
    GR_SQ_POST_UPDATE,
    GR_SQ_POST_DELETE,
    GR_SQ_POST_THREAD,
    GR_SQ_POST_CURSOR,
    GR_SQ_POST_PAGE_BEFORE,
    GR_SQ_POST_PAGE_AFTER,
    GR_SQ_POST_SINCE,
    GR_SQ_POST_OLDER,
    GR_SQ_POST_NEWER,
    GR_SQ_POST_PENDING,
    GR_SQ_REACTION_PUT,
    GR_SQ_REACTION_DELETE,
    GR_SQ_REACTION_TOUCH_POST,
    GR_SQ_REACTION_LIST,
    GR_SQ_POST_META_REPLIES,
    GR_SQ_POST_META_REACTIONS,
    /* integrations (store_sqlite_integ.c) */
    GR_SQ_OUTGOING_INSERT,
    GR_SQ_OUTGOING_GET,
    GR_SQ_OUTGOING_UPDATE,
    GR_SQ_OUTGOING_DELETE,
    GR_SQ_OUTGOING_LIST,
    GR_SQ_COMMAND_INSERT,
    GR_SQ_COMMAND_GET,
    GR_SQ_COMMAND_GET_BY_TRIGGER,
    GR_SQ_COMMAND_UPDATE,
    GR_SQ_COMMAND_DELETE,
    GR_SQ_COMMAND_LIST,
    GR_SQ_CMD_WEBHOOK_INSERT,
    GR_SQ_CMD_WEBHOOK_USE,
    GR_SQ_CMD_WEBHOOK_WHY,
    GR_SQ_CMD_WEBHOOK_EXPIRE,
    GR_SQ_KV_GET,
    GR_SQ_KV_PUT,
    GR_SQ_KV_PUT_NEW,
    GR_SQ_BEGIN,
    GR_SQ_COMMIT,
    GR_SQ_ROLLBACK,
    GR_SQ_SAVEPOINT,
    GR_SQ_RELEASE,
    GR_SQ_ROLLBACK_TO,
    GR_SQ__COUNT
};

/* A SQLite connection. Used by one thread at a time (the database is opened NOMUTEX). */
struct gr_sqlite {
    struct gr_store base; /* must be first */
    sqlite3 *db;
    char *path; /* file path or ":memory:"; for error messages, never logged with secrets */
    sqlite3_stmt *stmts[GR_SQ__COUNT];
};

/* The schema: gr_sqlite__migrations[i] brings user_version i to i + 1 (store_sqlite_schema.c). */
extern const char *const gr_sqlite__migrations[];
/* The number of migrations, which is also the schema version this griot writes and expects. */
extern const int gr_sqlite__schema_version;
/* Written into PRAGMA application_id by migration 1 so a griot store can be told apart. */
#define GR_SQLITE_APPLICATION_ID 0x6772696f /* "grio" */

static inline struct gr_sqlite *gr_sqlite__from(struct gr_store *st)
{
    return (struct gr_sqlite *)st;
}

/* Returns in *out the cached statement for slot id, preparing sql on first use. GR_ESTORE (logged
 * with op) if preparing fails. */
gr_err gr_sqlite__stmt(struct gr_sqlite *sq, enum gr_sqlite__stmt_id id, const char *sql,
                       const char *op, sqlite3_stmt **out);
/* Resets s and clears its bindings, so the next user starts clean; accepts NULL. */
void gr_sqlite__reset(sqlite3_stmt *s);
/* Maps an SQLite result code that is neither SQLITE_ROW nor SQLITE_DONE to a gr_err: unique or
 * primary-key violation -> GR_EEXIST, foreign-key violation -> GR_EINVAL, anything else ->
 * GR_ESTORE after one gr_log_error line naming op and SQLite's message (which names tables and
 * columns but never bound values, so no hook id or token hash reaches the log). */
gr_err gr_sqlite__fail(struct gr_sqlite *sq, const char *op, int sqlite_rc);
/* Steps a write statement that returns no rows, then resets it. GR_OK on SQLITE_DONE. */
gr_err gr_sqlite__exec(struct gr_sqlite *sq, const char *op, sqlite3_stmt *s);
/* Steps a query once without resetting it: GR_OK on a row, GR_ENOTFOUND when there is none,
 * gr_sqlite__fail() otherwise. */
gr_err gr_sqlite__step_row(struct gr_sqlite *sq, const char *op, sqlite3_stmt *s);
/* The gr_err for a failed sqlite3_bind_*() (which records its error on the connection). */
gr_err gr_sqlite__bind_fail(struct gr_sqlite *sq, const char *op);

/* The binders return SQLite result codes (SQLITE_OK = 0), so a statement's binds chain with ||
 * and a failure goes to gr_sqlite__bind_fail(). */
/* Binds the NUL-terminated string s, reading at most size bytes of it, so an unterminated
 * fixed-size field never reads past its array. s must stay valid until gr_sqlite__reset(). */
int gr_sqlite__bind_text(sqlite3_stmt *s, int idx, const char *text, size_t size);
/* Binds a NUL-terminated string (no bound); NULL binds "". */
int gr_sqlite__bind_str(sqlite3_stmt *s, int idx, const char *str);
/* Binds a one-character string for a type column ('O', 'P', ...); 0 binds "". */
int gr_sqlite__bind_char(sqlite3_stmt *s, int idx, char c);

/* Copies the text of column col into dst[size], truncating at a UTF-8 character boundary when it
 * does not fit; dst is always NUL-terminated. SQL NULL gives "". */
void gr_sqlite__col_text(sqlite3_stmt *s, int col, char *dst, size_t size);
/* Returns a malloc'd exact copy of column col's text, or of dflt when it is SQL NULL. */
char *gr_sqlite__col_dup(sqlite3_stmt *s, int col, const char *dflt);
/* The first byte of column col's text, or 0 for "" or NULL. */
char gr_sqlite__col_char(sqlite3_stmt *s, int col);

/* A size_t LIMIT or OFFSET as SQLite's int64, clamped; with zero_is_all, 0 becomes -1 (no
 * limit). */
int64_t gr_sqlite__page(size_t n, bool zero_is_all);

/* Makes a group of statements atomic. Outside a transaction it runs BEGIN IMMEDIATE; inside the
 * caller's transaction it sets a savepoint, so a failure undoes only this group. */
gr_err gr_sqlite__atomic_begin(struct gr_sqlite *sq, const char *op, bool *own_tx_out);
/* Commits (or releases) the group when rc is GR_OK, rolls it back otherwise; returns the final
 * result (a failed COMMIT turns GR_OK into an error). */
gr_err gr_sqlite__atomic_end(struct gr_sqlite *sq, const char *op, bool own_tx, gr_err rc);

/* Operations implemented in the other files; see store.h for the contracts. */
gr_err gr_sqlite__is_empty(struct gr_store *st, bool *empty_out);
gr_err gr_sqlite__dir_gen(struct gr_store *st, int64_t *gen_out);
gr_err gr_sqlite__team_insert(struct gr_store *st, const struct gr_team *t);
gr_err gr_sqlite__team_get(struct gr_store *st, const char *id, struct gr_team *out);
gr_err gr_sqlite__team_get_by_name(struct gr_store *st, const char *name, struct gr_team *out);
gr_err gr_sqlite__channel_insert(struct gr_store *st, const struct gr_channel *c);
gr_err gr_sqlite__channel_get(struct gr_store *st, const char *id, struct gr_channel *out);
gr_err gr_sqlite__channel_get_by_name(struct gr_store *st, const char *team_id, const char *name,
                                      bool include_deleted, struct gr_channel *out);
gr_err gr_sqlite__channel_list(struct gr_store *st, const char *team_id,
                               struct gr_channel_list *out);
gr_err gr_sqlite__user_insert(struct gr_store *st, const struct gr_user *u);
gr_err gr_sqlite__user_get(struct gr_store *st, const char *id, struct gr_user *out);
gr_err gr_sqlite__user_get_by_name(struct gr_store *st, const char *username, struct gr_user *out);
gr_err gr_sqlite__team_member_add(struct gr_store *st, const char *team_id, const char *user_id);
gr_err gr_sqlite__channel_member_add(struct gr_store *st, const char *channel_id,
                                     const char *user_id);
gr_err gr_sqlite__channel_member_is(struct gr_store *st, const char *channel_id,
                                    const char *user_id, bool *is_out);
gr_err gr_sqlite__token_insert(struct gr_store *st, const struct gr_token *t);
gr_err gr_sqlite__token_get_by_hash(struct gr_store *st, const char *hash, struct gr_token *out);

/* store_sqlite_users.c: users and tokens (the insert/get/get_by_name/get_by_hash above live there
 * too) */
gr_err gr_sqlite__user_update(struct gr_store *st, const struct gr_user *u);
gr_err gr_sqlite__user_get_by_email(struct gr_store *st, const char *email, struct gr_user *out);
gr_err gr_sqlite__user_password_get(struct gr_store *st, const char *user_id, char *out,
                                    size_t size);
gr_err gr_sqlite__user_password_set(struct gr_store *st, const char *user_id, const char *hash,
                                    int64_t now_ms);
gr_err gr_sqlite__user_list_by_ids(struct gr_store *st, const char *const *ids, size_t n,
                                   struct gr_user_list *out);
gr_err gr_sqlite__bot_list(struct gr_store *st, const char *owner_id, bool include_deleted,
                           bool only_orphaned, size_t offset, size_t limit,
                           struct gr_user_list *out);
gr_err gr_sqlite__token_get(struct gr_store *st, const char *id, struct gr_token *out);
gr_err gr_sqlite__token_list(struct gr_store *st, const char *user_id, const char *kind,
                             size_t offset, size_t limit, struct gr_token_list *out);
gr_err gr_sqlite__token_set_active(struct gr_store *st, const char *id, bool is_active);
gr_err gr_sqlite__token_delete(struct gr_store *st, const char *id);
gr_err gr_sqlite__token_touch(struct gr_store *st, const char *id, int64_t now_ms);
gr_err gr_sqlite__token_delete_user(struct gr_store *st, const char *user_id, const char *kind);
gr_err gr_sqlite__token_expire(struct gr_store *st, int64_t now_ms);

gr_err gr_sqlite__hook_insert(struct gr_store *st, const struct gr_hook *h);
gr_err gr_sqlite__hook_get(struct gr_store *st, const char *id, struct gr_hook *out);
gr_err gr_sqlite__hook_update(struct gr_store *st, const struct gr_hook *h);
gr_err gr_sqlite__hook_delete(struct gr_store *st, const char *id, int64_t now_ms);
gr_err gr_sqlite__hook_list(struct gr_store *st, const char *team_id, size_t offset, size_t limit,
                            struct gr_hook_list *out);

gr_err gr_sqlite__post_insert(struct gr_store *st, const struct gr_post *p);
gr_err gr_sqlite__post_get(struct gr_store *st, const char *id, struct gr_post *out);
gr_err gr_sqlite__post_list(struct gr_store *st, const char *channel_id, size_t limit,
                            struct gr_post_list *out);

gr_err gr_sqlite__delivery_seen(struct gr_store *st, const char *hook_id, const char *delivery_id,
                                int64_t now_ms, bool *dup_out);
gr_err gr_sqlite__delivery_exists(struct gr_store *st, const char *hook_id,
                                  const char *delivery_id, int64_t since_ms, bool *exists_out);
gr_err gr_sqlite__delivery_expire(struct gr_store *st, int64_t before_ms);

/* store_sqlite_queue.c */
gr_err gr_sqlite__queue_push(struct gr_store *st, const struct gr_queued *q);
gr_err gr_sqlite__queue_peek(struct gr_store *st, const char *hook_id, size_t limit,
                             struct gr_queued_list *out);
gr_err gr_sqlite__queue_remove(struct gr_store *st, int64_t seq);
gr_err gr_sqlite__queue_depths(struct gr_store *st, struct gr_queue_depth **out, size_t *n_out);

/* ---- channels, posts, reactions ---- */
/* store_sqlite_posts.c: the posts columns every posts SELECT names, in the order
 * gr_sqlite__post_row() reads them (they change together). */
#define GR_SQ_POST_COLS                                                                            \
    "id, user_id, channel_id, root_id, type, message, props, create_at, update_at, edit_at, "      \
    "delete_at, is_pinned, pending_post_id"
#define GR_SQ_POST_NCOLS 13
void gr_sqlite__post_row(sqlite3_stmt *s, struct gr_post *p);
/* store_sqlite_posts2.c */
gr_err gr_sqlite__team_member_is(struct gr_store *st, const char *team_id, const char *user_id,
                                 bool *is_out);
gr_err gr_sqlite__user_teams(struct gr_store *st, const char *user_id, struct gr_team_list *out);
gr_err gr_sqlite__user_channels(struct gr_store *st, const char *user_id, const char *team_id,
                                bool include_deleted, struct gr_channel_list *out);
gr_err gr_sqlite__channel_members(struct gr_store *st, const char *channel_id, size_t offset,
                                  size_t limit, struct gr_channel_member_list *out);
gr_err gr_sqlite__channel_member_get(struct gr_store *st, const char *channel_id,
                                     const char *user_id, struct gr_channel_member *out);
gr_err gr_sqlite__channel_member_remove(struct gr_store *st, const char *channel_id,
                                        const char *user_id);
gr_err gr_sqlite__post_update(struct gr_store *st, const struct gr_post *p);
gr_err gr_sqlite__post_delete(struct gr_store *st, const char *id, int64_t now_ms);
gr_err gr_sqlite__post_thread(struct gr_store *st, const char *root_id, struct gr_post_list *out);
gr_err gr_sqlite__post_page(struct gr_store *st, const struct gr_post_query *q,
                            struct gr_post_page *out);
gr_err gr_sqlite__post_get_pending(struct gr_store *st, const char *user_id,
                                   const char *pending_post_id, int64_t since_ms,
                                   struct gr_post *out);
gr_err gr_sqlite__reaction_put(struct gr_store *st, const struct gr_reaction *r);
gr_err gr_sqlite__reaction_delete(struct gr_store *st, const char *post_id, const char *user_id,
                                  const char *emoji_name, int64_t now_ms);
gr_err gr_sqlite__reaction_list(struct gr_store *st, const char *post_id,
                                struct gr_reaction_list *out);
/* store_sqlite_meta.c */
gr_err gr_sqlite__post_meta(struct gr_store *st, const struct gr_post *posts, size_t n,
                            bool with_reactions, struct gr_post_meta_list *out);

/* ---- integrations (store_sqlite_integ.c) ---- */
gr_err gr_sqlite__outgoing_insert(struct gr_store *st, const struct gr_outgoing_hook *h);
gr_err gr_sqlite__outgoing_get(struct gr_store *st, const char *id, struct gr_outgoing_hook *out);
gr_err gr_sqlite__outgoing_update(struct gr_store *st, const struct gr_outgoing_hook *h);
gr_err gr_sqlite__outgoing_delete(struct gr_store *st, const char *id, int64_t now_ms);
gr_err gr_sqlite__outgoing_list(struct gr_store *st, const char *team_id, size_t offset,
                                size_t limit, struct gr_outgoing_hook_list *out);
gr_err gr_sqlite__command_insert(struct gr_store *st, const struct gr_command *c);
gr_err gr_sqlite__command_get(struct gr_store *st, const char *id, struct gr_command *out);
gr_err gr_sqlite__command_get_by_trigger(struct gr_store *st, const char *team_id,
                                         const char *trigger, struct gr_command *out);
gr_err gr_sqlite__command_update(struct gr_store *st, const struct gr_command *c);
gr_err gr_sqlite__command_delete(struct gr_store *st, const char *id, int64_t now_ms);
gr_err gr_sqlite__command_list(struct gr_store *st, const char *team_id,
                               struct gr_command_list *out);
gr_err gr_sqlite__command_webhook_insert(struct gr_store *st, const struct gr_command_webhook *w);
gr_err gr_sqlite__command_webhook_try_use(struct gr_store *st, const char *id,
                                          int64_t not_before_ms, int max_uses,
                                          struct gr_command_webhook *out);
gr_err gr_sqlite__command_webhook_expire(struct gr_store *st, int64_t before_ms);
gr_err gr_sqlite__kv_get(struct gr_store *st, const char *key, char *value_out, size_t size);
gr_err gr_sqlite__kv_put(struct gr_store *st, const char *key, const char *value);
gr_err gr_sqlite__kv_put_new(struct gr_store *st, const char *key, const char *value);

#endif
