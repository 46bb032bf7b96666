/* SPDX-License-Identifier: MIT */
/*
 * stdwebhooks.c - the Standard Webhooks adapter (standardwebhooks.com; spec sources.md §9):
 * any producer that follows the spec (Svix and the services built on it, the reference
 * libraries in every language).
 *
 * verify() checks `webhook-signature` (space-separated "v1,<base64>" entries; other versions
 * such as the asymmetric v1a are ignored) over "<webhook-id>.<webhook-timestamp>.<body>" with
 * every secret ("whsec_" + base64, or bare base64) and the hook's window (±tolerance_s). Each
 * header may also come as svix-id / svix-timestamp / svix-signature, Svix's own names.
 *
 * parse() never refuses a verified delivery: the spec leaves the payload format to the producer
 * (JSON with {type, timestamp, data} is only recommended). A JSON object yields event = `type`
 * and a generic message listing the scalar fields of `data` (or of the body when there is no
 * `data` object); any other body (not JSON, or JSON that is not an object) is posted as a short
 * excerpt in a code block, and templates then see {"raw": "<text>"}. The delivery id is the
 * `webhook-id` header, which the spec makes the idempotency key (same across retries).
 *
 * Every Standard Webhooks producer signs, so a hook of this source must have its secret (or at
 * least a bearer token): requires_auth.
 */
#include "adapter/adapter.h"

#include <stdio.h>
#include <string.h>

#include "adapter/render.h"
#include "adapter/sig.h"
#include "adapter/summary.h"

/*
 * The header webhook-<name>, else svix-<name>: Svix, the largest producer, sends the same
 * scheme under its own prefix unless the account has "white-labeled" headers, and its own
 * libraries accept both (svix-js webhook.ts).
 */
static const char *hdr(const struct gr_src_request *req, const char *name)
{
    char std[32], svix[32];
    const char *v;

    if (req->header == NULL)
        return NULL;
    snprintf(std, sizeof std, "webhook-%s", name);
    snprintf(svix, sizeof svix, "svix-%s", name);
    v = req->header(req->header_ud, std);
    return v && v[0] ? v : req->header(req->header_ud, svix);
}

static int verify(const struct gr_src_config *cfg, const struct gr_src_request *req,
                  struct gr_apperr *e)
{
    return gr_sig_stdwebhooks(hdr(req, "id"), hdr(req, "timestamp"), hdr(req, "signature"),
                              cfg->secrets, cfg->nsecrets, req->body, req->len, req->now_s,
                              cfg->tolerance_s, e);
}

static int parse(const struct gr_src_config *cfg, const struct gr_src_request *req,
                 struct gr_src_event *out, struct gr_apperr *e)
{
    static const char *const skip_root[] = {"type", "timestamp", NULL};
    struct gr_adapter__generic g = {
            .label = "Standard Webhooks",
            .body = req->body,
            .len = req->len,
            .content_type = req->content_type,
            .fr = cfg->lang && strcmp(cfg->lang, "fr") == 0,
    };
    json_t *root;

    memset(out, 0, sizeof *out);
    gr_adapter__set_id(out->delivery_id, sizeof out->delivery_id, hdr(req, "id"));
    root = json_loadb(req->body, req->len, JSON_DECODE_ANY, NULL);
    g.root = root;
    g.delivery_id = out->delivery_id;
    if (json_is_object(root)) {
        json_t *data = json_object_get(root, "data");
        g.event = json_string_value(json_object_get(root, "type"));
        g.fields = json_is_object(data) ? data : root;
        g.skip = json_is_object(data) ? NULL : skip_root;
        gr_adapter__copy_name(out->event, sizeof out->event, g.event);
    }
    out->message = gr_adapter__generic_message(&g);
    out->payload = root ? root : gr_adapter__raw_payload(req->body, req->len);
    if (out->message == NULL || out->payload == NULL) {
        json_decref(out->message);
        json_decref(out->payload);
        memset(out, 0, sizeof *out);
        return gr_apperr_set(e, 500, "griot.source.render.failed",
                             "The webhook message could not be rendered.");
    }
    return 0;
}

const struct gr_adapter gr_adapter_stdwebhooks = {
        .name = "standard-webhooks",
        .max_body = 0,
        .requires_auth = true,
        .verify = verify,
        .parse = parse,
        .display_name = "Webhook",
};
