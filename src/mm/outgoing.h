/* SPDX-License-Identifier: MIT */
/*
 * outgoing.h - Mattermost outgoing-webhook semantics as pure functions (spec mattermost-compat
 * §2.2-§2.4): which hooks a post fires and with which trigger word, the exact callback body
 * (JSON or form), and how an app's reply is read. No I/O, no store, no logging: app/outgoing.c
 * reads hooks and posts and calls these.
 */
#ifndef GR_MM_OUTGOING_H
#define GR_MM_OUTGOING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/apperr.h"
#include "core/buf.h"
#include "mm/incoming.h"

#define GR_MM_TRIGGER_EXACT 0 /* trigger_when: the first word equals a trigger word */
#define GR_MM_TRIGGER_START 1 /* trigger_when: the first word starts with a trigger word */

#define GR_MM_CT_JSON "application/json"
#define GR_MM_CT_FORM "application/x-www-form-urlencoded"

/* True for the code points Go's unicode.IsSpace accepts (Unicode White_Space): what
 * strings.Fields splits a message on. */
bool gr_mm_is_space(uint32_t cp);

/* The message's first word (§2.2 step 4, Go's strings.Fields(msg)[0]): a slice of msg, empty
 * when the message holds only white space. Bytes that are not valid UTF-8 count as non-space,
 * as Go reads them as U+FFFD. */
struct gr_slice gr_mm_outgoing_first_word(const char *msg, size_t len);

/* A hook as far as matching is concerned (fields borrowed). */
struct gr_mm_outgoing_rule {
    const char *channel_id;      /* "" = every public channel of the team */
    const json_t *trigger_words; /* array of strings; NULL or empty = none */
    int trigger_when;            /* GR_MM_TRIGGER_EXACT or GR_MM_TRIGGER_START; anything else
                                  * matches no trigger word (Mattermost does the same) */
};

/*
 * Does the hook fire for a post in post_channel_id whose first word is `first` (§2.2 step 5)?
 * A hook bound to the post's channel with no trigger words fires for every post, with trigger
 * word "". Otherwise the hook's channel must be "" or the post's, and with exact matching some
 * trigger word must equal the first word, with starts-with matching the first word must begin
 * with one (case-sensitive, byte-wise); *trigger_out then points at that trigger word (the first
 * one in the hook's list that matches, inside rule->trigger_words). An empty first word never
 * matches a trigger word. *trigger_out is "" when the result is false.
 */
bool gr_mm_outgoing_match(const struct gr_mm_outgoing_rule *rule, const char *post_channel_id,
                          struct gr_slice first, const char **trigger_out);

/* The callback's fields (§2.3), borrowed. */
struct gr_mm_outgoing_payload {
    const char *token;
    const char *team_id;
    const char *team_domain; /* the team's name */
    const char *channel_id;
    const char *channel_name; /* the channel's name */
    int64_t timestamp_ms;     /* the post's create_at */
    const char *user_id;
    const char *user_name;
    const char *post_id;
    const char *text;
    const char *trigger_word;
    const char *file_ids; /* comma-separated, "" when none */
};

/* True when content_type selects the JSON body: exactly "application/json", as Mattermost
 * compares it; any other value (the default included) means the form body. */
bool gr_mm_outgoing_is_json(const char *content_type);

/* Appends the JSON body: one object with the twelve keys in Mattermost's order, timestamp in
 * milliseconds. GR_EINVAL when a string is not valid UTF-8, GR_ETOOBIG past out's maximum. */
gr_err gr_mm_outgoing_json(const struct gr_mm_outgoing_payload *p, struct gr_buf *out);
/* Appends the form body: key=value pairs joined by '&', keys sorted, values escaped as Go's
 * url.QueryEscape (space is '+', only A-Z a-z 0-9 - _ . ~ are left as they are), timestamp in
 * seconds (create_at / 1000) - Mattermost's Slack-compatible quirk. */
gr_err gr_mm_outgoing_form(const struct gr_mm_outgoing_payload *p, struct gr_buf *out);

/* An app's reply (§2.4). */
struct gr_mm_outgoing_reply {
    bool post;    /* false: nothing to post (empty body, `null`, no text key and no attachment) */
    bool comment; /* response_type is "comment": reply in the triggering post's thread */
    /* The reply read as an incoming-webhook request (text, username, icon_url, props,
     * attachments, type, priority; `channel` and `icon_emoji` are not part of Mattermost's
     * OutgoingWebhookResponse and are always NULL). Meaningful only when post is true. */
    struct gr_mm_incoming in;
};

/*
 * Reads body[0..len) as Mattermost's OutgoingWebhookResponse: an empty or all-white-space body
 * means nothing to post; otherwise the body must start with one JSON value (trailing bytes are
 * ignored, as Go's json.Decoder reads one value), strictly parsed (no control-character repair:
 * that leniency belongs to incoming webhooks), an object whose known keys have the right types.
 * `"text": ""` counts as text (an empty post is made, as in Mattermost); an absent text with no
 * attachment left after normalisation means nothing to post. Returns 0 with *out filled (call
 * gr_mm_outgoing_reply_cleanup) or 400 with e filled for invalid JSON or wrong types (*out is
 * then clean).
 */
int gr_mm_outgoing_reply_parse(const char *body, size_t len, struct gr_mm_outgoing_reply *out,
                               struct gr_apperr *e);
void gr_mm_outgoing_reply_cleanup(struct gr_mm_outgoing_reply *r);

#endif
