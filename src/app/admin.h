/* SPDX-License-Identifier: MIT */
/*
 * admin.h - administrative use-cases shared by the CLI and the management REST API: creating
 * teams, channels, users, tokens and incoming hooks, with Mattermost's validation rules, and the
 * first-start bootstrap. Each works on a store connection the caller owns.
 *
 * Functions return 0 on success or an HTTP status with `e` filled (Mattermost id + English
 * message), so the CLI prints e->message and the REST API answers the AppError.
 */
#ifndef GR_APP_ADMIN_H
#define GR_APP_ADMIN_H

#include <stdbool.h>

#include "core/apperr.h"
#include "store/store.h"

#define GR_DEFAULT_TEAM "main"

int gr_admin_team_create(struct gr_store *st, const char *name, const char *display,
                         struct gr_team *out, struct gr_apperr *e);
/* Resolves a team by name (404 app.team.get_by_name.missing.app_error). */
int gr_admin_team_find(struct gr_store *st, const char *name, struct gr_team *out,
                       struct gr_apperr *e);
/* creator_id may be "" (the channel then has no creator member). */
int gr_admin_channel_create(struct gr_store *st, const char *team_id, const char *name,
                            const char *display, bool is_private, const char *creator_id,
                            struct gr_channel *out, struct gr_apperr *e);
int gr_admin_channel_find(struct gr_store *st, const char *team_id, const char *name,
                          struct gr_channel *out, struct gr_apperr *e);
/* Creates a user (name lowercased and validated) who joins team `main` and its public
 * channels, like a new Mattermost member. */
int gr_admin_user_create(struct gr_store *st, const char *username, const char *email,
                         bool is_admin, bool is_bot, struct gr_user *out, struct gr_apperr *e);
/* Creates an access token for user_id; the secret is written to token_out once and only its
 * SHA-256 is stored. */
int gr_admin_token_create(struct gr_store *st, const char *user_id, const char *description,
                          char token_out[GR_ID_SIZE], struct gr_apperr *e);
/* Looks up the user behind a token, session or personal access token, with griot's default
 * options (gr_auth_authenticate; 401 api.context.session_expired.app_error if unknown). The
 * server authenticates with gr_auth_authenticate and its configured options instead. */
int gr_admin_auth(struct gr_store *st, const char *token, struct gr_user *out,
                  struct gr_apperr *e);
/* Validates h (channel_id, team_id and user_id set by the caller; display_name <= 64 runes,
 * description <= 500, username rules, icon_url <= 1024), fills id and times, stores it. */
int gr_admin_hook_create(struct gr_store *st, struct gr_hook *h, struct gr_apperr *e);
int gr_admin_hook_validate(const struct gr_hook *h, struct gr_apperr *e);

struct gr_bootstrap {
    bool created;                 /* the store was empty and has been filled */
    char admin_token[GR_ID_SIZE]; /* the admin's token (only when created) */
    char hook_id[GR_ID_SIZE];     /* town-square's hook (only when created) */
};

/* On an empty store: team main, public channels town-square and off-topic, system admin
 * `admin` with a token, and one incoming hook for town-square, in one transaction. */
int gr_admin_bootstrap(struct gr_store *st, struct gr_bootstrap *out, struct gr_apperr *e);

#endif
