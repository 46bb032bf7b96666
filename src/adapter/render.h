/* SPDX-License-Identifier: MIT */
/*
 * render.h - helpers adapters share to read payloads and write chat messages safely.
 *
 * Everything that comes from a payload is untrusted text: put it in Markdown with
 * gr_md_text() (escapes Markdown and breaks @channel/@here/@all mentions) and in links with
 * gr_md_link() (only http/https URLs become links). Attachment fields are plain strings and
 * need no escaping beyond what jansson does.
 */
#ifndef GR_ADAPTER_RENDER_H
#define GR_ADAPTER_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"

/* Nested lookups by dotted path ("pull_request.user.login", "alerts.0.labels.alertname").
 * Return NULL / false when a step is missing or of another type. */
json_t *gr_json_path(json_t *root, const char *path);
const char *gr_json_str(json_t *root, const char *path);
bool gr_json_int(json_t *root, const char *path, long long *out);
bool gr_json_bool(json_t *root, const char *path, bool *out);

/* Appends s as literal Markdown text: backslash-escapes \ ` * _ { } [ ] < > # | ~ and inserts
 * U+200B after '@' in @channel, @here and @all so a payload can never ping a whole channel. */
gr_err gr_md_text(struct gr_buf *b, const char *s);
/* Like gr_md_text for the first line of s only, cut to max_runes code points with "…". */
gr_err gr_md_line(struct gr_buf *b, const char *s, size_t max_runes);
/* Appends [text](url) when url is http(s) (')' and spaces percent-encoded), else just text. */
gr_err gr_md_link(struct gr_buf *b, const char *text, const char *url);
/* Appends `code` with backticks inside the code removed. */
gr_err gr_md_code(struct gr_buf *b, const char *s);

/* A new attachment object {"fallback", "color"} (color "" = none); add keys with jansson. */
json_t *gr_att_new(const char *fallback, const char *color);
/* Appends a field {"title","value","short"} to attachment a (value copied as a string). */
void gr_att_field(json_t *a, const char *title, const char *value, bool is_short);
/* A message object {"text": text, "attachments": [att]} (att may be NULL; steals att). */
json_t *gr_message_new(const char *text, json_t *att);

/* Standard colours. */
#define GR_COLOR_RED "#d63c3c"
#define GR_COLOR_GREEN "#2eb886"
#define GR_COLOR_ORANGE "#f2a93b"
#define GR_COLOR_BLUE "#3a87d9"
#define GR_COLOR_PURPLE "#8957e5"
#define GR_COLOR_GREY "#8b95a1"

#endif
