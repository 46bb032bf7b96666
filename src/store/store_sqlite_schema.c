/* SPDX-License-Identifier: MIT */
/*
 * store_sqlite_schema.c - the SQLite schema, as a list of migrations.
 *
 * gr_sqlite__migrations[i] takes a database from PRAGMA user_version i to i + 1; store_sqlite.c
 * runs the missing ones in order inside one BEGIN IMMEDIATE transaction and then sets
 * user_version to the count. Rules for whoever adds migration N+1:
 * - Never edit a migration that has shipped; append a new one (ALTER TABLE ... ADD COLUMN, new
 *   tables, new indexes). Append it to the array; the count follows automatically.
 * - Every column is NOT NULL with a DEFAULT, and the code names its columns in every INSERT and
 *   SELECT (never `SELECT *`), so an added column never breaks an older statement.
 * - No PRAGMA that cannot run inside a transaction (journal_mode, foreign_keys) belongs here.
 * - Keep the same table and column names in the PostgreSQL schema (tag-store-schema) so the
 *   statements of both back ends stay alike.
 *
 * Expected growth: source-specific hook settings (columns on incoming_hooks), the delivery queue
 * tables, user passwords and sessions.
 */
#include "store/store_sqlite_int.h"

/* tag-store-schema */
static const char v1[] =
        "CREATE TABLE teams (\n"
        "    id           TEXT    NOT NULL PRIMARY KEY,\n"
        "    name         TEXT    NOT NULL UNIQUE,\n"
        "    display_name TEXT    NOT NULL DEFAULT '',\n"
        "    type         TEXT    NOT NULL DEFAULT 'O',\n"
        "    create_at    INTEGER NOT NULL DEFAULT 0,\n"
        "    update_at    INTEGER NOT NULL DEFAULT 0,\n"
        "    delete_at    INTEGER NOT NULL DEFAULT 0\n"
        ");\n"
        /* team_id is '' for direct and group channels, so it cannot reference teams. */
        "CREATE TABLE channels (\n"
        "    id              TEXT    NOT NULL PRIMARY KEY,\n"
        "    team_id         TEXT    NOT NULL DEFAULT '',\n"
        "    name            TEXT    NOT NULL,\n"
        "    display_name    TEXT    NOT NULL DEFAULT '',\n"
        "    type            TEXT    NOT NULL DEFAULT 'O',\n"
        "    creator_id      TEXT    NOT NULL DEFAULT '',\n"
        "    header          TEXT    NOT NULL DEFAULT '',\n"
        "    purpose         TEXT    NOT NULL DEFAULT '',\n"
        "    create_at       INTEGER NOT NULL DEFAULT 0,\n"
        "    update_at       INTEGER NOT NULL DEFAULT 0,\n"
        "    delete_at       INTEGER NOT NULL DEFAULT 0,\n"
        "    last_post_at    INTEGER NOT NULL DEFAULT 0,\n"
        "    total_msg_count INTEGER NOT NULL DEFAULT 0,\n"
        "    UNIQUE (team_id, name)\n"
        ");\n"
        "CREATE TABLE users (\n"
        "    id        TEXT    NOT NULL PRIMARY KEY,\n"
        "    username  TEXT    NOT NULL UNIQUE,\n"
        "    email     TEXT    NOT NULL DEFAULT '',\n"
        "    nickname  TEXT    NOT NULL DEFAULT '',\n"
        "    roles     TEXT    NOT NULL DEFAULT 'system_user',\n"
        "    is_bot    INTEGER NOT NULL DEFAULT 0,\n"
        "    create_at INTEGER NOT NULL DEFAULT 0,\n"
        "    update_at INTEGER NOT NULL DEFAULT 0,\n"
        "    delete_at INTEGER NOT NULL DEFAULT 0\n"
        ");\n"
        "CREATE TABLE team_members (\n"
        "    team_id TEXT NOT NULL REFERENCES teams (id),\n"
        "    user_id TEXT NOT NULL REFERENCES users (id),\n"
        "    PRIMARY KEY (team_id, user_id)\n"
        ") WITHOUT ROWID;\n"
        "CREATE INDEX team_members_user ON team_members (user_id);\n"
        "CREATE TABLE channel_members (\n"
        "    channel_id TEXT NOT NULL REFERENCES channels (id),\n"
        "    user_id    TEXT NOT NULL REFERENCES users (id),\n"
        "    PRIMARY KEY (channel_id, user_id)\n"
        ") WITHOUT ROWID;\n"
        "CREATE INDEX channel_members_user ON channel_members (user_id);\n"
        /* Only the SHA-256 of a token is stored. */
        "CREATE TABLE tokens (\n"
        "    id          TEXT    NOT NULL PRIMARY KEY,\n"
        "    user_id     TEXT    NOT NULL REFERENCES users (id),\n"
        "    hash        TEXT    NOT NULL UNIQUE,\n"
        "    description TEXT    NOT NULL DEFAULT '',\n"
        "    is_active   INTEGER NOT NULL DEFAULT 1,\n"
        "    create_at   INTEGER NOT NULL DEFAULT 0\n"
        ");\n"
        "CREATE INDEX tokens_user ON tokens (user_id);\n"
        /* rate < 0, burst < 0, over_limit < 0 mean "the server default" (store.h). */
        "CREATE TABLE incoming_hooks (\n"
        "    id             TEXT    NOT NULL PRIMARY KEY,\n"
        "    user_id        TEXT    NOT NULL REFERENCES users (id),\n"
        "    channel_id     TEXT    NOT NULL REFERENCES channels (id),\n"
        "    team_id        TEXT    NOT NULL DEFAULT '',\n"
        "    display_name   TEXT    NOT NULL DEFAULT '',\n"
        "    description    TEXT    NOT NULL DEFAULT '',\n"
        "    username       TEXT    NOT NULL DEFAULT '',\n"
        "    icon_url       TEXT    NOT NULL DEFAULT '',\n"
        "    channel_locked INTEGER NOT NULL DEFAULT 0,\n"
        "    rate           REAL    NOT NULL DEFAULT -1,\n"
        "    burst          INTEGER NOT NULL DEFAULT -1,\n"
        "    over_limit     INTEGER NOT NULL DEFAULT -1,\n"
        "    create_at      INTEGER NOT NULL DEFAULT 0,\n"
        "    update_at      INTEGER NOT NULL DEFAULT 0,\n"
        "    delete_at      INTEGER NOT NULL DEFAULT 0\n"
        ");\n"
        "CREATE INDEX incoming_hooks_team ON incoming_hooks (team_id, create_at);\n"
        "CREATE INDEX incoming_hooks_channel ON incoming_hooks (channel_id);\n"
        /* seq is the rowid: it records insertion order, which breaks ties on create_at (the parts
         * of a split message share one create_at). AUTOINCREMENT: a seq is never reused, even
         * after the newest post is deleted, so anything that remembers a seq (a future
         * WebSocket resume point) stays valid. user_id has no foreign key so imported or
         * system posts can name users griot does not know. */
        "CREATE TABLE posts (\n"
        "    seq             INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "    id              TEXT    NOT NULL UNIQUE,\n"
        "    create_at       INTEGER NOT NULL DEFAULT 0,\n"
        "    update_at       INTEGER NOT NULL DEFAULT 0,\n"
        "    edit_at         INTEGER NOT NULL DEFAULT 0,\n"
        "    delete_at       INTEGER NOT NULL DEFAULT 0,\n"
        "    user_id         TEXT    NOT NULL DEFAULT '',\n"
        "    channel_id      TEXT    NOT NULL REFERENCES channels (id),\n"
        "    root_id         TEXT    NOT NULL DEFAULT '',\n"
        "    original_id     TEXT    NOT NULL DEFAULT '',\n"
        "    message         TEXT    NOT NULL DEFAULT '',\n"
        "    type            TEXT    NOT NULL DEFAULT '',\n"
        "    props           TEXT    NOT NULL DEFAULT '{}',\n"
        "    hashtags        TEXT    NOT NULL DEFAULT '',\n"
        "    pending_post_id TEXT    NOT NULL DEFAULT '',\n"
        "    is_pinned       INTEGER NOT NULL DEFAULT 0\n"
        ");\n"
        "CREATE INDEX posts_channel ON posts (channel_id, create_at, seq);\n"
        "CREATE INDEX posts_root ON posts (root_id) WHERE root_id <> '';\n";

/* v2: the per-hook delivery queue. A row is one post waiting for its hook's rate limiter;
 * seq (AUTOINCREMENT, never reused) is the arrival order that the pacer preserves. The pacer
 * moves rows to posts in one transaction (insert the post, delete the row). */
static const char v2[] =
        "CREATE TABLE hook_queue (\n"
        "    seq         INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "    hook_id     TEXT    NOT NULL,\n"
        "    dm_user_id  TEXT    NOT NULL DEFAULT '',\n"
        "    enqueued_at INTEGER NOT NULL DEFAULT 0,\n"
        "    post_id     TEXT    NOT NULL,\n"
        "    user_id     TEXT    NOT NULL DEFAULT '',\n"
        "    channel_id  TEXT    NOT NULL DEFAULT '',\n"
        "    root_id     TEXT    NOT NULL DEFAULT '',\n"
        "    type        TEXT    NOT NULL DEFAULT '',\n"
        "    message     TEXT    NOT NULL DEFAULT '',\n"
        "    props       TEXT    NOT NULL DEFAULT '{}'\n"
        ");\n"
        "CREATE INDEX hook_queue_hook ON hook_queue (hook_id, seq);\n";

/* v3: native sources. A hook's source and its settings (secrets, auth, filters, template,
 * routing) as one JSON document, so new settings need no migration; and the delivery ids seen
 * per hook (replay protection), expired after a window. */
static const char v3[] =
        "ALTER TABLE incoming_hooks ADD COLUMN source TEXT NOT NULL DEFAULT 'mattermost';\n"
        "ALTER TABLE incoming_hooks ADD COLUMN source_config TEXT NOT NULL DEFAULT '{}';\n"
        "CREATE TABLE deliveries (\n"
        "    hook_id     TEXT    NOT NULL,\n"
        "    delivery_id TEXT    NOT NULL,\n"
        "    seen_at     INTEGER NOT NULL,\n"
        "    PRIMARY KEY (hook_id, delivery_id)\n"
        ");\n"
        "CREATE INDEX deliveries_seen ON deliveries (seen_at);\n";

/* v4: accounts and the REST/WebSocket surface (issue "Bots and clients"). Users get a
 * password hash (argon2id, encoded) and profile/bot fields; tokens become sessions or
 * personal access tokens with an expiry; posts get reactions; channel members get roles and
 * join times. */
static const char v4[] =
        "ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';\n"
        "ALTER TABLE users ADD COLUMN first_name TEXT NOT NULL DEFAULT '';\n"
        "ALTER TABLE users ADD COLUMN last_name TEXT NOT NULL DEFAULT '';\n"
        "ALTER TABLE users ADD COLUMN position TEXT NOT NULL DEFAULT '';\n"
        "ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';\n"
        "ALTER TABLE users ADD COLUMN bot_description TEXT NOT NULL DEFAULT '';\n"
        "ALTER TABLE users ADD COLUMN bot_owner_id TEXT NOT NULL DEFAULT '';\n"
        "ALTER TABLE users ADD COLUMN last_password_update INTEGER NOT NULL DEFAULT 0;\n"
        "ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'pat';\n"
        "ALTER TABLE tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;\n"
        "ALTER TABLE tokens ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;\n"
        "ALTER TABLE channel_members ADD COLUMN roles TEXT NOT NULL DEFAULT 'channel_user';\n"
        "ALTER TABLE channel_members ADD COLUMN create_at INTEGER NOT NULL DEFAULT 0;\n"
        "CREATE TABLE reactions (\n"
        "    post_id    TEXT    NOT NULL,\n"
        "    user_id    TEXT    NOT NULL,\n"
        "    emoji_name TEXT    NOT NULL,\n"
        "    channel_id TEXT    NOT NULL DEFAULT '',\n"
        "    create_at  INTEGER NOT NULL DEFAULT 0,\n"
        "    PRIMARY KEY (post_id, user_id, emoji_name)\n"
        ") WITHOUT ROWID;\n"
        "CREATE INDEX posts_pending ON posts (user_id, pending_post_id) "
        "WHERE pending_post_id <> '';\n";

/* v5: integrations that griot calls (issue 5; spec mattermost-compat §2-§4). Outgoing hooks and
 * slash commands keep their token and signing secret in clear: griot must send them, so a hash
 * would not do (the file is 0600 for that reason). trigger_words and callback_urls are JSON
 * arrays of strings as text. A command's trigger is unique among the live commands of a team
 * (partial unique index), so deleting a command frees its trigger. command_webhooks are the
 * response URLs of §3.7 (30 minutes, 5 uses); expired rows are deleted by create_at. kv holds
 * server-wide secrets and settings that must live with the data (integration signing secret,
 * cookie key). */
static const char v5[] =
        "CREATE TABLE outgoing_hooks (\n"
        "    id            TEXT    NOT NULL PRIMARY KEY,\n"
        "    token         TEXT    NOT NULL DEFAULT '',\n"
        "    creator_id    TEXT    NOT NULL REFERENCES users (id),\n"
        "    team_id       TEXT    NOT NULL REFERENCES teams (id),\n"
        "    channel_id    TEXT    NOT NULL DEFAULT '',\n"
        "    trigger_words TEXT    NOT NULL DEFAULT '[]',\n"
        "    trigger_when  INTEGER NOT NULL DEFAULT 0,\n"
        "    callback_urls TEXT    NOT NULL DEFAULT '[]',\n"
        "    display_name  TEXT    NOT NULL DEFAULT '',\n"
        "    description   TEXT    NOT NULL DEFAULT '',\n"
        "    content_type  TEXT    NOT NULL DEFAULT '',\n"
        "    username      TEXT    NOT NULL DEFAULT '',\n"
        "    icon_url      TEXT    NOT NULL DEFAULT '',\n"
        "    secret        TEXT    NOT NULL DEFAULT '',\n"
        "    create_at     INTEGER NOT NULL DEFAULT 0,\n"
        "    update_at     INTEGER NOT NULL DEFAULT 0,\n"
        "    delete_at     INTEGER NOT NULL DEFAULT 0\n"
        ");\n"
        "CREATE INDEX outgoing_hooks_team ON outgoing_hooks (team_id, create_at);\n"
        "CREATE TABLE commands (\n"
        "    id                 TEXT    NOT NULL PRIMARY KEY,\n"
        "    token              TEXT    NOT NULL DEFAULT '',\n"
        "    creator_id         TEXT    NOT NULL REFERENCES users (id),\n"
        "    team_id            TEXT    NOT NULL REFERENCES teams (id),\n"
        "    trigger            TEXT    NOT NULL,\n"
        "    method             TEXT    NOT NULL DEFAULT 'P',\n"
        "    url                TEXT    NOT NULL DEFAULT '',\n"
        "    username           TEXT    NOT NULL DEFAULT '',\n"
        "    icon_url           TEXT    NOT NULL DEFAULT '',\n"
        "    auto_complete      INTEGER NOT NULL DEFAULT 0,\n"
        "    auto_complete_desc TEXT    NOT NULL DEFAULT '',\n"
        "    auto_complete_hint TEXT    NOT NULL DEFAULT '',\n"
        "    display_name       TEXT    NOT NULL DEFAULT '',\n"
        "    description        TEXT    NOT NULL DEFAULT '',\n"
        "    secret             TEXT    NOT NULL DEFAULT '',\n"
        "    create_at          INTEGER NOT NULL DEFAULT 0,\n"
        "    update_at          INTEGER NOT NULL DEFAULT 0,\n"
        "    delete_at          INTEGER NOT NULL DEFAULT 0\n"
        ");\n"
        "CREATE UNIQUE INDEX commands_trigger ON commands (team_id, trigger) "
        "WHERE delete_at = 0;\n"
        "CREATE TABLE command_webhooks (\n"
        "    id         TEXT    NOT NULL PRIMARY KEY,\n"
        "    command_id TEXT    NOT NULL DEFAULT '',\n"
        "    user_id    TEXT    NOT NULL DEFAULT '',\n"
        "    channel_id TEXT    NOT NULL DEFAULT '',\n"
        "    root_id    TEXT    NOT NULL DEFAULT '',\n"
        "    create_at  INTEGER NOT NULL DEFAULT 0,\n"
        "    use_count  INTEGER NOT NULL DEFAULT 0\n"
        ");\n"
        "CREATE INDEX command_webhooks_create ON command_webhooks (create_at);\n"
        "CREATE TABLE kv (\n"
        "    key   TEXT NOT NULL PRIMARY KEY,\n"
        "    value TEXT NOT NULL\n"
        ") WITHOUT ROWID;\n";

/* v6: the directory generation (store.h gr_store_dir_gen). One row whose counter every change
 * to what the webhook path caches (hooks, channels, users, channel members) raises in the
 * same transaction, whoever writes: the server, the CLI, or an sqlite3 shell. Triggers, not
 * code in the store, so no write path can forget it. A post's bump of its channel's counters
 * (last_post_at, total_msg_count) is the one change left out: it happens on every post and
 * no cache reads those two columns; that is why the channel triggers name their columns
 * (a column added to channels later must be added to channels_gen_u, or caches will not see
 * changes to it). */
static const char v6[] =
        "CREATE TABLE dir_gen (\n"
        "    id  INTEGER PRIMARY KEY CHECK (id = 1),\n"
        "    gen INTEGER NOT NULL\n"
        ");\n"
        "INSERT INTO dir_gen (id, gen) VALUES (1, 1);\n"
        "CREATE TRIGGER hooks_gen_i AFTER INSERT ON incoming_hooks "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n"
        "CREATE TRIGGER hooks_gen_u AFTER UPDATE ON incoming_hooks "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n"
        "CREATE TRIGGER hooks_gen_d AFTER DELETE ON incoming_hooks "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n"
        "CREATE TRIGGER users_gen_i AFTER INSERT ON users "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n"
        "CREATE TRIGGER users_gen_u AFTER UPDATE ON users "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n"
        "CREATE TRIGGER users_gen_d AFTER DELETE ON users "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n"
        "CREATE TRIGGER channels_gen_i AFTER INSERT ON channels "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n"
        "CREATE TRIGGER channels_gen_u AFTER UPDATE OF id, team_id, name, display_name, type, "
        "creator_id, header, purpose, create_at, update_at, delete_at ON channels "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n"
        "CREATE TRIGGER channels_gen_d AFTER DELETE ON channels "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n"
        "CREATE TRIGGER channel_members_gen_i AFTER INSERT ON channel_members "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n"
        "CREATE TRIGGER channel_members_gen_u AFTER UPDATE ON channel_members "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n"
        "CREATE TRIGGER channel_members_gen_d AFTER DELETE ON channel_members "
        "BEGIN UPDATE dir_gen SET gen = gen + 1; END;\n";

const char *const gr_sqlite__migrations[] = {
        v1,
        v2,
        v3,
        v4,
        v5,
        v6,
};

const int gr_sqlite__schema_version =
        (int)(sizeof gr_sqlite__migrations / sizeof gr_sqlite__migrations[0]);
