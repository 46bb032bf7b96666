/* SPDX-License-Identifier: MIT */
/*
 * actions.h - interactive message buttons and menus, the use case (spec mattermost-compat §4):
 * a click on an action calls the app behind it and applies its answer; plus the two secrets
 * the feature needs, the cookie key of ephemeral posts and trigger ids.
 *
 * The click (POST /api/v4/posts/{post_id}/actions/{action_id}) never blocks a thread while the
 * app works: the HTTP worker checks the request and hands the call to the outbound engine
 * (queue/outbound.h); the engine's completion reads the answer and either answers at once or
 * hands the post's edit to the writer, whose completion answers after the commit. Exactly one
 * of those threads calls ctx->done.
 *
 * Signing: every call to an app carries Standard Webhooks headers (app/integ.h). A click on a
 * button made by a slash command or an outgoing webhook (the action's server-side
 * integration.griot_signer names it) is signed with that integration's own secret, and refused
 * when the command or hook has since been deleted; a click on any other button (posts of bots,
 * users, incoming webhooks) is signed with the server integration secret (`griot
 * integration-secret` prints it), which proves only that griot sent the request.
 *
 * Keys (kv table of the store): "cookie_key" (32 random bytes, base64) seals ephemeral-post
 * cookies; "trigger_key" (the same form, never shown to anyone) keys the trigger-id HMAC;
 * "integration_secret" (app/integ.c) signs the clicks above. gr_actions_keys_init makes all
 * three at server start; each is also created on first use if that failed. Racing creators
 * agree on the first one written.
 */
#ifndef GR_APP_ACTIONS_H
#define GR_APP_ACTIONS_H

#include <stdbool.h>

#include <jansson.h>

#include "app/app.h"
#include "app/rest.h"
#include "core/apperr.h"
#include "mm/actions.h"
#include "store/store.h"

/*
 * The click. post_id and action_id come from the URL; body is the optional JSON request
 * (NULL when the request had no body) {"selected_option": "...", "cookie": "..."}, borrowed.
 * Returns GR_REST_PENDING (c->done will be called exactly once, with 200
 * {"status":"OK","trigger_id":"..."} or an error), or an error status with e filled at once:
 *   400 api.context.invalid_url_param.app_error    post_id is not an id
 *   400 api.context.invalid_body_param.app_error   body is not an object, or a member has the
 *                                                  wrong type
 *   404 app.post.get.app_error                     no such live post, and no cookie
 *   403 api.context.permissions.app_error          the caller may not read the channel
 *   404 api.post.do_action.action_id.app_error     no action with that id (or no integration)
 *   400 api.post.do_action.action_integration.app_error  a cookie that does not open or does
 *                                                  not belong to post_id; later: the app was
 *                                                  unreachable, slow, answered non-200 or junk
 * Runs on an HTTP worker (it reads through the thread's read connection).
 */
int gr_actions_click(const struct gr_rest_ctx *c, const char *post_id, const char *action_id,
                     json_t *body, json_t **out, struct gr_apperr *e);

/*
 * Prepares the props of an ephemeral post (in place) before it is sent: action ids, a sealed
 * cookie per action (the click then works without a stored post, §4.5), integrations removed.
 * post_id is the ephemeral post's id, root_id its thread ("" = none). Reads the cookie key
 * through the calling thread's read connection (and creates it on first use: a small write of
 * its own, so never call this inside a writer job's apply). On a store failure the
 * integrations are still removed (the buttons then do nothing) and the error is returned.
 */
gr_err gr_actions_seal_ephemeral(struct gr_app *app, json_t *props, const char *post_id,
                                 const char *root_id, const char *channel_id);

/* The cookie key (kv "cookie_key"), created on first use. */
gr_err gr_actions_cookie_key(struct gr_store *st, unsigned char key[GR_MM_COOKIE_KEY_SIZE]);

/* Creates the cookie key, the trigger key and the server integration secret if they do not
 * exist yet, through the calling thread's read connection: call it once at server start, on
 * the main thread, so that no first use has to write (an ephemeral post may be sent from the
 * writer's completion). A failure is logged and returned; it is not fatal (first use still
 * creates what is missing). */
gr_err gr_actions_keys_init(struct gr_app *app);

/* A fresh trigger id for user_id (§4.6), keyed with the trigger key (kv "trigger_key", never
 * shown: the server integration secret is printed to app operators, who could otherwise make
 * trigger ids for any user); for clicks and slash commands. GR_OK or a store error (out is then
 * ""). */
gr_err gr_actions_trigger_id_new(struct gr_store *st, const char *user_id,
                                 char out[GR_MM_TRIGGER_ID_SIZE]);
/* True when trigger_id was made by this server for user_id (NULL = anyone) within the last
 * lifetime_s seconds (OutgoingIntegrationRequestsTimeout). */
bool gr_actions_trigger_id_valid(struct gr_store *st, const char *trigger_id, const char *user_id,
                                 int lifetime_s);

#endif
