/* SPDX-License-Identifier: MIT */
/*
 * command.h - Mattermost slash-command semantics as pure functions over bytes (spec
 * mattermost-compat §3): splitting "/trigger rest", the fields griot sends to a command's URL
 * (§3.3) as a form body or query string, the candidate @user and ~channel mentions of the text,
 * the integration's reply (§3.4, §3.5) decoded into a struct, the post or ephemeral post a
 * response becomes, and the CommandResponse JSON the execute endpoint answers with (§3.6).
 *
 * No I/O, no store, no clock: app/commands.c resolves users, channels and commands and calls
 * these. Every input size is bounded by the caller (HTTP body limit, outbound response limit).
 */
#ifndef GR_MM_COMMAND_H
#define GR_MM_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/apperr.h"
#include "core/buf.h"
#include "mm/incoming.h"

#define GR_MM_COMMAND_TRIGGER_MAX 128 /* MaxTriggerLength (bytes) */

/*
 * Splits a command line the way Mattermost's ExecuteCommand does: the trigger is everything
 * after the leading '/' up to the first whitespace, lowercased (ASCII); the text is the rest
 * with surrounding whitespace trimmed. Returns 0 with *trigger_out and *text_out malloc'd, or
 * -1 (nothing allocated) when the line does not start with '/' or the trigger is empty.
 */
int gr_mm_command_split(const char *command, char **trigger_out, char **text_out);

/* A list of owned names. */
struct gr_mm_names {
    char **v;
    size_t n;
};
void gr_mm_names_free(struct gr_mm_names *l);

/*
 * Candidate user mentions of text (Mattermost's possibleAtMentions): each `@name` not preceded
 * by a letter, digit or '_', where name is [A-Za-z0-9][A-Za-z0-9.\-_:]*, lowercased, kept when it
 * is a valid username (or a remote one, user:server), without repeats, in order of appearance.
 * At most max names are returned.
 */
void gr_mm_command_at_mentions(const char *text, size_t max, struct gr_mm_names *out);
/* Candidate channel mentions: each `~name` (name = [A-Za-z0-9_-]+) not preceded by a letter,
 * digit or '_', without repeats, in order, at most max. */
void gr_mm_command_channel_mentions(const char *text, size_t max, struct gr_mm_names *out);
/* Removes one trailing '.', '-' or '_' from name (Mattermost retries an unknown "@bob." as
 * "@bob"). Returns false (name unchanged) when there is none or nothing would be left. */
bool gr_mm_username_trim_special(char *name);

/* The request fields of §3.3 (strings borrowed; NULL is sent as ""). */
struct gr_mm_command_fields {
    const char *token;
    const char *team_id, *team_domain;
    const char *channel_id, *channel_name;
    const char *user_id, *user_name;
    const char *command; /* "/" + trigger */
    const char *text;
    const char *response_url;
    const char *trigger_id;
    const char *root_id;
    const char *const *user_mentions, *const *user_mentions_ids; /* parallel arrays */
    size_t nuser_mentions;
    const char *const *channel_mentions, *const *channel_mentions_ids;
    size_t nchannel_mentions;
};

/* Appends the fields as application/x-www-form-urlencoded, the way Go's url.Values.Encode
 * writes them: keys sorted, each value of a repeated key in order, spaces as '+', every byte
 * but [A-Za-z0-9-_.~] percent-encoded. Mentions are sent only when there are some. */
gr_err gr_mm_command_encode(const struct gr_mm_command_fields *f, struct gr_buf *out);
/* Appends url with query added for a GET: joined with '&' when url already has a query, '?'
 * otherwise (a fragment, if any, is dropped: it is never sent). */
gr_err gr_mm_command_get_url(const char *url, const char *query, struct gr_buf *out);

/* A CommandResponse (§3.5). Strings are owned and never NULL ("" when absent). */
struct gr_mm_command_resp {
    char *response_type;
    char *text;
    char *username;
    char *channel_id;
    char *icon_url;
    char *type;
    char *goto_location;
    char *trigger_id;
    bool skip_slack_parsing;
    json_t *props;       /* owned; an object, or NULL when absent/null */
    json_t *attachments; /* owned; normalised array (§8.2; with skip_slack_parsing only
                          * their links are converted, as in Mattermost), or NULL when
                          * absent/null/empty */
    struct gr_mm_command_resp *extra; /* extra_responses (their own extras are dropped) */
    size_t nextra;
};

/* Fills r with an empty response (every string ""). */
void gr_mm_command_resp_init(struct gr_mm_command_resp *r);
void gr_mm_command_resp_cleanup(struct gr_mm_command_resp *r);
/* Replaces one string member with a copy of v. */
void gr_mm_command_resp_set(char **member, const char *v);

/*
 * Decodes a reply body (§3.4). content_type is the media type without parameters ("" or NULL
 * when absent): "application/json" decodes body as a CommandResponse JSON document the way Go's
 * json.Unmarshal would (keys in any case, `null` = empty response, a wrong type anywhere or
 * trailing bytes = failure, attachments normalised as §8.2); anything else makes the whole body
 * the `text` (invalid UTF-8 replaced by U+FFFD, NUL bytes dropped). Returns 0 with *out filled
 * (clean it up), or -1 for a JSON document that does not decode (*out is then zeroed: nothing
 * to free, though gr_mm_command_resp_cleanup is safe).
 */
int gr_mm_command_reply_parse(const char *content_type, const char *body, size_t len,
                              struct gr_mm_command_resp *out);

/* True when r is an in_channel response; false means ephemeral (the default, §3.5). */
bool gr_mm_command_resp_in_channel(const struct gr_mm_command_resp *r);
/* True when an ephemeral response has something to show (text or attachments). */
bool gr_mm_command_resp_has_content(const struct gr_mm_command_resp *r);

/* The CommandResponse JSON of §3.6 (every key present, props/attachments/extra_responses null
 * when absent), extra responses included one level deep. */
json_t *gr_mm_command_resp_json(const struct gr_mm_command_resp *r);

/* How a response becomes a post (HandleCommandResponsePost). */
struct gr_mm_command_post_opts {
    bool builtin;             /* a built-in command: no from_webhook unless an override applies */
    bool username_override;   /* EnablePostUsernameOverride */
    bool icon_override;       /* EnablePostIconOverride */
    const char *cmd_username; /* the command's configured override ("" = none); wins */
    const char *cmd_icon_url;
    bool stored;                   /* an in_channel post: apply Post.IsValid (type, length) */
    gr_mm_username_fn username_of; /* `<@USERID>` lookup, may be NULL */
    void *username_ud;
};

/*
 * Builds the post for one response: message (Slack markup converted unless
 * skip_slack_parsing), type (slack_attachment when there are attachments), props = the
 * response's props without the keys only the server sets, plus override_username /
 * override_icon_url (the command's configured values win over the response's, §3.5),
 * from_webhook "true" for custom commands, and the attachments. Returns 0 with *out filled
 * (free with gr_mm_drafts_free(out, 1) semantics: message, type, props owned), or a status
 * with e filled: 400 for a system_ type, 400 for a stored post whose type or length
 * Post.IsValid refuses, 500 when memory runs out.
 */
int gr_mm_command_build(const struct gr_mm_command_resp *r, const struct gr_mm_command_post_opts *o,
                        struct gr_mm_draft *out, struct gr_apperr *e);

/* Replaces invalid UTF-8 in s[0..len) by U+FFFD and drops NUL bytes, appending to out; at most
 * max bytes are appended (never cutting a character). */
gr_err gr_mm_command_clean_text(const char *s, size_t len, size_t max, struct gr_buf *out);

#endif
