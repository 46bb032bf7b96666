/* SPDX-License-Identifier: MIT */
/*
 * adapter.h - native webhook sources (Forgejo, Gitea, GitHub, Grafana, Alertmanager,
 * Uptime Kuma, Wave, Standard Webhooks, generic HMAC): the contract every adapter fulfils.
 *
 * An adapter is a pair of pure functions over the raw request (bytes + headers in, results
 * out; no I/O, no store, no clock: the caller passes the time):
 *   verify()  checks the signature over the exact raw bytes, BEFORE anything is parsed. The
 *             caller runs it only when the hook has secrets; bearer tokens and IP allow-lists
 *             are checked by the caller for every source.
 *   parse()   parses and normalises the delivery: event name, delivery id (for replay
 *             protection), the parsed payload (the template context) and the default message
 *             as a Mattermost incoming-webhook request object {"text", "attachments", ...}.
 *             It never fails on an unknown event or an unexpected shape of valid JSON: it then
 *             renders a generic message (event name + the key fields found). It fails (400)
 *             only when the body is not what the source ever sends (not JSON, say).
 *
 * Adding a source touches its file (adapter/<name>.c), one row in adapter.c, its fixtures and
 * its tests. Rendering helpers shared by adapters are in adapter/render.h.
 */
#ifndef GR_ADAPTER_ADAPTER_H
#define GR_ADAPTER_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/apperr.h"

/* Returns the value of request header `name` (case-insensitive), or NULL. */
typedef const char *(*gr_src_header_fn)(void *ud, const char *name);

struct gr_src_request {
    const char *content_type; /* NULL when absent */
    const char *body;         /* the exact raw bytes (NUL-terminated for convenience) */
    size_t len;
    gr_src_header_fn header;
    void *header_ud;
    int64_t now_s; /* current Unix time, for timestamp windows */
};

/* A hook's source settings (borrowed strings; NULL or "" = not set). */
struct gr_src_config {
    const char *const *secrets; /* signing secrets, several during rotation */
    size_t nsecrets;
    int64_t tolerance_s; /* timestamp window; 0 = no window */
    const char *lang;    /* "en" (default) or "fr" */
    /* generic source only */
    const char *sig_header;   /* header holding the signature, e.g. "X-Signature" */
    const char *sig_algo;     /* "sha1", "sha256" (default), "sha512" */
    const char *sig_encoding; /* "hex" (default) or "base64" */
    const char *sig_prefix;   /* stripped from the header value, e.g. "sha256=" */
    const char *sig_content;  /* what is signed: "{body}" (default) or a pattern with {ts} and
                               * {body}, e.g. "{ts}.{body}" or "{ts}:{body}" */
    const char *ts_header;    /* header holding the timestamp, when {ts} is signed */
};

/* A verified, normalised delivery. */
struct gr_src_event {
    char event[128];       /* the source's own event name: "push", "pull_request", "firing",
                            * "merchant.payment_received", ... ("" if none) */
    char action[64];       /* sub-action when the source has one: "opened", "merged", ... */
    char delivery_id[160]; /* idempotency key ("" = none: never deduplicated) */
    json_t *payload;       /* owned: the parsed document; the context templates render from */
    json_t *message;       /* owned: {"text": "...", "attachments": [...]} and optionally
                            * "username"/"icon_url"; the default rendering */
};

struct gr_adapter {
    const char *name;    /* "forgejo", ... as in `griot hook create --source` */
    size_t max_body;     /* body limit for this source; 0 = the server's default */
    bool requires_auth;  /* a hook of this source must have a secret or a bearer token */
    /* Returns 0, or 401 with e (ids griot.source.signature.*; see sig.h). */
    int (*verify)(const struct gr_src_config *cfg, const struct gr_src_request *req,
                  struct gr_apperr *e);
    /* Returns 0 with *out filled (caller runs gr_src_event_cleanup), or 400 with e. */
    int (*parse)(const struct gr_src_config *cfg, const struct gr_src_request *req,
                 struct gr_src_event *out, struct gr_apperr *e);
    /* The tool's name as people write it ("GitHub", "Uptime Kuma"): the posts' username when
     * neither the message nor the hook sets one. NULL = name. */
    const char *display_name;
};

/* The adapter named `name`, or NULL. */
const struct gr_adapter *gr_adapter_find(const char *name);
/* All adapters, for help texts and docs. */
const struct gr_adapter *const *gr_adapter_all(size_t *n_out);
void gr_src_event_cleanup(struct gr_src_event *ev);

/* The adapters (one file each). */
extern const struct gr_adapter gr_adapter_forgejo, gr_adapter_gitea, gr_adapter_github,
        gr_adapter_grafana, gr_adapter_alertmanager, gr_adapter_uptimekuma, gr_adapter_wave,
        gr_adapter_stdwebhooks, gr_adapter_generic;

#endif
