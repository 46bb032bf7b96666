/* SPDX-License-Identifier: MIT */
/*
 * auth_users.c - see auth.h: creating human accounts with a profile and a password, looking
 * users up, and bot accounts (a bot is a user row with is_bot, an owner and a description, as
 * in Mattermost, where the Bots table mirrors the user).
 *
 * Multi-row changes (a user plus its team and channel memberships) run in one transaction on
 * the caller's connection, so a failure leaves nothing half-made. Password hashing happens
 * before the transaction opens: it is slow, and the write lock must not wait for it.
 */
#include "app/auth.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app/admin.h"
#include "core/gtime.h"
#include "core/utf8.h"
#include "mm/names.h"

static int store_fail(struct gr_apperr *e, gr_err rc)
{
    return gr_apperr_set(e, 500, "app.store.app_error", "The store failed: %s.", gr_err_str(rc));
}

/* True when s (NULL = "") has at most max runes and fits a field of size bytes. */
static bool fits(const char *s, size_t max, size_t size)
{
    if (s == NULL)
        return true;
    return strlen(s) < size && gr_utf8_count(s, strlen(s)) <= max;
}

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src != NULL ? src : "");
}

/* Mattermost's IsValidEmail, roughly: one '@' with text on both sides, no spaces or control
 * characters, at most 128 bytes. */
static bool email_valid(const char *s)
{
    const char *at = strchr(s, '@');
    size_t n = strlen(s);

    if (n == 0 || n > 128 || at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@'))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
            return false;
    return true;
}

/* Lowercases username into name[GR_NAME_SIZE] and checks it (spec §9; ID-5 for reserved
 * names). gr_admin_user_create checks again; checking first keeps Mattermost's order (the
 * username is refused before the password is looked at). */
static int check_username(const char *username, char name[GR_NAME_SIZE], struct gr_apperr *e)
{
    size_t i;

    if (username == NULL)
        username = "";
    for (i = 0; username[i] && i < GR_NAME_SIZE - 1; i++)
        name[i] = (char)tolower((unsigned char)username[i]);
    name[i] = '\0';
    if (username[i] || !gr_mm_username_valid(name))
        return gr_apperr_set(e, 400, "model.user.is_valid.username.app_error",
                             "Invalid username '%.64s': use 1-64 lowercase letters, digits, '.', "
                             "'-' and '_'; all, channel, here, matterbot and system are reserved.",
                             username);
    return 0;
}

static int field_error(struct gr_apperr *e, const char *id, const char *what, size_t max)
{
    return gr_apperr_set(e, 400, id, "Invalid %s: at most %zu characters.", what, max);
}

static int check_profile(const struct gr_auth_new_user *nu, struct gr_apperr *e)
{
    struct gr_user u; /* only for the field sizes */

    if (nu->email != NULL && nu->email[0] != '\0' &&
        (!email_valid(nu->email) || strlen(nu->email) >= sizeof u.email))
        return gr_apperr_set(e, 400, "model.user.is_valid.email.app_error",
                             "Invalid email address.");
    if (!fits(nu->nickname, 64, sizeof u.nickname))
        return field_error(e, "model.user.is_valid.nickname.app_error", "nickname", 64);
    if (!fits(nu->first_name, 64, sizeof u.first_name))
        return field_error(e, "model.user.is_valid.first_name.app_error", "first name", 64);
    if (!fits(nu->last_name, 64, sizeof u.last_name))
        return field_error(e, "model.user.is_valid.last_name.app_error", "last name", 64);
    if (!fits(nu->position, 128, sizeof u.position))
        return field_error(e, "model.user.is_valid.position.app_error", "position", 128);
    if (!fits(nu->locale, 5, sizeof u.locale))
        return field_error(e, "model.user.is_valid.locale.app_error", "locale", 5);
    return 0;
}

int gr_auth_user_create(struct gr_store *st, const struct gr_auth_options *o,
                        const struct gr_auth_new_user *nu, struct gr_user *out, struct gr_apperr *e)
{
    char hash[GR_AUTH_HASH_SIZE] = "";
    char email[257] = "";
    struct gr_user u, other;
    int code;
    gr_err rc;

    char name[GR_NAME_SIZE];

    memset(&u, 0, sizeof u);
    code = check_username(nu->username, name, e);
    if (code == 0)
        code = check_profile(nu, e);
    if (code)
        return code;
    /* Mattermost stores emails lowercased (NormalizeEmail). */
    for (size_t i = 0; nu->email != NULL && nu->email[i] != '\0' && i + 1 < sizeof email; i++)
        email[i] = (char)tolower((unsigned char)nu->email[i]);
    if (nu->password != NULL) {
        code = gr_auth_password_validate(nu->password, e);
        if (code == 0)
            code = gr_auth_password_hash(o, nu->password, hash, e);
        if (code)
            return code;
    }
    rc = gr_store_begin(st);
    if (rc != GR_OK) {
        code = store_fail(e, rc);
        goto out;
    }
    rc = gr_store_user_get_by_email(st, email, &other);
    if (rc == GR_OK) {
        code = gr_apperr_set(e, 400, "app.user.save.email_exists.app_error",
                             "An account with that email already exists.");
        goto out;
    }
    if (rc != GR_ENOTFOUND) {
        code = store_fail(e, rc);
        goto out;
    }
    code = gr_admin_user_create(st, name, email, nu->is_admin, false, &u, e);
    if (code)
        goto out;
    copy(u.nickname, sizeof u.nickname, nu->nickname);
    copy(u.first_name, sizeof u.first_name, nu->first_name);
    copy(u.last_name, sizeof u.last_name, nu->last_name);
    copy(u.position, sizeof u.position, nu->position);
    copy(u.locale, sizeof u.locale, nu->locale != NULL && nu->locale[0] ? nu->locale : "en");
    rc = gr_store_user_update(st, &u);
    if (rc == GR_OK && hash[0] != '\0') {
        rc = gr_store_user_password_set(st, u.id, hash, u.create_at);
        u.last_password_update = u.create_at;
    }
    if (rc == GR_OK)
        rc = gr_store_commit(st);
    if (rc != GR_OK)
        code = store_fail(e, rc);
out:
    explicit_bzero(hash, sizeof hash);
    if (code) {
        gr_store_rollback(st);
        return code;
    }
    if (out != NULL)
        *out = u;
    return 0;
}

int gr_auth_user_get(struct gr_store *st, const char *id, struct gr_user *out, struct gr_apperr *e)
{
    gr_err rc = gr_store_user_get(st, id, out);

    if (rc == GR_ENOTFOUND)
        return gr_apperr_set(e, 404, "app.user.missing_account.const", "Unable to find the user.");
    return rc == GR_OK ? 0 : store_fail(e, rc);
}

int gr_auth_user_get_by_name(struct gr_store *st, const char *username, struct gr_user *out,
                             struct gr_apperr *e)
{
    gr_err rc = gr_store_user_get_by_name(st, username, out);

    if (rc == GR_ENOTFOUND)
        return gr_apperr_set(e, 404, "app.user.get_by_username.app_error",
                             "Unable to find an existing account matching this username.");
    return rc == GR_OK ? 0 : store_fail(e, rc);
}

/* ---- Bots ----------------------------------------------------------------------------------- */

static int bot_missing(struct gr_apperr *e)
{
    /* The same answer for "no such user", "not a bot" and "not yours to see", so the API does
     * not reveal which ids are bots (Mattermost's MakeBotNotFoundError). */
    return gr_apperr_set(e, 404, "store.sql_bot.get.missing.app_error", "Unable to find the bot.");
}

static int check_bot_fields(const char *display_name, const char *description, struct gr_apperr *e)
{
    struct gr_user u; /* only for the field sizes */

    if (!fits(display_name, 64, sizeof u.first_name))
        return field_error(e, "model.bot.is_valid.display_name.app_error", "bot display name", 64);
    if (!fits(description, 1024, sizeof u.bot_description))
        return field_error(e, "model.bot.is_valid.description.app_error", "bot description", 1024);
    return 0;
}

int gr_auth_bot_create(struct gr_store *st, const char *owner_id, const char *username,
                       const char *display_name, const char *description, struct gr_user *out,
                       struct gr_apperr *e)
{
    char email[GR_NAME_SIZE + 16];
    char name[GR_NAME_SIZE];
    struct gr_user u, owner;
    int code;
    gr_err rc;

    code = check_username(username, name, e);
    if (code == 0)
        code = check_bot_fields(display_name, description, e);
    if (code)
        return code;
    rc = gr_store_begin(st);
    if (rc != GR_OK)
        return store_fail(e, rc);
    rc = gr_store_user_get(st, owner_id, &owner);
    if (rc != GR_OK) {
        code = rc == GR_ENOTFOUND ? gr_apperr_set(e, 404, "app.user.missing_account.const",
                                                  "Unable to find the bot's owner.")
                                  : store_fail(e, rc);
        goto out;
    }
    /* A bot's email is <username>@localhost (Mattermost's UserFromBot); hidden from others. */
    snprintf(email, sizeof email, "%s@localhost", name);
    code = gr_admin_user_create(st, name, email, false, true, &u, e);
    if (code)
        goto out;
    copy(u.first_name, sizeof u.first_name, display_name);
    copy(u.bot_description, sizeof u.bot_description, description);
    copy(u.bot_owner_id, sizeof u.bot_owner_id, owner.id);
    copy(u.locale, sizeof u.locale, "en");
    rc = gr_store_user_update(st, &u);
    if (rc == GR_OK)
        rc = gr_store_commit(st);
    if (rc != GR_OK)
        code = store_fail(e, rc);
out:
    if (code) {
        gr_store_rollback(st);
        return code;
    }
    if (out != NULL)
        *out = u;
    return 0;
}

int gr_auth_bot_get(struct gr_store *st, const char *bot_id, bool include_deleted,
                    struct gr_user *out, struct gr_apperr *e)
{
    gr_err rc = gr_store_user_get(st, bot_id, out);

    if (rc != GR_OK && rc != GR_ENOTFOUND)
        return store_fail(e, rc);
    if (rc == GR_ENOTFOUND || !out->is_bot || (out->delete_at != 0 && !include_deleted))
        return bot_missing(e);
    return 0;
}

/* Stores bot after a change; maps a taken username. */
static int bot_save(struct gr_store *st, struct gr_user *bot, struct gr_apperr *e)
{
    gr_err rc;

    bot->update_at = gr_time_now_ms();
    rc = gr_store_user_update(st, bot);
    if (rc == GR_EEXIST)
        return gr_apperr_set(e, 400, "app.user.save.username_exists.app_error",
                             "A user named '%s' already exists.", bot->username);
    if (rc == GR_ENOTFOUND)
        return bot_missing(e);
    return rc == GR_OK ? 0 : store_fail(e, rc);
}

int gr_auth_bot_patch(struct gr_store *st, struct gr_user *bot, const char *username,
                      const char *display_name, const char *description, struct gr_apperr *e)
{
    struct gr_user u = *bot;
    char name[GR_NAME_SIZE];
    int code;

    code = check_bot_fields(display_name, description, e);
    if (code == 0 && username != NULL)
        code = check_username(username, name, e);
    if (code)
        return code;
    if (username != NULL)
        copy(u.username, sizeof u.username, name);
    if (display_name != NULL)
        copy(u.first_name, sizeof u.first_name, display_name);
    if (description != NULL)
        copy(u.bot_description, sizeof u.bot_description, description);
    code = bot_save(st, &u, e);
    if (code == 0)
        *bot = u;
    return code;
}

int gr_auth_bot_set_active(struct gr_store *st, struct gr_user *bot, bool active,
                           struct gr_apperr *e)
{
    struct gr_user u = *bot;
    int code;

    if (active == (u.delete_at == 0))
        return 0; /* nothing to change; Mattermost answers the bot as it is */
    u.delete_at = active ? 0 : gr_time_now_ms();
    code = bot_save(st, &u, e);
    if (code == 0)
        *bot = u;
    return code;
}

int gr_auth_bot_assign(struct gr_store *st, struct gr_user *bot, const char *owner_id,
                       struct gr_apperr *e)
{
    struct gr_user u = *bot, owner;
    int code = gr_auth_user_get(st, owner_id, &owner, e);

    if (code)
        return code;
    copy(u.bot_owner_id, sizeof u.bot_owner_id, owner.id);
    code = bot_save(st, &u, e);
    if (code == 0)
        *bot = u;
    return code;
}
