/* SPDX-License-Identifier: MIT */
/*
 * alerts.h - what the alerting sources (Grafana, Alertmanager, Uptime Kuma) share: the
 * rendering of an Alertmanager-model notification group (alerts.c), and a Markdown writer with
 * a sticky error, a few text, time and URL helpers, and the JSON loading and refusals every
 * alert adapter needs (alerts_util.c).
 *
 * Grafana's unified alerting and Alertmanager post the same data model (spec sources.md §4.2,
 * §5.1): {status, receiver, alerts[{status, labels, annotations, startsAt, endsAt,
 * generatorURL, fingerprint, ...}], groupLabels, commonLabels, commonAnnotations, externalURL,
 * truncatedAlerts}. gr_alerts_render() uses whatever of it is present (Grafana adds
 * silenceURL, dashboardURL, panelURL, imageURL, values and valueString) and never fails on an
 * unexpected shape. Every string from the payload goes through gr_md_text()/gr_md_line() or a
 * code span, every link through gr_md_link(), and the output is bounded: at most
 * GR_ALERTS_MAX_LISTED alerts, each line cut, URLs longer than GR_ALERTS_MAX_URL dropped.
 *
 * Nothing here does I/O or reads the clock.
 */
#ifndef GR_ADAPTER_ALERTS_H
#define GR_ADAPTER_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "adapter/adapter.h"
#include "core/apperr.h"
#include "core/buf.h"

#define GR_ALERTS_MAX_LISTED 10         /* alerts listed before "… and K more" */
#define GR_ALERTS_MAX_URL    2048       /* longer URLs are not linked */
#define GR_ALERTS_MD_MAX     (1u << 20) /* hard cap of one rendered text */

/* A Markdown text being written; the first failure sticks and later calls do nothing. */
struct gr_alerts_md {
    struct gr_buf b;
    gr_err rc;
};

/* Starts an empty writer bounded by GR_ALERTS_MD_MAX (m->b.p stays NULL until written). */
void gr_alerts_md_init(struct gr_alerts_md *m);
/* Frees the text. Accepts a zeroed or cleaned-up writer. */
void gr_alerts_md_cleanup(struct gr_alerts_md *m);
/* Appends trusted Markdown as is (our own markup, never payload text). */
void gr_alerts_md_raw(struct gr_alerts_md *m, const char *s);
/* Appends formatted trusted text; payload strings go through the escaping calls below. */
void gr_alerts_md_printf(struct gr_alerts_md *m, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* gr_md_text / gr_md_line / gr_md_link / gr_md_code on the writer (NULL s appends nothing;
 * gr_alerts_md_link with a NULL or non-http(s) url appends the escaped text only). */
void gr_alerts_md_text(struct gr_alerts_md *m, const char *s);
void gr_alerts_md_line(struct gr_alerts_md *m, const char *s, size_t max_runes);
void gr_alerts_md_link(struct gr_alerts_md *m, const char *text, const char *url);
void gr_alerts_md_code(struct gr_alerts_md *m, const char *s);
/* A code span of the first line of s, cut to max_runes code points (NULL or "" = nothing). */
void gr_alerts_md_code_cut(struct gr_alerts_md *m, const char *s, size_t max_runes);
/* Appends " · " unless the text is empty or ends with a newline or a space: the separator of
 * a row of items ("`A=1` · Since … · [Source](…)"). */
void gr_alerts_md_sep(struct gr_alerts_md *m);

/* Appends the first line of s (NULL = nothing) to b as plain text, cut to max_runes code
 * points with "…". GR_ETOOBIG / GR_ENOMEM from the buffer. */
gr_err gr_alerts_cut(struct gr_buf *b, const char *s, size_t max_runes);
/* The same for the len bytes at s (newlines kept; s need not be NUL-terminated). */
gr_err gr_alerts_cutn(struct gr_buf *b, const char *s, size_t len, size_t max_runes);
/* Copies s (NULL = "") into out[cap], cut at a code point boundary when it does not fit, so
 * a cut copy of valid UTF-8 stays valid. cap must be > 0. */
void gr_alerts_copy(char *out, size_t cap, const char *s);
/* Formats a JSON scalar for people: integers as is, integral reals without exponent
 * (2473545728), other reals with 6 significant digits, strings as is, else "true"/"false"/
 * "null". Always NUL-terminates out (cap > 0). */
void gr_alerts_num_fmt(json_t *v, char *out, size_t cap);
/* gr_att_field() with the title cut to 60 and the value's first line cut to 300 code points. */
void gr_alerts_field(json_t *att, const char *title, const char *value, bool is_short);

/* How a source's group is rendered. All pointers borrowed for the call. */
struct gr_alerts_opts {
    const char *source;         /* "Grafana", "Alertmanager": footer and generic texts */
    const char *group_url;      /* the group in the sender's UI (NULL = no link) */
    const char *group_url_text; /* e.g. "Open in Alertmanager" */
    /* Appends the URL that silences `alert` when it has no silenceURL of its own (Alertmanager
     * builds one from externalURL); returns GR_ENOTFOUND when it cannot. NULL = none. */
    gr_err (*silence_url)(json_t *root, json_t *alert, struct gr_buf *url_out);
};

/*
 * Parses req's body as JSON (any top-level value; integers too big for int64 become reals).
 * Returns 0 with *out set (caller's reference), or 400 griot.source.payload.invalid.
 */
int gr_alerts_load(const struct gr_src_request *req, json_t **out, struct gr_apperr *e);
/* The refusal of verify() for sources that sign nothing (Alertmanager, Uptime Kuma):
 * 401 griot.source.signature.malformed, "this source does not sign requests; use --auth-bearer". */
int gr_alerts_unsigned(struct gr_apperr *e);
/* Copies s (NULL = "") into ev->event, cut to fit at a code point boundary. */
void gr_alerts_event_set(struct gr_src_event *ev, const char *s);

/* True when root is an object with an `alerts` array: the Alertmanager data model. */
bool gr_alerts_is_group(json_t *root);
/* The group's `status`, else "firing" when an alert fires, "resolved" when all have resolved,
 * else "". Borrowed from root (or static). */
const char *gr_alerts_status(json_t *root);
/*
 * Renders a notification group as {"text": headline, "attachments": [{colour, alert list,
 * common labels as fields, footer}]}. The headline is
 * "🔥 **[FIRING:n, RESOLVED:m] <alertname(s)>** (<receiver>) — <summary>" (✅ [RESOLVED] when
 * resolved); alerts are grouped by status when mixed. Returns GR_OK with *msg_out (caller's),
 * or GR_ENOMEM / GR_ETOOBIG.
 */
gr_err gr_alerts_render(json_t *root, const struct gr_alerts_opts *o, json_t **msg_out);
/*
 * The rendering of an unknown shape: "📣 **<source>** <what>" and a grey attachment with up
 * to 8 top-level scalar fields of root (any JSON value; non-objects are shown as an excerpt).
 * `what` is e.g. "notification"; NULL = "notification". Returns GR_OK with *msg_out.
 */
gr_err gr_alerts_generic(json_t *root, const char *source, const char *what, json_t **msg_out);

/* Parses "YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±HH:MM]" (no zone = UTC) into Unix seconds; false on
 * bad input and on dates before 1970 (Go's zero time "0001-01-01T00:00:00Z" means "unset"). */
bool gr_alerts_time_parse(const char *s, int64_t *out);
/* Formats Unix seconds as "2024-03-01 02:09 UTC". */
void gr_alerts_time_fmt(int64_t t, char out[32]);
/* Formats a duration in seconds as "45s", "4m 28s", "2h 5m" or "3d 4h" (negative = "0s"). */
void gr_alerts_duration(int64_t secs, char out[32]);
/* True when url is http(s) and at most GR_ALERTS_MAX_URL bytes: worth a link. */
bool gr_alerts_is_url(const char *url);
/* Appends base + "/" + path with exactly one slash between them. */
gr_err gr_alerts_url_join(struct gr_buf *b, const char *base, const char *path);
/* Appends s percent-encoded (everything but RFC 3986 unreserved characters). */
gr_err gr_alerts_urlencode(struct gr_buf *b, const char *s);

#endif
