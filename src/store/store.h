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
    /* Profile and bot fields (schema v4). The password hash is not here on purpose: it is read
     * and written only through gr_store_user_password_get/_set, so no copy of a user can leak
     * it into JSON or a log line. */
    char first_name[GR_DISPLAY_SIZE]; /* a bot's display_name lives here, as in Mattermost */
    char last_name[GR_DISPLAY_SIZE];
    char position[513];         /* 128 runes */
    char locale[8];             /* "en"; "" is stored as "en" */
    char bot_description[4097]; /* 1024 runes; bots only */
    char bot_owner_id[GR_ID_SIZE]; /* bots only: the user who manages the bot */
    int64_t last_password_update;
};

/* Token kinds (tokens.kind). */
#define GR_TOKEN_PAT "pat"         /* personal access token (bots, scripts, the CLI's tokens) */
#define GR_TOKEN_SESSION "session" /* a login session (POST /api/v4/users/login) */

/* An access token. The token itself is never stored: only its SHA-256 (hex). */
struct gr_token {
    char id[GR_ID_SIZE];
    char user_id[GR_ID_SIZE];
    char hash[GR_SHA256_HEX_SIZE];
    char description[257];
    bool is_active;
    int64_t create_at;
    char kind[8];         /* GR_TOKEN_PAT or GR_TOKEN_SESSION; "" is stored as "pat" */
    int64_t expires_at;   /* 0 = never */
    int64_t last_used_at; /* 0 = never used (kept coarse: updated at most once a minute) */
};

/* Lists for the users and tokens section below. */
struct gr_user_list {
    struct gr_user *v;
    size_t n;
};

struct gr_token_list {
    struct gr_token *v;
    size_t n;
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
    bool is_pinned;
    char pending_post_id[101]; /* client-generated "<user_id>:<millis>" (REST), "" otherwise */
    /* Not stored: set by whoever creates the post when it may fire outgoing webhooks (spec
     * §2.2: REST posts of users and bots, in_channel slash-command responses; never webhook
     * posts or outgoing-webhook replies). Travels on the bus with the post. */
    bool trigger_webhooks;
    /* Not stored: the request asked not to mark its author online (POST /posts
     * ?set_online=false, Mattermost's CreatePostFlags.SetOnline). The `posted` event then says
     * set_online false; false (the zero value) leaves the event's default (true, except for
     * webhook posts). Travels on the bus with the post, like trigger_webhooks. */
    bool no_set_online;
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

/* The directory generation: a counter that every committed change to incoming hooks, channels
 * (except a post's bump of last_post_at/total_msg_count), users or channel members raises,
 * whichever connection or process made it. Equal values read at two times mean none of those
 * rows changed in between, so a cache of them filled after reading the value is still good
 * (app/dircache.h). Runs as its own read (outside a transaction it sees the last commit). */
gr_err gr_store_dir_gen(struct gr_store *st, int64_t *gen_out);

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
/* The same with a choice: include_deleted also finds an archived channel (a name stays taken
 * when its channel is archived: (team_id, name) is unique over all channels, so there is at
 * most one either way). */
gr_err gr_store_channel_lookup_name(struct gr_store *st, const char *team_id, const char *name,
                                    bool include_deleted, struct gr_channel *out);
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

/* ---- Users and tokens: accounts, passwords, bots, sessions, personal access tokens --------- */

/* Replaces the mutable fields of user u->id: username (lowercased; GR_EEXIST if taken), email,
 * nickname, roles, first_name, last_name, position, locale, bot_description, bot_owner_id,
 * update_at and delete_at (0 = active). id, is_bot, create_at and the password are kept.
 * GR_ENOTFOUND if there is no such user. */
gr_err gr_store_user_update(struct gr_store *st, const struct gr_user *u);
/* Any user (deleted ones too) whose email matches, ignoring ASCII case; "" never matches. */
gr_err gr_store_user_get_by_email(struct gr_store *st, const char *email, struct gr_user *out);
/* The user's encoded password hash into out[size] ("" when the user has no password);
 * GR_ETOOBIG if it does not fit, GR_ENOTFOUND without such a user. */
gr_err gr_store_user_password_get(struct gr_store *st, const char *user_id, char *out,
                                  size_t size);
/* Stores an encoded password hash ("" removes the password) and sets last_password_update and
 * update_at to now_ms. GR_ENOTFOUND without such a user. */
gr_err gr_store_user_password_set(struct gr_store *st, const char *user_id, const char *hash,
                                  int64_t now_ms);
/* The users (deleted ones included) among ids[0..n), in the order asked; unknown ids are
 * skipped. */
gr_err gr_store_user_list_by_ids(struct gr_store *st, const char *const *ids, size_t n,
                                 struct gr_user_list *out);
/* Bot users, oldest first. owner_id NULL or "" = any owner; include_deleted adds disabled bots;
 * only_orphaned keeps bots whose owner is missing or deleted; offset/limit page (limit 0 =
 * all). */
gr_err gr_store_bot_list(struct gr_store *st, const char *owner_id, bool include_deleted,
                         bool only_orphaned, size_t offset, size_t limit,
                         struct gr_user_list *out);
void gr_user_list_free(struct gr_user_list *l);
/* (A user's teams: gr_store_user_teams, in the channels section below.) */

/* A token by its id (not its secret). */
gr_err gr_store_token_get(struct gr_store *st, const char *id, struct gr_token *out);
/* Tokens of kind (GR_TOKEN_PAT or GR_TOKEN_SESSION), oldest first; user_id NULL or "" = every
 * user; offset/limit page (limit 0 = all). */
gr_err gr_store_token_list(struct gr_store *st, const char *user_id, const char *kind,
                           size_t offset, size_t limit, struct gr_token_list *out);
void gr_token_list_free(struct gr_token_list *l);
/* Enables or disables a token; GR_ENOTFOUND if there is no such token. */
gr_err gr_store_token_set_active(struct gr_store *st, const char *id, bool is_active);
/* Deletes a token (revoke, logout); GR_ENOTFOUND if there is no such token. */
gr_err gr_store_token_delete(struct gr_store *st, const char *id);
/* Records that a token was used at now_ms. */
gr_err gr_store_token_touch(struct gr_store *st, const char *id, int64_t now_ms);
/* Deletes every token of kind that belongs to user_id (e.g. all sessions of a user who was
 * disabled or changed password); deleting none is GR_OK. */
gr_err gr_store_token_delete_user(struct gr_store *st, const char *user_id, const char *kind);
/* Deletes every token whose expires_at is set and not after now_ms. */
gr_err gr_store_token_expire(struct gr_store *st, int64_t now_ms);

/* ---- end of users and tokens ---------------------------------------------------------------- */

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

/* ---- channels, posts, reactions (the REST surface; SQLite: store_sqlite_posts2.c) -------- */

struct gr_team_list {
    struct gr_team *v;
    size_t n;
};

struct gr_channel_member {
    char channel_id[GR_ID_SIZE];
    char user_id[GR_ID_SIZE];
    char roles[129]; /* "channel_user" (Mattermost's default member role) */
    int64_t create_at;
};

struct gr_channel_member_list {
    struct gr_channel_member *v;
    size_t n;
};

struct gr_reaction {
    char user_id[GR_ID_SIZE];
    char post_id[GR_ID_SIZE];
    char emoji_name[65]; /* 1-64 of a-z A-Z 0-9 - + _ */
    char channel_id[GR_ID_SIZE];
    int64_t create_at;
};

struct gr_reaction_list {
    struct gr_reaction *v; /* oldest first */
    size_t n;
};

/* A channel's posts the way GET /channels/{id}/posts asks for them (spec §5.6). Exactly one
 * mode applies, in this order: since > 0 (every post of the channel created, edited or deleted
 * after `since`, deleted ones included, newest first, no paging, at most 1000); after (a post
 * id: the posts just newer than it, skipping `offset`, the `limit` nearest); before (the posts
 * just older than it, skipping `offset`); otherwise the newest posts, skipping `offset`.
 * Live posts only unless include_deleted. Order is (create_at, insertion order). */
struct gr_post_query {
    const char *channel_id;
    size_t offset;
    size_t limit;       /* 0 = no limit */
    const char *before; /* NULL or "" = none */
    const char *after;  /* NULL or "" = none */
    int64_t since;      /* 0 = none */
    bool include_deleted;
};

struct gr_post_page {
    struct gr_post_list list; /* newest first */
    /* The live posts just older than the oldest and just newer than the newest post of the
     * window, "" when there is none or the window is empty (the caller applies Mattermost's
     * cursor rules on top). */
    char prev_post_id[GR_ID_SIZE];
    char next_post_id[GR_ID_SIZE];
};

/* Sets *is_out when user_id is a member of team_id. */
gr_err gr_store_team_member_is(struct gr_store *st, const char *team_id, const char *user_id,
                               bool *is_out);
/* The live teams user_id belongs to, ordered by name. */
gr_err gr_store_user_teams(struct gr_store *st, const char *user_id, struct gr_team_list *out);
void gr_team_list_free(struct gr_team_list *l);
/* The channels of team_id that user_id is a member of, plus the user's direct and group
 * channels (team_id ""), by name; archived ones only with include_deleted. */
gr_err gr_store_user_channels(struct gr_store *st, const char *user_id, const char *team_id,
                              bool include_deleted, struct gr_channel_list *out);
/* A channel's members, oldest membership first, then by user id; limit 0 = all. */
gr_err gr_store_channel_members(struct gr_store *st, const char *channel_id, size_t offset,
                                size_t limit, struct gr_channel_member_list *out);
/* One membership; GR_ENOTFOUND when user_id is not a member of channel_id. */
gr_err gr_store_channel_member_get(struct gr_store *st, const char *channel_id,
                                   const char *user_id, struct gr_channel_member *out);
/* GR_ENOTFOUND when user_id was not a member. */
gr_err gr_store_channel_member_remove(struct gr_store *st, const char *channel_id,
                                      const char *user_id);
void gr_channel_member_list_free(struct gr_channel_member_list *l);

/* Replaces message, props, type, is_pinned, edit_at and update_at of the post p->id (deleted
 * or not). GR_ENOTFOUND if there is no such post. */
gr_err gr_store_post_update(struct gr_store *st, const struct gr_post *p);
/* Soft-deletes the live post id and its live replies (Mattermost deletes a thread with its
 * root): delete_at = update_at = now_ms. GR_ENOTFOUND if id is not a live post. */
gr_err gr_store_post_delete(struct gr_store *st, const char *id, int64_t now_ms);
/* The live posts of the thread rooted at root_id (the root itself and its replies), newest
 * first. An empty list when the root does not exist. */
gr_err gr_store_post_thread(struct gr_store *st, const char *root_id, struct gr_post_list *out);
/* See struct gr_post_query. A before/after id that is not a post of the channel gives an empty
 * page. out starts empty; free it with gr_post_page_free. */
gr_err gr_store_post_page(struct gr_store *st, const struct gr_post_query *q,
                          struct gr_post_page *out);
void gr_post_page_free(struct gr_post_page *p);
/* The newest post of user_id carrying pending_post_id and created at or after since_ms
 * (deleted ones included). GR_ENOTFOUND if none. out must not hold heap strings yet. */
gr_err gr_store_post_get_pending(struct gr_store *st, const char *user_id,
                                 const char *pending_post_id, int64_t since_ms,
                                 struct gr_post *out);

/* Reactions. put is idempotent (a repeat keeps the first create_at); put and delete also set
 * the post's update_at to r->create_at / now_ms so `since` readers see the change. delete is
 * GR_ENOTFOUND when there was no such reaction. list is oldest first. */
gr_err gr_store_reaction_put(struct gr_store *st, const struct gr_reaction *r);
gr_err gr_store_reaction_delete(struct gr_store *st, const char *post_id, const char *user_id,
                                const char *emoji_name, int64_t now_ms);
gr_err gr_store_reaction_list(struct gr_store *st, const char *post_id,
                              struct gr_reaction_list *out);
void gr_reaction_list_free(struct gr_reaction_list *l);

/* What clients see of a post beyond its row: Mattermost computes these when it reads posts,
 * they are not columns. reply_count is the number of live replies of the post's thread, the
 * same on the root and on each of its replies (sqlstore's ReplyCount); reactions are the post's
 * reactions (Post.metadata.reactions; has_reactions is nreactions > 0, so it is right after
 * every add and remove without a stored flag). */
struct gr_post_meta {
    char post_id[GR_ID_SIZE];
    int64_t reply_count;
    const struct gr_reaction *reactions; /* into the list's `reactions`, oldest first */
    size_t nreactions;
};

struct gr_post_meta_list {
    struct gr_post_meta *v; /* one per distinct post asked, ordered by post_id */
    size_t n;
    struct gr_reaction_list reactions; /* owns what the entries point into */
};

/* The meta of posts[0..n) (deleted ones too), in two reads whatever n: one for the reply
 * counts of their threads, one for their reactions (skipped without with_reactions: then every
 * nreactions is 0). out starts empty; free it with gr_post_meta_list_free. */
gr_err gr_store_post_meta(struct gr_store *st, const struct gr_post *posts, size_t n,
                          bool with_reactions, struct gr_post_meta_list *out);
/* The entry of post_id in l, or NULL (l may be NULL). */
const struct gr_post_meta *gr_post_meta_find(const struct gr_post_meta_list *l,
                                             const char *post_id);
void gr_post_meta_list_free(struct gr_post_meta_list *l);

/* ---- integrations: outgoing webhooks, slash commands, response URLs, server secrets
 * (spec mattermost-compat §2-§4; migration v5, store_sqlite_integ.c) ---- */

#define GR_URL_SIZE 1025    /* 1024 bytes + NUL */
#define GR_SECRET_SIZE 65   /* "whsec_" + base64 of 32 bytes + NUL fits */

/* An outgoing webhook (§2.1). trigger_words and callback_urls are JSON arrays of strings as
 * text (owned, never NULL once filled: "[]" when empty). secret signs each callback (Standard
 * Webhooks format, griot's own addition). */
struct gr_outgoing_hook {
    char id[GR_ID_SIZE];
    char token[GR_ID_SIZE];
    char creator_id[GR_ID_SIZE];
    char team_id[GR_ID_SIZE];
    char channel_id[GR_ID_SIZE]; /* "" = every public channel of the team */
    char *trigger_words;         /* owned JSON array text */
    int trigger_when;            /* 0 exact first word, 1 first word starts with */
    char *callback_urls;         /* owned JSON array text */
    char display_name[GR_DISPLAY_SIZE];
    char description[2001];      /* 500 runes */
    char content_type[128];      /* "application/json" or (default) form */
    char username[256];
    char icon_url[GR_URL_SIZE];
    char secret[GR_SECRET_SIZE];
    int64_t create_at, update_at, delete_at;
};

struct gr_outgoing_hook_list {
    struct gr_outgoing_hook *v;
    size_t n;
};

/* A custom slash command (§3.1). */
struct gr_command {
    char id[GR_ID_SIZE];
    char token[GR_ID_SIZE];
    char creator_id[GR_ID_SIZE];
    char team_id[GR_ID_SIZE];
    char trigger[129];      /* lowercase, no '/' */
    char method[2];         /* "P" or "G" */
    char url[GR_URL_SIZE];
    char username[256];
    char icon_url[GR_URL_SIZE];
    bool auto_complete;
    char auto_complete_desc[2001];
    char auto_complete_hint[2001];
    char display_name[GR_DISPLAY_SIZE];
    char description[2001]; /* 128 runes */
    char secret[GR_SECRET_SIZE];
    int64_t create_at, update_at, delete_at;
};

struct gr_command_list {
    struct gr_command *v;
    size_t n;
};

/* A delayed-response URL handed to a command (§3.7): /hooks/commands/{id}. */
struct gr_command_webhook {
    char id[GR_ID_SIZE];
    char command_id[GR_ID_SIZE];
    char user_id[GR_ID_SIZE];
    char channel_id[GR_ID_SIZE];
    char root_id[GR_ID_SIZE]; /* "" = not in a thread */
    int64_t create_at;
    int use_count;
};

/* Outgoing hooks. insert/update copy every field (update by h->id); delete is soft (delete_at =
 * update_at = now_ms), GR_ENOTFOUND when id is not a live hook. get returns deleted hooks too
 * (the caller checks delete_at). list: live hooks of team_id ("" = all teams) ordered by
 * create_at then id; limit 0 = all. Free with gr_outgoing_hook_cleanup / _list_free. */
gr_err gr_store_outgoing_insert(struct gr_store *st, const struct gr_outgoing_hook *h);
gr_err gr_store_outgoing_get(struct gr_store *st, const char *id, struct gr_outgoing_hook *out);
gr_err gr_store_outgoing_update(struct gr_store *st, const struct gr_outgoing_hook *h);
gr_err gr_store_outgoing_delete(struct gr_store *st, const char *id, int64_t now_ms);
gr_err gr_store_outgoing_list(struct gr_store *st, const char *team_id, size_t offset,
                              size_t limit, struct gr_outgoing_hook_list *out);
void gr_outgoing_hook_cleanup(struct gr_outgoing_hook *h);
void gr_outgoing_hook_list_free(struct gr_outgoing_hook_list *l);

/* Slash commands: as the outgoing hooks. get_by_trigger finds the live command of team_id
 * whose trigger equals trigger (already lowercased), GR_ENOTFOUND if none; a live duplicate
 * trigger in a team is refused by insert/update with GR_EEXIST. list: live commands of team_id
 * ("" = all) ordered by trigger. */
gr_err gr_store_command_insert(struct gr_store *st, const struct gr_command *c);
gr_err gr_store_command_get(struct gr_store *st, const char *id, struct gr_command *out);
gr_err gr_store_command_get_by_trigger(struct gr_store *st, const char *team_id,
                                       const char *trigger, struct gr_command *out);
gr_err gr_store_command_update(struct gr_store *st, const struct gr_command *c);
gr_err gr_store_command_delete(struct gr_store *st, const char *id, int64_t now_ms);
gr_err gr_store_command_list(struct gr_store *st, const char *team_id,
                             struct gr_command_list *out);
void gr_command_list_free(struct gr_command_list *l);

/* Response URLs. try_use atomically checks and counts one use of id: GR_ENOTFOUND when there
 * is no such id or it was created before not_before_ms (expired), GR_ETOOBIG when use_count
 * already reached max_uses (nothing changes then); else use_count += 1 and *out is filled.
 * expire deletes those created before before_ms. */
gr_err gr_store_command_webhook_insert(struct gr_store *st, const struct gr_command_webhook *w);
gr_err gr_store_command_webhook_try_use(struct gr_store *st, const char *id,
                                        int64_t not_before_ms, int max_uses,
                                        struct gr_command_webhook *out);
gr_err gr_store_command_webhook_expire(struct gr_store *st, int64_t before_ms);

/* Server-wide secrets and settings that live with the data (integration signing secret,
 * cookie key): a small key -> text table. get: GR_ENOTFOUND when absent; value_out gets at
 * most size - 1 bytes (GR_ETOOBIG if longer). put inserts or replaces. put_new inserts only
 * when the key is absent (GR_EEXIST otherwise), so two processes racing to create a secret
 * agree on the first one. */
gr_err gr_store_kv_get(struct gr_store *st, const char *key, char *value_out, size_t size);
gr_err gr_store_kv_put(struct gr_store *st, const char *key, const char *value);
gr_err gr_store_kv_put_new(struct gr_store *st, const char *key, const char *value);

#endif
