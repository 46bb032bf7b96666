/* SPDX-License-Identifier: MIT */
/*
 * test_auth.c - accounts (app/auth.h) over a private in-memory store (cmocka): argon2id
 * passwords at a low cost, logins and session expiry, personal access token states, bots, the
 * role helpers, and the store's users-and-tokens section underneath.
 *
 * Time is passed in explicitly (now_ms), so expiry and the once-a-minute last_used_at write are
 * tested without sleeping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/admin.h"
#include "app/auth.h"
#include "core/gtime.h"
#include "core/log.h"
#include "store/store.h"

struct fx {
    struct gr_store *st;
    struct gr_auth_options o;
    struct gr_user admin, alice;
    struct gr_auth_session s; /* scratch */
    struct gr_apperr e;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct gr_auth_new_user nu = {.username = "Alice",
                                  .email = "Alice@Example.org",
                                  .password = "correct horse",
                                  .first_name = "Alice"};
    struct gr_bootstrap b;
    char err[256];

    assert_non_null(f);
    assert_int_equal(gr_store_open("sqlite::memory:", GR_STORE_CREATE, &f->st, err, sizeof err),
                     GR_OK);
    gr_auth_options_default(&f->o);
    /* The lowest cost libargon2 accepts: the tests check behaviour, not strength. */
    f->o.hash_time_cost = 1;
    f->o.hash_memory_kib = 8;
    assert_int_equal(gr_admin_bootstrap(f->st, &b, &f->e), 0);
    assert_int_equal(gr_store_user_get_by_name(f->st, "admin", &f->admin), GR_OK);
    assert_int_equal(gr_auth_user_create(f->st, &f->o, &nu, &f->alice, &f->e), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    gr_store_close(f->st);
    free(f);
    return 0;
}

/* ---- Passwords ------------------------------------------------------------------------------ */

static void test_password_roundtrip(void **state)
{
    struct fx *f = *state;
    char h1[GR_AUTH_HASH_SIZE], h2[GR_AUTH_HASH_SIZE];

    assert_int_equal(gr_auth_password_hash(&f->o, "s3cret-pass", h1, &f->e), 0);
    assert_int_equal(gr_auth_password_hash(&f->o, "s3cret-pass", h2, &f->e), 0);
    assert_memory_equal(h1, "$argon2id$v=19$m=8,t=1,p=1$", 27);
    assert_string_not_equal(h1, h2); /* a fresh salt each time */
    assert_null(strstr(h1, "s3cret"));
    assert_true(gr_auth_password_verify(h1, "s3cret-pass"));
    assert_true(gr_auth_password_verify(h2, "s3cret-pass"));
    assert_false(gr_auth_password_verify(h1, "s3cret-pasS"));
    assert_false(gr_auth_password_verify(h1, ""));
    assert_false(gr_auth_password_verify("", "s3cret-pass"));
    assert_false(gr_auth_password_verify(NULL, "s3cret-pass"));
    /* Only argon2id encodings are accepted: an argon2i one (or anything else) never matches. */
    assert_false(
            gr_auth_password_verify("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "s3cret-pass"));
    assert_false(gr_auth_password_verify("plain", "plain"));

    assert_int_equal(gr_auth_password_validate("1234567", &f->e), 400);
    assert_string_equal(f->e.id, "model.user.is_valid.pwd.app_error");
    assert_int_equal(gr_auth_password_validate("12345678", &f->e), 0);
    assert_int_equal(gr_auth_password_validate(NULL, &f->e), 400);
}

static void test_password_stored_as_hash(void **state)
{
    struct fx *f = *state;
    char hash[GR_AUTH_HASH_SIZE];
    struct gr_user u;

    assert_int_equal(gr_store_user_password_get(f->st, f->alice.id, hash, sizeof hash), GR_OK);
    assert_memory_equal(hash, "$argon2id$", 10);
    assert_null(strstr(hash, "correct horse"));
    assert_true(gr_auth_password_verify(hash, "correct horse"));
    /* Too small a buffer is an error, never a truncated hash. */
    assert_int_equal(gr_store_user_password_get(f->st, f->alice.id, hash, 10), GR_ETOOBIG);
    /* The admin has no password. */
    assert_int_equal(gr_store_user_password_get(f->st, f->admin.id, hash, sizeof hash), GR_OK);
    assert_string_equal(hash, "");
    assert_int_equal(
            gr_store_user_password_get(f->st, "nosuchusernosuchusernosuch", hash, sizeof hash),
            GR_ENOTFOUND);
    /* Profile fields round-trip; the email was lowercased. */
    assert_int_equal(gr_store_user_get(f->st, f->alice.id, &u), GR_OK);
    assert_string_equal(u.username, "alice");
    assert_string_equal(u.email, "alice@example.org");
    assert_string_equal(u.first_name, "Alice");
    assert_string_equal(u.locale, "en");
    assert_true(u.last_password_update > 0);
}

/* ---- Logins and sessions -------------------------------------------------------------------- */

static void test_login(void **state)
{
    struct fx *f = *state;
    char tok[GR_ID_SIZE], tok2[GR_ID_SIZE];
    int64_t now = gr_time_now_ms();
    struct gr_user u;

    assert_int_equal(gr_auth_login(f->st, &f->o, "alice", "correct horse", now, &u, tok, &f->e), 0);
    assert_string_equal(u.id, f->alice.id);
    assert_int_equal(strlen(tok), GR_ID_LEN);
    /* Username any case, or the email any case. */
    assert_int_equal(gr_auth_login(f->st, &f->o, "ALICE", "correct horse", now, &u, tok2, &f->e),
                     0);
    assert_string_not_equal(tok, tok2);
    assert_int_equal(
            gr_auth_login(f->st, &f->o, "alice@EXAMPLE.org", "correct horse", now, &u, tok2, &f->e),
            0);
    /* Wrong password, unknown user and a user without a password look the same. */
    assert_int_equal(gr_auth_login(f->st, &f->o, "alice", "wrong horse", now, &u, tok2, &f->e),
                     401);
    assert_string_equal(f->e.id, "api.user.login.invalid_credentials_email_username");
    assert_int_equal(gr_auth_login(f->st, &f->o, "nobody", "correct horse", now, &u, tok2, &f->e),
                     401);
    assert_string_equal(f->e.id, "api.user.login.invalid_credentials_email_username");
    assert_int_equal(gr_auth_login(f->st, &f->o, "admin", "anything-at-all", now, &u, tok2, &f->e),
                     401);
    assert_string_equal(f->e.id, "api.user.login.invalid_credentials_email_username");
    assert_int_equal(gr_auth_login(f->st, &f->o, "alice", "", now, &u, tok2, &f->e), 400);
    assert_string_equal(f->e.id, "api.user.login.blank_pwd.app_error");
    assert_int_equal(gr_auth_login(f->st, &f->o, NULL, "correct horse", now, &u, tok2, &f->e), 401);
}

static void test_session_expiry(void **state)
{
    struct fx *f = *state;
    char tok[GR_ID_SIZE];
    int64_t now = 1700000000000;
    struct gr_token row;
    struct gr_user u;

    f->o.session_length_ms = 3600 * 1000;
    assert_int_equal(gr_auth_login(f->st, &f->o, "alice", "correct horse", now, &u, tok, &f->e), 0);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, tok, now + 1000, &f->s, &f->e), 0);
    assert_string_equal(f->s.user.id, f->alice.id);
    assert_string_equal(f->s.token.kind, GR_TOKEN_SESSION);
    assert_int_equal(f->s.token.expires_at, now + 3600 * 1000);
    /* Sessions are not personal access tokens: disabling PATs leaves them working. */
    f->o.enable_user_access_tokens = false;
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, tok, now + 2000, &f->s, &f->e), 0);
    /* At the expiry instant the session is gone, and deleted. */
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, tok, now + 3600 * 1000, &f->s, &f->e), 401);
    assert_string_equal(f->e.id, "api.context.session_expired.app_error");
    assert_int_equal(gr_store_token_get(f->st, f->s.token.id, &row), GR_ENOTFOUND);
    /* Garbage and nothing. */
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, "nope", now, &f->s, &f->e), 401);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, "", now, &f->s, &f->e), 401);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, NULL, now, &f->s, &f->e), 401);
}

static void test_logout_and_password_change(void **state)
{
    struct fx *f = *state;
    char t1[GR_ID_SIZE], t2[GR_ID_SIZE], pat[GR_ID_SIZE];
    int64_t now = gr_time_now_ms();
    struct gr_user u;

    assert_int_equal(gr_auth_login(f->st, &f->o, "alice", "correct horse", now, &u, t1, &f->e), 0);
    assert_int_equal(gr_auth_login(f->st, &f->o, "alice", "correct horse", now, &u, t2, &f->e), 0);
    assert_int_equal(gr_auth_pat_create(f->st, &f->o, f->alice.id, "script", NULL, pat, &f->e), 0);
    /* Logout ends only the session it came with. */
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, t1, now, &f->s, &f->e), 0);
    assert_int_equal(gr_auth_logout(f->st, &f->s, &f->e), 0);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, t1, now, &f->s, &f->e), 401);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, t2, now, &f->s, &f->e), 0);
    /* Logging out with a personal access token leaves the token alone. */
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 0);
    assert_int_equal(gr_auth_logout(f->st, &f->s, &f->e), 0);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 0);
    /* A new password ends every session, not the tokens, and the old one stops working. */
    assert_int_equal(gr_auth_password_set(f->st, &f->o, f->alice.id, "battery staple", &f->e), 0);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, t2, now, &f->s, &f->e), 401);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 0);
    assert_int_equal(gr_auth_login(f->st, &f->o, "alice", "correct horse", now, &u, t1, &f->e),
                     401);
    assert_int_equal(gr_auth_login(f->st, &f->o, "alice", "battery staple", now, &u, t1, &f->e), 0);
    assert_int_equal(gr_auth_password_set(f->st, &f->o, f->alice.id, "short", &f->e), 400);
}

static void test_deactivated_user(void **state)
{
    struct fx *f = *state;
    char tok[GR_ID_SIZE], pat[GR_ID_SIZE];
    int64_t now = gr_time_now_ms();
    struct gr_user u = f->alice;

    assert_int_equal(gr_auth_login(f->st, &f->o, "alice", "correct horse", now, NULL, tok, &f->e),
                     0);
    assert_int_equal(gr_auth_pat_create(f->st, &f->o, u.id, "script", NULL, pat, &f->e), 0);
    u.delete_at = now;
    assert_int_equal(gr_store_user_update(f->st, &u), GR_OK);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, tok, now, &f->s, &f->e), 401);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 401);
    /* The right password tells a deactivated user why; a wrong one tells nothing. */
    assert_int_equal(gr_auth_login(f->st, &f->o, "alice", "correct horse", now, NULL, tok, &f->e),
                     401);
    assert_string_equal(f->e.id, "api.user.login.inactive.app_error");
    assert_int_equal(gr_auth_login(f->st, &f->o, "alice", "wrong horse", now, NULL, tok, &f->e),
                     401);
    assert_string_equal(f->e.id, "api.user.login.invalid_credentials_email_username");
}

/* ---- Personal access tokens ----------------------------------------------------------------- */

static void test_pat_states(void **state)
{
    struct fx *f = *state;
    char pat[GR_ID_SIZE];
    int64_t now = 1700000000000;
    struct gr_token t, got;
    struct gr_token_list l = {0};

    assert_int_equal(gr_auth_pat_create(f->st, &f->o, f->alice.id, "ci", &t, pat, &f->e), 0);
    assert_string_equal(t.kind, GR_TOKEN_PAT);
    assert_true(t.is_active);
    assert_int_equal(t.expires_at, 0);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 0);
    assert_string_equal(f->s.token.id, t.id);
    assert_string_equal(f->s.user.id, f->alice.id);
    /* last_used_at: written on first use, then at most once a minute. */
    assert_int_equal(gr_store_token_get(f->st, t.id, &got), GR_OK);
    assert_int_equal(got.last_used_at, now);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now + 30000, &f->s, &f->e), 0);
    assert_int_equal(gr_store_token_get(f->st, t.id, &got), GR_OK);
    assert_int_equal(got.last_used_at, now);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now + 61000, &f->s, &f->e), 0);
    assert_int_equal(gr_store_token_get(f->st, t.id, &got), GR_OK);
    assert_int_equal(got.last_used_at, now + 61000);
    /* disable -> 401, enable -> back. */
    assert_int_equal(gr_auth_pat_set_active(f->st, t.id, false, &f->e), 0);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 401);
    assert_int_equal(gr_auth_pat_get(f->st, t.id, &got, &f->e), 0);
    assert_false(got.is_active);
    assert_int_equal(gr_auth_pat_set_active(f->st, t.id, true, &f->e), 0);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 0);
    /* Tokens switched off server-wide: refused, and no new ones for people. */
    f->o.enable_user_access_tokens = false;
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 401);
    assert_int_equal(gr_auth_pat_create(f->st, &f->o, f->alice.id, "x", NULL, pat, &f->e), 501);
    assert_string_equal(f->e.id, "app.user_access_token.disabled");
    f->o.enable_user_access_tokens = true;
    /* Listing shows PATs only (the bootstrap admin token belongs to admin). */
    assert_int_equal(gr_store_token_list(f->st, f->alice.id, GR_TOKEN_PAT, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].id, t.id);
    gr_token_list_free(&l);
    assert_int_equal(gr_store_token_list(f->st, NULL, GR_TOKEN_PAT, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 2);
    gr_token_list_free(&l);
    /* Revoke: gone for good. */
    assert_int_equal(gr_auth_token_revoke(f->st, t.id, &f->e), 0);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 401);
    assert_int_equal(gr_auth_pat_get(f->st, t.id, &got, &f->e), 404);
    assert_string_equal(f->e.id, "app.user_access_token.get_by_user.app_error");
    assert_int_equal(gr_auth_token_revoke(f->st, t.id, &f->e), 404);
    /* Descriptions: 1-255 runes. */
    assert_int_equal(gr_auth_pat_create(f->st, &f->o, f->alice.id, "", NULL, pat, &f->e), 400);
    assert_string_equal(f->e.id, "model.user_access_token.is_valid.description.app_error");
    assert_int_equal(gr_auth_pat_create(f->st, &f->o, f->alice.id, NULL, NULL, pat, &f->e), 400);
    assert_int_equal(
            gr_auth_pat_create(f->st, &f->o, "nosuchusernosuchusernosuch", "x", NULL, pat, &f->e),
            404);
}

/* ---- Bots and roles ------------------------------------------------------------------------- */

static void test_bots(void **state)
{
    struct fx *f = *state;
    char pat[GR_ID_SIZE], tok[GR_ID_SIZE];
    int64_t now = gr_time_now_ms();
    struct gr_user bot, got, other;
    struct gr_user_list l = {0};

    assert_int_equal(gr_auth_bot_create(f->st, f->alice.id, "CI-Bot", "CI", "builds", &bot, &f->e),
                     0);
    assert_true(bot.is_bot);
    assert_string_equal(bot.username, "ci-bot");
    assert_string_equal(bot.email, "ci-bot@localhost");
    assert_string_equal(bot.first_name, "CI");
    assert_string_equal(bot.bot_description, "builds");
    assert_string_equal(bot.bot_owner_id, f->alice.id);
    assert_int_equal(gr_auth_bot_get(f->st, bot.id, false, &got, &f->e), 0);
    assert_string_equal(got.bot_owner_id, f->alice.id);
    /* A person is not a bot; reserved and taken names are refused (ID-5). */
    assert_int_equal(gr_auth_bot_get(f->st, f->alice.id, false, &got, &f->e), 404);
    assert_string_equal(f->e.id, "store.sql_bot.get.missing.app_error");
    assert_int_equal(gr_auth_bot_create(f->st, f->alice.id, "all", NULL, NULL, &got, &f->e), 400);
    assert_string_equal(f->e.id, "model.user.is_valid.username.app_error");
    assert_int_equal(gr_auth_bot_create(f->st, f->alice.id, "channel", NULL, NULL, &got, &f->e),
                     400);
    assert_int_equal(gr_auth_bot_create(f->st, f->alice.id, "alice", NULL, NULL, &got, &f->e), 400);
    assert_string_equal(f->e.id, "app.user.save.username_exists.app_error");
    /* Bots cannot log in with a password; they use tokens, which stop while disabled. */
    assert_int_equal(gr_auth_login(f->st, &f->o, "ci-bot", "whatever-pw", now, NULL, tok, &f->e),
                     401);
    assert_string_equal(f->e.id, "api.user.login.bot_login_forbidden.app_error");
    f->o.enable_user_access_tokens = false; /* bots are exempt when creating */
    assert_int_equal(gr_auth_pat_create(f->st, &f->o, bot.id, "main", NULL, pat, &f->e), 0);
    f->o.enable_user_access_tokens = true;
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 0);
    assert_true(f->s.user.is_bot);
    assert_int_equal(gr_auth_bot_set_active(f->st, &bot, false, &f->e), 0);
    assert_true(bot.delete_at > 0);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 401);
    assert_int_equal(gr_auth_bot_get(f->st, bot.id, false, &got, &f->e), 404);
    assert_int_equal(gr_auth_bot_get(f->st, bot.id, true, &got, &f->e), 0);
    assert_int_equal(gr_auth_bot_set_active(f->st, &bot, true, &f->e), 0);
    assert_int_equal(bot.delete_at, 0);
    assert_int_equal(gr_auth_authenticate(f->st, &f->o, pat, now, &f->s, &f->e), 0);
    /* Patch and reassign. */
    assert_int_equal(gr_auth_bot_patch(f->st, &bot, "ci-bot2", "CI 2", NULL, &f->e), 0);
    assert_int_equal(gr_store_user_get_by_name(f->st, "CI-BOT2", &got), GR_OK);
    assert_string_equal(got.first_name, "CI 2");
    assert_string_equal(got.bot_description, "builds");
    assert_int_equal(gr_auth_bot_patch(f->st, &bot, "admin", NULL, NULL, &f->e), 400);
    assert_int_equal(gr_auth_bot_patch(f->st, &bot, "here", NULL, NULL, &f->e), 400);
    assert_int_equal(gr_auth_bot_assign(f->st, &bot, f->admin.id, &f->e), 0);
    assert_string_equal(bot.bot_owner_id, f->admin.id);
    assert_int_equal(gr_auth_bot_assign(f->st, &bot, "nosuchusernosuchusernosuch", &f->e), 404);
    /* Lists: by owner, and orphans (owner deactivated). */
    assert_int_equal(gr_store_bot_list(f->st, f->admin.id, false, false, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 1);
    gr_user_list_free(&l);
    assert_int_equal(gr_store_bot_list(f->st, f->alice.id, false, false, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 0);
    gr_user_list_free(&l);
    assert_int_equal(gr_store_bot_list(f->st, NULL, false, true, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 0);
    gr_user_list_free(&l);
    other = f->admin;
    other.delete_at = now;
    assert_int_equal(gr_store_user_update(f->st, &other), GR_OK);
    assert_int_equal(gr_store_bot_list(f->st, NULL, false, true, 0, 0, &l), GR_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].id, bot.id);
    gr_user_list_free(&l);
}

static void test_roles(void **state)
{
    struct fx *f = *state;
    struct gr_user bot, bob;
    struct gr_auth_new_user nu = {.username = "bob"};

    assert_int_equal(gr_auth_user_create(f->st, &f->o, &nu, &bob, &f->e), 0);
    assert_int_equal(gr_auth_bot_create(f->st, f->alice.id, "alices-bot", NULL, NULL, &bot, &f->e),
                     0);
    assert_true(gr_auth_is_admin(&f->admin));
    assert_false(gr_auth_is_admin(&f->alice));
    assert_true(gr_auth_may_act_for(&f->alice, &f->alice));
    assert_true(gr_auth_may_act_for(&f->alice, &bot));  /* her bot */
    assert_false(gr_auth_may_act_for(&bob, &bot));      /* not his */
    assert_false(gr_auth_may_act_for(&bob, &f->alice)); /* another person */
    assert_true(gr_auth_may_act_for(&f->admin, &bob));  /* admins manage everyone */
    assert_false(gr_auth_may_act_for(&bot, &f->alice));
}

static void test_user_create_rules(void **state)
{
    struct fx *f = *state;
    struct gr_auth_new_user nu;
    struct gr_user u;

    memset(&nu, 0, sizeof nu);
    nu.username = "all"; /* ID-5: reserved, refused before the (empty) password is looked at */
    nu.password = "";
    assert_int_equal(gr_auth_user_create(f->st, &f->o, &nu, &u, &f->e), 400);
    assert_string_equal(f->e.id, "model.user.is_valid.username.app_error");
    nu.username = "Carol";
    nu.email = "ALICE@example.org";
    nu.password = NULL;
    assert_int_equal(gr_auth_user_create(f->st, &f->o, &nu, &u, &f->e), 400);
    assert_string_equal(f->e.id, "app.user.save.email_exists.app_error");
    nu.email = "not an email";
    assert_int_equal(gr_auth_user_create(f->st, &f->o, &nu, &u, &f->e), 400);
    assert_string_equal(f->e.id, "model.user.is_valid.email.app_error");
    nu.email = NULL;
    nu.password = "short";
    assert_int_equal(gr_auth_user_create(f->st, &f->o, &nu, &u, &f->e), 400);
    assert_string_equal(f->e.id, "model.user.is_valid.pwd.app_error");
    /* Nothing of the refused attempts was stored. */
    assert_int_equal(gr_store_user_get_by_name(f->st, "carol", &u), GR_ENOTFOUND);
    nu.password = NULL;
    nu.is_admin = true;
    assert_int_equal(gr_auth_user_create(f->st, &f->o, &nu, &u, &f->e), 0);
    assert_string_equal(u.username, "carol");
    assert_true(gr_auth_is_admin(&u));
    nu.is_admin = false;
    assert_int_equal(gr_auth_user_create(f->st, &f->o, &nu, &u, &f->e), 400);
    assert_string_equal(f->e.id, "app.user.save.username_exists.app_error");
}

static void test_store_users(void **state)
{
    struct fx *f = *state;
    const char *ids[] = {"nosuchusernosuchusernosuch", "", NULL};
    struct gr_user_list l = {0};
    struct gr_user u = f->alice;

    ids[1] = f->alice.id;
    ids[2] = f->admin.id;
    assert_int_equal(gr_store_user_list_by_ids(f->st, ids, 3, &l), GR_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].id, f->alice.id);
    assert_string_equal(l.v[1].id, f->admin.id);
    gr_user_list_free(&l);
    assert_int_equal(gr_store_user_list_by_ids(f->st, NULL, 0, &l), GR_OK);
    assert_int_equal(l.n, 0);
    /* Renaming onto a taken name. */
    snprintf(u.username, sizeof u.username, "ADMIN");
    assert_int_equal(gr_store_user_update(f->st, &u), GR_EEXIST);
    snprintf(u.id, sizeof u.id, "nosuchusernosuchusernosuch");
    snprintf(u.username, sizeof u.username, "ghost");
    assert_int_equal(gr_store_user_update(f->st, &u), GR_ENOTFOUND);
    assert_int_equal(gr_store_user_get_by_email(f->st, "", &u), GR_ENOTFOUND);
    assert_int_equal(gr_store_token_expire(f->st, gr_time_now_ms()), GR_OK);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_password_roundtrip, setup, teardown),
            cmocka_unit_test_setup_teardown(test_password_stored_as_hash, setup, teardown),
            cmocka_unit_test_setup_teardown(test_login, setup, teardown),
            cmocka_unit_test_setup_teardown(test_session_expiry, setup, teardown),
            cmocka_unit_test_setup_teardown(test_logout_and_password_change, setup, teardown),
            cmocka_unit_test_setup_teardown(test_deactivated_user, setup, teardown),
            cmocka_unit_test_setup_teardown(test_pat_states, setup, teardown),
            cmocka_unit_test_setup_teardown(test_bots, setup, teardown),
            cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
            cmocka_unit_test_setup_teardown(test_user_create_rules, setup, teardown),
            cmocka_unit_test_setup_teardown(test_store_users, setup, teardown),
    };

    gr_log_set_level(GR_LOG_WARN);
    return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
