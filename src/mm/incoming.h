/* SPDX-License-Identifier: MIT */
/*
 * incoming.h - Mattermost incoming-webhook semantics as pure functions over bytes
 * (spec mattermost-compat §1, §8, §9). No I/O, no store: the app layer resolves hooks, channels
 * and users and calls these for everything that is about the payload itself.
 *
 * Flow (check numbers are spec §1.5):
 *   gr_mm_incoming_decode()      checks 2, 3, 4 (content type, form/multipart, JSON + §1.4 repair)
 *   [app: check 5, hooks disabled]
 *   gr_mm_incoming_check_text()  checks 6, 7
 *   [app: checks 8-13, hook/channel/user resolution]
 *   gr_mm_incoming_check_fields() checks 14, 15
 *   gr_mm_incoming_build()       post drafts: Slack markup, props, overrides, splitting (§1.7-1.10)
 *
 * Every function that can refuse returns 0 on success or the HTTP status of the refusal, with
 * `e` filled with the Mattermost error id and message.
 */
#ifndef GR_MM_INCOMING_H
#define GR_MM_INCOMING_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/apperr.h"

#define GR_MM_MAX_POST_RUNES  16383  /* PostMessageMaxRunesV2 */
#define GR_MM_MAX_PROPS_RUNES 760000 /* PostPropsMaxUserRunes */

/* A decoded incoming-webhook request. String fields are NULL when absent or JSON null. */
struct gr_mm_incoming {
    bool is_null;        /* the document was JSON `null` (check 6) */
    char *text;          /* owned */
    char *channel;       /* owned */
    char *username;      /* owned */
    char *icon_url;      /* owned */
    char *icon_emoji;    /* owned */
    char *type;          /* owned */
    json_t *props;       /* owned reference; JSON object or NULL */
    json_t *attachments; /* owned reference; processed array (§8.2) or NULL when absent/null */
    json_t *priority;    /* owned reference; JSON object or NULL */
};

/*
 * Decodes body[0..len) according to content_type (NULL = header absent) per §1.2-§1.4:
 * form-urlencoded reads the `payload` field; multipart/form-data maps fields onto the request;
 * anything else is the raw JSON document. Applies the lenient control-character repair, rejects
 * invalid UTF-8, wrong JSON types (e.g. "text": 5, "attachments": {}), and normalises attachments
 * (null entries dropped, field value stringified in Go %v form, short coerced to bool, Slack
 * links converted in pretext/text/field values). hook_id is used only in error messages.
 * On success fills *out (caller calls gr_mm_incoming_cleanup) and returns 0; on refusal returns
 * 400 with e filled (*out is then clean and need not be cleaned up, though doing so is safe).
 */
int gr_mm_incoming_decode(const char *content_type, const char *body, size_t len,
                          const char *hook_id, struct gr_mm_incoming *out, struct gr_apperr *e);
void gr_mm_incoming_cleanup(struct gr_mm_incoming *in);

/* Checks 6 and 7: a null document, or empty text with no attachments array -> 400. An empty
 * attachments array with empty text is refused too (griot's documented choice). */
int gr_mm_incoming_check_text(const struct gr_mm_incoming *in, struct gr_apperr *e);
/* Checks 14 and 15: `priority` without a `priority` key, `type` starting with "system_" -> 400
 * api.context.invalid_param.app_error. Also check 16 for the type: when there are no attachments
 * (which force "slack_attachment"), a type other than "", "slack_attachment" and "custom_*" ->
 * 500 api.post.create_webhook_post.creating.app_error, as Mattermost's Post.IsValid failure. */
int gr_mm_incoming_check_fields(const struct gr_mm_incoming *in, struct gr_apperr *e);

/* Maps a Mattermost user id to a username for `<@USERID>` conversion; returns false if unknown. */
typedef bool (*gr_mm_username_fn)(void *ud, const char *user_id, char *username_out, size_t size);

/*
 * A cap on the lookups of one app reply: each `<@USERID>` is a store read on the thread that
 * builds the post, and a reply may hold thousands. Pass gr_mm_username_capped as the lookup with
 * a struct gr_mm_username_cap as its ud: it calls fn(ud) for the first `left` mentions (found
 * or not) and answers false (the mention stays as written) for the rest.
 */
#define GR_MM_MAX_USER_LOOKUPS 100 /* per reply */
struct gr_mm_username_cap {
    gr_mm_username_fn fn; /* may be NULL: every mention stays as written */
    void *ud;
    size_t left; /* lookups still allowed; GR_MM_MAX_USER_LOOKUPS to start */
};
bool gr_mm_username_capped(void *cap, const char *user_id, char *username_out, size_t size);

struct gr_mm_build_opts {
    bool username_override;        /* EnablePostUsernameOverride */
    bool icon_override;            /* EnablePostIconOverride */
    size_t max_runes;              /* GR_MM_MAX_POST_RUNES unless a test wants smaller; 0 = that */
    size_t max_props_runes;        /* GR_MM_MAX_PROPS_RUNES unless a test wants smaller; 0 = that */
    const char *hook_display_name; /* -> props.webhook_display_name when non-empty */
    const char *hook_username;     /* hook default username, "" if none */
    const char *hook_icon_url;     /* hook default icon, "" if none */
    gr_mm_username_fn username_of; /* may be NULL: `<@id>` then stays as it is */
    void *username_ud;
};

/* One post to create: the app adds ids, user, channel and timestamps. */
struct gr_mm_draft {
    char *message; /* owned, "" allowed */
    char *type;    /* owned: "" , "slack_attachment" or the request's custom type */
    json_t *props; /* owned reference; always an object */
};

/*
 * Builds the posts for a checked request (§1.7-§1.10): Slack markup conversion of text,
 * props = request props minus reserved keys + from_webhook "true" + webhook_display_name +
 * attachments + override_* per the options; splitting of text into chunks of at most max_runes
 * code points (never inside a UTF-8 sequence), same props on each chunk, attachments on the last
 * chunk, overflow attachments on extra posts; non-attachment props over max_props_runes -> 400
 * web.incoming_webhook.split_props_length.app_error. On success *drafts_out is a malloc'd array of
 * *n_out (>= 1) drafts, freed with gr_mm_drafts_free.
 */
int gr_mm_incoming_build(const struct gr_mm_incoming *in, const struct gr_mm_build_opts *opts,
                         struct gr_mm_draft **drafts_out, size_t *n_out, struct gr_apperr *e);
void gr_mm_drafts_free(struct gr_mm_draft *d, size_t n);

/* For REST posts (spec §5.5): processes a post's props.attachments the way a webhook's are
 * (§8.2 normalisation, announcements and links, then `<@USERID>` through lookup, which may be
 * NULL). raw must be an array (else 400). On success *out is a new array, or NULL when no
 * attachment is left, and 0 is returned; on refusal the status with e filled (attach.c). */
int gr_mm_attachments_process(json_t *raw, gr_mm_username_fn lookup, void *ud, json_t **out,
                              struct gr_apperr *e);

#endif
