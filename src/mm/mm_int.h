/* SPDX-License-Identifier: MIT */
/*
 * mm_int.h - what the files of src/mm/ share among themselves and nobody else: the HTTP body
 * decoders (form.c), attachment normalisation and Go `%v` formatting (attach.c) and the two
 * Slack passes that are not part of slack.h (slack.c).
 *
 * Everything here is pure and works on borrowed buffers; nothing logs. Functions that can only
 * fail on bad input return 0 / -1; functions that append to a gr_buf return a gr_err.
 */
#ifndef GR_MM_INT_H
#define GR_MM_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/apperr.h"
#include "core/buf.h"
#include "core/err.h"
#include "mm/incoming.h"

/* Upper bound for every scratch buffer of the module. Request bodies are capped far below this
 * by the HTTP layer (spec §0.5); the bound only keeps a bug from eating the machine. */
#define GR_MM__BUF_MAX ((size_t)64 << 20)

/* ---- form.c ---------------------------------------------------------------------------- */

/* Called once per media-type parameter; key is lowercased, val unquoted. Both NUL-terminated
 * and borrowed for the duration of the call. */
typedef void (*gr_mm__param_cb)(void *ud, const char *key, const char *val);

/*
 * Parses a Content-Type (or Content-Disposition) value s[0..n) like Go's mime.ParseMediaType:
 * `token ["/" token]` before the first ';', surrounding spaces ignored, lowercased into type_out.
 * Returns 0, or -1 when the media type itself is malformed. Malformed parameters are tolerated:
 * parsing stops at the first one (Mattermost accepts mime.ErrInvalidMediaParameter). cb may be
 * NULL.
 */
int gr_mm__media_parse(const char *s, size_t n, struct gr_buf *type_out, gr_mm__param_cb cb,
                       void *ud);

/*
 * Finds the first `key` field of an application/x-www-form-urlencoded body and appends its
 * decoded value to val_out ('+' is a space, %XX escapes). Every other field is checked too, as
 * Go's url.ParseQuery does. Returns 1 found, 0 not found, -1 on a malformed escape or a buffer
 * failure.
 */
int gr_mm__form_value(const char *body, size_t len, const char *key, struct gr_buf *val_out);

/* Called once per non-file multipart field, in body order. name and value are borrowed slices
 * of the body (value may hold any bytes, including NUL). */
typedef void (*gr_mm__part_cb)(void *ud, struct gr_slice name, struct gr_slice value);

/* Walks a multipart/form-data body with the given boundary. Returns 0, or -1 when the body is
 * not readable as multipart (no opening or closing delimiter, malformed part header). */
int gr_mm__multipart_each(const char *body, size_t len, const char *boundary, gr_mm__part_cb cb,
                          void *ud);

/* ---- attach.c -------------------------------------------------------------------------- */

/* Go's encoding/json matches struct keys case-insensitively, the last match winning. Returns
 * the borrowed value for key in obj, or NULL. */
json_t *gr_mm__get_ci(json_t *obj, const char *key);

/* Appends v formatted like Go's fmt `%v` of the value encoding/json would have produced
 * (numbers are float64, objects are maps printed with sorted keys, null is `<nil>`). */
gr_err gr_mm__go_value(json_t *v, struct gr_buf *out);
/* Appends d formatted like Go's `%v` of a float64 (shortest round-trip, 'g' style). */
gr_err gr_mm__go_float(double d, struct gr_buf *out);

/*
 * §8.2: turns the request's `attachments` value into the stored form. raw must be an array.
 * Null attachments and fields are dropped, null-valued keys too; typed keys are checked as Go
 * would (strings, int id, arrays, SlackCompatibleBool `short`); field values are stringified;
 * announcements (<!channel>...) are expanded in pretext/text/title/values and `<url|label>`
 * links converted in pretext/text/values. skip_slack (a command response's
 * skip_slack_parsing) leaves out the announcements and the stringifying (a string value only
 * has its links converted, other values stay as sent), as Mattermost does; links are converted
 * either way. On success *out is a new array (NULL when no attachment is left, as Go's nil
 * slice) and 0 is returned; on refusal 400 with e filled.
 */
int gr_mm__attachments_normalise(json_t *raw, bool skip_slack, json_t **out, struct gr_apperr *e);

/* Replaces `<@USERID>` in the strings of processed attachments (pretext, text, title, field
 * values) in place. */
gr_err gr_mm__attachments_users(json_t *atts, gr_mm_username_fn lookup, void *ud);

/* ---- slack.c --------------------------------------------------------------------------- */

/* Announcements only: <!channel>, <!here>, <!all>. */
gr_err gr_mm__slack_announce(const char *s, size_t len, struct gr_buf *out);
/* `<@USERID>` only; lookup may be NULL (then a plain copy). */
gr_err gr_mm__slack_users(const char *s, size_t len, gr_mm_username_fn lookup, void *ud,
                          struct gr_buf *out);

#endif
