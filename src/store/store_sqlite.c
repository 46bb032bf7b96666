/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite.c - the SQLite back end's connection: opening (file checks, PRAGMAs, schema
 * migrations), the prepared-statement cache, error mapping, transactions, and the ops table.
 * The row operations live in store_sqlite_dir.c, store_sqlite_hooks.c, store_sqlite_posts.c and
 * the other store_sqlite_*.c files (store_sqlite_int.h lists them).
 *
 * Connection model: one struct gr_sqlite per thread (opened SQLITE_OPEN_NOMUTEX, so SQLite takes
 * no locks of its own on it). Several connections, in this process or in a `griot` CLI next to
 * the server, share one file through WAL: readers never block the single writer and see the last
 * commit before their statement began. busy_timeout (10 s) makes a second writer wait instead of
 * failing at once, and gr_store_begin() takes the write lock up front (BEGIN IMMEDIATE) so a
 * transaction never fails half-way on a lock.
 *
 * Durability: synchronous=FULL in WAL mode fsyncs the WAL on every commit, so a commit that
 * returned GR_OK survives kill -9 and power loss (with NORMAL it would survive only kill -9).
 *
 * Migrations: only an opener with GR_STORE_CREATE changes the schema, inside one BEGIN IMMEDIATE
 * transaction guarded by PRAGMA user_version, so two servers racing to create one file apply
 * each migration once, and a crash mid-migration leaves the old version intact.
 */
#include "store/store_sqlite_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/xalloc.h"

#define BUSY_TIMEOUT_MS 10000

/* ---- Errors ---------------------------------------------------------------------------------- */

gr_err gr_sqlite__fail(struct gr_sqlite *sq, const char *op, int sqlite_rc)
{
    switch (sqlite_rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return GR_EEXIST;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        /* The row refers to a team, channel or user that does not exist: a caller error. */
        return GR_EINVAL;
    default:
        break;
    }
    /* sqlite3_errmsg() names tables and columns, never bound values: safe to log. */
    gr_log_error("store", "sqlite %s failed: %s (%s)", op, sqlite3_errmsg(sq->db),
                 sqlite3_errstr(sqlite_rc));
    return GR_ESTORE;
}

/* ---- Statement cache ------------------------------------------------------------------------- */

gr_err gr_sqlite__stmt(struct gr_sqlite *sq, enum gr_sqlite__stmt_id id, const char *sql,
                       const char *op, sqlite3_stmt **out)
{
    int src;

    if (sq->stmts[id] == NULL) {
        /* PERSISTENT: these live as long as the connection, which tells SQLite not to take
         * them from its small lookaside pool. */
        src = sqlite3_prepare_v3(sq->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &sq->stmts[id], NULL);
        if (src != SQLITE_OK) {
            sq->stmts[id] = NULL;
            *out = NULL;
            return gr_sqlite__fail(sq, op, src);
        }
    }
    *out = sq->stmts[id];
    return GR_OK;
}

void gr_sqlite__reset(sqlite3_stmt *s)
{
    if (s == NULL)
        return;
    /* reset returns the last step's error again; the caller already handled it. */
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

gr_err gr_sqlite__exec(struct gr_sqlite *sq, const char *op, sqlite3_stmt *s)
{
    int src = sqlite3_step(s);
    gr_err rc = GR_OK;

    if (src != SQLITE_DONE && src != SQLITE_ROW)
        rc = gr_sqlite__fail(sq, op, src);
    gr_sqlite__reset(s);
    return rc;
}

gr_err gr_sqlite__step_row(struct gr_sqlite *sq, const char *op, sqlite3_stmt *s)
{
    int src = sqlite3_step(s);

    if (src == SQLITE_ROW)
        return GR_OK;
    if (src == SQLITE_DONE)
        return GR_ENOTFOUND;
    return gr_sqlite__fail(sq, op, src);
}

gr_err gr_sqlite__bind_fail(struct gr_sqlite *sq, const char *op)
{
    return gr_sqlite__fail(sq, op, sqlite3_extended_errcode(sq->db));
}

/* ---- Binding and reading --------------------------------------------------------------------- */

int gr_sqlite__bind_text(sqlite3_stmt *s, int idx, const char *text, size_t size)
{
    /* SQLITE_STATIC: the caller's struct outlives the statement's use (reset clears it). */
    return sqlite3_bind_text(s, idx, text, (int)strnlen(text, size), SQLITE_STATIC);
}

int gr_sqlite__bind_str(sqlite3_stmt *s, int idx, const char *str)
{
    return sqlite3_bind_text(s, idx, str != NULL ? str : "", -1, SQLITE_STATIC);
}

int gr_sqlite__bind_char(sqlite3_stmt *s, int idx, char c)
{
    char one[2] = {c, '\0'};
    /* TRANSIENT: `one` dies with this frame. */
    return sqlite3_bind_text(s, idx, one, c != '\0' ? 1 : 0, SQLITE_TRANSIENT);
}

void gr_sqlite__col_text(sqlite3_stmt *s, int col, char *dst, size_t size)
{
    const unsigned char *p = sqlite3_column_text(s, col);
    size_t n = (size_t)sqlite3_column_bytes(s, col);

    if (size == 0)
        return;
    if (p == NULL)
        n = 0;
    if (n >= size) {
        /* Too long for the field (a newer griot or another back end wrote it): cut before the
         * lead byte of the character that does not fit, never inside it. */
        n = size - 1;
        while (n > 0 && (p[n] & 0xC0) == 0x80)
            n--;
    }
    if (n > 0)
        memcpy(dst, p, n);
    dst[n] = '\0';
}

char *gr_sqlite__col_dup(sqlite3_stmt *s, int col, const char *dflt)
{
    const unsigned char *p = sqlite3_column_text(s, col);
    size_t n = (size_t)sqlite3_column_bytes(s, col);

    if (p == NULL)
        return gr_xstrdup(dflt);
    return gr_xstrndup((const char *)p, n);
}

char gr_sqlite__col_char(sqlite3_stmt *s, int col)
{
    const unsigned char *p = sqlite3_column_text(s, col);
    return p != NULL ? (char)p[0] : '\0';
}

int64_t gr_sqlite__page(size_t n, bool zero_is_all)
{
    if (n == 0 && zero_is_all)
        return -1;
    return n > (size_t)INT64_MAX ? INT64_MAX : (int64_t)n;
}

/* ---- Transactions ---------------------------------------------------------------------------- */

static gr_err run(struct gr_sqlite *sq, enum gr_sqlite__stmt_id id, const char *sql, const char *op)
{
    sqlite3_stmt *s;
    gr_err rc = gr_sqlite__stmt(sq, id, sql, op, &s);

    if (rc != GR_OK)
        return rc;
    return gr_sqlite__exec(sq, op, s);
}

static bool in_tx(const struct gr_sqlite *sq)
{
    return sqlite3_get_autocommit(sq->db) == 0;
}

static gr_err sq_begin(struct gr_store *st)
{
    struct gr_sqlite *sq = gr_sqlite__from(st);

    if (in_tx(sq))
        return GR_EINVAL; /* no nesting: a caller bug, not a database failure */
    return run(sq, GR_SQ_BEGIN, "BEGIN IMMEDIATE", "begin");
}

static gr_err sq_commit(struct gr_store *st)
{
    struct gr_sqlite *sq = gr_sqlite__from(st);

    if (!in_tx(sq))
        return GR_EINVAL;
    return run(sq, GR_SQ_COMMIT, "COMMIT", "commit");
}

static void sq_rollback(struct gr_store *st)
{
    struct gr_sqlite *sq = gr_sqlite__from(st);

    /* SQLite may already have rolled back by itself (SQLITE_FULL, SQLITE_IOERR, ...). */
    if (in_tx(sq))
        (void)run(sq, GR_SQ_ROLLBACK, "ROLLBACK", "rollback");
}

gr_err gr_sqlite__atomic_begin(struct gr_sqlite *sq, const char *op, bool *own_tx_out)
{
    *own_tx_out = !in_tx(sq);
    if (*own_tx_out)
        return run(sq, GR_SQ_BEGIN, "BEGIN IMMEDIATE", op);
    return run(sq, GR_SQ_SAVEPOINT, "SAVEPOINT gr_atomic", op);
}

gr_err gr_sqlite__atomic_end(struct gr_sqlite *sq, const char *op, bool own_tx, gr_err rc)
{
    if (own_tx) {
        if (rc == GR_OK)
            rc = run(sq, GR_SQ_COMMIT, "COMMIT", op);
        if (rc != GR_OK && in_tx(sq))
            (void)run(sq, GR_SQ_ROLLBACK, "ROLLBACK", op);
        return rc;
    }
    if (!in_tx(sq))
        return rc != GR_OK ? rc : GR_ESTORE; /* SQLite dropped the caller's transaction */
    if (rc != GR_OK)
        (void)run(sq, GR_SQ_ROLLBACK_TO, "ROLLBACK TO gr_atomic", op);
    /* RELEASE after ROLLBACK TO removes the savepoint and keeps the caller's transaction. */
    gr_err rrc = run(sq, GR_SQ_RELEASE, "RELEASE gr_atomic", op);
    return rc != GR_OK ? rc : rrc;
}

/* ---- Opening --------------------------------------------------------------------------------- */

static gr_err errf(char *errbuf, size_t errlen, gr_err rc, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static gr_err errf(char *errbuf, size_t errlen, gr_err rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(errbuf, errlen, fmt, ap);
    va_end(ap);
    return rc;
}

/* mkdir -p for the directory part of path, each new directory 0700: the store holds hook ids,
 * which are credentials. Existing directories keep their mode. */
static gr_err make_parent(const char *path, char *errbuf, size_t errlen)
{
    char *dir = gr_xstrdup(path);
    char *slash = strrchr(dir, '/');
    struct stat sb;
    gr_err rc = GR_OK;
    int err = 0;

    if (slash == NULL || slash == dir)
        goto out; /* the current directory or "/" */
    *slash = '\0';
    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            err = errno;
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        err = errno;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        rc = errf(errbuf, errlen, GR_EIO, "%s: cannot create directory: %s", dir,
                  strerror(err != 0 ? err : ENOTDIR));
    }
out:
    free(dir);
    return rc;
}

/* Checks the file before SQLite sees it: SQLite would create a missing file silently. With
 * create, makes the directory and an empty 0600 file (SQLite's own default is 0644, and its
 * -wal and -shm files copy the database file's mode). */
static gr_err check_file(const char *path, bool create, char *errbuf, size_t errlen)
{
    struct stat sb;
    gr_err rc;
    int fd;

    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return errf(errbuf, errlen, GR_EINVAL, "%s: is a directory, not a store", path);
        return GR_OK;
    }
    if (errno != ENOENT)
        return errf(errbuf, errlen, GR_EIO, "%s: %s", path, strerror(errno));
    if (!create) {
        return errf(errbuf, errlen, GR_ENOTFOUND, "%s: no such store (run `griot serve` first)",
                    path);
    }
    rc = make_parent(path, errbuf, errlen);
    if (rc != GR_OK)
        return rc;
    fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) /* EEXIST: another opener won the race; fine */
        return errf(errbuf, errlen, GR_EIO, "%s: cannot create: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return GR_OK;
}

/* Runs a one-row PRAGMA (or any one-value query) and returns its value as text or integer. */
static int pragma(struct gr_sqlite *sq, const char *sql, int64_t *int_out, char *text_out,
                  size_t text_size)
{
    sqlite3_stmt *s = NULL;
    int src = sqlite3_prepare_v2(sq->db, sql, -1, &s, NULL);

    if (src != SQLITE_OK)
        goto out;
    src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        if (int_out != NULL)
            *int_out = sqlite3_column_int64(s, 0);
        if (text_out != NULL)
            gr_sqlite__col_text(s, 0, text_out, text_size);
        src = SQLITE_OK;
    } else if (src == SQLITE_DONE) {
        src = SQLITE_OK;
    }
out:
    sqlite3_finalize(s);
    return src;
}

static gr_err configure(struct gr_sqlite *sq, bool is_mem, char *errbuf, size_t errlen)
{
    char mode[16] = "";
    gr_err rc = GR_OK;
    int src;

    sqlite3_extended_result_codes(sq->db, 1);
    sqlite3_busy_timeout(sq->db, BUSY_TIMEOUT_MS);
    /* The first statement reads the file header: a non-database file fails here. */
    src = pragma(sq, "PRAGMA journal_mode=WAL", NULL, mode, sizeof mode);
    if (src != SQLITE_OK)
        goto out;
    if (!is_mem && strcmp(mode, "wal") != 0) {
        /* Still correct and durable, but readers and the writer will block each other. */
        gr_log_warn("store", "%s: journal_mode is %s, not wal (WAL unsupported here?)", sq->path,
                    mode);
    }
    src = sqlite3_exec(sq->db,
                       "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                       "PRAGMA temp_store=MEMORY;",
                       NULL, NULL, NULL);
out:
    if (src != SQLITE_OK)
        rc = errf(errbuf, errlen, GR_ESTORE, "%s: %s", sq->path, sqlite3_errmsg(sq->db));
    return rc;
}

/* Checks user_version and application_id against this griot; 0 = the file is no griot store
 * yet. Returns GR_EINVAL (with errbuf) for a foreign or newer database. */
static gr_err read_version(struct gr_sqlite *sq, int64_t *version_out, char *errbuf, size_t errlen)
{
    int64_t v = 0, app = 0;

    if (pragma(sq, "PRAGMA user_version", &v, NULL, 0) != SQLITE_OK ||
        pragma(sq, "PRAGMA application_id", &app, NULL, 0) != SQLITE_OK)
        return errf(errbuf, errlen, GR_ESTORE, "%s: %s", sq->path, sqlite3_errmsg(sq->db));
    if (app != GR_SQLITE_APPLICATION_ID && (app != 0 || v != 0))
        return errf(errbuf, errlen, GR_EINVAL, "%s: not a griot store", sq->path);
    if (v > gr_sqlite__schema_version) {
        return errf(errbuf, errlen, GR_EINVAL,
                    "%s: store schema %lld is newer than this griot (%d)", sq->path, (long long)v,
                    gr_sqlite__schema_version);
    }
    *version_out = v;
    return GR_OK;
}

static gr_err migrate(struct gr_sqlite *sq, char *errbuf, size_t errlen)
{
    char sql[96];
    int64_t v = 0;
    gr_err rc;
    int src;

    /* IMMEDIATE: the version check and the migrations form one write transaction, so a second
     * creating opener waits here and then finds the schema current. */
    src = sqlite3_exec(sq->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (src != SQLITE_OK)
        return errf(errbuf, errlen, GR_ESTORE, "%s: %s", sq->path, sqlite3_errmsg(sq->db));
    rc = read_version(sq, &v, errbuf, errlen);
    if (rc != GR_OK || v == gr_sqlite__schema_version)
        goto out;
    for (int64_t i = v; i < gr_sqlite__schema_version; i++) {
        src = sqlite3_exec(sq->db, gr_sqlite__migrations[i], NULL, NULL, NULL);
        if (src != SQLITE_OK) {
            rc = errf(errbuf, errlen, GR_ESTORE, "%s: migration %lld failed: %s", sq->path,
                      (long long)i + 1, sqlite3_errmsg(sq->db));
            goto out;
        }
    }
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d;",
             gr_sqlite__schema_version, GR_SQLITE_APPLICATION_ID);
    src = sqlite3_exec(sq->db, sql, NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        rc = errf(errbuf, errlen, GR_ESTORE, "%s: %s", sq->path, sqlite3_errmsg(sq->db));
        goto out;
    }
out:
    if (rc == GR_OK) {
        src = sqlite3_exec(sq->db, "COMMIT", NULL, NULL, NULL);
        if (src != SQLITE_OK)
            rc = errf(errbuf, errlen, GR_ESTORE, "%s: %s", sq->path, sqlite3_errmsg(sq->db));
    }
    if (rc != GR_OK && in_tx(sq))
        sqlite3_exec(sq->db, "ROLLBACK", NULL, NULL, NULL);
    if (rc == GR_OK && v == 0 && strcmp(sq->path, ":memory:") != 0) {
        gr_log_info("store", "%s: created (schema version %d)", sq->path,
                    gr_sqlite__schema_version);
    } else if (rc == GR_OK && v != 0 && v != gr_sqlite__schema_version) {
        gr_log_info("store", "%s: schema migrated from version %lld to %d", sq->path, (long long)v,
                    gr_sqlite__schema_version);
    }
    return rc;
}

static gr_err check_version(struct gr_sqlite *sq, char *errbuf, size_t errlen)
{
    int64_t v = 0;
    gr_err rc = read_version(sq, &v, errbuf, errlen);

    if (rc != GR_OK)
        return rc;
    if (v == 0)
        return errf(errbuf, errlen, GR_ENOTFOUND, "%s: store not initialised (run griot serve)",
                    sq->path);
    if (v < gr_sqlite__schema_version) {
        return errf(errbuf, errlen, GR_EINVAL,
                    "%s: store schema %lld is older than this griot (%d); run griot serve to "
                    "upgrade it",
                    sq->path, (long long)v, gr_sqlite__schema_version);
    }
    return GR_OK;
}

static void sq_close(struct gr_store *st)
{
    struct gr_sqlite *sq = gr_sqlite__from(st);

    if (sq == NULL)
        return;
    for (int i = 0; i < GR_SQ__COUNT; i++)
        sqlite3_finalize(sq->stmts[i]);
    /* An open transaction is rolled back by the close. */
    if (sq->db != NULL && sqlite3_close(sq->db) != SQLITE_OK)
        gr_log_error("store", "sqlite close failed: %s", sqlite3_errmsg(sq->db));
    free(sq->path);
    free(sq);
}

static gr_err sq_open(const char *location, int flags, struct gr_store **out, char *errbuf,
                      size_t errlen)
{
    bool create = (flags & GR_STORE_CREATE) != 0;
    bool is_mem = strcmp(location, ":memory:") == 0;
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    struct gr_sqlite *sq = NULL;
    gr_err rc;
    int src;

    *out = NULL;
    if (!is_mem) {
        rc = check_file(location, create, errbuf, errlen);
        if (rc != GR_OK)
            return rc;
    }
    if (create)
        oflags |= SQLITE_OPEN_CREATE;

    sq = gr_xcalloc(1, sizeof *sq);
    sq->base.ops = &gr_sqlite__ops;
    sq->path = gr_xstrdup(location);
    src = sqlite3_open_v2(location, &sq->db, oflags, NULL);
    if (src != SQLITE_OK) {
        rc = errf(errbuf, errlen, src == SQLITE_CANTOPEN ? GR_EIO : GR_ESTORE, "%s: %s", location,
                  sq->db != NULL ? sqlite3_errmsg(sq->db) : sqlite3_errstr(src));
        goto out;
    }
    rc = configure(sq, is_mem, errbuf, errlen);
    if (rc != GR_OK)
        goto out;
    rc = create ? migrate(sq, errbuf, errlen) : check_version(sq, errbuf, errlen);
    /* The group-commit writer leaves checkpoints to a background thread (gr_store_checkpoint),
     * so copying the WAL back into the database never stalls a commit. */
    if (rc == GR_OK && (flags & GR_STORE_NO_AUTOCHECKPOINT))
        sqlite3_wal_autocheckpoint(sq->db, 0);
out:
    if (rc != GR_OK) {
        sq_close(&sq->base);
        return rc;
    }
    *out = &sq->base;
    return GR_OK;
}

static gr_err sq_checkpoint(struct gr_store *st, bool restart, int *wal_pages_out)
{
    struct gr_sqlite *sq = gr_sqlite__from(st);
    int log = 0, done = 0;
    int src = sqlite3_wal_checkpoint_v2(
            sq->db, NULL, restart ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE, &log,
            &done);

    if (wal_pages_out)
        *wal_pages_out = log;
    if (src != SQLITE_OK && src != SQLITE_BUSY)
        return gr_sqlite__fail(sq, "checkpoint", src);
    return GR_OK;
}

const struct gr_store_ops gr_sqlite__ops = {
        .name = "sqlite",
        .open = sq_open,
        .close = sq_close,
        .begin = sq_begin,
        .commit = sq_commit,
        .rollback = sq_rollback,
        .checkpoint = sq_checkpoint,
        .is_empty = gr_sqlite__is_empty,
        .dir_gen = gr_sqlite__dir_gen,
        .team_insert = gr_sqlite__team_insert,
        .team_get = gr_sqlite__team_get,
        .team_get_by_name = gr_sqlite__team_get_by_name,
        .channel_insert = gr_sqlite__channel_insert,
        .channel_get = gr_sqlite__channel_get,
        .channel_get_by_name = gr_sqlite__channel_get_by_name,
        .channel_list = gr_sqlite__channel_list,
        .user_insert = gr_sqlite__user_insert,
        .user_get = gr_sqlite__user_get,
        .user_get_by_name = gr_sqlite__user_get_by_name,
        .team_member_add = gr_sqlite__team_member_add,
        .channel_member_add = gr_sqlite__channel_member_add,
        .channel_member_is = gr_sqlite__channel_member_is,
        .token_insert = gr_sqlite__token_insert,
        .token_get_by_hash = gr_sqlite__token_get_by_hash,
        /* users and tokens */
        .user_update = gr_sqlite__user_update,
        .user_get_by_email = gr_sqlite__user_get_by_email,
        .user_password_get = gr_sqlite__user_password_get,
        .user_password_set = gr_sqlite__user_password_set,
        .user_list_by_ids = gr_sqlite__user_list_by_ids,
        .bot_list = gr_sqlite__bot_list,
        .token_get = gr_sqlite__token_get,
        .token_list = gr_sqlite__token_list,
        .token_set_active = gr_sqlite__token_set_active,
        .token_delete = gr_sqlite__token_delete,
        .token_touch = gr_sqlite__token_touch,
        .token_delete_user = gr_sqlite__token_delete_user,
        .token_expire = gr_sqlite__token_expire,
        .hook_insert = gr_sqlite__hook_insert,
        .hook_get = gr_sqlite__hook_get,
        .hook_update = gr_sqlite__hook_update,
        .hook_delete = gr_sqlite__hook_delete,
        .hook_list = gr_sqlite__hook_list,
        .post_insert = gr_sqlite__post_insert,
        .post_get = gr_sqlite__post_get,
        .post_list = gr_sqlite__post_list,
        .delivery_seen = gr_sqlite__delivery_seen,
        .delivery_exists = gr_sqlite__delivery_exists,
        .delivery_expire = gr_sqlite__delivery_expire,
        .queue_push = gr_sqlite__queue_push,
        .queue_peek = gr_sqlite__queue_peek,
        .queue_remove = gr_sqlite__queue_remove,
        .queue_depths = gr_sqlite__queue_depths,
        /* channels, posts, reactions */
        .team_member_is = gr_sqlite__team_member_is,
        .user_teams = gr_sqlite__user_teams,
        .user_channels = gr_sqlite__user_channels,
        .channel_members = gr_sqlite__channel_members,
        .channel_member_get = gr_sqlite__channel_member_get,
        .channel_member_remove = gr_sqlite__channel_member_remove,
        .post_update = gr_sqlite__post_update,
        .post_delete = gr_sqlite__post_delete,
        .post_thread = gr_sqlite__post_thread,
        .post_page = gr_sqlite__post_page,
        .post_get_pending = gr_sqlite__post_get_pending,
        .reaction_put = gr_sqlite__reaction_put,
        .reaction_delete = gr_sqlite__reaction_delete,
        .reaction_list = gr_sqlite__reaction_list,
        .post_meta = gr_sqlite__post_meta,
        /* integrations */
        .outgoing_insert = gr_sqlite__outgoing_insert,
        .outgoing_get = gr_sqlite__outgoing_get,
        .outgoing_update = gr_sqlite__outgoing_update,
        .outgoing_delete = gr_sqlite__outgoing_delete,
        .outgoing_list = gr_sqlite__outgoing_list,
        .command_insert = gr_sqlite__command_insert,
        .command_get = gr_sqlite__command_get,
        .command_get_by_trigger = gr_sqlite__command_get_by_trigger,
        .command_update = gr_sqlite__command_update,
        .command_delete = gr_sqlite__command_delete,
        .command_list = gr_sqlite__command_list,
        .command_webhook_insert = gr_sqlite__command_webhook_insert,
        .command_webhook_try_use = gr_sqlite__command_webhook_try_use,
        .command_webhook_expire = gr_sqlite__command_webhook_expire,
        .kv_get = gr_sqlite__kv_get,
        .kv_put = gr_sqlite__kv_put,
        .kv_put_new = gr_sqlite__kv_put_new,
};
