/* SPDX-License-Identifier: MIT */
/*
 * summary.h - generic pieces of a default message, shared by the adapters whose payloads griot
 * does not know field by field (wave.c for unknown event types, stdwebhooks.c, generic.c):
 * safe copies of ids and event names, phone-number masking, ISO 8601 times made readable, the
 * top-level scalar fields of an object as attachment fields, and an excerpt of a raw body.
 *
 * Privacy rule (personal data): no default rendering ever shows a full phone number. Values of
 * keys that name a phone ("phone", "mobile", "msisdn", "tel"...) are masked whatever they look
 * like, and any "+" followed by 8 or more digits (spaces, dots, dashes and parentheses between
 * them allowed) is masked wherever it appears in a value. Local numbers without "+" under other
 * keys are not recognised; templates see the unmasked payload.
 *
 * These functions are internal to src/adapter/ (hence gr_adapter__); all input is untrusted and
 * all output is bounded. None of them does I/O.
 */
#ifndef GR_ADAPTER_SUMMARY_H
#define GR_ADAPTER_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"

/* Copies s (NULL = "") into out[cap] as a name: control bytes become '_', and a value that does
 * not fit is cut at a UTF-8 boundary. cap must be > 0. */
void gr_adapter__copy_name(char *out, size_t cap, const char *s);
/* Sets a delivery id: s itself when it is 1..cap-1 bytes of printable ASCII, otherwise
 * "sha256:" + the hex SHA-256 of s, so long or odd ids still deduplicate exactly and never
 * collide by truncation. NULL or "" leaves out empty. cap must be >= 72. */
void gr_adapter__set_id(char *out, size_t cap, const char *s);

/* True when a key names a phone number (case-insensitive: phone, mobile, msisdn, "tel"...). */
bool gr_adapter__is_phone_key(const char *key);
/*
 * Appends a masked phone number: the country code and the last two digits stay, every other
 * digit becomes "•". Separators of the original are kept; a compact number is grouped the usual
 * way for its country (Senegal 2-3-2-2: "+221761110001" -> "+221 •• ••• •• 01"; otherwise pairs
 * from the right). Fewer than six national digits or any character that has no place in a
 * phone number: only bullets. NULL or "" appends nothing.
 */
gr_err gr_adapter__phone_mask(struct gr_buf *b, const char *s);
/* Appends s with every "+<8 or more digits>" run masked as by gr_adapter__phone_mask. */
gr_err gr_adapter__mask_text(struct gr_buf *b, const char *s);

/* Appends an ISO 8601 time "2024-01-15T10:13:04[.123]Z" as "2024-01-15 10:13:04 UTC" (other
 * offsets kept: "... +01:00"); anything else is appended unchanged (masked). */
gr_err gr_adapter__time(struct gr_buf *b, const char *s);

/*
 * Adds the top-level scalar members of object obj (strings, numbers, booleans; not null, not
 * objects or arrays) to attachment att as fields, in document order, at most max of them, each
 * value cut to 300 code points and masked as described above (ISO 8601 times are shown as by
 * gr_adapter__time). Keys listed in skip (a
 * NULL-terminated array, may be NULL) are left out. Returns how many scalar members did not fit.
 * Does nothing when obj is not an object.
 */
size_t gr_adapter__fields(json_t *att, json_t *obj, size_t max, const char *const *skip);

/*
 * Appends an excerpt of a body that is not JSON: a fenced code block of its first 20 lines or
 * 1000 code points (backticks and control characters dropped, phones masked, "…" when cut), or
 * "(binary body, N bytes)" / "(corps binaire, N octets)" when it is not UTF-8.
 */
gr_err gr_adapter__excerpt(struct gr_buf *b, const char *body, size_t len, bool fr);

/* A short text made of a plain and a Markdown rendering built side by side (the plain one is the
 * attachment's fallback and notification text). The first failure sticks in rc. */
struct gr_adapter__text {
    struct gr_buf md;
    struct gr_buf plain;
    gr_err rc;
};

void gr_adapter__text_init(struct gr_adapter__text *t);
void gr_adapter__text_cleanup(struct gr_adapter__text *t);
/* Literal text of ours: appended to both as is (it must not need Markdown escaping). */
void gr_adapter__lit(struct gr_adapter__text *t, const char *s);
/* Untrusted text from a payload: cut to 300 code points, phones masked, Markdown-escaped in md.
 * NULL appends nothing. */
void gr_adapter__val(struct gr_adapter__text *t, const char *s);
/* Untrusted text shown as `code` in md (plain in the fallback); cut and masked as above. */
void gr_adapter__code(struct gr_adapter__text *t, const char *s);

/* What a generic message is made of (stdwebhooks.c, generic.c). Borrowed pointers. */
struct gr_adapter__generic {
    const char *label;       /* the footer's first word: "Standard Webhooks", "Webhook" */
    const char *event;       /* the event name, NULL or "" when the body has none */
    const char *delivery_id; /* shown in the footer when set */
    json_t *root;            /* the parsed body; NULL when it is not JSON */
    json_t *fields;          /* object whose top-level scalar members become fields */
    const char *const *skip; /* keys of `fields` not to list (NULL-terminated, may be NULL) */
    const char *body;        /* the raw body, excerpted when it is not a JSON object */
    size_t len;
    const char *content_type; /* shown for bodies that are not JSON; may be NULL */
    bool fr;
};

/*
 * Renders the generic default message: "🔔 Webhook event `type` — <headline>" (the headline is
 * the first line of a title/name/subject/summary/message/text/description string), an
 * attachment listing up to 10 scalar fields with the colour the event name suggests (failed,
 * error, declined, cancelled: red; succeeded, paid, completed, resolved: green; else blue) and a
 * footer "<label> · <delivery id> · <timestamp>". A body that is not a JSON object gets a text
 * with its content type, size and an excerpt (gr_adapter__excerpt), and no attachment.
 * Returns the new message, or NULL when out of memory.
 */
json_t *gr_adapter__generic_message(const struct gr_adapter__generic *g);
/* The payload templates see for a body that is not JSON: {"raw": "<text>"} when it is UTF-8,
 * else {"raw": null, "size": N}. Never NULL unless out of memory. */
json_t *gr_adapter__raw_payload(const char *body, size_t len);

#endif
