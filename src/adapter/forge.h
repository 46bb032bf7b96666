/* SPDX-License-Identifier: MIT */
/*
 * forge.h - what the Forgejo, Gitea and GitHub adapters share (internal to src/adapter/).
 *
 * The three forges send the same family of payloads (Gitea's structs were modelled on GitHub's,
 * Forgejo forked Gitea), signed with a hex HMAC-SHA256 of the JSON. They differ in the names of
 * their headers, in the signature prefix, in a few payload fields and in the shape of their web
 * URLs. A source file (forgejo.c, gitea.c, github.c) describes those differences in one
 * `struct gr_forge` and hands everything else to the functions below:
 *
 *   gr_forge_verify()  signature check over the exact bytes the forge signed
 *   gr_forge_parse()   headers + body -> struct gr_src_event (event, action, delivery id,
 *                      payload, default message)
 *   gr_forge_render()  payload -> default message {"text", "attachments"}
 *
 * All three are pure: no I/O, no clock, no global state; safe to call from any thread.
 */
#ifndef GR_ADAPTER_FORGE_H
#define GR_ADAPTER_FORGE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "adapter/adapter.h"
#include "core/apperr.h"

/* How a forge spells its web URLs and a few payload fields. Forgejo speaks Gitea's. */
enum gr_forge_dialect {
    GR_FORGE_GITEA,  /* /src/branch/<b>, /pulls/<n>, `forkee` is the original repository */
    GR_FORGE_GITHUB, /* /tree/<b>, /pull/<n>, `forkee` is the new fork */
};

/* One forge. Header lists are NULL-terminated and tried in order; the first non-empty wins. */
struct gr_forge {
    const char *name; /* display name: "Forgejo", "Gitea", "GitHub" */
    enum gr_forge_dialect dialect;
    const char *const *sig_headers;      /* signature headers, e.g. {"X-Gitea-Signature", NULL} */
    const char *sig_prefix;              /* stripped from the signature, "sha256=" or "" */
    const char *const *event_headers;    /* fine-grained names first, then coarse ones */
    const char *const *delivery_headers; /* delivery UUID */
};

/*
 * Checks the signature of req against every secret of cfg (rotation), in constant time per
 * secret, before anything is parsed. The signed bytes are the raw body for JSON deliveries; for
 * form deliveries (`payload=<urlencoded JSON>`) they are the URL-decoded JSON, which is what
 * Forgejo and Gitea sign (spec sources §1.3), or else the raw form body, which is what GitHub
 * signs; either is accepted since both can only be produced with the secret.
 * Returns 0, or 401 with e->id one of griot.source.signature.{missing,malformed,mismatch}.
 */
int gr_forge_verify(const struct gr_forge *f, const struct gr_src_config *cfg,
                    const struct gr_src_request *req, struct gr_apperr *e);

/*
 * Fills *out (zeroed first) from a delivery that has already been verified (or needs no
 * verification): event name from the forge's event headers, action from the body's `action`
 * ("merged" for a pull request closed with `merged: true`), delivery id from its delivery
 * header, the parsed payload and the default message. Any valid JSON is accepted; an unknown
 * event or shape gets a generic message. Returns 0 (caller runs gr_src_event_cleanup), 400 with
 * e->id "griot.source.payload.invalid" when the body is neither JSON nor a form carrying JSON,
 * or 500 "griot.source.render.failed" when memory runs out.
 */
int gr_forge_parse(const struct gr_forge *f, const struct gr_src_config *cfg,
                   const struct gr_src_request *req, struct gr_src_event *out, struct gr_apperr *e);

/*
 * The default message for one delivery: {"text": <Markdown headline>, "attachments": [one
 * attachment with colour, title link, details and footer]}. event and action may be "" or
 * NULL; payload is borrowed and may be any JSON value. Every string taken from the payload is
 * escaped (gr_md_text) and clipped; only http(s) URLs become links. Returns a new reference,
 * or NULL when memory runs out.
 */
json_t *gr_forge_render(const struct gr_forge *f, const char *event, const char *action,
                        json_t *payload);

#endif
