/* SPDX-License-Identifier: MIT */
/*
 * auth.h - accounts: passwords, login sessions, request authentication, bots, personal access
 * tokens and the role checks that go with them (spec mattermost-compat §5.1-§5.3, §9).
 *
 * Secrets. Passwords are hashed with argon2id (Debian's libargon2) into the self-describing
 * encoded form `$argon2id$v=19$m=...,t=...,p=1$salt$hash`, so a change of cost applies to new
 * passwords while old hashes keep verifying. Session and access tokens are random 26-char ids
 * (core/id.h) stored only as their SHA-256: a token has 128 bits of entropy, so a fast digest is
 * enough and keeps the per-request lookup cheap (a slow KDF is for passwords only). A token is
 * shown once, when it is made. Nothing here logs a password, a token or a hash.
 *
 * Conventions as in admin.h: functions return 0 on success or an HTTP status with `e` filled
 * (Mattermost id + English message). `st` is a store connection the caller owns; functions that
 * write several rows run their own transaction, so the caller must not have one open. Permission
 * checks (who may do what to whom) are the caller's, with the gr_auth_may_* helpers; the CLI acts
 * with the operator's full rights.
 */
#ifndef GR_APP_AUTH_H
#define GR_APP_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/apperr.h"
#include "store/store.h"

/* The knobs (config: password_hash_time_cost, password_hash_memory_kib, session_length_hours,
 * enable_user_access_tokens, enable_bot_account_creation). */
struct gr_auth_options {
    uint32_t hash_time_cost;  /* argon2id passes */
    uint32_t hash_memory_kib; /* argon2id memory */
    int64_t session_length_ms;
    bool enable_user_access_tokens;
    bool enable_bot_account_creation;
};

/* griot's defaults: cost 3 passes x 64 MiB, 30-day sessions, tokens and bots enabled. */
void gr_auth_options_default(struct gr_auth_options *o);

/* What authenticating a request found. */
struct gr_auth_session {
    struct gr_user user;
    struct gr_token token; /* the matching row: id, kind, expiry (the hash, never the secret) */
};

/* Roles. */
bool gr_auth_is_admin(const struct gr_user *u);
/* May `caller` act on `target`'s account (its tokens, its profile): the user themself, a
 * system admin, or the owner of a bot. */
bool gr_auth_may_act_for(const struct gr_user *caller, const struct gr_user *target);

/* ---- Passwords ------------------------------------------------------------------------------ */

#define GR_AUTH_HASH_SIZE    256 /* an encoded argon2id hash fits with room to spare */
#define GR_AUTH_PASSWORD_MIN 8
#define GR_AUTH_PASSWORD_MAX 72 /* Mattermost's PasswordMaximumLength */

/* 400 model.user.is_valid.pwd.app_error unless 8..72 bytes. */
int gr_auth_password_validate(const char *password, struct gr_apperr *e);
/* Hashes password with a fresh random salt into out (NUL-terminated). 500 if libargon2 fails
 * (e.g. it cannot get the memory). */
int gr_auth_password_hash(const struct gr_auth_options *o, const char *password,
                          char out[GR_AUTH_HASH_SIZE], struct gr_apperr *e);
/* True when password matches encoded (an argon2id encoding); the comparison inside libargon2
 * is constant-time. False for "" or a hash of another algorithm. */
bool gr_auth_password_verify(const char *encoded, const char *password);
/* Validates, hashes and stores user_id's new password, and ends the user's login sessions
 * (another device's session must not outlive a password change). */
int gr_auth_password_set(struct gr_store *st, const struct gr_auth_options *o, const char *user_id,
                         const char *password, struct gr_apperr *e);

/* ---- Users ---------------------------------------------------------------------------------- */

/* A new human account. NULL strings mean "". */
struct gr_auth_new_user {
    const char *username; /* required; lowercased and checked (§9, ID-5) */
    const char *email;    /* optional; must look like an address and be unused */
    const char *password; /* NULL = no password (the account can then use tokens only) */
    const char *nickname, *first_name, *last_name, *position, *locale;
    bool is_admin;
};

/* Creates the user (joining team main and its public channels, gr_admin_user_create) with its
 * profile and password, in one transaction. 400 with Mattermost's model.user.is_valid.* ids for
 * bad fields, app.user.save.username_exists.app_error / email_exists for taken ones. */
int gr_auth_user_create(struct gr_store *st, const struct gr_auth_options *o,
                        const struct gr_auth_new_user *nu, struct gr_user *out,
                        struct gr_apperr *e);
/* Looks a user up by id (404 app.user.missing_account.const) or by username (404
 * app.user.get_by_username.app_error; case-insensitive). Deleted users are returned too. */
int gr_auth_user_get(struct gr_store *st, const char *id, struct gr_user *out, struct gr_apperr *e);
int gr_auth_user_get_by_name(struct gr_store *st, const char *username, struct gr_user *out,
                             struct gr_apperr *e);

/* ---- Sessions and authentication ------------------------------------------------------------ */

/* Logs in with a username or an email (login_id, case-insensitive) and a password. On success
 * fills user_out and writes a new session token (26 chars; shown once) to token_out; the
 * session expires o->session_length_ms from now_ms. Failures: 400
 * api.user.login.blank_pwd.app_error, 401 api.user.login.invalid_credentials_email_username
 * (unknown user, wrong password, or no password set: deliberately indistinguishable, and taking
 * about as long), 401 api.user.login.bot_login_forbidden.app_error, 401
 * api.user.login.inactive.app_error. */
int gr_auth_login(struct gr_store *st, const struct gr_auth_options *o, const char *login_id,
                  const char *password, int64_t now_ms, struct gr_user *user_out,
                  char token_out[GR_ID_SIZE], struct gr_apperr *e);
/* Ends the session s authenticated with; a personal access token is left alone (logging out
 * of a bot's token must not revoke it). Always 0 unless the store fails. */
int gr_auth_logout(struct gr_store *st, const struct gr_auth_session *s, struct gr_apperr *e);
/* Authenticates a request token: a live session not past its expiry, or an active personal
 * access token (only while o->enable_user_access_tokens), of an active user. Records the use
 * (last_used_at) at most once a minute; that write is best effort. 401
 * api.context.session_expired.app_error otherwise (token NULL or "" included); an expired
 * session is deleted on the way. */
int gr_auth_authenticate(struct gr_store *st, const struct gr_auth_options *o, const char *token,
                         int64_t now_ms, struct gr_auth_session *out, struct gr_apperr *e);

/* ---- Personal access tokens ----------------------------------------------------------------- */

/* Creates an active personal access token for user_id (description 1-255 runes: 400
 * model.user_access_token.is_valid.description.app_error; tokens disabled: 501
 * app.user_access_token.disabled, bots excepted, as in Mattermost). The secret goes to
 * token_out, once; out receives the stored row. */
int gr_auth_pat_create(struct gr_store *st, const struct gr_auth_options *o, const char *user_id,
                       const char *description, struct gr_token *out, char token_out[GR_ID_SIZE],
                       struct gr_apperr *e);
/* A personal access token by id (404 app.user_access_token.get_by_user.app_error; sessions are
 * not personal access tokens and are not found here). */
int gr_auth_pat_get(struct gr_store *st, const char *token_id, struct gr_token *out,
                    struct gr_apperr *e);
/* Enables or disables a personal access token (404 as gr_auth_pat_get). */
int gr_auth_pat_set_active(struct gr_store *st, const char *token_id, bool active,
                           struct gr_apperr *e);
/* Deletes any token by id, session or personal access token (404 as gr_auth_pat_get). */
int gr_auth_token_revoke(struct gr_store *st, const char *token_id, struct gr_apperr *e);

/* ---- Bots ----------------------------------------------------------------------------------- */

/* Creates a bot user: username checked like a user's (§9), email <username>@localhost,
 * first_name = display_name (<= 64 runes), bot_description (<= 1024 runes), owned by owner_id
 * (an existing user), joining team main and its public channels. One transaction. */
int gr_auth_bot_create(struct gr_store *st, const char *owner_id, const char *username,
                       const char *display_name, const char *description, struct gr_user *out,
                       struct gr_apperr *e);
/* The bot user bot_id (404 store.sql_bot.get.missing.app_error for a missing id, a human, or a
 * disabled bot unless include_deleted). */
int gr_auth_bot_get(struct gr_store *st, const char *bot_id, bool include_deleted,
                    struct gr_user *out, struct gr_apperr *e);
/* Changes the given fields (NULL = keep) of *bot, checked like gr_auth_bot_create, and stores
 * it; bot is updated in place. */
int gr_auth_bot_patch(struct gr_store *st, struct gr_user *bot, const char *username,
                      const char *display_name, const char *description, struct gr_apperr *e);
/* Disables (delete_at = now) or enables a bot; bot is updated in place. Its tokens stay, but
 * authenticate refuses them while the bot is disabled. */
int gr_auth_bot_set_active(struct gr_store *st, struct gr_user *bot, bool active,
                           struct gr_apperr *e);
/* Gives the bot to owner_id (404 app.user.missing_account.const if there is no such user). */
int gr_auth_bot_assign(struct gr_store *st, struct gr_user *bot, const char *owner_id,
                       struct gr_apperr *e);

#endif
