/* SPDX-License-Identifier: MIT */
/*
 * auth.c - see auth.h: passwords (argon2id), login sessions, request authentication and
 * personal access tokens. Users and bots are in auth_users.c.
 *
 * Cost. A login runs one argon2id hash (about 0.1 s and 64 MiB with the defaults) on the HTTP
 * worker thread that received it; authentication of every other request is one SHA-256 and two
 * indexed reads. Login is therefore the one expensive endpoint; the global rate limiter (§7)
 * is what bounds it under abuse.
 */
#include "app/auth.h"

#include <argon2.h>
#include <stdio.h>
#include <string.h>

#include "app/admin.h"
#include "core/gtime.h"
#include "core/hash.h"
#include "core/id.h"
#include "core/log.h"
#include "core/utf8.h"

#define SALT_LEN       16
#define HASH_LEN       32
#define TOUCH_EVERY_MS 60000 /* last_used_at is recorded at most this often per token */

static int store_fail(struct gr_apperr *e, gr_err rc)
{
    return gr_apperr_set(e, 500, "app.store.app_error", "The store failed: %s.", gr_err_str(rc));
}

static int expired(struct gr_apperr *e)
{
    return gr_apperr_set(e, 401, "api.context.session_expired.app_error",
                         "Invalid or expired session, please login again.");
}

void gr_auth_options_default(struct gr_auth_options *o)
{
    memset(o, 0, sizeof *o);
    o->hash_time_cost = 3;
    o->hash_memory_kib = 65536;
    o->session_length_ms = (int64_t)720 * 3600 * 1000;
    o->enable_user_access_tokens = true;
    o->enable_bot_account_creation = true;
}

bool gr_auth_is_admin(const struct gr_user *u)
{
    return u != NULL && strstr(u->roles, "system_admin") != NULL;
}

bool gr_auth_may_act_for(const struct gr_user *caller, const struct gr_user *target)
{
    if (gr_auth_is_admin(caller) || strcmp(caller->id, target->id) == 0)
        return true;
    /* Mattermost's SessionHasPermissionToUserOrBot: a bot's owner manages the bot. */
    return target->is_bot && target->bot_owner_id[0] != '\0' &&
           strcmp(target->bot_owner_id, caller->id) == 0;
}

/* ---- Passwords ------------------------------------------------------------------------------ */

int gr_auth_password_validate(const char *password, struct gr_apperr *e)
{
    size_t n = password != NULL ? strlen(password) : 0;

    if (n < GR_AUTH_PASSWORD_MIN || n > GR_AUTH_PASSWORD_MAX)
        return gr_apperr_set(e, 400, "model.user.is_valid.pwd.app_error",
                             "Your password must contain between %d and %d characters.",
                             GR_AUTH_PASSWORD_MIN, GR_AUTH_PASSWORD_MAX);
    return 0;
}

int gr_auth_password_hash(const struct gr_auth_options *o, const char *password,
                          char out[GR_AUTH_HASH_SIZE], struct gr_apperr *e)
{
    unsigned char salt[SALT_LEN];
    int arc;

    gr_random_bytes(salt, sizeof salt);
    /* One lane: the server hashes on a pool thread and must not fan out further. */
    arc = argon2id_hash_encoded(o->hash_time_cost, o->hash_memory_kib, 1, password,
                                strlen(password), salt, sizeof salt, HASH_LEN, out,
                                GR_AUTH_HASH_SIZE);
    explicit_bzero(salt, sizeof salt);
    if (arc != ARGON2_OK) {
        out[0] = '\0';
        return gr_apperr_set(e, 500, "app.user.password_hash.app_error",
                             "Could not hash the password: %s.", argon2_error_message(arc));
    }
    return 0;
}

bool gr_auth_password_verify(const char *encoded, const char *password)
{
    static const char prefix[] = "$argon2id$";

    if (encoded == NULL || password == NULL || strncmp(encoded, prefix, sizeof prefix - 1) != 0)
        return false;
    return argon2_verify(encoded, password, strlen(password), Argon2_id) == ARGON2_OK;
}

int gr_auth_password_set(struct gr_store *st, const struct gr_auth_options *o, const char *user_id,
                         const char *password, struct gr_apperr *e)
{
    char hash[GR_AUTH_HASH_SIZE];
    int code;
    gr_err rc;

    code = gr_auth_password_validate(password, e);
    if (code == 0)
        code = gr_auth_password_hash(o, password, hash, e);
    if (code)
        return code;
    rc = gr_store_begin(st);
    if (rc == GR_OK)
        rc = gr_store_user_password_set(st, user_id, hash, gr_time_now_ms());
    if (rc == GR_OK)
        rc = gr_store_token_delete_user(st, user_id, GR_TOKEN_SESSION);
    if (rc == GR_OK)
        rc = gr_store_commit(st);
    explicit_bzero(hash, sizeof hash);
    if (rc != GR_OK) {
        gr_store_rollback(st);
        if (rc == GR_ENOTFOUND)
            return gr_apperr_set(e, 404, "app.user.missing_account.const",
                                 "Unable to find the user.");
        return store_fail(e, rc);
    }
    return 0;
}

/* ---- Tokens --------------------------------------------------------------------------------- */

/* Makes and stores a token of kind for user_id; the secret goes to secret_out. */
static int token_issue(struct gr_store *st, const char *user_id, const char *kind,
                       const char *description, int64_t now_ms, int64_t expires_at,
                       struct gr_token *out, char secret_out[GR_ID_SIZE], struct gr_apperr *e)
{
    struct gr_token t;
    char secret[GR_ID_SIZE];
    gr_err rc;

    memset(&t, 0, sizeof t);
    gr_id_new(t.id);
    gr_id_new(secret);
    gr_sha256_hex(secret, GR_ID_LEN, t.hash);
    snprintf(t.user_id, sizeof t.user_id, "%s", user_id);
    snprintf(t.description, sizeof t.description, "%s", description ? description : "");
    snprintf(t.kind, sizeof t.kind, "%s", kind);
    t.is_active = true;
    t.create_at = now_ms;
    t.expires_at = expires_at;
    rc = gr_store_token_insert(st, &t);
    if (rc != GR_OK) {
        explicit_bzero(secret, sizeof secret);
        if (rc == GR_EINVAL)
            return gr_apperr_set(e, 404, "app.user.missing_account.const",
                                 "Unable to find the user.");
        return store_fail(e, rc);
    }
    memcpy(secret_out, secret, GR_ID_SIZE);
    explicit_bzero(secret, sizeof secret);
    if (out != NULL)
        *out = t;
    return 0;
}

int gr_auth_pat_create(struct gr_store *st, const struct gr_auth_options *o, const char *user_id,
                       const char *description, struct gr_token *out, char token_out[GR_ID_SIZE],
                       struct gr_apperr *e)
{
    struct gr_user u;
    size_t runes;
    int code;

    code = gr_auth_user_get(st, user_id, &u, e);
    if (code)
        return code;
    /* Mattermost exempts bots: a bot is useless without a token. */
    if (!o->enable_user_access_tokens && !u.is_bot)
        return gr_apperr_set(e, 501, "app.user_access_token.disabled",
                             "Personal access tokens are disabled on this server. Please "
                             "contact your system administrator for details.");
    runes = description ? gr_utf8_count(description, strlen(description)) : 0;
    if (runes == 0 || runes > 255 || strlen(description) >= sizeof out->description)
        return gr_apperr_set(e, 400, "model.user_access_token.is_valid.description.app_error",
                             "Invalid description, must be 255 or less characters.");
    if (u.delete_at != 0)
        return gr_apperr_set(e, 400, "app.user_access_token.inactive_user",
                             "The user is deactivated.");
    return token_issue(st, u.id, GR_TOKEN_PAT, description, gr_time_now_ms(), 0, out, token_out, e);
}

static int token_missing(struct gr_apperr *e)
{
    return gr_apperr_set(e, 404, "app.user_access_token.get_by_user.app_error",
                         "Unable to get the personal access token.");
}

int gr_auth_pat_get(struct gr_store *st, const char *token_id, struct gr_token *out,
                    struct gr_apperr *e)
{
    gr_err rc = gr_store_token_get(st, token_id, out);

    if (rc == GR_ENOTFOUND || (rc == GR_OK && strcmp(out->kind, GR_TOKEN_PAT) != 0))
        return token_missing(e);
    if (rc != GR_OK)
        return store_fail(e, rc);
    return 0;
}

int gr_auth_pat_set_active(struct gr_store *st, const char *token_id, bool active,
                           struct gr_apperr *e)
{
    struct gr_token t;
    int code = gr_auth_pat_get(st, token_id, &t, e);
    gr_err rc;

    if (code)
        return code;
    rc = gr_store_token_set_active(st, t.id, active);
    if (rc == GR_ENOTFOUND)
        return token_missing(e);
    return rc == GR_OK ? 0 : store_fail(e, rc);
}

int gr_auth_token_revoke(struct gr_store *st, const char *token_id, struct gr_apperr *e)
{
    gr_err rc = gr_store_token_delete(st, token_id);

    if (rc == GR_ENOTFOUND)
        return token_missing(e);
    return rc == GR_OK ? 0 : store_fail(e, rc);
}

/* ---- Sessions ------------------------------------------------------------------------------- */

static int invalid_credentials(struct gr_apperr *e)
{
    return gr_apperr_set(e, 401, "api.user.login.invalid_credentials_email_username",
                         "Enter a valid email or username and/or password.");
}

int gr_auth_login(struct gr_store *st, const struct gr_auth_options *o, const char *login_id,
                  const char *password, int64_t now_ms, struct gr_user *user_out,
                  char token_out[GR_ID_SIZE], struct gr_apperr *e)
{
    char hash[GR_AUTH_HASH_SIZE];
    struct gr_user u;
    bool found = false, ok;
    int code;
    gr_err rc;

    if (password == NULL || password[0] == '\0')
        return gr_apperr_set(e, 400, "api.user.login.blank_pwd.app_error",
                             "Password field must not be blank");
    hash[0] = '\0';
    if (login_id != NULL && login_id[0] != '\0') {
        rc = gr_store_user_get_by_name(st, login_id, &u);
        if (rc == GR_ENOTFOUND && strchr(login_id, '@') != NULL)
            rc = gr_store_user_get_by_email(st, login_id, &u);
        if (rc != GR_OK && rc != GR_ENOTFOUND)
            return store_fail(e, rc);
        found = rc == GR_OK;
    }
    if (found && u.is_bot)
        return gr_apperr_set(e, 401, "api.user.login.bot_login_forbidden.app_error",
                             "Bot login is forbidden.");
    if (found) {
        rc = gr_store_user_password_get(st, u.id, hash, sizeof hash);
        if (rc != GR_OK && rc != GR_ENOTFOUND && rc != GR_ETOOBIG)
            return store_fail(e, rc);
    }
    if (hash[0] != '\0') {
        ok = gr_auth_password_verify(hash, password);
    } else {
        /* No such user, or no password: spend the time a verification would, so the answer's
         * timing does not tell which accounts exist. */
        if (gr_auth_password_hash(o, password, hash, e) != 0)
            gr_log_warn("auth", "dummy password hash failed");
        ok = false;
    }
    explicit_bzero(hash, sizeof hash);
    if (!ok)
        return invalid_credentials(e);
    /* Only now that the password matched may the answer reveal the account's state. */
    if (u.delete_at != 0)
        return gr_apperr_set(e, 401, "api.user.login.inactive.app_error",
                             "Login failed because your account has been deactivated. Please "
                             "contact an administrator.");
    code = token_issue(st, u.id, GR_TOKEN_SESSION, "", now_ms, now_ms + o->session_length_ms, NULL,
                       token_out, e);
    if (code)
        return code;
    /* Sessions that expired unused would otherwise stay forever (authenticate deletes only the
     * ones presented). Logins are rare and already slow, so they sweep. Best effort. */
    if (gr_store_token_expire(st, now_ms) != GR_OK)
        gr_log_debug("auth", "could not delete expired sessions");
    if (user_out != NULL)
        *user_out = u;
    return 0;
}

int gr_auth_logout(struct gr_store *st, const struct gr_auth_session *s, struct gr_apperr *e)
{
    gr_err rc;

    if (s == NULL || strcmp(s->token.kind, GR_TOKEN_SESSION) != 0)
        return 0;
    rc = gr_store_token_delete(st, s->token.id);
    if (rc != GR_OK && rc != GR_ENOTFOUND)
        return store_fail(e, rc);
    return 0;
}

int gr_auth_authenticate(struct gr_store *st, const struct gr_auth_options *o, const char *token,
                         int64_t now_ms, struct gr_auth_session *out, struct gr_apperr *e)
{
    char hash[GR_SHA256_HEX_SIZE];
    struct gr_token *t = &out->token;
    bool is_session;
    gr_err rc;

    if (token == NULL || token[0] == '\0')
        return expired(e);
    /* Looking up by digest means the database compares digests, so lookup timing reveals
     * nothing about the secret itself. */
    gr_sha256_hex(token, strlen(token), hash);
    rc = gr_store_token_get_by_hash(st, hash, t);
    if (rc == GR_ENOTFOUND)
        return expired(e);
    if (rc != GR_OK)
        return store_fail(e, rc);
    is_session = strcmp(t->kind, GR_TOKEN_SESSION) == 0;
    if (t->expires_at != 0 && t->expires_at <= now_ms) {
        /* Best effort: an expired session is useless; a failure here changes nothing. */
        if (is_session && gr_store_token_delete(st, t->id) != GR_OK)
            gr_log_debug("auth", "could not delete an expired session");
        return expired(e);
    }
    if (!t->is_active || (!is_session && !o->enable_user_access_tokens))
        return expired(e);
    rc = gr_store_user_get(st, t->user_id, &out->user);
    if (rc == GR_ENOTFOUND || (rc == GR_OK && out->user.delete_at != 0))
        return expired(e);
    if (rc != GR_OK)
        return store_fail(e, rc);
    if (now_ms - t->last_used_at >= TOUCH_EVERY_MS) {
        /* A write on a read path, so at most once a minute per token; losing it is harmless. */
        if (gr_store_token_touch(st, t->id, now_ms) == GR_OK)
            t->last_used_at = now_ms;
        else
            gr_log_debug("auth", "could not record a token's last use");
    }
    return 0;
}
