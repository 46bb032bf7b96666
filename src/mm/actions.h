/* SPDX-License-Identifier: MIT */
/*
 * actions.h - interactive message buttons and menus as pure functions (spec mattermost-compat
 * §4, §8.2): the actions inside props.attachments[].actions[], their ids, the copy clients may
 * see, the request griot sends to the integration on a click and the reading of its answer,
 * the props rule of an `update`, ephemeral-post cookies and trigger ids.
 *
 * No I/O, no store, no logging: the keys and secrets come from the caller (app/actions.c keeps
 * them in the store). Everything works on jansson values the caller owns; "borrowed" results
 * live as long as the value they were taken from. Safe to call from any thread.
 */
#ifndef GR_MM_ACTIONS_H
#define GR_MM_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define GR_MM_ACTION_ID_MAX   128 /* longest action id griot routes (bytes) */
#define GR_MM_COOKIE_KEY_SIZE 32  /* AES-256-GCM key */
#define GR_MM_TRIGGER_ID_SIZE 192 /* a trigger id and its NUL fit */

/* ---- ids and client-facing copies ---- */

/* True when id is 1..GR_MM_ACTION_ID_MAX characters of [A-Za-z0-9_-] (the newest Mattermost
 * route; spec §10). Ids with other characters are stored as given but cannot be clicked. */
bool gr_mm_action_id_valid(const char *id);

/*
 * For a processed attachments array (§8.2): gives every action whose `id` is absent, null,
 * empty or not a string a fresh 26-character id, keeps every other id as it is (also an
 * invalid one), and removes any `cookie` (only the server sets cookies, on ephemeral posts:
 * see gr_mm_actions_seal) and any integration.griot_signer (only the server says whose
 * secret signs a click: see gr_mm_actions_set_signer). Idempotent. Non-object entries are
 * left alone.
 */
void gr_mm_actions_assign_ids(json_t *attachments);

/* ---- who signs a click (griot's addition to §4.3) ---- */

/* The key, inside an action's `integration`, that names the secret signing its clicks:
 * "command:<command id>" or "outgoing:<outgoing hook id>"; absent = the server's integration
 * secret. Like the rest of `integration` it is never shown to clients and never sent to the
 * app (only `context` is). */
#define GR_MM_SIGNER_KEY "griot_signer"

/*
 * Stamps signer as integration.griot_signer on every action of props.attachments[].actions[]
 * that has an `integration` object; signer NULL removes the key instead. For the props of a
 * post made by a command or an outgoing webhook, after normalisation (which removed whatever
 * the sender put there). props may be NULL or any value.
 */
void gr_mm_actions_set_signer(json_t *props, const char *signer);

/* The clicked action's signer (borrowed from action), or NULL when it has none or it is not a
 * string. */
const char *gr_mm_action_signer(json_t *action);

/*
 * A REST edit (PUT /posts/{id}, /patch) sends back the client's copy, which has no
 * integrations. For each action of new_props (processed) without an `integration` key whose
 * id names an action of old_props (the stored post) that has an integration object, puts a
 * copy of that integration (griot_signer included) back, so the button keeps working; but
 * only when the action's type and data_source are unchanged ("" and "button" are the same
 * type), because both are part of the request signed for the app, and a client must not turn
 * an app's button into something the app never made. An action that brings its own
 * integration keeps it. Returns the number of integrations restored.
 */
size_t gr_mm_actions_restore_integrations(json_t *new_props, json_t *old_props);

/* The client-facing copy: removes every action's `integration` (url and context may hold
 * secrets) from props.attachments[].actions[], in place. props may be NULL or any value. */
void gr_mm_actions_strip(json_t *props);

/* The first action with this id in props.attachments[].actions[] (borrowed), or NULL. */
json_t *gr_mm_action_find(json_t *props, const char *id);

/* ---- the click: request to the integration (§4.3) and its answer (§4.4) ---- */

struct gr_mm_action_req {
    const char *user_id, *user_name;       /* the clicking user */
    const char *channel_id, *channel_name; /* the post's channel */
    const char *team_id, *team_domain;     /* "" for DMs and group channels */
    const char *post_id;
    const char *trigger_id;
    const char *type;            /* the action's type; "" or NULL is sent as "button" */
    const char *data_source;     /* NULL = "" */
    json_t *context;             /* the action's integration.context (borrowed); NULL = none */
    const char *selected_option; /* menus: the chosen value; NULL or "" = none */
};

/* The JSON body (compact, malloc'd) of PostActionIntegrationRequest: user_id, user_name,
 * channel_id, channel_name, team_id, team_domain, post_id, trigger_id, type, data_source and
 * context (omitted when NULL and no option was selected). For a select with a selected option
 * the context gets "selected_option" (the caller's context is not changed). */
char *gr_mm_action_request_json(const struct gr_mm_action_req *r);

/* What the integration answered (PostActionIntegrationResponse). */
struct gr_mm_action_resp {
    json_t *update;       /* owned: the `update` Post object, or NULL (absent or null) */
    char *ephemeral_text; /* owned, NULL when absent or empty */
    bool skip_slack_parsing;
};

/*
 * Parses an HTTP 200 body. An empty (or all-blank) body, `null` and `{}` mean "no change".
 * Returns 0 with *out filled, or -1 when the body is not a JSON object or a known key has the
 * wrong type (update not an object, update.message not a string, update.props neither object
 * nor null, ephemeral_text not a string, skip_slack_parsing not a bool): the click then fails
 * with 400 api.post.do_action.action_integration.app_error. `goto_location` is ignored.
 */
int gr_mm_action_response_parse(const char *body, size_t len, struct gr_mm_action_resp *out);
void gr_mm_action_resp_cleanup(struct gr_mm_action_resp *r);

/* Keys an `update` never takes away, so the post keeps its look (PostActionRetainPropKeys). */
extern const char *const gr_mm_action_retain_keys[3];

/*
 * The props rule of an update (§4.4): update_props NULL (the key was absent or null) -> a copy
 * of old; an object (also {}) -> a copy of it in which each retained key has old's value, or
 * is absent when old has none. old may be NULL (= {}). Returns a new object.
 */
json_t *gr_mm_action_update_props(json_t *old, json_t *update_props);

/* ---- cookies for ephemeral posts (§4.5) ---- */

/*
 * Seals plaintext with AES-256-GCM under key (a random 96-bit nonce each time) into a new
 * NUL-terminated string: standard base64 of nonce || ciphertext || tag. NULL only when OpenSSL
 * fails.
 */
char *gr_mm_cookie_seal(const unsigned char key[GR_MM_COOKIE_KEY_SIZE], const char *plaintext,
                        size_t len);
/* Opens a sealed cookie: the JSON object inside (new reference), or NULL when it is not
 * base64, was not sealed under key, was changed, or is not a JSON object. */
json_t *gr_mm_cookie_open(const unsigned char key[GR_MM_COOKIE_KEY_SIZE], const char *cookie);

/*
 * Prepares an ephemeral post's props (in place) for sending: ids for actions that have none,
 * then for each action with a valid id and an integration url a sealed cookie of
 *   {"id", "type", "post_id", "root_post_id", "channel_id", "data_source",
 *    "integration": {"url", "context", "griot_signer"}, "retain_props": {...},
 *    "remove_props": [...]}
 * (griot_signer only when the action has one, as the caller stamped it: sealing keeps it;
 * retain/remove: which of gr_mm_action_retain_keys the post has or lacks), then strips the
 * integrations. Returns the number of cookies set, or -1 when sealing failed (the integrations
 * are stripped anyway, so the buttons merely do nothing).
 */
int gr_mm_actions_seal(json_t *props, const unsigned char key[GR_MM_COOKIE_KEY_SIZE],
                       const char *post_id, const char *root_id, const char *channel_id);

/* ---- trigger ids (§4.6) ---- */

/*
 * A trigger id for user_id made at now_ms: base64url (no padding) of
 * "<26 random chars>:<user_id>:<now_ms>:<base64url HMAC-SHA256 of the part before>", keyed
 * with secret. Unguessable without the secret; verifiable by whoever has it.
 */
void gr_mm_trigger_id_make(const char *secret, const char *user_id, int64_t now_ms,
                           char out[GR_MM_TRIGGER_ID_SIZE]);
/* True when trigger_id was made with secret for user_id (NULL = any user) no more than
 * lifetime_ms before now_ms (and not in the future by more than a second). */
bool gr_mm_trigger_id_verify(const char *secret, const char *trigger_id, const char *user_id,
                             int64_t now_ms, int64_t lifetime_ms);

#endif
