/* SPDX-License-Identifier: MIT */
/*
 * outgoing_admin.h - management of outgoing webhooks (spec mattermost-compat §2.1), shared by
 * /api/v4/hooks/outgoing (api/outgoing.c) and `griot outgoing` (cli/cli_outgoing.c): Mattermost's
 * creation and update rules and error ids, token regeneration, and griot's own per-hook signing
 * secret (shown at creation and on rotation only).
 *
 * Each function works on a store connection the caller owns (an HTTP worker's reader, the CLI's
 * connection) and returns 0 or the HTTP status of the refusal with e filled, like app/admin.h.
 * Whether outgoing webhooks are enabled (501) and who may manage them are the caller's checks.
 *
 * Deviations from Mattermost, chosen where no client can depend on them (spec §2.1, §10): both a
 * hook with neither channel nor trigger word and an intersecting hook are 400 on create and on
 * update; an update keeps the token and the creator (Mattermost takes the token from the body);
 * an empty content_type is stored as the form type it means.
 */
#ifndef GR_APP_OUTGOING_ADMIN_H
#define GR_APP_OUTGOING_ADMIN_H

#include <stdbool.h>

#include <jansson.h>

#include "core/apperr.h"
#include "store/store.h"

/* Applies the members of a JSON hook body (§2.1 keys) present in o onto h: channel_id, team_id,
 * trigger_words, trigger_when, callback_urls, display_name, description, content_type,
 * username, icon_url (creator_id is the caller's business). A member of the wrong type or too
 * long for the store -> 400 api.context.invalid_body_param.app_error. h->trigger_words and
 * h->callback_urls are replaced (owned JSON text). */
int gr_outgoing_admin_apply_json(json_t *o, struct gr_outgoing_hook *h, struct gr_apperr *e);

/* Mattermost's OutgoingWebhook.IsValid for the fields a client sets (400
 * model.outgoing_hook.is_valid.*.app_error): team id, channel id, trigger words (non-empty,
 * "[w1 w2]" at most 1024 bytes), callback URLs (1 or more, http:// or https:// with a host,
 * "[u1 u2]" at most 1024 bytes), display name (64 runes), description (500 runes), content
 * type (127 bytes), trigger_when (0 or 1), username (64 bytes), icon URL (1024 bytes). */
int gr_outgoing_admin_validate(const struct gr_outgoing_hook *h, struct gr_apperr *e);

/* Creates h (creator_id and team_id or channel_id set by the caller; an empty team_id is taken
 * from the channel). Checks in Mattermost's order: team (404 app.team.get.find.app_error),
 * channel (404 app.channel.get.existing.app_error; not public: 403
 * api.outgoing_webhook.disabled.app_error; other team: 403
 * api.webhook.create_outgoing.permissions.app_error), neither channel nor trigger word (400
 * api.webhook.create_outgoing.triggers.app_error), another live hook of the team with the same
 * channel sharing a callback URL and a trigger word (400
 * api.webhook.create_outgoing.intersect.app_error), then validate. Fills id, token, secret and
 * times, and stores it. */
int gr_outgoing_admin_create(struct gr_store *st, struct gr_outgoing_hook *h, struct gr_apperr *e);

/* Loads a live hook: 400 api.context.invalid_url_param.app_error for a malformed id, 404
 * app.webhooks.get_outgoing.app_error when there is no live hook with that id. */
int gr_outgoing_admin_get(struct gr_store *st, const char *id, struct gr_outgoing_hook *out,
                          struct gr_apperr *e);

/* Stores upd as the new version of old (same id): id, token, secret, creator, team and
 * create_at come from old. Channel rules as create but a private channel is 403
 * api.webhook.create_outgoing.not_open.app_error; intersect is 400
 * api.webhook.update_outgoing.intersect.app_error (the hook itself excluded). */
int gr_outgoing_admin_update(struct gr_store *st, const struct gr_outgoing_hook *old,
                             struct gr_outgoing_hook *upd, struct gr_apperr *e);

/* Soft-deletes the live hook id (404 as get). */
int gr_outgoing_admin_delete(struct gr_store *st, const char *id, struct gr_apperr *e);

/* A new token (Mattermost's regen_token) / a new signing secret, stored; h is updated. */
int gr_outgoing_admin_regen_token(struct gr_store *st, struct gr_outgoing_hook *h,
                                  struct gr_apperr *e);
int gr_outgoing_admin_rotate_secret(struct gr_store *st, struct gr_outgoing_hook *h,
                                    struct gr_apperr *e);

/* A deep copy of src into dst (dst's old content is not freed). */
void gr_outgoing_admin_copy(struct gr_outgoing_hook *dst, const struct gr_outgoing_hook *src);

/* The hook as Mattermost's OutgoingWebhook JSON (trigger_words and callback_urls as arrays, the
 * token included). with_secret adds griot's "secret": only the creation answer does. */
json_t *gr_outgoing_admin_shape(const struct gr_outgoing_hook *h, bool with_secret);

#endif
