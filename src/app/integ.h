/* SPDX-License-Identifier: MIT */
/*
 * integ.h - what outgoing webhooks, slash commands and interactive buttons share
 * (spec mattermost-compat §2-§4): posts made on behalf of an integration, ephemeral posts,
 * the signature griot puts on every call it makes to an app, and the server-wide
 * integration secret. Implemented in app/integ.c.
 *
 * Threads: every function may be called from any thread (HTTP workers, the outbound engine's
 * thread, the outgoing-webhook dispatcher). None waits for a commit.
 */
#ifndef GR_APP_INTEG_H
#define GR_APP_INTEG_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "app/app.h"
#include "core/apperr.h"
#include "mm/incoming.h"
#include "store/store.h"

/* ---- posts made for an integration ---- */

/* Called once, on the writer thread, after the commit (rc GR_OK, posts = what was stored, in
 * order, borrowed for the call) or after a failure (rc != GR_OK, e filled when the job refused
 * with a status, else e->status is 0 and the store failed). */
typedef void (*gr_integ_posts_done_fn)(void *ud, gr_err rc, const struct gr_post *posts, size_t n,
                                       const struct gr_apperr *e);

/* A signer names whose secret signs clicks on buttons of a post: "command:<command id>" or
 * "outgoing:<outgoing hook id>" (app/actions.c reads it back). */
#define GR_INTEG_SIGNER_SIZE 40 /* "outgoing:" + a 26-char id + NUL fits */

struct gr_integ_posts {
    const char *channel_id;     /* where (checked inside the transaction: live channel) */
    const char *user_id;        /* author */
    const char *root_id;        /* "" or NULL = top level; else must be a live root post of the
                                 * channel, else the job refuses with 400
                                 * api.post.create_post.root_id.app_error */
    struct gr_mm_draft *drafts; /* taken (freed by the job, also on failure) */
    size_t ndrafts;
    bool trigger_webhooks;       /* may these posts fire outgoing webhooks (§2.2)? */
    const char *signer;          /* whose secret signs clicks on the posts' buttons:
                                  * "command:<id>" or "outgoing:<id>", stamped on every action
                                  * with an integration (mm/actions.h GR_MM_SIGNER_KEY); NULL =
                                  * none, the server's integration secret signs */
    gr_integ_posts_done_fn done; /* may be NULL: fire and forget (failures are logged) */
    void *ud;
};

/* Creates one post per draft in one writer job (the posts reach the bus as `posted`, in
 * order, after the commit). The job refuses (nothing stored) with 400
 * model.post.is_valid.msg.app_error when a message exceeds GR_MM_MAX_POST_RUNES code points,
 * or model.post.is_valid.props.app_error when a post's props text (signer included) exceeds
 * GR_MM_MAX_PROPS_RUNES. The drafts' props must be processed already (attachments
 * normalised, so no sender-set signer is left); req->signer is stamped on them here. Returns
 * GR_OK (done will be called) or an error (nothing queued, done never called, drafts freed). */
gr_err gr_integ_posts_submit(struct gr_app *app, struct gr_integ_posts *req);

/* ---- ephemeral posts (§3.5, §4.4) ---- */

/* Sends an ephemeral post (type "system_ephemeral", a fresh id, create_at now, never stored)
 * to user_id's WebSocket connections only, as the event `ephemeral_message` with data
 * {"post": "<Post JSON as a string>"}. props may be NULL (borrowed); author_id is the post's
 * user_id (for Mattermost this is the invoking user). Actions in props.attachments get their
 * ids and a sealed cookie (§4.5) before sending. */
void gr_integ_ephemeral(struct gr_app *app, const char *user_id, const char *channel_id,
                        const char *root_id, const char *author_id, const char *message,
                        json_t *props);

/* ---- signing the calls griot makes ---- */

#define GR_INTEG_SIG_HEADERS     3
#define GR_INTEG_SIG_HEADER_SIZE 160

/* Fills three "Name: value" header lines in Standard Webhooks format for body[0..len):
 *   webhook-id: msg_<26-char id>
 *   webhook-timestamp: <unix seconds>
 *   webhook-signature: v1,<base64 HMAC-SHA256 over "<id>.<timestamp>.<body>">
 * keyed with secret ("whsec_<base64>"). A receiving app verifies with any Standard Webhooks
 * library (npm `standardwebhooks`) and the secret shown at creation. */
void gr_integ_sign(const char *secret, const char *body, size_t len,
                   char out[GR_INTEG_SIG_HEADERS][GR_INTEG_SIG_HEADER_SIZE]);

/* A fresh signing secret: "whsec_" + base64 of 24 random bytes. */
void gr_integ_secret_new(char out[GR_SECRET_SIZE]);

/* The server-wide integration secret (kv key "integration_secret"), created on first use.
 * It signs button callbacks of posts made by bots, plain users and incoming webhooks (those of
 * commands and outgoing webhooks are signed with their own secret, see app/actions.c). It is
 * printed to app operators, so it keys nothing else (trigger ids have their own key). GR_OK or
 * a store error. */
gr_err gr_integ_server_secret(struct gr_store *st, char out[GR_SECRET_SIZE]);
/* Replaces it with a fresh one (griot integration-secret --rotate). */
gr_err gr_integ_server_secret_rotate(struct gr_store *st, char out[GR_SECRET_SIZE]);

#endif
