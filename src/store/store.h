/* SPDX-License-Identifier: MIT */
/*
 * store.h - griot's storage interface: teams, channels, users, tokens, incoming hooks, posts.
 *
 * A `struct gr_store` is one connection to one back end, used by one thread at a time. The server
 * opens one for its writer thread and one per HTTP worker thread for reads; the CLI opens its own
 * while the server runs (SQLite WAL + busy_timeout make that safe). The URL picks the back end:
 * `sqlite:PATH` or a bare path (the default) for SQLite; `postgres://...` is reserved for the
 * PostgreSQL back end that arrives later behind this same interface (dispatch lives in store.c).
 *
 * Conventions
 * - Every function returns gr_err: GR_OK, GR_ENOTFOUND (no such row), GR_EEXIST (unique key
 *   taken), GR_ESTORE (the database failed; the message went to the log), GR_EINVAL (a NULL
 *   argument, or a row that refers to a team, channel or user that does not exist).
 * - Out-structs are filled completely on GR_OK and left unspecified otherwise, except that lists
 *   are left empty and a post's heap strings NULL, so _free/_cleanup is always safe. Strings
 *   inside the fixed-size structs are NUL-terminated (a stored value longer than its field comes
 *   back cut at a UTF-8 character boundary); strings passed in are read at most to the size of
 *   their field. Heap strings (`char *`) belong to the struct and are released by its _cleanup
 *   function. Lists are released with their _free function.
 * - Writes outside an explicit transaction are each their own transaction. gr_store_begin() starts
 *   a write transaction at once (SQLite BEGIN IMMEDIATE) so a batch never fails half-way on a lock.
 * - Durability: commits are synchronous=FULL. A commit that returned GR_OK survives kill -9 and
 *   power loss; that is what lets the HTTP layer answer 2xx only after commit.
 * - Times are Unix milliseconds. Ids are 26-char ids (core/id.h).
 */
#ifndef GR_STORE_STORE_H
#define GR_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/id.h"

#define GR_NAME_SIZE 65       /* 64 bytes of ASCII name + NUL (team, channel, user names) */
#define GR_DISPLAY_SIZE 257   /* 64 runes of UTF-8 + NUL */
#define GR_SHA256_HEX_SIZE 65 /* hex digest + NUL */

struct gr_store;

struct gr_team {
    char id[GR_ID_SIZE];
    char name[GR_NAME_SIZE];
    char display_name[GR_DISPLAY_SIZE];
    char type; /* 'O' open, 'I' invite only */
    int64_t create_at, update_at, delete_at;
};

struct gr_channel {
    char id[GR_ID_SIZE];
    char team_id[GR_ID_SIZE]; /* "" for direct and group channels */
    char name[GR_NAME_SIZE];  /* DM names are "<id>__<id>" (53 chars) */
    char display_name[GR_DISPLAY_SIZE];
    char type; /* 'O' public, 'P' private, 'D' direct, 'G' group */
    char creator_id[GR_ID_SIZE];
    char header[1025];  /* Mattermost allows 1024 runes; griot stores at most 1024 bytes for now */
    char purpose[1025]; /* same */
    int64_t create_at, update_at, delete_at;
    int64_t last_post_at;
    int64_t total_msg_count;
};

struct gr_channel_list {
    struct gr_channel *v;
    size_t n;
};

struct gr_user {
    char id[GR_ID_SIZE];
    char username[GR_NAME_SIZE];
    char email[257];
    char nickname[GR_DISPLAY_SIZE];
    char roles[129]; /* space separated: "system_user" or "system_admin system_user" */
    bool is_bot;
    int64_t create_at, update_at, delete_at;
};

/* An access token. The token itself is never stored: only its SHA-256 (hex). */
struct gr_token {
    char id[GR_ID_SIZE];
    char user_id[GR_ID_SIZE];
    char hash[GR_SHA256_HEX_SIZE];
    char description[257];
    bool is_active;
    int64_t create_at;
};

/* What an incoming hook does when its sender goes over the rate (milestone B). */
enum gr_over_limit { GR_OVER_LIMIT_QUEUE = 0, GR_OVER_LIMIT_REJECT = 1 };

struct gr_hook {
    char id[GR_ID_SIZE]; /* also the secret in /hooks/{id} */
    char user_id[GR_ID_SIZE];
    char channel_id[GR_ID_SIZE];
    char team_id[GR_ID_SIZE];
    char display_name[GR_DISPLAY_SIZE];
    char description[2001]; /* 500 runes */
    char username[256];
    char icon_url[1025];
    bool channel_locked;
    double rate;  /* requests per second; 0 = unlimited; < 0 = use the server default */
    int burst;    /* bucket size; < 0 = use the server default */
    int over_limit; /* enum gr_over_limit; < 0 = use the server default */
    int64_t create_at, update_at, delete_at;
    char source[32];  /* "mattermost" (the Mattermost protocol) or a native source: "forgejo",
                       * "github", "grafana", "wave", ... (adapter/adapter.h) */
    char source_config[16384]; /* JSON object: secrets, auth, filters, template, routing;
                                * app/hook_config.h reads and writes it. "{}" = none */
};

struct gr_hook_list {
    struct gr_hook *v;
    size_t n;
};

struct gr_post {
    char id[GR_ID_SIZE];
    char user_id[GR_ID_SIZE];
    char channel_id[GR_ID_SIZE];
    char root_id[GR_ID_SIZE]; /* "" for a root post */
    char type[65];            /* "", "slack_attachment", "custom_*", "system_*" */
    char *message;            /* owned, UTF-8, never NULL once filled */
    char *props;              /* owned JSON object text, "{}" when empty, never NULL once filled */
    int64_t create_at, update_at, edit_at, delete_at;
};

struct gr_post_list {
    struct gr_post *v; /* newest first */
    size_t n;
};

/* A message waiting for its hook's rate limiter (per-hook limiter, policy "queue"). One row per
 * post: a request whose text was split occupies consecutive rows. The post is complete (id,
 * user, channel, message, props) except that create_at is set again when it is posted. */
struct gr_queued {
    int64_t seq; /* assigned by the store; FIFO order across all hooks */
    char hook_id[GR_ID_SIZE];
    char dm_user_id[GR_ID_SIZE]; /* non-empty: the post goes to the DM (created if missing)
                                  * between post.user_id and this user */
    int64_t enqueued_at;
    struct gr_post post;
};

struct gr_queued_list {
    struct gr_queued *v; /* oldest first */
    size_t n;
};

struct gr_queue_depth {
    char hook_id[GR_ID_SIZE];
    size_t n;
};

/* Flags for gr_store_open. */
#define GR_STORE_CREATE 0x1 /* create the database (and its directory) if missing; run migrations */
#define GR_STORE_NO_AUTOCHECKPOINT 0x2 /* SQLite: never checkpoint the WAL on commit; someone
                                        * calls gr_store_checkpoint() instead */

/*
 * Opens a connection. Without GR_STORE_CREATE a missing or never-initialised database is
 * GR_ENOTFOUND (only `griot serve` creates a store). Migrations to the current schema version are
 * applied by the opener that has GR_STORE_CREATE; other openers refuse an older schema with
 * GR_EINVAL, and every opener refuses a newer one with GR_EINVAL. The SQLite path
 * ":memory:" (`sqlite::memory:`) gives a private in-memory database, for tests. On failure *out
 * is NULL and a human-readable reason is written into errbuf (may be NULL) of size errlen, e.g.
 * "griot-data/griot.db: no such store (run `griot serve` first)".
 */
gr_err gr_store_open(const char *url, int flags, struct gr_store **out, char *errbuf, size_t errlen);
/* Closes and frees; accepts NULL. */
void gr_store_close(struct gr_store *st);
/* The back end's name: "sqlite" or "postgres". */
const char *gr_store_backend(const struct gr_store *st);

/* Starts a write transaction; GR_EINVAL if one is already open (no nesting). */
gr_err gr_store_begin(struct gr_store *st);
/* Commits; GR_EINVAL without an open transaction. If it fails the transaction may still be open:
 * call gr_store_rollback(). */
gr_err gr_store_commit(struct gr_store *st);
/* Rolls back the open transaction, if any; never fails in a way the caller can act on. */
void gr_store_rollback(struct gr_store *st);

/* Copies committed WAL content back into the database without blocking readers or the writer
 * (SQLite PASSIVE checkpoint; a no-op for back ends without a WAL). With restart, waits for the
 * writer's current transaction and makes the next one start the WAL from its beginning (SQLite
 * RESTART), which bounds the WAL under a load that never pauses. wal_pages_out (optional)
 * receives the WAL's size in pages. */
gr_err gr_store_checkpoint(struct gr_store *st, bool restart, int *wal_pages_out);

/* True when the store holds no team at all (a fresh store that serve must bootstrap). */
gr_err gr_store_is_empty(struct gr_store *st, bool *empty_out);

/* Teams. Names are unique. */
gr_err gr_store_team_insert(struct gr_store *st, const struct gr_team *t);
gr_err gr_store_team_get(struct gr_store *st, const char *id, struct gr_team *out);
gr_err gr_store_team_get_by_name(struct gr_store *st, const char *name, struct gr_team *out);

/* Channels. (team_id, name) is unique; DM/group channels have team_id "" and unique names. */
gr_err gr_store_channel_insert(struct gr_store *st, const struct gr_channel *c);
gr_err gr_store_channel_get(struct gr_store *st, const char *id, struct gr_channel *out);
/* Looks up a live (delete_at = 0) channel by name in team_id; falls back to a DM/group channel
 * of that name (team_id "") so "<id>__<id>" resolves like Mattermost. */
gr_err gr_store_channel_get_by_name(struct gr_store *st, const char *team_id, const char *name,
                                    struct gr_channel *out);
/* Live channels of a team, ordered by name. */
gr_err gr_store_channel_list(struct gr_store *st, const char *team_id, struct gr_channel_list *out);
void gr_channel_list_free(struct gr_channel_list *l);

/* Users and memberships. Usernames are unique and stored lowercase: insert lowercases (ASCII)
 * and get_by_name matches case-insensitively. Memberships need the team/channel and the user. */
gr_err gr_store_user_insert(struct gr_store *st, const struct gr_user *u);
gr_err gr_store_user_get(struct gr_store *st, const char *id, struct gr_user *out);
gr_err gr_store_user_get_by_name(struct gr_store *st, const char *username, struct gr_user *out);
/* Idempotent: adding an existing member is GR_OK. */
gr_err gr_store_team_member_add(struct gr_store *st, const char *team_id, const char *user_id);
gr_err gr_store_channel_member_add(struct gr_store *st, const char *channel_id,
                                   const char *user_id);
gr_err gr_store_channel_member_is(struct gr_store *st, const char *channel_id, const char *user_id,
                                  bool *is_out);

/* Tokens, looked up by the SHA-256 hex of the secret. */
gr_err gr_store_token_insert(struct gr_store *st, const struct gr_token *t);
gr_err gr_store_token_get_by_hash(struct gr_store *st, const char *hash, struct gr_token *out);

/* Incoming hooks. get returns only live hooks (delete_at = 0); delete is a soft delete. */
gr_err gr_store_hook_insert(struct gr_store *st, const struct gr_hook *h);
gr_err gr_store_hook_get(struct gr_store *st, const char *id, struct gr_hook *out);
/* Replaces the mutable fields (channel_id, display_name, description, username, icon_url,
 * channel_locked, rate, burst, over_limit, update_at, source, source_config) of the live hook
 * h->id. */
gr_err gr_store_hook_update(struct gr_store *st, const struct gr_hook *h);
gr_err gr_store_hook_delete(struct gr_store *st, const char *id, int64_t now_ms);
/* Live hooks, oldest first; team_id NULL or "" = all teams; offset/limit page (limit 0 = all). */
gr_err gr_store_hook_list(struct gr_store *st, const char *team_id, size_t offset, size_t limit,
                          struct gr_hook_list *out);
void gr_hook_list_free(struct gr_hook_list *l);

/* Replay protection for native sources. delivery_seen records (hook, delivery id) inside the
 * caller's transaction and sets *dup_out when it was already there; delivery_exists looks for
 * one seen at or after since_ms; delivery_expire forgets those seen before before_ms. */
gr_err gr_store_delivery_seen(struct gr_store *st, const char *hook_id, const char *delivery_id,
                              int64_t now_ms, bool *dup_out);
gr_err gr_store_delivery_exists(struct gr_store *st, const char *hook_id, const char *delivery_id,
                                int64_t since_ms, bool *exists_out);
gr_err gr_store_delivery_expire(struct gr_store *st, int64_t before_ms);

/* Posts. Insert also bumps the channel's last_post_at (to at least create_at) and
 * total_msg_count; the channel must exist (else GR_EINVAL). Outside a transaction the call is
 * atomic on its own; inside the caller's transaction a failure may leave part of it applied, so
 * the caller must roll back (the group-commit writer does). A NULL message is stored as "", a
 * NULL or empty props as "{}". */
gr_err gr_store_post_insert(struct gr_store *st, const struct gr_post *p);
/* Any post, deleted ones included (check delete_at). out must not hold heap strings yet. */
gr_err gr_store_post_get(struct gr_store *st, const char *id, struct gr_post *out);
/* The newest `limit` live posts of a channel (0 = all), newest first; ties on create_at are
 * broken by insertion order so a split message reads in order. */
gr_err gr_store_post_list(struct gr_store *st, const char *channel_id, size_t limit,
                          struct gr_post_list *out);
void gr_post_cleanup(struct gr_post *p);
void gr_post_list_free(struct gr_post_list *l);

/* The per-hook delivery queue. push stores q (q->seq is ignored); peek returns up to limit
 * (0 = all) waiting rows of one hook, oldest first; remove deletes one row by seq (GR_ENOTFOUND
 * if it is gone); depths lists every hook with waiting rows and how many. */
gr_err gr_store_queue_push(struct gr_store *st, const struct gr_queued *q);
gr_err gr_store_queue_peek(struct gr_store *st, const char *hook_id, size_t limit,
                           struct gr_queued_list *out);
gr_err gr_store_queue_remove(struct gr_store *st, int64_t seq);
gr_err gr_store_queue_depths(struct gr_store *st, struct gr_queue_depth **out, size_t *n_out);
void gr_queued_list_free(struct gr_queued_list *l);

#endif
